"""The reader's currency on /jobs/ (issue 20, jobs/board/currency.py): an explicit choice, else
the remembered one, else the profile's setting, else the browser language's country, else EUR;
and the public page cache never hands one reader's currency to another."""

import re

import pytest

from accounts.models import Profile
from config import page_cache
from jobs.board.currency import CURRENCY_COOKIE, currency_from_accept_language
from jobs.board.search import refresh_search_vectors
from jobs.models import ExchangeRate
from jobs.salaries import DEFAULT_RATES_FILE, exchange_rates_load, parse_rates_csv
from tests.factories import PostingFactory

pytestmark = [pytest.mark.django_db, pytest.mark.services]

URL = "/jobs/"


@pytest.fixture(autouse=True)
def _rates_and_a_posting():
    if not ExchangeRate.objects.exists():  # a transactional test may have flushed migrated rows
        exchange_rates_load(rows=parse_rates_csv(DEFAULT_RATES_FILE.read_text()))
    posting = PostingFactory(
        title="Data analyst", salary_min=16_000, salary_max=21_000, salary_currency="PLN",
        salary_period="month",
    )  # fmt: skip
    refresh_search_vectors([posting.id])


def shown_in(html: str) -> str:
    """The currency the converted salary is written in ("≈ GBP …")."""
    return html.split("≈ ", 1)[1][:3]


def selected(html: str) -> str:
    select = html.split('id="f-currency"', 1)[1].split("</select>", 1)[0]
    found = re.search(r'<option value="[A-Z]*" selected>([A-Z]{3})</option>', select)
    return found.group(1) if found else ""


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("en-GB,en;q=0.9", "GBP"),
        ("en-IN", "INR"),
        ("de-CH,de;q=0.8", "CHF"),
        ("pt-BR", "BRL"),
        ("fr-FR", "EUR"),
        ("de", ""),  # a language without a country
        ("en-KE", ""),  # no reference rate for the shilling
        ("", ""),
        ("en;q=0.5,en-US;q=0.9", "USD"),  # by preference, not by order
        ("x" * 600, ""),  # too long to parse: ignored
    ],
)
def test_the_country_of_the_browser_language_gives_the_currency(header, expected):
    assert currency_from_accept_language(header) == expected


@pytest.mark.parametrize(
    ("header", "currency"),
    [("en-GB", "GBP"), ("en-IN", "INR"), ("de-CH", "CHF"), ("pt-BR", "BRL"), ("sw-KE", "EUR")],
)
def test_an_anonymous_reader_sees_salaries_in_the_currency_of_their_country(
    client, header, currency
):
    response = client.get(URL, headers={"Accept-Language": header})
    html = response.content.decode()
    assert shown_in(html) == currency and selected(html) == currency
    assert "Accept-Language" in response["Vary"]
    assert CURRENCY_COOKIE not in response.cookies  # a default is not a choice to remember


def test_the_page_cache_keeps_one_copy_per_currency(client, settings):
    settings.PAGE_CACHE_ENABLED = True
    page_cache.forget_local()
    try:
        first = client.get(URL, headers={"Accept-Language": "en-GB"})
        assert first["X-Page-Cache"] == "miss" and shown_in(first.content.decode()) == "GBP"
        other = client.get(URL, headers={"Accept-Language": "de-DE"})
        assert other["X-Page-Cache"] == "miss" and shown_in(other.content.decode()) == "EUR"
        again = client.get(URL, headers={"Accept-Language": "en-GB,en;q=0.8"})
        assert again["X-Page-Cache"] == "hit" and shown_in(again.content.decode()) == "GBP"
        # A cookie's remembered choice is a key of its own too.
        client.cookies[CURRENCY_COOKIE] = "CHF"
        chf = client.get(URL, headers={"Accept-Language": "en-GB"})
        assert chf["X-Page-Cache"] == "miss" and shown_in(chf.content.decode()) == "CHF"
        assert "Accept-Language" in chf["Vary"] and "Cookie" in chf["Vary"]
    finally:
        page_cache.forget_local()


def test_an_explicit_choice_wins_and_is_remembered(client):
    response = client.get(URL, {"currency": "USD"}, headers={"Accept-Language": "en-GB"})
    assert shown_in(response.content.decode()) == "USD"
    assert response.cookies[CURRENCY_COOKIE].value == "USD"
    html = client.get(URL, headers={"Accept-Language": "en-GB"}).content.decode()
    assert shown_in(html) == "USD" and selected(html) == "USD"
    # Choosing the browser's own currency again forgets the choice.
    response = client.get(URL, {"currency": "GBP"}, headers={"Accept-Language": "en-GB"})
    assert response.cookies[CURRENCY_COOKIE].value == ""  # deleted
    # An explicit EUR is a choice too (it used to be dropped as the default).
    html = client.get(URL, {"currency": "EUR"}, headers={"Accept-Language": "en-GB"}).content
    assert shown_in(html.decode()) == "EUR"


def test_the_profile_setting_comes_before_the_browser(client, user):
    Profile.objects.filter(user=user).update(salary_currency="SEK")
    client.force_login(user)
    html = client.get(URL, headers={"Accept-Language": "en-GB"}).content.decode()
    assert shown_in(html) == "SEK"
    # Saving another setting on the profile page drops a currency remembered from the search.
    client.cookies[CURRENCY_COOKIE] = "USD"
    assert shown_in(client.get(URL).content.decode()) == "USD"
    data = {"timezone": "UTC", "salary_currency": "NOK", "skills": "", "preferred_locations": ""}
    response = client.post("/account/profile/", data)
    assert response.status_code == 302 and response.cookies[CURRENCY_COOKIE].value == ""
    client.cookies.pop(CURRENCY_COOKIE)
    assert shown_in(client.get(URL).content.decode()) == "NOK"


def test_links_and_saved_searches_keep_the_readers_currency(client, user):
    client.force_login(user)
    html = client.get(URL, {"salary": "50000"}, headers={"Accept-Language": "en-GB"}).content
    html = html.decode()
    assert "/saved-searches/new/?salary=50000&amp;currency=GBP" in html
    # A default stays a default in the page's own links (the address bar, pages, chips).
    assert "currency=GBP" not in html.replace(
        "/saved-searches/new/?salary=50000&amp;currency=GBP", ""
    )
