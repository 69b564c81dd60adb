"""Two-factor authentication (allauth.mfa): required for Hub staff and the numérithèque manager
when MAILLAGE_STAFF_MFA_REQUIRED is on (production's default, switched on here explicitly),
optional for everyone else. Logins use real TOTP codes, computed here from the secret the page
shows (RFC 6238), at frozen instants so that no code straddles a 30-second step."""

import base64
import datetime
import hashlib
import hmac
import re

from django.core import mail
from django.core.cache import cache

import pytest
import time_machine
from allauth.mfa.models import Authenticator

from tests.factories.accounts import (
    DEFAULT_PASSWORD,
    UserFactory,
    hub_staff,
    numeritheque_manager,
    structure_manager,
)

pytestmark = pytest.mark.django_db

MFA_SETUP = "/comptes/2fa/"
# Instants of the test's story, far apart enough that each has its own TOTP step.
SET_UP_AT = datetime.datetime(2026, 11, 2, 9, 0, 5, tzinfo=datetime.UTC)
NEXT_LOGIN_AT = SET_UP_AT + datetime.timedelta(minutes=5)
THIRD_LOGIN_AT = SET_UP_AT + datetime.timedelta(minutes=10)


def totp_code(secret: str, at: datetime.datetime) -> str:
    """The six digits an authenticator app shows at `at` (RFC 6238: HMAC-SHA1, 30 s steps)."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    step = int(at.timestamp()) // 30
    digest = hmac.new(key, step.to_bytes(8, "big"), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def log_in(client, user):
    return client.post("/comptes/login/", {"login": user.email, "password": DEFAULT_PASSWORD})


def activate_totp(client, user) -> str:
    """Sign in with the password, open the set-up page, confirm the password, type the app's
    code; returns the secret the page showed."""
    with time_machine.travel(SET_UP_AT, tick=False):
        assert log_in(client, user).status_code == 302
        # Changing one's factors asks for the password again, even right after signing in.
        page = client.get("/comptes/2fa/totp/activate/")
        assert page["Location"].startswith("/comptes/reauthenticate/")
        client.post(page["Location"], {"password": DEFAULT_PASSWORD})
        page = client.get("/comptes/2fa/totp/activate/")
        assert page.status_code == 200
        html = page.content.decode()
        secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', html).group(1)
        response = client.post(
            "/comptes/2fa/totp/activate/", {"code": totp_code(secret, SET_UP_AT)}
        )
        assert response.status_code == 302, response.content.decode()
    return secret


@pytest.fixture(autouse=True)
def _required(settings):
    settings.MAILLAGE_STAFF_MFA_REQUIRED = True
    cache.clear()  # allauth remembers used codes in the cache


@pytest.mark.parametrize("make_user", [hub_staff, numeritheque_manager])
def test_staff_without_a_second_factor_are_sent_to_set_it_up(client, make_user):
    client.force_login(make_user())
    for url in ("/admin/", "/admin/numeritheque/", "/annuaire/couverture/", "/mon-espace/", "/"):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, MFA_SETUP), url
    page = client.get(MFA_SETUP)
    assert page.status_code == 200
    text = page.content.decode()
    assert "activez la double authentification" in text
    assert "Revenir à Mon espace" in text
    assert "Application d&#x27;authentification" in text or "Application d'authentification" in text
    # The account's own pages stay open (password, address, sign-out).
    assert client.get("/comptes/password/change/").status_code == 200


def test_the_admin_does_not_loop_back_to_the_set_up_page_once_it_is_done(client):
    """With a real login and a real code: the admin opens, and so does every other page."""
    staff = hub_staff()
    activate_totp(client, staff)
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    with time_machine.travel(SET_UP_AT + datetime.timedelta(seconds=40), tick=False):
        assert client.get("/admin/").status_code == 200
        assert client.get("/annuaire/couverture/").status_code == 200


@pytest.mark.parametrize("make_user", [UserFactory, structure_manager])
def test_two_factor_is_optional_for_everyone_else(client, make_user):
    client.force_login(make_user())
    assert client.get("/mon-espace/").status_code == 200
    assert client.get(MFA_SETUP).status_code == 200


def test_a_staff_member_signs_in_with_the_code_of_their_app_then_a_recovery_code(client):
    staff = hub_staff(email="equipe@exemple.fr")
    secret = activate_totp(client, staff)
    # Activation gave recovery codes too, shown to their owner.
    with time_machine.travel(SET_UP_AT + datetime.timedelta(seconds=10), tick=False):
        codes_page = client.get("/comptes/2fa/recovery-codes/").content.decode()
    recovery = Authenticator.objects.get(user=staff, type=Authenticator.Type.RECOVERY_CODES)
    first_code = recovery.wrap().get_unused_codes()[0]
    assert first_code in codes_page
    client.logout()

    with time_machine.travel(NEXT_LOGIN_AT, tick=False):
        response = log_in(client, staff)
        assert response["Location"] == "/comptes/2fa/authenticate/"
        # The password alone opens nothing.
        assert client.get("/admin/")["Location"].startswith("/comptes/login/")
        wrong = client.post("/comptes/2fa/authenticate/", {"code": "000000"})
        assert wrong.status_code == 200
        assert "Code incorrect" in wrong.content.decode()
        response = client.post(
            "/comptes/2fa/authenticate/", {"code": totp_code(secret, NEXT_LOGIN_AT)}
        )
        assert response.status_code == 302
        assert client.get("/admin/").status_code == 200
    client.logout()

    with time_machine.travel(THIRD_LOGIN_AT, tick=False):
        log_in(client, staff)
        response = client.post("/comptes/2fa/authenticate/", {"code": first_code})
        assert response.status_code == 302
        assert client.get("/admin/").status_code == 200
    recovery.refresh_from_db()
    assert first_code not in recovery.wrap().get_unused_codes()


def test_a_code_is_accepted_once(client):
    """A code seen over someone's shoulder cannot be replayed within its 30 seconds."""
    staff = hub_staff()
    secret = activate_totp(client, staff)
    client.logout()
    with time_machine.travel(NEXT_LOGIN_AT, tick=False):
        log_in(client, staff)
        code = totp_code(secret, NEXT_LOGIN_AT)
        assert client.post("/comptes/2fa/authenticate/", {"code": code}).status_code == 302
        client.logout()
        log_in(client, staff)
        replay = client.post("/comptes/2fa/authenticate/", {"code": code})
        assert replay.status_code == 200
        assert client.get("/admin/")["Location"].startswith("/comptes/login/")


def test_staff_cannot_switch_off_their_only_second_factor(client):
    staff = hub_staff()
    activate_totp(client, staff)
    with time_machine.travel(SET_UP_AT + datetime.timedelta(seconds=20), tick=False):
        response = client.post("/comptes/2fa/totp/deactivate/")
    assert response.status_code == 200
    assert "ajoutez d&#x27;abord une clé de sécurité" in response.content.decode()
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()


def test_a_mediator_may_switch_it_off_again_and_is_told_by_email(
    client, django_capture_on_commit_callbacks
):
    mediator = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        activate_totp(client, mediator)
    with (
        time_machine.travel(SET_UP_AT + datetime.timedelta(seconds=20), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post("/comptes/2fa/totp/deactivate/")
    assert response.status_code == 302
    assert (
        not Authenticator.objects.filter(user=mediator)
        .exclude(type=Authenticator.Type.RECOVERY_CODES)
        .exists()
    )
    subjects = [message.subject for message in mail.outbox]
    assert any("activée" in subject for subject in subjects), subjects
    assert any("désactivée" in subject for subject in subjects), subjects


def test_another_persons_security_key_is_not_found(client):
    other_key = Authenticator.objects.create(
        user=UserFactory(), type=Authenticator.Type.WEBAUTHN, data={"name": "Clé"}
    )
    staff = hub_staff()
    activate_totp(client, staff)
    with time_machine.travel(SET_UP_AT + datetime.timedelta(seconds=20), tick=False):
        for action in ("remove", "edit"):
            url = f"/comptes/2fa/webauthn/keys/{other_key.pk}/{action}/"
            assert client.get(url).status_code == 404, url
            assert client.post(url).status_code == 404, url
    assert Authenticator.objects.filter(pk=other_key.pk).exists()
