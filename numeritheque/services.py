"""State changes of the numérithèque: a booking's life, from request to return.

Every service locks the rows of the items it touches (core.locking, in primary-key order so two
bookings never deadlock), checks under the lock, writes, logs the transition, and sends its
email after commit. On PostgreSQL the exclusion constraint of migration 0002 is the last line of
defence; on SQLite the IMMEDIATE transaction mode serialises writers."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.roles import NUMERITHEQUE_MANAGER, STRUCTURE_MANAGER
from accounts.selectors import user_has_role, user_is_hub_staff, user_list_with_role
from core.audit import audit_log
from core.data_version import data_changed
from core.errors import DomainError
from core.locking import lock_all, lock_one
from directory.selectors import user_manages_organisation

from .models import (
    Booking,
    BookingItem,
    BookingNotice,
    BookingTransition,
    Inspection,
    InspectionPhoto,
    Item,
    MaintenancePeriod,
    blocked_range,
)
from .selectors import booking_accessories_to_check
from .tasks import booking_notify as booking_notify_task


def user_is_numeritheque_manager(user) -> bool:
    """Numérithèque managers and Hub staff run the library (approve, check out, check in)."""
    return user_is_hub_staff(user) or user_has_role(user=user, roles=[NUMERITHEQUE_MANAGER])


def _require_manager(by) -> None:
    if not user_is_numeritheque_manager(by):
        raise DomainError(
            _("Seule l'équipe de la numérithèque peut faire cette opération."),
            code="not_numeritheque_manager",
        )


def _lock_items(item_pks: Iterable[int]) -> list[Item]:
    queryset = Item.objects.filter(pk__in=set(item_pks)).select_related("category").order_by("pk")
    return lock_all(queryset, of=("self",))


def _lock_booking(booking: Booking) -> Booking:
    """Lock the booking's items, then the booking itself, and return it fresh."""
    _lock_items(BookingItem.objects.filter(booking=booking).values_list("item_id", flat=True))
    return lock_one(Booking.objects.all(), pk=booking.pk)


def _check_dates(*, items: list[Item], start: datetime.date, end: datetime.date) -> None:
    if end < start:
        raise DomainError(
            _("La date de retour doit être le jour du retrait ou après."),
            code="return_before_pickup",
        )
    if start < timezone.localdate():
        raise DomainError(_("La date de retrait est déjà passée."), code="date_in_past")
    longest = min(item.category.max_booking_days for item in items)
    if (end - start).days + 1 > longest:
        raise DomainError(
            ngettext(
                "Un prêt de ce matériel dure au plus %(days)s jour.",
                "Un prêt de ce matériel dure au plus %(days)s jours.",
                longest,
            )
            % {"days": longest},
            code="too_long",
        )


def _check_items_free(
    *, items: list[Item], start: datetime.date, end: datetime.date, exclude_booking=None
) -> None:
    """Refuse if an item is out of service, in a maintenance period, or already booked."""
    for item in items:
        if item.state != Item.State.AVAILABLE:
            raise DomainError(
                _("« %(item)s » n'est pas disponible au prêt (%(state)s).")
                % {"item": item.name, "state": item.get_state_display()},
                code="item_unavailable",
            )
    maintenance = (
        MaintenancePeriod.objects.filter(item__in=items, start__lte=end, end__gte=start)
        .select_related("item")
        .first()
    )
    if maintenance:
        raise DomainError(
            _("« %(item)s » est en maintenance du %(start)s au %(end)s.")
            % {
                "item": maintenance.item.name,
                "start": f"{maintenance.start:%d/%m/%Y}",
                "end": f"{maintenance.end:%d/%m/%Y}",
            },
            code="maintenance",
        )
    for item in items:
        blocked_start, blocked_end = blocked_range(
            start=start, end=end, buffer_days=item.category.buffer_days
        )
        conflicts = BookingItem.objects.filter(
            item=item, active=True, blocked_start__lt=blocked_end, blocked_end__gt=blocked_start
        )
        if exclude_booking is not None:
            conflicts = conflicts.exclude(booking=exclude_booking)
        if conflicts.exists():
            raise DomainError(
                ngettext(
                    "« %(item)s » est déjà réservé sur ces dates (délai de préparation de "
                    "%(buffer)s jour compris).",
                    "« %(item)s » est déjà réservé sur ces dates (délai de préparation de "
                    "%(buffer)s jours compris).",
                    item.category.buffer_days,
                )
                % {"item": item.name, "buffer": item.category.buffer_days},
                code="overlap",
            )


def _log(*, booking: Booking, from_status: str, by, note: str = "") -> BookingTransition:
    transition = BookingTransition.objects.create(
        booking=booking, from_status=from_status, to_status=booking.status, by=by, note=note
    )
    transaction.on_commit(lambda: booking_notify_task.delay(transition.pk))
    return transition


def _move(*, booking: Booking, by, to: str, allowed_from: tuple, note: str = "") -> Booking:
    if booking.status not in allowed_from:
        raise DomainError(
            _("Impossible de passer une réservation « %(current)s » à « %(target)s ».")
            % {
                "current": booking.get_status_display(),
                "target": Booking.Status(to).label,
            },
            code="illegal_transition",
        )
    from_status = booking.status
    booking.status = to
    booking.save(update_fields=["status", "updated_at"])
    if to not in Booking.ACTIVE_STATUSES:
        BookingItem.objects.filter(booking=booking).update(active=False)
    _log(booking=booking, from_status=from_status, by=by, note=note)
    return booking


def training_required_message(names: list[str]) -> str:
    return ngettext(
        "%(items)s demande une formation préalable : indiquez comment la personne qui "
        "l'utilisera a été formée (son attestation, ou la session du Hub suivie).",
        "%(items)s demandent une formation préalable : indiquez comment la personne qui "
        "les utilisera a été formée (son attestation, ou la session du Hub suivie).",
        len(names),
    ) % {"items": ", ".join(f"« {name} »" for name in names)}


@transaction.atomic
def booking_request(
    *,
    requester,
    structure,
    items,
    start: datetime.date,
    end: datetime.date,
    purpose: str,
    public_served: str = "",
    training: str = "",
    accessories: dict[int, list[str]] | None = None,
) -> Booking:
    """Ask for `items` (a list, or a kit's items) for `structure` from `start` to `end` inclusive.
    An item that needs prior training is lent only to someone who says how they were trained
    (`training`: their attestation, or the Hub session they followed), kept for the team.

    `accessories` maps an item's pk to the accessories of its box the structure wants (an item
    left out of it, or no mapping at all, comes with its whole box); they are what the desk
    checks at pick-up and return. The request holds the items at once. Raises DomainError:
    not_structure_manager, not_manager_of_structure, no_items, training_required,
    unknown_accessory, return_before_pickup, date_in_past, too_long, item_unavailable,
    maintenance, overlap.
    """
    if not user_has_role(user=requester, roles=[STRUCTURE_MANAGER]):
        raise DomainError(
            _("Seul·es les gestionnaires de structure peuvent réserver du matériel."),
            code="not_structure_manager",
        )
    if not user_manages_organisation(user=requester, organisation=structure):
        raise DomainError(
            _("Vous ne gérez pas la structure « %(structure)s ».") % {"structure": structure},
            code="not_manager_of_structure",
        )
    if not items:
        raise DomainError(_("Choisissez au moins un matériel ou un kit."), code="no_items")
    locked = _lock_items(item.pk for item in items)
    needing = [item.name for item in locked if item.needs_training]
    if needing and not training.strip():
        raise DomainError(training_required_message(needing), code="training_required")
    chosen = _accessories_chosen(items=locked, accessories=accessories)
    _check_dates(items=locked, start=start, end=end)
    _check_items_free(items=locked, start=start, end=end)
    booking = Booking.objects.create(
        structure=structure,
        requester=requester,
        start=start,
        end=end,
        purpose=purpose.strip(),
        public_served=public_served.strip(),
        training=training.strip()[:500] if needing else "",
    )
    for item in locked:
        blocked_start, blocked_end = blocked_range(
            start=start, end=end, buffer_days=item.category.buffer_days
        )
        BookingItem.objects.create(
            booking=booking,
            item=item,
            blocked_start=blocked_start,
            blocked_end=blocked_end,
            accessories=chosen[item.pk],
        )
    _log(booking=booking, from_status="", by=requester)
    return booking


def _accessories_chosen(*, items: list[Item], accessories) -> dict[int, list[str]]:
    """Each item's accessories to lend, in the order of its box; refuses one not in its box."""
    chosen = {}
    for item in items:
        box = item.accessory_list
        wanted = box if accessories is None or item.pk not in accessories else accessories[item.pk]
        unknown = [accessory for accessory in wanted if accessory not in box]
        if unknown:
            raise DomainError(
                _("« %(accessory)s » ne fait pas partie du contenu de « %(item)s ».")
                % {"accessory": unknown[0], "item": item.name},
                code="unknown_accessory",
            )
        chosen[item.pk] = [accessory for accessory in box if accessory in wanted]
    return chosen


@transaction.atomic
def booking_approve(*, booking: Booking, by) -> Booking:
    """Accept a requested booking. Raises DomainError: not_numeritheque_manager,
    illegal_transition, item_unavailable, maintenance (an item broke since the request)."""
    _require_manager(by)
    booking = _lock_booking(booking)
    if booking.status == Booking.Status.REQUESTED:
        items = list(booking.items.select_related("category"))
        _check_items_free(
            items=items, start=booking.start, end=booking.end, exclude_booking=booking
        )
    booking = _move(
        booking=booking, by=by, to=Booking.Status.ACCEPTED, allowed_from=(Booking.Status.REQUESTED,)
    )
    audit_log(instance=booking, action="numeritheque.booking_approve", user=by)
    return booking


@transaction.atomic
def booking_refuse(*, booking: Booking, by, reason: str) -> Booking:
    """Refuse a requested booking with a reason, which frees its items.
    Raises DomainError: not_numeritheque_manager, reason_required, illegal_transition."""
    _require_manager(by)
    if not reason.strip():
        raise DomainError(_("Indiquez le motif du refus."), code="reason_required")
    booking = _lock_booking(booking)
    booking = _move(
        booking=booking,
        by=by,
        to=Booking.Status.REFUSED,
        allowed_from=(Booking.Status.REQUESTED,),
        note=reason.strip(),
    )
    audit_log(
        instance=booking,
        action="numeritheque.booking_refuse",
        user=by,
        data={"comment": reason.strip()},
    )
    return booking


@transaction.atomic
def booking_cancel(*, booking: Booking, by) -> Booking:
    """Cancel a booking not yet picked up, which frees its items. Its requester, a manager of its
    structure or the numérithèque team may do it. Raises DomainError: forbidden,
    illegal_transition."""
    allowed = (
        booking.requester_id == by.pk
        or user_manages_organisation(user=by, organisation=booking.structure)
        or user_is_numeritheque_manager(by)
    )
    if not allowed:
        raise DomainError(_("Cette réservation n'est pas la vôtre."), code="forbidden")
    booking = _lock_booking(booking)
    return _move(
        booking=booking,
        by=by,
        to=Booking.Status.CANCELLED,
        allowed_from=(Booking.Status.REQUESTED, Booking.Status.ACCEPTED),
    )


def _inspect(*, booking, by, kind, condition_notes, accessories, photos, damaged=False):
    """Record the inspection: the accessories ticked, and those expected but not ticked as
    missing."""
    ticked = list(accessories or [])
    expected = booking_accessories_to_check(booking=booking, kind=kind)
    inspection = Inspection.objects.create(
        booking=booking,
        kind=kind,
        by=by,
        condition_notes=condition_notes.strip(),
        accessories_checked=ticked,
        accessories_missing=[label for label in expected if label not in ticked],
        damaged=damaged,
    )
    InspectionPhoto.objects.bulk_create(
        InspectionPhoto(inspection=inspection, image=image) for image in photos
    )
    return inspection


def check_out_earliest(*, start: datetime.date) -> datetime.date:
    """The first day a loan picked up on `start` may be handed over
    (settings.MAILLAGE_NUMERITHEQUE_CHECK_OUT_DAYS_BEFORE days before)."""
    return start - datetime.timedelta(days=settings.MAILLAGE_NUMERITHEQUE_CHECK_OUT_DAYS_BEFORE)


def _check_early_check_out(*, booking: Booking, today: datetime.date) -> None:
    """A loan handed over before its pick-up day: allowed from `check_out_earliest`, if no
    other loan or maintenance holds its items in between; its items are then held from
    today (so that nobody books them for the days they are already out). Called under the
    items' locks. Raises DomainError: too_early, held_before."""
    earliest = check_out_earliest(start=booking.start)
    if today < earliest:
        raise DomainError(
            _("Le retrait est prévu le %(date)s : la sortie est possible à partir du %(earliest)s.")
            % {"date": f"{booking.start:%d/%m/%Y}", "earliest": f"{earliest:%d/%m/%Y}"},
            code="too_early",
        )
    lines = list(BookingItem.objects.filter(booking=booking).select_related("item"))
    for line in lines:
        held = (
            BookingItem.objects.filter(
                item_id=line.item_id,
                active=True,
                blocked_start__lt=booking.start,
                blocked_end__gt=today,
            )
            .exclude(booking=booking)
            .exists()
            or MaintenancePeriod.objects.filter(
                item_id=line.item_id, start__lt=booking.start, end__gte=today
            ).exists()
        )
        if held:
            raise DomainError(
                _(
                    "« %(item)s » est encore prêté, réservé ou en maintenance avant le "
                    "%(date)s : il ne peut sortir qu'à partir de ce jour-là."
                )
                % {"item": line.item.name, "date": f"{booking.start:%d/%m/%Y}"},
                code="held_before",
            )
    BookingItem.objects.filter(booking=booking, blocked_start__gt=today).update(blocked_start=today)


@transaction.atomic
def booking_check_out(
    *, booking: Booking, by, condition_notes: str, accessories=None, photos=()
) -> Booking:
    """Hand an accepted booking's items over, recording their condition, the accessories ticked
    as handed over (those chosen at booking and not ticked are recorded as missing: they are
    not expected back) and photos, from `check_out_earliest` on. Raises DomainError:
    not_numeritheque_manager, illegal_transition, too_early, held_before."""
    _require_manager(by)
    booking = _lock_booking(booking)
    today = timezone.localdate()
    if booking.status == Booking.Status.ACCEPTED and booking.start > today:
        _check_early_check_out(booking=booking, today=today)
    _move(
        booking=booking,
        by=by,
        to=Booking.Status.OUT,
        allowed_from=(Booking.Status.ACCEPTED,),
        note=condition_notes.strip(),
    )
    _inspect(
        booking=booking,
        by=by,
        kind=Inspection.Kind.CHECK_OUT,
        condition_notes=condition_notes,
        accessories=accessories,
        photos=photos,
    )
    return booking


@transaction.atomic
def booking_check_in(
    *,
    booking: Booking,
    by,
    condition_notes: str,
    damaged: bool = False,
    accessories=None,
    photos=(),
) -> Booking:
    """Take a booking's items back. An accessory that left at check-out and is not ticked is
    recorded as missing, and the team and the requester are told in their own messages. A
    damaged return puts its items into maintenance (and out of the catalogue's bookable items)
    until the team repairs them. Raises DomainError: not_numeritheque_manager,
    illegal_transition."""
    _require_manager(by)
    booking = _lock_booking(booking)
    _move(
        booking=booking,
        by=by,
        to=Booking.Status.RETURNED,
        allowed_from=(Booking.Status.OUT,),
        note=condition_notes.strip(),
    )
    _inspect(
        booking=booking,
        by=by,
        kind=Inspection.Kind.CHECK_IN,
        condition_notes=condition_notes,
        accessories=accessories,
        photos=photos,
        damaged=damaged,
    )
    if damaged:
        Item.objects.filter(booking_items__booking=booking).update(
            state=Item.State.MAINTENANCE, condition=Item.Condition.DAMAGED
        )
        data_changed()
    return booking


def _manager_emails() -> list[str]:
    return list(
        user_list_with_role(role=NUMERITHEQUE_MANAGER).values_list("email", flat=True).distinct()
    )


def _send_once(
    *,
    booking: Booking,
    kind: BookingNotice.Kind,
    key: str,
    to: list[str],
    context: dict,
    team: bool = False,
) -> bool:
    """Record the notice, then send it: a second run finds the record and sends nothing."""
    from .notifications import booking_notice_email

    if team:
        key = f"{key}:equipe"
    _notice, created = BookingNotice.objects.get_or_create(booking=booking, kind=kind, key=key)
    recipients = [address for address in to if address]
    if not created or not recipients:
        return False
    booking_notice_email(
        booking=booking, kind=kind, to=recipients, context=context, team=team
    ).send()
    return True


def _notify(*, booking: Booking, kind: BookingNotice.Kind, key: str, context: dict) -> bool:
    """The requester's message and, for the kinds the team must know of, the team's own
    message: two emails, never one « To » line mixing them. Each is sent at most once."""
    from .notifications import TEAM_SUBJECTS

    sent = _send_once(
        booking=booking,
        kind=kind,
        key=key,
        to=[booking.requester.email] if booking.requester else [],
        context=context,
    )
    if kind in TEAM_SUBJECTS:
        sent |= _send_once(
            booking=booking, kind=kind, key=key, to=_manager_emails(), context=context, team=True
        )
    return sent


@transaction.atomic
def booking_transition_notify(*, transition: BookingTransition) -> bool:
    """Email the requester about a status change, and the team, in a message of its own,
    about a new request and a cancellation; with where and when to pick up and bring back,
    and the days as .ics. A return with accessories missing is told to both, each in its
    own message naming them. Sends each at most once per transition."""
    booking = Booking.objects.select_related("requester", "structure").get(pk=transition.booking_id)
    sent = _notify(
        booking=booking,
        kind=BookingNotice.Kind.for_status(transition.to_status),
        key=str(transition.pk),
        context={"transition": transition},
    )
    if transition.to_status == Booking.Status.RETURNED:
        back = Inspection.objects.filter(booking=booking, kind=Inspection.Kind.CHECK_IN).first()
        if back is not None and back.accessories_missing:
            sent |= _notify(
                booking=booking,
                kind=BookingNotice.Kind.MISSING_ACCESSORIES,
                key=str(transition.pk),
                context={"transition": transition, "missing": back.accessories_missing},
            )
    return sent


@transaction.atomic
def booking_reminder_send(
    *, booking: Booking, kind: BookingNotice.Kind | str, today: datetime.date
) -> bool:
    """Send one reminder of `kind` for `today`, once; a late booking is also told to the team,
    in its own message.

    Raises ValueError for a kind that is not a BookingNotice.Kind."""
    kind = BookingNotice.Kind(kind)
    booking = Booking.objects.select_related("requester", "structure").get(pk=booking.pk)
    return _notify(booking=booking, kind=kind, key=today.isoformat(), context={"today": today})


@transaction.atomic
def bookings_anonymise_older_than(*, days: int, dry_run: bool = False) -> int:
    """Finished loans (returned, refused, cancelled) that ended more than `days` ago stay in
    the inventory history but no longer name the person who asked for them nor who moved them.
    The purpose and public served describe the structure's activity and stay. Bulk and
    idempotent. Returns the number of bookings anonymised (or that would be, with dry_run)."""
    cutoff = timezone.localdate() - datetime.timedelta(days=days)
    finished = Booking.objects.filter(end__lt=cutoff).exclude(status__in=Booking.ACTIVE_STATUSES)
    old = finished.filter(requester__isnull=False)
    if dry_run:
        return old.count()
    # The training answer may name the person (their attestation): it goes with them.
    count = old.update(requester=None, training="", updated_at=timezone.now())
    BookingTransition.objects.filter(booking__in=finished, by__isnull=False).update(by=None)
    Inspection.objects.filter(booking__in=finished, by__isnull=False).update(by=None)
    return count
