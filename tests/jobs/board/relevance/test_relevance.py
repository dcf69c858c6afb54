"""Relevance, measured: NDCG@10 of `sort=relevance` on the demo board against graded judgments
(judgments.json; how they were made: judge.py), for the ranking and for plain `ts_rank` over the
same bounded candidate set."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from django.db import transaction

from jobs.board.search import SearchParams, search_postings
from jobs.board.search import sql as search_sql
from jobs.demo import DEMO_SOURCE, seed_jobs_demo
from jobs.models import Posting
from jobs.summary.services import posting_summary_refresh

pytestmark = pytest.mark.django_db

JUDGMENTS = json.loads(Path(__file__).with_name("judgments.json").read_text())["queries"]
TARGET = 0.85


@pytest.fixture(scope="module")
def demo_board(django_db_setup, django_db_blocker):
    """The demo board as a running site has it: postings seeded, then summarized (the worker's
    task, run here), which refreshes each search vector. Built once for the module in a
    transaction rolled back at its end; each test runs in a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        seed_jobs_demo()
        postings = Posting.objects.filter(source=DEMO_SOURCE).select_related("company__group")
        for posting in postings:
            posting_summary_refresh(posting=posting)
        yield
        transaction.set_rollback(True)


def _dcg(grades: list[int]) -> float:
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades))


def ndcg_at_10(ranked_keys: list[str], grades: dict[str, int]) -> float:
    ideal = _dcg(sorted(grades.values(), reverse=True)[:10])
    return _dcg([grades.get(key, 0) for key in ranked_keys[:10]]) / ideal if ideal else 1.0


def _titles(keys: list[str]) -> list[str]:
    by_key = dict(
        Posting.objects.filter(source=DEMO_SOURCE, external_id__in=keys).values_list(
            "external_id", "title"
        )
    )
    return [by_key[key] for key in keys]


def _top_keys(q: str, sort: str = "relevance") -> list[str]:
    result = search_postings(SearchParams(q=q, sort=sort), per_page=10)
    return [hit.posting.external_id for hit in result.hits]


def _mean_ndcg() -> tuple[float, dict[str, float]]:
    per_query = {}
    for item in JUDGMENTS:
        grades = {j["key"]: j["grade"] for j in item["relevant"]}
        per_query[item["q"]] = ndcg_at_10(_top_keys(item["q"]), grades)
    return sum(per_query.values()) / len(per_query), per_query


def test_judgments_cover_enough_queries_with_stable_keys(demo_board):
    assert len(JUDGMENTS) >= 30
    postings = {
        p.external_id: (p.title, p.company.name)
        for p in Posting.objects.filter(source=DEMO_SOURCE).select_related("company")
    }
    for item in JUDGMENTS:
        assert item["relevant"], item["q"]
        for judged in item["relevant"]:
            # The demo is deterministic: each judged key is still the same posting.
            assert postings[judged["key"]] == (judged["title"], judged["company"]), judged
            assert judged["grade"] in (1, 2, 3)


def test_ndcg_at_10_meets_the_target_and_beats_plain_ts_rank(demo_board, monkeypatch, capsys):
    ranked, per_query = _mean_ndcg()
    monkeypatch.setattr(search_sql, "RANK_SQL", search_sql.PLAIN_RANK_SQL)
    plain, plain_per_query = _mean_ndcg()
    with capsys.disabled():
        print(f"\nNDCG@10 over {len(JUDGMENTS)} judged queries on the demo board: "
              f"ranking {ranked:.4f}, plain ts_rank {plain:.4f}")  # fmt: skip
        for q in per_query:
            if per_query[q] < 1 or plain_per_query[q] < 1:
                print(f"  {q:<28} ranking {per_query[q]:.3f}  plain {plain_per_query[q]:.3f}")
    assert ranked >= TARGET
    assert ranked > plain


def test_python_ranks_postings_requiring_it_above_a_mention(demo_board):
    """The complaint: a Lead Financial Analyst 3rd and a Payroll Specialist 5th for "python",
    whose descriptions mention Python only as a nice-to-have."""
    top = _top_keys("python")
    titles = _titles(top)
    assert not any("Financial Analyst" in t or "Payroll" in t for t in titles), titles
    grades = {j["key"]: j["grade"] for j in JUDGMENTS[0]["relevant"]}
    assert JUDGMENTS[0]["q"] == "python"
    assert all(grades.get(key) == 2 for key in top), titles


def test_kubernetes_ranks_site_reliability_engineers_above_machine_learning(demo_board):
    keys = _top_keys("kubernetes")
    titles = _titles(keys)
    sre = [i for i, t in enumerate(titles) if "Site Reliability" in t]
    ml = [i for i, t in enumerate(titles) if "Machine Learning" in t]
    assert sre, titles
    assert not ml or max(sre) < min(ml), titles


def test_relevance_is_not_newest_first(demo_board):
    for q in ("python", "kubernetes", "sql", "accountant"):
        assert _top_keys(q) != _top_keys(q, sort="newest"), q


def test_the_typed_words_in_the_title_rank_above_a_shared_stem(demo_board):
    """ "accountant" and "Account Executive" stem alike; the title as typed decides."""
    keys = _top_keys("accountant")
    titles = _titles(keys)
    assert all("Accountant" in t for t in titles), titles
