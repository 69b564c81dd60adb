import datetime
import io

from django.core import mail
from django.urls import reverse
from django.utils import timezone

import pytest
from openpyxl import load_workbook

from core.errors import DomainError
from events import services
from events.models import Registration, Session
from tests.factories.accounts import UserFactory, hub_staff, structure_manager
from tests.factories.directory import PlaceFactory
from tests.factories.events import SessionFactory, conference_page
from tests.factories.newsletter import ThemeFactory
from tests.factories.peer_exchange import peer_format
from tests.factories.trainings import training_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(hub_staff())
    return client


@pytest.fixture
def full_session():
    session = SessionFactory(capacity=1)
    holder = services.registration_create(
        session=session, user=UserFactory(last_name="Le Bihan"), answers={"dietary": "végétarien"}
    )
    waiting = services.registration_create(session=session, user=UserFactory(last_name="Tanguy"))
    return session, holder, waiting


def test_manage_page_shows_registrations_waiting_list_and_seats(staff_client, full_session):
    session, holder, waiting = full_session
    html = staff_client.get(f"/admin/agenda/sessions/manage/{session.pk}/").content.decode()
    assert "Le Bihan" in html and "Tanguy" in html
    assert "1 confirmé·e sur 1 place —" in html
    assert "1 personne en liste d&#x27;attente" in html or "1 personne en liste d'attente" in html


@pytest.mark.parametrize(
    ("capacity", "expected"),
    [
        (3, "2 confirmé·es sur 3 places — 1 place restante"),
        (None, "2 confirmé·es, places illimitées"),
    ],
)
def test_manage_page_counts_seats_in_french_plurals(staff_client, capacity, expected):
    session = SessionFactory(capacity=capacity)
    for _ in range(2):
        services.registration_create(session=session, user=UserFactory())
    html = staff_client.get(f"/admin/agenda/sessions/manage/{session.pk}/").content.decode()
    assert expected in html


def test_session_listing_in_admin(staff_client, full_session):
    response = staff_client.get("/admin/agenda/sessions/")
    assert response.status_code == 200
    assert "1 / 1 (1 en attente)" in response.content.decode()


@pytest.mark.parametrize(
    "url", ["manage/{pk}/", "manage/{pk}/attendance/", "manage/{pk}/export.csv"]
)
def test_staff_only(client, full_session, url):
    session, _holder, _waiting = full_session
    full_url = "/admin/agenda/sessions/" + url.format(pk=session.pk)
    assert client.get(full_url).status_code == 302
    client.force_login(UserFactory())
    assert client.get(full_url).status_code in (302, 403)
    client.force_login(structure_manager())
    assert client.get(full_url).status_code in (302, 403)


def test_exports_csv_and_xlsx(staff_client, full_session):
    session, _holder, _waiting = full_session
    response = staff_client.get(f"/admin/agenda/sessions/manage/{session.pk}/export.csv")
    text = response.getvalue().decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Nom;Prénom;")
    assert "Le Bihan" in text and "végétarien" in text and "Tanguy" in text
    response = staff_client.get(f"/admin/agenda/sessions/manage/{session.pk}/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "Nom" and len(rows) == 3
    assert {row[0] for row in rows[1:]} == {"Le Bihan", "Tanguy"}


def test_attendance_sheet_marks_presence_on_the_day(staff_client, full_session, time_machine):
    session, holder, _waiting = full_session
    time_machine.move_to(session.start)
    url = f"/admin/agenda/sessions/manage/{session.pk}/attendance/"
    assert "Le Bihan" in staff_client.get(url).content.decode()
    staff_client.post(url, {"registration": holder.pk, "attended": "1"})
    assert Registration.objects.get(pk=holder.pk).status == "attended"


def test_capacity_raise_promotes_and_lowering_below_confirmed_is_refused(
    staff_client, full_session, django_capture_on_commit_callbacks
):
    session, _holder, waiting = full_session
    url = f"/admin/agenda/sessions/manage/{session.pk}/capacity/"
    response = staff_client.post(url, {"capacity": "0"}, follow=True)
    assert (
        "Impossible de descendre à 0 place : 1 personne est déjà confirmée. Annulez d&#x27;abord"
    ) in response.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url, {"capacity": "2"})
    assert Registration.objects.get(pk=waiting.pk).status == "confirmed"
    assert mail.outbox[0].to == [waiting.user.email]


def test_cancel_session_and_message_participants(
    staff_client, full_session, django_capture_on_commit_callbacks
):
    session, holder, _waiting = full_session
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            f"/admin/agenda/sessions/manage/{session.pk}/message/",
            {"subject": "Plan d'accès", "message": "Entrée par la cour."},
        )
    assert [m.to for m in mail.outbox] == [[holder.user.email]]
    assert "Entrée par la cour." in mail.outbox[0].body
    mail.outbox.clear()
    cancel = f"/admin/agenda/sessions/manage/{session.pk}/cancel/"
    confirm = staff_client.post(cancel, {"reason": "Tempête"}).content.decode()
    assert "2 personnes seront prévenues par courriel" in confirm
    assert Session.objects.get(pk=session.pk).status == "scheduled"
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(cancel, {"reason": "Tempête", "notified": "2"})
    assert Session.objects.get(pk=session.pk).status == "cancelled"
    assert len(mail.outbox) == 2


def test_a_registration_since_the_confirmation_is_shown_before_cancelling(
    staff_client, full_session
):
    session, _holder, _waiting = full_session
    services.registration_create(session=session, user=UserFactory())
    response = staff_client.post(
        f"/admin/agenda/sessions/manage/{session.pk}/cancel/",
        {"reason": "Tempête", "notified": "2"},
    )
    assert response.status_code == 400
    assert "3 personnes seraient prévenues" in response.content.decode()
    assert Session.objects.get(pk=session.pk).status == "scheduled"


def test_staff_cancels_a_registration(staff_client, full_session):
    session, holder, waiting = full_session
    staff_client.post(
        f"/admin/agenda/sessions/manage/{session.pk}/registrations/{holder.pk}/cancel/"
    )
    assert Registration.objects.get(pk=holder.pk).status == "cancelled"
    assert Registration.objects.get(pk=waiting.pk).status == "confirmed"


def test_create_and_edit_session_through_the_admin_use_services(staff_client):
    page = conference_page()
    place = PlaceFactory(departement="56")
    start = (timezone.localtime() + datetime.timedelta(days=20)).replace(second=0, microsecond=0)
    data = {
        "page": page.pk,
        "title": "Atelier du matin",
        "kind": "conference",
        "start": start.strftime("%Y-%m-%d %H:%M"),
        "end": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%d %H:%M"),
        "venue": place.pk,
        "online_url": "",
        "capacity": "12",
        "waiting_list_enabled": "on",
        "registration_opens_at": "",
        "registration_closes_at": "",
        "external_registration_url": "",
    }
    response = staff_client.post("/admin/agenda/sessions/new/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    session = Session.objects.get()
    assert session.departement == "56" and session.capacity == 12
    data.update({"title": "Atelier de l'après-midi", "capacity": "15"})
    response = staff_client.post(f"/admin/agenda/sessions/edit/{session.pk}/", data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.title == "Atelier de l'après-midi" and session.capacity == 15
    assert session.sequence == 1


def test_admin_refuses_to_delete_a_session_with_registrations(staff_client, full_session):
    session, _holder, _waiting = full_session
    response = staff_client.post(f"/admin/agenda/sessions/delete/{session.pk}/", follow=True)
    assert "annulez la session plutôt que de la supprimer" in response.content.decode()
    assert Session.objects.filter(pk=session.pk).exists()


def session_form_data(page, start, hours=2, **extra):
    return {
        "page": page.pk,
        "title": "",
        "kind": "conference",
        "start": start.strftime("%Y-%m-%d %H:%M"),
        "end": (start + datetime.timedelta(hours=hours)).strftime("%Y-%m-%d %H:%M"),
        "online_url": "",
        "outside_location": "",
        "capacity": "",
        "waiting_list_enabled": "on",
        "registration_opens_at": "",
        "registration_closes_at": "",
        "external_registration_url": "",
        **extra,
    }


def test_a_page_that_takes_no_sessions_is_refused_in_french(staff_client):
    legal = conference_page().get_parent()  # the agenda index takes no session
    start = timezone.localtime() + datetime.timedelta(days=5)
    response = staff_client.post("/admin/agenda/sessions/new/", session_form_data(legal, start))
    assert "Cette page ne reçoit pas de sessions" in response.content.decode()
    assert not Session.objects.exists()


def test_the_page_chooser_offers_only_page_types_that_take_sessions(staff_client):
    html = staff_client.get("/admin/agenda/sessions/new/").content.decode()
    for model in (
        "events.conferencepage",
        "trainings.trainingpage",
        "peer_exchange.peerformatpage",
    ):
        assert model in html
    assert "events.agendaindexpage" not in html and "portal.contentpage" not in html


def test_service_refuses_end_before_start_and_non_session_pages():
    page = conference_page()
    start = timezone.now() + datetime.timedelta(days=3)
    with pytest.raises(DomainError) as refused:
        services.session_create(page=page, start=start, end=start)
    assert refused.value.code == "end_before_start"
    with pytest.raises(DomainError) as refused:
        services.session_create(
            page=page.get_parent(), start=start, end=start + datetime.timedelta(hours=1)
        )
    assert refused.value.code == "not_a_session_page"
    session = SessionFactory()
    with pytest.raises(DomainError) as refused:
        services.session_update(session=session, end=session.start)
    assert refused.value.code == "end_before_start"


def test_capacity_zero_is_zero_seats_and_empty_is_unlimited(staff_client):
    SessionFactory(capacity=0)
    SessionFactory(capacity=None)
    html = staff_client.get("/admin/agenda/sessions/").content.decode()
    assert "0 / 0 (0 en attente)" in html
    assert "0 / illimité" in html
    assert "∞" not in html


def test_each_session_row_links_to_registrations_attendance_exports_and_message(
    staff_client, full_session
):
    session, _holder, _waiting = full_session
    html = staff_client.get("/admin/agenda/sessions/").content.decode()
    for name in ("manage", "attendance", "export_csv", "export_xlsx", "message"):
        assert reverse(f"events_sessions:{name}", args=[session.pk]) in html


def test_page_explorer_shows_a_visible_sessions_button(staff_client):
    page = conference_page()
    html = staff_client.get(f"/admin/pages/{page.get_parent().pk}/").content.decode()
    button = f'href="/admin/agenda/sessions/?page_id={page.pk}"'
    assert button in html
    # Visible in the row, not inside the "⋯" dropdown.
    row = html[html.index(button) - 400 : html.index(button)]
    assert "w-dropdown" not in row.split("<td")[-1]


def test_listing_of_one_page_and_add_prefilled_from_it(staff_client):
    page = conference_page()
    mine = SessionFactory(page=page)
    other = SessionFactory()
    html = staff_client.get(f"/admin/agenda/sessions/?page_id={page.pk}").content.decode()
    assert reverse("events_sessions:manage", args=[mine.pk]) in html
    assert reverse("events_sessions:manage", args=[other.pk]) not in html
    assert f"/admin/agenda/sessions/new/?page_id={page.pk}" in html
    assert "Ajouter une session" in html and "un(e)" not in html


def test_a_session_added_from_a_page_returns_to_that_page_s_sessions(staff_client):
    """Staff who add a session from a page's « Sessions » list land back on that list."""
    page = conference_page()
    SessionFactory()  # another page's session, which that list does not show
    add_url = f"/admin/agenda/sessions/new/?page_id={page.pk}"
    assert f'action="{add_url}"' in staff_client.get(add_url).content.decode()
    start = timezone.localtime() + datetime.timedelta(days=5)
    response = staff_client.post(add_url, session_form_data(page, start, capacity="12"))
    assert response.status_code == 302
    assert response["Location"] == f"/admin/agenda/sessions/?page_id={page.pk}"
    assert Session.objects.filter(page=page, capacity=12).exists()


def test_a_session_added_from_the_list_of_all_returns_to_it(staff_client):
    page = conference_page()
    start = timezone.localtime() + datetime.timedelta(days=5)
    response = staff_client.post("/admin/agenda/sessions/new/", session_form_data(page, start))
    assert response.status_code == 302
    assert response["Location"] == "/admin/agenda/sessions/"


def test_message_screen(staff_client, full_session, django_capture_on_commit_callbacks):
    session, holder, _waiting = full_session
    url = reverse("events_sessions:message", args=[session.pk])
    assert staff_client.get(url).status_code == 200
    assert staff_client.post(url, {"subject": "", "message": ""}).status_code == 400
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, {"subject": "Salle", "message": "Salle 2."})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[holder.user.email]]


def test_a_new_session_takes_its_page_defaults():
    """Kind from the page type; a training's themes and partner link; a peer format's seats."""
    theme = ThemeFactory()
    relayed = training_page(
        themes=[theme], is_relayed=True, external_registration_url="https://partenaire.fr/i"
    )
    assert relayed.session_defaults() == {
        "page": relayed.pk,
        "kind": "training",
        "themes": [theme],
        "external_registration_url": "https://partenaire.fr/i",
    }
    peers = peer_format(group_size_max=9)
    assert peers.session_defaults() == {"page": peers.pk, "kind": "peer_exchange", "capacity": 9}


def test_a_finished_session_offers_only_attendance_and_follow_up(staff_client):
    session = SessionFactory()
    start = timezone.now() - datetime.timedelta(days=1)
    Session.objects.filter(pk=session.pk).update(
        start=start, end=start + datetime.timedelta(hours=2)
    )
    html = staff_client.get(f"/admin/agenda/sessions/manage/{session.pk}/").content.decode()
    assert "Annuler la session" not in html
    assert "Changer le nombre de places" not in html
    assert "Modifier la session" not in html
    assert "Feuille d&#x27;émargement" in html or "Feuille d'émargement" in html
    assert "Écrire aux participant·es (suivi)" in html
    listing = staff_client.get("/admin/agenda/sessions/").content.decode()
    assert "Terminée" in listing


def test_the_session_form_refuses_a_date_in_the_past_in_french(staff_client):
    page = conference_page()
    start = timezone.localtime() - datetime.timedelta(days=2000)
    response = staff_client.post(
        "/admin/agenda/sessions/new/",
        {
            "page": page.pk,
            "kind": "conference",
            "start": start.strftime("%Y-%m-%d %H:%M"),
            "end": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%d %H:%M"),
            "title": "",
            "online_url": "",
            "outside_location": "",
            "external_registration_url": "",
            "registration_opens_at": "",
            "registration_closes_at": "",
            "waiting_list_enabled": "on",
        },
    )
    assert "ne peut pas commencer dans le passé" in response.content.decode()
    assert not Session.objects.exists()
