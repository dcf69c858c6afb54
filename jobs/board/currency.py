"""The reader's currency for salaries on /jobs/ (issue 20): the one salaries are converted to and
the salary filter's amount is read in.

In order: the URL's `currency=` (an explicit choice, which the page's links keep; saved
searches keep); else the last explicit choice, remembered in a cookie; else the signed-in
reader's profile setting; else the country of their browser's language (Accept-Language
en-GB → GBP) when we have a reference rate for its currency; else EUR.

Anonymous /jobs/ pages are shared by the page cache (config/page_cache.py): `page_cache_variant`
puts the currency that comes from the cookie or the header in the key, so no reader gets a page
made in another reader's currency, and the view adds `Vary: Accept-Language` for a CDN.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation.trans_real import parse_accept_lang_header

from jobs.board.search.params import known_currencies

DEFAULT_CURRENCY = "EUR"
CURRENCY_COOKIE = "jt_currency"
CURRENCY_COOKIE_MAX_AGE = 365 * 86400

# The currency of each country whose currency has a reference rate in the shipped file
# (jobs/data/exchange_rates.csv); a country missing here reads as EUR.
_EURO = ("AT", "BE", "HR", "CY", "EE", "FI", "FR", "DE", "GR", "IE", "IT", "LV", "LT", "LU",
         "MT", "NL", "PT", "SK", "SI", "ES", "AD", "MC", "SM", "VA", "ME", "XK")  # fmt: skip
COUNTRY_CURRENCY: dict[str, str] = {
    **dict.fromkeys(_EURO, "EUR"),
    "US": "USD", "PR": "USD", "EC": "USD", "SV": "USD", "PA": "USD",
    "GB": "GBP", "IM": "GBP", "JE": "GBP", "GG": "GBP",
    "CH": "CHF", "LI": "CHF", "PL": "PLN", "CZ": "CZK", "SE": "SEK", "NO": "NOK",
    "DK": "DKK", "GL": "DKK", "FO": "DKK", "HU": "HUF", "RO": "RON",
    "CA": "CAD", "AU": "AUD", "NZ": "NZD", "JP": "JPY", "CN": "CNY", "IN": "INR",
    "SG": "SGD", "HK": "HKD", "BR": "BRL", "MX": "MXN", "ZA": "ZAR", "IL": "ILS",
    "TR": "TRY", "UA": "UAH",
}  # fmt: skip


def _known(code: str) -> str:
    code = (code or "").strip().upper()
    return code if code in known_currencies() else ""


def currency_from_accept_language(header: str) -> str:
    """The currency of the first language tag naming a country (de-CH → CHF), if we have a
    rate for it; "" otherwise (no country, an unknown one, or a header too long to parse)."""
    for lang, _q in parse_accept_lang_header(header or ""):
        parts = lang.replace("_", "-").split("-")
        region = next((p for p in parts[1:] if len(p) == 2 and p.isalpha()), "")
        if region:
            return _known(COUNTRY_CURRENCY.get(region.upper(), ""))
    return ""


def fallback_currency(request: HttpRequest) -> str:
    """Without an explicit choice: the profile's setting, else the browser's country, else EUR."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        profile = getattr(user, "profile", None)
        setting = _known(getattr(profile, "salary_currency", "") or "")
        if setting:
            return setting
    header = request.headers.get("Accept-Language", "")
    return currency_from_accept_language(header) or DEFAULT_CURRENCY


def default_currency(request: HttpRequest) -> str:
    """The reader's currency when the URL names none: the remembered choice, else the fallback."""
    return _known(request.COOKIES.get(CURRENCY_COOKIE, "")) or fallback_currency(request)


def remember_currency(request: HttpRequest, response: HttpResponse, explicit: str) -> None:
    """Remember an explicit `currency=` in the cookie when it differs from what the reader would
    get without it, and forget it when it is that default again. The cookie is set only when it
    changes: a response that sets one is never shared by the page cache."""
    if not explicit:
        return
    wanted = "" if explicit == fallback_currency(request) else explicit
    current = _known(request.COOKIES.get(CURRENCY_COOKIE, ""))
    if wanted == current:
        return
    if wanted:
        response.set_cookie(
            CURRENCY_COOKIE,
            wanted,
            max_age=CURRENCY_COOKIE_MAX_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    else:
        response.delete_cookie(CURRENCY_COOKIE, samesite="Lax")


def page_cache_variant(request: HttpRequest) -> str:
    """The part of a public page's cache key that the currency adds (only /jobs/ converts)."""
    match = request.resolver_match
    if match is None or match.view_name != "jobs:list":
        return ""
    return "currency=" + default_currency(request)
