from wagtail.models import Page, Site

import pytest

from portal.models import ContentPage, HomePage

pytestmark = pytest.mark.django_db


def test_home_page_is_french_and_accessible_shell(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert 'class="skip-link" href="#contenu"' in html
    assert '<main id="contenu"' in html
    assert 'aria-label="Menu principal"' in html
    assert "Se connecter" in html


def test_fresh_install_has_a_home_page_as_site_root():
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)


def test_content_page_renders_its_body(client):
    home = HomePage.objects.get()
    page = ContentPage(
        title="Qui sommes-nous ?",
        slug="qui-sommes-nous",
        intro="Le Hub en bref.",
        body=[("heading", {"text": "Nos missions", "level": "h2"})],
    )
    home.add_child(instance=page)
    response = client.get(page.url)
    assert response.status_code == 200
    assert "<h2>Nos missions</h2>" in response.content.decode()


def test_unknown_page_gives_french_404(client):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_search_finds_pages_in_french(client):
    home = HomePage.objects.get()
    home.add_child(
        instance=ContentPage(
            title="Formations à l'accompagnement",
            slug="formations-info",
            intro="Accompagner les démarches administratives",
        )
    )
    response = client.get("/recherche/", {"q": "Formations"})
    assert response.status_code == 200
    assert "Formations à l&#x27;accompagnement" in response.content.decode()


def test_robots_and_sitemap(client):
    assert b"Disallow: /admin/" in client.get("/robots.txt").content
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert b"<urlset" in response.content


def test_security_headers(client):
    response = client.get("/")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert (
        "unsafe-inline"
        not in response.headers["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_only_one_home_page_allowed():
    assert HomePage.max_count == 1
    assert Page.objects.type(HomePage).count() == 1


def test_footer_shows_social_links():
    from wagtail.models import Site

    from portal.models import SiteSettings

    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.social_links = [
        ("link", {"label": "Mastodon", "page": None, "url": "https://mastodon.social/@hub"})
    ]
    site_settings.save()
    from django.test import Client

    html = Client().get("/").content.decode()
    assert 'href="https://mastodon.social/@hub"' in html
    assert "Nous suivre" in html


def test_home_page_shows_the_next_dates_and_entry_points(client):
    import datetime

    from django.utils import timezone

    from events.models import AgendaIndexPage, ConferencePage
    from events.services import session_create
    from tests.factories.directory import PlaceFactory

    agenda = HomePage.objects.get().add_child(
        instance=AgendaIndexPage(title="Agenda", slug="agenda")
    )
    page = agenda.add_child(instance=ConferencePage(title="Rencontre régionale", slug="rencontre"))
    start = timezone.now() + datetime.timedelta(days=5)
    session_create(
        page=page, start=start, end=start + datetime.timedelta(hours=2), venue=PlaceFactory()
    )
    html = client.get("/").content.decode()
    assert "Prochaines dates" in html
    assert "Rencontre régionale" in html
    assert "Orienter une personne" in html
