from django.core import mail

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from events import services
from events.models import Registration
from tests.factories.accounts import DEFAULT_PASSWORD, UserFactory
from tests.factories.events import SessionFactory, agenda_index, conference_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def serious_violations(page) -> list:
    results = Axe().run(page)
    return [
        violation["id"]
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_find_register_see_cancel_and_the_waitlisted_person_is_promoted(page):
    agenda_index()
    conference = conference_page(title="Rencontre régionale opérateurs–médiateurs")
    session = SessionFactory(page=conference, title="Atelier orientation", capacity=1)
    UserFactory(email="camille@exemple.fr", first_name="Camille")
    waiting = UserFactory(email="yann@exemple.fr")

    page.goto("/comptes/login/")
    page.get_by_label("E-mail").fill("camille@exemple.fr")
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url("**/mon-espace/")

    page.goto("/agenda/")
    assert serious_violations(page) == []
    page.get_by_role(
        "link", name="Rencontre régionale opérateurs–médiateurs — Atelier orientation"
    ).click()
    expect(page.get_by_text("1 place restante")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("link", name="S'inscrire").click()
    page.get_by_label("Régime alimentaire").fill("végétarien")
    page.get_by_role("button", name="Confirmer mon inscription").click()
    expect(page.get_by_role("heading", name="Inscription confirmée", level=1)).to_be_visible()

    assert services.registration_create(session=session, user=waiting).status == "waitlisted"

    page.get_by_role("link", name="Mon espace").first.click()
    title = "Rencontre régionale opérateurs–médiateurs — Atelier orientation"
    assert serious_violations(page) == []
    expect(page.get_by_role("link", name=title, exact=True)).to_be_visible()
    page.get_by_role("link", name="Annuler — Rencontre régionale").click()
    page.get_by_role("button", name="Oui, annuler mon inscription").click()
    page.wait_for_url("**/mon-espace/")
    expect(page.get_by_text("Votre inscription est annulée.")).to_be_visible()

    assert Registration.objects.get(user=waiting, session=session).status == "confirmed"
    assert any(
        message.to == [waiting.email] and "Une place s'est libérée" in message.subject
        for message in mail.outbox
    )
