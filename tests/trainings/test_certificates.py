"""Certificates anyone can verify (issue 20 §1): issued once with the duration actually
attended, a signed short identifier that survives a key rotation, a public page that says
« attestation introuvable » to forged identifiers and is rate-limited, revocation, and a
session's certificates downloaded or emailed at once."""

import datetime
import re
import shutil
import subprocess

from django.core.cache import cache
from django.test import Client

import pytest

from core.errors import DomainError
from tests.factories.accounts import UserFactory, hub_staff
from tests.factories.trainings import past_registration, training_page
from trainings import services
from trainings.certificates import (
    certificate_code_from_token,
    certificate_token,
    certificates_pdf,
)
from trainings.models import Certificate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def issued(**kwargs) -> Certificate:
    user = UserFactory(first_name="Maïwenn", last_name="Le Goff")
    return services.certificate_issue(registration=past_registration(user, **kwargs))


def verify_path(certificate) -> str:
    return f"/v/{certificate_token(certificate.code)}/"


def test_certificate_prints_the_session_real_duration_not_the_declared_one():
    certificate = issued(training=training_page(duration_hours=7), hours=3)
    assert certificate.duration_minutes == 180
    assert certificate.duration_display == "3 h"
    assert certificate.name == "Maïwenn Le Goff"


def test_issuing_twice_gives_the_same_certificate():
    registration = past_registration(UserFactory())
    first = services.certificate_issue(registration=registration)
    assert services.certificate_issue(registration=registration) == first
    assert Certificate.objects.count() == 1


def test_absent_person_gets_no_certificate():
    registration = past_registration(UserFactory(), attended=False)
    with pytest.raises(DomainError) as error:
        services.certificate_issue(registration=registration)
    assert error.value.code == "not_attended"
    assert not Certificate.objects.exists()


def test_verification_page_shows_what_was_printed_and_nothing_else(client):
    certificate = issued(training=training_page(title="Accompagner France Identité"))
    response = client.get(verify_path(certificate))
    assert response.status_code == 200
    text = response.content.decode()
    for shown in ("Maïwenn Le Goff", "Accompagner France Identité", "3 h", certificate.hub_name):
        assert shown in text
    assert certificate.registration.user.email not in text


@pytest.mark.parametrize(
    "token",
    ["ABCDEFGH.0123456789abcdef", "pas-une-attestation", "ABCDEFGH", "%00"],
)
def test_forged_identifiers_are_not_found_in_french(client, token):
    issued()
    response = client.get(f"/v/{token}/")
    assert response.status_code == 404
    assert "Attestation introuvable" in response.content.decode()


def test_a_tampered_code_with_a_valid_looking_signature_is_not_found(client):
    certificate = issued()
    other = issued()
    code, signature = certificate_token(certificate.code).split(".")
    response = client.get(f"/v/{other.code}.{signature}/")
    assert response.status_code == 404


def test_key_rotation_keeps_old_certificates_verifiable(client, settings):
    certificate = issued()
    old_token = certificate_token(certificate.code)
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "une-nouvelle-clef-bien-plus-longue-que-cinquante-caracteres-0123456789"
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert client.get(f"/v/{old_token}/").status_code == 200
    assert certificate_token(certificate.code) != old_token
    settings.SECRET_KEY_FALLBACKS = []
    assert certificate_code_from_token(old_token) is None


def test_revoked_certificate_says_so(client):
    certificate = issued()
    staff = hub_staff()
    services.certificate_revoke(certificate=certificate, by=staff, reason="Erreur d'émargement")
    response = client.get(verify_path(certificate))
    assert response.status_code == 200
    assert "révoquée" in response.content.decode()
    with pytest.raises(DomainError) as error:
        services.certificate_revoke(certificate=certificate, by=staff, reason="encore")
    assert error.value.code == "already_revoked"


def test_revocation_needs_a_reason():
    certificate = issued()
    with pytest.raises(DomainError) as error:
        services.certificate_revoke(certificate=certificate, by=hub_staff(), reason="  ")
    assert error.value.code == "reason_required"
    certificate.refresh_from_db()
    assert not certificate.is_revoked


def test_verification_page_is_rate_limited(settings):
    settings.MAILLAGE_CERTIFICATE_VERIFY_RATE = (5, 60)
    certificate = issued()
    client = Client()
    statuses = [client.get(f"/v/RANDOM{n:02d}.xxxxxxxxxxxxxxxx/").status_code for n in range(5)]
    assert statuses == [404] * 5
    response = client.get(verify_path(certificate))
    assert response.status_code == 429
    assert "réessayez" in response.content.decode()
    other_address = Client(REMOTE_ADDR="192.0.2.9")
    assert other_address.get(verify_path(certificate)).status_code == 200


def pdf_pages_as_png(pdf: bytes, tmp_path) -> list:
    from PIL import Image

    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils, installé par .ci/run) manque")
    source = tmp_path / "attestations.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "100", "-png", str(source), str(tmp_path / "page")],
        check=True,
        timeout=120,
    )
    return [Image.open(path).convert("L") for path in sorted(tmp_path.glob("page*.png"))]


def test_printout_is_one_a4_page_per_certificate_without_overflow(tmp_path):
    long_title = "Accompagner les démarches en ligne des personnes éloignées du numérique " * 3
    certificates = [
        issued(training=training_page(title=long_title[:250])),
        issued(),
        issued(),
    ]
    Certificate.objects.filter(pk=certificates[1].pk).update(name="Anne-Élisabeth " * 15)
    certificates[1].refresh_from_db()
    pages = pdf_pages_as_png(certificates_pdf(certificates=certificates), tmp_path)
    assert len(pages) == 3
    for image in pages:
        width, height = image.size
        assert abs(width / height - 210 / 297) < 0.01  # A4 portrait
        margin = int(height * 15 / 297)  # 1.5 cm: inside the 2 cm page margin
        bottom_band = image.crop((0, height - margin, width, height))
        right_band = image.crop((width - margin, 0, width, height))
        assert bottom_band.getextrema()[0] > 250, "du texte déborde en bas de page"
        assert right_band.getextrema()[0] > 250, "du texte déborde à droite"


def test_printed_qr_code_decodes_to_the_verification_url(tmp_path, settings):
    if not shutil.which("zbarimg"):
        pytest.skip("zbarimg (zbar-tools, installé par .ci/run) manque")
    certificate = issued()
    pages = pdf_pages_as_png(certificates_pdf(certificates=[certificate]), tmp_path)
    pages[0].save(tmp_path / "scan.png")
    scanned = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(tmp_path / "scan.png")],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout.strip()
    assert scanned == settings.SITE_URL + verify_path(certificate)


def test_staff_download_every_certificate_of_a_session_in_one_pdf(tmp_path):
    first = past_registration(UserFactory())
    session = first.session
    for _n in range(2):
        past_registration(UserFactory(), session=session)
    past_registration(UserFactory(), session=session, attended=False)
    client = Client()
    client.force_login(hub_staff())
    response = client.get(f"/admin/formations/sessions/{session.pk}/attestations.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert len(pdf_pages_as_png(response.content, tmp_path)) == 3
    assert Certificate.objects.filter(registration__session=session).count() == 3


def test_staff_email_every_certificate_once_through_celery(
    mailoutbox, django_capture_on_commit_callbacks
):
    first = past_registration(UserFactory())
    past_registration(UserFactory(), session=first.session)
    client = Client()
    client.force_login(hub_staff())
    url = f"/admin/formations/sessions/{first.session_id}/attestations/envoyer/"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert len(mailoutbox) == 2
    message = mailoutbox[0].message().as_bytes()
    assert b"application/pdf" in message
    assert re.search(rb"/v/[0-9A-Z]{8}\.", message)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert len(mailoutbox) == 2


def test_certificate_desk_is_linked_from_the_session_desk():
    registration = past_registration(UserFactory())
    client = Client()
    client.force_login(hub_staff())
    response = client.get(f"/admin/agenda/sessions/manage/{registration.session_id}/")
    assert f"/admin/formations/sessions/{registration.session_id}/attestations/" in (
        response.content.decode()
    )


def test_person_downloads_their_own_certificate_with_its_code():
    registration = past_registration(UserFactory())
    client = Client()
    client.force_login(registration.user)
    response = client.get(f"/formation/attestations/{registration.pk}.pdf")
    assert response.status_code == 200
    code = Certificate.objects.get(registration=registration).code
    assert f"attestation-{code}.pdf" in response["Content-Disposition"]


def test_multi_day_session_counts_the_declared_duration():
    from trainings.certificates import session_attended_minutes

    start = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)
    minutes = session_attended_minutes(
        start=start, end=start + datetime.timedelta(days=1, hours=8), declared_hours=14
    )
    assert minutes == 14 * 60


def _verification_text(client, certificate) -> tuple[int, str]:
    response = client.get(verify_path(certificate))
    return response.status_code, response.content.decode()


def test_after_the_retention_period_the_verification_page_no_longer_names_the_person(client):
    import io

    from django.core.management import call_command

    old = issued(days_ago=40)
    recent = services.certificate_issue(
        registration=past_registration(UserFactory(first_name="Anouk", last_name="Kerbrat"))
    )
    call_command("anonymise_old_data", "--days", "30", stdout=io.StringIO())
    status, text = _verification_text(client, old)
    assert status == 200
    assert "Maïwenn" not in text and "Le Goff" not in text
    assert "Non conservé" in text
    # Still a real certificate: the training, date and duration stay checkable.
    assert old.training_title in text and "3 h" in text
    assert "Anouk Kerbrat" in _verification_text(client, recent)[1]


def test_a_certificate_whose_registration_was_anonymised_loses_its_name_at_the_next_run(client):
    from events.models import Registration

    certificate = issued()
    Registration.objects.filter(pk=certificate.registration_id).update(user=None)
    assert services.certificates_anonymise_older_than(days=10_000, dry_run=True) == 1
    assert services.certificates_anonymise_older_than(days=10_000) == 1
    assert services.certificates_anonymise_older_than(days=10_000) == 0
    assert "Maïwenn" not in _verification_text(client, certificate)[1]


def test_after_account_deletion_the_verification_page_finds_no_certificate(client):
    from accounts.services import user_delete

    certificate = issued()
    user_delete(user=certificate.registration.user)
    status, text = _verification_text(client, certificate)
    assert status == 404
    assert "Attestation introuvable" in text
    assert "Maïwenn" not in text
