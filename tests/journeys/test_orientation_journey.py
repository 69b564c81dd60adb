import re

import pytest
from playwright.sync_api import expect

from directory.services import communes_load
from tests.browser import phone_check
from tests.factories.directory import PlaceFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
DEMARCHES = "Aide aux démarches administratives"


@pytest.fixture
def places(settings):
    # Tiles from the test server itself: no network in tests.
    settings.MAILLAGE_MAP_TILE_URL = "/static/tuiles/{z}/{x}/{y}.png"
    communes_load(departements=["35"])
    near = PlaceFactory(
        name="France Services de Maurepas",
        services=[DEMARCHES],
        opening_hours="24/7",
        phone="+33299000001",
        latitude=48.1225,
        longitude=-1.6610,
    )
    PlaceFactory(
        name="CCAS de Cesson-Sévigné",
        services=[DEMARCHES],
        opening_hours="24/7",
        latitude=48.1213,
        longitude=-1.6030,
    )
    PlaceFactory(name="Fab lab des Champs", services=["Loisirs et créations numériques"])
    return near


def test_agent_orients_a_person_and_prints_the_fiche(phone, places):
    """On a phone (360 px): find a place for a need near a postcode, open its fiche; every
    page fits the screen and passes axe-core (WCAG 2.1 A/AA, the site shell included)."""
    page = phone
    page.goto("/annuaire/orientation/")
    expect(page.get_by_role("heading", name="Vers qui orienter ?", level=1)).to_be_visible()
    assert phone_check(page) == {}
    page.get_by_label("Besoin de la personne").select_option(DEMARCHES)
    page.get_by_label("Commune ou code postal de la personne").fill("35700")
    page.get_by_role("button", name="Trouver un lieu").click()
    results = page.get_by_role("heading", level=3)
    expect(results.first).to_have_text("France Services de Maurepas")
    expect(results).to_have_count(2)
    expect(page.get_by_text("une pièce d'identité")).to_be_visible()
    expect(page.get_by_text("Ouvert maintenant").first).to_be_visible()
    assert phone_check(page) == {}

    page.get_by_role("link", name="Fiche d'orientation à imprimer ou envoyer").first.click()
    expect(page.get_by_role("heading", name="Fiche d'orientation", level=1)).to_be_visible()
    expect(page.get_by_text("02 99 00 00 01")).to_be_visible()  # phones read as people write them
    assert phone_check(page) == {}
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("link", name="Télécharger la fiche (PDF)")).to_be_hidden()


def test_unknown_postcode_is_explained_in_french(page, places):
    page.goto("/annuaire/orientation/")
    page.get_by_label("Besoin de la personne").select_option(DEMARCHES)
    page.get_by_label("Commune ou code postal de la personne").fill("99999")
    page.get_by_role("button", name="Trouver un lieu").click()
    expect(page.get_by_role("alert")).to_contain_text("Commune ou code postal inconnu : « 99999 »")


def test_map_enhances_the_list_when_leaflet_loads(page, places):
    page.goto("/annuaire/?location=35000&radius=20")
    expect(page.get_by_text(re.compile(r"3 lieux trouvés"))).to_be_visible()
    expect(page.locator("#carte-lieux")).to_be_visible()
    expect(page.locator(".leaflet-container")).to_have_count(1)
    expect(page.get_by_role("link", name="France Services de Maurepas")).to_be_visible()
