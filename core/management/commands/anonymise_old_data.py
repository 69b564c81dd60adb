from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.services import retention_apply


class Command(BaseCommand):
    help = "Anonymise les données plus anciennes que la durée de conservation (MAILLAGE_RETENTION_DAYS)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Durée de conservation en jours (par défaut : MAILLAGE_RETENTION_DAYS).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Compter sans rien modifier.",
        )

    def handle(self, *args, days, dry_run, **options):
        days = settings.MAILLAGE_RETENTION_DAYS if days is None else days
        if days < 0:
            raise CommandError(_("La durée de conservation doit être un nombre de jours positif."))
        if dry_run:
            self.stdout.write(_("Simulation : rien n'est modifié."))
        self.stdout.write(_("Données antérieures à %(days)s jours :") % {"days": days})
        for label, count in retention_apply(days=days, dry_run=dry_run):
            self.stdout.write(f"  {label} : {count}")
