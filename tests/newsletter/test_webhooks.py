"""The provider's webhooks change personal data without a session: absent unless configured,
authenticated by the shared secret, and never a 500 on a body they cannot read."""

import base64
import json

from django.test import override_settings

import pytest

from newsletter.models import Subscriber
from tests.factories.newsletter import SubscriberFactory

pytestmark = pytest.mark.django_db

TRACKING = "/lettre/anymail/brevo/tracking/"
INBOUND = "/lettre/anymail/brevo/inbound/"
SECRET = "webhook:un-secret-partage"
CONFIGURED = override_settings(ANYMAIL={"BREVO_API_KEY": "cle", "WEBHOOK_SECRET": SECRET})


def auth(secret: str = SECRET) -> dict:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(secret.encode()).decode()}


def post(client, url, body, **extra):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(url, data, content_type="application/json", **extra)


def bounce(email):
    return {"event": "hard_bounce", "email": email, "reason": "550 unknown"}


@pytest.mark.parametrize(
    "anymail",
    [None, {"BREVO_API_KEY": "", "WEBHOOK_SECRET": SECRET}, {"BREVO_API_KEY": "cle"}],
    ids=["smtp", "no-provider", "no-secret"],
)
def test_webhooks_do_not_exist_unless_provider_and_secret_are_set(client, anymail):
    subscriber = SubscriberFactory()
    with override_settings(ANYMAIL=anymail):
        for url in (TRACKING, INBOUND):
            assert post(client, url, bounce(subscriber.email), **auth()).status_code == 404
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED


@CONFIGURED
@pytest.mark.parametrize("headers", [{}, auth("webhook:faux"), {"HTTP_AUTHORIZATION": "Basic %%"}])
def test_a_forged_bounce_without_the_secret_is_refused(client, headers):
    subscriber = SubscriberFactory()
    response = post(client, TRACKING, bounce(subscriber.email), **headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Basic")
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED


@CONFIGURED
def test_a_bounce_with_the_secret_suspends(client):
    subscriber = SubscriberFactory()
    assert post(client, TRACKING, bounce(subscriber.email), **auth()).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.SUSPENDED


@CONFIGURED
def test_mail_to_the_unsubscribe_box_unsubscribes(client):
    subscriber = SubscriberFactory()
    item = {
        "Headers": {"Subject": f"desinscription {subscriber.unsubscribe_token}"},
        "Attachments": [{"DownloadToken": "x", "ContentType": "text/plain"}],
    }
    assert post(client, INBOUND, {"items": [item]}, **auth()).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


DEEP = "[" * 100_000 + "]" * 100_000
BAD_BODIES = [
    b"",
    b"\xff\xfe",
    "pas du json",
    DEEP,
    '{"a":' * 50 + "1" + "}" * 50,
    [1, 2],
    {"event": "hard_bounce", "email": ["a@b.fr"]},
    {"event": "hard_bounce", "email": "a\u0000@b.fr"},
    {"event": "hard_bounce", "email": "a@b.fr", "message-id": {"x": 1}},
    {"items": "pas une liste"},
    {"items": [1]},
    {"items": [{"Headers": {"Subject": ["a", 1]}}]},
    {"items": [{"Headers": "x"}]},
]


@CONFIGURED
@pytest.mark.parametrize("url", [TRACKING, INBOUND])
@pytest.mark.parametrize("body", BAD_BODIES, ids=range(len(BAD_BODIES)))
def test_unreadable_bodies_answer_400_never_500(client, url, body):
    client.raise_request_exception = False
    response = post(client, url, body, **auth())
    assert response.status_code == 400
    assert Subscriber.objects.filter(status=Subscriber.Status.SUSPENDED).count() == 0
