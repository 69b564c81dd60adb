"""Registrations: register (or join the waiting list), cancel, mark attendance, and anonymise
those of long-past sessions."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import user_is_hub_staff
from core.audit import audit_log
from core.errors import DomainError
from core.locking import lock_one
from directory.selectors import organisation_of_user

from ..models import Registration, Session
from ..notifications import RegistrationNotice
from .seats import lock_session, on_commit_notify, seat_count
from .waitlists import offers_expire_overdue, promote_waiting_list


def check_registrable(session: Session) -> None:
    """Whether anyone may register on `session` now (dates, status, partner's site).

    Raises DomainError: "cancelled", "past", "external", "not_open", "closed".
    """
    now = timezone.now()
    if session.is_cancelled:
        raise DomainError(_("Cette session est annulée."), code="cancelled")
    if session.start <= now:
        raise DomainError(_("Cette session a déjà commencé ou est passée."), code="past")
    if session.is_external:
        raise DomainError(
            _("L'inscription à cette session se fait sur le site du partenaire."), code="external"
        )
    if session.registration_opens_at and now < session.registration_opens_at:
        raise DomainError(_("Les inscriptions ne sont pas encore ouvertes."), code="not_open")
    if session.registration_closes_at and now >= session.registration_closes_at:
        raise DomainError(_("Les inscriptions sont closes."), code="closed")


def _record_structure(registration: Registration, user, organisation) -> None:
    """Keep on the registration the person's structure at this moment: the directory's one
    (core of the « structures reached » figure), else the employer they declared."""
    registration.organisation = organisation
    registration.structure_name = (
        organisation.name if organisation else (getattr(user, "employer_name", "") or "")
    )[:255]


@transaction.atomic
def registration_create(*, session: Session, user, answers: dict | None = None) -> Registration:
    """Register `user`: confirmed while seats remain, otherwise on the waiting list. Registering
    twice returns the existing active registration. Never more seats taken (confirmed, or held
    for the waiting list) than `capacity`, whatever the concurrency: the session row is locked
    while seats are counted, after the offers whose time is up have passed on.

    Raises DomainError: "cancelled", "past", "external", "not_open", "closed", "full".
    """
    # Read before the session's lock, which every registration of a rush waits for in turn:
    # under it, one query (`seat_count`) and the insert.
    organisation = organisation_of_user(user=user)
    session = lock_session(session)
    seats = seat_count(session, user=user)
    if seats.registration_pk is not None:
        return Registration.objects.get(pk=seats.registration_pk)
    check_registrable(session)
    if seats.overdue:
        offers_expire_overdue(session)
        seats = seat_count(session)
    now = timezone.now()
    registration = Registration(session=session, user=user, answers=answers or {})
    _record_structure(registration, user, organisation)
    if session.capacity is None or seats.taken < session.capacity:
        registration.status = Registration.Status.CONFIRMED
        registration.confirmed_at = now
    elif session.waiting_list_enabled:
        registration.status = Registration.Status.WAITLISTED
        registration.waitlisted_at = now
    else:
        raise DomainError(_("Cette session est complète."), code="full")
    # The structure was just read: checking that it exists would be one more query under the lock.
    registration.full_clean(exclude=["session", "user", "organisation"])
    registration.save()
    on_commit_notify(
        registration,
        RegistrationNotice.CONFIRMED if registration.holds_seat else RegistrationNotice.WAITLISTED,
    )
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration, by=None) -> Registration:
    """Cancel a registration (by its owner, or by Hub staff when `by` is given) and promote the
    first waitlisted person into the freed seat.

    Raises DomainError: "forbidden", "already_cancelled", "past", "attendance_marked".
    """
    session = lock_session(registration.session)
    registration = lock_one(Registration.objects.all(), pk=registration.pk)
    offers_expire_overdue(session)
    if by is not None and by.pk != registration.user_id and not user_is_hub_staff(by):
        raise DomainError(_("Cette inscription n'est pas la vôtre."), code="forbidden")
    if registration.status == Registration.Status.CANCELLED:
        raise DomainError(_("Cette inscription est déjà annulée."), code="already_cancelled")
    if registration.status in (Registration.Status.ATTENDED, Registration.Status.ABSENT):
        raise DomainError(
            _("La présence est déjà notée : l'inscription ne peut plus être annulée."),
            code="attendance_marked",
        )
    if session.start <= timezone.now():
        raise DomainError(
            _("La session a déjà commencé : l'inscription ne peut plus être annulée."), code="past"
        )
    held_seat = registration.holds_seat
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at", "updated_at"])
    if by is not None and by.pk != registration.user_id:
        audit_log(instance=registration, action="events.registration_cancel", user=by)
    on_commit_notify(registration, RegistrationNotice.CANCELLED)
    if held_seat:
        promote_waiting_list(session)
    return registration


@transaction.atomic
def registration_mark_attendance(
    *, registration: Registration, attended: bool, by=None
) -> Registration:
    """Mark a confirmed person present or absent, from the day of the session on; `by`, the
    staff member who marks it, is recorded in the registration's history.

    Raises DomainError: "not_confirmed", "too_early".
    """
    registration = lock_one(Registration.objects.select_related("session"), pk=registration.pk)
    if not registration.holds_seat:
        raise DomainError(
            _("Seules les personnes confirmées peuvent être notées présentes ou absentes."),
            code="not_confirmed",
        )
    if timezone.localdate(registration.session.start) > timezone.localdate():
        raise DomainError(
            _("La présence se note le jour de la session, pas avant."), code="too_early"
        )
    registration.status = Registration.Status.ATTENDED if attended else Registration.Status.ABSENT
    registration.save(update_fields=["status", "updated_at"])
    if by is not None:
        audit_log(
            instance=registration,
            action="events.attendance_mark",
            user=by,
            data={"comment": registration.get_status_display()},
        )
    return registration


@transaction.atomic
def registration_create_by_staff(*, session: Session, user, by) -> Registration:
    """Hub staff register a person (who called, or wrote): the ordinary rules (seats, waiting
    list, dates), the person emailed as if they had registered, the act in its history.

    Raises DomainError as `registration_create`.
    """
    registration = registration_create(session=session, user=user)
    audit_log(instance=registration, action="events.registration_create_by_staff", user=by)
    return registration


@transaction.atomic
def registration_add_walk_in(*, session: Session, user, by) -> Registration:
    """Someone who came to the door without registering: marked present from the day of the
    session on, even above capacity (they are in the room). A person already registered or
    waitlisted is marked present on that registration instead.

    Raises DomainError: "cancelled", "too_early".
    """
    session = lock_session(session)
    if session.is_cancelled:
        raise DomainError(_("Cette session est annulée."), code="cancelled")
    if timezone.localdate(session.start) > timezone.localdate():
        raise DomainError(
            _("La présence se note le jour de la session, pas avant."), code="too_early"
        )
    now = timezone.now()
    registration = Registration.objects.filter(
        session=session, user=user, status__in=Registration.ACTIVE_STATUSES
    ).first() or Registration(session=session, user=user, answers={"sur_place": True})
    if registration.pk is None:
        _record_structure(registration, user, organisation_of_user(user=user))
    registration.status = Registration.Status.ATTENDED
    registration.confirmed_at = registration.confirmed_at or now
    registration.save()
    audit_log(
        instance=registration,
        action="events.attendance_walk_in",
        user=by,
        data={"comment": _("Venue sans inscription, notée présente")},
    )
    return registration


@transaction.atomic
def registrations_anonymise_older_than(*, days: int, dry_run: bool = False) -> int:
    """Registrations of sessions that ended more than `days` ago lose their person and their
    answers (dietary and accessibility needs are sensitive); their status stays, so seat counts
    and attendance figures are unchanged. Bulk, and idempotent: anonymised rows no longer
    match. Returns the number of registrations anonymised (or that would be, with dry_run)."""
    cutoff = timezone.now() - datetime.timedelta(days=days)
    old = Registration.objects.filter(session__end__lt=cutoff, user__isnull=False)
    if dry_run:
        return old.count()
    return old.update(user=None, answers={}, updated_at=timezone.now())
