"""Each peer-exchange email (decision to the proposer, invitation to the voters) renders in
French, with its own subject, and plain-text parts are never HTML-escaped."""

from django.core import mail

import pytest

from peer_exchange import services
from peer_exchange.notifications import ProposalNotice
from tests.factories.accounts import UserFactory, hub_staff
from tests.factories.peer_exchange import proposal

pytestmark = pytest.mark.django_db
TOPIC = "L'ANTS & vous"


def test_acceptance_tells_the_proposer_and_invites_the_voters(django_capture_on_commit_callbacks):
    created = proposal(proposer=UserFactory(first_name="Maëlle"), topic=TOPIC)
    chosen = created.dates.first()
    services.proposal_vote(date=chosen, user=UserFactory(first_name="Yann"))
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_accept(proposal=created, date=chosen, by=hub_staff())
    by_template = {message.subject: message for message in mail.outbox}
    decision = by_template[f"Votre proposition « {TOPIC} » est acceptée"]
    (invitation,) = [m for m in mail.outbox if "la date est fixée" in m.subject]
    assert decision.body.startswith("Bonjour Maëlle,") and TOPIC in decision.body
    assert invitation.body.startswith("Bonjour Yann,")
    for message in mail.outbox:
        assert "&#x27;" not in message.subject + message.body
        assert "&amp;" not in message.subject + message.body
        message.message().as_bytes()


def test_decline_tells_the_reason(django_capture_on_commit_callbacks):
    created = proposal(topic=TOPIC)
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_decline(proposal=created, reason="Déjà l'an passé", by=hub_staff())
    [message] = mail.outbox
    assert message.subject == f"Votre proposition « {TOPIC} »"
    assert "Motif : Déjà l'an passé" in message.body


def test_each_kind_has_a_template():
    assert {notice.template for notice in ProposalNotice} == {
        "peer_exchange_proposal_accepted",
        "peer_exchange_proposal_declined",
        "peer_exchange_session_invitation",
    }


def test_only_decisions_are_sent_to_the_proposer():
    with pytest.raises(ValueError):
        services.proposal_send_emails(proposal=proposal(), event=ProposalNotice.SESSION_INVITATION)
