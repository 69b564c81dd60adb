"""Phone first, in real Chromium at 360 px: every page type, public and signed in for each
role, fits the screen without horizontal scrolling, its controls are finger-sized (44 px) and
its checkboxes sit beside their labels.
The list of pages is derived (tests/page_types.py), so a new page type is walked too."""

import io

from django.core.management import call_command
from django.test import Client

import pytest

from accounts.models import User
from numeritheque.demo import STRUCTURE_MANAGER_EMAIL, TEAM_EMAIL
from portal.demo import MEDIATOR_EMAIL, STAFF_EMAIL
from territory.demo import PARTNER_EMAIL
from tests.browser import CHOICES_APART, OVERFLOW, PHONE
from tests.page_types import PageTypes, public_page_urls, signed_in_page_urls

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROLES = [MEDIATOR_EMAIL, STRUCTURE_MANAGER_EMAIL, TEAM_EMAIL, PARTNER_EMAIL, STAFF_EMAIL]

# Controls a finger must hit: shorter than 44 CSS px (WCAG 2.5.5), visible ones only. Links
# inside sentences and the map's own controls are not counted.
SMALL_TARGETS = """() => {
    const selector = "button, select, summary, textarea, input:not([type=hidden])"
        + ":not([type=checkbox]):not([type=radio]), .button, .site-header a, .pagination a";
    return [...document.querySelectorAll(selector)]
        .filter((element) => element.getClientRects().length && !element.closest(
            ".leaflet-container, .visually-hidden, #wagtail-userbar, wagtail-userbar"))
        .filter((element) => element.getBoundingClientRect().height < 43.5)
        .map((element) => element.tagName.toLowerCase() + " « "
            + (element.innerText || element.name || "").trim().slice(0, 40) + " »")
        .slice(0, 4);
}"""

OPEN_DETAILS = "() => document.querySelectorAll('details').forEach((d) => { d.open = true; })"


@pytest.fixture
def hub(settings):
    """The demo Hub: every page type with realistic content, for every role."""
    settings.MAILLAGE_MAP_TILE_URL = "/static/tuiles/{z}/{x}/{y}.png"
    call_command("load_demo", stdout=io.StringIO())


def phone_problems(browser, live_server, urls, session_cookie=None) -> dict:
    """Per URL, what overflows 360 px, which controls are smaller than a finger and which
    choices are apart from their labels (folded details opened)."""
    context = browser.new_context(
        viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris", base_url=live_server.url
    )
    context.set_default_timeout(30_000)
    if session_cookie:
        context.add_cookies(
            [{"name": "sessionid", "value": session_cookie, "url": live_server.url}]
        )
    page = context.new_page()
    problems = {}
    for url in urls:
        response = page.goto(url)
        assert response.status < 400, url
        overflow = page.evaluate(OVERFLOW)
        small = page.evaluate(SMALL_TARGETS)
        page.evaluate(OPEN_DETAILS)
        apart = page.evaluate(CHOICES_APART)
        if overflow or small or apart:
            problems[url] = {"overflow": overflow, "small_targets": small, "apart": apart}
    context.close()
    return problems


def test_every_page_type_fits_a_phone(browser, live_server, hub):
    types = PageTypes()
    public_seen = set()
    anonymous = Client()
    public = public_page_urls(anonymous, types, public_seen)
    assert len(public) > 20, public
    problems = phone_problems(browser, live_server, public)

    for email in ROLES:
        client = Client()
        client.force_login(User.objects.get(email=email))
        urls = signed_in_page_urls(client, types, set(public_seen))
        assert "/mon-espace/" in urls
        cookie = client.cookies["sessionid"].value
        problems |= {
            f"{email} {url}": found
            for url, found in phone_problems(browser, live_server, urls, cookie).items()
        }
    assert problems == {}


def test_an_overflowing_page_is_caught(browser, live_server):
    """The measure itself: a block wider than the phone is reported with its culprit."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_content('<body style="margin:0"><p id="large" style="width:500px">x</p></body>')
    overflow = page.evaluate(OVERFLOW)
    context.close()
    assert overflow["scrollWidth"] == 500
    assert "p#large" in overflow["culprits"]


def test_the_footer_consent_box_sits_beside_its_text(phone):
    """The footer's subscription form is on every page: its consent box on the first line of
    its five-line label, not alone above it (the flex line wrapped)."""
    phone.goto("/comptes/login/")
    assert phone.evaluate(CHOICES_APART) == []
    box = phone.locator("footer input[name=consent]").bounding_box()
    text = phone.locator("footer label[for=pied-lettre-consent]").bounding_box()
    assert box["x"] + box["width"] <= text["x"]
    assert text["height"] > 3 * box["height"]  # the long label wraps beside the box


def test_the_account_deletion_box_sits_beside_its_text(phone, live_server, user):
    """« Je comprends que mon compte… » is ticked on the line it reads, not under it."""
    client = Client()
    client.force_login(user)
    phone.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    phone.goto("/mon-espace/supprimer-mon-compte/")
    assert phone.locator("input[name=confirm]").is_visible()
    assert phone.evaluate(CHOICES_APART) == []


def test_a_choice_apart_from_its_label_is_caught(browser):
    """The measure itself: a box alone on its line above its label is reported."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_content(
        '<p style="display:flex;flex-wrap:wrap"><input type="checkbox" id="c" name="c">'
        '<label for="c">Une étiquette bien trop longue pour tenir sur la ligne de sa case, '
        "qui passe donc dessous</label></p>"
    )
    apart = page.evaluate(CHOICES_APART)
    context.close()
    assert len(apart) == 1 and apart[0].startswith("c « Une étiquette bien trop longue")


def test_a_new_page_type_that_overflows_fails_the_walk(browser, live_server, settings):
    """A page type that did not exist when the test was written reaches the walk through the
    sitemap, and its overflow is reported: the list is derived, never only today's pages."""
    settings.ROOT_URLCONF = "tests.portal.wide_page_urls"
    urls = public_page_urls(Client(), PageTypes(), set())
    assert "/nouvelle-page/" in urls
    problems = phone_problems(browser, live_server, urls)
    assert set(problems) == {"/nouvelle-page/"}, problems
    assert problems["/nouvelle-page/"]["overflow"]["scrollWidth"] > PHONE["width"]
