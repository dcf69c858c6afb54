"""The public pages' response cache (config/page_cache.py): served from Redis to anonymous
visitors, stale after every kind of change to what they show, never shared with signed-in
users, and free of per-visitor tokens."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from config import page_cache
from jobs.employer import services
from jobs.imports.importers import import_postings
from jobs.models import Company, Posting, PostingStatus
from jobs.moderation.services import posting_approve, posting_reject
from jobs.summary.services import posting_summary_refresh
from tests.factories import CompanyFactory, PostingFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _enabled(settings):
    settings.PAGE_CACHE_ENABLED = True
    page_cache.forget_local()  # the suite clears Redis between tests; this process's copies too
    yield
    page_cache.forget_local()


@pytest.fixture
def member():
    return UserFactory()


@pytest.fixture
def company(member):
    company = CompanyFactory(name="Acme", slug="acme")
    company.memberships.create(user=member, role="owner")
    return company


@pytest.fixture
def posting(company):
    return PostingFactory(company=company, title="Python Developer")


@pytest.fixture
def staff():
    return UserFactory(is_staff=True)


def get(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code in (200, 304), response.status_code
    return response


PAGES = [
    lambda p: reverse("jobs:list"),
    lambda p: reverse("jobs:list") + "?q=python",
    lambda p: p.get_absolute_url(),
    lambda p: p.company.get_absolute_url(),
    lambda p: reverse("jobs:feed_rss"),
]


@pytest.mark.parametrize("page", PAGES, ids=["list", "search", "posting", "company", "rss"])
def test_an_anonymous_page_is_served_from_the_cache_the_second_time(client, posting, page):
    url = page(posting)
    first = get(client, url)
    second = get(client, url)

    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert "public" in second["Cache-Control"] and "max-age=" in second["Cache-Control"]
    assert "stale-while-revalidate=" in second["Cache-Control"]
    assert {"cookie", "hx-request"} <= {v.strip().lower() for v in second["Vary"].split(",")}
    assert not second.cookies


def test_the_query_is_normalised_sorted_and_defaults_dropped(client, posting):
    url = reverse("jobs:list")
    assert get(client, url + "?q=python&workplace=onsite")["X-Page-Cache"] == "miss"
    same = get(client, url + "?workplace=onsite&sort=relevance&page=1&q=python&location=")
    assert same["X-Page-Cache"] == "hit"
    assert get(client, url + "?q=python&workplace=remote")["X-Page-Cache"] == "miss"


def test_the_htmx_fragment_and_the_whole_page_are_kept_apart(client, posting):
    url = reverse("jobs:list") + "?q=python"
    whole = get(client, url)
    fragment = get(client, url, HX_Request="true")

    assert fragment["X-Page-Cache"] == "miss"
    assert b"<html" in whole.content and b"<html" not in fragment.content
    again = get(client, url, HX_Request="true")
    assert again["X-Page-Cache"] == "hit" and again.content == fragment.content
    assert again["HX-Push-Url"] == fragment["HX-Push-Url"]


def test_a_matching_etag_gets_a_304(client, posting):
    url = posting.get_absolute_url()
    first = get(client, url)
    etag = first["ETag"]
    assert first["Last-Modified"]

    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    changed = client.get(url, headers={"If-None-Match": '"something-else"'})
    assert changed.status_code == 200


def test_anonymous_pages_carry_no_csrf_token_and_set_no_cookie(client, posting):
    for url in (reverse("jobs:list"), posting.get_absolute_url(), reverse("home")):
        response = get(client, url)
        body = response.content.decode()
        assert "csrfmiddlewaretoken" not in body, url
        assert "X-CSRFToken" not in body, url
        assert "csrftoken" not in response.cookies, url
    # Save is a link to log in: no form that would need a token.
    body = get(client, reverse("jobs:list")).content.decode()
    assert f"{reverse('account_login')}?next=" in body


def test_signed_in_users_never_get_the_shared_page(client, posting):
    url = reverse("jobs:list")
    anonymous = get(client, url)
    assert anonymous["X-Page-Cache"] == "miss"
    user = UserFactory()
    client.force_login(user)

    mine = get(client, url)

    assert "X-Page-Cache" not in mine
    assert "private" in mine["Cache-Control"] and "no-store" in mine["Cache-Control"]
    body = mine.content.decode()
    assert "X-CSRFToken" in body  # their own token, in their own page
    assert user.display_name in body
    # ... and what they saw was not stored for anyone else.
    client.logout()
    later = get(client, url)
    assert later["X-Page-Cache"] == "hit"
    assert user.display_name not in later.content.decode()
    assert "X-CSRFToken" not in later.content.decode()


def test_a_visitor_with_a_message_waiting_gets_a_page_of_their_own(client, posting):
    url = reverse("jobs:list")
    get(client, url)
    # An anonymous save stores a message ("Log in or sign up to save ...") in the session.
    client.post(reverse("tracking:save", args=[posting.pk]))

    response = get(client, url)

    assert "X-Page-Cache" not in response
    assert "Log in or sign up to save" in response.content.decode()
    assert get(client, url)["X-Page-Cache"] == "hit"  # the message was shown once


def test_a_page_that_sets_a_cookie_is_not_stored(rf, posting):
    from django.http import HttpResponse

    def view(request):
        response = HttpResponse("mine")
        response.set_cookie("who", "me")
        return response

    middleware = page_cache.PageCacheMiddleware(view)
    request = rf.get("/jobs/")
    request._page_cache = ("render", "pagecache:page:test", None, 0)
    response = middleware(request)
    assert response["X-Page-Cache"] == "bypass"
    assert cache.get("pagecache:page:test") is None


def test_many_misses_of_one_key_serve_the_old_copy_while_one_renders(client, posting, settings):
    url = reverse("jobs:list")
    request = client.get(url).wsgi_request
    page_cache._incr_generation()  # the data changed
    key = page_cache.page_key(request)
    # Someone else holds the render lock for this page.
    assert cache.add(key + ":lock", 1, timeout=5)

    response = get(client, url)

    assert response["X-Page-Cache"] == "stale"
    cache.delete(key + ":lock")
    assert get(client, url)["X-Page-Cache"] == "miss"


def test_without_an_old_copy_a_waiting_miss_renders_after_the_wait(client, posting, settings):
    settings.PAGE_CACHE_WAIT = 0.05
    url = reverse("jobs:list")
    request = client.get(url).wsgi_request
    key = page_cache.page_key(request)
    cache.clear()
    page_cache.forget_local()
    assert cache.add(key + ":lock", 1, timeout=5)

    response = get(client, url)

    assert response["X-Page-Cache"] == "miss"


# --- no stale page after a change ------------------------------------------------------------


def _seen(client, url, text):
    return text in get(client, url).content.decode()


def test_publishing_a_posting_shows_it(
    client, company, member, staff, django_capture_on_commit_callbacks
):
    draft = PostingFactory(
        company=company, title="Kotlin Developer", status=PostingStatus.SUBMITTED, published_at=None
    )
    url = reverse("jobs:list")
    assert not _seen(client, url, "Kotlin Developer")
    assert not _seen(client, url, "Kotlin Developer")  # cached now

    with django_capture_on_commit_callbacks(execute=True):
        posting_approve(posting=draft, by=staff)
    assert _seen(client, url, "Kotlin Developer")
    assert _seen(client, company.get_absolute_url(), "Kotlin Developer")


def test_editing_a_posting_changes_its_page(client, posting, django_capture_on_commit_callbacks):
    url = posting.get_absolute_url()
    assert _seen(client, url, "Python Developer")
    with django_capture_on_commit_callbacks(execute=True):
        posting.team = "Platform Guild"
        posting.save()
    assert _seen(client, url, "Platform Guild")


def test_an_employer_edit_takes_the_posting_off_the_board(
    client, posting, member, django_capture_on_commit_callbacks
):
    url = reverse("jobs:list")
    assert _seen(client, url, "Python Developer")
    with django_capture_on_commit_callbacks(execute=True):
        services.posting_update(posting=posting, by=member, title="Python Developer II")
    assert not _seen(client, url, "Python Developer")


def test_closing_a_posting_shows_it_ended(
    client, posting, member, django_capture_on_commit_callbacks
):
    list_url = reverse("jobs:list")
    assert _seen(client, list_url, "Python Developer")
    assert _seen(client, reverse("jobs:feed_rss"), "Python Developer")
    with django_capture_on_commit_callbacks(execute=True):
        services.posting_close(posting=posting, by=member)
    assert not _seen(client, list_url, "Python Developer")
    assert not _seen(client, reverse("jobs:feed_rss"), "Python Developer")


def test_expiry_takes_the_posting_off_the_board(
    client, posting, django_capture_on_commit_callbacks
):
    Posting.objects.filter(pk=posting.pk).update(expires_at=timezone.now() + dt.timedelta(hours=1))
    url = reverse("jobs:list")
    assert _seen(client, url, "Python Developer")
    Posting.objects.filter(pk=posting.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    assert get(client, url)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        assert services.postings_expire() == 1
    assert get(client, url)["X-Page-Cache"] == "miss"
    assert not _seen(client, url, "Python Developer")


def test_an_import_shows_the_new_postings(client, django_capture_on_commit_callbacks):
    url = reverse("jobs:list")
    assert not _seen(client, url, "Imported Rust Engineer")
    data = (
        b"title,company,description,employment_type,workplace,apply_url\n"
        b"Imported Rust Engineer,Ferris Ltd,<p>Rust all day.</p>,full_time,remote,https://f.example/apply\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = import_postings(data, filename="rows.csv", source="test")
    assert report.ok, report.lines()
    assert _seen(client, url, "Imported Rust Engineer")


def test_a_summary_recompute_refreshes_the_cards(
    client, posting, django_capture_on_commit_callbacks
):
    url = reverse("jobs:list")
    get(client, url)
    assert get(client, url)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        assert posting_summary_refresh(posting=posting)
    assert get(client, url)["X-Page-Cache"] == "miss"


def test_a_company_edit_shows_the_new_name(
    client, posting, member, staff, django_capture_on_commit_callbacks
):
    from jobs.moderation.services import company_approve

    url = reverse("jobs:list")
    assert _seen(client, url, "Acme")
    with django_capture_on_commit_callbacks(execute=True):
        services.company_update(company=posting.company, by=member, name="Acme Robotics")
    # A company with live postings is renamed once staff approve (issue 16 point 3).
    assert not _seen(client, url, "Acme Robotics")
    with django_capture_on_commit_callbacks(execute=True):
        company_approve(company=Company.objects.get(pk=posting.company_id), by=staff)
    assert _seen(client, url, "Acme Robotics")
    assert _seen(client, posting.get_absolute_url(), "Acme Robotics")


def test_rejecting_a_resubmitted_posting_keeps_it_off_the_board(
    client, posting, member, staff, django_capture_on_commit_callbacks
):
    url = reverse("jobs:list")
    with django_capture_on_commit_callbacks(execute=True):
        services.posting_update(posting=posting, by=member, title="Python Developer II")
    assert not _seen(client, url, "Python Developer")
    with django_capture_on_commit_callbacks(execute=True):
        posting_reject(posting=Posting.objects.get(pk=posting.pk), by=staff, reason="Spam")
    assert not _seen(client, url, "Python Developer")
    with django_capture_on_commit_callbacks(execute=True):
        services.posting_submit(posting=Posting.objects.get(pk=posting.pk), by=member)
        posting_approve(posting=Posting.objects.get(pk=posting.pk), by=staff)
    assert _seen(client, url, "Python Developer II")


def test_a_change_rolled_back_leaves_the_cache_alone(client, posting):
    from django.db import transaction

    url = reverse("jobs:list")
    get(client, url)
    before = page_cache.current_generation()
    try:
        with transaction.atomic():
            posting.title = "Never Seen"
            posting.save()
            raise RuntimeError
    except RuntimeError:
        pass
    assert page_cache.current_generation() == before


def test_another_process_change_is_seen_within_the_generation_check(client, posting, settings):
    """This process keeps the generation for PAGE_CACHE_GENERATION_CHECK seconds; a bump made
    by another process (here: straight in Redis) is seen once that has passed."""
    settings.PAGE_CACHE_GENERATION_CHECK = 0
    url = reverse("jobs:list")
    get(client, url)
    assert get(client, url)["X-Page-Cache"] == "hit"
    client_redis = cache._cache.get_client(write=True)
    client_redis.incr(cache.make_key(page_cache.GENERATION_KEY))

    assert get(client, url)["X-Page-Cache"] == "miss"


def test_no_bump_while_the_page_cache_is_off(settings, company, django_capture_on_commit_callbacks):
    settings.PAGE_CACHE_ENABLED = False
    with django_capture_on_commit_callbacks() as callbacks:
        PostingFactory(company=company)
    assert page_cache._incr_generation not in callbacks
