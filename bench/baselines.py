"""Baselines measured in the same run as the figures they judge: what the same work costs done
by a well-kept library or by the database alone, with none of the portal around it."""

import datetime
import time

from django.db import connection


def ics_library(rows) -> float:
    """Seconds for the icalendar library to write the same 14 properties from the same rows
    (FEED_COLUMNS) as the portal's streaming writer: the fair measure of `ics.build`."""
    from icalendar import Calendar, Event

    started = time.perf_counter()
    calendar = Calendar()
    calendar.add("prodid", "-//bench//")
    calendar.add("version", "2.0")
    now = datetime.datetime.now(datetime.UTC)
    for row in rows:
        (
            pk, uid, start, end, sequence, updated_at, title, page_title, description, kind,
            status, _reason, venue, address, postcode, commune, latitude, longitude, _c, _l, _x,
        ) = row  # fmt: skip
        url = f"http://127.0.0.1/agenda/sessions/{pk}/"
        event = Event()
        event.add("uid", f"{uid}@127.0.0.1")
        event.add("dtstamp", now)
        event.add("dtstart", start)
        event.add("dtend", end)
        event.add("sequence", sequence)
        event.add("last-modified", updated_at)
        event.add("summary", f"{page_title} — {title}" if title else page_title)
        event.add("url", url)
        event.add("description", f"{description}\n{url}")
        event.add("location", ", ".join(p for p in (venue, address, f"{postcode} {commune}") if p))
        if latitude is not None:
            event.add("geo", (latitude, longitude))
        event.add("categories", [kind])
        event.add("status", "CANCELLED" if status == "cancelled" else "CONFIRMED")
        event.add("transp", "OPAQUE")
        calendar.add_component(event)
    calendar.to_ical()
    return time.perf_counter() - started


def copy_rows(rows: list[list[str]]) -> float:
    """Seconds for PostgreSQL's COPY to load the same rows into an unindexed table."""
    width = len(rows[0])
    columns = ", ".join(f"c{n} text" for n in range(width))
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_copy")
        cursor.execute(f"CREATE UNLOGGED TABLE bench_copy ({columns})")
        started = time.perf_counter()
        with cursor.cursor.copy("COPY bench_copy FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        connection.commit() if not connection.get_autocommit() else None
        seconds = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_copy")
    return seconds


def mail_django(message, *, count: int, port: int) -> float:
    """Seconds for Django's SMTP backend to send `count` copies of one rendered message over
    one connection, no database: the fair measure of `newsletter.send`."""
    from django.core.mail.backends.smtp import EmailBackend

    # Every option given: with MAILERS set, Django refuses to read the old EMAIL_* defaults.
    backend = EmailBackend(
        host="127.0.0.1",
        port=port,
        username="",
        password="",
        use_tls=False,
        use_ssl=False,
        ssl_keyfile="",
        ssl_certfile="",
        timeout=20,
    )
    started = time.perf_counter()
    backend.open()
    try:
        for _n in range(count):
            backend.send_messages([message])
    finally:
        backend.close()
    return time.perf_counter() - started
