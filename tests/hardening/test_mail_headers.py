"""What mail providers read, checked on the bytes that leave (message.as_bytes()), not on the
headers dictionary: RFC 8058 one-click unsubscribe verbatim (folded at the comma, never RFC
2047-encoded), a Message-ID on our domain, Auto-Submitted on automatic mails."""

import email
import email.policy
import re

from django.core import mail
from django.test import override_settings

import pytest

from accounts.tasks import email_send_rendered
from newsletter import services
from tests.factories.newsletter import CampaignFactory, SubscriberFactory

pytestmark = pytest.mark.django_db

LONG_SITE = "https://maillage.une-region-au-nom-assez-long.example.org"


def wire(message, policy=email.policy.SMTP) -> bytes:
    return message.message(policy=policy).as_bytes()


def unfolded(raw: bytes, name: str) -> str:
    """A header's value as a provider reads it: raw bytes, folding whitespace removed."""
    match = re.search(rb"^" + name.encode() + rb": (.*?)\r?\n(?! )", raw, re.M | re.S)
    assert match, f"{name} absent"
    return re.sub(rb"\r?\n ", b" ", match[1]).decode("ascii")


@override_settings(SITE_URL=LONG_SITE, MAILLAGE_MAIL_DOMAIN="lettre.example.org")
@pytest.mark.parametrize("policy", [email.policy.SMTP, email.policy.default], ids=["smtp", "file"])
def test_campaign_unsubscribe_headers_are_verbatim_in_the_bytes(
    policy, django_capture_on_commit_callbacks
):
    subscriber = SubscriberFactory()
    campaign = CampaignFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_send(campaign=campaign)
    raw = wire(mail.outbox[-1], policy)
    head = re.split(rb"\r?\n\r?\n", raw, maxsplit=1)[0]
    link = (
        f"{LONG_SITE}/lettre/desinscription/{subscriber.unsubscribe_token}/?campagne={campaign.pk}"
    )
    # One line per address, folded right after the comma; nothing encoded.
    assert re.search(
        rb"^List-Unsubscribe: <" + re.escape(link.encode()) + rb">,\r?\n <mailto:[^\r\n]+>\r?$",
        head,
        re.M,
    )
    assert re.search(rb"^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$", head, re.M)
    assert unfolded(raw, "List-Unsubscribe").startswith(f"<{link}>, <mailto:")
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed["Message-ID"].endswith("@lettre.example.org>")
    assert parsed["Auto-Submitted"] == "auto-generated"


@override_settings(MAILLAGE_MAIL_DOMAIN="maillage.example.org")
def test_opt_in_and_account_mails_carry_our_message_id_and_auto_submitted():
    subscriber = SubscriberFactory(status="pending", confirm_token="jeton-de-confirmation")
    services.subscriber_opt_in_send(subscriber=subscriber)
    email_send_rendered(
        subject="Confirmez", body="corps", html=None, to=["loane@exemple.fr"], from_email="a@b.fr"
    )
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        parsed = email.message_from_bytes(wire(message), policy=email.policy.default)
        assert parsed["Message-ID"].endswith("@maillage.example.org>")
        assert parsed["Auto-Submitted"] == "auto-generated"
