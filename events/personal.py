"""A person's share of the agenda: their "Mon espace" section and their personal data."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from .models import Registration, ReminderOptOut
from .selectors import registration_list_for_user, reminders_enabled


def my_space_context(user) -> dict:
    """Upcoming and past registrations, and the private calendar feed address."""
    return {
        "upcoming_registrations": list(registration_list_for_user(user=user, upcoming=True)),
        "past_registrations": list(registration_list_for_user(user=user, upcoming=False)[:20]),
        "reminders_enabled": reminders_enabled(user=user),
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
