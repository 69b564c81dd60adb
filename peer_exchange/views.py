"""Mediators' side of peer proposals: propose, see the poll, vote. Thin: services decide."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError

from . import selectors, services
from .forms import ProposalForm
from .models import ProposalDate


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


@login_required
def proposal_detail(request, pk):
    proposal = selectors.proposal_get_visible(pk=pk, user=request.user)
    if proposal is None:
        raise Http404
    return render(request, "peer_exchange/proposal_detail.html", {"proposal": proposal})


def _vote_action(request, pk, action):
    date = get_object_or_404(ProposalDate.objects.select_related("proposal"), pk=pk)
    if selectors.proposal_get_visible(pk=date.proposal_id, user=request.user) is None:
        raise Http404
    try:
        action(date=date, user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        proposal = selectors.proposal_get_visible(pk=date.proposal_id, user=request.user)
        return render(
            request, "peer_exchange/proposal_detail.html", {"proposal": proposal}, status=409
        )
    return redirect("peer_exchange:proposal_detail", pk=date.proposal_id)


@login_required
@require_POST
def proposal_vote(request, pk):
    """This date suits me."""
    response = _vote_action(request, pk, services.proposal_vote)
    if response.status_code == 302:
        messages.success(request, _("C'est noté : cette date vous convient."))
    return response


@login_required
@require_POST
def proposal_unvote(request, pk):
    response = _vote_action(request, pk, services.proposal_unvote)
    if response.status_code == 302:
        messages.success(request, _("Votre disponibilité est retirée."))
    return response
