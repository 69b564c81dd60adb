"""The only way the agenda changes: create and change sessions, register, cancel, promote the
waiting list, mark attendance, and send the messages that follow.

Every state change locks the session row first (core.locking), checks under the lock, then
writes; emails run only after the transaction commits."""

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import user_is_hub_staff
from core.audit import audit_log
from core.errors import DomainError
from core.locking import lock_one

from .models import Registration, Session, SessionPageMixin
from .notifications import RegistrationNotice, registration_email

# Fields a calendar shows: changing one bumps SEQUENCE and tells the participants.
CALENDAR_FIELDS = {
    "title",
    "start",
    "end",
    "venue",
    "outside_commune",
    "outside_location",
    "online_url",
}
UPDATABLE_FIELDS = CALENDAR_FIELDS | {
    "kind",
    "registration_opens_at",
    "registration_closes_at",
    "waiting_list_enabled",
    "external_registration_url",
}


def _lock_session(session: Session) -> Session:
    """Re-read the session row under a lock: the row that guards capacity."""
    return lock_one(Session.objects.all(), pk=session.pk)


def _confirmed_count(session: Session) -> int:
    return session.registrations.filter(status__in=Registration.SEAT_STATUSES).count()


def _on_commit_notify(registration: Registration, event: RegistrationNotice) -> None:
    from .tasks import registration_notify as registration_notify_task

    pk, value = registration.pk, event.value
    transaction.on_commit(lambda: registration_notify_task.delay(pk, value))


def _departement(session: Session) -> str:
    if session.venue_id:
        return session.venue.departement
    if session.outside_commune_id:
        return session.outside_commune.departement_id
    return ""


def _check_page(page) -> None:
    """Only page types built for sessions get them: a session on "Mentions légales" would
    publish a registration page nobody meant."""
    if not isinstance(page.specific, SessionPageMixin):
        raise DomainError(
            _(
                "Cette page ne reçoit pas de sessions : choisissez une formation, une rencontre "
                "ou un format d'échange entre pairs."
            ),
            code="not_a_session_page",
        )


def _check_dates(start, end) -> None:
    """Said in French here, before the database constraint answers with its own name."""
    if start and end and end <= start:
        raise DomainError(
            _("La fin de la session doit venir après son début."), code="end_before_start"
        )


@transaction.atomic
def session_create(
    *,
    page,
    start,
    end,
    kind: str | None = None,
    title: str = "",
    venue=None,
    outside_commune=None,
    outside_location: str = "",
    online_url: str = "",
    capacity: int | None = None,
    registration_opens_at=None,
    registration_closes_at=None,
    waiting_list_enabled: bool = True,
    external_registration_url: str = "",
    themes=(),
) -> Session:
    """Create a session on `page` (any page type). Its kind defaults to the page's
    `session_kind`; its département is taken from the venue, or from the commune of an action
    hors les murs.

    Raises DomainError: "not_a_session_page", "end_before_start".
    """
    _check_page(page)
    _check_dates(start, end)
    session = Session(
        page=page,
        start=start,
        end=end,
        kind=kind or getattr(page.specific, "session_kind", Session.Kind.OTHER),
        title=title,
        venue=venue,
        outside_commune=outside_commune,
        outside_location=outside_location,
        online_url=online_url,
        capacity=capacity,
        registration_opens_at=registration_opens_at,
        registration_closes_at=registration_closes_at,
        waiting_list_enabled=waiting_list_enabled,
        external_registration_url=external_registration_url,
    )
    session.departement = _departement(session)
    session.full_clean(exclude=["page"])
    session.save()
    if themes:
        session.themes.set(themes)
    return session


@transaction.atomic
def session_update(*, session: Session, themes=None, **changes) -> Session:
    """Change a session. A change calendars show (title, dates, place, link) bumps SEQUENCE and
    emails the participants an updated invitation with the same UID.

    Raises DomainError: "cancelled" (a cancelled session is frozen), "unknown_field",
    "end_before_start".
    Capacity changes go through `session_change_capacity`, which promotes the waiting list.
    """
    session = _lock_session(session)
    if session.is_cancelled:
        raise DomainError(
            _("Cette session est annulée : elle ne peut plus être modifiée."), code="cancelled"
        )
    unknown = set(changes) - UPDATABLE_FIELDS
    if unknown:
        raise DomainError(
            _("Champ non modifiable : %(fields)s.") % {"fields": ", ".join(sorted(unknown))},
            code="unknown_field",
        )
    calendar_changed = False
    for field, value in changes.items():
        if getattr(session, field) != value:
            setattr(session, field, value)
            calendar_changed |= field in CALENDAR_FIELDS
    _check_dates(session.start, session.end)
    session.departement = _departement(session)
    if calendar_changed:
        session.sequence = F("sequence") + 1
    session.full_clean(exclude=["page", "sequence"])
    session.save()
    session.refresh_from_db()
    if themes is not None:
        session.themes.set(themes)
    if calendar_changed:
        from .tasks import session_notify as session_notify_task

        pk = session.pk
        transaction.on_commit(
            lambda: session_notify_task.delay(pk, RegistrationNotice.CHANGED.value)
        )
    return session


@transaction.atomic
def session_change_capacity(*, session: Session, capacity: int | None) -> Session:
    """Set the number of seats (None = unlimited) and promote the waiting list into any seat
    that frees up.

    Raises DomainError "capacity_below_confirmed": nobody confirmed is ever bumped silently.
    """
    session = _lock_session(session)
    if session.is_cancelled:
        raise DomainError(
            _("Cette session est annulée : elle ne peut plus être modifiée."), code="cancelled"
        )
    if capacity is not None and capacity < 0:
        raise DomainError(
            _("Le nombre de places ne peut pas être négatif."), code="invalid_capacity"
        )
    confirmed = _confirmed_count(session)
    if capacity is not None and capacity < confirmed:
        raise DomainError(
            _(
                "Impossible de descendre à %(capacity)s places : %(confirmed)s personnes sont "
                "déjà confirmées. Annulez d'abord des inscriptions."
            )
            % {"capacity": capacity, "confirmed": confirmed},
            code="capacity_below_confirmed",
        )
    session.capacity = capacity
    session.save(update_fields=["capacity", "updated_at"])
    _promote_waiting_list(session)
    return session


@transaction.atomic
def session_cancel(*, session: Session, reason: str) -> Session:
    """Cancel a session: it stays in every feed with STATUS:CANCELLED and a higher SEQUENCE,
    and every registered or waitlisted person is emailed a METHOD:CANCEL invitation.

    Raises DomainError "already_cancelled", "reason_required".
    """
    session = _lock_session(session)
    if session.is_cancelled:
        raise DomainError(_("Cette session est déjà annulée."), code="already_cancelled")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Indiquez le motif de l'annulation."), code="reason_required")
    session.status = Session.Status.CANCELLED
    session.cancel_reason = reason
    session.sequence = F("sequence") + 1
    session.save(update_fields=["status", "cancel_reason", "sequence", "updated_at"])
    session.refresh_from_db()
    from .tasks import session_notify as session_notify_task

    pk = session.pk
    transaction.on_commit(
        lambda: session_notify_task.delay(pk, RegistrationNotice.SESSION_CANCELLED.value)
    )
    return session


@transaction.atomic
def session_delete(*, session: Session) -> None:
    """Delete a session nobody is registered on (a mistake in the agenda).

    Raises DomainError "has_registrations": people are told through `session_cancel` instead,
    and the cancelled session stays in calendars.
    """
    session = _lock_session(session)
    if session.registrations.filter(status__in=Registration.ACTIVE_STATUSES).exists():
        raise DomainError(
            _("Des personnes sont inscrites : annulez la session plutôt que de la supprimer."),
            code="has_registrations",
        )
    session.delete()


@transaction.atomic
def registration_create(*, session: Session, user, answers: dict | None = None) -> Registration:
    """Register `user`: confirmed while seats remain, otherwise on the waiting list. Registering
    twice returns the existing active registration. Never more seats taken than `capacity`,
    whatever the concurrency: the session row is locked while seats are counted.

    Raises DomainError: "cancelled", "past", "external", "not_open", "closed", "full".
    """
    session = _lock_session(session)
    existing = Registration.objects.filter(
        session=session, user=user, status__in=Registration.ACTIVE_STATUSES
    ).first()
    if existing:
        return existing
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
    registration = Registration(session=session, user=user, answers=answers or {})
    if session.capacity is None or _confirmed_count(session) < session.capacity:
        registration.status = Registration.Status.CONFIRMED
        registration.confirmed_at = now
    elif session.waiting_list_enabled:
        registration.status = Registration.Status.WAITLISTED
        registration.waitlisted_at = now
    else:
        raise DomainError(_("Cette session est complète."), code="full")
    registration.full_clean(exclude=["session", "user"])
    registration.save()
    _on_commit_notify(
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
    session = _lock_session(registration.session)
    registration = lock_one(Registration.objects.all(), pk=registration.pk)
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
    _on_commit_notify(registration, RegistrationNotice.CANCELLED)
    if held_seat:
        _promote_waiting_list(session)
    return registration


def _promote_waiting_list(session: Session) -> list[Registration]:
    """Confirm waitlisted people, first come first served, while seats remain. Call it with the
    session row locked."""
    if session.is_cancelled or session.start <= timezone.now():
        return []
    waiting = session.registrations.filter(status=Registration.Status.WAITLISTED).order_by(
        "waitlisted_at", "pk"
    )
    if session.capacity is not None:
        waiting = waiting[: max(session.capacity - _confirmed_count(session), 0)]
    promoted = list(waiting)
    now = timezone.now()
    for registration in promoted:
        registration.status = Registration.Status.CONFIRMED
        registration.confirmed_at = now
        registration.save(update_fields=["status", "confirmed_at", "updated_at"])
        _on_commit_notify(registration, RegistrationNotice.PROMOTED)
    return promoted


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


def registration_send_email(*, registration: Registration, event: RegistrationNotice | str) -> None:
    """Email the person about their registration, with the .ics attached (`event` may be the
    notice's value, as a Celery task receives it; an unknown one raises ValueError)."""
    registration_email(registration=registration, notice=RegistrationNotice(event)).send()


def session_notify_participants(*, session: Session, event: RegistrationNotice | str) -> int:
    """Queue one email per active registration of a changed or cancelled session: each is
    retried on its own, so a mail-server hiccup never emails anyone twice. Returns the count."""
    from .tasks import registration_notify as registration_notify_task

    event = RegistrationNotice(event)
    if event == RegistrationNotice.CHANGED and session.start <= timezone.now():
        return 0
    pks = list(
        session.registrations.filter(
            status__in=Registration.ACTIVE_STATUSES, user__isnull=False
        ).values_list("pk", flat=True)
    )
    for pk in pks:
        registration_notify_task.delay(pk, event.value)
    return len(pks)


def registration_send_reminder(*, registration: Registration) -> bool:
    """Send the day-before reminder once: `reminded_at` is set under a row lock before the
    message leaves, so a retried or duplicated task never sends it twice."""
    with transaction.atomic():
        registration = lock_one(Registration.objects.all(), pk=registration.pk)
        if registration.reminded_at or registration.status != Registration.Status.CONFIRMED:
            return False
        if registration.session.is_cancelled:
            return False
        registration.reminded_at = timezone.now()
        registration.save(update_fields=["reminded_at", "updated_at"])
    registration_send_email(registration=registration, event=RegistrationNotice.REMINDER)
    return True


def session_message_queue(*, session: Session, subject: str, message: str, sender) -> int:
    """Hub staff write to every confirmed participant of a session: one email task each, after
    commit, so that a retried message never reaches anyone twice. Returns the count.

    Raises DomainError "empty_message".
    """
    from .tasks import registration_message_send as registration_message_send_task

    if not subject.strip() or not message.strip():
        raise DomainError(_("L'objet et le message sont obligatoires."), code="empty_message")
    pks = list(
        session.registrations.filter(
            status__in=Registration.SEAT_STATUSES, user__isnull=False
        ).values_list("pk", flat=True)
    )
    sender_pk = sender.pk if sender else None
    for pk in pks:
        transaction.on_commit(
            lambda pk=pk: registration_message_send_task.delay(pk, subject, message, sender_pk)
        )
    return len(pks)


def registration_message_send(*, registration: Registration, subject: str, message: str, sender):
    """Send one participant the message Hub staff wrote to the session."""
    from core.mail import send_templated_email

    send_templated_email(
        template="events_participants_message",
        to=[registration.user.email],
        context={
            "session": registration.session,
            "user": registration.user,
            "subject": subject,
            "message": message,
            "sender": sender,
        },
    )


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
