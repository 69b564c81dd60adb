"""Staff find a person among the accounts in a searchable chooser (issue 18 §5) when they
register someone who called; names and addresses stay with Hub staff."""

import json

from django.core import mail
from django.urls import reverse

import pytest
from bs4 import BeautifulSoup

from accounts.models import User
from events.models import Registration
from tests.factories.accounts import UserFactory, hub_staff, numeritheque_manager
from tests.factories.events import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(hub_staff(email="equipe@hub.fr"))
    return client


def results(client, query: str) -> str:
    return client.get(
        reverse("accounts_person_chooser:choose_results"), {"q": query}
    ).content.decode()


def test_the_chooser_finds_a_person_by_name_or_address(staff_client):
    UserFactory(first_name="Annick", last_name="Le Goff", email="annick@mairie-quimper.fr")
    UserFactory(first_name="Yann", last_name="Martin", email="yann@ccas-brest.fr")
    for query in ("annick", "le goff", "mairie-quimper", "annick quimper"):
        html = results(staff_client, query)
        assert "annick@mairie-quimper.fr" in html and "yann@ccas-brest.fr" not in html, query
    assert "Annick" not in results(staff_client, "annick brest")
    modal = json.loads(staff_client.get(reverse("accounts_person_chooser:choose")).content)
    assert "Nom, prénom ou adresse électronique" in modal["html"]


def test_only_hub_staff_may_look_people_up(client):
    person = UserFactory(email="annick@mairie-quimper.fr")
    client.force_login(numeritheque_manager())
    for url in (
        reverse("accounts_person_chooser:choose"),
        reverse("accounts_person_chooser:choose_results") + "?q=annick",
        reverse("accounts_person_chooser:chosen", args=[person.pk]),
    ):
        response = client.get(url)
        # Wagtail turns the refusal into a redirect to the admin home, with its message.
        assert response.status_code == 302 and response["Location"] == "/admin/", url
        assert "annick@mairie-quimper.fr" not in response.content.decode()


def test_the_registration_form_offers_the_chooser(staff_client):
    session = SessionFactory()
    html = staff_client.get(f"/admin/agenda/sessions/manage/{session.pk}/").content.decode()
    form = BeautifulSoup(html, "html.parser").select_one(f"form[action$='/{session.pk}/register/']")
    assert form.select_one("input[name=account][type=hidden]") is not None
    assert "Chercher une personne qui a déjà un compte" in str(form)


def test_staff_register_the_person_they_chose(staff_client, django_capture_on_commit_callbacks):
    person = UserFactory(first_name="Annick", last_name="Le Goff")
    session = SessionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            f"/admin/agenda/sessions/manage/{session.pk}/register/",
            {"account": person.pk},
            follow=True,
        )
    assert "Annick Le Goff est inscrit·e" in response.content.decode()
    assert Registration.objects.get(session=session).user == person
    assert not any("mot de passe" in message.subject for message in mail.outbox)


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({}, "Indiquez l&#x27;adresse électronique, ou choisissez une personne"),
        ({"account": "abc"}, "Cette personne n&#x27;a pas de compte actif."),
        ({"account": "999999"}, "Cette personne n&#x27;a pas de compte actif."),
    ],
)
def test_no_one_chosen_nor_named_changes_nothing(staff_client, posted, message):
    session = SessionFactory()
    accounts = User.objects.count()
    response = staff_client.post(
        f"/admin/agenda/sessions/manage/{session.pk}/register/", posted, follow=True
    )
    assert message in response.content.decode()
    assert not Registration.objects.exists()
    assert User.objects.count() == accounts
