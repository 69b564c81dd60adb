"""French plurals are written with ngettext (« 1 place », « 2 jours »), never « jour(s) »."""

import re
from pathlib import Path

from django.core.management import call_command
from django.utils import translation
from django.utils.translation import ngettext

from core.management.commands.french_plurals import SOURCES

ROOT = Path(__file__).resolve().parents[2]
# The same sources as the catalogue of French plurals reads.
APPS = SOURCES
# A word followed by « (s) » or « (es) » (« jour(s) », « inscrit·e(s) »); « http(s) » is
# no plural.
HEDGED_PLURAL = re.compile(r"\w\((s|es)\)")


def test_no_text_hedges_its_plural():
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*")):
            if path.suffix not in (".py", ".html", ".txt") or "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if HEDGED_PLURAL.search(line.replace("http(s)", "")):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "\n".join(found)


def test_zero_takes_the_singular_in_french():
    """Without the portal's catalogue, Django applies the English rule and writes
    « 0 personnes » (manage.py french_plurals)."""
    with translation.override("fr"):
        assert (
            ngettext(
                "%(count)s attestation part par courriel.",
                "%(count)s attestations partent par courriel.",
                0,
            )
            % {"count": 0}
            == "0 attestation part par courriel."
        )
        assert ngettext("%(count)s annulé", "%(count)s annulés", 2) % {"count": 2} == "2 annulés"


def test_the_catalogue_of_plurals_holds_every_plural_of_the_code():
    call_command("french_plurals", "--check")
