"""allauth's emails speak French and sign as the Hub (issue 17 §3): its name where allauth
printed Django's empty site name, its name in From, its frame (colour, contact) around the
HTML part, links on the configured site address. Checked on the bytes that leave."""

import email
import email.policy

from django.core import mail
from django.urls import reverse

from wagtail.models import Site

import pytest

from portal.models import SiteSettings
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub(settings):
    settings.SITE_URL = "https://hub.exemple.fr"
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.hub_name = "Hub numérique Bretagne"
    site_settings.brand_colour = "#0a5c36"
    site_settings.contact_email = "contact@hub-bretagne.fr"
    site_settings.contact_phone = "02 99 00 00 00"
    site_settings.save()
    return site_settings


def sent(message):
    """The message as its recipient's mail program reads it."""
    return email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)


def parts(message) -> tuple[str, str]:
    parsed = sent(message)
    text = parsed.get_body(("plain",)).get_content()
    html = parsed.get_body(("html",)).get_content()
    return text, html


def assert_signed_by_the_hub(message):
    parsed = sent(message)
    assert parsed["From"].addresses[0].display_name == "Hub numérique Bretagne"
    text, html = parts(message)
    for part in (text, html):
        assert "Hub numérique Bretagne" in part
        assert "contact@hub-bretagne.fr" in part
        assert "https://hub.exemple.fr/" in part
        assert "testserver" not in part
    assert "#0a5c36" in html
    assert '<html lang="fr">' in html
    for english in ("Hello", "Thank you", "Password Reset", "Sign-In", "Confirm"):
        assert english not in text + parsed["Subject"]


def test_signup_confirmation(client, hub, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {
                "email": "nolwenn.le-goff@exemple.fr",
                "first_name": "Camille",
                "last_name": "Martin",
                "field_role": "conseiller",
                "departement": "35",
                "password1": "une-phrase-de-passe-longue",
                "password2": "une-phrase-de-passe-longue",
            },
            headers={"accept-language": "en"},
        )
    assert response.status_code == 302, response.content.decode()[-3000:]
    (message,) = mail.outbox
    assert (
        sent(message)["Subject"] == "Bienvenue sur Hub numérique Bretagne : confirmez votre adresse"
    )
    assert_signed_by_the_hub(message)
    text, _html = parts(message)
    assert "https://hub.exemple.fr/comptes/confirm-email/" in text
    assert "c'est  !" not in text


def test_password_reset(client, hub, django_capture_on_commit_callbacks):
    user = UserFactory(email="yann@exemple.fr")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": user.email})
    (message,) = mail.outbox
    assert sent(message)["Subject"] == "Nouveau mot de passe — Hub numérique Bretagne"
    assert_signed_by_the_hub(message)
    assert "https://hub.exemple.fr/comptes/password/reset/key/" in parts(message)[0]


def test_login_code(client, hub, django_capture_on_commit_callbacks):
    UserFactory(email="yann@exemple.fr")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_request_login_code"), {"email": "yann@exemple.fr"})
    (message,) = mail.outbox
    assert sent(message)["Subject"] == "Votre code de connexion — Hub numérique Bretagne"
    assert_signed_by_the_hub(message)


def test_the_portal_s_own_emails_come_from_the_hub(hub):
    from core.mail import build_templated_email

    message = build_templated_email(
        template="numeritheque_notice",
        to=["loane@exemple.fr"],
        context={"subject": "Votre réservation", "message": "Elle est acceptée."},
    )
    assert_signed_by_the_hub(message)
