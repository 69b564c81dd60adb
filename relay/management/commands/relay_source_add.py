"""Subscribe to a partner's agenda: `relay_source_add URL --kind ics|rss|openagenda [--publish]`
prints the new source's id (for scripts and tests)."""

from django.core.management.base import BaseCommand, CommandError

from core.errors import DomainError
from relay.models import RelaySource
from relay.services import source_create


class Command(BaseCommand):
    help = "Ajoute un agenda partenaire à relayer et affiche son identifiant."

    def add_arguments(self, parser):
        parser.add_argument("url")
        parser.add_argument("--kind", choices=RelaySource.Kind.values, default="ics")
        parser.add_argument("--name", default="")
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publier directement (sinon chaque événement attend la validation du Hub).",
        )
        parser.add_argument("--interval", type=int, default=60, help="Minutes entre deux relevés.")

    def handle(self, *args, url, kind, name, publish, interval, **options):
        try:
            source = source_create(
                url=url, kind=kind, name=name, publish_directly=publish, interval_minutes=interval
            )
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(str(source.pk))
