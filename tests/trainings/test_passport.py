"""The skills passport (issue 20 §2): Mon espace lists every training attended with its themes
and skills, as one PDF and as Open Badges 2.0 hosted assertions verifiable like the
certificate."""

import hashlib
import shutil
import subprocess

from django.core.cache import cache
from django.test import Client

import pytest

from taxonomy.models import Competence, Theme
from tests.factories.accounts import UserFactory, hub_staff
from tests.factories.trainings import past_registration, training_page
from trainings import services
from trainings.badges import assertion_url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()


@pytest.fixture
def attended():
    theme = Theme.objects.first()
    competence = Competence.objects.create(
        name="Sécuriser ses comptes en ligne", slug="securiser-comptes", theme=theme
    )
    training = training_page(title="Repérer les arnaques", themes=[theme], competences=[competence])
    person = UserFactory(email="Maiwenn@Exemple.fr")
    registration = past_registration(person, training=training)
    past_registration(person, training=training_page(title="Formation manquée"), attended=False)
    return registration


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_my_space_lists_trainings_attended_with_themes_and_skills(attended):
    page = signed_in(attended.user).get("/mon-espace/").content.decode()
    passport = page[page.index("Mon passeport de compétences") :]
    assert "Repérer les arnaques" in passport
    assert "Sécuriser ses comptes en ligne" in passport
    assert Theme.objects.first().name in passport
    assert "Formation manquée" not in passport.split("Mes formations suivies")[0]


def test_passport_downloads_as_one_pdf(attended, tmp_path):
    response = signed_in(attended.user).get("/formation/passeport.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        (tmp_path / "p.pdf").write_bytes(response.content)
        text = subprocess.run(
            ["pdftotext", str(tmp_path / "p.pdf"), "-"],
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout
        assert "Repérer les arnaques" in text
        assert "Sécuriser ses comptes en ligne" in text
        assert "Formation manquée" not in text


def test_open_badges_hosted_assertion_badge_class_and_issuer(attended):
    client = signed_in(attended.user)
    response = client.get(f"/formation/badges/inscription/{attended.pk}/")
    assert response.status_code == 302
    anonymous = Client()
    assertion = anonymous.get(response["Location"].removeprefix("http://testserver")).json()
    certificate = attended.certificate
    assert assertion["type"] == "Assertion"
    assert assertion["@context"] == "https://w3id.org/openbadges/v2"
    assert assertion["id"] == assertion_url(certificate)
    assert assertion["verification"] == {"type": "hosted"}
    salt = assertion["recipient"]["salt"]
    expected = hashlib.sha256(("maiwenn@exemple.fr" + salt).encode()).hexdigest()
    assert assertion["recipient"]["identity"] == f"sha256${expected}"
    assert "maiwenn" not in str(assertion).lower()
    assert "/v/" in assertion["evidence"]
    from django.conf import settings

    badge = anonymous.get(assertion["badge"].removeprefix(settings.SITE_URL)).json()
    assert badge["type"] == "BadgeClass"
    assert badge["id"] == assertion["badge"]
    assert "Sécuriser ses comptes en ligne" in badge["tags"]
    assert badge["image"].startswith("data:image/svg+xml")
    issuer = anonymous.get(badge["issuer"].removeprefix(settings.SITE_URL)).json()
    assert issuer["type"] == "Issuer"
    assert issuer["id"] == badge["issuer"]


def test_a_revoked_badge_answers_410_and_a_forged_one_404(attended):
    certificate = services.certificate_issue(registration=attended)
    url = assertion_url(certificate).split("/formation/", 1)[1]
    services.certificate_revoke(certificate=certificate, by=hub_staff(), reason="Erreur")
    response = Client().get(f"/formation/{url}")
    assert response.status_code == 410
    assert response.json()["revoked"] is True
    forged = Client().get("/formation/badges/ABCDEFGH.0000000000000000.json")
    assert forged.status_code == 404
    assert forged.json()["detail"] == "Attestation introuvable."


def test_nobody_gets_a_badge_for_someone_else(attended):
    other = UserFactory()
    assert signed_in(other).get(f"/formation/badges/inscription/{attended.pk}/").status_code == 404
