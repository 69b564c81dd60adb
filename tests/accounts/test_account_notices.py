"""Accounts people trust (issue 22 §5): a password change is confirmed by email, an address
change is told to the former address with a link that undoes it, and the account pages are the
portal's, in French, with a way back and no destructive button dressed as the main one. Emails
are read from the bytes sent."""

import email
import email.policy
import re

from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC

from accounts.models import User
from tests.factories.accounts import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "une-autre-phrase-de-passe"


def sent(message) -> email.message.EmailMessage:
    """The message as the mail server receives it, parsed back."""
    return email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)


def body_of(message) -> str:
    return sent(message).get_body(preferencelist=("plain",)).get_content()


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth counts the confirmation emails sent to an address in the cache: none of this
    module's count may reach another test (test_enumeration signs up addresses too)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def signed_in(client):
    user = UserFactory(email="ancienne@exemple.fr")
    client.force_login(user)
    return user


def test_a_password_change_is_confirmed_by_email(
    client, signed_in, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/comptes/password/change/",
            {"oldpassword": DEFAULT_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )
    assert response.status_code == 302
    [notice] = mail.outbox
    wire = sent(notice)
    assert wire["To"] == "ancienne@exemple.fr"
    assert wire["Subject"].endswith("Votre mot de passe a été modifié")
    text = body_of(notice)
    assert "Le mot de passe de votre compte vient d'être modifié." in text
    assert f"{settings.SITE_URL}/comptes/password/reset/" in text
    assert "127.0.0.1" in text


def change_address(client, user, new: str, capture) -> None:
    """Add the new address, then confirm it from the link sent there (allauth's change flow)."""
    with capture(execute=True):
        client.post("/comptes/email/", {"action_add": "", "email": new})
    address = EmailAddress.objects.get(user=user, email=new)
    key = EmailConfirmationHMAC(address).key
    with capture(execute=True):
        response = client.post(f"/comptes/confirm-email/{key}/")
    assert response.status_code == 302


def undo_link(message) -> str:
    link = re.escape(settings.SITE_URL) + r"(/comptes/adresse/retablir/\S+/)"
    return re.search(link, body_of(message))[1]


def test_an_address_change_is_told_to_the_former_address_which_can_undo_it(
    client, signed_in, django_capture_on_commit_callbacks
):
    change_address(client, signed_in, "changement@exemple.fr", django_capture_on_commit_callbacks)
    signed_in.refresh_from_db()
    assert signed_in.email == "changement@exemple.fr"
    [notice] = [m for m in mail.outbox if m.to == ["ancienne@exemple.fr"]]
    wire = sent(notice)
    assert wire["Subject"].endswith("L'adresse électronique de votre compte a changé")
    text = body_of(notice)
    assert "est passée de ancienne@exemple.fr à changement@exemple.fr" in text
    link = undo_link(notice)

    # The owner of the former address, not signed in, follows the link.
    owner = Client()
    page = owner.get(link)
    assert page.status_code == 200
    assert "toutes les sessions ouvertes sur votre compte seront fermées" in page.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = owner.post(link)
    assert done.status_code == 200
    signed_in.refresh_from_db()
    assert signed_in.email == "ancienne@exemple.fr"
    assert list(
        EmailAddress.objects.filter(user=signed_in).values_list("email", "primary", "verified")
    ) == [("ancienne@exemple.fr", True, True)]
    assert not signed_in.has_usable_password()
    # Whoever changed the address is signed out everywhere.
    assert client.get("/mon-espace/")["Location"].startswith("/comptes/login/")
    # A link to choose a new password went to the former address.
    [reset] = mail.outbox
    assert sent(reset)["To"] == "ancienne@exemple.fr"
    assert "/comptes/password/reset/key/" in body_of(reset)
    # The link served once.
    assert owner.post(link).status_code == 400


def test_an_undo_link_is_refused_when_forged_or_when_the_address_went_to_someone_else(
    client, signed_in, django_capture_on_commit_callbacks
):
    assert Client().get("/comptes/adresse/retablir/pas-un-jeton/").status_code == 400
    change_address(client, signed_in, "changement@exemple.fr", django_capture_on_commit_callbacks)
    [notice] = [m for m in mail.outbox if m.to == ["ancienne@exemple.fr"]]
    UserFactory(email="ancienne@exemple.fr")
    response = Client().post(undo_link(notice))
    assert response.status_code == 409
    assert "est maintenant celle d&#x27;un autre compte" in response.content.decode()
    assert User.objects.get(pk=signed_in.pk).email == "changement@exemple.fr"


def test_account_pages_are_the_portals_in_french_with_a_way_back(client, signed_in):
    for url in ("/comptes/email/", "/comptes/password/change/", "/comptes/2fa/"):
        text = client.get(url).content.decode()
        assert 'href="/mon-espace/"' in text and "Revenir à Mon espace" in text, url
        assert 'class="site-header"' in text, url
    client.post("/comptes/email/", {"action_add": "", "email": "changement@exemple.fr"})
    email_page = client.get("/comptes/email/").content.decode()
    assert re.search(r"<h1>\s*Adresse e-mail\s*</h1>", email_page)
    # Cancelling the pending change is red, re-sending the link outlined: only the main action
    # (« Changer d'e-mail ») looks primary.
    assert re.search(r'class="button button-danger"[^>]*name="action_remove"', email_page)
    assert re.search(r'class="button button-secondary"[^>]*name="action_send"', email_page)
    assert re.search(r'class="button"[^>]*name="action_add"', email_page)


def test_cancel_on_the_new_password_page_is_a_link_that_signs_nobody_out(client, signed_in):
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    key = default_token_generator.make_token(signed_in)
    url = f"/comptes/password/reset/key/{user_pk_to_url_str(signed_in)}-{key}/"
    page = client.get(url, follow=True)
    text = page.content.decode()
    assert page.status_code == 200
    assert 'form="logout-from-stage"' not in text
    assert 'action="/comptes/logout/"' not in text.split("<main")[1]
    assert re.search(r'<a class="link-button" href="/mon-espace/">Annuler', text)
