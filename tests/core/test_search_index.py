"""The portal search reads indexes on PostgreSQL (issue 22 §1): every declared search
document has a GIN index whose expression the search builds, so the planner can use it; a
search computes no row's text at query time; words PostgreSQL's French list drops are dropped
on both databases alike."""

from django.db import connection

import pytest

import portal.search  # noqa: F401  (declares the content page's document)
from core.search import DOCUMENTS, document_match, document_rows, search_terms
from events.models import Session
from events.selectors import SESSION_SEARCH_DOCUMENTS
from portal.search import portal_search
from tests.factories.trainings import training_page

pytestmark = pytest.mark.django_db


def plan(queryset) -> str:
    """EXPLAIN of `queryset` with sequential scans priced out: a table read without its index
    still shows as « Seq Scan », only a usable index avoids it."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_every_search_document_is_read_through_its_index(postgres_only):
    assert len(DOCUMENTS) >= 15
    for name, document in DOCUMENTS.items():
        explained = plan(document_rows(document, word="numériques"))
        assert f"Bitmap Index Scan on {name}" in explained, explained


def test_a_session_search_reads_one_index_per_document_and_no_row_text(postgres_only):
    queryset = document_match(
        Session.objects.all(), documents=SESSION_SEARCH_DOCUMENTS, query="atelier Quimper"
    )
    explained = plan(queryset.values("pk"))
    for _path, document in SESSION_SEARCH_DOCUMENTS:
        assert f"Index Scan on {document.index_name}" in explained, explained
    # Each to_tsvector stays inside an index condition, never a row filter.
    filters = [line for line in explained.splitlines() if "Filter:" in line]
    assert not any("to_tsvector" in line for line in filters), explained


def test_a_word_postgresql_drops_is_left_out_on_both_databases():
    training_page(title="Formation au numérique responsable")
    assert search_terms("est sont avez") == []
    found = portal_search(query="formation est").groups
    titles = [
        result.title for group in found if group.key == "formations" for result in group.results
    ]
    assert titles == ["Formation au numérique responsable"]
