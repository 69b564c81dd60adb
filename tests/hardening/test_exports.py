"""No export of the portal carries a live spreadsheet formula (OWASP "CSV Injection").

Each CSV and XLSX download gets a hostile value where a person can type one (a registrant's
answer, a booking's purpose, a subscriber's name, a place's name, a session's title): the CSV
cell starts with `'`, the XLSX cell is text, never a formula; numbers stay numbers."""

import csv
import datetime
import io
from decimal import Decimal

from django.core.management import call_command
from django.urls import reverse

import pytest
from openpyxl import load_workbook

from core.exports import csv_lines, neutralise, restore, xlsx_response
from directory.models import Epci, Place
from directory.services import communes_load, places_import
from events import services as event_services
from numeritheque import services as numeritheque_services
from tests.factories.accounts import UserFactory, hub_staff, numeritheque_manager
from tests.factories.directory import PlaceFactory
from tests.factories.events import SessionFactory, conference_page
from tests.factories.newsletter import SubscriberFactory
from tests.factories.numeritheque import ItemFactory, days, manager_of_structure

HOSTILE = '=HYPERLINK("http://x","y")'

pytestmark = pytest.mark.django_db


def read_csv(response, *, spreadsheet=True) -> list[list[str]]:
    text = response.getvalue().decode("utf-8-sig" if spreadsheet else "utf-8")
    return list(csv.reader(io.StringIO(text), delimiter=";" if spreadsheet else ","))


def cells(rows) -> list[str]:
    return [cell for row in rows for cell in row]


def assert_neutralised(rows) -> None:
    values = cells(rows)
    assert "'" + HOSTILE in values
    assert HOSTILE not in values
    assert not [value for value in values if value.startswith(("=", "@", "\t", "\r"))]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (HOSTILE, "'" + HOSTILE),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-4.1234", "-4.1234"),
        ("+33299000000", "+33299000000"),
        ("Végétarien", "Végétarien"),
        (None, ""),
        (-3, -3),
        (1.5, 1.5),
        (Decimal("-2.5"), Decimal("-2.5")),
        (datetime.date(2026, 3, 1), datetime.date(2026, 3, 1)),
    ],
)
def test_neutralise_prefixes_formulas_and_keeps_numbers(value, expected):
    assert neutralise(value) == expected


@pytest.mark.parametrize("value", [HOSTILE, "-2+3", "-4.1", "'quoted", "Rennes", ""])
def test_restore_undoes_neutralise(value):
    assert restore(str(neutralise(value))) == value


def test_csv_lines_neutralise_the_header_too():
    lines = list(csv_lines(header=[HOSTILE], rows=[], spreadsheet=False))
    assert lines[0].startswith("\"'=HYPERLINK")


def test_xlsx_drops_control_characters_that_xml_cannot_hold():
    response = xlsx_response(
        filename="x.xlsx", header=["a"], rows=[["bip\x07bip", HOSTILE, -3]], title="T"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    row = list(sheet.iter_rows(min_row=2))[0]
    assert [cell.value for cell in row] == ["bipbip", "'" + HOSTILE, -3]
    assert [cell.data_type for cell in row] == ["s", "s", "n"]


@pytest.fixture
def hostile_registration():
    session = SessionFactory(capacity=5)
    event_services.registration_create(
        session=session,
        user=UserFactory(last_name="@Le Bihan"),
        answers={"dietary": HOSTILE, "accessibility": "-1+1"},
    )
    return session


def test_attendee_csv_has_no_formula(client, hostile_registration):
    client.force_login(hub_staff())
    url = reverse("events_sessions:export_csv", args=[hostile_registration.pk])
    rows = read_csv(client.get(url))
    assert_neutralised(rows)
    assert "'@Le Bihan" in cells(rows) and "'-1+1" in cells(rows)


def test_attendee_xlsx_has_no_formula(client, hostile_registration):
    client.force_login(hub_staff())
    url = reverse("events_sessions:export_xlsx", args=[hostile_registration.pk])
    sheet = load_workbook(io.BytesIO(client.get(url).content)).active
    every_cell = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in every_cell if cell.data_type == "f"]
    assert "'" + HOSTILE in [cell.value for cell in every_cell]


def test_loan_csv_has_no_formula(client):
    user, structure = manager_of_structure()
    numeritheque_services.booking_request(
        requester=user,
        structure=structure,
        items=[ItemFactory()],
        start=days(3),
        end=days(4),
        purpose=HOSTILE,
    )
    client.force_login(numeritheque_manager())
    assert_neutralised(read_csv(client.get(reverse("numeritheque_guichet:export"))))


def test_subscriber_csv_has_no_formula(client):
    SubscriberFactory(name=HOSTILE)
    client.force_login(hub_staff())
    assert_neutralised(read_csv(client.get(reverse("newsletter_admin:subscriber_export"))))


def test_coverage_csv_has_no_formula(client):
    communes_load(departements=["35"])
    Epci.objects.filter(siren="243500139").update(name=HOSTILE)
    client.force_login(hub_staff())
    response = client.get("/annuaire/couverture/", {"departement": "35", "format": "csv"})
    assert_neutralised(read_csv(response))


def test_public_agenda_csv_has_no_formula(client):
    SessionFactory(page=conference_page(title=HOSTILE), title="")
    assert_neutralised(read_csv(client.get("/donnees-ouvertes/agenda.csv"), spreadsheet=False))


@pytest.fixture
def hostile_place():
    return PlaceFactory(identifier="lieu-hostile", name=HOSTILE, phone="+33299000000")


@pytest.mark.parametrize("url", ["/donnees-ouvertes/lieux.csv", "/annuaire/donnees/lieux.csv"])
def test_public_places_csv_has_no_formula_and_keeps_coordinates(client, hostile_place, url):
    rows = read_csv(client.get(url), spreadsheet=False)
    assert_neutralised(rows)
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["longitude"] == "-1.68186"


def test_standard_export_neutralises_and_round_trips(hostile_place):
    out = io.StringIO()
    call_command("export_lieux", "--format", "csv", stdout=out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert_neutralised(rows)
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["telephone"], row["longitude"]) == ("+33299000000", "-1.68186")
    Place.objects.all().delete()
    report = places_import(data=out.getvalue().encode(), file_format="csv")
    assert report.rejected == []
    place = Place.objects.get(identifier="lieu-hostile")
    assert (place.name, place.phone, place.longitude) == (HOSTILE, "+33299000000", -1.68186)


def test_subscriber_listing_exports_have_no_formula(client):
    """Wagtail's own `list_export` on the subscriber listing goes through the same rule."""
    SubscriberFactory(name=HOSTILE)
    client.force_login(hub_staff())
    url = "/admin/snippets/newsletter/subscriber/"
    rows = list(
        csv.reader(io.StringIO(b"".join(client.get(url, {"export": "csv"})).decode("utf-8-sig")))
    )
    assert_neutralised(rows)
    sheet = load_workbook(io.BytesIO(b"".join(client.get(url, {"export": "xlsx"})))).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "'" + HOSTILE in values and HOSTILE not in values
