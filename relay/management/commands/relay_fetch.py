"""Fetch partners' agendas now: `relay_fetch [ID …]` (every active source without ids) and
print each one's report."""

from django.core.management.base import BaseCommand, CommandError

from relay.models import RelaySource
from relay.services import source_fetch


class Command(BaseCommand):
    help = "Relève maintenant les agendas partenaires et affiche le compte rendu de chacun."

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int)

    def handle(self, *args, ids, **options):
        sources = (
            RelaySource.objects.filter(pk__in=ids)
            if ids
            else RelaySource.objects.filter(is_active=True)
        )
        missing = set(ids) - set(sources.values_list("pk", flat=True))
        if missing:
            raise CommandError("Agenda inconnu : " + ", ".join(str(pk) for pk in sorted(missing)))
        for source in sources:
            report = source_fetch(source=source)
            self.stdout.write(f"[{source.pk}] {source.name} — {report.summary()}")
            for label, titles in (
                ("créé", report.created),
                ("mis à jour", report.updated),
                ("annulé", report.cancelled),
                ("à valider", report.pending),
            ):
                for title in titles:
                    self.stdout.write(f"  {label} : {title}")
            for refusal in report.refused:
                self.stdout.write(f"  refusé : {refusal['event']} — {refusal['reason']}")
