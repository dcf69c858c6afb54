"""Request parameters that become numbers or reach the database: one way to read them.

`str.isdigit()` is true for Unicode digits such as "²" or "٣" that `int()` refuses (or reads
as Arabic-Indic digits), and PostgreSQL refuses a NUL byte in any text value (psycopg raises
DataError: a 500). Every view, form and selector that turns a GET/POST value or a path argument
into a number or a query value goes through these helpers.
"""

from __future__ import annotations

from typing import Any

# A bigint holds 19 digits; ids and counts never need more than 18.
MAX_DIGITS = 18


def parse_int(
    raw: Any,
    *,
    default: int | None = None,
    min_value: int | None = None,
    max_value: int | None = None,
    max_digits: int = MAX_DIGITS,
) -> int | None:
    """An ASCII whole number ("42") within the bounds, or `default`: never an exception.

    Only ASCII digits count ("²", "٣", "1e3", "-1", " 4 " after stripping spaces is 4), and a
    value with more than `max_digits` digits is refused before `int()` sees it.
    """
    if raw is None:
        return default
    text = str(raw).strip()
    if not text or len(text) > max_digits or not (text.isascii() and text.isdigit()):
        return default
    value = int(text)
    if (min_value is not None and value < min_value) or (
        max_value is not None and value > max_value
    ):
        return default
    return value


def is_int(raw: Any, *, max_digits: int = MAX_DIGITS) -> bool:
    """True when `parse_int` would read a number from `raw`."""
    return parse_int(raw, max_digits=max_digits) is not None


def without_nul(raw: Any) -> str:
    """The text with its NUL bytes removed (PostgreSQL refuses them in text values)."""
    return str(raw or "").replace("\x00", "")


class TokenConverter:
    """`<token:name>` in a URL: a URL-safe token (secrets.token_urlsafe), nothing else.

    Anything else (a NUL byte, Unicode, punctuation) does not match the pattern: a 404 before
    the view, so it never reaches a query.
    """

    regex = r"[A-Za-z0-9_-]{1,128}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
