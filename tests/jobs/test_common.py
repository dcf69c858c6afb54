"""jobs/common.py: the one copy of the salary text, used by the posting page, the search
results and (through tracking) the saved page."""

import pytest

from jobs.common import salary_text, yearly_salary_text


@pytest.mark.parametrize(
    ("low", "high", "currency", "period", "expected"),
    [
        (60000, 70000, "EUR", "year", "EUR 60,000–70,000 per year"),
        (60000, 60000, "EUR", "year", "EUR 60,000 per year"),
        (30, None, "USD", "hour", "USD from 30 per hour"),
        (None, 5000, "GBP", "month", "GBP up to 5,000 per month"),
        (None, None, "EUR", "year", ""),
        (100, 200, "", "", "100–200"),
    ],
)
def test_salary_text_states_the_range_as_posted(low, high, currency, period, expected):
    assert salary_text(low, high, currency, period) == expected


@pytest.mark.parametrize(
    ("low", "high", "period", "expected"),
    [
        (30, 35, "hour", "EUR 62,400–72,800 a year"),
        (5000, None, "month", "EUR from 60,000 a year"),
        (None, 70000, "year", "EUR up to 70,000 a year"),
        (None, None, "hour", ""),
    ],
)
def test_yearly_salary_text_converts_the_range_to_a_year(low, high, period, expected):
    assert yearly_salary_text(low, high, "EUR", period) == expected


@pytest.mark.django_db
def test_posting_page_and_search_results_say_the_salary_the_same_way(client):
    from jobs.board.search import refresh_search_vectors
    from tests.factories import PostingFactory

    posting = PostingFactory(
        title="Salary words", salary_min=50000, salary_max=60000, salary_currency="EUR",
        salary_period="year",
    )  # fmt: skip
    refresh_search_vectors([posting.pk])
    expected = "EUR 50,000–60,000 per year"
    assert expected in client.get(posting.get_absolute_url()).content.decode()
    assert expected in client.get("/jobs/?q=salary").content.decode()
