"""Celery wrappers around peer_exchange services (primary keys in)."""

from core.tasks import network_task


@network_task
def proposal_notify(proposal_pk: int, event: str) -> int:
    from .models import Proposal
    from .services import proposal_send_emails

    proposal = Proposal.objects.filter(pk=proposal_pk).first()
    return proposal_send_emails(proposal=proposal, event=event) if proposal else 0
