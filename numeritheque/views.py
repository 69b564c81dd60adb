import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import STRUCTURE_MANAGER
from accounts.selectors import user_has_role
from core.errors import DomainError
from core.page_cache import reads_query
from directory.selectors import organisation_list_managed_by

from . import selectors, services
from .forms import BookingForm, CatalogueFilterForm
from .models import Booking, Item


@reads_query(*CatalogueFilterForm.base_fields, "page")
def catalogue(request):
    """The public catalogue, filtered by category, home place and availability between two days."""
    form = CatalogueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    items = selectors.item_catalogue(
        category=filters.get("category"),
        place=filters.get("place"),
        start=filters.get("start"),
        end=filters.get("end"),
    )
    page = Paginator(items, 24).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "numeritheque/catalogue.html",
        {"form": form, "items": page, "query": query.urlencode(), "filters": filters},
    )


def _month(value: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(value, "%Y-%m").date().replace(day=1)
    except ValueError:
        return timezone.localdate().replace(day=1)


def item_detail(request, slug):
    """An item and its month of availability (?mois=AAAA-MM), without JavaScript."""
    item = get_object_or_404(
        Item.objects.exclude(state=Item.State.RETIRED)
        .select_related("category", "home_place", "training_page")
        .prefetch_related("photos__image", "tutorials__document"),
        slug=slug,
    )
    month = _month(request.GET.get("mois", ""))
    previous = (month - datetime.timedelta(days=1)).replace(day=1)
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    return render(
        request,
        "numeritheque/item_detail.html",
        {
            "item": item,
            "month": month,
            "weeks": selectors.month_calendar(item=item, year=month.year, month=month.month),
            "previous": previous,
            "following": following,
            "today": timezone.localdate(),
        },
    )


def kit_detail(request, pk):
    """A kit: its items, where each is picked up, and the way to book it whole."""
    kit = selectors.kit_get(pk=pk)
    if kit is None:
        raise Http404
    return render(request, "numeritheque/kit_detail.html", {"kit": kit})


def _structures_or_403(user):
    structures = organisation_list_managed_by(user=user)
    if not structures or not user_has_role(user=user, roles=[STRUCTURE_MANAGER]):
        raise PermissionDenied(_("La réservation est réservée aux gestionnaires de structure."))
    return structures


@login_required
def booking_create(request):
    """The booking form, for structure managers, for the structures they manage."""
    structures = _structures_or_403(request.user)
    initial = {}
    if slug := request.GET.get("materiel"):
        initial["items"] = Item.objects.filter(slug=slug)
    for field in ("start", "end"):
        if value := request.GET.get(field):
            initial[field] = value
    form = BookingForm(
        request.POST if request.method == "POST" else None,
        structures=structures,
        initial=initial,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                booking = services.booking_request(
                    requester=request.user,
                    structure=data["structure"],
                    items=data["all_items"],
                    start=data["start"],
                    end=data["end"],
                    purpose=data["purpose"],
                    public_served=data["public_served"],
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _(
                        "Votre demande n° %(pk)s est enregistrée : le matériel vous est réservé "
                        "en attendant la réponse de l'équipe."
                    )
                    % {"pk": booking.pk},
                )
                return redirect("portal:my_space")
        status = 400
    return render(request, "numeritheque/booking_form.html", {"form": form}, status=status)


@login_required
@require_POST
def booking_cancel(request, pk):
    """Cancel one's own booking (or one's structure's) while not picked up; others get a 404."""
    managed = [structure.pk for structure in organisation_list_managed_by(user=request.user)]
    booking = Booking.objects.filter(
        Q(requester=request.user) | Q(structure__in=managed), pk=pk
    ).first()
    if booking is None:
        raise Http404
    try:
        services.booking_cancel(booking=booking, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("portal:my_space")
    messages.success(request, _("La réservation n° %(pk)s est annulée.") % {"pk": booking.pk})
    return redirect("portal:my_space")
