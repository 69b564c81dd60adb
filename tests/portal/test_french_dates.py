"""Dates in templates as French writes them: « 1er » for the first of the month, through the
portal's `date` filter that replaces Django's everywhere (a template builtin)."""

import datetime
import zoneinfo

from django.template import engines
from django.utils import translation

import pytest

from core.dates import date_in_french

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def render(template: str, value) -> str:
    with translation.override("fr"):
        return engines["django"].from_string(template).render({"value": value})


@pytest.mark.parametrize(
    ("value", "written", "expected"),
    [
        (datetime.date(2027, 1, 1), "l j F Y", "vendredi 1er janvier 2027"),
        (datetime.date(2027, 1, 2), "l j F Y", "samedi 2 janvier 2027"),
        (datetime.date(2027, 1, 1), "j/m", "1/01"),
        (datetime.date(2027, 1, 1), "DATE_FORMAT", "1er janvier 2027"),
        # 23 h 30 in UTC on 31 December is already the 1st in Paris.
        (
            datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC),
            r"l j F Y, H\hi",
            "vendredi 1er janvier 2027, 00h30",
        ),
        (datetime.datetime(2027, 3, 1, 9, 30, tzinfo=PARIS), r"j F \à H\hi", "1er mars à 09h30"),
    ],
)
def test_the_first_of_the_month_is_written_1er(value, written, expected):
    assert render(f'{{{{ value|date:"{written}" }}}}', value) == expected


def test_a_page_template_says_1er_without_loading_anything():
    assert render("{{ value|date }}", datetime.date(2027, 5, 1)) == "1er mai 2027"


def test_the_filter_stays_quiet_on_what_is_not_a_date():
    assert render('{{ value|date:"l j F Y" }}', "") == ""
    assert render('{{ value|date:"l j F Y" }}', None) == ""


def test_python_code_words_the_first_the_same_way():
    with translation.override("fr"):
        assert date_in_french(datetime.date(2027, 1, 1), "l j F") == "vendredi 1er janvier"
        assert date_in_french(datetime.date(2027, 1, 8), "l j F") == "vendredi 8 janvier"
