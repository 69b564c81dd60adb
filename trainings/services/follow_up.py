"""The email of the day after a training session, configured per training (defaults in the
site settings): people marked present get the materials, their certificate and the
questionnaire in one message; people marked absent get « nous vous avons manqué » with the next
sessions of the training. Once per person and session, whatever the retries: a unique row is
written before the message leaves."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.locking import lock_one
from events.models import Registration, Session
from events.selectors import session_list_upcoming

from ..certificates import certificate_verify_url
from ..models import FollowUp, FollowUpSettings, QuestionnaireInvitation, TrainingPage
from .certificates import certificate_issue

# Sessions that ended longer ago than this are not followed up any more (a worker that was
# down for a day still catches up; a new training setting does not mail last year's people).
FOLLOW_UP_WINDOW = datetime.timedelta(days=7)


def follow_up_kind(*, training: TrainingPage, status: str, defaults: FollowUpSettings):
    """Which follow-up (FollowUp.Kind) a registration of `training` with `status` gets, or
    None: the training's own choice, else the site settings."""
    if training.follow_up == "off":
        return None
    forced = training.follow_up == "on"
    if status == Registration.Status.ATTENDED and (forced or defaults.follow_up_enabled):
        return FollowUp.Kind.PRESENT
    if status == Registration.Status.ABSENT and (forced or defaults.missed_you_enabled):
        return FollowUp.Kind.ABSENT
    return None


def follow_up_registrations_due(*, now=None):
    """Registrations marked present or absent on training sessions that ended before today
    (Europe/Paris) and within the window, whose person still has an active account and was
    not followed up yet."""
    now = now or timezone.now()
    today = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(now), datetime.time.min)
    )
    return Registration.objects.filter(
        session__kind=Session.Kind.TRAINING,
        session__status=Session.Status.SCHEDULED,
        session__end__lt=today,
        session__end__gte=now - FOLLOW_UP_WINDOW,
        status__in=[Registration.Status.ATTENDED, Registration.Status.ABSENT],
        user__isnull=False,
        user__is_active=True,
        follow_up__isnull=True,
    )


def _resources(training: TrainingPage) -> list[dict]:
    """The training's documents and links as (title, absolute URL)."""
    from django.conf import settings

    resources = []
    for block in training.resources:
        if block.block_type == "document":
            url = block.value["document"].url
            resources.append({"title": block.value["title"], "url": settings.SITE_URL + url})
        else:
            resources.append({"title": block.value["title"], "url": block.value["url"]})
    return resources


def follow_up_send(*, registration: Registration) -> bool:
    """Send the day-after email to one person, once. Returns whether it was sent now (False:
    already sent, nothing due for this training, or the account is gone)."""
    from core.mail import send_templated_email

    with transaction.atomic():
        registration = lock_one(
            Registration.objects.select_related("user", "session"),
            of=("self",),
            pk=registration.pk,
        )
        user = registration.user
        if user is None or not user.is_active:
            return False
        training = TrainingPage.objects.filter(pk=registration.session.page_id).first()
        if training is None:
            return False
        kind = follow_up_kind(
            training=training,
            status=registration.status,
            defaults=FollowUpSettings.for_default_site(),
        )
        if kind is None:
            return False
        try:
            with transaction.atomic():
                FollowUp.objects.create(registration=registration, kind=kind)
        except IntegrityError:
            return False
        context = {"registration": registration, "session": registration.session, "user": user}
        context["training"] = training
        if kind == FollowUp.Kind.PRESENT:
            # The questionnaire travels in this email: the standalone one must not follow.
            QuestionnaireInvitation.objects.get_or_create(registration=registration)
            certificate = certificate_issue(registration=registration)
            context.update(
                certificate=certificate,
                certificate_url=certificate_verify_url(certificate),
                resources=_resources(training),
                answered=hasattr(registration, "satisfaction_answer"),
            )
        else:
            context["next_sessions"] = list(
                session_list_upcoming(pages=[training.pk], include_cancelled=False, limit=3)
            )
    send_templated_email(
        template=f"trainings_follow_up_{kind}",
        to=[user.email],
        context=context,
    )
    return True
