"""POST /api/clip/: every fixture page through the API, same-job dedupe, board postings, the
expiry email for clipped jobs, and every bad input (401, 413, 400, 429) changing nothing."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from accounts.models import ApiToken
from accounts.tokens.services import api_token_create, api_token_revoke, token_hash
from jobs.summary import summarize
from tests.factories import PostingFactory, UserFactory
from tracking.models import Application, Collection, Note, Notification, SavedJob

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"
API = "/api/clip/"


@pytest.fixture
def secret(user):
    return api_token_create(user=user, name="Test")[1]


def post(client, secret, body, **extra):
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post(
        API, data=data, content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}", **extra,
    )  # fmt: skip


def page(name):
    return (FIXTURES / name).read_text()


def nothing_saved():
    return not Application.objects.exists() and not SavedJob.objects.exists()


# --- the happy paths --------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir() if p.suffix == ".html"))
def test_each_fixture_page_is_saved_with_its_fields(client, user, secret, name):
    url = f"https://jobs.example.test/{name}"
    response = post(client, secret, {"url": url, "html": page(name), "action": "save"})
    assert response.status_code == 201, response.content
    body = response.json()
    app = Application.objects.get(user=user)
    assert body["url"].endswith(app.get_absolute_url())
    assert body["extracted"]["title"] == app.title
    assert body["extracted"]["company"] == app.company_name
    assert app.stage.key == "saved"
    assert app.source == "Clipped from jobs.example.test"
    # The summary runs on the clipped description: no page chrome in it.
    summary = summarize(app.posting_text, app.title)
    texts = [i.text for name in ("overview", "responsibilities", "required", "preferred",
             "benefits") for i in summary.section(name)]  # fmt: skip
    for text in texts:
        for word in ("Track This Job", "AI-Powered", "Pro Tip", "Easy Apply", "Show more"):
            assert word.lower() not in text.lower()


def test_track_puts_the_job_in_the_named_stage_with_a_note(client, user, secret):
    response = post(
        client, secret,
        {"url": "https://x.test/a", "html": page("ashby.html"), "action": "track",
         "stage": "Interview", "note": "Referred by Sam"},
    )  # fmt: skip
    assert response.status_code == 201
    app = Application.objects.get(user=user)
    assert app.stage.key == "interview"
    assert app.salary == "CAD 170,000–210,000 a year"
    assert app.workplace == "remote"
    assert app.expires_at == datetime(2027, 1, 16, 4, 59, 59, tzinfo=UTC)
    assert Note.objects.get(application=app).body == "Referred by Sam"


def test_preview_extracts_without_saving(client, secret):
    response = post(client, secret, {"url": "https://x.test/g", "html": page("greenhouse.html"),
                                     "action": "preview"})  # fmt: skip
    assert response.status_code == 200
    assert response.json()["extracted"]["title"] == "Senior Backend Engineer"
    assert response.json()["url"] is None
    assert nothing_saved()


def test_plain_text_is_accepted(client, user, secret):
    response = post(client, secret, {"url": "https://www.linkedin.com/jobs/view/1/",
                                     "text": page("linkedin_copy.txt")})  # fmt: skip
    assert response.status_code == 201
    assert Application.objects.get(user=user).title == "Machine Learning Engineer"


# --- one job, one record ----------------------------------------------------------------------


def test_the_same_job_clipped_twice_is_one_record(client, user, secret):
    body = {"url": "https://boards.greenhouse.io/northwind/jobs/4012345?gh_src=li",
            "html": page("greenhouse.html")}  # fmt: skip
    first = post(client, secret, body)
    second = post(client, secret, {**body, "url": body["url"] + "&utm_source=x"})
    assert first.status_code == 201 and second.status_code == 200
    assert second.json()["duplicate"] is True
    assert second.json()["url"] == first.json()["url"]
    assert "already" in second.json()["messages"][0]
    assert Application.objects.filter(user=user).count() == 1


def test_same_company_title_and_location_from_another_site_is_the_same_job(client, user, secret):
    post(client, secret, {"url": "https://a.test/1", "html": page("aggregator.html")})
    again = post(client, secret, {"url": "https://b.test/2", "text": (
        "Content Safety Machine Learning Intern\nBrightline Labs\nLocation: Seattle, WA\n"
        "We build classifiers that detect harmful content for our users every day.")})  # fmt: skip
    assert again.json()["duplicate"] is True
    assert Application.objects.filter(user=user).count() == 1


def test_another_users_copy_does_not_count(client, user, secret):
    other = UserFactory()
    other_secret = api_token_create(user=other, name="x")[1]
    post(client, other_secret, {"url": "https://x.test/g", "html": page("greenhouse.html")})
    assert (
        post(
            client, secret, {"url": "https://x.test/g", "html": page("greenhouse.html")}
        ).status_code
        == 201
    )


def test_a_job_that_is_on_our_board_is_saved_as_that_posting(client, user, secret):
    posting = PostingFactory(apply_url="https://boards.greenhouse.io/northwind/jobs/4012345")
    response = post(client, secret, {"url": "https://x.test/g", "html": page("greenhouse.html"),
                                     "collection": "Berlin"})  # fmt: skip
    assert response.status_code == 201
    saved = SavedJob.objects.get(user=user)
    assert saved.posting == posting
    assert list(saved.collections.values_list("name", flat=True)) == ["Berlin"]
    assert response.json()["posting_url"].endswith(posting.get_absolute_url())
    assert not Application.objects.exists()
    again = post(client, secret, {"url": "https://x.test/g", "html": page("greenhouse.html")})
    assert again.json()["duplicate"] is True


def test_our_own_posting_page_tracks_that_posting(client, user, secret):
    posting = PostingFactory()
    url = "http://testserver" + posting.get_absolute_url()
    response = post(client, secret, {"url": url, "text": "anything", "action": "track"})
    assert response.status_code == 201
    assert Application.objects.get(user=user).posting == posting


# --- the expiry email -------------------------------------------------------------------------


def test_a_clipped_jobs_valid_through_schedules_the_expiry_email(client, user, secret):
    from tracking.alerts.services import notification_send, run_scanners

    post(client, secret, {"url": "https://x.test/g", "html": page("greenhouse.html")})
    with time_machine.travel(datetime(2026, 12, 18, 9, 0, tzinfo=UTC), tick=False):
        assert run_scanners()["expiring_clipped"] == 1
        run_scanners()
        assert Notification.objects.filter(user=user).count() == 1  # exactly once
        notification = Notification.objects.get(user=user)
        assert notification_send(notification_id=notification.pk) == "sent"
    assert "Senior Backend Engineer closes in 2 days" in mail.outbox[0].subject
    assert Application.objects.get().get_absolute_url() in mail.outbox[0].body


def test_no_expiry_email_once_applied(client, user, secret):
    from jobs.clip.expiry import scan_expiring_clipped_jobs

    post(client, secret, {"url": "https://x.test/g", "html": page("greenhouse.html"),
                          "action": "track", "stage": "applied"})  # fmt: skip
    with time_machine.travel(datetime(2026, 12, 18, 9, 0, tzinfo=UTC), tick=False):
        assert scan_expiring_clipped_jobs() == 0


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header", ["", "Bearer", "Bearer nope", "Basic abc", "Bearer jt_" + "x" * 43]
)
def test_a_bad_token_is_401(client, header):
    response = client.post(API, data="{}", content_type="application/json",
                           HTTP_AUTHORIZATION=header)  # fmt: skip
    assert response.status_code == 401
    assert "token" in response.json()["error"]


def test_a_revoked_token_is_401(client, user, secret):
    api_token_revoke(token=ApiToken.objects.get(user=user))
    assert post(client, secret, {"url": "u", "text": "x"}).status_code == 401


def test_an_inactive_users_token_is_401(client, user, secret):
    user.is_active = False
    user.save()
    assert post(client, secret, {"text": "x"}).status_code == 401


def test_get_is_405(client, secret):
    assert client.get(API, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 405


def test_over_two_megabytes_is_413(client, secret):
    big = {"url": "https://x.test", "html": "<p>" + "a" * (2 * 1024 * 1024) + "</p>"}
    response = post(client, secret, big)
    assert response.status_code == 413
    assert "2 MB" in response.json()["error"]
    assert nothing_saved()


@pytest.mark.parametrize(
    "body, field",
    [
        ("{not json", "body"),
        (b"\xff\xfe", "body"),
        ("[1, 2]", "body"),
        ('"a string"', "body"),
        ({"url": "https://x.test"}, "html"),
        ({"url": "https://x.test", "html": "   ", "text": ""}, "html"),
        ({"html": 42}, "html"),
        ({"text": "hello", "action": "delete"}, "action"),
        ({"text": "x", "note": ["a"]}, "note"),
    ],
)
def test_malformed_or_empty_is_400_naming_the_field(client, secret, body, field):
    response = post(client, secret, body)
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert nothing_saved()


def test_a_page_without_a_job_is_400_naming_what_is_missing(client, secret):
    response = post(client, secret, {"url": "https://x.test", "html": "<html><body></body></html>"})
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"title", "company"}
    assert nothing_saved()


def test_an_unknown_stage_is_400_and_saves_nothing(client, secret):
    response = post(client, secret, {"url": "https://x.test/g", "html": page("greenhouse.html"),
                                     "action": "track", "stage": "Nowhere",
                                     "note": "n"})  # fmt: skip
    assert response.status_code == 400
    assert "stage" in response.json()["fields"]
    assert nothing_saved() and not Note.objects.exists()


def test_a_failure_after_the_collection_leaves_nothing_half_saved(client, secret):
    PostingFactory(apply_url="https://boards.greenhouse.io/northwind/jobs/4012345")
    response = post(client, secret, {"url": "https://x.test/g", "html": page("greenhouse.html"),
                                     "collection": "New one", "note": "x" * 3000})  # fmt: skip
    assert response.status_code == 400
    assert nothing_saved() and not Collection.objects.exists()


def test_the_rate_limit_is_per_token(client, user, secret, settings):
    settings.CLIP_RATE_LIMIT_PER_MINUTE = 3
    body = {"url": "https://x.test/g", "html": page("greenhouse.html"), "action": "preview"}
    assert [post(client, secret, body).status_code for _ in range(4)] == [200, 200, 200, 429]
    limited = post(client, secret, body)
    assert limited.status_code == 429 and limited["Retry-After"] == "60"
    other = api_token_create(user=user, name="Other")[1]
    assert post(client, other, body).status_code == 200


# --- tokens -----------------------------------------------------------------------------------


def test_tokens_are_stored_hashed_and_stamp_their_last_use(client, user, secret):
    token = ApiToken.objects.get(user=user)
    assert token.token_hash == token_hash(secret) and secret not in token.token_hash
    assert token.last_used_at is None
    post(client, secret, {"text": "x", "action": "preview"})
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_clip_token_command_prints_a_working_token(client, user, capsys):
    call_command("clip_token", user.email.upper())
    secret = capsys.readouterr().out.strip()
    assert secret.startswith("jt_")
    assert post(client, secret, {"text": "x", "action": "preview"}).status_code == 200


def test_the_settings_page_shows_a_new_token_once_and_revokes(client, user):
    client.force_login(user)
    made = client.post(reverse("accounts:token_create"), {"name": "Laptop"})
    assert made.status_code == 200
    secret = made.context["secret"]
    assert secret in made.content.decode()
    listing = client.get(reverse("accounts:tokens")).content.decode()
    assert "Laptop" in listing and secret not in listing and "never" in listing
    token = ApiToken.objects.get(user=user)
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert post(client, secret, {"text": "x"}).status_code == 401


def test_someone_elses_token_cannot_be_revoked(client, user):
    other_token, _ = api_token_create(user=UserFactory(), name="theirs")
    client.force_login(user)
    response = client.post(reverse("accounts:token_revoke", args=[other_token.pk]))
    assert response.status_code == 404
    other_token.refresh_from_db()
    assert other_token.revoked_at is None


def test_the_settings_page_gives_a_bookmarklet_for_this_site(client, user):
    client.force_login(user)
    response = client.get(reverse("accounts:tokens"))
    link = response.context["bookmarklet"]
    assert link.startswith("javascript:")
    assert "http://testserver" in link and "/clip/bookmarklet/" in link


def test_the_data_export_lists_tokens_without_their_hash(user, secret):
    from accounts.services import user_data_export

    exported = user_data_export(user=user)["data"]["accounts.apitoken"]
    assert exported[0]["name"] == "Test"
    assert "token_hash" not in exported[0]
    assert token_hash(secret) not in json.dumps(exported, default=str)


def test_saving_a_board_posting_you_already_track_links_to_the_application(client, user, secret):
    from tracking.applications.services import application_create_from_posting

    posting = PostingFactory(apply_url="https://boards.greenhouse.io/northwind/jobs/4012345")
    app, _ = application_create_from_posting(user=user, posting=posting)
    response = post(client, secret, {"url": "https://x.test/g", "html": page("greenhouse.html")})
    assert response.status_code == 200 and response.json()["duplicate"] is True
    assert response.json()["url"].endswith(app.get_absolute_url())
    assert not SavedJob.objects.exists()
