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


@pytest.fixture
def partner_site(live_server):
    """A second HTTP server on another loopback port: another origin than the portal's."""
    html = PARTNER_PAGE.format(site=live_server.url).encode()

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

    # Keyboard: the sessions are reachable with Tab, in order.
    widget.get_by_role("link").first.focus()
    assert page.evaluate("document.activeElement.textContent").startswith(online.display_title)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").startswith(in_person.display_title)
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
