"""Writes the portal's French catalogue of plural strings (locale/fr/LC_MESSAGES/django.po and
its compiled .mo).

The portal's strings are written in French, so they need no translation, except for one thing:
without a catalogue, `ngettext` and `{% blocktranslate count %}` apply the English rule, where 0
takes the plural (« 0 places restantes »). French takes the singular for 0 and 1 (« 0 place
restante »): only a catalogue carries that rule (Plural-Forms). This one holds every plural
string of the portal, each translated by itself, under the French rule; the other strings stay
out of it, so Django's and the libraries' own French catalogues keep answering for theirs.

`--check` changes nothing and fails when a plural string of the code is missing from the
committed catalogue (the test suite runs it)."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

SOURCES = (
    "accounts",
    "api",
    "core",
    "directory",
    "events",
    "newsletter",
    "numeritheque",
    "peer_exchange",
    "portal",
    "relay",
    "reports",
    "taxonomy",
    "templates",
    "territory",
    "trainings",
)
HEADER = """\
# Catalogue français du portail : ses chaînes au pluriel seulement, traduites par elles-mêmes,
# pour la règle française (0 et 1 au singulier). Généré par « manage.py french_plurals ».
msgid ""
msgstr ""
"Project-Id-Version: Maillage\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Language: fr\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"
"""


def _catalogue_dir() -> Path:
    return Path(settings.LOCALE_PATHS[0]) / "fr" / "LC_MESSAGES"


def _extract_plural_entries() -> list[str]:
    """The plural entries of a fresh extraction of the code, each translated by itself."""
    root = Path(settings.BASE_DIR)
    with tempfile.TemporaryDirectory() as workdir:
        copy = Path(workdir)
        for name in SOURCES:
            shutil.copytree(
                root / name,
                copy / name,
                ignore=shutil.ignore_patterns("__pycache__", "migrations", "*.pyc"),
            )
        with override_settings(LOCALE_PATHS=[copy / "locale"]):
            previous = Path.cwd()
            try:
                os.chdir(copy)
                call_command(
                    "makemessages", locale=["fr"], no_location=True, no_wrap=True, verbosity=0
                )
            finally:
                os.chdir(previous)
        extracted = (copy / "locale" / "fr" / "LC_MESSAGES" / "django.po").read_text("utf-8")
    return [_translated_by_itself(block) for block in _plural_blocks(extracted)]


def _plural_blocks(catalogue: str) -> list[str]:
    return [
        block.strip("\n")
        for block in catalogue.split("\n\n")
        if "\nmsgid_plural " in f"\n{block}" and not block.lstrip().startswith("#~")
    ]


def _translated_by_itself(block: str) -> str:
    """msgstr[0] = msgid and msgstr[1] = msgid_plural, the source lines kept as they are."""
    head, singular, plural = [], [], []
    current = head
    for line in block.splitlines():
        if line.startswith("msgid "):
            current = singular
        elif line.startswith("msgid_plural "):
            current = plural
        elif line.startswith("msgstr"):
            break
        current.append(line)
    singular_value = [singular[0].removeprefix("msgid "), *singular[1:]]
    plural_value = [plural[0].removeprefix("msgid_plural "), *plural[1:]]
    return "\n".join(
        [
            *head,
            *singular,
            *plural,
            f"msgstr[0] {singular_value[0]}",
            *singular_value[1:],
            f"msgstr[1] {plural_value[0]}",
            *plural_value[1:],
        ]
    )


def _render(entries: list[str]) -> str:
    return HEADER + "".join(f"\n{entry}\n" for entry in sorted(set(entries)))


class Command(BaseCommand):
    help = "Écrit le catalogue français des chaînes au pluriel du portail (règle française)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Ne change rien ; échoue si le catalogue n'est pas à jour.",
        )

    def handle(self, *args, check=False, **options):
        msgfmt = shutil.which("msgfmt")
        if shutil.which("xgettext") is None or msgfmt is None:
            raise CommandError(
                "Les outils gettext (xgettext, msgfmt) manquent : installez le paquet gettext."
            )
        catalogue = _render(_extract_plural_entries())
        target = _catalogue_dir() / "django.po"
        if check:
            current = target.read_text("utf-8") if target.exists() else ""
            if current != catalogue:
                raise CommandError(
                    "Le catalogue des pluriels n'est pas à jour : lancez « manage.py "
                    "french_plurals » et validez locale/fr/LC_MESSAGES/."
                )
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(catalogue, "utf-8")
        # Our own paths only, no input from anyone.
        subprocess.run(  # noqa: S603
            [msgfmt, "--check-format", "-o", str(target.with_suffix(".mo")), str(target)],
            check=True,
        )
        self.stdout.write(f"{target} : {catalogue.count('msgid_plural')} chaînes au pluriel.")
