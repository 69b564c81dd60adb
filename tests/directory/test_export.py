import io
import json

from django.core.management import call_command
from django.utils import timezone

import pytest
from frictionless import Resource, Schema

from directory import standard
from directory.models import Place
from directory.services import places_import

from .conftest import DATA, frictionless_errors

pytestmark = pytest.mark.django_db

COMPARED = [
    "identifier",
    "pivot",
    "name",
    "commune",
    "postcode",
    "insee_code",
    "address",
    "latitude",
    "longitude",
    "phone",
    "emails",
    "opening_hours",
    "source_updated_on",
    "services",
    "publics",
    "specific_support",
    "fees",
    "national_schemes",
    "labels",
    "access_modes",
    "support_modes",
    "appointment_url",
    "review_flags",
    "source",
]


def standard_schema() -> Schema:
    descriptor = {key: value for key, value in standard.schema().items() if key != "resources"}
    return Schema.from_descriptor(descriptor)


def snapshot():
    """The places as exported: an unknown update date leaves as the day of the last change."""
    rows = Place.objects.values_list(*COMPARED, "updated_at")
    date = COMPARED.index("source_updated_on")
    return sorted(
        (*row[:date], row[date] or timezone.localdate(row[-1]), *row[date + 1 : -1]) for row in rows
    )


@pytest.fixture
def imported():
    for name in ("lieux_bom_pointvirgule.csv", "lieux_v01_windows1252.csv", "lieux.json"):
        places_import(data=(DATA / name).read_bytes(), filename=name)
    return snapshot()


def test_csv_export_validates_against_the_standard_schema(imported, tmp_path):
    output = tmp_path / "lieux.csv"
    call_command("export_lieux", "--format", "csv", "--output", str(output), stderr=io.StringIO())
    report = Resource(path="lieux.csv", basepath=str(tmp_path), schema=standard_schema()).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.tasks[0].stats["rows"] == len(imported)


def test_json_export_validates_against_the_standard_schema(imported):
    out = io.StringIO()
    call_command("export_lieux", "--format", "json", stdout=out)
    rows = json.loads(out.getvalue())
    assert len(rows) == len(imported)
    assert frictionless_errors(rows) == []


@pytest.mark.parametrize("file_format", ["csv", "json"])
def test_export_then_import_round_trips(imported, file_format):
    out = io.StringIO()
    call_command("export_lieux", "--format", file_format, stdout=out)
    Place.objects.all().delete()
    report = places_import(data=out.getvalue().encode(), file_format=file_format)
    assert report.rejected == []
    assert snapshot() == imported
