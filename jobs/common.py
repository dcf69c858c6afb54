"""Helpers used by more than one jobs/tracking package: one copy each."""

from __future__ import annotations

from jobs.models import SalaryPeriod
from jobs.search import PERIOD_FACTORS


def _amount(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f"{low:,}" if low == high else f"{low:,}–{high:,}"
    return f"from {low:,}" if low is not None else f"up to {high:,}"


def salary_text(low: int | None, high: int | None, currency: str, period: str) -> str:
    """The salary range as the posting states it ("EUR 60,000–70,000 per year"), or ""."""
    if low is None and high is None:
        return ""
    label = SalaryPeriod(period).label if period in SalaryPeriod.values else ""
    return f"{currency} {_amount(low, high)} {label}".strip()


def yearly_salary_text(low: int | None, high: int | None, currency: str, period: str) -> str:
    """The salary range converted to a year ("EUR 62,400–72,800 a year"), or ""."""
    if low is None and high is None:
        return ""
    factor = PERIOD_FACTORS.get(period, 1)
    lo = low * factor if low is not None else None
    hi = high * factor if high is not None else None
    return f"{currency} {_amount(lo, hi)} a year".strip()
