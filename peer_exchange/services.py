"""Peer proposals: create, vote on dates (a Framadate-like poll), accept (through events'
services, the accepted date becomes a published session) or decline. Every change locks the
proposal row first, so that a vote never lands on a proposal being closed."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.locking import lock_one
from events import services as event_services
from events.models import Session

from .models import PeerFormatPage, Proposal, ProposalDate, ProposalVote
from .notifications import ProposalNotice


def _lock(proposal: Proposal) -> Proposal:
    """Re-read the proposal under a lock: the row that guards its status."""
    return lock_one(Proposal.objects.all(), pk=proposal.pk)


def _on_commit(task_name: str, *args) -> None:
    from . import tasks

    task = getattr(tasks, task_name)
    transaction.on_commit(lambda: task.delay(*args))


@transaction.atomic
def proposal_create(
    *,
    proposer,
    format_page: PeerFormatPage,
    topic: str,
    host,
    starts: list[datetime.datetime],
    description: str = "",
) -> Proposal:
    """A mediator proposes a peer session with one to five candidate start times; each lasts
    the format's duration.

    Raises DomainError: "topic_required", "no_date", "too_many_dates", "past_date",
    "duplicate_date", "format_unavailable".
    """
    topic = (topic or "").strip()
    if not topic:
        raise DomainError(_("Indiquez le sujet de l'échange."), code="topic_required")
    if not format_page.live:
        raise DomainError(_("Ce format n'est pas proposé."), code="format_unavailable")
    starts = [start for start in starts if start]
    if not starts:
        raise DomainError(_("Proposez au moins une date."), code="no_date")
    if len(starts) > Proposal.MAX_DATES:
        raise DomainError(
            _("Proposez au plus %(max)s dates.") % {"max": Proposal.MAX_DATES},
            code="too_many_dates",
        )
    now = timezone.now()
    if any(start <= now for start in starts):
        raise DomainError(_("Les dates proposées doivent être à venir."), code="past_date")
    if len(set(starts)) != len(starts):
        raise DomainError(_("Une même date est proposée deux fois."), code="duplicate_date")
    proposal = Proposal(
        format=format_page, topic=topic, host=host, proposer=proposer, description=description
    )
    proposal.full_clean()
    proposal.save()
    duration = datetime.timedelta(hours=float(format_page.duration_hours))
    ProposalDate.objects.bulk_create(
        ProposalDate(proposal=proposal, start=start, end=start + duration)
        for start in sorted(starts)
    )
    return proposal


@transaction.atomic
def proposal_vote(*, date: ProposalDate, user) -> ProposalVote:
    """Say that `date` suits `user`.

    Raises DomainError: "closed" (accepted or declined proposal), "already_voted",
    "past_date".
    """
    proposal = _lock(date.proposal)
    if not proposal.is_open:
        raise DomainError(_("Cette proposition est close : on ne peut plus voter."), code="closed")
    if date.start <= timezone.now():
        raise DomainError(_("Cette date est passée."), code="past_date")
    if ProposalVote.objects.filter(date=date, user=user).exists():
        raise DomainError(
            _("Vous avez déjà indiqué que cette date vous convient."), code="already_voted"
        )
    try:
        with transaction.atomic():
            return ProposalVote.objects.create(date=date, user=user)
    except IntegrityError as error:
        raise DomainError(
            _("Vous avez déjà indiqué que cette date vous convient."), code="already_voted"
        ) from error


@transaction.atomic
def proposal_unvote(*, date: ProposalDate, user) -> None:
    """Withdraw one's vote for `date`. Raises DomainError "closed", "not_voted"."""
    proposal = _lock(date.proposal)
    if not proposal.is_open:
        raise DomainError(_("Cette proposition est close : on ne peut plus voter."), code="closed")
    deleted, _rows = ProposalVote.objects.filter(date=date, user=user).delete()
    if not deleted:
        raise DomainError(_("Vous n'aviez pas choisi cette date."), code="not_voted")


@transaction.atomic
def proposal_accept(*, proposal: Proposal, date: ProposalDate, by) -> Session:
    """Accept the proposal on `date`: a published peer session at the host structure (seats:
    the format's maximum group size), the proposer emailed, the voters of that date invited
    to register.

    Raises DomainError: "closed", "wrong_date", "past_date", "format_unavailable".
    """
    proposal = _lock(proposal)
    if not proposal.is_open:
        raise DomainError(_("Cette proposition est déjà traitée."), code="closed")
    if date.proposal_id != proposal.pk:
        raise DomainError(_("Cette date n'appartient pas à la proposition."), code="wrong_date")
    if date.start <= timezone.now():
        raise DomainError(_("Cette date est passée."), code="past_date")
    format_page = proposal.format
    if not format_page.live:
        raise DomainError(_("Ce format n'est pas publié."), code="format_unavailable")
    session = event_services.session_create(
        page=format_page,
        start=date.start,
        end=date.end,
        kind=Session.Kind.PEER_EXCHANGE,
        title=f"{format_page.title} : {proposal.topic}",
        venue=proposal.host,
        capacity=format_page.group_size_max,
    )
    proposal.status = Proposal.Status.ACCEPTED
    proposal.session = session
    proposal.decided_at = timezone.now()
    proposal.decided_by = by
    proposal.save(update_fields=["status", "session", "decided_at", "decided_by"])
    _on_commit("proposal_notify", proposal.pk, ProposalNotice.ACCEPTED.value)
    return session


@transaction.atomic
def proposal_decline(*, proposal: Proposal, reason: str, by) -> Proposal:
    """Decline with a reason sent to the proposer. Raises DomainError "closed",
    "reason_required"."""
    proposal = _lock(proposal)
    if not proposal.is_open:
        raise DomainError(_("Cette proposition est déjà traitée."), code="closed")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Indiquez le motif du refus."), code="reason_required")
    proposal.status = Proposal.Status.DECLINED
    proposal.decline_reason = reason
    proposal.decided_at = timezone.now()
    proposal.decided_by = by
    proposal.save(update_fields=["status", "decline_reason", "decided_at", "decided_by"])
    _on_commit("proposal_notify", proposal.pk, ProposalNotice.DECLINED.value)
    return proposal


def proposal_send_emails(*, proposal: Proposal, event: ProposalNotice | str) -> int:
    """Tell the proposer the decision (`event`: accepted or declined); on acceptance, invite
    the voters of the chosen date (except the proposer) to register. Returns the number of
    messages sent. Raises ValueError for any other event."""
    from core.mail import send_templated_email

    event = ProposalNotice(event)
    if event not in (ProposalNotice.ACCEPTED, ProposalNotice.DECLINED):
        raise ValueError(event)
    proposal = Proposal.objects.select_related("proposer", "session", "format").get(pk=proposal.pk)
    send_templated_email(
        template=event.template,
        to=[proposal.proposer.email],
        context={"proposal": proposal, "user": proposal.proposer, "session": proposal.session},
    )
    sent = 1
    if event == ProposalNotice.ACCEPTED and proposal.session:
        voters = (
            ProposalVote.objects.filter(date__proposal=proposal, date__start=proposal.session.start)
            .exclude(user=proposal.proposer)
            .select_related("user")
        )
        for vote in voters:
            send_templated_email(
                template=ProposalNotice.SESSION_INVITATION.template,
                to=[vote.user.email],
                context={"proposal": proposal, "user": vote.user, "session": proposal.session},
            )
            sent += 1
    return sent
