from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.errors import DomainError
from territory.services import fragility_import, indicator_import


class Command(BaseCommand):
    help = (
        "Importe un indicateur par commune (ou par EPCI) depuis un CSV, avec un compte rendu "
        "ligne par ligne ; --fragilite charge l'indice de fragilité numérique livré."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, nargs="?")
        parser.add_argument("--fragilite", action="store_true", help="L'indice livré (La MedNum).")
        parser.add_argument("--code", default="code_insee", help="Colonne du code INSEE ou SIREN.")
        parser.add_argument("--valeur", help="Colonne de la valeur.")
        parser.add_argument("--nom", help="Nom de l'indicateur.")
        parser.add_argument("--source", default="")
        parser.add_argument("--annee", type=int)
        parser.add_argument("--licence", default="")
        parser.add_argument("--echelle", choices=["commune", "epci"], default="commune")
        parser.add_argument(
            "--population", help="Colonne de population (pondère les communes nouvelles)."
        )
        parser.add_argument(
            "--seuil", type=float, help="Valeur à partir de laquelle on est fragile."
        )
        parser.add_argument("--dry-run", action="store_true", help="N'écrit rien.")

    def handle(self, *args, **options):
        try:
            if options["fragilite"]:
                report = fragility_import(dry_run=options["dry_run"])
            else:
                path: Path | None = options["file"]
                if path is None or not path.is_file():
                    raise CommandError(f"Fichier introuvable : {path or '(aucun)'}")
                if not options["valeur"] or not options["nom"]:
                    raise CommandError("Précisez --valeur (colonne) et --nom (de l'indicateur).")
                report = indicator_import(
                    data=path.read_bytes(),
                    code_column=options["code"],
                    value_column=options["valeur"],
                    name=options["nom"],
                    source=options["source"],
                    year=options["annee"],
                    licence=options["licence"],
                    level=options["echelle"],
                    population_column=options["population"],
                    fragile_threshold=options["seuil"],
                    dry_run=options["dry_run"],
                )
        except DomainError as error:
            raise CommandError(error.message) from error
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(report.summary()))
