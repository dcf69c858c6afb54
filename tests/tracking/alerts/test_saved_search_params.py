"""A saved search keeps every filter of the /jobs/ URL, by the names the URL uses."""

from django.http import QueryDict

from jobs.board.search import normalize_querystring


def test_a_saved_search_keeps_the_salary_its_currency_and_the_date_filter(db):
    kept = QueryDict(
        normalize_querystring("/jobs/?q=python&salary=80000&currency=PLN&posted=7&page=3&x=1")
    )
    assert kept.get("q") == "python"
    assert kept.get("salary") == "80000"
    assert kept.get("currency") == "PLN"
    assert kept.get("posted") == "7"
    assert "page" not in kept and "x" not in kept
