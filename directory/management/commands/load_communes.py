from django.core.management.base import BaseCommand

from directory.services import communes_load


class Command(BaseCommand):
    help = "Charge les communes, EPCI et départements (COG 2026) livrés avec l'application."

    def add_arguments(self, parser):
        parser.add_argument(
            "--departement", action="append", help="Ne charger que ce département (répétable)."
        )

    def handle(self, *args, **options):
        count = communes_load(departements=options["departement"])
        self.stdout.write(self.style.SUCCESS(f"{count} communes chargées."))
