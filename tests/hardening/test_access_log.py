"""Each staff screen that shows other people's personal data leaves exactly one entry in the
access log; a person looking at their own data leaves none; the log is read-only."""

from django.urls import reverse

import pytest

from core.models import PersonalDataAccess
from directory.models import PlaceChange
from events import services as event_services
from numeritheque.services import booking_request
from tests.factories.accounts import UserFactory, hub_staff, numeritheque_manager
from tests.factories.directory import PlaceFactory
from tests.factories.events import SessionFactory
from tests.factories.newsletter import CampaignFactory, SubscriberFactory
from tests.factories.numeritheque import ItemFactory, days, manager_of_structure
from tests.factories.peer_exchange import proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    """Someone else's data in every app."""
    person, organisation = manager_of_structure(email="dominique@exemple.fr")
    session = SessionFactory()
    event_services.registration_create(
        session=session, user=person, answers={"dietary": "végétarien"}
    )
    booking = booking_request(
        requester=person,
        structure=organisation,
        items=[ItemFactory()],
        start=days(5),
        end=days(7),
        purpose="Atelier",
    )
    subscriber = SubscriberFactory(email=person.email)
    place = PlaceFactory()
    PlaceChange.objects.create(place=place, user=person, changes={"name": ["A", "B"]})
    return {
        "person": person,
        "session": session,
        "booking": booking,
        "subscriber": subscriber,
        "proposal": proposal(proposer=person),
        "place": place,
        "campaign": CampaignFactory(),
    }


def staff_screens(data) -> list[tuple[str, str]]:
    session, booking = data["session"].pk, data["booking"].pk
    return [
        ("events_sessions:manage", reverse("events_sessions:manage", args=[session])),
        ("events_sessions:attendance", reverse("events_sessions:attendance", args=[session])),
        ("events_sessions:export_csv", reverse("events_sessions:export_csv", args=[session])),
        ("events_sessions:export_xlsx", reverse("events_sessions:export_xlsx", args=[session])),
        ("numeritheque_guichet:index", reverse("numeritheque_guichet:index")),
        ("numeritheque_guichet:detail", reverse("numeritheque_guichet:detail", args=[booking])),
        ("numeritheque_guichet:export", reverse("numeritheque_guichet:export")),
        ("numeritheque_reservations:index", reverse("numeritheque_reservations:index")),
        (
            "numeritheque_reservations:inspect",
            reverse("numeritheque_reservations:inspect", args=[booking]),
        ),
        ("newsletter_admin:subscriber_export", reverse("newsletter_admin:subscriber_export")),
        (
            "newsletter_admin:campaign_dashboard",
            reverse("newsletter_admin:campaign_dashboard", args=[data["campaign"].pk]),
        ),
        (
            "wagtailsnippets_newsletter_subscriber:list",
            reverse("wagtailsnippets_newsletter_subscriber:list"),
        ),
        (
            "wagtailsnippets_newsletter_subscriber:edit",
            reverse("wagtailsnippets_newsletter_subscriber:edit", args=[data["subscriber"].pk]),
        ),
        ("peer_exchange_admin:proposal_index", reverse("peer_exchange_admin:proposal_index")),
        (
            "peer_exchange_admin:proposal_detail",
            reverse("peer_exchange_admin:proposal_detail", args=[data["proposal"].pk]),
        ),
        ("directory:place_history", reverse("directory:place_history", args=[data["place"].pk])),
        ("directory:place_changes", reverse("directory:place_changes")),
        ("wagtailusers_users:index", reverse("wagtailusers_users:index")),
        (
            "wagtailusers_users:edit",
            reverse("wagtailusers_users:edit", args=[data["person"].pk]),
        ),
    ]


@pytest.fixture
def superuser():
    return UserFactory(is_superuser=True, is_staff=True)


def test_each_staff_screen_records_exactly_one_access(client, data, superuser):
    client.force_login(superuser)
    missing = []
    for name, url in staff_screens(data):
        before = PersonalDataAccess.objects.count()
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        entries = list(PersonalDataAccess.objects.order_by("pk")[before:])
        if len(entries) != 1:
            missing.append((name, len(entries)))
            continue
        assert entries[0].user == superuser and entries[0].user_label == superuser.email
        assert entries[0].what and entries[0].path.startswith(url.split("?")[0])
    assert not missing, f"Écrans sans exactement une entrée au journal : {missing}"


def test_hub_staff_visits_are_recorded_with_the_object(client, data):
    staff = hub_staff()
    client.force_login(staff)
    client.get(reverse("events_sessions:manage", args=[data["session"].pk]))
    entry = PersonalDataAccess.objects.get()
    assert entry.user == staff
    assert entry.target == str(data["session"])


def test_numeritheque_manager_visits_are_recorded(client, data):
    manager = numeritheque_manager()
    client.force_login(manager)
    assert client.get(reverse("numeritheque_guichet:index")).status_code == 200
    assert PersonalDataAccess.objects.get().user == manager


def test_refused_visits_record_nothing(client, data):
    client.force_login(UserFactory())
    for _name, url in staff_screens(data):
        client.get(url)
    assert not PersonalDataAccess.objects.exists()


def test_a_person_looking_at_their_own_data_records_nothing(client, data):
    client.force_login(data["person"])
    assert client.get(reverse("portal:my_space")).status_code == 200
    assert client.get(reverse("portal:data_export")).status_code == 200
    assert not PersonalDataAccess.objects.exists()


def test_staff_read_the_log_in_the_admin_and_cannot_change_it(client, data):
    staff = hub_staff()
    client.force_login(staff)
    client.get(reverse("directory:place_history", args=[data["place"].pk]))
    entry = PersonalDataAccess.objects.get()
    listing = client.get(reverse("personal_data_access:index"))
    assert listing.status_code == 200
    assert "Historique d&#x27;un lieu" in listing.content.decode() or "Historique d'un lieu" in (
        listing.content.decode()
    )
    assert client.get(reverse("personal_data_access:inspect", args=[entry.pk])).status_code == 200
    assert client.get(reverse("personal_data_access:add")).status_code in (302, 403)
    assert client.get(reverse("personal_data_access:edit", args=[entry.pk])).status_code in (
        302,
        403,
    )
    response = client.post(reverse("personal_data_access:delete", args=[entry.pk]))
    assert response.status_code in (302, 403)
    assert PersonalDataAccess.objects.filter(pk=entry.pk).exists()


def test_a_mediator_cannot_read_the_log(client):
    client.force_login(UserFactory())
    response = client.get(reverse("personal_data_access:index"))
    assert response.status_code in (302, 403)
