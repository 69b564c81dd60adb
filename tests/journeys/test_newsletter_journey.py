import re
import time as clock
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core import mail
from django.utils import timezone

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from newsletter.models import Subscriber
from newsletter.services import campaign_send
from tests.factories.directory import PlaceFactory
from tests.factories.events import SessionFactory, conference_page
from tests.factories.newsletter import CampaignFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def subscribe_from_footer(page, email: str) -> int:
    """Subscribe in the footer; returns how many messages the outbox holds once the
    confirmation link has been sent."""
    expected = len(mail.outbox) + 1
    page.goto("/")
    footer = page.locator("footer")
    footer.get_by_label("Adresse électronique").fill(email)
    footer.get_by_label("J'accepte de recevoir").check()
    footer.get_by_role("button", name="S'inscrire à la lettre").click()
    expect(page.get_by_role("heading", name="Vérifiez votre boîte de réception")).to_be_visible()
    return expected


def nth_email(count: int):
    """The `count`-th message of the outbox, once the server thread has sent it."""
    deadline = clock.monotonic() + 15
    while len(mail.outbox) < count and clock.monotonic() < deadline:
        clock.sleep(0.1)
    assert len(mail.outbox) >= count, "le courriel de confirmation n'est pas parti"
    return mail.outbox[count - 1]


def confirm_from_email(page, live_server, message_number: int) -> None:
    link = re.search(r"\S+/lettre/confirmer/\S+/", nth_email(message_number).body)[0]
    page.goto(link.replace(settings.SITE_URL, live_server.url))
    page.get_by_role("button", name="Je confirme mon inscription").click()
    expect(page.get_by_role("heading", name="Inscription confirmée")).to_be_visible()


def receive_campaign(email: str, subject: str):
    campaign_send(campaign=CampaignFactory(subject=subject))
    received = [m for m in mail.outbox if m.to == [email] and m.subject == subject]
    assert len(received) == 1
    return received[0]


def test_subscribe_confirm_receive_and_unsubscribe_in_one_click(page, live_server):
    email = "nolwenn@exemple.fr"
    sent = subscribe_from_footer(page, email)
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING
    confirm_from_email(page, live_server, sent)
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED

    message = receive_campaign(email, "La lettre de décembre")
    # A mail client's one-click unsubscribe (RFC 8058): a bare POST, no cookie, no CSRF token.
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    https_url = re.match(r"<([^>]+)>", message.extra_headers["List-Unsubscribe"])[1]
    response = page.request.post(
        https_url.replace(settings.SITE_URL, live_server.url),
        form={"List-Unsubscribe": "One-Click"},
    )
    assert response.status == 200
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED

    # Coming back needs a new opt-in; then the visible link of the message, in the browser.
    sent = subscribe_from_footer(page, email)
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING
    confirm_from_email(page, live_server, sent)
    message = receive_campaign(email, "La lettre de janvier")
    html = message.alternatives[0].content
    visible_link = re.search(r'href="([^"]+)"[^>]*>Se désinscrire en un clic', html)[1]
    page.goto(visible_link.replace("&amp;", "&").replace(settings.SITE_URL, live_server.url))
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED  # GET changes nothing
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    assert not serious, serious
    page.get_by_role("button", name="Me désinscrire").click()
    expect(page.get_by_role("heading", name="Désinscription enregistrée")).to_be_visible()
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert subscriber.unsubscribed_from.subject == "La lettre de janvier"


def test_agenda_page_downloads_the_paper_agenda(page, tmp_path):
    month = (timezone.localdate().replace(day=1) + timedelta(days=40)).replace(day=1)
    start = timezone.make_aware(datetime.combine(month + timedelta(days=2), time(14)))
    session = SessionFactory(
        page=conference_page(title="Atelier Aidants Connect"),
        start=start,
        end=start + timedelta(hours=2),
        venue=PlaceFactory(departement="29", commune="Brest"),
    )
    page.goto(session.page.get_parent().url)
    form = page.get_by_role("group", name="Agenda papier (PDF à imprimer et afficher)")
    form.get_by_label("Mois").select_option(f"{month:%Y-%m}")
    form.get_by_label("Département").select_option("29")
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    assert not serious, serious
    with page.expect_download() as download_info:
        form.get_by_role("button", name="Télécharger l'agenda papier").click()
    download = download_info.value
    assert download.suggested_filename == f"agenda-{month:%Y-%m}-29.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
