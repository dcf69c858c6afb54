"""Issue 16, point 10: hostile parameters never give a 500.

Every GET pattern of the project (filled like the access matrix fills it, as the object's owner)
is asked with every query parameter the views read set to Unicode digits, NUL bytes, huge numbers
and extreme dates, by a user whose timezone is at one end of the clock (UTC+14 or UTC-12) and who
owns a reminder due at the end of year 9999. String path arguments get the same values. Property:
0 responses >= 500.
"""

import datetime as dt

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from tests.factories import ApplicationFactory, ReminderFactory
from tests.security.test_access_matrix import (
    MATRIX,
    PUBLIC_NAMESPACES,
    STAFF,
    TOKEN,
    World,
    _walk,
)

pytestmark = pytest.mark.django_db

EXTREME_TIMEZONES = ("Pacific/Kiritimati", "Etc/GMT+12")

# Every parameter name a view, form or search reads from the query string.
PARAMS = [
    "q",
    "page",
    "posted",
    "salary",
    "company",
    "country",
    "level",
    "location",
    "sort",
    "type",
    "workplace",
    "collection",
    "ids",
    "stage",
    "next",
    "start",
    "end",
    "range",
    "quick",
    "posting",
    "deadline",
    "days",
    "archived",
    "action",
    "token",
    "timezone",
    "date",
    "by",
    "direction",
    "limit",
    "open",
    "source",
    "position",
    "querystring",
    "k",
    "form_id",
    "starts_at",
    "due_at",
]

HOSTILE = {
    "unicode digits": "²",
    "unicode digits 2": "²3,²,٣",
    "arabic-indic": "٣٤",
    "nul byte": "a\x00b",
    "huge number": "9" * 40,
    "negative": "-99999999999999999999",
    "far future": "9999-12-31T23:59",
    "far past": "0001-01-01",
    "float overflow": "1e309",
}


# Health answers 503 by design while no worker runs: its own tests cover it.
HEALTH = {"healthz"}


@pytest.fixture
def world():
    world = World()
    # The owner's timezone is set per test; a reminder at the very end of the calendar.
    application = ApplicationFactory(user=world.owner)
    ReminderFactory(
        application=application,
        due_at=dt.datetime(9999, 12, 31, 23, 59, tzinfo=dt.UTC),
    )
    world.far_application = application
    return world


def _get_patterns():
    names = []
    for name, _route, has_args in _walk():
        if not name or name.split(":")[0] in PUBLIC_NAMESPACES or name in HEALTH:
            continue
        if has_args and name not in MATRIX and name not in TOKEN:
            continue
        names.append(name)
    return sorted(set(names))


def _set_timezone(user, tz: str) -> None:
    profile = user.profile
    profile.timezone = tz
    profile.save()


def _querystrings():
    for label, value in HOSTILE.items():
        yield label, {param: value for param in PARAMS}


@pytest.mark.parametrize("tz", EXTREME_TIMEZONES)
@pytest.mark.parametrize("name", _get_patterns())
def test_hostile_query_parameters_never_give_a_500(world, name, tz):
    if name in STAFF:
        world.owner = world.staff
    _set_timezone(world.owner, tz)
    kwargs = (MATRIX.get(name) or TOKEN.get(name) or (lambda w: {}))(world)
    try:
        url = reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        pytest.skip(f"{name} needs arguments this test does not know")
    client = Client(raise_request_exception=False)
    client.force_login(world.owner)
    failures = []
    for label, query in _querystrings():
        response = client.get(url, query)
        if response.status_code >= 500:
            failures.append(f"GET {url} with {label}: {response.status_code}")
    assert failures == []


@pytest.mark.parametrize("value", ["²", "\x00", "%00", "٣", "x" * 3000])
def test_hostile_string_path_arguments_never_give_a_500(world, value):
    client = Client(raise_request_exception=False)
    client.force_login(world.owner)
    failures = []
    for name, route, _has_args in _walk():
        if "<str:" not in route and "<slug:" not in route and "<token" not in route:
            continue
        if name.split(":")[0] in PUBLIC_NAMESPACES:
            continue
        path = "/" + route.split("<")[0] + value
        rest = route.split(">", 1)[1] if ">" in route else ""
        for method in ("get", "post"):
            response = getattr(client, method)(path + rest)
            if response.status_code >= 500:
                failures.append(f"{method.upper()} {path + rest!r}: {response.status_code}")
    assert failures == []


def test_calendar_feed_with_a_nul_byte_is_not_found():
    response = Client(raise_request_exception=False).get("/calendar/%00.ics")
    assert response.status_code == 404


# POSTs the review found answering 500 with Unicode digits.
POSTS = {
    "tracking:dashboard_move": lambda w: ({"pk": w.application.pk}, {"stage": "²"}),
    "tracking:move": lambda w: ({"pk": w.application.pk}, {"stage": "²"}),
    "tracking:saved_undo": lambda w: ({}, {"posting": "²", "collection": "²"}),
    "tracking:reminder_snooze": lambda w: ({"pk": w.reminder.pk}, {"days": "²"}),
    "tracking:dashboard_reminder_snooze": lambda w: ({"pk": w.reminder.pk}, {"days": "²"}),
    "jobs_summary:skill_add": lambda w: ({}, {"skill": "²", "posting": "²"}),
}


@pytest.mark.parametrize("tz", EXTREME_TIMEZONES)
@pytest.mark.parametrize("name", sorted(POSTS))
def test_hostile_posts_never_give_a_500(world, name, tz):
    _set_timezone(world.owner, tz)
    kwargs, data = POSTS[name](world)
    try:
        url = reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        pytest.fail(f"{name} is not a URL name any more: update POSTS")
    client = Client(raise_request_exception=False)
    client.force_login(world.owner)
    for value in HOSTILE.values():
        fuzzed = {key: value for key in data}
        for headers in ({}, {"HX-Request": "true"}):
            response = client.post(url, fuzzed, headers=headers)
            assert response.status_code < 500, (url, fuzzed, headers, response.status_code)


@pytest.mark.parametrize("tz", EXTREME_TIMEZONES)
def test_snoozing_a_reminder_due_at_the_end_of_the_calendar(world, tz):
    _set_timezone(world.owner, tz)
    reminder = world.far_application.reminders.get()
    client = Client(raise_request_exception=False)
    client.force_login(world.owner)
    for name in ("tracking:reminder_snooze", "tracking:dashboard_reminder_snooze"):
        for days in ("1", "7", "30"):
            response = client.post(reverse(name, kwargs={"pk": reminder.pk}), {"days": days})
            assert response.status_code < 500, (name, days, response.status_code)


@pytest.mark.parametrize("tz", EXTREME_TIMEZONES)
def test_a_reminder_at_the_end_of_the_calendar_is_refused_or_kept_sane(world, tz):
    _set_timezone(world.owner, tz)
    client = Client(raise_request_exception=False)
    client.force_login(world.owner)
    url = reverse("tracking:reminder_add", kwargs={"pk": world.application.pk})
    response = client.post(url, {"due_at": "9999-12-31T23:59", "text": "Far away"})
    assert response.status_code < 500
    assert timezone.now()  # the page answered; the snooze tests above cover what follows
