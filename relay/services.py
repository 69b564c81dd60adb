"""Relaying partners' agendas: add a source, fetch it, bring its events into the agenda through
events' services, and let staff publish, merge or set aside what waits for them.

One fetch is one transaction: either every change it brings is written, or (a feed that cannot
be read, an error half way) none is, and the source's report says why. The HTTP request runs
before the transaction, so no database row waits on a slow partner. A source that fails is
retried later and later (its interval doubled per consecutive failure, up to a day)."""

import dataclasses
import datetime
import difflib
import html
import re
import unicodedata

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from directory import selectors as directory_selectors
from events import services as event_services
from events.models import AgendaIndexPage, ConferencePage, Session, SessionPageMixin

from . import fetch as relay_fetch
from .models import RelayedEvent, RelaySource
from .parsers import PARSERS, Occurrence, ParseError

MAX_BACKOFF = datetime.timedelta(days=1)
DUPLICATE_WINDOW = datetime.timedelta(minutes=30)
DUPLICATE_TITLE_RATIO = 0.6
POSTCODE_CITY = re.compile(r"\b(\d{5})\s+([^,\n;]+)")


@dataclasses.dataclass
class Report:
    """What one fetch did, kept on the source as JSON and printed by `relay_fetch`."""

    status: str = RelaySource.Status.OK
    error: str = ""
    created: list[str] = dataclasses.field(default_factory=list)
    updated: list[str] = dataclasses.field(default_factory=list)
    cancelled: list[str] = dataclasses.field(default_factory=list)
    pending: list[str] = dataclasses.field(default_factory=list)
    refused: list[dict] = dataclasses.field(default_factory=list)
    unchanged: int = 0

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)

    def summary(self) -> str:
        if self.status == RelaySource.Status.ERROR:
            return _("Erreur : %(error)s") % {"error": self.error}
        if self.status == RelaySource.Status.UNCHANGED:
            return _("Inchangé depuis le dernier relevé (304).")
        # « label : count » reads right for 0, 1 or 12 without a hedged « (s) ».
        return _(
            "Créés : %(created)s ; mis à jour : %(updated)s ; annulés : %(cancelled)s ; "
            "à valider : %(pending)s ; refusés : %(refused)s ; inchangés : %(unchanged)s."
        ) % {
            "created": len(self.created),
            "updated": len(self.updated),
            "cancelled": len(self.cancelled),
            "pending": len(self.pending),
            "refused": len(self.refused),
            "unchanged": self.unchanged,
        }


def _default_page(*, name: str) -> ConferencePage:
    """A page of the agenda for a new source's sessions, created unpublished-free: it is live,
    so the relayed sessions show in the agenda like any other."""
    agenda = AgendaIndexPage.objects.first()
    if agenda is None:
        raise DomainError(
            _("Créez d'abord la page Agenda : les sessions relayées s'y rangent."),
            code="no_agenda",
        )
    page = ConferencePage(
        title=name[:255],
        intro=_("Les dates relayées depuis l'agenda « %(name)s ».") % {"name": name},
    )
    agenda.add_child(instance=page)
    return page


@transaction.atomic
def source_create(
    *,
    url: str,
    kind: str,
    name: str = "",
    publish_directly: bool = False,
    page=None,
    organisation=None,
    session_kind: str = Session.Kind.TRAINING,
    themes=(),
    commune=None,
    interval_minutes: int = 60,
) -> RelaySource:
    """Subscribe to a partner's feed. Without a page, a page of the agenda is created for it.

    Raises DomainError: "kind", "scheme" (only http and https), "not_a_session_page",
    "no_agenda".
    """
    if kind not in RelaySource.Kind.values:
        raise DomainError(
            _("Format inconnu « %(kind)s » : ics, rss ou openagenda.") % {"kind": kind},
            code="kind",
        )
    if not relay_fetch.web_scheme(url):
        raise DomainError(
            _("Seules les adresses http et https sont relevées (%(url)s).") % {"url": url},
            code="scheme",
        )
    name = (name or relay_fetch.host_of(url) or url)[:255]
    if page is None:
        page = _default_page(name=name)
    elif not isinstance(page.specific, SessionPageMixin):
        raise DomainError(
            _("Cette page ne reçoit pas de sessions : choisissez une page de l'agenda."),
            code="not_a_session_page",
        )
    source = RelaySource(
        name=name,
        url=url,
        kind=kind,
        publish_directly=publish_directly,
        page=page,
        organisation=organisation,
        session_kind=session_kind,
        commune=commune,
        interval_minutes=max(interval_minutes, 5),
        next_fetch_at=timezone.now(),
    )
    source.full_clean(exclude=["page"])
    source.save()
    if themes:
        source.themes.set(themes)
    return source


def _normalised(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "").casefold()
    return " ".join(
        "".join(
            ch if ch.isalnum() else " " for ch in decomposed if not unicodedata.combining(ch)
        ).split()
    )


def _same_place(session: Session, location: str) -> bool:
    where = _normalised(location)
    if session.venue_id:
        names = [session.venue.name, session.venue.commune]
    elif session.outside_commune_id:
        names = [session.outside_location, session.outside_commune.name]
    else:
        return not where
    return any(name and _normalised(name) in where for name in names) or not where


def _duplicate_of(source: RelaySource, occurrence: Occurrence) -> Session | None:
    """A session already in the agenda, not from this source, at the same time and place with
    a similar title: proposed to staff for merging rather than published twice."""
    candidates = (
        Session.objects.filter(
            start__gte=occurrence.start - DUPLICATE_WINDOW,
            start__lte=occurrence.start + DUPLICATE_WINDOW,
            status=Session.Status.SCHEDULED,
        )
        .exclude(relayed_from=source.name, page=source.page)
        .select_related("venue", "outside_commune", "page")[:20]
    )
    title = _normalised(occurrence.title)
    for session in candidates:
        ratio = difflib.SequenceMatcher(None, title, _normalised(session.display_title)).ratio()
        titles = [_normalised(session.title), _normalised(session.page.title)]
        similar = ratio >= DUPLICATE_TITLE_RATIO or any(
            part and (part in title or title in part) for part in titles
        )
        if similar and _same_place(session, occurrence.location):
            return session
    return None


class _Places:
    """The commune of an occurrence's location (« 35000 Rennes »), remembered per fetch."""

    def __init__(self, default):
        self.default = default
        self.known = {}

    def commune(self, location: str):
        if location not in self.known:
            found = None
            match = POSTCODE_CITY.search(location or "")
            if match:
                communes = directory_selectors.commune_find(
                    query=f"{match[2].strip()} ({match[1]})"
                )
                found = communes[0] if communes else None
            self.known[location] = found or self.default
        return self.known[location]


def _session_fields(source: RelaySource, occurrence: Occurrence, places: _Places) -> dict:
    commune = places.commune(occurrence.location) if occurrence.location else None
    description = occurrence.description
    if occurrence.location and commune is None:
        # A place in no known commune: said in the presentation, so it never reads « en ligne »
        # alone.
        place = html.escape(occurrence.location)
        description = f"<p>{_('Lieu :')} {place}</p>{description}"
    return {
        "title": occurrence.title,
        "start": occurrence.start,
        "end": occurrence.end,
        "outside_commune": commune,
        "outside_location": occurrence.location if commune else "",
        "external_registration_url": occurrence.url or source.url,
        "description": description,
    }


def _publish(relayed: RelayedEvent, occurrence: Occurrence, places: _Places) -> Session:
    source = relayed.source
    session = event_services.session_create(
        page=source.page,
        kind=source.session_kind,
        relayed_from=source.name,
        external_uid=occurrence.key,
        themes=list(source.themes.all()),
        **_session_fields(source, occurrence, places),
    )
    relayed.session = session
    relayed.status = RelayedEvent.Status.PUBLISHED
    return session


def _cancel_session(relayed: RelayedEvent, reason: str) -> bool:
    session = relayed.session
    if session is None or session.is_cancelled:
        return False
    event_services.session_cancel(session=session, reason=reason)
    return True


def _apply(occurrence: Occurrence, relayed: RelayedEvent) -> None:
    relayed.uid = occurrence.uid
    relayed.title = occurrence.title
    relayed.description = occurrence.description
    relayed.start = occurrence.start
    relayed.end = occurrence.end
    relayed.location = occurrence.location
    relayed.url = occurrence.url
    relayed.fingerprint = occurrence.fingerprint()


def _sync(source: RelaySource, occurrences: list[Occurrence], seen_keys, report: Report) -> None:
    """Bring the feed's occurrences into the agenda (called inside the fetch's transaction)."""
    now = timezone.now()
    places = _Places(source.commune)
    existing = {relayed.key: relayed for relayed in source.events.select_related("session")}
    present = set(seen_keys)
    for occurrence in occurrences:
        present.add(occurrence.key)
        relayed = existing.get(occurrence.key)
        if relayed is None:
            _sync_new(source, occurrence, places, report, now)
            continue
        relayed.seen_at = now
        if relayed.fingerprint == occurrence.fingerprint():
            relayed.save(update_fields=["seen_at"])
            report.unchanged += 1
            continue
        _sync_changed(relayed, occurrence, places, report)
    for key, relayed in existing.items():
        if key in present or relayed.end < now:
            continue
        if relayed.status in (RelayedEvent.Status.CANCELLED, RelayedEvent.Status.REFUSED):
            continue
        reason = _("Retiré de l'agenda « %(source)s ».") % {"source": source.name}
        _cancel_session(relayed, reason)
        relayed.status = RelayedEvent.Status.CANCELLED
        relayed.save(update_fields=["status"])
        report.cancelled.append(relayed.title)


def _sync_new(source, occurrence: Occurrence, places, report: Report, now) -> None:
    relayed = RelayedEvent(source=source, key=occurrence.key, seen_at=now)
    _apply(occurrence, relayed)
    if occurrence.cancelled:
        relayed.status = RelayedEvent.Status.CANCELLED
        relayed.save()
        return
    relayed.duplicate_of = _duplicate_of(source, occurrence)
    if source.publish_directly and relayed.duplicate_of is None:
        try:
            with transaction.atomic():
                _publish(relayed, occurrence, places)
        except DomainError as error:
            report.refused.append({"event": occurrence.title, "reason": error.message})
            relayed.status = RelayedEvent.Status.REFUSED
            relayed.save()
            return
        report.created.append(occurrence.title)
    else:
        report.pending.append(occurrence.title)
    relayed.save()


def _sync_changed(relayed: RelayedEvent, occurrence: Occurrence, places, report: Report) -> None:
    source = relayed.source
    _apply(occurrence, relayed)
    if occurrence.cancelled:
        if relayed.status != RelayedEvent.Status.CANCELLED:
            reason = _("Annulé par l'agenda « %(source)s ».") % {"source": source.name}
            _cancel_session(relayed, reason)
            relayed.status = RelayedEvent.Status.CANCELLED
            report.cancelled.append(occurrence.title)
        relayed.save()
        return
    session = relayed.session
    if relayed.status == RelayedEvent.Status.PUBLISHED and session is not None:
        if session.is_cancelled:
            report.refused.append(
                {
                    "event": occurrence.title,
                    "reason": _("la session a été annulée ici : elle n'est plus mise à jour"),
                }
            )
        else:
            try:
                with transaction.atomic():
                    event_services.session_update(
                        session=session, **_session_fields(source, occurrence, places)
                    )
            except DomainError as error:
                report.refused.append({"event": occurrence.title, "reason": error.message})
                relayed.save()
                return
            report.updated.append(occurrence.title)
    elif relayed.status == RelayedEvent.Status.CANCELLED:
        # Back in the feed after a cancellation: staff decide whether it runs again.
        relayed.status = RelayedEvent.Status.PENDING
        relayed.session = None
        report.pending.append(occurrence.title)
    else:
        report.updated.append(occurrence.title)
    relayed.save()


def _backoff(source: RelaySource) -> datetime.timedelta:
    interval = datetime.timedelta(minutes=source.interval_minutes)
    return min(interval * (2 ** min(source.failures, 10)), MAX_BACKOFF)


def source_claim(*, source: RelaySource) -> bool:
    """Take the next fetch of `source` for this process (a second worker given the same source
    finds it taken): its next fetch is moved one interval on before any request."""
    now = timezone.now()
    claimed = RelaySource.objects.filter(pk=source.pk, next_fetch_at=source.next_fetch_at).update(
        next_fetch_at=now + datetime.timedelta(minutes=source.interval_minutes)
    )
    return bool(claimed)


def source_fetch(*, source: RelaySource) -> Report:
    """Fetch one source now and bring its events into the agenda; returns (and keeps on the
    source) the report. Never raises for a broken feed: the error is the report."""
    report = Report()
    try:
        fetched = relay_fetch.fetch(
            source.url, etag=source.etag, last_modified=source.last_modified
        )
        if fetched.content is None:
            report.status = RelaySource.Status.UNCHANGED
        else:
            parsed = PARSERS[source.kind](fetched.content)
            report.refused += [
                {"event": refusal.label, "reason": refusal.reason} for refusal in parsed.refused
            ]
            with transaction.atomic():
                locked = RelaySource.objects.select_for_update().get(pk=source.pk)
                _sync(locked, parsed.occurrences, parsed.seen_keys, report)
            source.etag, source.last_modified = fetched.etag, fetched.last_modified
    except (relay_fetch.FetchError, ParseError) as error:
        report = Report(status=RelaySource.Status.ERROR, error=error.message)
    _record(source, report)
    return report


def _record(source: RelaySource, report: Report) -> None:
    now = timezone.now()
    source.fetched_at = now
    source.status = report.status
    source.error = report.error
    source.report = report.as_dict()
    if report.status == RelaySource.Status.ERROR:
        source.failures += 1
    else:
        source.failures = 0
    source.next_fetch_at = now + _backoff(source)
    source.save(
        update_fields=[
            "fetched_at",
            "status",
            "error",
            "report",
            "failures",
            "next_fetch_at",
            "etag",
            "last_modified",
        ]
    )


def _waiting(relayed: RelayedEvent) -> RelayedEvent:
    relayed = RelayedEvent.objects.select_for_update().select_related("source").get(pk=relayed.pk)
    if relayed.status != RelayedEvent.Status.PENDING:
        raise DomainError(
            _("Cet événement n'attend plus de décision (%(status)s).")
            % {"status": relayed.get_status_display()},
            code="not_pending",
        )
    return relayed


def _occurrence_of(relayed: RelayedEvent) -> Occurrence:
    return Occurrence(
        key=relayed.key,
        uid=relayed.uid,
        title=relayed.title,
        start=relayed.start,
        end=relayed.end,
        description=relayed.description,
        location=relayed.location,
        url=relayed.url,
    )


@transaction.atomic
def relayed_event_publish(*, relayed: RelayedEvent) -> RelayedEvent:
    """Staff publish an event that waited for them: it becomes a session of the agenda.

    Raises DomainError "not_pending", and those of events' session_create."""
    relayed = _waiting(relayed)
    _publish(relayed, _occurrence_of(relayed), _Places(relayed.source.commune))
    relayed.save(update_fields=["session", "status"])
    return relayed


@transaction.atomic
def relayed_event_merge(*, relayed: RelayedEvent, session: Session | None = None) -> RelayedEvent:
    """Staff say the event is one already in the agenda (its proposed duplicate by default):
    nothing is published twice, and the session is left as staff made it.

    Raises DomainError "not_pending", "no_duplicate"."""
    relayed = _waiting(relayed)
    session = session or relayed.duplicate_of
    if session is None:
        raise DomainError(
            _("Choisissez la session de l'agenda avec laquelle fusionner."), code="no_duplicate"
        )
    relayed.duplicate_of = session
    relayed.status = RelayedEvent.Status.MERGED
    relayed.save(update_fields=["duplicate_of", "status"])
    return relayed


@transaction.atomic
def relayed_event_refuse(*, relayed: RelayedEvent) -> RelayedEvent:
    """Staff set an event aside: later fetches keep it aside.

    Raises DomainError "not_pending"."""
    relayed = _waiting(relayed)
    relayed.status = RelayedEvent.Status.REFUSED
    relayed.save(update_fields=["status"])
    return relayed


def sources_dispatch_due() -> list[int]:
    """Every active source whose time has come, claimed and queued one task each (after
    commit), so that a slow or broken partner holds up no other; returns their ids."""
    from .tasks import relay_source_fetch

    now = timezone.now()
    due = RelaySource.objects.filter(is_active=True, next_fetch_at__lte=now) | (
        RelaySource.objects.filter(is_active=True, next_fetch_at__isnull=True)
    )
    claimed = []
    for source in due:
        if source.next_fetch_at is None:
            RelaySource.objects.filter(pk=source.pk, next_fetch_at__isnull=True).update(
                next_fetch_at=now
            )
            source.next_fetch_at = now
        if source_claim(source=source):
            claimed.append(source.pk)
            transaction.on_commit(lambda pk=source.pk: relay_source_fetch.delay(pk))
    return claimed


def source_fetch_soon(*, source: RelaySource) -> None:
    """Staff ask for a fetch now: queued after commit, in its own task."""
    from .tasks import relay_source_fetch

    pk = source.pk
    transaction.on_commit(lambda: relay_source_fetch.delay(pk))
