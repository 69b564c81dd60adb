"""The public agenda as iCalendar, built off-request.

Building the whole feed took seconds (and, at ten times the Hub, a minute and gigabytes): on a
request it could outlive gunicorn's timeout and take every web worker down. So a Celery task
writes it, one build at a time, into files (the whole agenda, and one per kind of session, in
one pass over the rows); each file is replaced atomically, so the previous version is served
while the next one is written. Each session's VEVENT is kept, written, with the fingerprint of
what it was written from (`FeedEvent`): a build rewrites the events whose session, page, venue
or commune changed and concatenates the others, so that ten times the Hub stays a matter of
seconds. Requests only send a file, or, filtered by theme or
département, stream the few matching sessions. Before the first build, the view answers 503
with Retry-After: an empty calendar would make subscribed calendar apps delete every event."""

import contextlib
import fcntl
import hashlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import ical_writer as w
from .ical import PRODID
from .models import FeedEvent, Session
from .selectors import feed_events_upcoming, session_rows_feed_stale, session_rows_upcoming

PLACEHOLDER = 987654321
# Raise it when EventWriter writes differently: every stored event is written again.
WRITER_VERSION = 1
REFRESH_CHUNK = 2000


def feeds_dir() -> Path:
    """Shared by web processes and workers (the media volume in docker/compose.yml)."""
    return Path(settings.MEDIA_ROOT) / "feeds"


def feed_path(kind: str | None = None) -> Path:
    return feeds_dir() / (f"agenda-{kind}.ics" if kind else "agenda.ics")


class EventWriter:
    """Writes VEVENTs from rows of FEED_COLUMNS; what is the same for every event is computed once."""

    def __init__(self):
        host = urlsplit(settings.SITE_URL).hostname or "maillage"
        self.uid_suffix = f"@{host}"
        url = settings.SITE_URL + reverse("events:session_detail", kwargs={"pk": PLACEHOLDER})
        self.url_head, self.url_tail = url.split(str(PLACEHOLDER))
        self.dtstamp = w.content_line("DTSTAMP", w.utc(timezone.now()))
        self.categories = {
            kind: w.text_line("CATEGORIES", str(label)) for kind, label in Session.Kind.choices
        }
        self.online = str(_("En ligne"))
        self.cancelled = _("Annulée : %(reason)s")

    def salt(self) -> str:
        """What every event depends on besides its row (site address, labels in the current
        language, the writer's version): part of each event's fingerprint."""
        settings_text = repr(
            (
                WRITER_VERSION, self.uid_suffix, self.url_head, self.url_tail,
                sorted(self.categories.items()), self.online, str(self.cancelled),
            )
        )  # fmt: skip
        return hashlib.md5(settings_text.encode(), usedforsecurity=False).hexdigest()

    def event(self, row: tuple) -> bytes:
        return b"".join([b"BEGIN:VEVENT\r\n", self.dtstamp, self.body(row)])

    def body(self, row: tuple) -> bytes:
        """The VEVENT from its UID to its END (every build adds BEGIN and its DTSTAMP)."""
        (
            pk, uid, start, end, sequence, updated_at, title, page_title, page_description,
            kind, status, cancel_reason, venue_name, venue_address, venue_postcode,
            venue_commune, latitude, longitude, outside_commune, outside_location, external_uid,
        ) = row  # fmt: skip
        url = f"{self.url_head}{pk}{self.url_tail}"
        cancelled = status == Session.Status.CANCELLED
        description = [page_description or "", url]
        if cancelled and cancel_reason:
            description.insert(0, self.cancelled % {"reason": cancel_reason})
        if venue_name is not None:
            locality = f"{venue_postcode} {venue_commune}".strip()
            location = ", ".join(part for part in (venue_name, venue_address, locality) if part)
        elif outside_commune is not None:
            location = ", ".join(part for part in (outside_location, outside_commune) if part)
        else:
            location = self.online
        parts = [
            w.text_line("UID", external_uid or f"{uid}{self.uid_suffix}"),
            w.content_line("DTSTART", w.utc(start)),
            w.content_line("DTEND", w.utc(end)),
            w.content_line("SEQUENCE", str(sequence)),
            w.content_line("LAST-MODIFIED", w.utc(updated_at)),
            w.text_line("SUMMARY", f"{page_title} — {title}" if title else page_title),
            w.content_line("URL", url),
            w.text_line("DESCRIPTION", "\n".join(line for line in description if line)),
            w.text_line("LOCATION", location),
        ]
        if venue_name is not None and latitude is not None:
            parts.append(w.content_line("GEO", f"{latitude};{longitude}"))
        parts += [
            self.categories[kind],
            b"STATUS:CANCELLED\r\n" if cancelled else b"STATUS:CONFIRMED\r\n",
            b"TRANSP:OPAQUE\r\nEND:VEVENT\r\n",
        ]
        return b"".join(parts)


def _begin() -> bytes:
    return w.calendar_begin(
        prodid=PRODID, name=str(_("Agenda de la médiation numérique")), timezone=settings.TIME_ZONE
    )


def calendar_stream(rows: Iterable[tuple]) -> Iterator[bytes]:
    """A whole VCALENDAR in chunks of about 64 KB, from rows of FEED_COLUMNS."""
    writer = EventWriter()
    chunk = [_begin()]
    size = 0
    for row in rows:
        event = writer.event(row)
        chunk.append(event)
        size += len(event)
        if size >= 65536:
            yield b"".join(chunk)
            chunk, size = [], 0
    chunk.append(w.CALENDAR_END)
    yield b"".join(chunk)


def filtered_stream(*, kind=None, theme=None, departement=None) -> Iterator[bytes]:
    """A feed filtered by theme or département, streamed from the database (a subset)."""
    rows = session_rows_upcoming(kind=kind, theme=theme, departement=departement)
    return calendar_stream(rows.iterator(chunk_size=2000))


def _sort_in_memory() -> None:
    """PostgreSQL's default 4 MB per sort or hash spilled the build's joins and its ordering of
    200,000 events to disk: more for this transaction only."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '64MB'")


def feed_events_refresh(writer: EventWriter) -> int:
    """Write the feed event of every upcoming session whose data changed since its event was
    written (all of them the first time); returns how many were written."""
    salt, written, batch = writer.salt(), 0, []

    def flush():
        FeedEvent.objects.bulk_create(
            batch,
            update_conflicts=True,
            unique_fields=["session"],
            update_fields=["stamp", "block"],
        )
        batch.clear()

    with transaction.atomic():
        _sort_in_memory()
        for row in session_rows_feed_stale(salt=salt).iterator(chunk_size=REFRESH_CHUNK):
            *columns, stamp = row
            block = writer.body(tuple(columns)).decode()
            batch.append(FeedEvent(session_id=columns[0], stamp=stamp, block=block))
            written += 1
            if len(batch) >= REFRESH_CHUNK:
                flush()
        if batch:
            flush()
        FeedEvent.objects.filter(session__end__lt=timezone.now()).delete()
    return written


def public_feed_write() -> int:
    """Write the whole agenda and one file per kind in one pass over the stored events (those
    of changed sessions written first), each into a temporary file renamed over the previous
    one; returns the number of sessions."""
    directory = feeds_dir()
    directory.mkdir(parents=True, exist_ok=True)
    names = [None, *Session.Kind.values]
    files = {}
    try:
        for kind in names:
            handle, temporary = tempfile.mkstemp(dir=directory, suffix=".part")
            files[kind] = (os.fdopen(handle, "wb", buffering=1 << 20), temporary)
        writer = EventWriter()
        feed_events_refresh(writer)
        begin = _begin()
        for out, _temporary in files.values():
            out.write(begin)
        head = b"BEGIN:VEVENT\r\n" + writer.dtstamp
        whole = files[None][0]
        count = 0
        with transaction.atomic():  # a server-side cursor on PostgreSQL
            _sort_in_memory()
            for kind, block in feed_events_upcoming().iterator(chunk_size=REFRESH_CHUNK):
                event = head + block.encode()
                whole.write(event)
                files[kind][0].write(event)
                count += 1
        for kind, (out, temporary) in files.items():
            out.write(w.CALENDAR_END)
            out.close()
            os.chmod(temporary, 0o644)
            os.replace(temporary, feed_path(kind))
        return count
    finally:
        for out, temporary in files.values():
            out.close()
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)


def public_feed_build() -> bool:
    """Rebuild the public feeds, one build at a time across processes (a file lock).

    A call that finds a build running leaves a mark instead of waiting; the running build sees
    it and builds again, so the last change is always included and no worker is held up.
    Returns False when another build took over the work."""
    directory = feeds_dir()
    directory.mkdir(parents=True, exist_ok=True)
    dirty = directory / ".dirty"
    dirty.touch()
    with open(directory / ".lock", "w") as lock:
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            try:
                while dirty.exists():
                    dirty.unlink(missing_ok=True)
                    public_feed_write()
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
            if not dirty.exists():
                return True


def public_feed_file(*, kind=None) -> Path | None:
    """The built file for the agenda (or one kind), None before the first build."""
    path = feed_path(kind)
    return path if path.exists() else None
