"""A date poll on a phone (360 px), as colleagues answer it and the proposer closes it: oui /
si besoin / non for each date, then the proposer picks the date, which publishes the session
and registers them. Every page fits the screen and passes axe-core (WCAG 2.1 A/AA)."""

from django.core import mail

import pytest
from playwright.sync_api import expect

from events.models import Registration, Session
from peer_exchange.models import ProposalVote
from tests.browser import phone_check
from tests.factories.accounts import DEFAULT_PASSWORD, UserFactory
from tests.factories.events import agenda_index
from tests.factories.peer_exchange import peer_format, proposal

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def log_in_as(phone, email):
    phone.context.clear_cookies()
    phone.goto("/comptes/login/")
    phone.get_by_label("E-mail").fill(email)
    phone.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    phone.get_by_role("button", name="Connexion").click()
    phone.wait_for_url("**/mon-espace/")


def answer(phone, row: int, label: str):
    phone.locator("tbody tr").nth(row).get_by_role("button", name=label, exact=True).click()
    expect(phone.get_by_text("C'est noté : votre réponse est enregistrée.")).to_be_visible()


def test_colleagues_answer_and_the_proposer_closes_the_poll_into_a_session(phone):
    agenda_index()
    proposer = UserFactory(email="camille@exemple.fr", first_name="Camille", last_name="Le Goff")
    UserFactory(email="yann@exemple.fr", first_name="Yann", last_name="Morvan")
    UserFactory(email="nolwenn@exemple.fr", first_name="Nolwenn", last_name="Riou")
    poll = proposal(
        proposer=proposer,
        format_page=peer_format(group_size_max=8),
        topic="Co-formation à la nouvelle interface ANTS",
    )
    first, second = poll.dates.order_by("start")
    url = f"/echanges/propositions/{poll.pk}/"
    problems = {}

    log_in_as(phone, "yann@exemple.fr")
    phone.goto(url)
    expect(phone.get_by_role("heading", name=poll.topic, level=1)).to_be_visible()
    problems["sondage"] = phone_check(phone)
    answer(phone, 0, "Oui")
    answer(phone, 1, "Si besoin")
    expect(
        phone.locator("tbody tr").nth(1).get_by_role("button", name="Si besoin")
    ).to_have_attribute("aria-pressed", "true")
    problems["sondage répondu"] = phone_check(phone)

    log_in_as(phone, "nolwenn@exemple.fr")
    phone.goto(url)
    answer(phone, 0, "Oui")
    answer(phone, 1, "Non")
    expect(phone.locator("tbody tr").nth(0)).to_contain_text("Yann Morvan (oui)")
    problems["sondage, noms visibles"] = phone_check(phone)

    log_in_as(phone, "camille@exemple.fr")
    phone.goto(url)
    expect(phone.get_by_role("heading", name="Clore le sondage", level=2)).to_be_visible()
    problems["sondage, vue de la personne qui propose"] = phone_check(phone)
    phone.get_by_role("button", name="Clore le sondage sur cette date").click()
    expect(phone.get_by_text("Choisissez la date retenue pour clore le sondage.")).to_be_visible()
    problems["clore sans date"] = phone_check(phone)
    phone.get_by_label("2 personnes disponibles").first.check()
    phone.get_by_role("button", name="Clore le sondage sur cette date").click()
    expect(phone.get_by_text("Le sondage est clos")).to_be_visible()
    problems["séance publiée"] = phone_check(phone)

    session = Session.objects.get()
    assert session.start == first.start and session.capacity == 8
    assert session.registrations.get().user == proposer
    assert session.registrations.get().status == Registration.Status.CONFIRMED
    told = sorted(m.to[0] for m in mail.outbox if "la date est fixée" in m.subject)
    assert told == ["nolwenn@exemple.fr", "yann@exemple.fr"]
    assert ProposalVote.objects.filter(date=second).count() == 2
    assert {step: found for step, found in problems.items() if found} == {}
