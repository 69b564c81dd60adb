"""The numérithèque's guarantee as a database constraint, on PostgreSQL only.

An exclusion constraint (btree_gist) forbids two active BookingItem rows of one item whose
blocked ranges overlap. SQLite has no such constraint: there the services check under an
IMMEDIATE transaction, so this migration does nothing on it."""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

CONSTRAINT = "numeritheque_bookingitem_no_overlap"


def _exclusion_constraint():
    from django.contrib.postgres.constraints import ExclusionConstraint
    from django.contrib.postgres.fields import DateRangeField, RangeOperators
    from django.db.models import F, Func, Q

    class DateRange(Func):
        function = "DATERANGE"
        output_field = DateRangeField()

    return ExclusionConstraint(
        name=CONSTRAINT,
        expressions=[
            ("item", RangeOperators.EQUAL),
            # DATERANGE(a, b) is half-open, [a, b), like blocked_start/blocked_end.
            (DateRange(F("blocked_start"), F("blocked_end")), RangeOperators.OVERLAPS),
        ],
        condition=Q(active=True),
    )


class PostgresOnly(migrations.operations.base.Operation):
    """Run `operation` on PostgreSQL; elsewhere, do nothing and keep the state unchanged."""

    reduces_to_sql = True
    reversible = True

    def __init__(self, operation):
        self.operation = operation

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            self.operation.database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            self.operation.database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return f"{self.operation.describe()} (PostgreSQL seulement)"


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_constraint(apps.get_model("numeritheque", "BookingItem"), _exclusion_constraint())


def remove_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_constraint(apps.get_model("numeritheque", "BookingItem"), _exclusion_constraint())


class Migration(migrations.Migration):
    dependencies = [("numeritheque", "0001_initial")]

    operations = [
        PostgresOnly(BtreeGistExtension()),
        migrations.RunPython(add_constraint, remove_constraint),
    ]
