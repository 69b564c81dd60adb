"""Mediators' side of peer proposals: propose, see the poll, vote. Thin: services decide."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.selectors import user_is_hub_staff
from core.errors import DomainError

from . import selectors, services
from .forms import ProposalForm
from .models import ProposalDate, ProposalVote


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request):
    form = ProposalForm(request.POST or None, initial=request.GET.dict() or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.proposal_create(
                proposer=request.user,
                format_page=data["format_page"],
                topic=data["topic"],
                host=data["host"],
                description=data["description"],
                starts=form.starts(),
                names_visible=data["names_visible"],
                vote_deadline=data["vote_deadline"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _(
                    "Merci ! Votre proposition est en ligne : les collègues peuvent choisir une date."
                ),
            )
            return redirect("peer_exchange:proposal_detail", pk=proposal.pk)
    status = 400 if form.errors else 200
    return render(request, "peer_exchange/proposal_form.html", {"form": form}, status=status)


def _detail(request, proposal, status=200):
    can_close = proposal.is_open and (
        proposal.proposer_id == request.user.pk or user_is_hub_staff(request.user)
    )
    return render(
        request,
        "peer_exchange/proposal_detail.html",
        {
            "proposal": proposal,
            "show_names": selectors.poll_names_visible(proposal=proposal, user=request.user),
            "answers": ProposalVote.Answer.choices,
            "can_close": can_close,
            "deadline_passed": proposal.vote_deadline is not None
            and proposal.vote_deadline <= timezone.now(),
        },
        status=status,
    )


@login_required
def proposal_detail(request, pk):
    proposal = selectors.proposal_get_visible(pk=pk, user=request.user)
    if proposal is None:
        raise Http404
    return _detail(request, proposal)


def _vote_action(request, pk, action):
    date = get_object_or_404(ProposalDate.objects.select_related("proposal"), pk=pk)
    if selectors.proposal_get_visible(pk=date.proposal_id, user=request.user) is None:
        raise Http404
    try:
        action(date=date, user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        proposal = selectors.proposal_get_visible(pk=date.proposal_id, user=request.user)
        return _detail(request, proposal, status=409)
    return redirect("peer_exchange:proposal_detail", pk=date.proposal_id)


@login_required
@require_POST
def proposal_vote(request, pk):
    """Oui, si besoin or non for one date (oui when the form says nothing else)."""
    answer = request.POST.get("answer") or ProposalVote.Answer.YES

    def vote(*, date, user):
        return services.proposal_vote(date=date, user=user, answer=answer)

    response = _vote_action(request, pk, vote)
    if response.status_code == 302:
        messages.success(request, _("C'est noté : votre réponse est enregistrée."))
    return response


@login_required
@require_POST
def proposal_unvote(request, pk):
    response = _vote_action(request, pk, services.proposal_unvote)
    if response.status_code == 302:
        messages.success(request, _("Votre réponse est retirée."))
    return response


@login_required
@require_POST
def proposal_close(request, pk):
    """The proposer (or Hub staff) closes the poll into one of its dates: the session is
    created and open to registration, the people who answered are told."""
    proposal = selectors.proposal_get_visible(pk=pk, user=request.user)
    if proposal is None:
        raise Http404
    if proposal.proposer_id != request.user.pk and not user_is_hub_staff(request.user):
        raise PermissionDenied(
            _("Seuls la personne qui propose et l'équipe du Hub peuvent clore ce sondage.")
        )
    date_pk = request.POST.get("date", "")
    if not date_pk:
        messages.error(request, _("Choisissez la date retenue pour clore le sondage."))
        return _detail(request, proposal, status=400)
    date = get_object_or_404(
        ProposalDate, pk=date_pk if date_pk.isdecimal() else None, proposal=proposal
    )
    try:
        session = services.proposal_accept(proposal=proposal, date=date, by=request.user)
    except DomainError as error:
        if error.code == "forbidden":
            raise PermissionDenied(error.message) from error
        messages.error(request, error.message)
        return _detail(request, proposal, status=409)
    messages.success(
        request,
        _(
            "Le sondage est clos : la séance est publiée et les personnes qui ont répondu sont prévenues."
        ),
    )
    return redirect(session.get_absolute_url())
