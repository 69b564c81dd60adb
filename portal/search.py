"""The portal's one search: every kind of thing people look for, grouped by type, each result
with a line of context. Each app answers for its own rows (its `*_search` selector, matching
through core.search, the one owner of French normalisation); this module only puts them
side by side, so that a search costs the same number of queries whatever it finds."""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.dates import date_in_french
from core.search import Document, page_document_match, search_terms
from directory.selectors import place_commune_corrected, place_text_search
from events.selectors import conference_search, session_next_by_page, session_search
from numeritheque.selectors import item_search, kit_search
from peer_exchange.selectors import peer_format_search
from trainings.selectors import training_search

from .models import ContentPage

# What the search reads of a content page (indexed on PostgreSQL, migration 0004).
CONTENT_PAGE_TEXT = Document("portal.ContentPage", ("intro",), "portal_contentpage_search")

# (key in the address, heading); the order of the results page.
TYPES = (
    ("formations", gettext_lazy("Formations")),
    ("sessions", gettext_lazy("Sessions")),
    ("rencontres", gettext_lazy("Rencontres et webinaires")),
    ("echanges", gettext_lazy("Échanges entre pairs")),
    ("lieux", gettext_lazy("Lieux")),
    ("materiel", gettext_lazy("Matériel à emprunter")),
    ("kits", gettext_lazy("Kits à emprunter")),
    ("pages", gettext_lazy("Pages")),
)
TYPE_KEYS = tuple(key for key, _label in TYPES)
# Results per group when every type is shown; a single type shows more.
GROUP_LIMIT, SINGLE_TYPE_LIMIT = 5, 50


@dataclass
class Result:
    title: str
    url: str
    context: str = ""


@dataclass
class Group:
    key: str
    label: str
    results: list[Result] = field(default_factory=list)
    more: bool = False


def _date(value) -> str:
    return date_in_french(timezone.localtime(value), "l j F Y à H\\hi")


def _session_where(session) -> str:
    if session.venue_id:
        return session.venue.commune
    if session.outside_commune_id:
        return session.outside_commune.name
    return _("en ligne")


def _next_session_line(session) -> str:
    if session is None:
        return _("Pas de session programmée")
    return _("Prochaine session : %(date)s, %(where)s") % {
        "date": _date(session.start),
        "where": _session_where(session),
    }


def _pages(pages, following) -> list[Result]:
    return [
        Result(page.title, page.url, _next_session_line(following.get(page.pk))) for page in pages
    ]


def _sessions(sessions) -> list[Result]:
    results = []
    for session in sessions:
        line = f"{_date(session.start)} · {_session_where(session)}"
        if session.is_cancelled:
            line += " · " + _("annulée")
        elif session.is_past:
            line += " · " + _("passée")
        elif session.is_full:
            line += " · " + _("complet")
        results.append(Result(session.display_title, session.get_absolute_url(), line))
    return results


def _places(places) -> list[Result]:
    return [
        Result(
            place.name,
            reverse("directory:place_detail", args=[place.pk]),
            " · ".join(part for part in (place.commune_display, place.address) if part),
        )
        for place in places
    ]


def _items(items) -> list[Result]:
    results = []
    for item in items:
        if item.state == item.State.MAINTENANCE:
            availability = _("en maintenance")
        elif item.free_today:
            availability = _("disponible aujourd'hui")
        else:
            availability = _("réservé aujourd'hui")
        line = _("%(category)s · retrait à %(commune)s · %(availability)s") % {
            "category": item.category.name,
            "commune": item.home_place.commune_display,
            "availability": availability,
        }
        url = reverse("numeritheque:item_detail", args=[item.slug])
        results.append(Result(item.name, url, line))
    return results


def _kits(kits) -> list[Result]:
    results = []
    for kit in kits:
        communes = sorted({item.home_place.commune_display for item in kit.items.all()})
        line = _("%(count)s matériels · retrait à %(communes)s") % {
            "count": len(kit.items.all()),
            "communes": ", ".join(communes),
        }
        results.append(Result(kit.name, reverse("numeritheque:kit_detail", args=[kit.pk]), line))
    return results


def _search_types(query: str, keys: tuple[str, ...], limit: int) -> list[Group]:
    """One group per type in `keys`, each asked for one more row than it shows (to say
    « more »). Pages get their next session in one query for all of them."""
    found = {}
    if "formations" in keys:
        found["formations"] = training_search(query=query, limit=limit + 1)
    if "rencontres" in keys:
        found["rencontres"] = conference_search(query=query, limit=limit + 1)
    if "echanges" in keys:
        found["echanges"] = peer_format_search(query=query, limit=limit + 1)
    page_ids = [page.pk for key in found for page in found[key][:limit]]
    following = session_next_by_page(page_ids=page_ids) if page_ids else {}
    builders = {
        "formations": lambda rows: _pages(rows, following),
        "rencontres": lambda rows: _pages(rows, following),
        "echanges": lambda rows: _pages(rows, following),
        "sessions": _sessions,
        "lieux": _places,
        "materiel": _items,
        "kits": _kits,
        "pages": lambda rows: [Result(page.title, page.url, page.intro) for page in rows],
    }
    searches = {
        "sessions": lambda: session_search(query=query, limit=limit + 1),
        "lieux": lambda: place_text_search(query=query, limit=limit + 1),
        "materiel": lambda: item_search(query=query, limit=limit + 1),
        "kits": lambda: kit_search(query=query, limit=limit + 1),
        "pages": lambda: page_document_match(
            ContentPage, document=CONTENT_PAGE_TEXT, query=query, limit=limit + 1
        ),
    }
    groups = []
    for key, label in TYPES:
        if key not in keys:
            continue
        rows = found[key] if key in found else searches[key]()
        groups.append(Group(key, str(label), builders[key](rows[:limit]), more=len(rows) > limit))
    return groups


@dataclass
class SearchOutcome:
    query: str
    groups: list[Group]
    corrected: str = ""

    @property
    def total(self) -> int:
        return sum(len(group.results) for group in self.groups)


def portal_search(*, query: str, types: tuple[str, ...] = ()) -> SearchOutcome:
    """Search every type (or only `types`). When nothing matches and a word of the query is
    a commune of the directory typed with a typo, search again with the commune's name."""
    keys = tuple(key for key in TYPE_KEYS if key in types) or TYPE_KEYS
    limit = GROUP_LIMIT if len(keys) > 1 else SINGLE_TYPE_LIMIT
    if not search_terms(query):
        return SearchOutcome(query, [])
    outcome = SearchOutcome(query, _search_types(query, keys, limit))
    if outcome.total:
        return outcome
    corrected = place_commune_corrected(text=query)
    if corrected and corrected != query:
        outcome = SearchOutcome(query, _search_types(corrected, keys, limit), corrected)
    return outcome
