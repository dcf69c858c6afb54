"""What each weight of the stored search vector holds, and the query's tiers."""

from __future__ import annotations

import pytest
from django.db import connection

from jobs.board.search import SearchParams, parse_query, refresh_search_vectors, search_postings
from jobs.board.search.index import summary_sections
from jobs.summary.services import posting_summary_refresh
from tests.factories import PostingFactory

pytestmark = pytest.mark.django_db

DESCRIPTION = (
    "<h3>About the role</h3><p>You will build services for our merchants with a small team.</p>"
    "<h3>Requirements</h3><ul><li>Hands-on experience with Golang and PostgreSQL.</li>"
    "<li>3+ years of experience in a similar role.</li></ul>"
    "<h3>Nice to have</h3><ul><li>Experience with Haskell.</li></ul>"
)


def _weights(posting_id: int, word: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT string_agg(w, '' ORDER BY w) FROM jobs_posting p, unnest(p.search_vector) u,"
            " unnest(u.weights) w WHERE p.id = %s AND u.lexeme = %s",
            [posting_id, word],
        )
        return cursor.fetchone()[0] or ""


def test_the_summary_puts_requirements_at_b_and_nice_to_have_at_d():
    posting = PostingFactory(title="Backend Engineer", description=DESCRIPTION)
    refresh_search_vectors([posting.pk])
    assert _weights(posting.pk, "golang") == "C"  # not summarized yet: the whole text is C
    assert _weights(posting.pk, "haskel") == "C"

    assert posting_summary_refresh(posting=posting)  # refreshes the vector

    assert _weights(posting.pk, "golang") == "B"
    assert _weights(posting.pk, "haskel") == "D"
    assert _weights(posting.pk, "merchant") == "C"
    assert _weights(posting.pk, "backend") == "A"


def test_sections_ignore_a_summary_of_another_text():
    posting = PostingFactory(description=DESCRIPTION)
    posting_summary_refresh(posting=posting)
    posting.refresh_from_db()
    required, preferred, rest = summary_sections(DESCRIPTION, posting.summary)
    assert "Golang" in required and "Haskell" in preferred
    assert "Golang" not in rest and "Haskell" not in rest and "merchants" in rest
    edited = DESCRIPTION.replace("Haskell", "OCaml")
    assert summary_sections(edited, posting.summary) == ("", "", "")
    assert summary_sections(DESCRIPTION, None) == ("", "", "")


def test_query_tiers_restrict_each_word_and_keep_the_operators():
    query = parse_query('python -java "data engineer"')
    assert query.weighted("AB") == ("'python':AB & !'java':AB & 'data':AB <-> 'engin':AB")


def test_a_required_skill_ranks_above_a_nice_to_have_one_whatever_the_date():
    older = PostingFactory(title="Platform Engineer", description=DESCRIPTION)
    newer = PostingFactory(
        title="Site Engineer",
        description=DESCRIPTION.replace("Golang", "Java").replace("Haskell", "Golang"),
    )
    for posting in (older, newer):
        posting_summary_refresh(posting=posting)
    result = search_postings(SearchParams(q="golang", sort="relevance"))
    assert [hit.posting.pk for hit in result.hits] == [older.pk, newer.pk]
    newest = search_postings(SearchParams(q="golang", sort="newest"))
    assert [hit.posting.pk for hit in newest.hits] == [newer.pk, older.pk]
