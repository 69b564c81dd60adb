import json
from pathlib import Path

from django.core.management.base import BaseCommand

from directory.models import Place
from directory.selectors import place_data_inclusion, place_export_text


class Command(BaseCommand):
    help = (
        "Exporte les lieux au standard national (CSV ou JSON) ou au schéma data·inclusion "
        "(JSON : structures et services)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--format", choices=["csv", "json", "data-inclusion"], default="csv", dest="file_format"
        )
        parser.add_argument(
            "--output", type=Path, help="Fichier de sortie (sinon la sortie standard)."
        )

    def handle(self, *args, **options):
        places = Place.objects.order_by("identifier")
        if options["file_format"] == "data-inclusion":
            text = json.dumps(
                place_data_inclusion(places=places, public=False), ensure_ascii=False, indent=1
            )
        else:
            text = place_export_text(places=places, file_format=options["file_format"])
        if options["output"]:
            options["output"].write_text(text, encoding="utf-8")
            self.stderr.write(f"Export écrit dans {options['output']}")
        else:
            self.stdout.write(text, ending="")
