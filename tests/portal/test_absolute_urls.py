"""One absolute URL for every link we emit (issue 17 §9): the sitemap, the RSS feeds, the
.ics, the JSON-LD, robots.txt, the page's og:url and the emails all start with the configured
SITE_URL, whatever host the request came through (here 127.0.0.1:8000, as behind a proxy)."""

import re

from django.core import mail

import pytest

from events import services
from tests.factories.accounts import UserFactory
from tests.factories.events import SessionFactory, agenda_index, conference_page
from tests.factories.trainings import training_index

pytestmark = pytest.mark.django_db

SITE_URL = "https://hub.exemple.fr"
OTHER_HOSTS = re.compile(r"https?://(testserver|localhost|127\.0\.0\.1)[^\s\"'<]*")
OUR_LINKS = re.compile(r"https?://hub\.exemple\.fr[^\s\"'<]*")


@pytest.fixture
def session(settings):
    settings.SITE_URL = SITE_URL
    agenda_index()
    training_index()
    return SessionFactory(page=conference_page(title="Rencontre régionale"))


def emitted(client, path: str) -> str:
    return client.get(path, headers={"host": "127.0.0.1:8000"}).content.decode()


@pytest.mark.parametrize(
    "path",
    ["/sitemap.xml", "/agenda/feed.rss", "/robots.txt", "/formation/flux.rss"],
)
def test_feeds_and_sitemap_link_to_the_site_url(client, session, path):
    output = emitted(client, path)
    assert OTHER_HOSTS.findall(output) == []
    assert OUR_LINKS.search(output)


def test_the_sitemap_uses_one_host(client, session):
    locations = re.findall(r"<loc>([^<]+)</loc>", emitted(client, "/sitemap.xml"))
    assert locations
    assert all(location.startswith(f"{SITE_URL}/") for location in locations)


def test_the_session_page_json_ld_and_og_url(client, session):
    html = emitted(client, f"/agenda/sessions/{session.pk}/")
    assert OTHER_HOSTS.findall(html) == []
    assert f'"url": "{SITE_URL}/agenda/sessions/{session.pk}/"' in html
    assert f'<meta property="og:url" content="{SITE_URL}/agenda/sessions/{session.pk}/">' in html
    ics = emitted(client, f"/agenda/sessions/{session.pk}.ics")
    assert OTHER_HOSTS.findall(ics) == []
    assert f"URL:{SITE_URL}/agenda/sessions/{session.pk}/" in ics


def test_emails_link_to_the_site_url(client, session, django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_create(session=session, user=user)
    (message,) = mail.outbox
    raw = message.message().as_bytes().decode()
    assert OTHER_HOSTS.findall(raw) == []
    assert OUR_LINKS.search(message.body)
