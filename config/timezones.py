"""The user's timezone, in one place: times are stored in UTC and shown in the user's zone."""

from __future__ import annotations

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
