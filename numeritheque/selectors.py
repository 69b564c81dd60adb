"""Reads of the numérithèque: availability, the catalogue, the team's lists and figures."""

import calendar
import datetime
from collections import defaultdict

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from core.search import Document, document_match
from directory.selectors import (
    PLACE_COMMUNE,
    place_distance_km,
    place_hours_on,
    within_radius,
)

from .models import (
    Booking,
    BookingItem,
    BookingNotice,
    Category,
    Inspection,
    Item,
    ItemPhoto,
    Kit,
    MaintenancePeriod,
)

# What the portal search reads of the numérithèque (indexed on PostgreSQL, migration 0005).
ITEM_TEXT = Document(
    "numeritheque.Item", ("name", "description", "accessories"), "numeritheque_item_search"
)
CATEGORY_NAME = Document("numeritheque.Category", ("name",), "numeritheque_category_search")
KIT_TEXT = Document("numeritheque.Kit", ("name", "description"), "numeritheque_kit_search")

FREE, BOOKED, MAINTENANCE, UNAVAILABLE = "libre", "reserve", "maintenance", "indisponible"


def items_availability(*, items: list[Item], start: datetime.date, end: datetime.date) -> dict:
    """Each day from `start` to `end` (inclusive) as libre, reserve (a booking or its
    preparation days), maintenance, or indisponible (retired or under repair), for all `items`
    together: a day is libre only when every item is. Two queries whatever the number of items."""
    days = {start + datetime.timedelta(n): FREE for n in range((end - start).days + 1)}
    if any(item.state != Item.State.AVAILABLE for item in items):
        return dict.fromkeys(days, UNAVAILABLE)
    blocked = BookingItem.objects.filter(
        item__in=items, active=True, blocked_start__lte=end, blocked_end__gt=start
    ).values_list("blocked_start", "blocked_end")
    for blocked_start, blocked_end in blocked:
        for day in days:
            if blocked_start <= day < blocked_end:
                days[day] = BOOKED
    periods = MaintenancePeriod.objects.filter(item__in=items, start__lte=end, end__gte=start)
    for period in periods.values_list("start", "end"):
        for day in days:
            if period[0] <= day <= period[1]:
                days[day] = MAINTENANCE
    return days


def item_availability(*, item: Item, start: datetime.date, end: datetime.date) -> dict:
    """One item's days (see items_availability)."""
    return items_availability(items=[item], start=start, end=end)


def item_is_available(*, item: Item, start: datetime.date, end: datetime.date) -> bool:
    return all(
        state == FREE for state in item_availability(item=item, start=start, end=end).values()
    )


def month_calendar(*, items: list[Item], year: int, month: int) -> list[list[dict | None]]:
    """Weeks (Monday first) of days with the availability of `items` together (an item, or a
    kit's items), None outside the month."""
    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    states = items_availability(items=items, start=first, end=last)
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append(
            [{"date": day, "state": states[day]} if day.month == month else None for day in week]
        )
    return weeks


def _free_between(*, start: datetime.date, end: datetime.date) -> Q:
    """Items bookable from `start` to `end`: no active booking within the range plus the
    category's buffer, no maintenance period, in service. One condition per category."""
    condition = Q(pk__in=[])
    for category in Category.objects.only("pk", "buffer_days"):
        blocked_end = end + datetime.timedelta(days=1 + category.buffer_days)
        booked = BookingItem.objects.filter(
            item=OuterRef("pk"), active=True, blocked_start__lt=blocked_end, blocked_end__gt=start
        )
        condition |= Q(category=category) & ~Exists(booked)
    in_maintenance = MaintenancePeriod.objects.filter(
        item=OuterRef("pk"), start__lte=end, end__gte=start
    )
    return condition & ~Exists(in_maintenance) & Q(state=Item.State.AVAILABLE)


def item_catalogue(
    *,
    category: Category | None = None,
    place=None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    near: tuple[float, float, float] | None = None,
) -> QuerySet[Item]:
    """The public catalogue (retired items left out), with what its cards show prefetched.
    `start`/`end` keep the items free on every day of the loan and its preparation days;
    `near` (latitude, longitude, radius in km) the items picked up within the radius, nearest
    first, each with `distance_km`."""
    items = (
        Item.objects.exclude(state=Item.State.RETIRED)
        .select_related("category", "home_place")
        .prefetch_related(
            Prefetch(
                "photos",
                queryset=ItemPhoto.objects.select_related("image").prefetch_related(
                    "image__renditions"
                ),
            )
        )
    )
    if category:
        items = items.filter(category=category)
    if place:
        items = items.filter(home_place=place)
    if start and end:
        items = items.filter(_free_between(start=start, end=end))
    if near:
        latitude, longitude, radius_km = near
        items = within_radius(
            items,
            latitude=latitude,
            longitude=longitude,
            radius_km=radius_km,
            prefix="home_place__",
        )
        return items.order_by("distance_km", "name")
    return items.order_by("category__name", "name")


def kit_catalogue(
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    near: tuple[float, float, float] | None = None,
) -> list[Kit]:
    """Kits whose every item is in service (and free from `start` to `end`, preparation days
    included), each with its `places` (pick-up places) and, with `near`, `distance_km` to its
    nearest pick-up place; kits with no pick-up place within the radius are left out. Three
    queries whatever the number of kits."""
    kits = list(
        Kit.objects.prefetch_related(
            Prefetch(
                "items",
                queryset=Item.objects.select_related("home_place", "category").order_by("name"),
            )
        ).order_by("name")
    )
    free = None
    if start and end:
        free = set(
            Item.objects.filter(_free_between(start=start, end=end)).values_list("pk", flat=True)
        )
    shown = []
    for kit in kits:
        items = list(kit.items.all())
        if not items or any(item.state != Item.State.AVAILABLE for item in items):
            continue
        if free is not None and any(item.pk not in free for item in items):
            continue
        kit.places = list({item.home_place_id: item.home_place for item in items}.values())
        if near:
            latitude, longitude, radius_km = near
            kit.distance_km = min(
                place_distance_km(place=place, latitude=latitude, longitude=longitude)
                for place in kit.places
            )
            if kit.distance_km > radius_km:
                continue
        shown.append(kit)
    if near:
        shown.sort(key=lambda kit: (kit.distance_km, kit.name))
    return shown


def booking_list_for_user(*, user) -> list[Booking]:
    """Bookings the person asked for, most recent first, each with its `pickups`
    (booking_pickups); three queries whatever the number."""
    bookings = list(
        Booking.objects.filter(requester=user)
        .select_related("structure")
        .prefetch_related(Prefetch("items", queryset=Item.objects.select_related("home_place")))
        .order_by("-start", "-pk")
    )
    for booking in bookings:
        booking.pickups = booking_pickups(booking=booking)
    return bookings


def _with_details(queryset: QuerySet[Booking]) -> QuerySet[Booking]:
    return queryset.select_related("structure", "requester").prefetch_related("items")


def booking_list_requested() -> QuerySet[Booking]:
    return _with_details(Booking.objects.filter(status=Booking.Status.REQUESTED)).order_by(
        "start", "pk"
    )


def booking_list_pickups(*, day: datetime.date) -> QuerySet[Booking]:
    """Accepted bookings to hand over on `day` (or earlier and not yet collected)."""
    return _with_details(
        Booking.objects.filter(status=Booking.Status.ACCEPTED, start__lte=day)
    ).order_by("start", "pk")


def booking_list_pickups_upcoming(*, day: datetime.date, days: int = 7) -> QuerySet[Booking]:
    """« Retraits à venir »: accepted bookings picked up in the `days` after `day`, soonest
    first (those within the early check-out window can already be handed over)."""
    return _with_details(
        Booking.objects.filter(
            status=Booking.Status.ACCEPTED,
            start__gt=day,
            start__lte=day + datetime.timedelta(days=days),
        )
    ).order_by("start", "pk")


def booking_list_out(*, day: datetime.date) -> QuerySet[Booking]:
    """« Sorti »: loans out whose return is still to come, the soonest first. Those due back
    `day` or late have their own lists on the desk, so no loan shows twice."""
    return _with_details(Booking.objects.filter(status=Booking.Status.OUT, end__gt=day)).order_by(
        "end", "pk"
    )


def booking_list_returns(*, day: datetime.date) -> QuerySet[Booking]:
    return _with_details(Booking.objects.filter(status=Booking.Status.OUT, end=day)).order_by("pk")


def booking_list_late(*, day: datetime.date) -> QuerySet[Booking]:
    return _with_details(Booking.objects.filter(status=Booking.Status.OUT, end__lt=day)).order_by(
        "end", "pk"
    )


def item_list_in_maintenance(*, day: datetime.date) -> QuerySet[Item]:
    current = MaintenancePeriod.objects.filter(item=OuterRef("pk"), start__lte=day, end__gte=day)
    return (
        Item.objects.filter(Q(state=Item.State.MAINTENANCE) | Exists(current))
        .select_related("category", "home_place")
        .order_by("name")
    )


def booking_reminders_due(*, today: datetime.date) -> list[tuple[int, BookingNotice.Kind]]:
    """(booking pk, kind) of every reminder due today: pick-up tomorrow, return tomorrow, and
    late bookings every two days from the day after the return date."""
    tomorrow = today + datetime.timedelta(days=1)
    due = [
        (pk, BookingNotice.Kind.PICKUP_REMINDER)
        for pk in Booking.objects.filter(
            status=Booking.Status.ACCEPTED, start=tomorrow
        ).values_list("pk", flat=True)
    ]
    due += [
        (pk, BookingNotice.Kind.RETURN_REMINDER)
        for pk in Booking.objects.filter(status=Booking.Status.OUT, end=tomorrow).values_list(
            "pk", flat=True
        )
    ]
    for pk, end in Booking.objects.filter(status=Booking.Status.OUT, end__lt=today).values_list(
        "pk", "end"
    ):
        if (today - end).days % 2 == 1:
            due.append((pk, BookingNotice.Kind.LATE))
    return due


def utilisation(*, year: int) -> dict:
    """Days booked per month in `year`, per item and per category (accepted, out or returned
    bookings; the buffer is not counted)."""
    months = range(1, 13)
    per_item: dict = defaultdict(lambda: dict.fromkeys(months, 0))
    per_category: dict = defaultdict(lambda: dict.fromkeys(months, 0))
    year_start, year_end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    rows = BookingItem.objects.filter(
        booking__status__in=[Booking.Status.ACCEPTED, Booking.Status.OUT, Booking.Status.RETURNED],
        booking__start__lte=year_end,
        booking__end__gte=year_start,
    ).values_list("item__name", "item__category__name", "booking__start", "booking__end")
    for item_name, category_name, start, end in rows:
        day = max(start, year_start)
        while day <= min(end, year_end):
            per_item[item_name][day.month] += 1
            per_category[category_name][day.month] += 1
            day += datetime.timedelta(days=1)
    return {
        "items": sorted((name, list(values.values())) for name, values in per_item.items()),
        "categories": sorted(
            (name, list(values.values())) for name, values in per_category.items()
        ),
    }


def item_list_recent(*, limit: int = 4) -> list[Item]:
    """Bookable equipment, most recently added first (for the newsletter's block)."""
    return list(
        Item.objects.filter(state=Item.State.AVAILABLE)
        .select_related("category", "home_place")
        .order_by("-pk")[:limit]
    )


def item_search(*, query: str, limit: int) -> list[Item]:
    """Items (retired ones left out) whose name, description, category, accessories or pick-up
    commune match `query` in French, each with `free_today` (two queries whatever the number)."""
    items = list(
        document_match(
            Item.objects.exclude(state=Item.State.RETIRED),
            documents=[
                ("", ITEM_TEXT),
                ("category", CATEGORY_NAME),
                ("home_place", PLACE_COMMUNE),
            ],
            query=query,
        )
        .select_related("category", "home_place")
        .order_by("name", "pk")[:limit]
    )
    today = timezone.localdate()
    free = set(
        Item.objects.filter(pk__in=[item.pk for item in items])
        .filter(_free_between(start=today, end=today))
        .values_list("pk", flat=True)
    )
    for item in items:
        item.free_today = item.pk in free
    return items


def kit_search(*, query: str, limit: int) -> list[Kit]:
    """Kits whose name or description, or one of whose items, match `query`, with their
    items (two queries)."""
    matched = document_match(Kit.objects.all(), documents=[("", KIT_TEXT)], query=query)
    by_items = document_match(Item.objects.all(), documents=[("", ITEM_TEXT)], query=query)
    holding = Kit.objects.filter(items__in=by_items.values("pk")).values("pk")
    return list(
        Kit.objects.filter(Q(pk__in=matched.values("pk")) | Q(pk__in=holding))
        .prefetch_related(
            Prefetch("items", queryset=Item.objects.select_related("home_place").order_by("name"))
        )
        .order_by("name")[:limit]
    )


def kit_get(*, pk: int) -> Kit | None:
    """A kit with its items (and their pick-up places and categories), or None."""
    return (
        Kit.objects.prefetch_related(
            Prefetch(
                "items",
                queryset=Item.objects.select_related("home_place", "category").order_by("name"),
            )
        )
        .filter(pk=pk)
        .first()
    )


def items_are_free(*, items: list[Item], start: datetime.date, end: datetime.date) -> bool:
    """Whether every one of `items` can be lent from `start` to `end` (its preparation days
    after the loan included), as booking_request would check it."""
    free = Item.objects.filter(pk__in=[item.pk for item in items]).filter(
        _free_between(start=start, end=end)
    )
    return free.count() == len(items)


def booking_accessories_to_check(*, booking: Booking, kind: str) -> list[str]:
    """The accessories the desk ticks (« Casque VR : Housse »): at check-out (`kind` « sortie »)
    those chosen at booking, at check-in those that left at check-out (or, without a check-out
    record, those chosen). One or two queries."""
    if kind == Inspection.Kind.CHECK_IN:
        out = Inspection.objects.filter(booking=booking, kind=Inspection.Kind.CHECK_OUT).first()
        if out is not None:
            return list(out.accessories_checked)
    links = BookingItem.objects.filter(booking=booking).select_related("item").order_by("pk")
    return [label for link in links for label in link.accessory_labels]


def booking_pickups(*, booking: Booking) -> list[dict]:
    """Where the booking's items are picked up and brought back: one entry per place, with
    its items and its opening hours on the pick-up and the return days (from the directory).
    Reads `booking.items` (prefetch them with their home place to make no query)."""
    pickups: dict[int, dict] = {}
    for item in booking.items.all():
        place = item.home_place
        entry = pickups.setdefault(place.pk, {"place": place, "items": []})
        entry["items"].append(item)
    for entry in pickups.values():
        entry["hours_start"] = place_hours_on(place=entry["place"], day=booking.start)
        entry["hours_end"] = place_hours_on(place=entry["place"], day=booking.end)
    return list(pickups.values())


def equipment_days_by_structure(*, start: datetime.date, end: datetime.date, departement=""):
    """(structure, item-days) of equipment lent from `start` to `end` inclusive: each item of a
    booking handed over (out or returned) counts one per day of the booking inside the period.
    Sorted by days, most first; one query."""
    from .models import Booking, BookingItem

    links = BookingItem.objects.filter(
        booking__status__in=(Booking.Status.OUT, Booking.Status.RETURNED),
        booking__start__lte=end,
        booking__end__gte=start,
    ).select_related("booking__structure")
    if departement:
        links = links.filter(booking__structure__places__departement=departement).distinct()
    days: dict = defaultdict(int)
    for link in links:
        booking = link.booking
        first, last = max(booking.start, start), min(booking.end, end)
        days[booking.structure.name] += (last - first).days + 1
    return sorted(days.items(), key=lambda item: (-item[1], item[0]))


def booking_list_returns_due(*, first: datetime.date, last: datetime.date) -> QuerySet[Booking]:
    """Bookings out and due back from `first` to `last` inclusive."""
    return _with_details(
        Booking.objects.filter(status=Booking.Status.OUT, end__gte=first, end__lte=last)
    ).order_by("end", "pk")
