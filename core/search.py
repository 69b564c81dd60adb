"""Full-text matching in French, the same on PostgreSQL and SQLite: the one owner of how words
are normalised for the portal's search.

A word matches whatever its accents and its number: « numerique » finds « numériques »,
« formation » finds « formations ». Both databases apply the same two steps to each word,
accents removed then the Snowball French stemmer:
- PostgreSQL: the `french_unaccent` text search configuration (core migration 0003: the
  `unaccent` dictionary, then `french_stem`), live on the rows, so that a new row is found at
  once (no index to keep up to date);
- SQLite: `search_terms` below, registered on each connection as the SQL function
  `maillage_search_text`, with the stop words of PostgreSQL's French list that people type.
"""

import re
import unicodedata
from functools import lru_cache

from django.db import connection
from django.db.models import F, Func, QuerySet, TextField, Value
from django.db.models.functions import Coalesce, Concat

FRENCH_CONFIG = "french_unaccent"
SQLITE_FUNCTION = "maillage_search_text"

_WORD = re.compile(r"\w+")
# The words of PostgreSQL's French stop list people put in a query (its list has 155).
STOP_WORDS = frozenset(
    [
        "a",
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
        "dans",
        "de",
        "des",
        "du",
        "elle",
        "en",
        "et",
        "eux",
        "il",
        "je",
        "la",
        "le",
        "les",
        "leur",
        "lui",
        "ma",
        "mais",
        "me",
        "meme",
        "mes",
        "moi",
        "mon",
        "ne",
        "nos",
        "notre",
        "nous",
        "on",
        "ou",
        "par",
        "pas",
        "pour",
        "qu",
        "que",
        "qui",
        "sa",
        "se",
        "ses",
        "son",
        "sur",
        "ta",
        "te",
        "tes",
        "toi",
        "ton",
        "tu",
        "un",
        "une",
        "vos",
        "votre",
        "vous",
        "c",
        "d",
        "j",
        "l",
        "m",
        "n",
        "s",
        "t",
        "y",
    ]
)


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("french")


def unaccent(text: str) -> str:
    """Lower case, without accents (« Numérique » → « numerique »)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def search_terms(text: str) -> list[str]:
    """The stems of `text`'s words, accents removed first, stop words left out."""
    words = [word for word in _WORD.findall(unaccent(text or "")) if word not in STOP_WORDS]
    return _stemmer().stemWords(words)


def search_text(text: str | None) -> str:
    """`text` as SQLite compares it: its terms between spaces, so that « contains " term " »
    matches whole terms only."""
    return f" {' '.join(search_terms(text or ''))} "


def register_sqlite_function(sender, connection, **kwargs) -> None:
    """connection_created receiver: give each SQLite connection `maillage_search_text`."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 1, search_text, deterministic=True)


def _joined(fields: list[str]):
    parts = []
    for field in fields:
        parts += [Coalesce(F(field), Value(""), output_field=TextField()), Value(" ")]
    return Concat(*parts, output_field=TextField())


def text_match(queryset: QuerySet, *, fields: list[str], query: str) -> QuerySet:
    """The rows of `queryset` whose `fields` (lookups, relations allowed) contain every word of
    `query`, in French: accents, case and plural ignored. Fields reached through a
    many-valued relation may repeat a row: the caller adds `.distinct()` if it needs to.
    No word to look for (only stop words) gives no row."""
    terms = search_terms(query)
    if not terms:
        return queryset.none()
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        vector = SearchVector(*fields, config=FRENCH_CONFIG)
        return queryset.annotate(_search=vector).filter(
            _search=SearchQuery(query, config=FRENCH_CONFIG, search_type="plain")
        )
    annotated = queryset.annotate(
        _search=Func(_joined(fields), function=SQLITE_FUNCTION, output_field=TextField())
    )
    for term in terms:
        annotated = annotated.filter(_search__contains=f" {term} ")
    return annotated


def page_text_match(model, *, fields: list[str], query: str, limit: int) -> list:
    """Live, public pages of `model` whose title, search description or `fields` match
    `query`, most recently published first (two queries: the pages, the view restrictions)."""
    return list(
        text_match(
            model.objects.live().public(),
            fields=["title", "search_description", *fields],
            query=query,
        ).order_by("-first_published_at", "pk")[:limit]
    )
