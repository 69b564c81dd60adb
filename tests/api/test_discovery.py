import json
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from numeritheque.models import Item
from portal.demo import load_site
from tests.factories.numeritheque import ItemFactory

pytestmark = pytest.mark.django_db


def test_sitemap_lists_pages_and_relay_pages(client, settings):
    content = client.get("/sitemap.xml").content.decode()
    assert "<urlset" in content
    for path in ("/relayer/", "/donnees-ouvertes/", "/api/v1/docs"):
        assert f"{settings.SITE_URL}{path}</loc>" in content
    assert re.search(r"<loc>http://[^<]+/</loc>", content)  # Wagtail's home page


def test_sitemap_lists_places_and_equipment(client, django_assert_max_num_queries, settings):
    item = ItemFactory(slug="casque-vr")
    ItemFactory(slug="vieux-casque", state=Item.State.RETIRED)
    content = client.get("/sitemap.xml").content.decode()
    assert f"{settings.SITE_URL}/annuaire/{item.home_place.pk}/</loc>" in content
    assert f"{settings.SITE_URL}/numeritheque/materiel/casque-vr/</loc>" in content
    assert "vieux-casque" not in content
    with CaptureQueriesContext(connection) as few:
        client.get("/sitemap.xml")
    ItemFactory.create_batch(20)
    with django_assert_max_num_queries(len(few)):
        assert client.get("/sitemap.xml").content.decode().count("/numeritheque/materiel/") == 21


def test_home_page_has_organization_and_website_json_ld(client):
    response = client.get("/")
    html = response.content.decode()
    match = re.search(
        r'<script type="application/ld\+json" nonce="([^"]+)">(.*?)</script>', html, re.S
    )
    assert match, "JSON-LD absent"
    nonce, payload = match.groups()
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    types = {item["@type"] for item in json.loads(payload)["@graph"]}
    assert types == {"Organization", "WebSite"}


def test_open_graph_description(client):
    html = client.get("/donnees-ouvertes/").content.decode()
    assert '<meta property="og:description" content="L\'agenda et l\'annuaire' in html


def test_open_data_json_ld_carries_the_csp_nonce(client):
    response = client.get("/donnees-ouvertes/")
    nonce = re.search(r'application/ld\+json" nonce="([^"]+)"', response.content.decode())[1]
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]


def test_demo_footer_leads_to_relay_open_data_and_api(client):
    load_site()
    html = client.get("/").content.decode()
    footer = html[html.index('<footer class="site-footer"') :]
    assert '<a href="/relayer/">Relayer l&#x27;agenda</a>' in footer
    assert '<a href="/donnees-ouvertes/">Données ouvertes</a>' in footer
    assert '<a href="/api/v1/docs">API ouverte</a>' in footer
    for path in ("/relayer/", "/donnees-ouvertes/", "/api/v1/docs"):
        assert client.get(path).status_code == 200
