"""Reads of the agenda for this app's views and for the apps above it (trainings,
peer_exchange, newsletter, the API, the paper agenda). Every list comes annotated with
`confirmed_total` and `waitlisted_total`, venue and page joined, so that templates showing
seats left make no query per session."""

import datetime

from django.core.cache import cache
from django.db.models import (
    Count,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    TextField,
    Value,
)
from django.db.models.functions import MD5, Cast, Coalesce, Lower
from django.utils import timezone

from core.search import PAGE_DOCUMENT, Document, document_match, page_document_match
from directory.selectors import COMMUNE_NAME, PLACE_COMMUNE, PLACE_NAME

from .models import FeedEvent, Registration, SeatOffer, Session


def _registrations_counted(statuses) -> Coalesce:
    """How many registrations of the row's session have one of `statuses`: a subquery, so
    that a list ordered and cut by the database counts only the sessions it returns (a join
    with GROUP BY counted every registration of every matching session first)."""
    counted = (
        Registration.objects.filter(session=OuterRef("pk"), status__in=statuses)
        .order_by()
        .values("session")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(counted), 0)


def _seats_held() -> Coalesce:
    """Seats of the row's session held by pending offers to the waiting list."""
    held = (
        SeatOffer.objects.filter(session=OuterRef("pk"), status=SeatOffer.Status.PENDING)
        .order_by()
        .values("session")
        .annotate(total=Sum("seats"))
        .values("total")
    )
    return Coalesce(Subquery(held), 0)


def session_queryset(*, live_only: bool = True, counted: bool = True) -> QuerySet[Session]:
    """Sessions (on live pages unless `live_only=False`), annotated with their seat counts
    (`confirmed_total`, `waitlisted_total`, and `held_total` for seats offered and held)
    unless not `counted`."""
    queryset = Session.objects.filter(page__live=True) if live_only else Session.objects.all()
    queryset = queryset.select_related("venue", "outside_commune", "page")
    if not counted:
        return queryset
    return queryset.annotate(
        confirmed_total=_registrations_counted(Registration.SEAT_STATUSES),
        waitlisted_total=_registrations_counted([Registration.Status.WAITLISTED]),
        held_total=_seats_held(),
    )


def _filter(
    queryset,
    *,
    kind=None,
    themes=None,
    departement=None,
    territory=None,
    near=None,
    start=None,
    end=None,
    online=None,
    with_seats=None,
    pages=None,
    include_cancelled=True,
):
    if kind:
        queryset = queryset.filter(kind__in=[kind] if isinstance(kind, str) else kind)
    if themes:
        queryset = queryset.filter(themes__in=themes).distinct()
    if departement:
        queryset = queryset.filter(departement=departement)
    if territory is not None:
        codes = [*territory.departements, *([""] if territory.unplaced else [])]
        queryset = queryset.filter(departement__in=codes)
    if near:
        queryset = queryset.filter(_near_q(*near))
    if start:
        queryset = queryset.filter(start__gte=start)
    if end:
        queryset = queryset.filter(start__lt=end)
    if online is True:
        queryset = queryset.filter(venue__isnull=True, outside_commune__isnull=True)
    elif online is False:
        queryset = queryset.filter(Q(venue__isnull=False) | Q(outside_commune__isnull=False))
    if with_seats:
        queryset = queryset.filter(
            Q(capacity__isnull=True) | Q(capacity__gt=F("confirmed_total") + F("held_total")),
            status=Session.Status.SCHEDULED,
            external_registration_url="",
        )
    if pages is not None:
        queryset = queryset.filter(page__in=pages)
    if not include_cancelled:
        queryset = queryset.filter(status=Session.Status.SCHEDULED)
    return queryset


def _near_q(latitude: float, longitude: float, radius_km: float) -> Q:
    """Sessions held within `radius_km` of a point: at a place, or hors les murs in a
    commune, measured by directory (the one owner of distances)."""
    from directory.selectors import commune_codes_near, place_pks_near

    where = {"latitude": latitude, "longitude": longitude, "radius_km": radius_km}
    return Q(venue_id__in=place_pks_near(**where)) | Q(
        venue__isnull=True, outside_commune_id__in=commune_codes_near(**where)
    )


def session_list_upcoming(
    *,
    kind=None,
    themes=None,
    departement: str | None = None,
    territory=None,
    near: tuple[float, float, float] | None = None,
    start: datetime.datetime | None = None,
    end: datetime.datetime | None = None,
    online: bool | None = None,
    with_seats: bool | None = None,
    pages=None,
    limit: int | None = None,
    include_cancelled: bool = True,
) -> QuerySet[Session]:
    """Sessions not yet over, soonest first, cancelled ones included (feeds must show them)
    unless `include_cancelled=False`. `kind` is a Session.Kind value or a list of them;
    `themes` Theme instances or ids; `start`/`end` bound the start date; `online` True for
    online only, False for in person only; `with_seats` keeps registrable sessions with seats;
    `territory` (directory.forms.Territory) keeps its départements (and online sessions for
    the Hub's territory); `near` (latitude, longitude, radius_km) keeps sessions held within
    the radius."""
    queryset = session_queryset().filter(end__gte=timezone.now())
    queryset = _filter(
        queryset,
        kind=kind,
        themes=themes,
        departement=departement,
        territory=territory,
        near=near,
        start=start,
        end=end,
        online=online,
        with_seats=with_seats,
        pages=pages,
        include_cancelled=include_cancelled,
    ).order_by("start", "pk")
    return queryset[:limit] if limit else queryset


# What the public iCalendar feed writes of a session (events.public_feed), as plain tuples:
# no model instances, no seat counts.
FEED_COLUMNS = (
    "pk",
    "uid",
    "start",
    "end",
    "sequence",
    "updated_at",
    "title",
    "page__title",
    "page__search_description",
    "kind",
    "status",
    "cancel_reason",
    "venue__name",
    "venue__address",
    "venue__postcode",
    "venue__commune",
    "venue__latitude",
    "venue__longitude",
    "outside_commune__name",
    "outside_location",
    "external_uid",
)


def session_rows_upcoming(*, kind=None, theme=None, departement=None) -> QuerySet:
    """Upcoming sessions on live pages, cancelled ones included, as tuples of FEED_COLUMNS."""
    queryset = Session.objects.filter(page__live=True, end__gte=timezone.now())
    queryset = _filter(
        queryset, kind=kind, themes=[theme] if theme else None, departement=departement
    )
    return queryset.order_by("start", "pk").values_list(*FEED_COLUMNS)


_NULL, _SEPARATOR = "\x1e", "\x1f"


class _Joined(Func):
    """Texts joined by `||` in one flat expression (Concat nests a pair per argument, deeper
    than SQLite's parser accepts for a whole row)."""

    arg_joiner = " || "
    template = "(%(expressions)s)"
    output_field = TextField()


def _feed_stamp(salt: str) -> MD5:
    """The fingerprint of a session's feed row, computed by the database: every column of
    FEED_COLUMNS (a missing one told from an empty one) and the writer's `salt`."""
    parts = []
    for column in FEED_COLUMNS:
        parts += [Coalesce(Cast(column, TextField()), Value(_NULL)), Value(_SEPARATOR)]
    return MD5(_Joined(*parts, Value(salt)))


def session_rows_feed_stale(*, salt: str) -> QuerySet:
    """The upcoming sessions whose feed event is missing or was written from other data, as
    tuples of FEED_COLUMNS followed by their fingerprint."""
    current = FeedEvent.objects.filter(session=OuterRef("pk"), stamp=OuterRef("feed_stamp"))
    return (
        Session.objects.filter(page__live=True, end__gte=timezone.now())
        .annotate(feed_stamp=_feed_stamp(salt))
        .filter(~Exists(current))
        .order_by("pk")
        .values_list(*FEED_COLUMNS, "feed_stamp")
    )


def feed_events_upcoming() -> QuerySet:
    """(kind, event) of the upcoming sessions' written feed events, in the feed's order."""
    return (
        FeedEvent.objects.filter(session__page__live=True, session__end__gte=timezone.now())
        .order_by("session__start", "session__pk")
        .values_list("session__kind", "block")
    )


def session_rows_for_sitemap() -> QuerySet:
    """(pk, updated_at) of the upcoming sessions on live pages, soonest first."""
    return (
        Session.objects.filter(page__live=True, end__gte=timezone.now())
        .order_by("start", "pk")
        .values_list("pk", "updated_at")
    )


def session_list_past(
    *, kind=None, themes=None, departement=None, territory=None, near=None, pages=None
) -> QuerySet[Session]:
    """Sessions already over, most recent first: the archive (filters as upcoming ones)."""
    queryset = session_queryset().filter(end__lt=timezone.now())
    return _filter(
        queryset,
        kind=kind,
        themes=themes,
        departement=departement,
        territory=territory,
        near=near,
        pages=pages,
    ).order_by("-start", "-pk")


def session_list_for_page(*, page, upcoming: bool = True) -> list[Session]:
    """A page's sessions (upcoming or past), for `events/components/session_list.html`."""
    if upcoming:
        return list(session_list_upcoming(pages=[page.pk]))
    return list(session_list_past(pages=[page.pk]))


def session_get(*, pk, live_only: bool = True, counted: bool = True) -> Session | None:
    """One session, annotated unless not `counted`; None when it does not exist or its page
    is not live."""
    try:
        return session_queryset(live_only=live_only, counted=counted).get(pk=pk)
    except (Session.DoesNotExist, ValueError, TypeError):
        return None


def registration_get_active(*, session: Session, user) -> Registration | None:
    """The person's active (not cancelled) registration on `session`, if any."""
    if not user.is_authenticated:
        return None
    return (
        Registration.objects.filter(
            session=session, user=user, status__in=Registration.ACTIVE_STATUSES
        )
        .order_by("-pk")
        .first()
    )


def registration_list_for_user(*, user, upcoming: bool | None = None) -> QuerySet[Registration]:
    """The person's registrations (cancelled ones excluded), sessions and places joined, each
    with its `waiting_rank` (meaningful for waitlisted ones).
    `upcoming` True: sessions not over yet, soonest first; False: past ones, latest first."""
    waiting = Registration.Status.WAITLISTED
    ahead = (
        Registration.objects.filter(session_id=OuterRef("session_id"), status=waiting)
        .filter(
            Q(waitlisted_at__lt=OuterRef("waitlisted_at"))
            | Q(waitlisted_at=OuterRef("waitlisted_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("session_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    queryset = (
        Registration.objects.filter(user=user)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("session__venue", "session__outside_commune", "session__page")
        # Rank on the waiting list, in the same query (Registration.waitlist_position's rule).
        .annotate(waiting_rank=Coalesce(Subquery(ahead), 0) + 1)
    )
    now = timezone.now()
    if upcoming is True:
        return queryset.filter(session__end__gte=now).order_by("session__start", "pk")
    if upcoming is False:
        return queryset.filter(session__end__lt=now).order_by("-session__start", "-pk")
    return queryset.order_by("session__start", "pk")


def registration_list_for_session(*, session: Session, statuses=None) -> QuerySet[Registration]:
    """A session's registrations with their people, waiting list in its order."""
    queryset = Registration.objects.filter(session=session).select_related("user")
    if statuses:
        queryset = queryset.filter(status__in=statuses)
    return queryset.order_by("status", "waitlisted_at", "created_at", "pk")


def waiting_list_for_session(*, session: Session) -> list[Registration]:
    """The waiting list in promotion order."""
    return list(
        Registration.objects.filter(session=session, status=Registration.Status.WAITLISTED)
        .select_related("user")
        .order_by("waitlisted_at", "pk")
    )


def registration_list_to_remind(*, day: datetime.date, kind: str) -> QuerySet[Registration]:
    """Confirmed registrations on scheduled sessions starting on `day` that were not sent the
    reminder `kind` yet, of people who did not turn reminders off. Whether the session's page
    sends that reminder is the service's check (page types differ)."""
    from .models import Reminder, ReminderOptOut

    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return Registration.objects.filter(
        status=Registration.Status.CONFIRMED,
        user__isnull=False,
        session__status=Session.Status.SCHEDULED,
        session__start__gte=start,
        session__start__lt=start + datetime.timedelta(days=1),
    ).exclude(
        Q(Exists(Reminder.objects.filter(registration=OuterRef("pk"), kind=kind)))
        | Q(Exists(ReminderOptOut.objects.filter(user=OuterRef("user"))))
    )


def reminders_enabled(*, user) -> bool:
    """False once the person turned reminders off in Mon espace."""
    from .models import ReminderOptOut

    return not ReminderOptOut.objects.filter(user=user).exists()


def session_feed_ics(*, sessions, name: str, method: str = "PUBLISH", statuses=None) -> bytes:
    """An RFC 5545 calendar of `sessions` (see events.ical). `statuses` maps a session pk to a
    registration status, so that waitlisted sessions read TENTATIVE in a personal feed."""
    from .ical import calendar_build

    return calendar_build(sessions=sessions, name=name, method=method, statuses=statuses)


def session_list_at_place(*, place, limit: int = 6) -> list[Session]:
    """The next sessions held at `place`, for the directory's place page."""
    return list(session_list_upcoming(include_cancelled=False).filter(venue=place)[:limit])


def session_list_outside(*, insee_codes: list[str], since_days: int = 365) -> list:
    """Actions hors les murs (no place, a commune) in these communes, from a year ago on, not
    cancelled, as the directory's coverage view reads them (one query)."""
    from directory.outside_actions import OutsideAction

    sessions = (
        Session.objects.filter(
            page__live=True,
            venue__isnull=True,
            outside_commune_id__in=insee_codes,
            start__gte=timezone.now() - datetime.timedelta(days=since_days),
        )
        .exclude(status=Session.Status.CANCELLED)
        .select_related("page")
        .order_by("start", "pk")
    )
    return [
        OutsideAction(
            start=session.start,
            title=session.display_title,
            url=session.get_absolute_url(),
            insee_code=session.outside_commune_id,
            location=session.outside_location,
        )
        for session in sessions
    ]


def session_kind_choices() -> list[tuple[str, str]]:
    """The kinds of session, for forms and blocks of other apps."""
    return list(Session.Kind.choices)


def agenda_items(
    *,
    kind=None,
    themes=None,
    departement: str | None = None,
    territory=None,
    start: datetime.datetime | None = None,
    end: datetime.datetime | None = None,
    created_since: datetime.datetime | None = None,
    limit: int | None = None,
) -> list[Session]:
    """The upcoming, not cancelled sessions to announce, soonest first, in one query (place
    and page joined): the single source of the newsletter's agenda blocks and of the paper
    agenda, so that nothing is retyped. `created_since` keeps sessions announced recently."""
    queryset = session_list_upcoming(
        kind=kind,
        themes=themes,
        departement=departement,
        territory=territory,
        start=start,
        end=end,
        include_cancelled=False,
    )
    if created_since:
        queryset = queryset.filter(created_at__gte=created_since)
    return list(queryset[:limit] if limit else queryset)


def agenda_first_start(
    *, departement: str | None = None, territory=None
) -> datetime.datetime | None:
    """When the first upcoming, not cancelled session starts (None when the agenda is empty):
    the paper agenda opens on its month rather than on an empty one."""
    queryset = Session.objects.filter(
        page__live=True, start__gte=timezone.now(), status=Session.Status.SCHEDULED
    )
    queryset = _filter(queryset, departement=departement, territory=territory)
    return queryset.order_by("start").values_list("start", flat=True).first()


def agenda_departements() -> list[str]:
    """The départements where upcoming sessions take place, in code order. The agenda page
    shows them on every render: with a shared cache they are computed once per data version
    (core.data_version, bumped by every committed write), not by a DISTINCT over all upcoming
    sessions each time."""
    from core import data_version

    def compute() -> list[str]:
        return list(
            Session.objects.filter(
                page__live=True, end__gte=timezone.now(), status=Session.Status.SCHEDULED
            )
            .exclude(departement="")
            .order_by("departement")
            .values_list("departement", flat=True)
            .distinct()
        )

    # A session ending drops its département without a write: an hour bounds that.
    key = f"events:agenda-departements:{data_version.current()}"
    return cache.get_or_set(key, compute, timeout=3600)


# What the portal search reads of the agenda (indexed on PostgreSQL, migrations 0007 and 0009:
# the sessions keep their vector in a stored column).
SESSION_TEXT = Document(
    "events.Session",
    ("title", "outside_location"),
    "events_session_search",
    column="fts_text",
)
CONFERENCE_TEXT = Document("events.ConferencePage", ("intro",), "events_conference_search")
SESSION_SEARCH_DOCUMENTS = [
    ("", SESSION_TEXT),
    ("page", PAGE_DOCUMENT),
    ("venue", PLACE_NAME),
    ("venue", PLACE_COMMUNE),
    ("outside_commune", COMMUNE_NAME),
]


def session_search(*, query: str, limit: int) -> list[Session]:
    """Sessions on live pages whose title, page, place or commune match `query` in French:
    upcoming ones first (soonest first), then past ones (latest first). Two queries."""
    matching = document_match(session_queryset(), documents=SESSION_SEARCH_DOCUMENTS, query=query)
    now = timezone.now()
    upcoming = list(matching.filter(end__gte=now).order_by("start", "pk")[:limit])
    past = list(matching.filter(end__lt=now).order_by("-start", "-pk")[:limit])
    return (upcoming + past)[:limit]


def session_next_by_page(*, page_ids) -> dict[int, Session]:
    """The next scheduled session of each page in `page_ids` (one query)."""
    upcoming = (
        Session.objects.filter(
            page_id__in=list(page_ids), end__gte=timezone.now(), status=Session.Status.SCHEDULED
        )
        .select_related("venue", "outside_commune")
        .order_by("start", "pk")
    )
    following: dict[int, Session] = {}
    for session in upcoming:
        following.setdefault(session.page_id, session)
    return following


def conference_search(*, query: str, limit: int) -> list:
    """Live, public conference and webinar pages matching `query` in French (two queries)."""
    from .models import ConferencePage

    return page_document_match(ConferencePage, document=CONFERENCE_TEXT, query=query, limit=limit)


# --- Figures for the Hub's reports (reports app) --------------------------------------------


def session_list_for_report(
    *,
    start: datetime.date,
    end: datetime.date,
    departement="",
    communes=None,
    theme=None,
    pages=None,
) -> QuerySet[Session]:
    """Sessions held from `start` to `end` (inclusive, Paris days), cancelled ones left out;
    `communes` (INSEE codes, an EPCI's) keeps those at a place or hors les murs there."""
    tz = timezone.get_current_timezone()
    sessions = Session.objects.exclude(status=Session.Status.CANCELLED).filter(
        start__gte=datetime.datetime.combine(start, datetime.time.min, tzinfo=tz),
        start__lt=datetime.datetime.combine(
            end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        ),
    )
    if departement:
        sessions = sessions.filter(departement=departement)
    if communes is not None:
        sessions = sessions.filter(
            Q(venue__insee_code__in=communes) | Q(outside_commune_id__in=communes)
        )
    if theme is not None:
        sessions = sessions.filter(themes=theme)
    if pages is not None:
        sessions = sessions.filter(page_id__in=pages)
    return sessions.distinct()


def registration_figures(*, sessions: QuerySet[Session]) -> dict:
    """Registrations, unique people, attendance, no-shows and waiting-list conversions of
    `sessions`, with the structures and communes reached: a fixed number of queries."""
    registrations = Registration.objects.filter(session__in=sessions.values("pk")).exclude(
        status=Registration.Status.CANCELLED
    )
    totals = registrations.aggregate(
        registrations=Count("pk"),
        people=Count("user", distinct=True),
        attended=Count("pk", filter=Q(status=Registration.Status.ATTENDED)),
        absent=Count("pk", filter=Q(status=Registration.Status.ABSENT)),
        waitlisted=Count("pk", filter=Q(status=Registration.Status.WAITLISTED)),
        converted=Count(
            "pk",
            filter=Q(waitlisted_at__isnull=False, status__in=Registration.SEAT_STATUSES),
        ),
        directory_structures=Count("organisation", distinct=True),
        declared_structures=Count(
            Lower("structure_name"),
            distinct=True,
            filter=Q(organisation__isnull=True) & ~Q(structure_name=""),
        ),
    )
    # Structures reached: those of the directory, plus the employers people declared without
    # being a member of one, as both were when they registered.
    totals["structures"] = totals.pop("directory_structures") + totals.pop("declared_structures")
    marked = totals["attended"] + totals["absent"]
    venues = sessions.order_by().values_list("venue__insee_code", "outside_commune_id")
    communes = {code for pair in venues for code in pair if code}
    return {
        **totals,
        "sessions": sessions.count(),
        "attendance_rate": round(100 * totals["attended"] / marked) if marked else None,
        "communes": len(communes),
    }


def registrations_by_month(*, sessions: QuerySet[Session]) -> list[tuple[str, int, int]]:
    """(« 2026-01 », registrations, attended) per month of the sessions' start, in order."""
    from django.db.models.functions import TruncMonth

    rows = (
        Registration.objects.filter(session__in=sessions.values("pk"))
        .exclude(status=Registration.Status.CANCELLED)
        .annotate(month=TruncMonth("session__start"))
        .values("month")
        .annotate(
            total=Count("pk"), attended=Count("pk", filter=Q(status=Registration.Status.ATTENDED))
        )
        .order_by("month")
    )
    return [(row["month"].strftime("%Y-%m"), row["total"], row["attended"]) for row in rows]


def coordination_activity_rows(*, sessions: QuerySet[Session]):
    """One row per session for La Coop de la médiation numérique's « activités de
    coordination »: type, date, duration (minutes), participants (present, or registered when
    attendance was not taken), themes."""
    rows = (
        sessions.select_related("page")
        .prefetch_related("themes")
        .annotate(
            attended_total=Count(
                "registrations", filter=Q(registrations__status=Registration.Status.ATTENDED)
            ),
            seated_total=Count(
                "registrations", filter=Q(registrations__status__in=Registration.SEAT_STATUSES)
            ),
        )
        .order_by("start", "pk")
    )
    for session in rows:
        yield {
            "session": session,
            "minutes": int((session.end - session.start).total_seconds() // 60),
            "participants": session.attended_total or session.seated_total,
        }


def session_list_week(*, days: int = 7, limit: int = 20) -> list[Session]:
    """Sessions starting from now to the end of the `days`-th day (the admin home's week),
    seats annotated."""
    now = timezone.now()
    until = datetime.datetime.combine(
        timezone.localdate() + datetime.timedelta(days=days + 1),
        datetime.time.min,
        tzinfo=timezone.get_current_timezone(),
    )
    return list(
        session_queryset(live_only=False)
        .filter(start__gte=now, start__lt=until)
        .exclude(status=Session.Status.CANCELLED)
        .order_by("start", "pk")[:limit]
    )


def session_list_needing_attendance(*, since_days: int = 14, limit: int = 20) -> list[Session]:
    """Sessions held in the last `since_days` days (or under way) whose confirmed people are
    not all marked present or absent; `unmarked_total` says how many are left."""
    now = timezone.now()
    return list(
        Session.objects.filter(start__lte=now, end__gte=now - datetime.timedelta(days=since_days))
        .exclude(status=Session.Status.CANCELLED)
        .select_related("page")
        .annotate(unmarked_total=_registrations_counted([Registration.Status.CONFIRMED]))
        .filter(unmarked_total__gt=0)
        .order_by("start", "pk")[:limit]
    )


def waiting_entry_list_for_user(*, user) -> list:
    """The waiting lists a person is on (their own, or a group they asked for or belong to),
    each with its `rank` on the page's list, `people_total`, its sessions and its pending offer
    (`offer`, with its signed `token`, or None): three queries whatever their number."""
    from django.db.models import Prefetch

    from .models import WaitingListEntry

    waiting = WaitingListEntry.Status.WAITING
    ahead = (
        WaitingListEntry.objects.filter(page_id=OuterRef("page_id"), status=waiting)
        .filter(
            Q(created_at__lt=OuterRef("created_at"))
            | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("page_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    entries = list(
        WaitingListEntry.objects.filter(status=waiting)
        .filter(Q(requester=user) | Q(Exists(_person_of(user))))
        .select_related("page", "organisation", "requester")
        .annotate(
            rank=Coalesce(Subquery(ahead), 0) + 1, people_total=Count("people", distinct=True)
        )
        .prefetch_related(
            Prefetch("sessions", queryset=Session.objects.order_by("start", "pk")),
            Prefetch(
                "offers",
                queryset=SeatOffer.objects.filter(status=SeatOffer.Status.PENDING).select_related(
                    "session"
                ),
                to_attr="pending_offers",
            ),
        )
        .order_by("created_at", "pk")
    )
    from .offer_links import seat_offer_token

    for entry in entries:
        entry.offer = entry.pending_offers[0] if entry.pending_offers else None
        if entry.offer is not None:
            entry.offer.token = seat_offer_token(entry.offer)
    return entries


def _person_of(user):
    from .models import WaitingListPerson

    return WaitingListPerson.objects.filter(entry=OuterRef("pk"), user=user)


def session_waiting_count(*, session: Session) -> int:
    """How many people wait for a seat on `session`: its waitlisted registrations and the
    people not yet placed of its page's waiting list who chose it (or any session)."""
    from .models import WaitingListEntry, WaitingListPerson

    chose_some = WaitingListEntry.sessions.through.objects.filter(
        waitinglistentry_id=OuterRef("entry_id")
    )
    chose_it = chose_some.filter(session_id=session.pk)
    people = WaitingListPerson.objects.filter(
        entry__page_id=session.page_id,
        entry__status=WaitingListEntry.Status.WAITING,
        registration__isnull=True,
    ).filter(Q(Exists(chose_it)) | ~Exists(chose_some))
    waitlisted = getattr(session, "waitlisted_total", None)
    if waitlisted is None:
        waitlisted = session.registrations.filter(status=Registration.Status.WAITLISTED).count()
    return waitlisted + people.count()


def seat_offer_get(*, pk: int):
    """One offer with its entry, session and page, or None."""
    return (
        SeatOffer.objects.select_related(
            "entry__requester",
            "entry__organisation",
            "session__page",
            "session__venue",
            "session__outside_commune",
        )
        .filter(pk=pk)
        .first()
    )


def waiting_list_sessions(*, page) -> list[Session]:
    """The upcoming sessions of `page` one may wait for, annotated with their seats."""
    return list(
        session_queryset()
        .filter(
            page_id=page.pk,
            status=Session.Status.SCHEDULED,
            start__gt=timezone.now(),
            external_registration_url="",
        )
        .order_by("start", "pk")
    )


def waiting_entry_list_for_session(*, session: Session) -> list:
    """For the staff's session desk: the page's waiting entries that include `session` (ticked
    or any), oldest first, each with `people_total` and `offer` (its pending offer on this
    session, or None). Three queries."""
    from django.db.models import Prefetch

    from .models import WaitingListEntry

    chose_some = WaitingListEntry.sessions.through.objects.filter(
        waitinglistentry_id=OuterRef("pk")
    )
    entries = list(
        WaitingListEntry.objects.filter(
            page_id=session.page_id, status=WaitingListEntry.Status.WAITING
        )
        .filter(Q(Exists(chose_some.filter(session_id=session.pk))) | ~Exists(chose_some))
        .select_related("requester", "organisation")
        .annotate(people_total=Count("people", distinct=True))
        .prefetch_related(
            Prefetch(
                "offers",
                queryset=SeatOffer.objects.filter(session=session, status=SeatOffer.Status.PENDING),
                to_attr="pending_here",
            )
        )
        .order_by("created_at", "pk")
    )
    for entry in entries:
        entry.offer = entry.pending_here[0] if entry.pending_here else None
    return entries
