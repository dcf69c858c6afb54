"""The user's timezone, in one place: times are stored in UTC and shown in the user's zone."""

from __future__ import annotations

import functools
import zoneinfo
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

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


@functools.lru_cache(maxsize=4)
def _options(choices: tuple[tuple[str, str], ...]) -> tuple[tuple[str, ...], dict[str, int]]:
    html = tuple(
        format_html('<option value="{}">{}</option>', value, label) for value, label in choices
    )
    return html, {value: i for i, (value, _) in enumerate(choices)}


class ZoneSelect(forms.Select):
    """The select of every zone (about 600 options), its options made once per process: Django's
    widget templates, an include per option, took 40-60 ms a form (the application page renders
    it in the interview form; a failed form comes back with it)."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        choices = tuple((str(v), str(label)) for v, label in self.choices)
        html, index = _options(choices)
        chosen = self.format_value(value)
        options = list(html)
        for v in chosen:
            if (i := index.get(v)) is not None:
                options[i] = format_html('<option value="{}" selected>{}</option>', *choices[i])
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        return mark_safe(f"<select{flatatt(final)}>\n{chr(10).join(options)}\n</select>")  # noqa: S308 - escaped above
