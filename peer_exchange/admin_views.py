"""Hub staff decide on proposals in the Wagtail admin: the list, and one proposal with its
poll results, where one click accepts a date or a reason declines it."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.decorators import hub_staff_required
from core.errors import DomainError
from core.services import personal_data_access_record

from . import selectors, services
from .forms import AcceptForm, DeclineForm
from .models import Proposal, ProposalDate

staff_only = hub_staff_required(
    reason=gettext_lazy(
        "Les propositions d'échanges entre pairs sont examinées par l'équipe du Hub."
    )
)


@staff_only
def proposal_index(request):
    status = request.GET.get("status") or Proposal.Status.OPEN
    if status not in Proposal.Status.values + ["all"]:
        status = Proposal.Status.OPEN
    personal_data_access_record(
        user=request.user, what=_("Propositions d'échanges"), target=status, path=request.path
    )
    return TemplateResponse(
        request,
        "peer_exchange/admin/proposal_index.html",
        {
            "proposals": selectors.proposal_list_all(status=None if status == "all" else status),
            "status": status,
            "statuses": Proposal.Status.choices,
        },
    )


@staff_only
def proposal_detail(request, pk, decline_form=None, accept_form=None, status=200):
    proposal = get_object_or_404(selectors.proposal_list_all(), pk=pk)
    dates = [(date, selectors.vote_list_for_date(date=date)) for date in proposal.dates.all()]
    personal_data_access_record(
        user=request.user, what=_("Détail d'une proposition"), target=proposal, path=request.path
    )
    return TemplateResponse(
        request,
        "peer_exchange/admin/proposal_detail.html",
        {
            "proposal": proposal,
            "dates": dates,
            "decline_form": decline_form or DeclineForm(),
            "accept_form": accept_form or AcceptForm(),
        },
        status=status,
    )


@require_POST
@staff_only
def proposal_accept(request, pk):
    proposal = get_object_or_404(Proposal, pk=pk)
    date_pk = request.POST.get("date", "")
    # Anything but a number is no date of this proposal (not a 500).
    date = get_object_or_404(
        ProposalDate, pk=date_pk if date_pk.isdecimal() else None, proposal=proposal
    )
    form = AcceptForm(request.POST)
    if not form.is_valid():
        return proposal_detail(request, pk, accept_form=form, status=400)
    data = form.cleaned_data
    try:
        services.proposal_accept(
            proposal=proposal,
            date=date,
            by=request.user,
            capacity=data["capacity"],
            duration_hours=float(data["duration_hours"]) if data["duration_hours"] else None,
            venue=data["venue"],
            register_proposer=data["proposer"] != "inviter",
        )
    except DomainError as error:
        messages.error(request, error.message)
        return proposal_detail(request, pk, status=409)
    messages.success(request, _("Proposition acceptée : la session est publiée dans l'agenda."))
    return redirect("peer_exchange_admin:proposal_detail", pk=pk)


@require_POST
@staff_only
def proposal_decline(request, pk):
    proposal = get_object_or_404(Proposal, pk=pk)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return proposal_detail(request, pk, decline_form=form, status=400)
    try:
        services.proposal_decline(
            proposal=proposal, reason=form.cleaned_data["reason"], by=request.user
        )
    except DomainError as error:
        messages.error(request, error.message)
        return proposal_detail(request, pk, status=409)
    messages.success(request, _("Proposition refusée : la personne est prévenue."))
    return redirect("peer_exchange_admin:proposal_detail", pk=pk)
