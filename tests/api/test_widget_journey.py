"""The widget on a partner's page of ANOTHER origin, in real Chromium: the iframe and the
script tag both show the agenda and link back to the session pages."""

import http.server
import threading

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PARTNER_PAGE = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mairie de Saint-Exemple</title></head>
<body><main><h1>Mairie de Saint-Exemple</h1>
<iframe id="cadre" src="{site}/widget/agenda/?type=conference" title="Agenda" width="100%"
 height="300" style="border:0"></iframe>
<div id="script-agenda" data-maillage-agenda data-nombre="5" data-presentation="liste"></div>
<script src="{site}/static/api/widget.js" async></script>
</main></body></html>"""


def _serve(html: bytes):
    """Serve one page from a second HTTP server on another loopback port (another origin than
    the portal's), until the test ends."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def partner_site(live_server):
    """A second HTTP server on another loopback port: another origin than the portal's."""
    yield from _serve(PARTNER_PAGE.format(site=live_server.url).encode())


FOCUSED = """() => {
  let node = document.activeElement;
  while (node && node.shadowRoot && node.shadowRoot.activeElement) {
    node = node.shadowRoot.activeElement;
  }
  return node ? node.textContent : "";
}"""


def focused_text(page) -> str:
    return page.evaluate(FOCUSED)


def test_widget_renders_on_another_origin(page, live_server, partner_site, seeded):
    assert partner_site.split(":")[2] != live_server.url.split(":")[2]
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(partner_site)
    in_person, online = seeded["in_person"], seeded["online"]

    frame = page.frame_locator("#cadre")
    link = frame.get_by_role("link", name=in_person.display_title)
    link.wait_for()
    assert link.get_attribute("href") == f"{live_server.url}/agenda/sessions/{in_person.pk}/"
    assert frame.get_by_role("link", name=online.display_title).count() == 0  # a webinar

    widget = page.locator("#script-agenda")
    items = widget.get_by_role("listitem")
    items.first.wait_for()
    assert items.count() == 2
    script_link = widget.get_by_role("link", name=in_person.display_title)
    assert script_link.get_attribute("href") == (
        f"{live_server.url}/agenda/sessions/{in_person.pk}/"
    )
    assert widget.get_by_role("heading", name="Agenda de la médiation numérique").is_visible()

    # Keyboard: the sessions are reachable with Tab, in order (inside the element's shadow root).
    widget.get_by_role("link").first.focus()
    assert focused_text(page).startswith(online.display_title)
    page.keyboard.press("Tab")
    assert focused_text(page).startswith(in_person.display_title)
    # A phone-sized page does not scroll sideways because of the widget.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_widget_and_relay_page_are_accessible(page, seeded):
    for path in ("/widget/agenda/", "/relayer/", "/donnees-ouvertes/"):
        page.goto(path)
        results = Axe().run(page)
        serious = [
            violation
            for violation in results.response["violations"]
            if violation["impact"] in ("serious", "critical")
        ]
        assert not serious, (path, [violation["id"] for violation in serious])


def test_api_docs_render_offline_under_the_csp(page, db):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto("/api/v1/docs")
    page.get_by_text("Sessions de l'agenda").first.wait_for()
    assert not [error for error in errors if "Content Security Policy" in error]


ELEMENT_PAGE = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src {site}; frame-src {site};
 connect-src {site}; img-src 'self'; style-src 'self'">
<title>Communauté de communes d'Exemple</title></head>
<body><main><h1>Les ateliers numériques près de chez vous</h1>
<maillage-agenda id="element" departement="35" types="conference,training" nombre="3"
 couleur="#7c2d12" fond="#fffbeb">
 <iframe src="{site}/widget/agenda/?departement=35" title="Agenda" width="100%"
  height="300" loading="lazy"></iframe>
</maillage-agenda>
<script src="{site}/static/api/widget.js" async></script>
</main></body></html>"""


@pytest.fixture
def element_site(live_server):
    """A partner page on another origin, with a strict CSP of its own, using the element."""
    yield from _serve(ELEMENT_PAGE.format(site=live_server.url).encode())


def test_web_component_on_another_origin_is_accessible_cookieless_and_self_contained(
    page, live_server, element_site, seeded
):
    requests, errors = [], []
    page.on("request", lambda request: requests.append(request))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(element_site)
    in_person, online = seeded["in_person"], seeded["online"]
    element = page.locator("#element")
    link = element.get_by_role("link", name=in_person.display_title)
    link.wait_for()
    assert link.get_attribute("href") == f"{live_server.url}/agenda/sessions/{in_person.pk}/"
    assert element.get_by_role("link", name=online.display_title).count() == 0  # a webinar
    assert element.locator("iframe").count() == 0  # the fallback is not loaded as well
    # The partner's colours reach inside the shadow root.
    colour = link.evaluate("node => getComputedStyle(node).color")
    assert colour == "rgb(124, 45, 18)"
    # No request but to the two origins; none carries a cookie; the API sets none.
    page_origin, site_origin = element_site.rstrip("/"), live_server.url
    assert all(request.url.startswith((page_origin, site_origin)) for request in requests), [
        request.url for request in requests
    ]
    api_calls = [request for request in requests if "/api/v1/sessions" in request.url]
    assert api_calls and all("cookie" not in request.headers for request in api_calls)
    assert all("set-cookie" not in call.response().headers for call in api_calls)
    assert page.context.cookies() == []
    assert not [error for error in errors if "Content Security Policy" in error]
    # Keyboard and screen reader: a heading, a list, links reached with Tab.
    assert element.get_by_role("heading", name="Agenda de la médiation numérique").is_visible()
    page.keyboard.press("Tab")
    assert focused_text(page).startswith(in_person.display_title)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # axe-core on the partner's page, the shadow root included.
    results = Axe().run(page)
    serious = [
        violation
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert not serious, [violation["id"] for violation in serious]


def test_without_javascript_the_iframe_inside_the_element_shows_the_agenda(
    browser, live_server, element_site, seeded
):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    try:
        page = context.new_page()
        page.goto(element_site)
        frame = page.frame_locator("#element iframe")
        frame.get_by_role("link", name=seeded["in_person"].display_title).wait_for()
    finally:
        context.close()


def test_the_configurator_writes_the_snippet_as_the_form_changes(page, seeded):
    page.goto("/relayer/")
    page.locator("#id_departement").fill("35")
    page.get_by_label("Couleur des liens").fill("#7c2d12")
    snippet = page.locator("#code-element")
    page.wait_for_function(
        "() => document.querySelector('#code-element').value.includes('couleur=\"#7c2d12\"')"
    )
    text = snippet.input_value()
    assert '<maillage-agenda departement="35"' in text and "<iframe src=" in text
    assert "departement=35" in text  # the fallback follows too
    assert page.locator("#relay-preview-element").get_attribute("couleur") == "#7c2d12"
