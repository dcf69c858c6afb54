"""The user's timezone, in one place: times are stored in UTC and shown in the user's zone."""

from __future__ import annotations

import functools
import zoneinfo
from typing import Any

UTC = zoneinfo.ZoneInfo("UTC")


def zone_named(name: str | None) -> zoneinfo.ZoneInfo:
    """The zone called `name`, or UTC when it is empty or unknown (a stale tzdata name)."""
    if not name:
        return UTC
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return UTC


def user_timezone(user: Any) -> zoneinfo.ZoneInfo:
    """The zone of the user's profile (UTC without a profile or with an unknown name)."""
    profile = getattr(user, "profile", None)
    return zone_named(profile.timezone if profile else None)


@functools.cache
def _choices() -> tuple[tuple[str, str], ...]:
    return tuple(sorted((tz, tz.replace("_", " ")) for tz in zoneinfo.available_timezones()))


def timezone_choices() -> list[tuple[str, str]]:
    """Every zone the machine's tzdata knows, for `choices=`. A callable (and not a list) so
    that migrations refer to it instead of freezing today's list: a tzdata update changes
    the choices without making a migration."""
    return list(_choices())
