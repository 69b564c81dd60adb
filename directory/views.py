"""The directory's public pages: the list and map, a place's fiche and its edit by its
managers, the open data, and « Vers qui orienter ? » with its fiche d'orientation."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.selectors import user_is_hub_staff
from core import exports
from core.errors import DomainError
from core.page_cache import reads_query

from . import (
    hours,
    itinerance,
    orientation,
    place_sections,
    quality,
    selectors,
    services,
    standard,
)
from .forms import (
    FicheEmailForm,
    OrientationForm,
    PlaceEditForm,
    PlaceFilterForm,
    PlaceProposalForm,
)
from .models import Organisation, Place

PAGE_SIZE = 20


def require_hub_staff(request) -> None:
    if not user_is_hub_staff(request.user):
        raise PermissionDenied(
            _("Cette page de suivi de l'annuaire est réservée à l'équipe du Hub.")
        )


@reads_query(*PlaceFilterForm.base_fields, "page")
def place_list(request):
    """The list (the accessible equivalent of the map) with its filters; the map reads the
    same rows from a JSON island. Constant number of queries whatever the number of places."""
    form = PlaceFilterForm(request.GET or None, request=request)
    rows, corrected = [], ""
    if not form.is_bound or form.is_valid():
        rows, corrected = selectors.place_search_tolerant(**form.search_arguments())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    places = selectors.place_list_by_pk(pks=[row["pk"] for row in page.object_list])
    distances = {row["pk"]: row.get("distance_km") for row in page.object_list}
    now = hours.local_now()
    for place in places:
        place.distance_km = distances.get(place.pk)
        place.hours_status = hours.status(place.opening_hours, now)
    markers = [
        {
            "name": row["name"],
            "lat": row["latitude"],
            "lon": row["longitude"],
            "url": f"{request.path}{row['pk']}/",
        }
        for row in rows
        if row["latitude"] is not None
    ]
    return render(
        request,
        "directory/place_list.html",
        {
            "form": form,
            "page_obj": page,
            "places": places,
            "total": len(rows),
            "corrected": corrected,
            "map_data": {"tiles": settings.MAILLAGE_MAP_TILE_URL, "markers": markers},
        },
    )


def place_detail(request, pk: int):
    place = selectors.place_get(pk=pk)
    if place is None:
        raise Http404
    sections = [
        {"template": section.template, **section.context(place)}
        for section in place_sections.sections()
    ]
    staff = user_is_hub_staff(request.user)
    can_edit = selectors.user_manages_place(user=request.user, place=place)
    return render(
        request,
        "directory/place_detail.html",
        {
            "place": place,
            "hours_status": hours.status(place.opening_hours),
            "week": hours.week(place.opening_hours),
            "stops": itinerance.stop_rows(place),
            "sections": sections,
            "can_edit": can_edit,
            "quality": quality.place_score(place) if can_edit else None,
            "is_hub_staff": staff,
            "map_data": {
                "tiles": settings.MAILLAGE_MAP_TILE_URL,
                "markers": [{"name": place.name, "lat": place.latitude, "lon": place.longitude}]
                if place.has_reliable_position
                else [],
            },
        },
    )


def open_data(request, file_format: str):
    """The whole directory in the national standard, for reuse (Licence Ouverte)."""
    places = Place.objects.order_by("identifier")
    filename = f"lieux-mediation-numerique.{file_format}"
    if file_format == "csv":
        return exports.csv_response(
            filename=filename,
            header=standard.field_names(),
            rows=selectors.place_export_csv_rows(
                places=places.iterator(chunk_size=500), public=True
            ),
            spreadsheet=False,
        )
    text = selectors.place_export_text(places=places, file_format=file_format, public=True)
    response = HttpResponse(text, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def orientation_view(request):
    """ "Vers qui orienter ?": a need and a commune give the nearest places offering it."""
    form = OrientationForm(request.GET or None)
    places = []
    if form.is_bound and form.is_valid():
        places = selectors.place_list_for_need(
            service=form.cleaned_data["service"],
            latitude=form.commune.latitude,
            longitude=form.commune.longitude,
        )
    return render(
        request,
        "directory/orientation.html",
        {
            "form": form,
            "places": places,
            "commune": getattr(form, "commune", None),
            "service": form.cleaned_data.get("service")
            if form.is_bound and form.is_valid()
            else "",
            "bring": orientation.what_to_bring(form.cleaned_data["service"])
            if form.is_bound and form.is_valid()
            else [],
        },
    )


def _fiche_context(request, pk: int) -> dict:
    place = get_object_or_404(Place.objects.select_related("organisation"), pk=pk)
    service = request.GET.get("service", "")
    if service and service not in standard.vocabularies()[standard.SERVICES]:
        raise Http404
    return orientation.fiche_context(place=place, service=service)


def orientation_fiche(request, pk: int):
    """One A4 page to hand or send to the person: the place, hours, what to bring."""
    context = _fiche_context(request, pk)
    if request.GET.get("format") == "pdf":
        from .pdf import fiche_pdf

        response = HttpResponse(fiche_pdf(context), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="fiche-orientation-{pk}.pdf"'
        return response
    context["email_form"] = FicheEmailForm()
    return render(request, "directory/orientation_fiche.html", context)


@login_required
def orientation_fiche_email(request, pk: int):
    """Send the fiche by email (Celery); only for signed-in people, so the form is no relay."""
    context = _fiche_context(request, pk)
    form = FicheEmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email, service = form.cleaned_data["email"], context["service"]
        services.orientation_fiche_queue(
            place=context["place"], service=service, email=email, sender=request.user
        )
        messages.success(
            request, _("La fiche d'orientation part par courriel à %(email)s.") % {"email": email}
        )
        fiche = reverse("directory:orientation_fiche", args=[pk])
        return redirect(f"{fiche}?{urlencode({'service': service})}")
    context["email_form"] = form
    return render(
        request, "directory/orientation_fiche.html", context, status=400 if form.is_bound else 200
    )


@login_required
def place_edit(request, pk: int):
    """A structure manager edits their own place (Hub staff any place); others get a 403."""
    place = get_object_or_404(Place, pk=pk)
    if not selectors.user_manages_place(user=request.user, place=place):
        raise PermissionDenied(
            _(
                "Seuls les gestionnaires de la structure de ce lieu et l'équipe du Hub peuvent "
                "modifier sa fiche. Pour corriger une information, utilisez « Signaler une "
                "erreur » sur la fiche du lieu."
            )
        )
    form = PlaceEditForm(request.POST or None, instance=place)
    if request.method == "POST" and form.is_valid():
        try:
            services.place_update(place=place, user=request.user, data=form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("La fiche du lieu est à jour."))
            return redirect("directory:place_detail", pk=place.pk)
    return render(
        request,
        "directory/place_edit.html",
        {"place": place, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def place_propose(request):
    """A structure manager proposes a new place for their structure; it is public once Hub
    staff have reviewed it."""
    organisations = selectors.organisation_list_managed_by(user=request.user)
    if not organisations:
        raise PermissionDenied(
            _(
                "Proposer un lieu est réservé aux gestionnaires d'une structure. Si vous gérez "
                "une structure, demandez-le depuis Mon espace ; l'équipe du Hub crée les lieux "
                "dans l'administration."
            )
        )
    queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])
    form = PlaceProposalForm(request.POST or None, organisations=queryset)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.place_propose(
                user=request.user, organisation=data.pop("organisation"), data=data
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _(
                    "Merci ! « %(name)s » sera publié dans l'annuaire une fois relu par "
                    "l'équipe du Hub ; vous recevrez un courriel."
                )
                % {"name": data["name"]},
            )
            return redirect("portal:my_space")
    return render(
        request,
        "directory/place_propose.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
def my_structure(request):
    """« Ma structure », after sign-up: the person's structures, and a form to join one of the
    directory or ask to manage it (the request goes to Hub staff at /annuaire/gestionnaires/,
    the one place where they decide). `?structure=<pk>` fills in a structure's name."""
    from .signup import StructureJoinForm

    initial = {}
    if (pk := request.GET.get("structure", "")).isdigit():
        organisation = selectors.organisation_get(pk=int(pk))
        if organisation is not None:
            initial = {"structure_name": organisation.name, "manages_structure": True}
    form = StructureJoinForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        structure = form.cleaned_data["structure"]
        membership = services.membership_join(
            user=request.user,
            organisation=structure,
            wants_to_manage=form.cleaned_data["manages_structure"],
        )
        if membership.is_manager:
            message = _("Vous gérez « %(structure)s ».")
        elif membership.manager_requested_at:
            message = _(
                "Vous êtes rattaché·e à « %(structure)s ». Votre demande pour la gérer est "
                "transmise à l'équipe du Hub, qui la valide."
            )
        else:
            message = _("Vous êtes rattaché·e à « %(structure)s ».")
        messages.success(request, message % {"structure": structure.name})
        return redirect("directory:my_structure")
    return render(
        request,
        "directory/my_structure.html",
        {"form": form, "memberships": selectors.membership_list_of_user(user=request.user)},
        status=400 if form.errors else 200,
    )
