"""Readable when zoomed, in real Chromium (WCAG 1.4.4 resize text, 1.4.10 reflow): every public
page type and a mediator's pages, derived as the phone walk derives them, at three zooms of a
1280 × 720 screen. None scrolls sideways and none cuts text off in a box that hides its
overflow.

- page zoom 200 %: 640 × 360 CSS px at a device scale factor of 2 (what Ctrl + shows);
- reflow at 400 %: 320 × 180 CSS px at a factor of 4 (the width 1.4.10 names);
- text only at 200 %: the root font size doubled at 1280 px (the browser's font setting)."""

import io

from django.core.management import call_command
from django.test import Client

import pytest

from accounts.models import User
from portal.demo import MEDIATOR_EMAIL
from tests.browser import OVERFLOW
from tests.page_types import PageTypes, public_page_urls, signed_in_page_urls

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ZOOMS = {
    "zoom 200 %": {"viewport": {"width": 640, "height": 360}, "device_scale_factor": 2},
    "reflow 400 %": {"viewport": {"width": 320, "height": 180}, "device_scale_factor": 4},
    "texte 200 %": {"viewport": {"width": 1280, "height": 720}, "text_zoom": "200%"},
}

# Text cut off by a box that hides what overflows it (overflow hidden or clip), outside the
# visually hidden helpers and the map, whose tiles overflow by design.
CLIPPED = """() => {
    const describe = (element) => element.tagName.toLowerCase()
        + (element.id ? "#" + element.id : "")
        + (typeof element.className === "string" && element.className
            ? "." + element.className.trim().split(/\\s+/).join(".") : "");
    return [...document.querySelectorAll("body *")]
        .filter((element) => element.getClientRects().length
            && !element.closest(".visually-hidden, .leaflet-container, #wagtail-userbar")
            && element.innerText && element.innerText.trim())
        .filter((element) => {
            const style = getComputedStyle(element);
            const hides = (value) => value === "hidden" || value === "clip";
            return (hides(style.overflowX) && element.scrollWidth > element.clientWidth + 1)
                || (hides(style.overflowY) && element.scrollHeight > element.clientHeight + 1);
        })
        .map(describe)
        .slice(0, 4);
}"""


@pytest.fixture
def hub(settings):
    settings.MAILLAGE_MAP_TILE_URL = "/static/tuiles/{z}/{x}/{y}.png"
    call_command("load_demo", stdout=io.StringIO())


def zoom_problems(browser, live_server, urls, session_cookie=None) -> dict:
    """Per zoom and URL, what scrolls sideways and what is cut off."""
    problems = {}
    for name, zoom in ZOOMS.items():
        options = {key: value for key, value in zoom.items() if key != "text_zoom"}
        context = browser.new_context(
            locale="fr-FR", timezone_id="Europe/Paris", base_url=live_server.url, **options
        )
        context.set_default_timeout(30_000)
        if session_cookie:
            context.add_cookies(
                [{"name": "sessionid", "value": session_cookie, "url": live_server.url}]
            )
        page = context.new_page()
        for url in urls:
            response = page.goto(url)
            assert response.status < 400, url
            if zoom.get("text_zoom"):
                page.add_style_tag(content=f"html {{ font-size: {zoom['text_zoom']} }}")
            found = {"overflow": page.evaluate(OVERFLOW), "clipped": page.evaluate(CLIPPED)}
            if any(found.values()):
                problems[f"{name} {url}"] = found
        context.close()
    return problems


def test_pages_reflow_at_200_and_400_percent_without_loss(browser, live_server, hub):
    types = PageTypes()
    seen = set()
    public = public_page_urls(Client(), types, seen)
    assert len(public) > 20, public
    problems = zoom_problems(browser, live_server, public)
    client = Client()
    client.force_login(User.objects.get(email=MEDIATOR_EMAIL))
    mine = signed_in_page_urls(client, types, set(seen))
    assert "/mon-espace/" in mine
    problems |= zoom_problems(browser, live_server, mine, client.cookies["sessionid"].value)
    assert problems == {}


def test_text_cut_off_by_a_zoom_is_caught(browser):
    """The measure itself: a fixed-width box that hides the text it can no longer hold."""
    context = browser.new_context(viewport={"width": 320, "height": 180}, device_scale_factor=4)
    page = context.new_page()
    page.set_content(
        '<body style="margin:0"><p id="cut" style="width:200px;height:1.2em;overflow:hidden">'
        "Une phrase trop longue pour tenir dans sa boîte une fois agrandie</p></body>"
    )
    clipped = page.evaluate(CLIPPED)
    context.close()
    assert clipped == ["p#cut"]
