import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import STRUCTURE_MANAGER
from accounts.selectors import user_has_role
from core.dates import date_in_french
from core.errors import DomainError
from core.page_cache import reads_query
from directory.selectors import organisation_list_managed_by

from . import selectors, services
from .forms import BookingForm, CatalogueFilterForm
from .models import Booking, Item


@reads_query(*CatalogueFilterForm.base_fields, "page")
def catalogue(request):
    """What is free from … to … near …: the items and kits, with their pick-up places and
    distances; without dates, the whole catalogue."""
    form = CatalogueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    near = filters.get("near_point")
    items = selectors.item_catalogue(
        category=filters.get("category"),
        place=filters.get("place"),
        start=filters.get("start"),
        end=filters.get("end"),
        near=near,
    )
    kits = (
        selectors.kit_catalogue(start=filters.get("start"), end=filters.get("end"), near=near)
        if not filters.get("category") and not filters.get("place")
        else []
    )
    page = Paginator(items, 24).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    dates = {"du": filters["start"], "au": filters["end"]} if filters.get("start") else {}
    return render(
        request,
        "numeritheque/catalogue.html",
        {
            "form": form,
            "items": page,
            "kits": kits,
            "query": query.urlencode(),
            "filters": filters,
            "dates": urlencode({key: value.isoformat() for key, value in dates.items()}),
        },
    )


def _month(value: str) -> datetime.date | None:
    try:
        return datetime.datetime.strptime(value, "%Y-%m").date().replace(day=1)
    except ValueError:
        return None


def _day(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def _day_link(*, month: datetime.date, date: datetime.date, start, end) -> tuple[str, str]:
    """Where a free day's link leads, and what it says: the return day once the pick-up day
    is chosen (and this day is not before it), otherwise the pick-up day."""
    label = date_in_french(date, "l j F")
    if start is not None and end is None and date >= start:
        choice = {"mois": f"{month:%Y-%m}", "du": start.isoformat(), "au": date.isoformat()}
        action = _("Choisir le %(date)s comme jour de retour") % {"date": label}
    else:
        choice = {"mois": f"{month:%Y-%m}", "du": date.isoformat()}
        action = _("Choisir le %(date)s comme jour de retrait") % {"date": label}
    return "?" + urlencode(choice) + "#disponibilites", action


def _calendar(request, *, items, booking_query: dict) -> dict:
    """The month calendar of `items` (an item, or a kit's items) where the loan's days are
    chosen by following links (?du= then ?au=), so that it works without JavaScript, with a
    keyboard and a screen reader; then the link to book those days."""
    today = timezone.localdate()
    start, end = _day(request.GET.get("du", "")), _day(request.GET.get("au", ""))
    if start is None or start < today:
        start = end = None
    if end is not None and end < start:
        end = None
    month = _month(request.GET.get("mois", "")) or (start or today).replace(day=1)
    weeks = selectors.month_calendar(items=items, year=month.year, month=month.month)
    for week in weeks:
        for day in week:
            if day is None:
                continue
            date = day["date"]
            day["past"] = date < today
            day["chosen"] = date == start or (end is not None and start <= date <= end)
            if not day["past"] and day["state"] == selectors.FREE:
                day["href"], day["action"] = _day_link(month=month, date=date, start=start, end=end)
    context = {
        "month": month,
        "weeks": weeks,
        "previous": (month - datetime.timedelta(days=1)).replace(day=1),
        "following": (month + datetime.timedelta(days=32)).replace(day=1),
        "today": today,
        "start": start,
        "end": end,
    }
    if start and end:
        context["range_free"] = selectors.items_are_free(items=items, start=start, end=end)
        context["booking_url"] = (
            reverse("numeritheque:booking_create")
            + "?"
            + urlencode({**booking_query, "start": start.isoformat(), "end": end.isoformat()})
        )
    return context


def item_detail(request, slug):
    """An item and its month of availability, where the loan's days are chosen."""
    item = get_object_or_404(
        Item.objects.exclude(state=Item.State.RETIRED)
        .select_related("category", "home_place", "training_page")
        .prefetch_related("photos__image", "tutorials__document"),
        slug=slug,
    )
    calendar = _calendar(request, items=[item], booking_query={"materiel": item.slug})
    return render(request, "numeritheque/item_detail.html", {"item": item, **calendar})


def kit_detail(request, pk):
    """A kit: its items, where each is picked up, and the days all of them are free."""
    kit = selectors.kit_get(pk=pk)
    if kit is None:
        raise Http404
    items = list(kit.items.all())
    calendar = _calendar(request, items=items, booking_query={"kit": kit.pk})
    places = list({item.home_place_id: item.home_place for item in items}.values())
    return render(
        request,
        "numeritheque/kit_detail.html",
        {"kit": kit, "items": items, "places": places, **calendar},
    )


def _bookable_structures(user) -> list:
    """The structures `user` may book for: those they manage, with the structure manager role."""
    if not user_has_role(user=user, roles=[STRUCTURE_MANAGER]):
        return []
    return organisation_list_managed_by(user=user)


@login_required
def booking_create(request):
    """The booking form, for structure managers, for the structures they manage; anyone else
    is told why they cannot book and what to do (a 403 page that says it, in French)."""
    structures = _bookable_structures(request.user)
    if not structures:
        return render(request, "numeritheque/booking_not_allowed.html", status=403)
    initial = {}
    if slug := request.GET.get("materiel"):
        initial["items"] = Item.objects.filter(slug=slug)
    if (kit := request.GET.get("kit", "")).isdigit():
        initial["kit"] = int(kit)
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
                    training=data["training"],
                    accessories=data["accessories_by_item"],
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
def booking_cancel(request, pk):
    """Cancel one's own booking (or one's structure's) while not picked up, after a page that
    asks for confirmation (GET) and shows what is cancelled; others get a 404."""
    managed = [structure.pk for structure in organisation_list_managed_by(user=request.user)]
    booking = (
        Booking.objects.filter(Q(requester=request.user) | Q(structure__in=managed), pk=pk)
        .select_related("structure")
        .prefetch_related(Prefetch("items", queryset=Item.objects.select_related("home_place")))
        .first()
    )
    if booking is None:
        raise Http404
    if request.method != "POST":
        return render(
            request,
            "numeritheque/booking_cancel.html",
            {"booking": booking, "pickups": selectors.booking_pickups(booking=booking)},
        )
    try:
        services.booking_cancel(booking=booking, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("portal:my_space")
    messages.success(
        request,
        _("La réservation n° %(pk)s est annulée ; l'équipe de la numérithèque est prévenue.")
        % {"pk": booking.pk},
    )
    return redirect("portal:my_space")
