"""The numérithèque team's desk in the Wagtail admin: requests to answer, today's pick-ups and
returns, late loans, items in maintenance, check-out and check-in forms, utilisation figures
and the loan history as CSV. Only numérithèque managers and Hub staff get in."""

import datetime
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wagtail.images import get_image_model

from core import exports
from core.errors import DomainError
from core.services import personal_data_access_record

from . import selectors, services
from .forms import InspectionForm, RefuseForm
from .models import Booking, BookingItem, Inspection


def team_only(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not services.user_is_numeritheque_manager(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _booking(pk) -> Booking:
    return get_object_or_404(
        Booking.objects.select_related("structure", "requester").prefetch_related("items"), pk=pk
    )


@team_only
def desk(request):
    today = timezone.localdate()
    personal_data_access_record(
        user=request.user, what=_("Guichet de la numérithèque"), path=request.path
    )
    return render(
        request,
        "numeritheque/admin/desk.html",
        {
            "page_title": _("Numérithèque : le guichet"),
            "today": today,
            "requested": selectors.booking_list_requested(),
            "pickups": selectors.booking_list_pickups(day=today),
            "upcoming": [
                (booking, services.check_out_earliest(start=booking.start))
                for booking in selectors.booking_list_pickups_upcoming(day=today)
            ],
            "out": selectors.booking_list_out(day=today),
            "returns": selectors.booking_list_returns(day=today),
            "late": selectors.booking_list_late(day=today),
            "maintenance": selectors.item_list_in_maintenance(day=today),
            "refuse_form": RefuseForm(),
        },
    )


@team_only
def booking_detail(request, pk):
    """A booking's whole story: who moved it when and why, and its check-out/check-in records."""
    booking = _booking(pk)
    personal_data_access_record(
        user=request.user, what=_("Détail d'une réservation"), target=booking, path=request.path
    )
    return render(
        request,
        "numeritheque/admin/booking_detail.html",
        {
            "page_title": _("Réservation n° %(pk)s") % {"pk": pk},
            "booking": booking,
            "accessories": selectors.booking_accessories_to_check(
                booking=booking, kind=Inspection.Kind.CHECK_OUT
            ),
            "transitions": booking.transitions.select_related("by"),
            "inspections": booking.inspections.select_related("by").prefetch_related(
                "photos__image"
            ),
        },
    )


def _run(request, action, success: str):
    try:
        action()
    except DomainError as error:
        messages.error(request, error.message)
        return False
    messages.success(request, success)
    return True


@team_only
@require_POST
def approve(request, pk):
    booking = _booking(pk)
    _run(
        request,
        lambda: services.booking_approve(booking=booking, by=request.user),
        _("Réservation n° %(pk)s acceptée.") % {"pk": pk},
    )
    return redirect("numeritheque_guichet:index")


@team_only
@require_POST
def refuse(request, pk):
    booking = _booking(pk)
    form = RefuseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indiquez le motif du refus."))
        return redirect("numeritheque_guichet:index")
    _run(
        request,
        lambda: services.booking_refuse(
            booking=booking, by=request.user, reason=form.cleaned_data["reason"]
        ),
        _("Réservation n° %(pk)s refusée.") % {"pk": pk},
    )
    return redirect("numeritheque_guichet:index")


def _inspection(request, pk, *, check_in: bool):
    booking = _booking(pk)
    form = InspectionForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        booking=booking,
        with_damage=check_in,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        photos = []
        if data.get("photos"):
            image = get_image_model()(
                title=_("État des lieux, réservation n° %(pk)s") % {"pk": pk},
                file=data["photos"],
                uploaded_by_user=request.user,
            )
            photos.append(image)
        kwargs = {
            "booking": booking,
            "by": request.user,
            "condition_notes": data["condition_notes"],
            "accessories": data.get("accessories", []),
        }

        def action():
            # The photo is kept only if the service accepts the inspection.
            with transaction.atomic():
                for image in photos:
                    image.save()
                if check_in:
                    services.booking_check_in(**kwargs, damaged=data["damaged"], photos=photos)
                else:
                    services.booking_check_out(**kwargs, photos=photos)

        try:
            action()
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Retour enregistré.") if check_in else _("Sortie enregistrée.")
            )
            return redirect("numeritheque_guichet:index")
    title = (
        _("Retour de la réservation n° %(pk)s")
        if check_in
        else _("Sortie de la réservation n° %(pk)s")
    )
    return render(
        request,
        "numeritheque/admin/inspection.html",
        {"page_title": title % {"pk": pk}, "booking": booking, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@team_only
def check_out(request, pk):
    return _inspection(request, pk, check_in=False)


@team_only
def check_in(request, pk):
    return _inspection(request, pk, check_in=True)


@team_only
def utilisation(request):
    try:
        year = int(request.GET.get("annee", ""))
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 2000), 2100)
    figures = selectors.utilisation(year=year)
    peak = max([max(values) for _name, values in figures["categories"]] + [1])
    months = [datetime.date(year, month, 1) for month in range(1, 13)]
    return render(
        request,
        "numeritheque/admin/utilisation.html",
        {
            "page_title": _("Utilisation du matériel en %(year)s") % {"year": year},
            "year": year,
            "months": months,
            "categories": [
                (
                    name,
                    [(months[i], days, round(100 * days / peak)) for i, days in enumerate(values)],
                )
                for name, values in figures["categories"]
            ],
            "items": figures["items"],
            "previous": year - 1,
            "following": year + 1,
        },
    )


@team_only
def export_csv(request):
    """Every loan line (one row per item of a booking), for the Hub's reports."""
    personal_data_access_record(
        user=request.user, what=_("Export des prêts (CSV)"), path=request.path
    )
    header = [
        _("réservation"),
        _("statut"),
        _("structure"),
        _("demandeur·se"),
        _("matériel"),
        _("numéro d'inventaire"),
        _("catégorie"),
        _("retrait"),
        _("retour"),
        _("objet"),
        _("public"),
    ]
    lines = BookingItem.objects.select_related(
        "booking__structure", "booking__requester", "item__category"
    ).order_by("booking__start", "booking_id", "item__name")
    rows = (
        [
            line.booking.pk,
            line.booking.status_label,
            line.booking.structure.name,
            line.booking.requester.email if line.booking.requester else "",
            line.item.name,
            line.item.inventory_code,
            line.item.category.name,
            line.booking.start.isoformat(),
            line.booking.end.isoformat(),
            line.booking.purpose,
            line.booking.public_served,
        ]
        for line in lines.iterator(chunk_size=500)
    )
    stamp = timezone.localdate().isoformat()
    return exports.csv_response(
        filename=f"numeritheque-prets-{stamp}.csv", header=header, rows=rows
    )
