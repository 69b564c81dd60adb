"""The widget, the "Relayer cet agenda" page and the open data downloads."""

import csv
import datetime
import io
import json

import pytest

from api.standard import STANDARD_COLUMNS
from tests.factories.directory import PlaceFactory
from tests.factories.events import SessionFactory

from .conftest import SECRETS

pytestmark = pytest.mark.django_db


def test_widget_lists_sessions_linking_back(client, seeded):
    response = client.get("/widget/agenda/", {"type": "conference"})
    assert response.status_code == 200
    html = response.content.decode()
    session = seeded["in_person"]
    assert f'href="http://testserver/agenda/sessions/{session.pk}/"' in html
    assert session.display_title in html
    assert seeded["online"].display_title not in html  # a webinar, filtered out
    assert '<ul class="maillage-agenda__list">' in html


def test_widget_may_be_framed_by_any_site_and_only_it(client, seeded):
    response = client.get("/widget/agenda/")
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert not response.has_header("X-Frame-Options")
    relay = client.get("/relayer/")
    assert "frame-ancestors 'none'" in relay["Content-Security-Policy"]
    assert relay["X-Frame-Options"] == "DENY"


def test_widget_ignores_bad_parameters(client, seeded):
    response = client.get("/widget/agenda/", {"nombre": "9999", "departement": "x", "type": "?"})
    assert response.status_code == 200
    assert response.content.decode().count('class="maillage-agenda__item"') == 2


def test_widget_options(client, seeded):
    html = client.get(
        "/widget/agenda/", {"nombre": 1, "apparence": "sombre", "presentation": "compact"}
    ).content.decode()
    assert html.count('class="maillage-agenda__item"') == 1
    assert "maillage-agenda--sombre" in html and "maillage-agenda--compact" in html


def test_the_iframe_fallback_wears_the_partners_colours_and_logo(client, seeded):
    """The iframe inside <maillage-agenda> is what a browser without JavaScript shows: it takes
    the same colours and logo as the element, and its policy lets only that logo's site in."""
    response = client.get(
        "/widget/agenda/",
        {"couleur": "#7a1f5c", "fond": "#fff8e7", "logo": "https://partenaire.example/logo.png"},
    )
    html = response.content.decode()
    assert 'style="--ma-link: #7a1f5c; --ma-bg: #fff8e7;"' in html
    assert '<img class="maillage-agenda__logo" src="https://partenaire.example/logo.png"' in html
    img_src = next(
        part for part in response["Content-Security-Policy"].split(";") if "img-src" in part
    )
    assert "https://partenaire.example" in img_src
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    plain = client.get("/widget/agenda/")
    assert "partenaire.example" not in plain["Content-Security-Policy"]
    assert "--ma-link" not in plain.content.decode()


def test_the_iframe_fallback_refuses_what_is_not_a_colour_or_a_web_address(client, seeded):
    response = client.get(
        "/widget/agenda/",
        {"couleur": "red;background:url(//x)", "fond": "#12", "logo": "javascript:alert(1)"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "--ma-link" not in html and "--ma-bg" not in html
    assert "maillage-agenda__logo" not in html and "javascript:" not in html


def test_relay_page_builds_the_snippets(client, seeded, theme):
    response = client.get(
        "/relayer/",
        {"type": "conference", "thematique": theme.slug, "departement": "35", "nombre": 3},
    )
    assert response.status_code == 200
    html = response.content.decode()
    query = f"type=conference&amp;thematique={theme.slug}&amp;departement=35&amp;nombre=3"
    assert f'src="http://testserver/widget/agenda/?{query}' in html
    assert "&lt;iframe src=&quot;" not in html
    assert '&lt;iframe src="http://testserver/widget/agenda/?' in html
    assert (
        '&lt;maillage-agenda types="conference" thematiques="inclusion-numerique" '
        'departement="35" nombre="3" presentation="liste">'
    ) in html
    assert "http://testserver/static/api/widget.js" in html


def test_relay_page_explains_bad_choices_in_french(client, db):
    response = client.get("/relayer/", {"departement": "abc", "nombre": "50"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "numéro de département, par exemple 35, 2A ou 974." in html
    assert "Certains critères sont invalides" in html


def test_open_data_page(client, seeded):
    response = client.get("/donnees-ouvertes/")
    html = response.content.decode()
    assert "Licence Ouverte 2.0" in html
    assert "Dernière mise à jour" in html and "<time datetime=" in html
    for url in ("/agenda/feed.ics", "/agenda/feed.rss", "/donnees-ouvertes/agenda.csv"):
        assert f'href="{url}"' in html
    assert '"@type": "DataCatalog"' in html


def test_agenda_downloads(client, seeded):
    rows = json.loads(client.get("/donnees-ouvertes/agenda.json").content)
    assert {row["id"] for row in rows} == {seeded["in_person"].pk, seeded["online"].pk}
    response = client.get("/donnees-ouvertes/agenda.csv")
    assert response["Content-Disposition"] == 'attachment; filename="agenda.csv"'
    agenda_csv = response.getvalue().decode()
    table = list(csv.DictReader(io.StringIO(agenda_csv)))
    assert {row["titre"] for row in table} == {
        seeded["in_person"].display_title,
        seeded["online"].display_title,
    }
    for download in (agenda_csv, json.dumps(rows, ensure_ascii=False)):
        for secret in SECRETS.values():
            assert secret not in download


def test_directory_downloads_in_the_national_standard(client, db):
    PlaceFactory(
        identifier="lieu-a",
        name="Tiers-lieu, « La Forge »",
        source_updated_on=datetime.date(2026, 2, 1),
    )
    response = client.get("/donnees-ouvertes/lieux.csv")
    reader = csv.DictReader(io.StringIO(response.getvalue().decode()))
    assert tuple(reader.fieldnames) == STANDARD_COLUMNS
    (row,) = list(reader)
    assert row["id"] == "lieu-a" and row["nom"] == "Tiers-lieu, « La Forge »"
    assert row["telephone"] == ""
    (place,) = json.loads(client.get("/donnees-ouvertes/lieux.json").content)
    assert place["nom"] == "Tiers-lieu, « La Forge »"
    assert place["date_maj"] == row["date_maj"] == "2026-02-01"


def test_downloads_keep_constant_queries(client, django_assert_max_num_queries, db):
    SessionFactory.create_batch(3)
    with django_assert_max_num_queries(12):
        client.get("/donnees-ouvertes/agenda.csv").getvalue()
    SessionFactory.create_batch(12)
    with django_assert_max_num_queries(12):
        assert len(json.loads(client.get("/donnees-ouvertes/agenda.json").content)) == 15
