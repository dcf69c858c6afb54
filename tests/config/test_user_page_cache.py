"""The signed-in pages' response cache (config/user_page_cache.py): the board, /saved/ and the
dashboard served from Redis to their owner, never to anyone else or another session, stale
after every kind of write, with a working CSRF token, messages shown once, and Redis down
answered by an uncached page."""

import datetime as dt
import json
import re
import socket

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.tokens.services import api_token_create
from config import page_cache, user_page_cache
from tests.factories import ApplicationFactory, PostingFactory, ReminderFactory
from tracking.alerts.services import scan_due_reminders
from tracking.applications.services import stage_for_key
from tracking.models import Application, SavedJob

pytestmark = pytest.mark.django_db

BOARD, SAVED, DASHBOARD = "/applications/", "/saved/", "/dashboard/"
JOBS = "/jobs/"
PAGES = [BOARD, SAVED, DASHBOARD, "/dashboard/data.json", JOBS, JOBS + "?q=data"]
TOKEN = re.compile(rb"[A-Za-z0-9]{64}")  # a masked CSRF token: fresh in every render


@pytest.fixture(autouse=True)
def _enabled(settings):
    settings.USER_PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_ENABLED = True
    user_page_cache.forget_local()  # the suite clears Redis between tests; this process too
    page_cache.forget_local()
    yield
    user_page_cache.forget_local()
    page_cache.forget_local()


@pytest.fixture
def posting():
    return PostingFactory(title="Data Engineer")


@pytest.fixture
def application(user, posting):
    return ApplicationFactory(
        user=user, posting=posting, title="Data Engineer", stage_key="applied"
    )


def signed_in(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def get(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code)
    return response


def warm(client, url, **headers):
    """The first GET sets the CSRF cookie (not kept: it sets a cookie); the second is stored."""
    stored = get(client, url, **headers)
    if stored["X-User-Cache"] == "bypass":  # the CSRF cookie was made now: not kept
        stored = get(client, url, **headers)
    assert stored["X-User-Cache"] in ("miss", "hit"), url
    return stored


def tokens_out(content: bytes) -> bytes:
    return TOKEN.sub(b"TOKEN", content)


def fresh(client, url, settings) -> bytes:
    """The page rendered now, without the cache."""
    settings.USER_PAGE_CACHE_ENABLED = False
    try:
        return tokens_out(get(client, url).content)
    finally:
        settings.USER_PAGE_CACHE_ENABLED = True


def csrf_token(content: bytes) -> str:
    found = re.search(rb'"X-CSRFToken": "([A-Za-z0-9]{64})"', content)
    assert found, "no CSRF token in the page"
    return found.group(1).decode()


# --- served from the cache -------------------------------------------------------------------


@pytest.mark.parametrize("url", PAGES)
def test_a_signed_in_page_is_served_from_the_cache_the_second_time(user, application, url):
    client = signed_in(user)
    stored = warm(client, url)
    hit = get(client, url)

    assert hit["X-User-Cache"] == "hit"
    assert hit.content == stored.content
    assert hit["Content-Type"] == stored["Content-Type"]
    assert "private" in hit["Cache-Control"] and "no-store" in hit["Cache-Control"]
    assert not hit.cookies
    # The headers every response gets are added around a hit as around a render.
    for header in ("Content-Security-Policy", "X-Frame-Options", "Permissions-Policy"):
        assert hit[header] == stored[header], header
    assert "Cookie" in hit["Vary"]


@pytest.mark.parametrize("url", [BOARD, SAVED, DASHBOARD])
def test_a_hit_makes_no_query(user, application, url, django_assert_num_queries):
    client = signed_in(user)
    warm(client, url)
    # The session comes from Redis (config/sessions.py); the user and the profile are not
    # loaded (the session's user id and the entry's timezone are enough).
    with django_assert_num_queries(0):
        assert get(client, url)["X-User-Cache"] == "hit"


def test_the_htmx_fragment_and_the_whole_page_are_kept_apart(user, application):
    client = signed_in(user)
    whole = warm(client, SAVED)
    fragment = warm(client, SAVED, HX_Request="true")
    assert b"<html" in whole.content and b"<html" not in fragment.content
    again = get(client, SAVED, HX_Request="true")
    assert again["X-User-Cache"] == "hit" and again.content == fragment.content
    pipeline = warm(client, DASHBOARD, HX_Request="true", HX_Target="pipeline")
    assert b"<html" not in pipeline.content
    assert get(client, DASHBOARD, HX_Request="true", HX_Target="pipeline").content == (
        pipeline.content
    )


def test_the_query_string_is_part_of_the_key(user, application):
    client = signed_in(user)
    warm(client, BOARD)
    assert get(client, BOARD + "?stage=applied")["X-User-Cache"] != "hit"
    assert get(client, BOARD)["X-User-Cache"] == "hit"


def test_a_new_day_in_the_users_timezone_renders_again(user, application):
    user.profile.timezone = "Pacific/Auckland"
    user.profile.save()
    client = signed_in(user)
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 59, 30, tzinfo=dt.UTC), tick=False):
        warm(client, DASHBOARD)  # 23:59:30 in Auckland
        assert get(client, DASHBOARD)["X-User-Cache"] == "hit"
    with time_machine.travel(dt.datetime(2026, 3, 2, 11, 0, 10, tzinfo=dt.UTC), tick=False):
        assert get(client, DASHBOARD)["X-User-Cache"] == "miss"  # 00:00:10 the next day


def test_an_entry_older_than_the_ttl_renders_again(user, application, settings):
    client = signed_in(user)
    warm(client, BOARD)
    later = timezone.now() + dt.timedelta(seconds=settings.USER_PAGE_CACHE_TTL + 1)
    with time_machine.travel(later, tick=False):
        assert get(client, BOARD)["X-User-Cache"] == "miss"


# --- never someone else's page ----------------------------------------------------------------


@pytest.mark.parametrize("url", [BOARD, SAVED, DASHBOARD])
def test_another_user_never_gets_your_page(user, other_user, application, url):
    mine = warm(signed_in(user), url)
    assert b"Data Engineer" in mine.content or url != BOARD
    theirs = signed_in(other_user)
    first = get(theirs, url)
    second = get(theirs, url)
    assert first["X-User-Cache"] != "hit" and second["X-User-Cache"] != "hit"
    assert other_user.email.encode() not in mine.content
    assert tokens_out(second.content) != tokens_out(mine.content)
    if url == BOARD:
        assert b"Data Engineer" not in second.content


def test_an_anonymous_visitor_is_sent_to_log_in(user, application):
    warm(signed_in(user), BOARD)
    response = Client().get(BOARD)
    assert response.status_code == 302 and "X-User-Cache" not in response


def test_a_second_session_gets_its_own_page_with_a_token_that_works(user, application):
    first = signed_in(user, enforce_csrf_checks=True)
    cached = warm(first, BOARD)
    assert get(first, BOARD)["X-User-Cache"] == "hit"

    second = signed_in(user, enforce_csrf_checks=True)  # another browser: another CSRF secret
    get(second, BOARD)
    page = get(second, BOARD)
    assert page["X-User-Cache"] == "miss"  # not the first session's copy
    token = csrf_token(page.content)
    assert token != csrf_token(cached.content)
    hit = get(second, BOARD)
    assert hit["X-User-Cache"] == "hit"

    applied = stage_for_key(user=user, key="interview")
    move = reverse("tracking:move", args=[application.pk])
    for client, page_token in (
        (second, csrf_token(hit.content)),
        (first, csrf_token(cached.content)),
    ):
        response = client.post(move, {"stage": applied.pk}, headers={"X-CSRFToken": page_token})
        assert response.status_code in (200, 302), response.status_code
    # A token from one session's page is refused in the other: the key had to tell them apart.
    refused = first.post(move, {"stage": applied.pk}, headers={"X-CSRFToken": token})
    assert refused.status_code == 403


def test_a_new_log_in_misses(user, application):
    client = signed_in(user)
    warm(client, BOARD)
    client.logout()
    client.force_login(user)  # a new session, and a new CSRF cookie (logout dropped them)
    assert get(client, BOARD)["X-User-Cache"] == "bypass"  # makes the CSRF cookie: not kept
    assert get(client, BOARD)["X-User-Cache"] == "miss"
    assert get(client, BOARD)["X-User-Cache"] == "hit"


def test_a_password_changed_elsewhere_ends_the_cached_session(
    user, application, django_capture_on_commit_callbacks
):
    client = signed_in(user)
    warm(client, BOARD)
    with django_capture_on_commit_callbacks(execute=True):
        user.set_password("a new one, set from a reset link")
        user.save()
    response = client.get(BOARD)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_deactivated_user_gets_no_cached_page(
    user, application, django_capture_on_commit_callbacks
):
    client = signed_in(user)
    warm(client, BOARD)
    with django_capture_on_commit_callbacks(execute=True):
        user.is_active = False
        user.save()
    assert client.get(BOARD).status_code == 302


def test_a_logged_out_session_gets_no_cached_page(user, application):
    client = signed_in(user)
    warm(client, BOARD)
    session = client.cookies["sessionid"].value
    client.logout()
    client.cookies["sessionid"] = session  # the old cookie, kept by someone
    assert client.get(BOARD).status_code == 302


# --- no stale page after a write ----------------------------------------------------------------


def _check_fresh_after(client, settings, url, write):
    """The page is cached; `write` changes something; the next GET renders it again and shows
    what a render without the cache shows."""
    before = warm(client, url)
    assert get(client, url)["X-User-Cache"] == "hit"
    write()
    after = get(client, url)
    if after["X-User-Cache"] == "bypass":  # the write's message, shown once on this page
        after = get(client, url)
    assert after["X-User-Cache"] == "miss", after["X-User-Cache"]
    assert tokens_out(after.content) == fresh(client, url, settings)
    return before, after


def test_moving_an_application_shows_on_the_board_and_the_dashboard(user, application, settings):
    client = signed_in(user)
    offer = stage_for_key(user=user, key="offer")
    move = reverse("tracking:move", args=[application.pk])
    warm(client, DASHBOARD)
    before, after = _check_fresh_after(
        client, settings, BOARD, lambda: client.post(move, {"stage": offer.pk})
    )
    assert Application.objects.get(pk=application.pk).stage == offer
    assert tokens_out(before.content) != tokens_out(after.content)
    assert get(client, DASHBOARD)["X-User-Cache"] == "miss"


def test_a_note_renders_the_pages_again(user, application, settings):
    client = signed_in(user)
    add = reverse("tracking:note_add", args=[application.pk])
    _check_fresh_after(client, settings, BOARD, lambda: client.post(add, {"body": "Called Sam"}))
    assert application.notes.filter(body="Called Sam").exists()


def test_a_reminder_shows_on_the_board(user, application, settings):
    client = signed_in(user)
    add = reverse("tracking:reminder_add", args=[application.pk])
    due = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    before, after = _check_fresh_after(
        client,
        settings,
        BOARD,
        lambda: client.post(add, {"due_at": due, "message": "Ask about the offer"}),
    )
    assert b"Ask about the offer" in after.content and b"Ask about the offer" not in before.content


def test_saving_and_unsaving_show_on_the_saved_page(user, application, settings):
    client = signed_in(user)
    other = PostingFactory(title="Platform Engineer")
    _, after = _check_fresh_after(
        client, settings, SAVED, lambda: client.post(reverse("tracking:save", args=[other.pk]))
    )
    assert SavedJob.objects.filter(user=user, posting=other).exists()
    assert b"Platform Engineer" in after.content
    _, gone = _check_fresh_after(
        client, settings, SAVED, lambda: client.post(reverse("tracking:unsave", args=[other.pk]))
    )
    assert b"Platform Engineer" not in gone.content


def test_saving_from_the_search_shows_the_saved_button(user, posting, settings):
    client = signed_in(user)
    save = reverse("tracking:save", args=[posting.pk])
    before, after = _check_fresh_after(client, settings, JOBS, lambda: client.post(save))
    assert SavedJob.objects.filter(user=user, posting=posting).exists()
    assert tokens_out(before.content) != tokens_out(after.content)


def test_anonymous_search_pages_still_come_from_the_shared_page_cache(user, posting):
    warm(signed_in(user), JOBS)
    anonymous = Client()
    anonymous.get(JOBS)
    response = anonymous.get(JOBS)
    assert response["X-Page-Cache"] == "hit" and "X-User-Cache" not in response
    assert b"csrfmiddlewaretoken" not in response.content


def test_a_new_collection_shows_on_the_saved_page_with_its_message_once(user, posting, settings):
    client = signed_in(user)
    SavedJob.objects.create(user=user, posting=posting)
    before = warm(client, SAVED)
    response = client.post(reverse("tracking:saved_collections"), {"name": "Dream jobs"})
    assert response.status_code == 302
    with_message = get(client, SAVED)
    assert with_message["X-User-Cache"] == "bypass"
    assert "Created the collection" in with_message.content.decode()
    after = get(client, SAVED)  # the message was shown: not again, and not from a copy
    assert "Created the collection" not in after.content.decode()
    assert after["X-User-Cache"] == "miss"
    assert b"Dream jobs" in after.content and b"Dream jobs" not in before.content
    assert get(client, SAVED)["X-User-Cache"] == "hit"
    assert "Created the collection" not in get(client, SAVED).content.decode()


def test_a_timezone_change_renders_in_the_new_zone(user, application, settings):
    client = signed_in(user)
    profile = user.profile

    def change():
        response = client.post(
            reverse("accounts:profile"),
            {
                "display_name": profile.display_name or "Sam",
                "skills": "",
                "preferred_locations": "",
                "timezone": "Asia/Tokyo",
                "email_notifications": [],
            },
        )
        assert response.status_code in (200, 302)

    _check_fresh_after(client, settings, DASHBOARD, change)
    user.profile.refresh_from_db()
    assert user.profile.timezone == "Asia/Tokyo"


def test_tracker_settings_render_the_pages_again(user, application, settings):
    client = signed_in(user)
    _check_fresh_after(
        client,
        settings,
        DASHBOARD,
        lambda: client.post(reverse("tracking:settings"), {"stale_after_days": 3}),
    )


def test_a_celery_scan_renders_the_users_pages_again(
    user, application, settings, django_capture_on_commit_callbacks
):
    ReminderFactory(application=application, due_at=timezone.now() - dt.timedelta(minutes=5))
    client = signed_in(user)

    def scan():
        with django_capture_on_commit_callbacks(execute=True):
            assert scan_due_reminders() == 1

    _check_fresh_after(client, settings, DASHBOARD, scan)


def test_a_clip_through_the_api_shows_on_the_board(user, application, settings):
    secret = api_token_create(user=user, name="Test")[1]
    client = signed_in(user)
    html = "<html><head><title>Site Reliability Engineer at Initech</title></head><body><h1>Site Reliability Engineer</h1><p>Initech is hiring a Site Reliability Engineer in Berlin. You will run Kubernetes and PostgreSQL.</p></body></html>"

    def clip():
        response = Client().post(
            "/api/clip/",
            data=json.dumps(
                {"url": "https://jobs.example.test/sre", "html": html, "action": "track"}
            ),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {secret}",
        )
        assert response.status_code == 201, response.content

    _, after = _check_fresh_after(client, settings, BOARD, clip)
    assert b"Site Reliability Engineer" in after.content


def test_a_public_change_renders_the_saved_page_again(user, posting, settings):
    SavedJob.objects.create(user=user, posting=posting)
    client = signed_in(user)

    def rename():
        posting.title = "Senior Data Engineer"
        posting.save()  # the page cache's signal bumps the public generation on commit
        page_cache._incr_generation()  # (the test's transaction never commits)

    _, after = _check_fresh_after(client, settings, SAVED, rename)
    assert b"Senior Data Engineer" in after.content


def test_a_rolled_back_or_failed_post_still_costs_only_one_render(user, application):
    client = signed_in(user)
    warm(client, BOARD)
    client.post(reverse("tracking:note_add", args=[application.pk]), {"body": ""})  # refused
    assert get(client, BOARD)["X-User-Cache"] == "miss"
    assert get(client, BOARD)["X-User-Cache"] == "hit"


def test_bump_users_waits_for_the_commit(user, django_capture_on_commit_callbacks):
    key = user_page_cache.generation_key(user.pk)
    from django.core.cache import cache

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        user_page_cache.bump_users([user.pk])
    assert cache.get(key) is None and len(callbacks) == 1
    callbacks[0]()
    assert cache.get(key) == 1


# --- Redis down ---------------------------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("url", [BOARD, SAVED, DASHBOARD])
def test_with_redis_down_the_pages_render_uncached(user, application, settings, url):
    client = signed_in(user)
    warm(client, url)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
        }
    }
    page_cache.forget_local()
    response = client.get(url)
    assert response.status_code == 200
    assert response.get("X-User-Cache") != "hit"
    assert b"Data Engineer" in response.content or url != BOARD
    move = client.post(
        reverse("tracking:move", args=[application.pk]),
        {"stage": stage_for_key(user=user, key="offer").pk},
    )
    assert move.status_code in (200, 302)  # the write works; its bump is logged and skipped


def test_with_redis_down_a_new_session_is_kept_in_postgresql(user, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
        }
    }
    from importlib import import_module

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store["x"] = 1
    store.create()
    again = import_module(settings.SESSION_ENGINE).SessionStore(store.session_key)
    assert again["x"] == 1


def test_outsider_id_in_a_cached_url_is_still_a_404(user, other_user, application):
    """The cache sits after the URL resolver and login: another user's collection is a 404."""
    theirs = signed_in(other_user)
    from tracking.models import Collection

    collection = Collection.objects.create(user=user, name="Mine")
    get(theirs, SAVED)
    assert theirs.get(f"{SAVED}?collection={collection.pk}").status_code == 404
    assert Application.objects.filter(user=other_user).count() == 0


def test_the_readers_currency_from_cookie_or_language_is_part_of_the_key(user, posting):
    """Signed-in /jobs/ converts salaries to the reader's currency (jobs/board/currency.py):
    a copy made for one currency is never served for another."""
    client = signed_in(user)
    warm(client, JOBS, **{"Accept-Language": "en-GB"})
    assert get(client, JOBS, **{"Accept-Language": "en-GB"})["X-User-Cache"] == "hit"
    assert get(client, JOBS, **{"Accept-Language": "de-CH"})["X-User-Cache"] != "hit"
    client.cookies["jt_currency"] = "USD"
    assert get(client, JOBS, **{"Accept-Language": "en-GB"})["X-User-Cache"] != "hit"
