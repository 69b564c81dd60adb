"""A person's proposals and date votes in their data export; erased with the account."""

from .models import Proposal, ProposalVote


def data_export(user) -> dict:
    return {
        "propositions": [
            {
                "format": proposal.format.title,
                "sujet": proposal.topic,
                "description": proposal.description,
                "statut": proposal.get_status_display(),
                "dates": [date.start.isoformat() for date in proposal.dates.all()],
                "proposee_le": proposal.created_at.isoformat(),
            }
            for proposal in Proposal.objects.filter(proposer=user)
            .select_related("format")
            .prefetch_related("dates")
        ],
        "disponibilites": [
            {"proposition": vote.date.proposal.topic, "date": vote.date.start.isoformat()}
            for vote in ProposalVote.objects.filter(user=user).select_related("date__proposal")
        ],
    }


def data_erase(user) -> None:
    """Votes go; proposals go too (the proposer is the only person they name). An accepted
    proposal's session stays in the agenda."""
    ProposalVote.objects.filter(user=user).delete()
    Proposal.objects.filter(proposer=user).delete()
