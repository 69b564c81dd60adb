from django.core.management import call_command

import pytest

from accounts.models import User
from events.models import ConferencePage, Registration
from events.selectors import session_list_upcoming
from portal.demo import MEDIATOR_EMAIL

pytestmark = pytest.mark.django_db


def test_demo_adds_a_conference_with_a_full_session_and_a_waiting_list(client):
    call_command("load_demo")
    page = ConferencePage.objects.get(slug="rencontre-regionale-operateurs-mediateurs")
    sessions = list(session_list_upcoming(pages=[page.pk]))
    assert len(sessions) == 3
    assert any(session.is_full and session.waitlisted_total for session in sessions)
    mediator = User.objects.get(email=MEDIATOR_EMAIL)
    statuses = set(
        Registration.objects.filter(user=mediator, session__in=sessions).values_list(
            "status", flat=True
        )
    )
    assert statuses == {"confirmed", "waitlisted"}
    assert "Rencontre régionale" in client.get("/agenda/").content.decode()
    assert 'href="/agenda/"' in client.get("/").content.decode()
