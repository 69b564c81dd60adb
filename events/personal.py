"""A person's share of the agenda: their "Mon espace" section and their personal data."""

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .models import Registration, ReminderOptOut
from .selectors import registration_list_for_user, reminders_enabled, waiting_entry_list_for_user


def my_space_context(user) -> dict:
    """Upcoming and past registrations, the waiting lists with their offers, and the private
    calendar feed address."""
    return {
        "upcoming_registrations": list(registration_list_for_user(user=user, upcoming=True)),
        "past_registrations": list(registration_list_for_user(user=user, upcoming=False)[:20]),
        "reminders_enabled": reminders_enabled(user=user),
        "waiting_entries": waiting_entry_list_for_user(user=user),
        "calendar_feed_url": settings.SITE_URL
        + reverse("events:personal_feed", kwargs={"token": user.calendar_token}),
    }


def export(user) -> list[dict]:
    return [
        {
            "session": registration.session.display_title,
            "debut": registration.session.start.isoformat(),
            "statut": registration.get_status_display(),
            "reponses": registration.answers,
            "inscrit_le": registration.created_at.isoformat(),
        }
        for registration in Registration.objects.filter(user=user).select_related("session__page")
    ]


def erase(user) -> None:
    """Before the account (and, by cascade, its registrations) goes, free its seats on
    upcoming sessions through the service, so that the waiting list is promoted."""
    from .services import registration_cancel

    upcoming = Registration.objects.filter(
        user=user,
        status__in=Registration.ACTIVE_STATUSES,
        session__start__gt=timezone.now(),
    )
    for registration in upcoming:
        registration_cancel(registration=registration)


def reminders_export(user) -> dict:
    return {"rappels_actives": reminders_enabled(user=user)}


def reminders_erase(user) -> None:
    ReminderOptOut.objects.filter(user=user).delete()


def waiting_lists_export(user) -> list[dict]:
    """The waiting lists the person asked for or is part of, and the seats offered."""
    from .models import WaitingListEntry

    entries = (
        WaitingListEntry.objects.filter(Q(requester=user) | Q(people__user=user))
        .distinct()
        .select_related("page", "organisation")
        .prefetch_related("sessions", "offers__session", "people__user")
    )
    return [
        {
            "formation": entry.page.title,
            "statut": entry.get_status_display(),
            "demande_le": entry.created_at.isoformat(),
            "groupe": entry.organisation.name if entry.organisation else None,
            "demande_par_moi": entry.requester_id == user.pk,
            "sessions_choisies": [session.start.isoformat() for session in entry.sessions.all()],
            "places_proposees": [
                {
                    "session": offer.session.start.isoformat(),
                    "places": offer.seats,
                    "statut": offer.get_status_display(),
                    "jusqu_au": offer.expires_at.isoformat(),
                }
                for offer in entry.offers.all()
            ],
        }
        for entry in entries
    ]


def waiting_lists_erase(user) -> None:
    """Before the account goes: the lists the person asked for are left through the service (a
    seat held for them passes to the next), and they leave the groups others asked for (a group
    left empty leaves the list the same way)."""
    from .models import WaitingListEntry, WaitingListPerson
    from .services import waiting_list_leave

    for entry in WaitingListEntry.objects.filter(
        requester=user, status=WaitingListEntry.Status.WAITING
    ):
        waiting_list_leave(entry=entry, by=user)
    for place in WaitingListPerson.objects.filter(user=user).select_related("entry"):
        entry = place.entry
        place.delete()
        if entry.status == WaitingListEntry.Status.WAITING and not entry.people.exists():
            waiting_list_leave(entry=entry, by=entry.requester)
