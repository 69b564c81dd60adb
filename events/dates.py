"""Dates said the French way, for paper and email: "mardi 3 décembre, 14 h – 16 h"."""

import datetime

from django.utils import timezone
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.translation import gettext as _


def say_time(moment: datetime.datetime) -> str:
    """14 h, 14 h 30."""
    return f"{moment.hour} h" if not moment.minute else f"{moment.hour} h {moment.minute:02d}"


def say_day(day: datetime.date) -> str:
    """mardi 3 décembre; "1er" for the first of the month, as French writes it."""
    number = _("1er") if day.day == 1 else str(day.day)
    return f"{WEEKDAYS[day.weekday()]} {number} {MONTHS[day.month]}"


def say_period(start: datetime.datetime, end: datetime.datetime) -> str:
    """ "mardi 3 décembre, 14 h – 16 h", or both days when the session spans several, in
    Europe/Paris time."""
    start, end = timezone.localtime(start), timezone.localtime(end)
    if start.date() == end.date():
        return f"{say_day(start)}, {say_time(start)} – {say_time(end)}"
    return _("du %(start)s au %(end)s") % {
        "start": f"{say_day(start)}, {say_time(start)}",
        "end": f"{say_day(end)}, {say_time(end)}",
    }


def say_month(year: int, month: int) -> str:
    """décembre 2026."""
    return f"{MONTHS[month]} {year}"


def month_bounds(year: int, month: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The first instant of the month and of the next one, in the site's time zone."""
    start = timezone.make_aware(datetime.datetime(year, month, 1))
    end = timezone.make_aware(datetime.datetime(year + month // 12, month % 12 + 1, 1))
    return start, end
