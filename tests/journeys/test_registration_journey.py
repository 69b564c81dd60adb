"""Registration as a mediator makes it on a phone (360 px): two clicks from the session page,
the waiting list joined and left with its own wording, and every page on the way fits the
screen and passes axe-core's WCAG 2.1 A/AA rules."""

import re

from django.core import mail

import pytest
from playwright.sync_api import expect

from events import services
from events.models import Registration
from tests.browser import phone_check
from tests.factories.accounts import DEFAULT_PASSWORD, UserFactory
from tests.factories.events import SessionFactory, agenda_index, conference_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
TITLE = "Rencontre régionale opérateurs–médiateurs — Atelier orientation"


def log_in(phone, email):
    phone.goto("/comptes/login/")
    assert phone_check(phone) == {}
    phone.get_by_label("E-mail").fill(email)
    phone.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    phone.get_by_role("button", name="Connexion").click()
    phone.wait_for_url("**/mon-espace/")


class Walk:
    """The pages a journey went through, with what was wrong on each."""

    def __init__(self, phone):
        self.phone = phone
        self.problems = {}

    def check(self, step: str) -> None:
        if found := phone_check(self.phone):
            self.problems[step] = found


def test_register_in_two_clicks_then_cancel_and_the_waitlisted_person_is_promoted(phone):
    agenda_index()
    conference = conference_page(title="Rencontre régionale opérateurs–médiateurs")
    session = SessionFactory(page=conference, title="Atelier orientation", capacity=1)
    UserFactory(email="camille@exemple.fr", first_name="Camille")
    waiting = UserFactory(email="yann@exemple.fr")
    walk = Walk(phone)

    log_in(phone, "camille@exemple.fr")
    walk.check("Mon espace")
    phone.goto("/agenda/")
    walk.check("agenda")
    phone.get_by_role("link", name=TITLE).click()
    expect(phone.get_by_text("1 place restante")).to_be_visible()
    walk.check("session")

    # Two clicks: « S'inscrire », then « Confirmer mon inscription ».
    phone.get_by_role("link", name=re.compile("^S'inscrire")).click()
    walk.check("confirmation")
    phone.get_by_label("Régime alimentaire").fill("végétarien")
    phone.get_by_role("button", name="Confirmer mon inscription").click()
    expect(phone.get_by_role("heading", name="Inscription confirmée", level=1)).to_be_visible()
    walk.check("inscription confirmée")

    assert services.registration_create(session=session, user=waiting).status == "waitlisted"

    phone.get_by_role("link", name="Mon espace").first.click()
    expect(phone.get_by_role("link", name=TITLE, exact=True)).to_be_visible()
    walk.check("Mon espace inscrite")
    phone.get_by_role("link", name="Annuler — Rencontre régionale").click()
    expect(phone.get_by_text("Votre place sera proposée")).to_be_visible()
    walk.check("annulation")
    phone.get_by_role("button", name="Oui, annuler mon inscription").click()
    phone.wait_for_url("**/mon-espace/")
    expect(phone.get_by_text("Votre inscription est annulée.")).to_be_visible()

    assert Registration.objects.get(user=waiting, session=session).status == "confirmed"
    assert any(
        message.to == [waiting.email] and "Une place s'est libérée" in message.subject
        for message in mail.outbox
    )
    assert walk.problems == {}


def test_join_the_waiting_list_see_the_rank_and_leave_it(phone):
    """A full session: the person joins the waiting list, reads their rank in Mon espace and
    on the session, and leaves with words for someone who has no seat to give back."""
    agenda_index()
    conference = conference_page(title="Rencontre régionale opérateurs–médiateurs")
    session = SessionFactory(page=conference, title="Atelier orientation", capacity=1)
    services.registration_create(session=session, user=UserFactory())
    UserFactory(email="camille@exemple.fr", first_name="Camille")
    walk = Walk(phone)

    log_in(phone, "camille@exemple.fr")
    phone.goto(session.get_absolute_url())
    expect(phone.get_by_text("Complet — liste d'attente")).to_be_visible()
    walk.check("session complète")
    phone.get_by_role("link", name=re.compile("^S'inscrire sur la liste d'attente")).click()
    expect(phone.get_by_text("vous serez inscrit·e sur la liste d'attente")).to_be_visible()
    walk.check("confirmation liste d'attente")
    phone.get_by_role("button", name="Confirmer mon inscription").click()
    expect(
        phone.get_by_role("heading", name="Liste d'attente, position 1", level=1)
    ).to_be_visible()
    expect(phone.get_by_role("link", name="Annuler mon inscription")).to_have_count(0)
    walk.check("sur la liste d'attente")
    phone.goto(session.get_absolute_url())
    expect(phone.get_by_text("1 personne en liste d'attente")).to_be_visible()
    expect(phone.get_by_role("link", name="Vous êtes sur la liste d'attente")).to_be_visible()
    walk.check("session, en attente")

    phone.get_by_role("link", name="Mon espace").first.click()
    expect(phone.get_by_text("Liste d'attente : 1re position")).to_be_visible()
    walk.check("Mon espace en attente")
    phone.get_by_role("link", name=f"Quitter la liste d'attente — {TITLE}").click()
    expect(phone.get_by_role("heading", name="Quitter la liste d'attente", level=1)).to_be_visible()
    expect(phone.get_by_text("Vous n'avez pas encore de place")).to_be_visible()
    expect(phone.get_by_text("Votre place sera proposée")).to_have_count(0)
    walk.check("quitter la liste d'attente")
    phone.get_by_role("button", name="Oui, quitter la liste d'attente").click()
    phone.wait_for_url("**/mon-espace/")
    expect(phone.get_by_text("Vous avez quitté la liste d'attente.")).to_be_visible()
    walk.check("Mon espace après")

    assert not Registration.objects.filter(
        session=session, user__email="camille@exemple.fr", status="waitlisted"
    ).exists()
    assert walk.problems == {}
