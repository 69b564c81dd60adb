"""Accessibility in real Chromium: axe-core finds no WCAG 2.1 A/AA violation on any public
page type nor on the main signed-in pages (the whole page, site shell included), and a person
using only the keyboard can log in and register to a session, seeing where the focus is at
every step."""

import datetime
import io
import re

from django.core.management import call_command

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from directory.models import Place
from events.models import ConferencePage, Registration
from newsletter.models import Subscriber
from numeritheque.models import Item
from peer_exchange.models import PeerFormatPage
from portal.demo import MEDIATOR_EMAIL, MEDIATOR_PASSWORD
from territory.models import ShareLink
from tests.factories.accounts import DEFAULT_PASSWORD, UserFactory
from tests.factories.events import SessionFactory, conference_page
from tests.factories.newsletter import SubscriberFactory
from trainings.models import TrainingPage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
DEMARCHES = "Aide aux démarches administratives"


def violations(page) -> list:
    results = Axe().run(page, options=WCAG_21_AA)
    return [
        (violation["id"], [node["target"] for node in violation["nodes"]][:3])
        for violation in results.response["violations"]
    ]


def audit(page, urls) -> dict:
    """Every page's violations, keyed by URL (empty pages left out)."""
    found = {}
    for url in urls:
        response = page.goto(url)
        assert response.status < 500, url
        if problems := violations(page):
            found[url] = problems
    return found


@pytest.fixture
def hub(settings):
    """The demo Hub (built by the apps' demo loaders, as factories would): every page type
    with realistic content, images, maps and rich text included."""
    # Tiles from the test server itself: no network in tests.
    settings.MAILLAGE_MAP_TILE_URL = "/static/tuiles/{z}/{x}/{y}.png"
    call_command("load_demo", stdout=io.StringIO())


def log_in(page, email, password):
    page.goto("/comptes/login/?next=/mon-espace/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Connexion").click()
    # The path itself, not the login page's ?next=.
    page.wait_for_url(re.compile(r"^[^?]*/mon-espace/$"))


def test_public_pages_have_no_wcag_violation(page, hub):
    conference = ConferencePage.objects.live().first()
    session = conference.sessions.first()
    place = Place.objects.filter(services__contains=[DEMARCHES]).first() or Place.objects.first()
    item = Item.objects.exclude(state=Item.State.RETIRED).first()
    subscriber = SubscriberFactory(
        status=Subscriber.Status.PENDING,
        confirm_token="jeton-de-confirmation",
        confirm_token_expires_at=datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC),
    )
    urls = [
        "/",
        "/le-hub/",
        "/recherche/?q=formation",
        "/agenda/?kind=conference&mode=presentiel&departement=35",
        conference.url,
        f"/agenda/sessions/{session.pk}/",
        "/formations/?near=Rennes&radius=50",
        TrainingPage.objects.live().first().url,
        "/echanges-entre-pairs/",
        PeerFormatPage.objects.live().first().url,
        "/numeritheque/",
        f"/numeritheque/materiel/{item.slug}/",
        "/annuaire/",
        "/annuaire/?location=Rennes&radius=20",
        f"/annuaire/{place.pk}/",
        "/annuaire/orientation/",
        f"/annuaire/orientation/?service={DEMARCHES}&location=Rennes",
        f"/annuaire/orientation/fiche/{place.pk}/?service={DEMARCHES}",
        "/donnees-ouvertes/",
        "/relayer/",
        # The demo's Breton territorial diagnosis, shared by link (map, tables, openings).
        f"/territoire/partage/{ShareLink.objects.get().token}/",
        "/widget/agenda/",
        "/lettre/inscription/",
        f"/lettre/confirmer/{subscriber.confirm_token}/",
        f"/lettre/desinscription/{subscriber.unsubscribe_token}/",
        "/comptes/login/",
        "/comptes/signup/",
        "/comptes/password/reset/",
        "/cette-page-n-existe-pas/",
    ]
    assert audit(page, urls) == {}
    # The page shown once the subscription is confirmed.
    page.goto(f"/lettre/confirmer/{subscriber.confirm_token}/")
    page.get_by_role("button", name="Je confirme mon inscription").click()
    expect(page.get_by_role("heading", name="Inscription confirmée", level=1)).to_be_visible()
    assert violations(page) == []


def test_signed_in_pages_have_no_wcag_violation(page, hub):
    log_in(page, MEDIATOR_EMAIL, MEDIATOR_PASSWORD)
    registration = Registration.objects.filter(user__email=MEDIATOR_EMAIL).first()
    open_session = SessionFactory(page=ConferencePage.objects.live().first())
    urls = [
        "/mon-espace/",
        "/mon-espace/profil/",
        f"/agenda/inscriptions/{registration.pk}/",
        f"/agenda/inscriptions/{registration.pk}/annuler/",
        f"/agenda/sessions/{open_session.pk}/inscription/",
        "/numeritheque/reserver/",
        "/echanges/propositions/nouvelle/",
    ]
    assert audit(page, urls) == {}


FOCUS_VISIBLE = """() => {
    const element = document.activeElement;
    if (!element || element === document.body) return null;
    const style = getComputedStyle(element);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow && style.boxShadow !== "none";
    return {
        visible: Boolean(outline || shadow),
        text: (element.innerText || element.value || element.name || element.tagName).trim(),
        label: element.labels && element.labels.length ? element.labels[0].innerText.trim() : "",
    };
}"""


def tab_to(page, matches, limit: int = 80) -> None:
    """Press Tab until the focused element matches; every element on the way must show it
    has the focus."""
    seen = []
    for _step in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_VISIBLE)
        if focused is None:
            continue
        assert focused["visible"], f"focus invisible on {focused}"
        if matches(focused):
            return
        seen.append(focused["label"] or focused["text"])
    raise AssertionError(f"never reached by Tab, went through {seen}")


def test_keyboard_only_registration(page):
    UserFactory(email="camille@exemple.fr", first_name="Camille")
    session = SessionFactory(
        page=conference_page(title="Rencontre régionale"), title="Atelier orientation"
    )
    page.goto(f"/agenda/sessions/{session.pk}/")

    tab_to(page, lambda focused: focused["text"].splitlines()[0] == "S'inscrire")
    page.keyboard.press("Enter")
    page.wait_for_url("**/comptes/login/**")

    tab_to(page, lambda focused: focused["label"].startswith("E-mail"))
    page.keyboard.type("camille@exemple.fr")
    tab_to(page, lambda focused: focused["label"].startswith("Mot de passe"))
    page.keyboard.type(DEFAULT_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"^[^?]*/agenda/sessions/{session.pk}/inscription/$"))

    tab_to(page, lambda focused: focused["text"].startswith("Confirmer mon inscription"))
    page.keyboard.press("Space")
    heading = page.get_by_role("heading", name="Inscription confirmée", level=1)
    expect(heading).to_be_visible()
    assert Registration.objects.get(session=session).status == Registration.Status.CONFIRMED
