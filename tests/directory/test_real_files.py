"""The figures on the real files tried (excerpts of hubs' exports read by the national
cartography, see data/README.md): rows imported, warned and rejected. A real file is never
rejected whole for an old service name, a missing SIRET or date column, or spreadsheet
headers; each figure below is what the closing note of issue 14 reports."""

import pytest

from directory.models import Place
from directory.services import communes_load, places_import

from .conftest import DATA

pytestmark = pytest.mark.django_db

# file → (rows, places created, rows with a warning, rows rejected, places after gathering)
FIGURES = {
    "reel_aix_en_provence_v01.json": (15, 15, 0, 0, 15),
    # Every row: no date_maj (« date unknown »); one stop geocoded 486 km away.
    "reel_bus_france_services_charente.json": (12, 1, 12, 0, 1),
    # Every row: no date_maj column; some hours in words.
    "reel_la_creuse_sans_siret.json": (20, 20, 20, 0, 20),
}


@pytest.mark.parametrize("name", FIGURES)
def test_rows_imported_warned_and_rejected(name):
    communes_load(departements=["13", "16", "23"])
    report = places_import(data=(DATA / name).read_bytes(), filename=name)
    warned = len({warning["line"] for warning in report.warnings})
    figures = (report.total, report.created, warned, len(report.rejected), Place.objects.count())
    assert figures == FIGURES[name], report.rejected[:3]


def test_la_creuse_reads_its_accented_phone_and_legacy_services():
    communes_load(departements=["23"])
    name = "reel_la_creuse_sans_siret.json"
    report = places_import(data=(DATA / name).read_bytes(), filename=name)
    assert report.renamed_columns == {"téléphone": "telephone"}
    place = Place.objects.get(identifier="2")
    assert place.phone == "+33587660000"
    assert place.pivot == "" and place.source_updated_on is None
    assert place.services == ["Maîtrise des outils numériques du quotidien"]
    assert place.support_modes == ["Dans un atelier collectif"]
    assert not place.opening_hours_valid  # « Mercredi de 14h à 15H30 »: kept for staff
