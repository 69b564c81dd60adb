from django.core.management import call_command
from django.db import connection

from wagtail.models import Page

import pytest

from accounts.models import User
from portal.demo import MEDIATOR_EMAIL, MEDIATOR_PASSWORD, STAFF_EMAIL, STAFF_PASSWORD

pytestmark = pytest.mark.django_db


def table_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            if table.startswith(
                (
                    "wagtailcore_revision",
                    "wagtailcore_modellogentry",
                    "wagtailcore_pagelogentry",
                    "django_session",
                    "wagtailsearch_indexentry_fts",
                )
            ):
                continue
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
        return counts


def test_load_demo_builds_a_hub_and_is_idempotent(client):
    call_command("load_demo")
    first = table_counts()
    call_command("load_demo")
    assert table_counts() == first
    assert Page.objects.live().count() >= 4
    staff = User.objects.get(email=STAFF_EMAIL)
    assert staff.check_password(STAFF_PASSWORD)
    assert client.login(email=STAFF_EMAIL, password=STAFF_PASSWORD)
    assert client.get("/admin/").status_code == 200
    assert User.objects.get(email=MEDIATOR_EMAIL).check_password(MEDIATOR_PASSWORD)
    assert "Hub numérique Bretagne" in client.get("/").content.decode()
