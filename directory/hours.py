"""Opening hours (OpenStreetMap `opening_hours` syntax) said in plain French.

Times are naive local times in Europe/Paris, which is what the syntax describes."""

import datetime
import re
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import opening_hours

from core.dates import date_in_french

DAY_NAMES = [
    gettext_lazy("lundi"),
    gettext_lazy("mardi"),
    gettext_lazy("mercredi"),
    gettext_lazy("jeudi"),
    gettext_lazy("vendredi"),
    gettext_lazy("samedi"),
    gettext_lazy("dimanche"),
]


def parse(text: str):
    if not text:
        return None
    try:
        return opening_hours.OpeningHours(text)
    except (opening_hours.ParserError, ValueError):
        return None


def local_now() -> datetime.datetime:
    return timezone.localtime().replace(tzinfo=None, second=0, microsecond=0)


def say_time(moment: datetime.time | datetime.datetime) -> str:
    """9 h, 17 h 30."""
    return f"{moment.hour} h" if not moment.minute else f"{moment.hour} h {moment.minute:02d}"


def _say_when(moment: datetime.datetime, now: datetime.datetime) -> str:
    if moment.date() == now.date():
        return _("à %(time)s") % {"time": say_time(moment)}
    if moment.date() == now.date() + datetime.timedelta(days=1):
        return _("demain à %(time)s") % {"time": say_time(moment)}
    if moment.date() < now.date() + datetime.timedelta(days=7):
        return _("%(day)s à %(time)s") % {
            "day": DAY_NAMES[moment.weekday()],
            "time": say_time(moment),
        }
    return _("le %(date)s à %(time)s") % {
        "date": date_in_french(moment.date(), "j F"),
        "time": say_time(moment),
    }


def status(text: str, now: datetime.datetime | None = None) -> dict | None:
    """{"open": bool, "label": "Ouvert maintenant, ferme à 17 h"}; None when unknown."""
    hours = parse(text)
    if hours is None:
        return None
    now = now or local_now()
    change = hours.next_change(now)
    if hours.is_open(now):
        if change is None:
            return {"open": True, "label": _("Ouvert maintenant")}
        return {
            "open": True,
            "label": _("Ouvert maintenant, ferme %(when)s") % {"when": _say_when(change, now)},
        }
    if change is None or change - now > datetime.timedelta(days=60):
        return {"open": False, "label": _("Fermé")}
    return {"open": False, "label": _("Fermé, ouvre %(when)s") % {"when": _say_when(change, now)}}


def is_open_at(text: str, moment: datetime.datetime) -> bool:
    hours = parse(text)
    return bool(hours and hours.is_open(moment))


def is_open_on(text: str, day: datetime.date) -> bool:
    hours = parse(text)
    if hours is None:
        return False
    start = datetime.datetime.combine(day, datetime.time())
    return any(
        state == opening_hours.State.OPEN
        for _start, _end, state, _comment in hours.intervals(
            start, start + datetime.timedelta(days=1)
        )
    )


def opens_within(text: str, now: datetime.datetime, *, days: int) -> datetime.datetime | None:
    """When the place is next open within `days` (now if open now), or None."""
    hours = parse(text)
    if hours is None:
        return None
    if hours.is_open(now):
        return now
    change = hours.next_change(now)
    if change and change - now <= datetime.timedelta(days=days):
        return change
    return None


def _spans(hours, day: datetime.date) -> list[str]:
    start = datetime.datetime.combine(day, datetime.time())
    return [
        f"{say_time(begin)} – {say_time(end) if end.date() == day else '24 h'}"
        for begin, end, state, _comment in hours.intervals(
            start, start + datetime.timedelta(days=1)
        )
        if state == opening_hours.State.OPEN
    ]


def usual_week(text: str, today: datetime.date | None = None) -> list[dict]:
    """Monday to Sunday, each with its usual opening intervals in words, for a page that is
    printed and pinned up (no date, no « ouvert maintenant »): a day is read on its next three
    occurrences, so that a public holiday this week does not make it look closed."""
    hours = parse(text)
    if hours is None:
        return []
    today = today or local_now().date()
    monday = today - datetime.timedelta(days=today.weekday())
    days = []
    for weekday in range(7):
        spans = []
        for week in range(1, 4):
            spans = _spans(hours, monday + datetime.timedelta(days=weekday, weeks=week))
            if spans:
                break
        days.append(
            {
                "name": DAY_NAMES[weekday],
                "spans": spans,
                "label": ", ".join(spans) if spans else _("fermé"),
            }
        )
    return days


def week(text: str, today: datetime.date | None = None) -> list[dict]:
    """The next seven days, each with its opening intervals in words ("9 h – 12 h")."""
    hours = parse(text)
    if hours is None:
        return []
    today = today or local_now().date()
    days = []
    for offset in range(7):
        day = today + datetime.timedelta(days=offset)
        spans = _spans(hours, day)
        days.append(
            {
                "date": day,
                "name": DAY_NAMES[day.weekday()],
                "spans": spans,
                "label": ", ".join(spans) if spans else _("fermé"),
            }
        )
    return days


# --- The editor's week: days × time ranges, to and from the OSM syntax ----------------------

OSM_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
RANGES_PER_DAY = 3
_TIME = r"(?:[01]\d|2[0-3]):[0-5]\d"
_RANGE = re.compile(rf"^({_TIME})-({_TIME})$")
_DAY_TOKEN = re.compile(r"^(Mo|Tu|We|Th|Fr|Sa|Su)(?:-(Mo|Tu|We|Th|Fr|Sa|Su))?$")

Range = tuple[datetime.time, datetime.time]


@dataclass
class EditableWeek:
    """What the editor shows: for each day Monday → Sunday its opening ranges (none: closed),
    and whether the place closes on public holidays (« PH off »)."""

    days: list[list[Range]] = field(default_factory=lambda: [[] for _day in OSM_DAYS])
    closed_on_holidays: bool = False

    @property
    def is_empty(self) -> bool:
        return not any(self.days)


def _parse_time(text: str) -> datetime.time:
    hour, minute = text.split(":")
    return datetime.time(int(hour), int(minute))


def _day_indexes(token_list: str) -> list[int] | None:
    indexes = []
    for token in token_list.split(","):
        match = _DAY_TOKEN.match(token)
        if match is None:
            return None
        first = OSM_DAYS.index(match.group(1))
        last = OSM_DAYS.index(match.group(2)) if match.group(2) else first
        # « Sa-Mo » wraps over the week end, as the syntax allows.
        indexes.extend((first + step) % 7 for step in range((last - first) % 7 + 1))
    return indexes


def editable_week(text: str) -> EditableWeek | None:
    """The week the editor can show for `text`: rules of days with time ranges (« Mo-Fr
    09:00-12:00,14:00-17:00; Sa 10:00-12:00 »), closed days (« Su off ») and « PH off ».
    None when the text is unreadable or uses what the editor cannot show (weeks, months,
    more than three ranges a day, ranges past midnight…): the editor then keeps it as text.
    A later rule replaces an earlier one for the days it names, as in the syntax."""
    if not text.strip():
        return EditableWeek()
    if parse(text) is None:
        return None
    week = EditableWeek()
    for rule in text.split(";"):
        rule = rule.strip()
        if not rule:
            continue
        if rule in ("PH off", "PH closed"):
            week.closed_on_holidays = True
            continue
        parts = rule.split(None, 1)
        if len(parts) == 1:
            days, times = list(range(7)), parts[0]
        else:
            days, times = _day_indexes(parts[0]), parts[1].replace(" ", "")
            if days is None:
                return None
        if times in ("off", "closed"):
            ranges = []
        else:
            ranges = []
            for span in times.split(","):
                match = _RANGE.match(span)
                if match is None:
                    return None
                start, end = _parse_time(match.group(1)), _parse_time(match.group(2))
                if end <= start:
                    return None
                ranges.append((start, end))
            if len(ranges) > RANGES_PER_DAY:
                return None
        for day in days:
            week.days[day] = sorted(ranges)
    return week


def _osm_ranges(ranges: list[Range]) -> str:
    return ",".join(f"{start:%H:%M}-{end:%H:%M}" for start, end in ranges)


def week_to_text(week: EditableWeek) -> str:
    """The OSM `opening_hours` string of the national standard for an edited week:
    consecutive days with the same ranges share one rule (« Mo-Fr 09:00-12:00 »), closed
    days are left out (closed is the syntax's default), « PH off » last. "" for no hours."""
    if week.is_empty:
        return ""
    rules = []
    day = 0
    while day < 7:
        last = day
        while last + 1 < 7 and week.days[last + 1] == week.days[day]:
            last += 1
        if week.days[day]:
            days = OSM_DAYS[day] if last == day else f"{OSM_DAYS[day]}-{OSM_DAYS[last]}"
            if last == day + 1:
                days = f"{OSM_DAYS[day]},{OSM_DAYS[last]}"
            rules.append(f"{days} {_osm_ranges(week.days[day])}")
        day = last + 1
    if week.closed_on_holidays:
        rules.append("PH off")
    return "; ".join(rules)
