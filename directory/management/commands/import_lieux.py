from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.errors import DomainError
from directory.services import places_import


class Command(BaseCommand):
    help = "Importe un fichier de lieux au standard national (CSV ou JSON)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", choices=["csv", "json"], dest="file_format")
        parser.add_argument("--source", default="", help="Source des lignes qui n'en ont pas.")
        parser.add_argument("--dry-run", action="store_true", help="N'écrit rien.")

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        tty = self.stdout.isatty()

        def progress(done: int, total: int) -> None:
            width, percent = 30, 100 * done // max(total, 1)
            filled = width * percent // 100
            self.stdout.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {percent} %", ending="")
            self.stdout.flush()

        try:
            report = places_import(
                data=path.read_bytes(),
                file_format=options["file_format"],
                filename=path.name,
                source=options["source"],
                dry_run=options["dry_run"],
                progress=progress if tty else None,
            )
        except DomainError as error:
            raise CommandError(error.message) from error
        if tty:
            self.stdout.write("")
        for column in report.ignored_columns:
            self.stdout.write(f"Colonne ignorée : {column}")
        for header, column in report.renamed_columns.items():
            self.stdout.write(f"Colonne « {header} » lue comme {column}")
        for old, new in report.mapped_columns.items():
            self.stdout.write(f"Colonne {old} (v0.1) lue comme {new}")
        for rejected in report.rejected:
            self.stdout.write(
                self.style.ERROR(
                    f"Ligne {rejected['line']} rejetée ({rejected['identifier'] or 'sans identifiant'}) : "
                    + " ; ".join(rejected["reasons"])
                )
            )
        for warning in report.warnings:
            self.stdout.write(
                self.style.WARNING(
                    f"Ligne {warning['line']} ({warning.get('identifier') or '—'}) : "
                    f"{warning['message']}"
                )
            )
        for duplicate in report.duplicates:
            self.stdout.write(
                f"Doublon possible : {duplicate['first']} / {duplicate['second']} ({duplicate['reason']})"
            )
        self.stdout.write(self.style.SUCCESS(report.summary()))
