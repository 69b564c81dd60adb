"""Reads of peer proposals: each list prefetches dates with their vote counts, so a page of
proposals costs a fixed number of queries. Formats are read for the open API."""

from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from accounts.selectors import user_is_hub_staff
from core.search import Document, page_document_match
from events.models import Session

from .models import PeerFormatPage, Proposal, ProposalDate, ProposalVote


def _with_poll(queryset, *, user=None) -> QuerySet[Proposal]:
    """Each date with its answers counted (`yes_total`, `if_needed_total`, `no_total`;
    `votes_total` is the people available: yes or if need be), the answers with their people
    (shown only when the poll is not anonymous), and `user`'s own answer (`my_answer`)."""
    answer = ProposalVote.Answer
    dates = ProposalDate.objects.annotate(
        yes_total=Count("votes", filter=Q(votes__answer=answer.YES)),
        if_needed_total=Count("votes", filter=Q(votes__answer=answer.IF_NEEDED)),
        no_total=Count("votes", filter=Q(votes__answer=answer.NO)),
        votes_total=Count("votes", filter=~Q(votes__answer=answer.NO)),
    ).prefetch_related(
        Prefetch(
            "votes",
            queryset=ProposalVote.objects.select_related("user").order_by("created_at", "pk"),
        )
    )
    if user is not None and user.is_authenticated:
        mine = ProposalVote.objects.filter(date=OuterRef("pk"), user=user)
        dates = dates.annotate(voted=Exists(mine), my_answer=Subquery(mine.values("answer")[:1]))
    return queryset.select_related("format", "host", "proposer", "session").prefetch_related(
        Prefetch("dates", queryset=dates)
    )


def poll_names_visible(*, proposal: Proposal, user) -> bool:
    """Voters' names are shown to the poll's participants (who answered it), its proposer
    and Hub staff, unless the proposer made the poll anonymous."""
    if not proposal.names_visible:
        return False
    if proposal.proposer_id == user.pk or user_is_hub_staff(user):
        return True
    return any(getattr(date, "voted", False) for date in proposal.dates.all())


def proposal_list_open(*, user=None) -> QuerySet[Proposal]:
    """Open proposals with at least one date still to come, newest first."""
    return _with_poll(
        Proposal.objects.filter(status=Proposal.Status.OPEN, dates__start__gt=timezone.now())
        .distinct()
        .order_by("-created_at", "pk"),
        user=user,
    )


def proposal_list_for_user(*, user) -> QuerySet[Proposal]:
    """The person's own proposals, every status, for Mon espace."""
    return _with_poll(Proposal.objects.filter(proposer=user).order_by("-created_at"))


def proposal_list_all(*, status: str | None = None) -> QuerySet[Proposal]:
    """Every proposal for Hub staff, optionally of one status."""
    queryset = Proposal.objects.all()
    if status:
        queryset = queryset.filter(status=status)
    return _with_poll(queryset.order_by("status", "-created_at"))


def proposal_get_visible(*, pk, user) -> Proposal | None:
    """A proposal as `user` may see it: open ones for any signed-in person, closed ones for
    their proposer and Hub staff only."""
    proposal = _with_poll(Proposal.objects.filter(pk=pk), user=user).first()
    if proposal is None:
        return None
    if proposal.is_open or proposal.proposer_id == user.pk or user_is_hub_staff(user):
        return proposal
    return None


def vote_list_for_date(*, date: ProposalDate) -> QuerySet[ProposalVote]:
    return ProposalVote.objects.filter(date=date).select_related("user").order_by("created_at")


def peer_format_list_public() -> QuerySet[PeerFormatPage]:
    """Live formats open to every visitor, each with `upcoming_sessions_total` and
    `next_session_start` (scheduled sessions to come). Nothing about proposals or proposers."""
    upcoming = Q(sessions__status=Session.Status.SCHEDULED, sessions__start__gt=timezone.now())
    return (
        PeerFormatPage.objects.live()
        .public()
        .annotate(
            upcoming_sessions_total=Count("sessions", filter=upcoming),
            next_session_start=Min("sessions__start", filter=upcoming),
        )
        .order_by("title", "pk")
    )


# What the portal search reads of a peer format (indexed on PostgreSQL, migration 0003).
PEER_FORMAT_TEXT = Document(
    "peer_exchange.PeerFormatPage", ("summary", "method"), "peer_exchange_format_search"
)


def peer_format_search(*, query: str, limit: int) -> list[PeerFormatPage]:
    """Live peer-exchange formats whose title, summary or method match `query` in French."""
    return page_document_match(PeerFormatPage, document=PEER_FORMAT_TEXT, query=query, limit=limit)
