"""Helpers shared by the jobs packages (board, employer, moderation, imports, summary) and by
tracking: one copy each."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase


def staff_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Staff pages: anonymous visitors are sent to log in, signed-in non-staff get a 404."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_staff:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


# --- salaries ---------------------------------------------------------------------------------

# Salaries are compared per year.
PERIOD_FACTORS = {"hour": 2080, "day": 260, "week": 52, "month": 12, "year": 1}


def _amount(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f"{low:,}" if low == high else f"{low:,}–{high:,}"
    return f"from {low:,}" if low is not None else f"up to {high:,}"


def salary_text(low: int | None, high: int | None, currency: str, period: str) -> str:
    """A salary range as stated: "EUR 60,000–70,000 per year", "from 30 per hour", or ""."""
    from jobs.models import SalaryPeriod

    if low is None and high is None:
        return ""
    label = SalaryPeriod(period).label if period in SalaryPeriod.values else ""
    return f"{currency or ''} {_amount(low, high)} {label}".strip()


def yearly_salary_text(low: int | None, high: int | None, currency: str, period: str) -> str:
    """The salary range converted to a year ("EUR 62,400–72,800 a year"), or ""."""
    if low is None and high is None:
        return ""
    factor = PERIOD_FACTORS.get(period, 1)
    lo = low * factor if low is not None else None
    hi = high * factor if high is not None else None
    return f"{currency or ''} {_amount(lo, hi)} a year".strip()


def yearly_amount_text(low: float | None, high: float | None, currency: str) -> str:
    """Yearly amounts already converted: "EUR 27,000–36,000 a year", or ""."""
    if low is None and high is None:
        return ""
    lo = int(low) if low is not None else None
    hi = int(high) if high is not None else None
    return f"{currency} {_amount(lo, hi)} a year"
