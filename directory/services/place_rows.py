"""The import's reads and writes in bulk, below the ORM's per-object cost: the existing places
and structures of a file read in one query (`= ANY` of an array on PostgreSQL), and the rows to
create or change written by one `INSERT … ON CONFLICT (identifier) DO UPDATE` — fed by COPY
into a temporary table on PostgreSQL, by one `executemany` on SQLite. Both run inside the
import's transaction: a failure leaves nothing half-written."""

import datetime

from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from ..fields import MultiValueField, to_db
from ..models import Organisation, Place
from ..standard_io import IMPORTED_ATTRIBUTES

CHUNK = 2000
# Read to compare a file's row with its place, and written back whole.
EXISTING = ["pk", "identifier", "organisation_id", "hub_edited_fields", "hub_edited_at"]
_FIELDS = {field.attname: field for field in Place._meta.concrete_fields}
# Every column the import writes, in the order of the rows `write` receives.
COLUMNS = [*IMPORTED_ATTRIBUTES, "organisation_id", "hub_edited_fields", "created_at", "updated_at"]
_MULTI = {name for name in COLUMNS if isinstance(_FIELDS[name], MultiValueField)}
_TEMPORARY = "directory_place_import"


def _in(column: str, values: list):
    """`column IN values`, one array parameter on PostgreSQL (no parameter per value).
    `column` is one of this module's constants; the values are a parameter."""
    return RawSQL(f"{column} = ANY(%s)", (values,), output_field=BooleanField())  # noqa: S611


def _chunks(values: list):
    if connection.vendor == "postgresql":
        yield values
    else:
        for start in range(0, len(values), CHUNK):
            yield values[start : start + CHUNK]


def existing_places(identifiers: list[str]) -> dict[str, dict]:
    """The places of these identifiers: {identifier: {attribute: value}} with every imported
    attribute, the structure and the hand-edit tracking."""
    found: dict[str, dict] = {}
    columns = [*EXISTING, *(name for name in IMPORTED_ATTRIBUTES if name != "identifier")]
    for chunk in _chunks(identifiers):
        query = Place.objects.order_by()
        if connection.vendor == "postgresql":
            query = query.filter(_in("identifier", chunk))
        else:
            query = query.filter(identifier__in=chunk)
        for row in query.values(*columns):
            found[row["identifier"]] = row
    return found


def existing_organisations(sirets: list[str]) -> dict[str, int]:
    """{SIRET: pk} of the structures already known (the first by name when several share one)."""
    found: dict[str, int] = {}
    for chunk in _chunks(sirets):
        query = Organisation.objects.order_by("name", "pk")
        if connection.vendor == "postgresql":
            query = query.filter(_in("siret", chunk))
        else:
            query = query.filter(siret__in=chunk)
        for siret, pk in query.values_list("siret", "pk"):
            found.setdefault(siret, pk)
    return found


def create_organisations(names: dict[str, str]) -> dict[str, int]:
    """Create one structure per SIRET ({SIRET: name}); returns {SIRET: pk}."""
    if not names:
        return {}
    now = datetime.datetime.now(datetime.UTC)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO directory_organisation (name, siret, created_at, updated_at) "
                "SELECT name, siret, %s, %s FROM unnest(%s::text[], %s::text[]) AS t(siret, name) "
                "RETURNING siret, id",
                [now, now, list(names), list(names.values())],
            )
            return dict(cursor.fetchall())
    created = Organisation.objects.bulk_create(
        [Organisation(name=name, siret=siret) for siret, name in names.items()], batch_size=1000
    )
    return {organisation.siret: organisation.pk for organisation in created}


def row(values: dict, *, now: datetime.datetime) -> list:
    """One row to write, in COLUMNS order, from a place's attributes (`values`, with
    organisation_id and hub_edited_fields); created_at is used only for a new place."""
    return [
        to_db(values[name])
        if name in _MULTI
        else now
        if name in ("created_at", "updated_at")
        else values[name]
        for name in COLUMNS
    ]


def write(rows: list[list]) -> None:
    """Create or update these rows by identifier, in one statement."""
    if not rows:
        return
    names = ", ".join(connection.ops.quote_name(name) for name in COLUMNS)
    updates = ", ".join(
        f"{connection.ops.quote_name(name)} = EXCLUDED.{connection.ops.quote_name(name)}"
        for name in COLUMNS
        if name not in ("identifier", "created_at")
    )
    conflict = f"ON CONFLICT (identifier) DO UPDATE SET {updates}"
    # Only the model's own column names and this module's table name go into the text; every
    # value is COPY data or a parameter.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TABLE IF EXISTS {_TEMPORARY}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {_TEMPORARY} ON COMMIT DROP AS "  # noqa: S608
                f"SELECT {names} FROM directory_place WITH NO DATA"
            )
            with cursor.cursor.copy(f"COPY {_TEMPORARY} ({names}) FROM STDIN") as copy:
                for values in rows:
                    copy.write_row(values)
            cursor.execute(
                f"INSERT INTO directory_place ({names}) SELECT {names} FROM {_TEMPORARY} "  # noqa: S608
                f"{conflict}"
            )
            cursor.execute(f"DROP TABLE {_TEMPORARY}")
        else:
            adapt = _sqlite_adapter()
            cursor.executemany(
                f"INSERT INTO directory_place ({names}) "  # noqa: S608
                f"VALUES ({', '.join(['%s'] * len(COLUMNS))}) {conflict}",
                [[adapt(value) for value in values] for values in rows],
            )


def _sqlite_adapter():
    """Dates and date-times as Django stores them in SQLite (Python's own adapters are
    deprecated); the one timestamp of an import is adapted once."""
    adapted: dict = {}

    def adapt(value):
        if isinstance(value, datetime.datetime):
            if value not in adapted:
                adapted[value] = connection.ops.adapt_datetimefield_value(value)
            return adapted[value]
        if isinstance(value, datetime.date):
            return value.isoformat()
        return value

    return adapt
