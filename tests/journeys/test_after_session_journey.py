"""Issue 20's journey in Chromium: a mediator attended a training; the day after, the
follow-up email arrives (read from the outbox); she downloads her certificate from Mon espace,
its QR code is scanned (pdftoppm renders the page, zbarimg decodes it) and the verification
page opens for an anonymous visitor."""

import shutil
import subprocess
from urllib.parse import urlsplit

from django.core import mail

import pytest
from playwright.sync_api import expect

from tests.factories.accounts import DEFAULT_PASSWORD, UserFactory
from tests.factories.trainings import past_registration, training_page
from trainings.tasks import follow_ups_send_due

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def scan_qr_code(pdf_path, tmp_path) -> str:
    for tool in ("pdftoppm", "zbarimg"):
        if not shutil.which(tool):
            pytest.skip(f"{tool} manque (.ci/run installe poppler-utils et zbar-tools)")
    subprocess.run(
        ["pdftoppm", "-r", "100", "-png", "-singlefile", str(pdf_path), str(tmp_path / "scan")],
        check=True,
        timeout=120,
    )
    return subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(tmp_path / "scan.png")],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout.strip()


def test_attend_follow_up_certificate_qr_code_and_anonymous_verification(
    page, browser, live_server, tmp_path
):
    person = UserFactory(first_name="Nolwenn", last_name="Kerhervé", email="nolwenn@exemple.fr")
    training = training_page(title="Accompagner les démarches ANTS")
    registration = past_registration(person, training=training, days_ago=1)

    mail.outbox.clear()
    assert follow_ups_send_due() == 1  # the beat job of the day after
    [message] = mail.outbox
    assert message.to == ["nolwenn@exemple.fr"]
    assert f"/formation/attestations/{registration.pk}.pdf" in message.body

    page.goto("/comptes/login/")
    page.get_by_label("E-mail").fill("nolwenn@exemple.fr")
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url("**/mon-espace/")
    expect(page.get_by_role("heading", name="Mon passeport de compétences")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Attestation (PDF) — Accompagner les démarches ANTS").click()
    pdf_path = tmp_path / "attestation.pdf"
    download_info.value.save_as(pdf_path)

    scanned = scan_qr_code(pdf_path, tmp_path)
    assert "/v/" in scanned
    anonymous = browser.new_context(locale="fr-FR", base_url=live_server.url)
    try:
        visitor = anonymous.new_page()
        visitor.goto(urlsplit(scanned).path)
        expect(
            visitor.get_by_role("heading", name="Vérification d'une attestation de présence")
        ).to_be_visible()
        expect(visitor.get_by_text("Nolwenn Kerhervé")).to_be_visible()
        expect(visitor.get_by_text("Accompagner les démarches ANTS")).to_be_visible()
        expect(visitor.get_by_text("3 h", exact=True)).to_be_visible()
    finally:
        anonymous.close()
