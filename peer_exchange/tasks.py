"""Celery wrappers around peer_exchange services (primary keys in)."""

from celery import shared_task


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def proposal_notify(proposal_pk: int, event: str) -> int:
    from .models import Proposal
    from .services import proposal_send_emails

    proposal = Proposal.objects.filter(pk=proposal_pk).first()
    return proposal_send_emails(proposal=proposal, event=event) if proposal else 0
