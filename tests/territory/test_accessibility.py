"""The diagnosis in real Chromium: axe-core finds no WCAG 2.1 A/AA violation on the page, the
map is an image with a name, and its table equivalent is reachable by screen readers."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from territory.models import ShareLink

from .conftest import DEMARCHES

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def test_map_and_its_table_have_no_wcag_violation(page, small_territory, settings):
    # Tiles from the test server itself: no network in tests.
    settings.MAILLAGE_MAP_TILE_URL = "/static/tuiles/{z}/{x}/{y}.png"
    link = ShareLink.objects.create(
        title="Diagnostic de test",
        parameters={
            "service": DEMARCHES,
            "departement": "99",
            "rayon": 10,
            "indicateur": small_territory.pk,
            "carte": "couverture",
        },
    )
    page.goto(f"/territoire/partage/{link.token}/")
    results = Axe().run(page, options=WCAG_21_AA)
    assert [v["id"] for v in results.response["violations"]] == []
    title = page.locator("svg[role=img] > title").text_content()
    assert title == "Aide aux démarches administratives — Test"
    table = page.get_by_role("table", name="Tableau des communes : les valeurs de la carte")
    assert table.get_by_role("rowheader").count() == 5
    assert table.get_by_role("columnheader", name="Distance (km)").is_visible()
    # Leaflet took over on screen (the SVG stays for print and without JavaScript).
    assert page.locator("#carte-territoire .leaflet-interactive").count() >= 5
