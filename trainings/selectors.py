"""Reads of the catalogue. A catalogue page costs a constant number of queries whatever the
number of trainings: filtered on its sessions (near a commune, a month…), the first matching
session of each training is found in one pass over the matching sessions; otherwise the next
session of each training by a subquery. The sessions of the shown page are then loaded in one
query (events' annotated session_queryset)."""

import datetime

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from core.search import Document, page_document_match
from directory.selectors import place_pks_near
from events.dates import month_bounds
from events.models import Registration, Session
from events.selectors import session_queryset

from .models import SatisfactionAnswer, TrainingIndexPage, TrainingPage

# Who is asked: people who held a seat; absent people are not.
QUESTIONNAIRE_STATUSES = (Registration.Status.CONFIRMED, Registration.Status.ATTENDED)


def _session_filter(
    *,
    month: datetime.date | None = None,
    departement: str | None = None,
    commune: str | None = None,
    near: tuple[float, float] | None = None,
    radius_km: float | None = None,
    with_seats: bool = False,
    include_cancelled: bool = False,
    **_ignored,
) -> tuple[QuerySet[Session], bool]:
    """Upcoming training sessions matching the session-level filters, and whether any such
    filter is active (then a training without a matching session is left out). Feeds include
    cancelled sessions so that calendars learn about the cancellation."""
    sessions = Session.objects.filter(kind=Session.Kind.TRAINING, start__gt=timezone.now())
    if not include_cancelled:
        sessions = sessions.filter(status=Session.Status.SCHEDULED)
    active = False
    if month:
        start, end = month_bounds(month.year, month.month)
        sessions = sessions.filter(start__gte=start, start__lt=end)
        active = True
    if departement:
        sessions = sessions.filter(departement=departement)
        active = True
    if commune:
        sessions = sessions.filter(venue__commune__iexact=commune)
        active = True
    if near and radius_km:
        latitude, longitude = near
        sessions = sessions.filter(
            venue_id__in=place_pks_near(latitude=latitude, longitude=longitude, radius_km=radius_km)
        )
        active = True
    if with_seats:
        taken = (
            Registration.objects.filter(
                session=OuterRef("pk"), status__in=Registration.SEAT_STATUSES
            )
            .order_by()
            .values("session")
            .annotate(total=Count("pk"))
            .values("total")
        )
        sessions = sessions.filter(external_registration_url="").filter(
            Q(capacity__isnull=True) | Q(capacity__gt=Coalesce(Subquery(taken), Value(0)))
        )
        active = True
    return sessions, active


def _session_filters_active(
    *,
    month=None,
    departement=None,
    commune=None,
    near=None,
    radius_km=None,
    with_seats=False,
    **_ignored,
) -> bool:
    """Whether `_session_filter` would filter (then a training without a matching session is
    left out), without building its querysets."""
    return bool(month or departement or commune or (near and radius_km) or with_seats)


def _training_filter(
    *,
    index: TrainingIndexPage | None = None,
    q: str = "",
    themes=(),
    competences=(),
    level: str = "",
    format: str = "",
    free: bool = False,
) -> QuerySet[TrainingPage]:
    """Live trainings matching the training-level filters (may repeat a training when a theme
    or competence filter joins). Full-text search uses Wagtail search (French configuration)."""
    trainings = TrainingPage.objects.live()
    if index is not None:
        trainings = trainings.child_of(index)
    if q:
        matching = [page.pk for page in trainings.search(q, operator="and")]
        trainings = trainings.filter(pk__in=matching)
    if themes:
        trainings = trainings.filter(themes__in=themes)
    if competences:
        trainings = trainings.filter(competences__in=competences)
    if level:
        trainings = trainings.filter(level=level)
    if format:
        trainings = trainings.filter(format=format)
    if free:
        trainings = trainings.filter(cost=0)
    return trainings


def _split_filters(filters: dict) -> tuple[dict, dict]:
    training_names = {"index", "q", "themes", "competences", "level", "format", "free"}
    return (
        {name: value for name, value in filters.items() if name in training_names},
        {name: value for name, value in filters.items() if name not in training_names},
    )


def training_list_catalogue(**filters) -> QuerySet[TrainingPage]:
    """Live trainings matching the filters, annotated with `next_session_pk` and
    `next_session_start` (their first matching upcoming session), soonest first and those
    without a date last. Full-text search uses Wagtail search (French configuration)."""
    training_filters, session_filters = _split_filters(filters)
    trainings = _training_filter(**training_filters)
    sessions, active = _session_filter(**session_filters)
    first = sessions.filter(page_id=OuterRef("pk")).order_by("start", "pk")
    if active:
        trainings = trainings.filter(Exists(sessions.filter(page_id=OuterRef("pk"))))
    if training_filters.get("themes") or training_filters.get("competences"):
        trainings = trainings.distinct()
    return (
        trainings.annotate(
            next_session_pk=Subquery(first.values("pk")[:1]),
            next_session_start=Subquery(first.values("start")[:1]),
        )
        .select_related("organiser")
        .prefetch_related("themes")
        .order_by(F("next_session_start").asc(nulls_last=True), "title", "pk")
    )


def _first_session_of_each_page(sessions: QuerySet[Session]) -> QuerySet[Session]:
    """The first of `sessions` (soonest, then lowest pk) of each page, in one pass over them:
    `DISTINCT ON (page_id)` on PostgreSQL, `ROW_NUMBER()` per page elsewhere (SQLite); the
    same rows either way."""
    if connections[sessions.db].features.can_distinct_on_fields:
        return sessions.order_by("page_id", "start", "pk").distinct("page_id")
    return sessions.annotate(
        rank=Window(RowNumber(), partition_by=F("page_id"), order_by=(F("start"), F("pk")))
    ).filter(rank=1)


def training_next_sessions(**filters) -> QuerySet[Session]:
    """The first matching upcoming session of each matching training (the catalogue's
    filters), unordered, as rows `first_pk`, `first_page`, `first_start`, `first_title` (the
    training's title): the matching sessions (near a point: the places and stops within the
    radius first, joined on the venue), then the first of each training, in one pass."""
    training_filters, session_filters = _split_filters(filters)
    trainings = _training_filter(**training_filters).order_by().values("pk")
    sessions, _active = _session_filter(**session_filters)
    first = _first_session_of_each_page(sessions.filter(page_id__in=trainings))
    return first.values(
        first_pk=F("pk"),
        first_page=F("page_id"),
        first_start=F("start"),
        first_title=F("page__title"),
    )


def _first_sessions_window(first: QuerySet[Session], *, offset: int, limit: int) -> list:
    """One slice of `training_next_sessions` in the catalogue's order (soonest, then the
    training's title and pk), each row (session pk, page pk, start, number of rows in all):
    the first sessions are a derived table read once, sorted and counted in the same
    statement (`COUNT(*) OVER ()`), instead of joining the sessions again by key."""
    sql, params = first.query.sql_with_params()
    statement = (
        'SELECT "first_pk", "first_page", "first_start", COUNT(*) OVER () '  # noqa: S608
        f'FROM ({sql}) "first" ORDER BY "first_start", "first_title", "first_page" '
        "LIMIT %s OFFSET %s"
    )
    connection = connections[first.db]
    with connection.cursor() as cursor:
        cursor.execute(statement, [*params, limit, offset])
        rows = cursor.fetchall()
    start = Session._meta.get_field("start").get_col("first")  # read as the ORM reads it
    converters = connection.ops.get_db_converters(start) + start.get_db_converters(connection)
    shown = []
    for pk, page_id, value, total in rows:
        for converter in converters:
            value = converter(value, start, connection)
        shown.append((pk, page_id, value, total))
    return shown


def training_list_public(**filters) -> QuerySet[TrainingPage]:
    """The catalogue as the open API publishes it: `training_list_catalogue` (same filters)
    without pages restricted to some visitors, with `upcoming_sessions_total` (scheduled
    sessions to come) and the competences."""
    upcoming = (
        Session.objects.filter(
            page_id=OuterRef("pk"),
            kind=Session.Kind.TRAINING,
            status=Session.Status.SCHEDULED,
            start__gt=timezone.now(),
        )
        .order_by()
        .values("page_id")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return (
        training_list_catalogue(**filters)
        .public()
        .annotate(upcoming_sessions_total=Coalesce(Subquery(upcoming), Value(0)))
        .prefetch_related("competences")
    )


class _PageWithTotal:
    """What Paginator pages through: the asked page of a list and the number of matches read
    in one statement (`COUNT(*) OVER ()` beside each row), instead of a COUNT repeating every
    filter and then the page. `fetch(offset, limit)` gives the rows shown, each with its
    `matching_total`; a page past the end (Paginator then shows the last) costs one more."""

    def __init__(self, fetch, *, start: int, size: int):
        self.fetch, self.start, self.size = fetch, start, size
        self.rows: list | None = None

    def _window(self) -> list:
        if self.rows is None:
            self.rows = self.fetch(self.start, self.size)
        return self.rows

    def count(self) -> int:
        rows = self._window() or self.fetch(0, 1)
        return rows[0].matching_total if rows else 0

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list:
        if index.start == self.start and index.stop - index.start <= self.size:
            return self._window()[: index.stop - index.start]
        return self.fetch(index.start, index.stop - index.start)


def _trainings_of_first_sessions(rows) -> list[TrainingPage]:
    """The trainings of `rows` (`_first_sessions_window`), in order, each with its
    `next_session` (annotated with seats) and `matching_total`: two queries and the themes."""
    trainings = (
        TrainingPage.objects.select_related("organiser")
        .prefetch_related("themes")
        .in_bulk([page_id for _pk, page_id, _start, _total in rows])
    )
    sessions = session_queryset().in_bulk([pk for pk, _page_id, _start, _total in rows])
    shown = []
    for pk, page_id, start, total in rows:
        training = trainings.get(page_id)
        if training is not None:
            training.next_session_pk, training.next_session_start = pk, start
            training.next_session = sessions.get(pk)
            training.matching_total = total
            shown.append(training)
    return shown


def _start_of(number, per_page: int) -> int:
    try:
        return max(int(number) - 1, 0) * per_page
    except (TypeError, ValueError):
        return 0


def training_page_of_catalogue(*, number, per_page: int, **filters):
    """The asked page of the catalogue (`training_list_catalogue`'s filters and order), each
    training with its `next_session` (annotated with seats), and the total, in a constant
    number of queries. With a session filter (near a commune, a month…), one statement finds
    the first matching session of each training, orders, counts and cuts the page
    (`training_next_sessions`); without one, each training's next session comes from a
    subquery, and trainings without a date come last."""
    start = _start_of(number, per_page)
    _training_filters, session_filters = _split_filters(filters)
    if _session_filters_active(**session_filters):
        first = training_next_sessions(**filters)

        def fetch(offset: int, limit: int) -> list[TrainingPage]:
            rows = _first_sessions_window(first, offset=offset, limit=limit)
            return _trainings_of_first_sessions(rows)

        return Paginator(_PageWithTotal(fetch, start=start, size=per_page), per_page).get_page(
            number
        )
    queryset = training_list_catalogue(**filters)
    if queryset.query.distinct:
        # The window would count a training twice when a theme or competence filter repeats it.
        page = Paginator(queryset, per_page).get_page(number)
    else:
        counted = queryset.annotate(matching_total=Window(Count("pk")))

        def fetch(offset: int, limit: int) -> list[TrainingPage]:
            return list(counted[offset : offset + limit])

        page = Paginator(_PageWithTotal(fetch, start=start, size=per_page), per_page).get_page(
            number
        )
    training_attach_next_sessions(trainings=page.object_list)
    return page


def training_attach_next_sessions(*, trainings) -> None:
    """Set `next_session` (annotated with seats) on each training of a shown page, in one
    query."""
    trainings = list(trainings)
    pks = [training.next_session_pk for training in trainings if training.next_session_pk]
    sessions = {session.pk: session for session in session_queryset().filter(pk__in=pks)}
    for training in trainings:
        training.next_session = sessions.get(training.next_session_pk)


def training_session_list(*, index: TrainingIndexPage | None = None, **filters):
    """Every matching upcoming session of the matching trainings, for the feeds."""
    catalogue = training_list_catalogue(index=index, **filters).order_by().values("pk")
    sessions, _active = _session_filter(include_cancelled=True, **filters)
    return (
        session_queryset()
        .filter(pk__in=sessions.values("pk"), page_id__in=catalogue)
        .order_by("start", "pk")[:500]
    )


def _own_training_registration(*, pk, user, statuses):
    registration = (
        Registration.objects.filter(
            pk=pk, user=user, status__in=statuses, session__kind=Session.Kind.TRAINING
        )
        .select_related("session__venue", "session__outside_commune", "session__page", "user")
        .first()
    )
    if registration is None:
        return None
    registration.training = (
        TrainingPage.objects.filter(pk=registration.session.page_id)
        .select_related("organiser")
        .first()
    )
    return registration if registration.training else None


def registration_get_certifiable(*, pk, user) -> Registration | None:
    """The person's own registration marked present on a past training session, with its
    `training`; None for anyone else's, a non-attendee's or an unknown one."""
    registration = _own_training_registration(
        pk=pk, user=user, statuses=[Registration.Status.ATTENDED]
    )
    if registration is None or registration.session.end > timezone.now():
        return None
    return registration


def registration_get_for_questionnaire(*, pk, user) -> Registration | None:
    """The person's own registration on an ended training session they held a seat on,
    with `answered`; None otherwise."""
    registration = _own_training_registration(pk=pk, user=user, statuses=QUESTIONNAIRE_STATUSES)
    if registration is None or registration.session.end > timezone.now():
        return None
    registration.answered = SatisfactionAnswer.objects.filter(registration=registration).exists()
    return registration


def training_registration_list_past(*, user) -> list[Registration]:
    """The person's past training registrations for Mon espace, with what they may download
    or answer (`certificate_available`, `questionnaire_available`)."""
    registrations = list(
        Registration.objects.filter(
            user=user,
            session__kind=Session.Kind.TRAINING,
            session__end__lt=timezone.now(),
            status__in=[*QUESTIONNAIRE_STATUSES, Registration.Status.ABSENT],
        )
        .select_related("session__page")
        .annotate(answered=Exists(SatisfactionAnswer.objects.filter(registration=OuterRef("pk"))))
        .order_by("-session__start")
    )
    for registration in registrations:
        registration.certificate_available = registration.status == Registration.Status.ATTENDED
        registration.questionnaire_available = (
            registration.status in QUESTIONNAIRE_STATUSES and not registration.answered
        )
    return registrations


def satisfaction_summary_list() -> QuerySet[TrainingPage]:
    """Per training: number of answers, average rating, share who would recommend."""
    from django.db.models import Avg

    return (
        TrainingPage.objects.filter(satisfaction_answers__isnull=False)
        .annotate(
            answers_total=Count("satisfaction_answers"),
            rating_average=Avg("satisfaction_answers__rating"),
            recommend_total=Count(
                "satisfaction_answers", filter=Q(satisfaction_answers__would_recommend=True)
            ),
        )
        .order_by("title")
    )


def certificate_get_by_token(*, token: str):
    """The certificate a signed identifier names, for the public verification page; None for
    a forged, mistyped or unknown one (the signature is checked before any query)."""
    from .certificates import certificate_code_from_token
    from .models import Certificate

    code = certificate_code_from_token(token)
    if code is None:
        return None
    return Certificate.objects.filter(code=code).first()


def certificate_list_for_session(*, session_pk) -> list:
    """A session's issued certificates, by name, for the staff's certificate desk."""
    from .models import Certificate

    return list(
        Certificate.objects.filter(registration__session_id=session_pk)
        .select_related("registration__user")
        .order_by("name", "pk")
    )


# What the portal search reads of a training (indexed on PostgreSQL, migration 0005).
TRAINING_TEXT = Document(
    "trainings.TrainingPage",
    ("summary", "objectives", "prerequisites", "trainers"),
    "trainings_training_search",
)


def training_search(*, query: str, limit: int) -> list[TrainingPage]:
    """Live trainings whose title, summary, objectives, prerequisites or trainers match
    `query` in French."""
    return page_document_match(TrainingPage, document=TRAINING_TEXT, query=query, limit=limit)


def satisfaction_figures(*, sessions) -> dict:
    """Answers, average rating (out of 5) and share who would recommend, for `sessions`."""
    from django.db.models import Avg

    totals = SatisfactionAnswer.objects.filter(
        registration__session__in=sessions.values("pk")
    ).aggregate(
        answers=Count("pk"),
        rating=Avg("rating"),
        recommend=Count("pk", filter=Q(would_recommend=True)),
    )
    answers = totals["answers"]
    return {
        "answers": answers,
        "rating": round(totals["rating"], 1) if totals["rating"] is not None else None,
        "recommend_rate": round(100 * totals["recommend"] / answers) if answers else None,
    }


def training_page_ids(*, organiser=None) -> list[int]:
    """Training pages, all or those of one organiser (a partner structure)."""
    pages = TrainingPage.objects.all()
    if organiser is not None:
        pages = pages.filter(organiser=organiser)
    return list(pages.values_list("pk", flat=True))


def training_list_for_choice():
    """Training pages by title (a report's filter)."""
    return TrainingPage.objects.order_by("title")


def training_organiser_list():
    """The partner structures that organise at least one training (a report's filter)."""
    from directory.models import Organisation

    return Organisation.objects.filter(
        pk__in=TrainingPage.objects.filter(organiser__isnull=False).values("organiser")
    ).order_by("name")


def passport_registrations(*, user) -> list[Registration]:
    """The skills passport: every training session the person attended (marked present, over),
    latest first, each with `training` and its themes and skills loaded (three queries)."""
    registrations = list(
        Registration.objects.filter(
            user=user,
            status=Registration.Status.ATTENDED,
            session__kind=Session.Kind.TRAINING,
            session__end__lt=timezone.now(),
        )
        .select_related("session")
        .order_by("-session__start", "-pk")
    )
    trainings = {
        training.pk: training
        for training in TrainingPage.objects.filter(
            pk__in={registration.session.page_id for registration in registrations}
        ).prefetch_related("themes", "competences")
    }
    for registration in registrations:
        registration.training = trainings.get(registration.session.page_id)
    return [registration for registration in registrations if registration.training]
