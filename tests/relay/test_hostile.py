"""Hostile feeds and addresses: each one is refused with a French reason in the source's report,
nothing of it is imported, and no request reaches a private address."""

import io
import socket
from unittest import mock

from django.core.management import call_command

import pytest

from events.models import Session
from relay import fetch as relay_fetch
from relay import parsers
from relay.models import RelayedEvent, RelaySource
from relay.services import source_create, source_fetch
from tests.factories.events import agenda_index

from .conftest import feed

pytestmark = pytest.mark.django_db

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<rss version="2.0"><channel><title>&lol9;</title></channel></rss>"""


@pytest.fixture(autouse=True)
def _agenda(db):
    agenda_index()


def source_for(url: str, kind: str = "ics") -> RelaySource:
    return source_create(url=url, kind=kind, publish_directly=True)


def test_billion_laughs_rss_is_refused_whole(feed_server):
    feed_server.serve("/bomb.rss", BILLION_LAUGHS)
    source = source_for(feed_server.url("/bomb.rss"), "rss")
    report = source_fetch(source=source)
    assert report.status == RelaySource.Status.ERROR
    assert "XML invalide ou dangereux" in report.error
    assert not RelayedEvent.objects.exists()


def test_a_100000_event_calendar_is_refused_whole(feed_server, settings, in_january_2027):
    settings.MAILLAGE_RELAY_MAX_BYTES = 50 * 1024 * 1024
    event = (
        b"BEGIN:VEVENT\r\nUID:e%d\r\nDTSTART:20270301T100000Z\r\nDTEND:20270301T110000Z\r\n"
        b"SUMMARY:Atelier\r\nEND:VEVENT\r\n"
    )
    body = b"".join(
        [b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n"]
        + [event % number for number in range(100_000)]
        + [b"END:VCALENDAR\r\n"]
    )
    feed_server.serve("/huge.ics", body)
    source = source_for(feed_server.url("/huge.ics"))
    report = source_fetch(source=source)
    assert report.status == RelaySource.Status.ERROR
    assert "plus de 2000 événements" in report.error
    assert not Session.objects.exists()


def test_a_recurrence_every_minute_stops_at_the_limit_not_the_machine(in_january_2027):
    calendar = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:minute\r\n"
        b"DTSTART:20270301T100000Z\r\nRRULE:FREQ=MINUTELY\r\nSUMMARY:Encore\r\nEND:VEVENT\r\n"
        b"END:VCALENDAR\r\n"
    )
    with pytest.raises(parsers.ParseError) as refused:
        parsers.parse_ics(calendar)
    assert refused.value.code == "too_many_events"


def test_a_file_over_the_size_limit_is_not_read(feed_server, settings, in_january_2027):
    settings.MAILLAGE_RELAY_MAX_BYTES = 1024 * 1024
    feed_server.serve("/big.ics", b"BEGIN:VCALENDAR\r\n" + b"X" * (2 * 1024 * 1024))
    report = source_fetch(source=source_for(feed_server.url("/big.ics")))
    assert "dépasse 1 Mo" in report.error


def test_invalid_dates_refuse_that_event_only(feed_server, in_january_2027):
    broken = feed("mobilizon_group_export.ics").replace(
        b"DTSTART:20270126T090000Z", b"DTSTART:20271345T990000Z"
    )
    feed_server.serve("/agenda.ics", broken)
    source = source_for(feed_server.url("/agenda.ics"))
    report = source_fetch(source=source)
    assert report.refused == [{"event": "Permanence démarches en ligne", "reason": "date invalide"}]
    assert Session.objects.filter(relayed_from=source.name).count() == 1


def test_not_a_calendar_is_reported(feed_server):
    feed_server.serve("/page.html", b"<html><body>Pas un agenda</body></html>")
    report = source_fetch(source=source_for(feed_server.url("/page.html")))
    assert report.status == RelaySource.Status.ERROR
    assert "iCalendar" in report.error


def test_scripts_and_javascript_links_in_descriptions_are_removed():
    html = parsers.description_html(
        '<p onclick="x()">Bonjour<script>alert(1)</script> <a href="javascript:alert(1)">a</a>'
        ' <a href="https://exemple.fr">b</a><img src=x onerror=alert(1)><style>p{}</style></p>'
    )
    assert html == (
        '<p>Bonjour <a rel="nofollow noopener noreferrer">a</a> '
        '<a href="https://exemple.fr" rel="nofollow noopener noreferrer">b</a></p>'
    )
    assert parsers.web_url("javascript:alert(1)") == ""
    assert parsers.web_url(" JAVASCRIPT:alert(1)") == ""
    assert parsers.web_url("https://exemple.fr/inscription") == "https://exemple.fr/inscription"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/agenda.ics",
        "http://localhost:9/agenda.ics",
        "http://[::1]:9/agenda.ics",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/agenda.ics",
        "http://192.168.1.1/agenda.ics",
        "http://0.0.0.0/agenda.ics",
    ],
)
def test_private_addresses_are_refused_before_any_connection(url):
    with (
        mock.patch.object(socket.socket, "connect", side_effect=AssertionError("connexion")),
        pytest.raises(relay_fetch.FetchError) as refused,
    ):
        relay_fetch.fetch(url)
    assert refused.value.code == "private_address"
    assert "réseau privé" in refused.value.message


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://exemple.fr/a.ics", "gopher://x/"])
def test_only_http_and_https(url):
    with pytest.raises(relay_fetch.FetchError) as refused:
        relay_fetch.fetch(url)
    assert refused.value.code == "scheme"


def test_a_redirect_to_a_private_address_is_refused(feed_server):
    feed_server.serve(
        "/agenda.ics", status=302, headers={"Location": "http://169.254.169.254/latest/"}
    )
    report = source_fetch(source=source_for(feed_server.url("/agenda.ics")))
    assert report.status == RelaySource.Status.ERROR
    assert "169.254.169.254" in report.error and "réseau privé" in report.error


def test_a_name_resolving_to_a_private_address_after_the_check_is_caught_at_connect(
    feed_server, settings
):
    """DNS rebinding: the name looked public when checked, the connection reached loopback."""
    settings.MAILLAGE_RELAY_ALLOWED_HOSTS = []
    feed_server.serve("/agenda.ics", feed("mobilizon_group_export.ics"))
    with (
        mock.patch.object(relay_fetch, "check_url", return_value=("127.0.0.1", 80)),
        pytest.raises(relay_fetch.FetchError) as refused,
    ):
        relay_fetch.fetch(feed_server.url("/agenda.ics"))
    assert refused.value.code == "private_address"
    assert not feed_server.routes["/agenda.ics"].requests


def test_redirect_loops_and_chains_are_cut(feed_server):
    feed_server.serve("/a", status=302, headers={"Location": "/b"})
    feed_server.serve("/b", status=302, headers={"Location": "/a"})
    report = source_fetch(source=source_for(feed_server.url("/a")))
    assert "redirige en boucle" in report.error
    for hop in range(8):
        feed_server.serve(f"/hop{hop}", status=301, headers={"Location": f"/hop{hop + 1}"})
    report = source_fetch(source=source_for(feed_server.url("/hop0")))
    assert "plus de 5 fois" in report.error


def test_a_redirect_within_the_rules_is_followed(feed_server, in_january_2027):
    feed_server.serve("/old.ics", status=301, headers={"Location": "/new.ics"})
    feed_server.serve("/new.ics", feed("mobilizon_group_export.ics"))
    report = source_fetch(source=source_for(feed_server.url("/old.ics")))
    assert len(report.created) == 2


def test_a_tls_error_is_reported(feed_server):
    """https spoken to a plain http server: the handshake fails."""
    feed_server.serve("/agenda.ics", b"")
    report = source_fetch(source=source_for(f"https://127.0.0.1:{feed_server.port}/agenda.ics"))
    assert report.status == RelaySource.Status.ERROR
    assert "TLS" in report.error or "Connexion impossible" in report.error


def test_a_bad_kind_or_scheme_is_refused_by_the_command():
    with pytest.raises(Exception, match="Seules les adresses http et https"):
        call_command(
            "relay_source_add", "javascript:alert(1)", "--kind", "ics", stdout=io.StringIO()
        )
    assert not RelaySource.objects.exists()
