"""Salaries compared in one currency and period: the reference rates (`ExchangeRate`), loading
them from a CSV (`manage.py load_rates`, the admin), and recomputing the postings' yearly EUR
ranges when a rate changes.

A posting's `salary_eur_min`/`salary_eur_max` are computed by PostgreSQL itself (the trigger of
migration 0014, `jobs_posting_salary_eur`): every insert or update of the salary columns, from a
form, an import's bulk_create or a source's sync, gets them without Python remembering to.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.db.models import F

from jobs.models import ExchangeRate, Posting

DEFAULT_RATES_FILE = Path(__file__).parent / "data" / "exchange_rates.csv"
COLUMNS = ("currency", "rate_to_eur", "as_of")
MAX_ROWS = 1_000


@dataclass(frozen=True)
class RateRow:
    currency: str
    rate_to_eur: Decimal
    as_of: date


class RatesFileError(ValueError):
    """A rates file that cannot be loaded; `problems` names each row and column."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def parse_rates_csv(text: str) -> list[RateRow]:
    """The rows of a rates CSV (header `currency,rate_to_eur,as_of`), or RatesFileError naming
    every bad row and column. All or nothing: one bad row loads none."""
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise RatesFileError([f"Row 1 (header): missing column {', '.join(missing)}."])
    problems: list[str] = []
    rows: dict[str, RateRow] = {}
    for number, raw in enumerate(reader, start=2):
        if number > MAX_ROWS + 1:
            raise RatesFileError([f"More than {MAX_ROWS:,} rows."])
        values = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k}
        currency = values.get("currency", "").upper()
        if not (len(currency) == 3 and currency.isascii() and currency.isalpha()):
            problems.append(f"Row {number}, column currency: {currency!r} is not a 3-letter code.")
            continue
        try:
            rate = Decimal(values.get("rate_to_eur", ""))
        except InvalidOperation:
            rate = Decimal(0)
        if not rate.is_finite() or rate <= 0 or rate >= Decimal(10) ** 10:
            problems.append(
                f"Row {number}, column rate_to_eur: {values.get('rate_to_eur', '')!r} is not a"
                " positive number."
            )
            continue
        try:
            as_of = date.fromisoformat(values.get("as_of", ""))
        except ValueError:
            problems.append(
                f"Row {number}, column as_of: {values.get('as_of', '')!r} is not a date"
                " (YYYY-MM-DD)."
            )
            continue
        if currency in rows:
            problems.append(f"Row {number}, column currency: {currency} appears twice.")
            continue
        rows[currency] = RateRow(currency, rate, as_of)
    if problems:
        raise RatesFileError(problems)
    if not rows:
        raise RatesFileError(["The file has no rows."])
    return list(rows.values())


def exchange_rates_load(*, rows: list[RateRow]) -> tuple[int, int]:
    """Create or update the rates of `rows` and recompute the salaries in those currencies.
    Returns (created, updated)."""
    created = updated = 0
    with transaction.atomic():
        for row in rows:
            _, was_created = ExchangeRate.objects.update_or_create(
                currency=row.currency,
                defaults={"rate_to_eur": row.rate_to_eur, "as_of": row.as_of},
            )
            created += was_created
            updated += not was_created
        postings_salary_renormalise(currencies=[row.currency for row in rows])
    return created, updated


def postings_salary_renormalise(*, currencies: list[str]) -> int:
    """Recompute the yearly EUR range of the postings paid in `currencies` (after a rate changed):
    touching the currency column fires the trigger. Returns the number of postings."""
    codes = {c.upper() for c in currencies}
    if "EUR" in codes:
        codes.add("")  # no currency stated: read as EUR
    return Posting.objects.filter(salary_currency__in=codes).update(
        salary_currency=F("salary_currency")
    )
