"""The Hub staff's screens of the directory on the public site: coverage of a territory,
a place's history, the latest hand edits, possible duplicates and their merge."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import exports
from core.dependents import references_to
from core.errors import DomainError
from core.hub import hub_identity
from core.services import personal_data_access_record

from . import selectors, services
from .forms import PlaceProposalRefuseForm
from .models import Departement, Place, PlaceChange
from .views import require_hub_staff


def _not_known(value) -> str:
    return _("n.c.") if value is None else str(value)


def _coverage_csv(matrix: dict, filename: str):
    header = [
        _("Commune") if matrix["by_commune"] else _("EPCI"),
        _("Code INSEE") if matrix["by_commune"] else _("SIREN"),
        _("Lieux"),
        _("Médiateurs"),
        _("Population"),
        _("Lieux pour 10 000 habitants"),
        _("Actions hors les murs"),
        *matrix["services"],
    ]
    rows = [
        [
            row["name"],
            row["code"],
            row["places"],
            row["mediators"],
            _not_known(row["population"]),
            _not_known(row["per_10000"]),
            row["outside_actions"],
            *row["counts"],
        ]
        for row in matrix["rows"]
    ]
    total = matrix["total"]
    rows.append(
        [
            _("Total — %(name)s") % {"name": total["name"]},
            matrix["epci"].siren if matrix["epci"] else matrix["departement"].code,
            total["places"],
            total["mediators"],
            _not_known(total["population"]),
            _not_known(total["per_10000"]),
            total["outside_actions"],
        ]
    )
    return exports.csv_response(filename=filename, header=header, rows=rows)


@login_required
def coverage(request):
    """Services × EPCI for a département, or × commune for one of its EPCI, for Hub staff and
    steering committees: on screen with a map, as CSV, or as a printable page (?imprimer=1)."""
    require_hub_staff(request)
    departements = list(Departement.objects.all())
    # The Hub's own territory first (not Ain, 01, for a Breton Hub).
    known = {departement.code for departement in departements}
    home = next((code for code in hub_identity(request).departements if code in known), "")
    default = home or (departements[0].code if departements else "")
    code = request.GET.get("departement") or default
    status = 200
    if code and not any(d.code == code for d in departements):
        messages.error(request, _("Département inconnu : « %(code)s ».") % {"code": code})
        code = default
        status = 400
    epci = request.GET.get("epci", "")
    matrix = selectors.coverage_matrix(departement=code, epci=epci or None) if code else None
    if matrix and epci and matrix["epci"] is None:
        messages.error(
            request,
            _("EPCI inconnu dans ce département : « %(epci)s ».") % {"epci": epci},
        )
        epci, status = "", 400
    if matrix and status == 200 and request.GET.get("format") == "csv":
        suffix = f"-{matrix['epci'].siren}" if matrix["epci"] else ""
        return _coverage_csv(matrix, f"couverture-{code}{suffix}.csv")
    query = urlencode({"departement": code, **({"epci": epci} if epci else {})})
    context = {
        "departements": departements,
        "code": code,
        "epci": epci,
        "query": query,
        "matrix": matrix,
        "printed_on": timezone.localdate(),
    }
    if request.GET.get("imprimer"):
        return render(request, "directory/coverage_print.html", context, status=status)
    context["map_data"] = {
        "tiles": settings.MAILLAGE_MAP_TILE_URL,
        "markers": [
            {**marker, "url": reverse("directory:place_detail", args=[marker["pk"]])}
            for marker in matrix["markers"]
        ]
        if matrix
        else [],
    }
    return render(request, "directory/coverage.html", context, status=status)


@login_required
def place_history(request, pk: int):
    require_hub_staff(request)
    place = get_object_or_404(Place, pk=pk)
    changes = list(place.changes.select_related("user"))
    labels = _field_labels()
    for change in changes:
        change.labelled = [
            (labels.get(name, name), values) for name, values in change.changes.items()
        ]
    personal_data_access_record(
        user=request.user, what=_("Historique d'un lieu"), target=place, path=request.path
    )
    return render(request, "directory/place_history.html", {"place": place, "changes": changes})


def _field_labels() -> dict[str, str]:
    """Place field names as people read them, for the history and the latest changes."""
    return {
        "fusion": _("fusion de fiches"),
        **{field.name: field.verbose_name for field in Place._meta.concrete_fields},
    }


@login_required
def duplicates(request):
    """Possible duplicates across sources, each with a link to merge them (Hub staff)."""
    require_hub_staff(request)
    rows = services.duplicate_rows()
    return render(request, "directory/duplicates.html", {"rows": rows})


def _merge_pair(data) -> tuple[Place | None, Place | None] | None:
    """The two places named by `first` and `second` in `data`, or None if malformed."""
    pks = [data.get("first", ""), data.get("second", "")]
    if not all(pk.isdigit() for pk in pks):
        return None
    found = Place.objects.select_related("organisation").in_bulk([int(pk) for pk in pks])
    return found.get(int(pks[0])), found.get(int(pks[1]))


def _shown(value) -> str:
    if isinstance(value, list):
        return ", ".join(value)
    return "—" if value in (None, "") else str(value)


MERGE_COMPARED_FIELDS = (
    "identifier",
    "source",
    "name",
    "organisation",
    "pivot",
    "address",
    "postcode",
    "commune",
    "phone",
    "emails",
    "websites",
    "opening_hours",
    "services",
    "source_updated_on",
)


@login_required
def place_merge(request):
    """Compare two fiches of the same place and pick the one to keep (GET), then merge (POST,
    Hub staff only)."""
    require_hub_staff(request)
    data = request.POST if request.method == "POST" else request.GET
    pair = _merge_pair(data)
    if pair is None:
        return render(
            request,
            "directory/place_merge.html",
            {"error": _("Choisissez deux lieux à fusionner.")},
            status=400,
        )
    if None in pair:
        raise Http404
    first, second = pair
    error = ""
    if first.pk == second.pk:
        error = _("Impossible de fusionner un lieu avec lui-même.")
    elif request.method == "POST":
        choice = request.POST.get("choice")
        if choice not in ("a", "b"):
            error = _("Choisissez la fiche à garder.")
        else:
            keep, remove = (first, second) if choice == "a" else (second, first)
            try:
                kept = services.place_merge(keep=keep, remove=remove, user=request.user)
            except DomainError as domain_error:
                error = domain_error.message
            else:
                messages.success(
                    request,
                    _("Fiches fusionnées : « %(name)s » est conservée.") % {"name": kept.name},
                )
                return redirect("directory:place_detail", pk=kept.pk)
    fields = [
        (
            Place._meta.get_field(name).verbose_name,
            _shown(getattr(first, name)),
            _shown(getattr(second, name)),
        )
        for name in MERGE_COMPARED_FIELDS
    ]
    return render(
        request,
        "directory/place_merge.html",
        {
            "first": first,
            "second": second,
            "fields": fields,
            "error": error,
            # What the merge moves: everything pointing at the fiche that is not kept.
            "references": [references_to(first), references_to(second)],
        },
        status=400 if error else 200,
    )


CHANGES_PAGE_SIZE = 50


@login_required
def place_changes(request):
    """The latest hand edits across places, for Hub staff to review what structures changed."""
    require_hub_staff(request)
    changes = PlaceChange.objects.select_related("place", "user").prefetch_related(
        "user__memberships__organisation"
    )
    page = Paginator(changes, CHANGES_PAGE_SIZE).get_page(request.GET.get("page"))
    labels = _field_labels()
    for change in page.object_list:
        change.field_labels = [labels.get(name, name) for name in change.changes]
    personal_data_access_record(
        user=request.user,
        what=_("Dernières modifications des lieux"),
        target=_("page %(number)s") % {"number": page.number},
        path=request.get_full_path(),
    )
    return render(request, "directory/place_changes.html", {"page_obj": page})


@login_required
def manager_requests(request):
    """The « je gère cette structure » requests: Hub staff approve (the person then manages the
    structure and may book the numérithèque for it) or refuse each one."""
    require_hub_staff(request)
    if request.method == "POST":
        membership = get_object_or_404(
            selectors.membership_list_manager_requests(), pk=request.POST.get("demande")
        )
        decide = (
            services.membership_manager_approve
            if request.POST.get("decision") == "accepter"
            else services.membership_manager_refuse
        )
        try:
            decide(membership=membership, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Demande de %(person)s pour « %(structure)s » traitée.")
                % {"person": membership.user.email, "structure": membership.organisation},
            )
        return redirect("directory:manager_requests")
    requests = list(selectors.membership_list_manager_requests())
    personal_data_access_record(
        user=request.user,
        what=_("Demandes de gestion de structure"),
        target=ngettext("%(count)s demande", "%(count)s demandes", len(requests))
        % {"count": len(requests)},
        path=request.get_full_path(),
    )
    return render(request, "directory/manager_requests.html", {"requests": requests})


@login_required
def place_proposals(request):
    """Places proposed by structure managers: Hub staff read each fiche, publish it (the
    place is created) or refuse it with a reason sent to the structure."""
    require_hub_staff(request)
    refuse_form = PlaceProposalRefuseForm()
    if request.method == "POST":
        proposal = get_object_or_404(
            selectors.place_proposal_list_pending(), pk=request.POST.get("proposition")
        )
        try:
            if request.POST.get("decision") == "publier":
                place = services.place_proposal_approve(proposal=proposal, by=request.user)
                messages.success(
                    request, _("« %(name)s » est publié dans l'annuaire.") % {"name": place.name}
                )
                return redirect("directory:place_proposals")
            refuse_form = PlaceProposalRefuseForm(request.POST)
            if refuse_form.is_valid():
                services.place_proposal_refuse(
                    proposal=proposal, by=request.user, reason=refuse_form.cleaned_data["reason"]
                )
                messages.success(
                    request,
                    _("« %(name)s » est refusé ; la structure en est prévenue.")
                    % {"name": proposal.name},
                )
                return redirect("directory:place_proposals")
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("directory:place_proposals")
    proposals = list(selectors.place_proposal_list_pending())
    for proposal in proposals:
        proposal.rows = _proposal_rows(proposal)
    personal_data_access_record(
        user=request.user,
        what=_("Lieux proposés par les structures"),
        target=ngettext("%(count)s proposition", "%(count)s propositions", len(proposals))
        % {"count": len(proposals)},
        path=request.get_full_path(),
    )
    return render(
        request,
        "directory/place_proposals.html",
        {"proposals": proposals, "refuse_form": refuse_form},
        status=400 if refuse_form.errors else 200,
    )


def _proposal_rows(proposal) -> list[tuple[str, str]]:
    """The proposed fiche as label / value lines, in the editor's order."""
    rows = []
    for attribute in services.EDITABLE_FIELDS:
        value = proposal.data.get(attribute)
        if value:
            text = ", ".join(value) if isinstance(value, list) else str(value)
            rows.append((Place._meta.get_field(attribute).verbose_name, text))
    return rows
