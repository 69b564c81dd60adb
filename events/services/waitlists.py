"""The waiting list of a page and the seats it is offered: join it (a person, or a structure's
group), leave it, give freed seats out in order, and take or leave an offer.

One queue per session, under the session's row lock: waitlisted registrations of that session
and entries of its page whose choices include it, oldest first. A waitlisted registration is
confirmed at once (as it always was); an entry is offered the seats and they are held until
`expires_at` (MAILLAGE_OFFER_HOLD_HOURS): held seats count as taken, so nobody registers into
them. An all-or-nothing group is skipped while fewer seats are free than it needs, rather than
holding seats the people behind it could use. An offer left or expired passes to the next, and
that entry is not offered that session again."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.selectors import user_is_hub_staff
from core.audit import audit_log
from core.errors import DomainError
from core.locking import lock_one

from ..models import (
    Registration,
    SeatOffer,
    Session,
    SessionPageMixin,
    WaitingListEntry,
    WaitingListPerson,
)
from ..notifications import RegistrationNotice
from .seats import lock_session, on_commit_notify, seats_taken

# --- the queue ---------------------------------------------------------------------------


def _candidate_entries(session: Session):
    """Entries of the session's page that may be offered it, oldest first: waiting, without a
    pending offer, choosing this session (or any), never offered it before and let it go."""
    chose_it = WaitingListEntry.sessions.through.objects.filter(
        waitinglistentry_id=OuterRef("pk"), session_id=session.pk
    )
    chose_some = WaitingListEntry.sessions.through.objects.filter(
        waitinglistentry_id=OuterRef("pk")
    )
    pending = SeatOffer.objects.filter(entry=OuterRef("pk"), status=SeatOffer.Status.PENDING)
    let_go = SeatOffer.objects.filter(
        entry=OuterRef("pk"),
        session=session,
        status__in=[SeatOffer.Status.DECLINED, SeatOffer.Status.EXPIRED],
    )
    return (
        WaitingListEntry.objects.filter(
            page_id=session.page_id, status=WaitingListEntry.Status.WAITING
        )
        .filter(Q(Exists(chose_it)) | ~Exists(chose_some))
        .exclude(Exists(pending))
        .exclude(Exists(let_go))
        .order_by("created_at", "pk")
    )


def _people_needing_a_seat(entry: WaitingListEntry, session: Session) -> list[WaitingListPerson]:
    """The entry's people not yet placed and without an active registration on `session`."""
    registered = Registration.objects.filter(
        session=session, user=OuterRef("user"), status__in=Registration.ACTIVE_STATUSES
    ).exclude(status=Registration.Status.WAITLISTED)
    return list(
        entry.people.filter(registration__isnull=True)
        .exclude(Exists(registered))
        .select_related("user")
        .order_by("pk")
    )


def _offer(*, entry: WaitingListEntry, session: Session, free: int) -> int:
    """Offer `entry` the seats it can use among `free`; returns how many are now held."""
    needed = len(_people_needing_a_seat(entry, session))
    if needed == 0 or (entry.all_or_nothing and needed > free):
        return 0
    seats = min(needed, free)
    expires_at = min(
        timezone.now() + datetime.timedelta(hours=settings.MAILLAGE_OFFER_HOLD_HOURS),
        session.start,
    )
    offer = SeatOffer.objects.create(
        entry=entry, session=session, seats=seats, expires_at=expires_at
    )
    from ..tasks import seat_offer_notify as seat_offer_notify_task

    pk = offer.pk
    transaction.on_commit(lambda: seat_offer_notify_task.delay(pk))
    return seats


def _confirm_waitlisted(registration: Registration) -> None:
    registration.status = Registration.Status.CONFIRMED
    registration.confirmed_at = timezone.now()
    registration.save(update_fields=["status", "confirmed_at", "updated_at"])


def promote_waiting_list(session: Session) -> list[Registration]:
    """Give the session's free seats out, in the order people joined: a waitlisted
    registration of the session is confirmed at once; an entry of the page's waiting list is
    offered the seats it can use, held for it. Call it with the session row locked. Returns the
    registrations confirmed now."""
    if session.is_cancelled or session.start <= timezone.now():
        return []
    waiting = session.registrations.filter(status=Registration.Status.WAITLISTED).order_by(
        "waitlisted_at", "pk"
    )
    if session.capacity is None:
        promoted = list(waiting)
        for registration in promoted:
            _confirm_waitlisted(registration)
            on_commit_notify(registration, RegistrationNotice.PROMOTED)
        return promoted
    free = session.capacity - seats_taken(session)
    promoted: list[Registration] = []
    if free <= 0:
        return promoted
    registrations = iter(waiting)
    entries = iter(_candidate_entries(session))
    registration, entry = next(registrations, None), next(entries, None)
    while free > 0 and (registration is not None or entry is not None):
        if entry is None or (
            registration is not None and registration.waitlisted_at <= entry.created_at
        ):
            _confirm_waitlisted(registration)
            on_commit_notify(registration, RegistrationNotice.PROMOTED)
            promoted.append(registration)
            free -= 1
            registration = next(registrations, None)
        else:
            free -= _offer(entry=entry, session=session, free=free)
            entry = next(entries, None)
    return promoted


def offers_expire_overdue(session: Session) -> int:
    """Expire the session's pending offers whose time is up and give their seats out again.
    Call it with the session row locked (every service that counts seats does, so an offer
    nobody answered never blocks a seat past its time, even before the periodic task runs)."""
    expired = SeatOffer.objects.filter(
        session=session, status=SeatOffer.Status.PENDING, expires_at__lte=timezone.now()
    ).update(status=SeatOffer.Status.EXPIRED, answered_at=timezone.now())
    if expired:
        promote_waiting_list(session)
    return expired


# --- joining and leaving -----------------------------------------------------------------


def _check_page(page) -> None:
    if not isinstance(page.specific, SessionPageMixin):
        raise DomainError(_("Cette page n'a pas de sessions."), code="not_a_session_page")


def _open_sessions(page, chosen) -> list[Session]:
    """The upcoming sessions of `page` one may wait for: the chosen ones, or all of them.

    Raises DomainError "unknown_session", "no_session"."""
    now = timezone.now()
    sessions = list(
        Session.objects.filter(
            page_id=page.pk,
            status=Session.Status.SCHEDULED,
            start__gt=now,
            external_registration_url="",
        ).order_by("start", "pk")
    )
    chosen_pks = {session.pk for session in chosen}
    if chosen_pks - {session.pk for session in sessions}:
        raise DomainError(
            _("Une des sessions choisies n'est pas ouverte à cette formation."),
            code="unknown_session",
        )
    if chosen_pks:
        sessions = [session for session in sessions if session.pk in chosen_pks]
    if not sessions:
        raise DomainError(
            _("Aucune session à venir : il n'y a pas de liste d'attente pour le moment."),
            code="no_session",
        )
    return sessions


def _free_seats(session: Session) -> int | None:
    if session.capacity is None:
        return None
    return max(session.capacity - seats_taken(session), 0)


def _check_no_seat_left(sessions: list[Session], *, needed: int) -> None:
    """Nobody waits for a seat that is free now: they register instead."""
    for session in sessions:
        free = _free_seats(session)
        if session.registration_is_open() and (free is None or free >= needed):
            raise DomainError(
                _(
                    "Il reste des places sur la session du %(date)s : inscrivez-vous "
                    "directement, sans attendre."
                )
                % {"date": timezone.localtime(session.start).strftime("%d/%m/%Y")},
                code="seats_left",
            )


@transaction.atomic
def waiting_list_join(*, page, user, sessions=()) -> WaitingListEntry:
    """Put `user` on the waiting list of `page`, for the sessions ticked (none: any upcoming
    session). Joining twice returns the person's waiting entry with the new choice.

    Raises DomainError "not_a_session_page", "unknown_session", "no_session", "seats_left".
    """
    _check_page(page)
    open_sessions = _open_sessions(page, sessions)
    _check_no_seat_left(open_sessions, needed=1)
    entry = WaitingListEntry.objects.filter(
        page_id=page.pk,
        requester=user,
        organisation__isnull=True,
        status=WaitingListEntry.Status.WAITING,
    ).first()
    if entry is None:
        entry = WaitingListEntry.objects.create(page_id=page.pk, requester=user)
        WaitingListPerson.objects.create(entry=entry, user=user)
    entry.sessions.set([session.pk for session in sessions])
    return entry


def _check_group(*, requester, organisation, people) -> list:
    from directory.selectors import organisation_member_list, user_manages_organisation

    if organisation is None or not user_manages_organisation(
        user=requester, organisation=organisation
    ):
        raise DomainError(
            _("Seul·e un·e gestionnaire de la structure peut inscrire son groupe."),
            code="forbidden",
        )
    people = list({person.pk: person for person in people}.values())
    if not people:
        raise DomainError(_("Choisissez au moins une personne du groupe."), code="empty_group")
    members = set(organisation_member_list(organisation=organisation).values_list("pk", flat=True))
    if any(person.pk not in members for person in people):
        raise DomainError(
            _("Seules les personnes de la structure peuvent faire partie du groupe."),
            code="not_member",
        )
    return people


def _too_large(*, size: int, seats: int) -> DomainError:
    return DomainError(
        ngettext(
            "Le groupe compte %(size)s personnes mais il ne reste que %(seats)s place : "
            "choisissez « répartir le groupe », ou mettez-le sur la liste d'attente de la "
            "formation.",
            "Le groupe compte %(size)s personnes mais il ne reste que %(seats)s places : "
            "choisissez « répartir le groupe », ou mettez-le sur la liste d'attente de la "
            "formation.",
            seats,
        )
        % {"size": size, "seats": seats},
        code="group_too_large",
    )


@transaction.atomic
def waiting_list_join_group(
    *, page, requester, organisation, people, all_or_nothing: bool, sessions=()
) -> WaitingListEntry:
    """Put a structure's group on the waiting list of `page` (sessions ticked, or any): all
    together on one session, or split across sessions as seats free up.

    Raises DomainError "forbidden" (not a manager of the structure), "empty_group",
    "not_member", "group_too_large" (all together, more people than any chosen session has
    seats), "not_a_session_page", "unknown_session", "no_session", "seats_left".
    """
    _check_page(page)
    people = _check_group(requester=requester, organisation=organisation, people=people)
    open_sessions = _open_sessions(page, sessions)
    capacities = [session.capacity for session in open_sessions]
    if all_or_nothing and None not in capacities and len(people) > max(capacities):
        raise DomainError(
            _(
                "Le groupe compte %(size)s personnes, plus que les places d'une session "
                "(%(seats)s au plus) : choisissez « répartir le groupe »."
            )
            % {"size": len(people), "seats": max(capacities)},
            code="group_too_large",
        )
    _check_no_seat_left(open_sessions, needed=len(people) if all_or_nothing else 1)
    entry = WaitingListEntry.objects.create(
        page_id=page.pk,
        requester=requester,
        organisation=organisation,
        all_or_nothing=all_or_nothing,
    )
    WaitingListPerson.objects.bulk_create(
        [WaitingListPerson(entry=entry, user=person) for person in people]
    )
    entry.sessions.set([session.pk for session in sessions])
    return entry


def entry_addressed_to(entry: WaitingListEntry, user) -> bool:
    """Whether `entry` (its offers, its place in Mon espace) is `user`'s: the person who asked,
    or a manager of the group's structure. The site's pages answer only them; Hub staff act
    through the services with `by`."""
    from directory.selectors import user_manages_organisation

    if user is None or not user.is_authenticated:
        return False
    if user.pk == entry.requester_id:
        return True
    return entry.organisation_id is not None and user_manages_organisation(
        user=user, organisation=entry.organisation_id
    )


def _may_act_for(entry: WaitingListEntry, user) -> bool:
    """The entry's addressee, or Hub staff."""
    return entry_addressed_to(entry, user) or user_is_hub_staff(user)


@transaction.atomic
def waiting_list_leave(*, entry: WaitingListEntry, by) -> WaitingListEntry:
    """Take an entry off the waiting list; a seat held for it passes to the next.

    Raises DomainError "forbidden", "not_waiting".
    """
    entry = lock_one(WaitingListEntry.objects.all(), pk=entry.pk)
    if not _may_act_for(entry, by):
        raise DomainError(_("Cette inscription n'est pas la vôtre."), code="forbidden")
    if entry.status != WaitingListEntry.Status.WAITING:
        raise DomainError(_("Vous n'êtes plus sur cette liste d'attente."), code="not_waiting")
    entry.status = WaitingListEntry.Status.WITHDRAWN
    entry.save(update_fields=["status", "updated_at"])
    offer = entry.offers.filter(status=SeatOffer.Status.PENDING).first()
    if offer is not None:
        # The session first, then the offer: the order every seat service locks in.
        session = lock_session(offer.session)
        offer = lock_one(SeatOffer.objects.all(), pk=offer.pk)
        if offer.is_pending:
            offer.status = SeatOffer.Status.VOID
            offer.answered_at = timezone.now()
            offer.save(update_fields=["status", "answered_at"])
            promote_waiting_list(session)
    if by.pk != entry.requester_id:
        audit_log(instance=entry, action="events.waiting_list_leave", user=by)
    return entry


# --- a group registered at once ----------------------------------------------------------


@dataclass
class GroupRegistration:
    """What a group registration did: who got a seat, who waits on the session's list."""

    confirmed: list[Registration]
    waitlisted: list[Registration]


@transaction.atomic
def registration_create_group(
    *, session: Session, requester, organisation, people, all_or_nothing: bool
) -> GroupRegistration:
    """A structure's manager registers people of the structure on a session: all of them or
    none (`all_or_nothing`), or as many as seats remain with the others on the session's
    waiting list. People already registered keep their registration. Under the session's row
    lock, like every registration: never more seats taken than `capacity`.

    Raises DomainError "forbidden", "empty_group", "not_member", "group_too_large", and those of
    `registration_create` ("cancelled", "past", "external", "not_open", "closed", "full").
    """
    from .registrations import check_registrable

    session = lock_session(session)
    offers_expire_overdue(session)
    people = _check_group(requester=requester, organisation=organisation, people=people)
    check_registrable(session)
    already = set(
        Registration.objects.filter(
            session=session, user__in=people, status__in=Registration.ACTIVE_STATUSES
        ).values_list("user_id", flat=True)
    )
    to_place = [person for person in people if person.pk not in already]
    free = _free_seats(session)
    if free is not None and all_or_nothing and len(to_place) > free:
        raise _too_large(size=len(to_place), seats=free)
    if free is not None and free == 0 and not session.waiting_list_enabled:
        raise DomainError(_("Cette session est complète."), code="full")
    now = timezone.now()
    result = GroupRegistration(confirmed=[], waitlisted=[])
    for index, person in enumerate(to_place):
        registration = Registration(session=session, user=person)
        if free is None or index < free:
            registration.status = Registration.Status.CONFIRMED
            registration.confirmed_at = now
            result.confirmed.append(registration)
        elif session.waiting_list_enabled:
            registration.status = Registration.Status.WAITLISTED
            registration.waitlisted_at = now
            result.waitlisted.append(registration)
        else:
            continue
        registration.full_clean(exclude=["session", "user"])
        registration.save()
        audit_log(
            instance=registration,
            action="events.registration_create_for_group",
            user=requester,
            data={"comment": str(organisation)},
        )
        on_commit_notify(
            registration,
            RegistrationNotice.CONFIRMED
            if registration.holds_seat
            else RegistrationNotice.WAITLISTED,
        )
    return result


# --- offers ------------------------------------------------------------------------------


def _expire_if_overdue(offer: SeatOffer) -> None:
    """The lazy half of expiry, in its own transaction so that it holds even when the answer
    that found it is refused."""
    with transaction.atomic():
        session = lock_session(offer.session)
        locked = lock_one(SeatOffer.objects.all(), pk=offer.pk)
        if locked.is_overdue:
            offers_expire_overdue(session)


def _answered(offer: SeatOffer) -> DomainError:
    if offer.status == SeatOffer.Status.ACCEPTED:
        return DomainError(
            _("Vous avez déjà pris cette place : votre inscription est confirmée."),
            code="already_accepted",
        )
    if offer.status == SeatOffer.Status.EXPIRED:
        return DomainError(
            _(
                "Le délai pour répondre est passé : la place a été proposée à la personne "
                "suivante. Vous restez sur la liste d'attente pour les autres sessions."
            ),
            code="expired",
        )
    return DomainError(_("Cette proposition n'est plus valable."), code="not_pending")


def _locked_offer(offer: SeatOffer, by) -> tuple[Session, SeatOffer]:
    session = lock_session(offer.session)
    offer = lock_one(SeatOffer.objects.select_related("entry"), pk=offer.pk)
    if not _may_act_for(offer.entry, by):
        raise DomainError(_("Cette proposition ne vous est pas adressée."), code="forbidden")
    if not offer.is_pending:
        raise _answered(offer)
    return session, offer


def seat_offer_accept(*, offer: SeatOffer, by) -> list[Registration]:
    """« Je prends » : the held seats become confirmed registrations of the entry's people
    (those already registered keep theirs and their seat passes on). Taking twice (two tabs)
    changes nothing the second time.

    Raises DomainError "forbidden", "already_accepted", "expired", "not_pending", "past".
    """
    _expire_if_overdue(offer)
    with transaction.atomic():
        session, offer = _locked_offer(offer, by)
        if session.start <= timezone.now() or session.is_cancelled:
            raise DomainError(
                _("Cette session a commencé ou a été annulée : la place n'est plus disponible."),
                code="past",
            )
        now = timezone.now()
        registrations = []
        for person in _people_needing_a_seat(offer.entry, session)[: offer.seats]:
            registration = Registration.objects.filter(
                session=session, user=person.user, status=Registration.Status.WAITLISTED
            ).first() or Registration(session=session, user=person.user)
            registration.status = Registration.Status.CONFIRMED
            registration.confirmed_at = now
            registration.full_clean(exclude=["session", "user"])
            registration.save()
            person.registration = registration
            person.save(update_fields=["registration"])
            on_commit_notify(registration, RegistrationNotice.CONFIRMED)
            registrations.append(registration)
        offer.status = SeatOffer.Status.ACCEPTED
        offer.answered_at = now
        offer.save(update_fields=["status", "answered_at"])
        entry = offer.entry
        if not entry.people.filter(registration__isnull=True).exists():
            entry.status = WaitingListEntry.Status.PLACED
            entry.save(update_fields=["status", "updated_at"])
        if by.pk != entry.requester_id:
            audit_log(instance=offer, action="events.seat_offer_accept", user=by)
        # Seats held but not needed (someone registered meanwhile) go to the next.
        promote_waiting_list(session)
    return registrations


def seat_offer_decline(*, offer: SeatOffer, by) -> SeatOffer:
    """« Je laisse » : the seats go to the next in the queue; the entry stays on the list for
    the other sessions, and is not offered this one again.

    Raises DomainError "forbidden", "already_accepted", "expired", "not_pending".
    """
    _expire_if_overdue(offer)
    with transaction.atomic():
        session, offer = _locked_offer(offer, by)
        offer.status = SeatOffer.Status.DECLINED
        offer.answered_at = timezone.now()
        offer.save(update_fields=["status", "answered_at"])
        promote_waiting_list(session)
    return offer


@transaction.atomic
def seat_offer_expire(*, offer: SeatOffer) -> bool:
    """Expire one offer whose time is up and pass its seats on (the periodic task's half of
    expiry). Idempotent: an offer answered or already expired is left alone. Returns whether
    it expired now."""
    session = lock_session(offer.session)
    offer = lock_one(SeatOffer.objects.all(), pk=offer.pk)
    if not offer.is_overdue:
        return False
    return offers_expire_overdue(session) > 0


def seat_offers_void_for_session(session: Session) -> int:
    """A cancelled session's pending offers are void (their entries stay on the list). Call it
    with the session row locked."""
    return SeatOffer.objects.filter(session=session, status=SeatOffer.Status.PENDING).update(
        status=SeatOffer.Status.VOID, answered_at=timezone.now()
    )


def seat_offer_send_email(*, offer: SeatOffer) -> bool:
    """Email the offer with its « je prends / je laisse » links, once: `notified_at` is written
    under a row lock before the message leaves, so a retried task never sends it twice, and an
    offer answered or expired meanwhile is not sent. Returns whether it was sent."""
    from core.mail import send_templated_email

    from ..offer_links import seat_offer_url

    with transaction.atomic():
        offer = lock_one(
            SeatOffer.objects.select_related("entry__requester", "entry__organisation"),
            of=("self",),
            pk=offer.pk,
        )
        if not offer.is_pending or offer.notified_at is not None or offer.is_overdue:
            return False
        offer.notified_at = timezone.now()
        offer.save(update_fields=["notified_at"])
    session = Session.objects.select_related("page", "venue", "outside_commune").get(
        pk=offer.session_id
    )
    requester = offer.entry.requester
    send_templated_email(
        template="events_seat_offer",
        to=[requester.email],
        reply_to=[settings.MAILLAGE_HUB_REPLY_TO],
        context={
            "offer": offer,
            "session": session,
            "user": requester,
            "take_url": seat_offer_url(offer, choice="prendre"),
            "leave_url": seat_offer_url(offer, choice="laisser"),
        },
    )
    return True
