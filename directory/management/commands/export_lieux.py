from pathlib import Path

from django.core.management.base import BaseCommand

from directory.models import Place
from directory.selectors import place_export_text


class Command(BaseCommand):
    help = "Exporte les lieux au standard national (CSV ou JSON)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["csv", "json"], default="csv", dest="file_format")
        parser.add_argument(
            "--output", type=Path, help="Fichier de sortie (sinon la sortie standard)."
        )

    def handle(self, *args, **options):
        text = place_export_text(
            places=Place.objects.order_by("identifier"), file_format=options["file_format"]
        )
        if options["output"]:
            options["output"].write_text(text, encoding="utf-8")
            self.stderr.write(f"Export écrit dans {options['output']}")
        else:
            self.stdout.write(text, ending="")
