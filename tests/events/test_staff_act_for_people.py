"""Staff act for people: register someone who called (their account, or one opened for them
with a « définir votre mot de passe » email), add a walk-in at the door, export satisfaction."""

import csv
import datetime
import io

from django.core import mail
from django.utils import timezone

import pytest
from openpyxl import load_workbook

from accounts.models import User
from events.models import Registration, Session
from tests.factories.accounts import UserFactory, hub_staff
from tests.factories.events import SessionFactory
from tests.factories.trainings import training_page, training_session
from trainings.models import SatisfactionAnswer

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(hub_staff(email="equipe@hub.fr"))
    return client


PERSON = {"first_name": "Annick", "last_name": "Le Goff", "email": "Annick.LeGoff@exemple.fr"}


def test_someone_who_called_gets_an_account_and_a_set_password_link(
    staff_client, django_capture_on_commit_callbacks
):
    session = SessionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            f"/admin/agenda/sessions/manage/{session.pk}/register/", PERSON, follow=True
        )
    assert "Annick Le Goff est inscrit·e" in response.content.decode()
    user = User.objects.get(email="annick.legoff@exemple.fr")
    assert not user.has_usable_password()
    registration = Registration.objects.get(session=session, user=user)
    assert registration.status == Registration.Status.CONFIRMED
    subjects = sorted(message.subject for message in mail.outbox)
    assert any("définissez votre mot de passe" in subject for subject in subjects)
    invitation = next(m for m in mail.outbox if "mot de passe" in m.subject)
    link = next(line for line in invitation.body.splitlines() if "/password/reset/key/" in line)
    path = (
        link.split("testserver", 1)[-1] if "testserver" in link else link[link.index("/comptes") :]
    )
    staff_client.logout()
    form_page = staff_client.get(path, follow=True)
    assert form_page.status_code == 200
    assert 'name="password1"' in form_page.content.decode()


def test_an_existing_account_gets_the_registration(
    staff_client, django_capture_on_commit_callbacks
):
    person = UserFactory(email="annick.legoff@exemple.fr")
    session = SessionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(f"/admin/agenda/sessions/manage/{session.pk}/register/", PERSON)
    assert User.objects.filter(email__iexact=PERSON["email"]).count() == 1
    assert Registration.objects.get(session=session).user == person
    assert not any("mot de passe" in message.subject for message in mail.outbox)


def test_a_bad_address_changes_nothing(staff_client):
    session = SessionFactory()
    accounts_before = User.objects.count()
    response = staff_client.post(
        f"/admin/agenda/sessions/manage/{session.pk}/register/",
        {**PERSON, "email": "pas-un-courriel"},
        follow=True,
    )
    assert "Saisissez une adresse de courriel valide" in response.content.decode()
    assert not Registration.objects.exists()
    assert User.objects.count() == accounts_before


def test_a_walk_in_is_added_present_even_when_full(staff_client):
    session = SessionFactory(capacity=0)
    start = timezone.now() - datetime.timedelta(minutes=10)
    Session.objects.filter(pk=session.pk).update(
        start=start, end=start + datetime.timedelta(hours=2)
    )
    url = f"/admin/agenda/sessions/manage/{session.pk}/attendance/"
    assert "Ajouter une personne venue sans inscription" in staff_client.get(url).content.decode()
    response = staff_client.post(url + "walk-in/", PERSON, follow=True)
    assert "ajouté·e à la feuille" in response.content.decode()
    registration = Registration.objects.get(session=session)
    assert registration.status == Registration.Status.ATTENDED
    assert registration.user.email == "annick.legoff@exemple.fr"


def test_a_walk_in_is_refused_before_the_day(staff_client):
    session = SessionFactory()
    accounts_before = User.objects.count()
    response = staff_client.post(
        f"/admin/agenda/sessions/manage/{session.pk}/attendance/walk-in/", PERSON, follow=True
    )
    assert "le jour de la session" in response.content.decode()
    assert not Registration.objects.exists()
    assert User.objects.count() == accounts_before


def test_satisfaction_answers_export_as_csv_and_xlsx(staff_client):
    training = training_page(title="Accompagner aux démarches")
    session = training_session(training)
    registration = Registration.objects.create(
        session=session, user=UserFactory(), status=Registration.Status.ATTENDED
    )
    SatisfactionAnswer.objects.create(
        registration=registration,
        training=training,
        rating=4,
        useful='=HYPERLINK("http://x")',
        improve="Plus de pratique",
        would_recommend=True,
    )
    csv_response = staff_client.get(f"/admin/formations/satisfaction/{training.pk}/reponses.csv")
    text = b"".join(csv_response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:3] == ["Formation", "Session", "Note (sur 5)"]
    assert rows[1][0] == "Accompagner aux démarches" and rows[1][2] == "4"
    assert rows[1][4].startswith("'=")
    assert registration.user.email not in text
    xlsx = staff_client.get("/admin/formations/satisfaction/reponses.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = list(sheet.values)
    assert values[1][2] == 4 and values[1][3] == "oui"
    assert staff_client.get("/admin/formations/satisfaction/reponses.pdf").status_code == 404
