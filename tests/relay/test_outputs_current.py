"""Every output follows a change made by another process (DESIGN §4 « outputs »): the public and
private .ics, RSS, JSON-LD, the API, the widget and the sitemap are read (caches warm, the
page cache on), another Python process renames and cancels the session, and every output is
read again. With the data version in the database (no Redis) and in a shared Redis."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from django.core.cache import cache
from django.db import connection

import icalendar
import pytest

from events import services as event_services
from events.models import Session
from events.public_feed import public_feed_build
from tests.factories.accounts import UserFactory
from tests.factories.events import SessionFactory

ROOT = Path(__file__).resolve().parents[2]
NEW_TITLE = "Atelier déplacé par un autre processus"
REASON = "Intervenante malade"
ADDED = "Nouvelle date ajoutée ailleurs"


def read_outputs(client, session, user) -> dict:
    """Each output's text, as a partner, a calendar app or a search engine reads it."""
    public_feed_build()
    page = client.get(session.get_absolute_url()).content.decode()
    json_ld = json.loads(
        re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', page, re.S)[1]
    )
    return {
        "public_ics": client.get("/agenda/feed.ics").getvalue().decode(),
        "private_ics": client.get(f"/agenda/calendrier/{user.calendar_token}.ics").content.decode(),
        "rss": client.get("/agenda/feed.rss").content.decode(),
        "json_ld": json_ld,
        "api": client.get(f"/api/v1/sessions/{session.pk}").json(),
        "widget": client.get("/widget/agenda/").content.decode(),
        "sitemap": client.get("/sitemap.xml").content.decode(),
    }


def vevent(content: str, session) -> icalendar.Event:
    calendar = icalendar.Calendar.from_ical(content)
    return next(event for event in calendar.walk("VEVENT") if event["UID"] == session.ical_uid)


@pytest.mark.xdist_group("relay-redis")  # the worker test uses the same Redis database
@pytest.mark.django_db(transaction=True)  # the marker: conftest adds the serialized rollback
@pytest.mark.parametrize("shared_state", ["database", "redis"])
def test_a_change_in_another_process_reaches_every_output(
    shared_state, postgres_only, settings, tmp_path, client
):
    redis_url = os.environ.get("REDIS_TEST_URL", "")
    if shared_state == "redis":
        if not redis_url:
            pytest.skip("REDIS_TEST_URL n'est pas défini.")
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": redis_url,
            }
        }
        cache.clear()
    settings.MAILLAGE_DATA_VERSION_IN_CACHE = shared_state == "redis"
    settings.MAILLAGE_PAGE_CACHE_SECONDS = 60
    settings.MEDIA_ROOT = tmp_path / "media"
    session = SessionFactory(capacity=10)
    user = UserFactory()
    event_services.registration_create(session=session, user=user)
    before = read_outputs(client, session, user)
    assert before["json_ld"]["offers"]["availability"] == "https://schema.org/InStock"
    read_outputs(client, session, user)  # a second time: every cache holds the old answers

    db = connection.settings_dict
    environment = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:"
        f"{db['PORT'] or 5432}/{db['NAME']}",
        "OTHER_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "OTHER_REDIS_URL": redis_url if shared_state == "redis" else "",
    }
    subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.relay.other_process",
            str(session.pk),
            NEW_TITLE,
            REASON,
            ADDED,
        ],
        cwd=ROOT,
        env=environment,
        check=True,
        timeout=300,
    )
    session.refresh_from_db()
    assert session.is_cancelled and session.sequence == 2

    after = read_outputs(client, session, user)
    for name in ("public_ics", "private_ics"):
        event = vevent(after[name], session)
        assert event["STATUS"] == "CANCELLED", name
        assert event["SEQUENCE"] == 2, name
        assert NEW_TITLE in str(event["SUMMARY"]), name
    assert "Annulée — " in after["rss"] and NEW_TITLE in after["rss"]
    assert "<ev:status>cancelled</ev:status>" in after["rss"]
    assert after["json_ld"]["eventStatus"] == "https://schema.org/EventCancelled"
    assert "offers" not in after["json_ld"]
    assert NEW_TITLE in after["json_ld"]["name"]
    assert after["api"]["statut"] == "cancelled" and NEW_TITLE in after["api"]["titre"]
    assert NEW_TITLE in after["widget"] and "Annulée" in after["widget"]
    added = Session.objects.get(title=ADDED)
    assert f"/agenda/sessions/{added.pk}/" in after["sitemap"]
    assert f"/agenda/sessions/{added.pk}/" not in before["sitemap"]
    summaries = [
        str(event["SUMMARY"])
        for event in icalendar.Calendar.from_ical(after["public_ics"]).walk("VEVENT")
    ]
    assert any(ADDED in summary for summary in summaries)
    assert ADDED in after["widget"] and ADDED in after["rss"]


@pytest.mark.django_db
def test_rss_and_json_ld_of_a_cancelled_session_say_so_and_offer_nothing(client):
    session = SessionFactory(title="Atelier tablette")
    event_services.session_cancel(session=session, reason="Salle inondée")
    page = client.get(session.get_absolute_url()).content.decode()
    json_ld = json.loads(
        re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', page, re.S)[1]
    )
    assert json_ld["eventStatus"] == "https://schema.org/EventCancelled"
    assert "offers" not in json_ld
    rss = client.get("/agenda/feed.rss").content.decode()
    assert "<title>Annulée — " in rss and "Annulée. Salle inondée" in rss
    assert "<ev:status>cancelled</ev:status>" in rss
    assert f"<ev:startdate>{session.start.isoformat()}</ev:startdate>" in rss
    assert 'xmlns:ev="http://purl.org/rss/1.0/modules/event/"' in rss


@pytest.mark.django_db
def test_our_rss_can_be_relayed_by_another_maillage(client):
    """The event module in our RSS is what relay's RSS parser reads."""
    from relay.parsers import parse_rss

    session = SessionFactory(title="Café numérique")
    parsed = parse_rss(client.get("/agenda/feed.rss").content)
    [occurrence] = parsed.occurrences
    assert occurrence.start == session.start and occurrence.end == session.end
    assert "Café numérique" in occurrence.title
    assert session.venue.commune in occurrence.location
