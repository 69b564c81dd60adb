import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from portal.models import HomePage
from trainings.models import TrainingIndexPage, TrainingPage
from trainings.services import training_session_create

_numbers = itertools.count(1)


def training_index() -> TrainingIndexPage:
    existing = TrainingIndexPage.objects.first()
    if existing:
        return existing
    page = TrainingIndexPage(title="Formations", slug="formations", intro="Le catalogue.")
    HomePage.objects.get().add_child(instance=page)
    return page


def training_page(*, themes=(), competences=(), **kwargs) -> TrainingPage:
    number = next(_numbers)
    kwargs.setdefault("title", f"Accompagner les démarches en ligne n°{number}")
    kwargs.setdefault("slug", f"formation-{number}")
    kwargs.setdefault("summary", "Une journée pour accompagner les usagers.")
    kwargs.setdefault("duration_hours", Decimal("7"))
    page = TrainingPage(**kwargs)
    training_index().add_child(instance=page)
    page.save_revision().publish()
    if themes or competences:
        page.themes.set(themes)
        page.competences.set(competences)
        page.save_revision().publish()
    return TrainingPage.objects.get(pk=page.pk)


def in_days(days: int, hour: int = 9) -> datetime.datetime:
    return (timezone.now() + datetime.timedelta(days=days)).replace(
        hour=hour, minute=0, second=0, microsecond=0
    )


def training_session(training, *, days=10, venue=None, capacity=12, hours=3):
    start = in_days(days)
    return training_session_create(
        training=training,
        start=start,
        end=start + datetime.timedelta(hours=hours),
        venue=venue,
        capacity=capacity,
    )


def past_registration(user, *, training=None, session=None, attended=True, hours=3, days_ago=1):
    """`user` registered on a training session that ended `days_ago` days ago (moved into the
    past after registering, as registration refuses past sessions), marked present or absent
    (None: left confirmed)."""
    from events import services as event_services
    from events.models import Session

    if session is None:
        session = training_session(training or training_page(), days=3, hours=hours)
    else:
        future = in_days(3)
        Session.objects.filter(pk=session.pk).update(
            start=future, end=future + datetime.timedelta(hours=hours)
        )
    registration = event_services.registration_create(session=session, user=user)
    start = in_days(-days_ago, hour=9)
    Session.objects.filter(pk=session.pk).update(
        start=start, end=start + datetime.timedelta(hours=hours)
    )
    registration.session.refresh_from_db()
    if attended is None:
        return registration
    return event_services.registration_mark_attendance(registration=registration, attended=attended)
