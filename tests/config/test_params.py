"""Issue 16, point 10: request numbers are read with config.params.parse_int, never with
`isdigit()` + `int()` (Unicode digits passed the first and broke the second: a 500)."""

import pytest
from django.test import Client
from django.urls import reverse

from config.params import parse_int, without_nul
from tests.factories import PostingFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("42", 42),
        (" 7 ", 7),
        (7, 7),
        ("²", None),  # isdigit() is True, int() raises
        ("٣٤", None),  # int() would read it as 34: not an ASCII number
        ("9" * 40, None),
        ("9" * 18, int("9" * 18)),
        ("-1", None),
        ("1e3", None),
        ("a\x00b", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_int_reads_only_ascii_whole_numbers(raw, expected):
    assert parse_int(raw) == expected


def test_parse_int_keeps_to_its_bounds_and_default():
    assert parse_int("0", min_value=1, default=1) == 1
    assert parse_int("31", max_value=30) is None
    assert parse_int("123456", max_digits=5, default=-1) == -1
    assert without_nul("a\x00b") == "ab"


@pytest.mark.parametrize("value", ["²", "٣", "9" * 40])
def test_the_search_drops_a_posted_filter_in_unicode_digits_with_a_notice(client, value):
    PostingFactory(title="Python developer")
    response = client.get(reverse("jobs:list"), {"posted": value, "salary": value})
    assert response.status_code == 200
    assert response.context["params"].posted_within is None
    assert response.context["params"].min_salary is None
    assert any("posting date" in n for n in response.context["notices"])


def test_the_saved_page_reads_a_collection_or_page_in_unicode_digits_as_none(owner_client):
    assert owner_client.get(reverse("tracking:saved"), {"collection": "²"}).status_code == 404
    assert owner_client.get(reverse("tracking:saved"), {"page": "²"}).status_code == 200


def test_compare_refuses_unicode_digit_ids_with_its_message(owner_client):
    response = owner_client.get(reverse("tracking:saved_compare"), {"ids": "²,²3"})
    assert response.status_code == 400
    assert "is not a saved job" in response.content.decode()


def test_posts_with_unicode_digit_ids_answer_without_a_500(owner_client):
    hx = {"HX-Request": "true"}
    undo = owner_client.post(reverse("tracking:saved_undo"), {"posting": "²"}, headers=hx)
    assert undo.status_code < 500
    skill = owner_client.post(
        reverse("jobs_summary:skill_add"), {"skill": "Python", "posting": "²"}, headers=hx
    )
    assert skill.status_code < 500


def test_a_calendar_token_with_a_nul_byte_is_a_404():
    client = Client(raise_request_exception=False)
    assert client.get("/calendar/%00.ics").status_code == 404
    assert client.get("/calendar/abc%00def.ics").status_code == 404
