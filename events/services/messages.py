"""The emails that follow a registration: confirmation and notices with their .ics, the
day-before reminder (once), and the messages Hub staff write to a session's participants."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.locking import lock_one

from ..models import Registration, Reminder, ReminderKind, ReminderOptOut, Session
from ..notifications import RegistrationNotice, registration_email


def registration_send_email(*, registration: Registration, event: RegistrationNotice | str) -> None:
    """Email the person about their registration, with the .ics attached (`event` may be the
    notice's value, as a Celery task receives it; an unknown one raises ValueError)."""
    registration_email(registration=registration, notice=RegistrationNotice(event)).send()


def session_notify_participants(*, session: Session, event: RegistrationNotice | str) -> int:
    """Queue one email per active registration of a changed or cancelled session: each is
    retried on its own, so a mail-server hiccup never emails anyone twice. Returns the count."""
    from ..tasks import registration_notify as registration_notify_task

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


REMINDER_NOTICES = {
    ReminderKind.WEEK: RegistrationNotice.REMINDER_WEEK,
    ReminderKind.DAY: RegistrationNotice.REMINDER,
    ReminderKind.MORNING: RegistrationNotice.REMINDER_MORNING,
}


def registration_send_reminder(*, registration: Registration, kind: str) -> bool:
    """Send the reminder `kind` (ReminderKind) once, if the session's page sends it and the
    person did not turn reminders off: its row is written under a row lock before the message
    leaves, so a retried or duplicated task never sends it twice. Returns whether it was sent."""
    kind = ReminderKind(kind)
    with transaction.atomic():
        registration = lock_one(
            Registration.objects.select_related("session__page"), of=("self",), pk=registration.pk
        )
        if registration.status != Registration.Status.CONFIRMED or registration.user_id is None:
            return False
        if registration.session.is_cancelled:
            return False
        if ReminderOptOut.objects.filter(user_id=registration.user_id).exists():
            return False
        page = registration.session.page.specific
        if kind not in getattr(page, "reminder_kinds", lambda: [ReminderKind.DAY])():
            return False
        try:
            with transaction.atomic():
                Reminder.objects.create(registration=registration, kind=kind)
        except IntegrityError:
            return False
    registration_send_email(registration=registration, event=REMINDER_NOTICES[kind])
    return True


@transaction.atomic
def reminders_set(*, user, enabled: bool) -> None:
    """Turn every reminder on or off for `user` (Mon espace); registrations stay as they are."""
    if enabled:
        ReminderOptOut.objects.filter(user=user).delete()
    else:
        ReminderOptOut.objects.get_or_create(user=user)


def session_message_queue(*, session: Session, subject: str, message: str, sender) -> int:
    """Hub staff write to every confirmed participant of a session: one email task each, after
    commit, so that a retried message never reaches anyone twice. Returns the count.

    Raises DomainError "empty_message".
    """
    from ..tasks import registration_message_send as registration_message_send_task

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
    """Send one participant the message Hub staff wrote to the session, signed with the
    sender's name; an answer goes to the Hub team (Reply-To), not to a no-reply box."""
    from django.conf import settings

    from core.mail import send_templated_email

    send_templated_email(
        template="events_participants_message",
        to=[registration.user.email],
        reply_to=[settings.MAILLAGE_HUB_REPLY_TO],
        context={
            "session": registration.session,
            "user": registration.user,
            "subject": subject,
            "message": message,
            "sender": sender,
        },
    )
