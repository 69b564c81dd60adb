"""Issue 20 §5 in Chromium at 360 px: every date of a training is full; a mediator joins the
training's waiting list from its page; a seat frees up, the offer arrives by email (read from
the outbox) and « je prends » confirms her registration. axe-core on each page, no horizontal
scroll."""

import re
from urllib.parse import urlsplit

from django.core import mail

import pytest
from playwright.sync_api import expect

from events import services
from events.models import Registration
from tests.factories.accounts import UserFactory
from tests.factories.trainings import training_page, training_session
from tests.journeys.test_numeritheque_journey import log_in, serious_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 360, "height": 740}


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris", base_url=live_server.url
    )
    context.set_default_timeout(30_000)
    yield context.new_page()
    context.close()


def test_join_the_training_waiting_list_receive_the_offer_and_take_it(phone):
    page = phone
    training = training_page(title="Accompagner les démarches France Travail")
    session = training_session(training, capacity=1)
    holder = services.registration_create(session=session, user=UserFactory())
    UserFactory(first_name="Gwenaëlle", last_name="Le Bihan", email="gwenaelle@exemple.fr")

    log_in(page, "gwenaelle@exemple.fr", "/mon-espace/")
    page.goto(training.url)
    page.get_by_role(
        "link", name="Les dates sont complètes ? Rejoindre la liste d'attente de la formation"
    ).click()
    expect(page.get_by_role("heading", name="Rejoindre la liste d'attente")).to_be_visible()
    assert serious_violations(page) == []
    assert fits_the_phone(page)
    page.get_by_role("button", name="M'inscrire sur la liste d'attente").click()
    page.wait_for_url("**/mon-espace/#listes-attente")
    expect(page.get_by_text("1re position")).to_be_visible()

    mail.outbox.clear()
    services.registration_cancel(registration=holder, by=holder.user)  # a seat frees up
    [offer_mail] = [m for m in mail.outbox if m.to == ["gwenaelle@exemple.fr"]]
    take = re.search(r"Je prends la place : (\S+)", offer_mail.body).group(1)

    page.goto(urlsplit(take).path + "?" + urlsplit(take).query)
    expect(page.get_by_role("heading", name="Une place vous est réservée")).to_be_visible()
    assert serious_violations(page) == []
    assert fits_the_phone(page)
    page.get_by_role("button", name="Je prends la place").click()
    page.wait_for_url("**/mon-espace/#listes-attente")
    expect(page.get_by_text("C'est noté : votre inscription est confirmée.")).to_be_visible()
    assert fits_the_phone(page)
    assert Registration.objects.get(session=session, user__email="gwenaelle@exemple.fr").status == (
        "confirmed"
    )
