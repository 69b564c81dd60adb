"""Dates as French writes them: Django's formats (« l j F Y »), with « 1er » for the first of
the month (« vendredi 1er janvier 2027 »). The template filter `date` (a builtin,
core.templatetags.french_dates) and the Python code that words dates both go through here."""

import datetime
import re

from django.utils import formats, translation

# The day number followed by the month's name (« j F »), not escaped; « j/m » stays a number.
DAY_BEFORE_MONTH = re.compile(r"(?<!\\)j(?= F)")


def french_format(value, written: str | None = None) -> str:
    """The format to give Django for `value`: `written` (a format or a setting's name such
    as DATE_FORMAT), its day written « 1er » when `value` is a first of the month in French."""
    written = written or "DATE_FORMAT"
    if not (
        isinstance(value, datetime.date)
        and value.day == 1
        and (translation.get_language() or "").startswith("fr")
    ):
        return written
    if written.endswith("_FORMAT"):
        written = formats.get_format(written)
    return DAY_BEFORE_MONTH.sub(r"\\1\\e\\r", written)


def date_in_french(value: datetime.date, written: str | None = None) -> str:
    """formats.date_format with « 1er »; `value` already in the time zone wanted."""
    return formats.date_format(value, french_format(value, written))
