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
    names_visible: bool = True,
    vote_deadline: datetime.datetime | None = None,
) -> Proposal:
    """A mediator proposes a peer session with one to five candidate start times; each lasts
    the format's duration. The poll shows voters' names to participants unless the proposer
    makes it anonymous, and closes at `vote_deadline` if given.

    Raises DomainError: "topic_required", "no_date", "too_many_dates", "past_date",
    "duplicate_date", "format_unavailable", "bad_deadline".
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
    if vote_deadline and not now < vote_deadline < min(starts):
        raise DomainError(
            _("La date limite du sondage doit être à venir et avant la première date proposée."),
            code="bad_deadline",
        )
    proposal = Proposal(
        format=format_page,
        topic=topic,
        host=host,
        proposer=proposer,
        description=description,
        names_visible=names_visible,
        vote_deadline=vote_deadline,
    )
    proposal.full_clean()
    proposal.save()
    duration = datetime.timedelta(hours=float(format_page.duration_hours))
    ProposalDate.objects.bulk_create(
        ProposalDate(proposal=proposal, start=start, end=start + duration)
        for start in sorted(starts)
    )
    return proposal


def _check_poll_open(proposal: Proposal) -> None:
    if not proposal.is_open:
        raise DomainError(_("Cette proposition est close : on ne peut plus voter."), code="closed")
    if proposal.vote_deadline and proposal.vote_deadline <= timezone.now():
        raise DomainError(
            _("La date limite du sondage est passée : on ne peut plus voter."),
            code="deadline_passed",
        )


@transaction.atomic
def proposal_vote(
    *, date: ProposalDate, user, answer: str = ProposalVote.Answer.YES
) -> ProposalVote:
    """Record `user`'s answer for `date` (oui, si besoin, non); answering again changes it.

    Raises DomainError: "closed" (accepted or declined proposal), "deadline_passed",
    "already_voted" (the same answer twice), "past_date", "bad_answer".
    """
    proposal = _lock(date.proposal)
    _check_poll_open(proposal)
    if answer not in ProposalVote.Answer.values:
        raise DomainError(_("Réponse inconnue : oui, si besoin ou non."), code="bad_answer")
    if date.start <= timezone.now():
        raise DomainError(_("Cette date est passée."), code="past_date")
    vote = ProposalVote.objects.filter(date=date, user=user).first()
    if vote is not None:
        if vote.answer == answer:
            raise DomainError(
                _("Vous avez déjà donné cette réponse pour cette date."), code="already_voted"
            )
        vote.answer = answer
        vote.save(update_fields=["answer"])
        return vote
    try:
        with transaction.atomic():
            return ProposalVote.objects.create(date=date, user=user, answer=answer)
    except IntegrityError as error:
        raise DomainError(
            _("Vous avez déjà donné cette réponse pour cette date."), code="already_voted"
        ) from error


@transaction.atomic
def proposal_unvote(*, date: ProposalDate, user) -> None:
    """Withdraw one's answer for `date`. Raises DomainError "closed", "deadline_passed",
    "not_voted"."""
    proposal = _lock(date.proposal)
    _check_poll_open(proposal)
    deleted, _rows = ProposalVote.objects.filter(date=date, user=user).delete()
    if not deleted:
        raise DomainError(_("Vous n'aviez pas choisi cette date."), code="not_voted")


MAX_CAPACITY = 500
MAX_DURATION_HOURS = 12


@transaction.atomic
def proposal_accept(
    *,
    proposal: Proposal,
    date: ProposalDate,
    by,
    capacity: int | None = None,
    duration_hours: float | None = None,
    venue=None,
    register_proposer: bool = True,
) -> Session:
    """Close the poll into `date`: a published peer session, open to registration, at the
    host structure (or `venue`), for the format's group size and duration (or `capacity`,
    `duration_hours`, which only Hub staff set); the proposer registered to her own session
    (unless `register_proposer` is False: she is then invited like the voters); the proposer
    and everyone who answered the poll told by email. Hub staff or the proposer may close.

    Raises DomainError: "forbidden", "closed", "wrong_date", "past_date",
    "format_unavailable", "bad_capacity", "bad_duration".
    """
    from accounts.selectors import user_is_hub_staff

    proposal = _lock(proposal)
    staff = user_is_hub_staff(by)
    if not staff and (proposal.proposer_id != by.pk or capacity or duration_hours or venue):
        raise DomainError(
            _("Seuls la personne qui propose et l'équipe du Hub peuvent clore ce sondage."),
            code="forbidden",
        )
    if not proposal.is_open:
        raise DomainError(_("Cette proposition est déjà traitée."), code="closed")
    if date.proposal_id != proposal.pk:
        raise DomainError(_("Cette date n'appartient pas à la proposition."), code="wrong_date")
    if date.start <= timezone.now():
        raise DomainError(_("Cette date est passée."), code="past_date")
    format_page = proposal.format
    if not format_page.live:
        raise DomainError(_("Ce format n'est pas publié."), code="format_unavailable")
    if capacity is not None and not 1 <= capacity <= MAX_CAPACITY:
        raise DomainError(
            _("Nombre de places entre 1 et %(max)s.") % {"max": MAX_CAPACITY}, code="bad_capacity"
        )
    if duration_hours is not None and not 0.5 <= duration_hours <= MAX_DURATION_HOURS:
        raise DomainError(
            _("Durée entre une demi-heure et %(max)s heures.") % {"max": MAX_DURATION_HOURS},
            code="bad_duration",
        )
    end = date.start + datetime.timedelta(hours=duration_hours) if duration_hours else date.end
    session = event_services.session_create(
        page=format_page,
        start=date.start,
        end=end,
        kind=Session.Kind.PEER_EXCHANGE,
        title=f"{format_page.title} : {proposal.topic}",
        venue=venue or proposal.host,
        capacity=capacity or format_page.group_size_max,
    )
    proposal.status = Proposal.Status.ACCEPTED
    proposal.session = session
    proposal.decided_at = timezone.now()
    proposal.decided_by = by
    proposal.save(update_fields=["status", "session", "decided_at", "decided_by"])
    if register_proposer:
        event_services.registration_create(session=session, user=proposal.proposer)
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
    """Tell the proposer the decision (`event`: accepted or declined); on acceptance, tell
    everyone who answered the poll (except the proposer) the date chosen and invite them to
    register. Returns the number of messages sent. Raises ValueError for any other event."""
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
        voters = {
            vote.user_id: vote.user
            for vote in ProposalVote.objects.filter(date__proposal=proposal)
            .exclude(user=proposal.proposer)
            .select_related("user")
            .order_by("user_id")
        }
        for voter in voters.values():
            send_templated_email(
                template=ProposalNotice.SESSION_INVITATION.template,
                to=[voter.email],
                context={"proposal": proposal, "user": voter, "session": proposal.session},
            )
            sent += 1
    return sent
