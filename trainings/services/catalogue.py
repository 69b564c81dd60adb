"""State changes of the catalogue: training sessions (through events' services), the
satisfaction questionnaire (sent once, answered once). Registration is events' job."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.locking import lock_one
from events import services as event_services
from events.models import Registration, Session

from ..models import QuestionnaireInvitation, SatisfactionAnswer, TrainingPage
from ..selectors import QUESTIONNAIRE_STATUSES

# How long after a session its questionnaire may still be sent by the daily job.
QUESTIONNAIRE_WINDOW = datetime.timedelta(days=14)


def training_session_create(
    *,
    training: TrainingPage,
    start,
    end,
    venue=None,
    online_url: str = "",
    capacity: int | None = None,
    title: str = "",
) -> Session:
    """A session of `training`, of kind "training", with the training's themes; a relayed
    training's session carries the partner's registration link."""
    return event_services.session_create(
        page=training,
        start=start,
        end=end,
        kind=Session.Kind.TRAINING,
        title=title,
        venue=venue,
        online_url=online_url,
        capacity=None if training.is_relayed else capacity,
        external_registration_url=training.external_registration_url if training.is_relayed else "",
        themes=list(training.themes.all()),
    )


def questionnaire_registrations_due(*, now=None):
    """Registrations whose training session ended within the window and that were not yet
    sent the questionnaire."""
    now = now or timezone.now()
    return Registration.objects.filter(
        session__kind=Session.Kind.TRAINING,
        session__status=Session.Status.SCHEDULED,
        session__end__lte=now,
        session__end__gte=now - QUESTIONNAIRE_WINDOW,
        status__in=QUESTIONNAIRE_STATUSES,
        questionnaire_invitation__isnull=True,
    )


def _follow_up_carries_questionnaire(registration: Registration) -> bool:
    """People marked present on a training that sends the day-after email get the
    questionnaire in it: one email, not two."""
    from ..models import FollowUpSettings
    from .follow_up import follow_up_kind

    training = TrainingPage.objects.filter(pk=registration.session.page_id).first()
    return (
        training is not None
        and follow_up_kind(
            training=training,
            status=registration.status,
            defaults=FollowUpSettings.for_default_site(),
        )
        is not None
    )


def questionnaire_send(*, registration: Registration) -> bool:
    """Email the questionnaire once: the invitation row is written (unique per registration)
    before the message leaves, so a duplicated or retried task sends nothing more. Returns
    whether it was sent now."""
    from core.mail import send_templated_email

    with transaction.atomic():
        # Only the registration row: its person may be empty (anonymised), an outer join
        # PostgreSQL refuses to lock.
        registration = lock_one(
            Registration.objects.select_related("user", "session__page"),
            of=("self",),
            pk=registration.pk,
        )
        if registration.status not in QUESTIONNAIRE_STATUSES or registration.user_id is None:
            return False
        if _follow_up_carries_questionnaire(registration):
            return False
        try:
            with transaction.atomic():
                QuestionnaireInvitation.objects.create(registration=registration)
        except IntegrityError:
            return False
    send_templated_email(
        template="trainings_questionnaire",
        to=[registration.user.email],
        context={"registration": registration, "session": registration.session},
    )
    return True


@transaction.atomic
def questionnaire_answer(
    *,
    registration: Registration,
    user,
    rating: int,
    useful: str = "",
    improve: str = "",
    would_recommend: bool,
) -> SatisfactionAnswer:
    """Record the answer of the registration's owner, once, after a training session.

    Raises DomainError: "not_registered", "not_a_training", "too_early", "already_answered",
    "invalid_rating".
    """
    registration = lock_one(
        Registration.objects.select_related("session__page"), pk=registration.pk
    )
    if registration.user_id != user.pk or registration.status not in QUESTIONNAIRE_STATUSES:
        raise DomainError(
            _("Seules les personnes inscrites à cette session peuvent répondre."),
            code="not_registered",
        )
    training = TrainingPage.objects.filter(pk=registration.session.page_id).first()
    if training is None:
        raise DomainError(
            _("Ce questionnaire ne concerne que les formations."), code="not_a_training"
        )
    if registration.session.end > timezone.now():
        raise DomainError(_("Le questionnaire s'ouvre à la fin de la session."), code="too_early")
    if SatisfactionAnswer.objects.filter(registration=registration).exists():
        raise DomainError(
            _("Vous avez déjà répondu à ce questionnaire. Merci !"), code="already_answered"
        )
    if rating not in range(1, 6):
        raise DomainError(_("La note va de 1 à 5."), code="invalid_rating")
    answer = SatisfactionAnswer(
        registration=registration,
        training=training,
        rating=rating,
        useful=useful.strip(),
        improve=improve.strip(),
        would_recommend=would_recommend,
    )
    answer.full_clean(exclude=["registration", "training"])
    answer.save()
    return answer
