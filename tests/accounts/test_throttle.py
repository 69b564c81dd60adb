"""Brute force is slowed without locking anyone out: per-address limits on the real client
address behind trusted proxies, a per-account delay that doubles, and a one-time code by email
that gets the person in at once."""

from django.core import mail
from django.core.cache import cache
from django.test import RequestFactory, override_settings

import pytest

from accounts import throttle
from accounts.adapters import AccountAdapter
from core.client_ip import client_ip
from portal.settings import base as base_settings
from tests.factories.accounts import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("198.51.100.7", "203.0.113.9", "198.51.100.7"),  # untrusted peer: header ignored
        (PROXY, "203.0.113.9", "203.0.113.9"),
        (PROXY, "1.2.3.4, 203.0.113.9", "203.0.113.9"),  # forged first hop ignored
        (PROXY, "203.0.113.9, 10.0.0.3", "203.0.113.9"),  # two of our proxies
        (PROXY, "pas-une-adresse", PROXY),
        (PROXY, "", PROXY),
        ("2001:db8::1", "203.0.113.9", "2001:db8::1"),
    ],
)
@override_settings(MAILLAGE_TRUSTED_PROXIES=["10.0.0.0/8"])
def test_client_ip_believes_only_trusted_proxies(remote, forwarded, expected):
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


@pytest.fixture
def real_rate_limits():
    cache.clear()
    with override_settings(
        ACCOUNT_RATE_LIMITS=base_settings.ACCOUNT_RATE_LIMITS,
        MAILLAGE_TRUSTED_PROXIES=["10.0.0.0/8"],
    ):
        yield
    cache.clear()


def login(client, email, password, ip, remote=PROXY):
    return client.post(
        "/comptes/login/",
        {"login": email, "password": password},
        REMOTE_ADDR=remote,
        HTTP_X_FORWARDED_FOR=ip,
    )


def test_a_flood_from_one_address_behind_the_proxy_does_not_lock_out_others(
    client, django_user_model, real_rate_limits
):
    person = UserFactory()
    for number in range(40):
        login(client, f"inconnu{number}@exemple.fr", "mauvais", "198.51.100.7")
    assert login(client, "autre@exemple.fr", "x", "198.51.100.7").status_code == 429
    login(client, person.email, DEFAULT_PASSWORD, "203.0.113.9")
    assert client.session.get("_auth_user_id") == str(person.pk)


def test_a_forged_forwarded_header_from_an_untrusted_peer_does_not_escape_the_limit(
    client, real_rate_limits
):
    person = UserFactory()
    for number in range(20):
        login(
            client, f"x{number}@exemple.fr", "mauvais", f"192.0.2.{number}", remote="198.51.100.7"
        )
    login(client, person.email, DEFAULT_PASSWORD, "192.0.2.200", remote="198.51.100.7")
    assert "_auth_user_id" not in client.session


def test_each_failed_password_doubles_the_account_delay_whatever_the_address(
    client, monkeypatch, real_rate_limits
):
    clock = [1_000_000.0]
    monkeypatch.setattr(throttle, "_now", lambda: clock[0])
    person = UserFactory()
    for number in range(throttle.FREE_FAILURES):
        login(client, person.email, "mauvais", f"203.0.113.{number}")
    response = login(client, person.email, DEFAULT_PASSWORD, "203.0.113.100")
    assert "_auth_user_id" not in client.session
    assert "réessayez dans 1 seconde" in response.content.decode()
    assert "code de connexion" in response.content.decode()
    clock[0] += 1
    login(client, person.email, "encore-mauvais", "203.0.113.101")
    assert throttle.login_delay_remaining(email=person.email) == 2
    clock[0] += 2
    login(client, person.email, DEFAULT_PASSWORD, "203.0.113.102")
    assert client.session.get("_auth_user_id") == str(person.pk)
    assert throttle.login_delay_remaining(email=person.email) == 0


def test_the_delay_is_capped(monkeypatch):
    monkeypatch.setattr(throttle, "_now", lambda: 0.0)
    for _failure in range(60):
        throttle.login_failure_record(email="loane@exemple.fr")
    assert throttle.login_delay_remaining(email="loane@exemple.fr") == throttle.MAX_DELAY_SECONDS


def test_a_one_time_code_by_email_gets_the_person_in_during_the_delay(
    client, real_rate_limits, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(AccountAdapter, "generate_login_code", lambda self: "K7Q2ZP")
    # The delay's clock stands still: on a loaded machine eight logins outlast a short delay.
    monkeypatch.setattr(throttle, "_now", lambda: 1_000_000.0)
    person = UserFactory()
    for number in range(throttle.FREE_FAILURES + 3):
        login(client, person.email, "mauvais", f"198.51.100.{number}")
    assert throttle.login_delay_remaining(email=person.email) > 0
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/comptes/login/code/", {"email": person.email}, REMOTE_ADDR="203.0.113.9")
    assert "K7Q2ZP" in mail.outbox[-1].body
    client.post("/comptes/login/code/confirm/", {"code": "K7Q2ZP"}, REMOTE_ADDR="203.0.113.9")
    assert client.session.get("_auth_user_id") == str(person.pk)
