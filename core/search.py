"""Full-text matching in French, the same on PostgreSQL and SQLite: the one owner of how words
are normalised for the portal's search.

A word matches whatever its accents and its number: « numerique » finds « numériques »,
« formation » finds « formations ». Both databases apply the same two steps to each word,
accents removed then the Snowball French stemmer:
- PostgreSQL: the `french_unaccent` text search configuration (core migration 0003: the
  `unaccent` dictionary, then `french_stem`). What a search reads is declared as `Document`s,
  one table's columns each; the owning app's migration adds an expression GIN index over each
  (`search_index_add`), which `document_match` uses because it builds the same expression. An
  expression index is kept by PostgreSQL itself: a new row is found at once;
- SQLite: `search_terms` below (Snowball's French stemmer), registered on each connection as
  the SQL function `maillage_search_text`, with the stop words of PostgreSQL's French list
  that people type; rows are read whole (the embedded default holds a small Hub).
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from django.apps import apps as global_apps
from django.db import connection, migrations
from django.db.models import BooleanField, Expression, F, Func, Q, QuerySet, TextField, Value
from django.db.models.functions import Coalesce, Concat

FRENCH_CONFIG = "french_unaccent"
SQLITE_FUNCTION = "maillage_search_text"

_WORD = re.compile(r"\w+")
# The words of PostgreSQL's French stop list people put in a query (its list has 155), so
# that both databases leave the same words out.
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
        # être and avoir, as PostgreSQL drops them once accents are gone (« été » stays)
        "suis",
        "es",
        "est",
        "sommes",
        "sont",
        "serai",
        "seras",
        "sera",
        "serons",
        "serez",
        "seront",
        "serais",
        "serait",
        "serions",
        "seriez",
        "seraient",
        "fus",
        "fut",
        "furent",
        "sois",
        "soit",
        "soyons",
        "soyez",
        "soient",
        "ayant",
        "eu",
        "eue",
        "eues",
        "eus",
        "eut",
        "ai",
        "as",
        "avons",
        "avez",
        "ont",
        "aurai",
        "auras",
        "aura",
        "aurons",
        "aurez",
        "auront",
        "avais",
        "avait",
        "avions",
        "aviez",
        "avaient",
        "aie",
        "aies",
        "ait",
        "ayons",
        "ayez",
        "aient",
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


def _sqlite_match(queryset: QuerySet, *, fields: list[str], query: str) -> QuerySet:
    """SQLite: the rows whose `fields` (lookups, relations allowed), joined and reduced to
    their terms by `maillage_search_text`, contain every term of `query` as a whole term."""
    annotated = queryset.annotate(
        _search=Func(_joined(fields), function=SQLITE_FUNCTION, output_field=TextField())
    )
    for term in search_terms(query):
        annotated = annotated.filter(_search__contains=f" {term} ")
    return annotated


# --- Documents: what a search reads, indexed on PostgreSQL ----------------------------------

DOCUMENTS: dict[str, "Document"] = {}


@dataclass(frozen=True)
class Document:
    """Columns of one table (`model`, "app_label.Model") that searches read together.

    On PostgreSQL the index `index_name` is a GIN index over
    `to_tsvector('french_unaccent', <the columns joined by spaces>)`, created by the owning
    app's migration with `search_index_add(<the same label, fields, name and column>)`:
    - without `column`, an expression index; `vector()` builds that very expression, so the
      planner can use the index;
    - with `column`, a stored generated tsvector column of that name (PostgreSQL only, unknown
      to Django's models: inserts and updates fill it by themselves) and its index. For the big
      tables: a word found in most rows (« numérique » in place names) makes the planner read
      the whole table rather than the index, and a stored vector then costs no to_tsvector per
      row. PostgreSQL refuses to change the type of a column a generated column reads: a
      migration altering one of `fields` drops the document first (`search_index_drop`) and
      adds it back after.
    tests/core/test_search_index.py checks each declared document with EXPLAIN. Declaring one
    registers it."""

    model: str
    fields: tuple[str, ...]
    index_name: str
    column: str = ""

    def __post_init__(self):
        DOCUMENTS[self.index_name] = self

    def vector(self):
        if self.column:
            return _StoredVector(self.column)
        from django.contrib.postgres.search import SearchVector

        return SearchVector(*self.fields, config=FRENCH_CONFIG)

    def model_class(self, apps=global_apps):
        return apps.get_model(self.model)


class _StoredVector(Expression):
    """A document's stored vector column on the query's own table (see `Document.column`)."""

    def __init__(self, column: str):
        from django.contrib.postgres.search import SearchVectorField

        super().__init__(output_field=SearchVectorField())
        self.column = column

    def as_sql(self, compiler, connection):
        alias = compiler.quote_name(compiler.query.get_initial_alias())
        return f"{alias}.{connection.ops.quote_name(self.column)}", ()


class _WordMatches(Func):
    """`vector @@ plainto_tsquery(word)`, true for every row when PostgreSQL's French
    configuration drops `word` (a stop word of its list that ours lacks, « est »): the word is
    then ignored, as plainto_tsquery ignores it in a sentence. `numnode(...) = 0` has constant
    arguments, so the planner folds it away and the GIN index still serves the match."""

    output_field = BooleanField()
    template = "(numnode(%(query)s) = 0 OR %(vector)s @@ %(query)s)"

    def __init__(self, vector, word: str):
        from django.contrib.postgres.search import SearchQuery

        super().__init__(vector, SearchQuery(word, config=FRENCH_CONFIG, search_type="plain"))

    def as_sql(self, compiler, connection, **extra):
        vector, query = self.get_source_expressions()
        vector_sql, vector_params = compiler.compile(vector)
        query_sql, query_params = compiler.compile(query)
        sql = self.template % {"query": query_sql, "vector": vector_sql}
        return sql, (*query_params, *vector_params, *query_params)


def _query_words(query: str) -> list[str]:
    """The words of `query` that count (ours stop words left out), as typed."""
    return [word for word in _WORD.findall(query or "") if search_terms(word)]


def document_rows(document: Document, *, word: str) -> QuerySet:
    """PostgreSQL: the pks of `document`'s table whose text contains `word` (index scan)."""
    model = document.model_class()
    return model._base_manager.order_by().filter(_WordMatches(document.vector(), word)).values("pk")


def document_match(
    queryset: QuerySet, *, documents: list[tuple[str, Document]], query: str
) -> QuerySet:
    """The rows of `queryset` for which every word of `query` is in one of `documents`, in
    French (accents, case and plural ignored). Each pair is (path from the queryset's model,
    "" for the row itself; a document of the model at the end of that path). One query.

    On PostgreSQL each word is one `pk IN (index scan)` per document, so no row's text is
    computed at search time; on SQLite the documents' columns go through `_sqlite_match`. A
    many-valued path may repeat a row: the caller adds `.distinct()`. No word, no row."""
    words = _query_words(query)
    if not words:
        return queryset.none()
    if connection.vendor != "postgresql":
        fields = [
            f"{path}__{field}" if path else field
            for path, document in documents
            for field in document.fields
        ]
        return _sqlite_match(queryset, fields=fields, query=query)
    for word in words:
        condition = Q()
        for path, document in documents:
            condition |= Q(**{f"{path or 'pk'}__in": document_rows(document, word=word)})
        queryset = queryset.filter(condition)
    return queryset


PAGE_DOCUMENT = Document("wagtailcore.Page", ("title", "search_description"), "core_page_search")


def page_document_match(model, *, document: Document, query: str, limit: int) -> list:
    """Live, public pages of `model` whose title, search description or `document` (the
    page type's own columns) match `query`, most recently published first (two queries: the
    pages, the view restrictions)."""
    return list(
        document_match(
            model.objects.live().public(),
            documents=[("", document), ("page_ptr", PAGE_DOCUMENT)],
            query=query,
        ).order_by("-first_published_at", "pk")[:limit]
    )


def search_index_add(model: str, fields: tuple[str, ...], name: str, column: str = ""):
    """The migration operation adding `Document(model, fields, name, column)`'s GIN index (and
    its stored column) on PostgreSQL; nothing on SQLite, where core.search reads through its
    function."""

    def add(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            _document_add(apps.get_model(model), schema_editor, fields, name, column)

    def remove(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            _document_remove(apps.get_model(model), schema_editor, fields, name, column)

    return migrations.RunPython(add, remove)


def search_index_drop(model: str, fields: tuple[str, ...], name: str, column: str = ""):
    """The migration operation removing what `search_index_add` with the same arguments
    added (and adding it back when the migration is reversed)."""

    def remove(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            _document_remove(apps.get_model(model), schema_editor, fields, name, column)

    def add(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            _document_add(apps.get_model(model), schema_editor, fields, name, column)

    return migrations.RunPython(remove, add)


def _document_add(model, schema_editor, fields, name, column) -> None:
    if not column:
        schema_editor.add_index(model, _gin(fields, name))
        return
    quote = schema_editor.quote_name
    table = quote(model._meta.db_table)
    text = " || ' ' || ".join(
        f"coalesce({quote(model._meta.get_field(field).column)}::text, '')" for field in fields
    )
    schema_editor.execute(
        f"ALTER TABLE {table} ADD COLUMN {quote(column)} tsvector GENERATED ALWAYS AS "
        f"(to_tsvector('{FRENCH_CONFIG}'::regconfig, {text})) STORED"
    )
    schema_editor.execute(f"CREATE INDEX {quote(name)} ON {table} USING gin ({quote(column)})")


def _document_remove(model, schema_editor, fields, name, column) -> None:
    if not column:
        schema_editor.remove_index(model, _gin(fields, name))
        return
    quote = schema_editor.quote_name
    schema_editor.execute(f"DROP INDEX IF EXISTS {quote(name)}")
    schema_editor.execute(
        f"ALTER TABLE {quote(model._meta.db_table)} DROP COLUMN IF EXISTS {quote(column)}"
    )


def _gin(fields: tuple[str, ...], name: str):
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    return GinIndex(SearchVector(*fields, config=FRENCH_CONFIG), name=name)
