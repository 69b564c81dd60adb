"""One audit trail: every staff action on someone else's data leaves who, when and what in
Wagtail's log, shown on the object's history screen, to staff only."""

from django.urls import reverse
from django.utils import timezone

from wagtail.models import ModelLogEntry

import pytest

from core.audit import AUDIT_ACTIONS, audit_log
from core.errors import DomainError
from directory import services as directory_services
from events import services as event_services
from newsletter.models import Campaign
from numeritheque import services as numeritheque_services
from tests.factories.accounts import (
    UserFactory,
    hub_staff,
    numeritheque_manager,
    structure_manager,
)
from tests.factories.directory import PlaceFactory
from tests.factories.events import SessionFactory
from tests.factories.newsletter import CampaignFactory, SubscriberFactory
from tests.factories.numeritheque import ItemFactory, days, manager_of_structure

pytestmark = pytest.mark.django_db


def entries(instance):
    return list(
        ModelLogEntry.objects.filter(
            object_id=str(instance.pk), content_type__model=instance._meta.model_name
        )
    )


def assert_audited(instance, action, user, client, history_url, *, readers=()):
    """One entry: this action, by this person, just now; on the history screen for staff
    (and `readers`), refused to a mediator and to a structure manager."""
    [entry] = entries(instance)
    assert (entry.action, entry.user_id) == (action, user.pk)
    assert (timezone.now() - entry.timestamp).total_seconds() < 60
    for reader in (user, *readers):
        client.force_login(reader)
        html = client.get(history_url).content.decode()
        assert str(AUDIT_ACTIONS[action][1]).replace("'", "&#x27;") in html
        assert user.get_full_name() in html
    for outsider in (UserFactory(), structure_manager()):
        client.force_login(outsider)
        response = client.get(history_url)
        assert response.status_code in (302, 403)
        assert str(AUDIT_ACTIONS[action][1]) not in response.content.decode()


@pytest.fixture
def staff():
    return hub_staff(first_name="Morgane", last_name="Équipe")


def test_staff_cancellation_of_a_registration(client, staff):
    session = SessionFactory()
    registration = event_services.registration_create(session=session, user=UserFactory())
    client.force_login(staff)
    client.post(reverse("events_sessions:registration_cancel", args=[session.pk, registration.pk]))
    history = reverse("events_sessions:registration_history", args=[registration.pk])
    manage = client.get(reverse("events_sessions:manage", args=[session.pk])).content.decode()
    assert history in manage
    assert_audited(registration, "events.registration_cancel", staff, client, history)


def test_a_person_cancelling_their_own_registration_is_not_audited():
    registration = event_services.registration_create(session=SessionFactory(), user=UserFactory())
    event_services.registration_cancel(registration=registration, by=registration.user)
    assert entries(registration) == []


def test_attendance_marking(client, staff, time_machine):
    session = SessionFactory()
    registration = event_services.registration_create(session=session, user=UserFactory())
    time_machine.move_to(session.start)
    client.force_login(staff)
    client.post(
        reverse("events_sessions:attendance", args=[session.pk]),
        {"registration": registration.pk, "attended": "1"},
    )
    history = reverse("events_sessions:registration_history", args=[registration.pk])
    assert_audited(registration, "events.attendance_mark", staff, client, history)
    assert entries(registration)[0].data == {"comment": "Présent·e"}


def booking():
    user, structure = manager_of_structure()
    return numeritheque_services.booking_request(
        requester=user,
        structure=structure,
        items=[ItemFactory()],
        start=days(10),
        end=days(12),
        purpose="Atelier découverte",
    )


@pytest.mark.parametrize("action", ["approve", "refuse"])
def test_booking_approval_and_refusal(client, action):
    team = numeritheque_manager(first_name="Yann", last_name="Prêt")
    requested = booking()
    client.force_login(team)
    client.post(
        reverse(f"numeritheque_guichet:{action}", args=[requested.pk]),
        {"reason": "Déjà prêté ce jour-là"},
    )
    history = reverse("numeritheque_reservations:history", args=[requested.pk])
    detail = client.get(reverse("numeritheque_guichet:detail", args=[requested.pk]))
    assert history in detail.content.decode()
    assert_audited(
        requested, f"numeritheque.booking_{action}", team, client, history, readers=[hub_staff()]
    )


def test_place_merge(client, staff):
    keep, remove = PlaceFactory(name="Médiathèque"), PlaceFactory(name="Médiathèque (doublon)")
    directory_services.place_merge(keep=keep, remove=remove, user=staff)
    history = reverse("directory_place:history", args=[keep.pk])
    assert_audited(keep, "directory.place_merge", staff, client, history)


def test_campaign_send(client, staff):
    SubscriberFactory()
    campaign = CampaignFactory()
    client.force_login(staff)
    client.post(reverse("newsletter_admin:campaign_send", args=[campaign.pk]), {"recipients": 1})
    assert Campaign.objects.get(pk=campaign.pk).status != Campaign.Status.DRAFT
    history = reverse("wagtailsnippets_newsletter_campaign:history", args=[campaign.pk])
    assert_audited(campaign, "newsletter.campaign_send", staff, client, history)


def test_a_refused_action_leaves_no_entry(staff):
    registration = event_services.registration_create(session=SessionFactory(), user=UserFactory())
    event_services.registration_cancel(registration=registration, by=staff)
    with pytest.raises(DomainError):
        event_services.registration_cancel(registration=registration, by=staff)
    assert len(entries(registration)) == 1


def test_entries_name_no_person_and_unknown_actions_are_refused(staff):
    person = UserFactory(last_name="Kerouac")
    registration = event_services.registration_create(session=SessionFactory(), user=person)
    entry = audit_log(instance=registration, action="events.registration_cancel", user=staff)
    assert "Kerouac" not in entry.label
    with pytest.raises(ValueError):
        audit_log(instance=registration, action="events.registration_erase", user=staff)
