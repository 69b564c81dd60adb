"""Sessions: create, change (calendar fields bump SEQUENCE and tell the participants), change
capacity, cancel, delete; refusals are French DomainErrors, never a constraint's name."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.errors import DomainError

from ..models import Registration, Session, SessionPageMixin
from ..notifications import RegistrationNotice
from .seats import confirmed_count, held_count, lock_session
from .waitlists import offers_expire_overdue, promote_waiting_list, seat_offers_void_for_session

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
    "relayed_from",
    "description",
}


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


def _check_future(start, *, has_registrations: bool = False) -> None:
    """A session is planned ahead: one dated in the past would be listed « Programmée » and
    open nothing but confusion."""
    if start and start <= timezone.now():
        if has_registrations:
            raise DomainError(
                _(
                    "Des personnes sont inscrites : la session ne peut pas être déplacée dans "
                    "le passé. Choisissez une date à venir, ou annulez la session."
                ),
                code="past_with_registrations",
            )
        raise DomainError(
            _("Une session ne peut pas commencer dans le passé : choisissez une date à venir."),
            code="start_past",
        )


def _capacity_refused(capacity: int) -> str:
    return ngettext(
        "Impossible de descendre à %(count)s place :",
        "Impossible de descendre à %(count)s places :",
        capacity,
    ) % {"count": capacity}


def _check_not_finished(session: Session) -> None:
    """Once over, a session keeps only what follows it: attendance, certificates, messages."""
    if session.end <= timezone.now():
        raise DomainError(
            _(
                "Cette session est terminée : il reste l'émargement, les attestations et les "
                "messages de suivi aux participant·es."
            ),
            code="finished",
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
    relayed_from: str = "",
    external_uid: str = "",
    description: str = "",
    themes=(),
) -> Session:
    """Create a session on `page` (any page type). Its kind defaults to the page's
    `session_kind`; its département is taken from the venue, or from the commune of an action
    hors les murs.

    Raises DomainError: "not_a_session_page", "end_before_start", "start_past".
    """
    _check_page(page)
    _check_dates(start, end)
    _check_future(start)
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
        relayed_from=relayed_from,
        external_uid=external_uid,
        description=description,
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

    Raises DomainError: "cancelled" (a cancelled session is frozen), "finished", "unknown_field",
    "end_before_start", "start_past", "past_with_registrations".
    Capacity changes go through `session_change_capacity`, which promotes the waiting list.
    """
    session = lock_session(session)
    if session.is_cancelled:
        raise DomainError(
            _("Cette session est annulée : elle ne peut plus être modifiée."), code="cancelled"
        )
    _check_not_finished(session)
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
    if "start" in changes:
        _check_future(
            changes["start"],
            has_registrations=session.registrations.filter(
                status__in=Registration.ACTIVE_STATUSES
            ).exists(),
        )
    session.departement = _departement(session)
    if calendar_changed:
        session.sequence = F("sequence") + 1
    session.full_clean(exclude=["page", "sequence"])
    session.save()
    session.refresh_from_db()
    if themes is not None:
        session.themes.set(themes)
    if calendar_changed:
        from ..tasks import session_notify as session_notify_task

        pk = session.pk
        transaction.on_commit(
            lambda: session_notify_task.delay(pk, RegistrationNotice.CHANGED.value)
        )
    return session


@transaction.atomic
def session_record_held(*, session: Session, start, end) -> Session:
    """Record the dates a session really took place, for a history written after the fact (a
    Hub's former spreadsheets, the demo's attended sessions): the one way a session with
    registrants gets dates in the past, and only dates already over. Nobody is emailed: the
    people were there.

    Raises DomainError: "cancelled", "end_before_start", "not_over".
    """
    session = lock_session(session)
    if session.is_cancelled:
        raise DomainError(
            _("Cette session est annulée : elle ne peut plus être modifiée."), code="cancelled"
        )
    _check_dates(start, end)
    if end > timezone.now():
        raise DomainError(
            _("Seule une session déjà terminée peut être inscrite à l'historique."),
            code="not_over",
        )
    session.start, session.end = start, end
    session.full_clean(exclude=["page", "sequence"])
    session.save(update_fields=["start", "end"])
    return session


@transaction.atomic
def session_change_capacity(*, session: Session, capacity: int | None) -> Session:
    """Set the number of seats (None = unlimited) and promote the waiting list into any seat
    that frees up.

    Raises DomainError "capacity_below_confirmed": nobody confirmed is ever bumped silently;
    "capacity_below_held" (seats offered to the waiting list are not taken back); "cancelled",
    "finished", "invalid_capacity".
    """
    session = lock_session(session)
    if session.is_cancelled:
        raise DomainError(
            _("Cette session est annulée : elle ne peut plus être modifiée."), code="cancelled"
        )
    _check_not_finished(session)
    if capacity is not None and capacity < 0:
        raise DomainError(
            _("Le nombre de places ne peut pas être négatif."), code="invalid_capacity"
        )
    confirmed = confirmed_count(session)
    if capacity is not None and capacity < confirmed:
        raise DomainError(
            " ".join(
                (
                    _capacity_refused(capacity),
                    ngettext(
                        "%(count)s personne est déjà confirmée.",
                        "%(count)s personnes sont déjà confirmées.",
                        confirmed,
                    )
                    % {"count": confirmed},
                    _("Annulez d'abord des inscriptions."),
                )
            ),
            code="capacity_below_confirmed",
        )
    offers_expire_overdue(session)
    held = held_count(session)
    if capacity is not None and capacity < confirmed + held:
        raise DomainError(
            " ".join(
                (
                    _capacity_refused(capacity),
                    ngettext(
                        "%(count)s place est proposée à la liste d'attente en ce moment.",
                        "%(count)s places sont proposées à la liste d'attente en ce moment.",
                        held,
                    )
                    % {"count": held},
                    _("Réessayez après leur réponse."),
                )
            ),
            code="capacity_below_held",
        )
    session.capacity = capacity
    session.save(update_fields=["capacity", "updated_at"])
    promote_waiting_list(session)
    return session


@transaction.atomic
def session_cancel(
    *, session: Session, reason: str, confirmed_notified: int | None = None
) -> Session:
    """Cancel a session: it stays in every feed with STATUS:CANCELLED and a higher SEQUENCE,
    and every registered or waitlisted person is emailed a METHOD:CANCEL invitation.
    `confirmed_notified`, the number of people staff were told would be emailed, must still be
    that number (someone who registered meanwhile is shown before being told).

    Raises DomainError "already_cancelled", "finished", "reason_required", "notified_changed".
    """
    session = lock_session(session)
    if session.is_cancelled:
        raise DomainError(_("Cette session est déjà annulée."), code="already_cancelled")
    _check_not_finished(session)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Indiquez le motif de l'annulation."), code="reason_required")
    if confirmed_notified is not None:
        notified = session_people_to_notify(session)
        if notified != confirmed_notified:
            raise DomainError(
                ngettext(
                    "Les inscriptions ont changé : %(count)s personne serait prévenue. "
                    "Vérifiez et confirmez de nouveau.",
                    "Les inscriptions ont changé : %(count)s personnes seraient prévenues. "
                    "Vérifiez et confirmez de nouveau.",
                    notified,
                )
                % {"count": notified},
                code="notified_changed",
            )
    seat_offers_void_for_session(session)
    session.status = Session.Status.CANCELLED
    session.cancel_reason = reason
    session.sequence = F("sequence") + 1
    session.save(update_fields=["status", "cancel_reason", "sequence", "updated_at"])
    session.refresh_from_db()
    from ..tasks import session_notify as session_notify_task

    pk = session.pk
    transaction.on_commit(
        lambda: session_notify_task.delay(pk, RegistrationNotice.SESSION_CANCELLED.value)
    )
    return session


def session_people_to_notify(session: Session) -> int:
    """How many people a cancellation of the session emails: confirmed and waitlisted, with
    an account (anonymised registrations have no address)."""
    return session.registrations.filter(
        status__in=Registration.ACTIVE_STATUSES, user__isnull=False
    ).count()


@transaction.atomic
def session_delete(*, session: Session) -> None:
    """Delete a session nobody is registered on (a mistake in the agenda).

    Raises DomainError "has_registrations": people are told through `session_cancel` instead,
    and the cancelled session stays in calendars.
    """
    session = lock_session(session)
    if session.registrations.filter(status__in=Registration.ACTIVE_STATUSES).exists():
        raise DomainError(
            _("Des personnes sont inscrites : annulez la session plutôt que de la supprimer."),
            code="has_registrations",
        )
    session.delete()
