"""The range of dates a person may enter, and the fields that keep to it.

Python's datetimes end at 9999-12-31: a reminder due at 9999-12-31 23:59 UTC cannot be shown
in UTC+14 (Pacific/Kiritimati) nor snoozed by a day, and 0001-01-01 cannot be shown in UTC-12;
both raised OverflowError (a 500) on every page that showed them. Every date or datetime a user,
an employer or an import enters (reminders, interviews, applied dates, stage changes, deadlines,
posting expiry, date filters) is kept between EARLIEST and LATEST:

- forms and the importer refuse a value outside with `RANGE_MESSAGE` on the field;
- services refuse to shift a date past LATEST (`shifted`);
- the model fields (`BoundedDateTimeField`, `BoundedDateField`) validate the range and read a
  stored value outside it as the nearest bound, so rows written before the bound existed (or by
  a path that skipped validation) still render; migration tracking 0007 / jobs 0010 clamp them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

EARLIEST_YEAR = 1900
LATEST_YEAR = 2200
EARLIEST = dt.datetime(EARLIEST_YEAR, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(LATEST_YEAR, 12, 31, 23, 59, 59, 999999, tzinfo=dt.UTC)
EARLIEST_DATE = EARLIEST.date()
LATEST_DATE = LATEST.date()
RANGE_MESSAGE = f"Pick a date between {EARLIEST_YEAR} and {LATEST_YEAR}."


def in_range(value: dt.date | dt.datetime | None) -> bool:
    """True for None and for a date or datetime between EARLIEST and LATEST."""
    if value is None:
        return True
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            return EARLIEST.replace(tzinfo=None) <= value <= LATEST.replace(tzinfo=None)
        try:
            utc = value.astimezone(dt.UTC)
        except OverflowError:  # beyond year 1..9999 once shifted to UTC
            return False
        return EARLIEST <= utc <= LATEST
    return EARLIEST_DATE <= value <= LATEST_DATE


def validate_in_range(value: Any) -> None:
    """A field validator: `RANGE_MESSAGE` for a date outside the range."""
    if not in_range(value):
        raise ValidationError(RANGE_MESSAGE, code="date_range")


def clamp(value: Any) -> Any:
    """The value, or the bound it passed (None and non-dates unchanged)."""
    if value is None or in_range(value):
        return value
    if isinstance(value, dt.datetime):
        low, high = EARLIEST, LATEST
        if value.tzinfo is None:
            low, high = low.replace(tzinfo=None), high.replace(tzinfo=None)
        return high if value.year > EARLIEST_YEAR else low
    if isinstance(value, dt.date):
        return LATEST_DATE if value > LATEST_DATE else EARLIEST_DATE
    return value


def shifted(value: dt.datetime, delta: dt.timedelta, *, field: str) -> dt.datetime:
    """`value + delta`, or a ValidationError on `field` when that leaves the range."""
    try:
        result = value + delta
    except OverflowError:
        result = None
    if result is None or not in_range(result):
        raise ValidationError(
            {field: f"That would move it past {LATEST_YEAR}. {RANGE_MESSAGE}"}, code="date_range"
        )
    return result


class BoundedDateTimeField(models.DateTimeField):
    """A DateTimeField a person fills: validated to the range, read back clamped to it."""

    default_validators = [validate_in_range]

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return clamp(value)


class BoundedDateField(models.DateField):
    """A DateField a person fills: validated to the range, read back clamped to it."""

    default_validators = [validate_in_range]

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return clamp(value)
