"""Saved jobs: Save / unsave / undo, anonymous save through login, the saved page (badges,
sort, filter, bulk actions, query pin), collections and ownership."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    ApplicationFactory,
    CompanyFactory,
    CompanyGroupFactory,
    LocationFactory,
    PostingFactory,
    UserFactory,
)
from tracking.models import Collection, SavedJob
from tracking.saved import services as saved
from tracking.saved.selectors import saved_page_for, saved_posting_ids

pytestmark = pytest.mark.django_db

SAVED = "/saved/"
NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


def save_url(posting):
    return reverse("tracking:save", args=[posting.pk])


def unsave_url(posting):
    return reverse("tracking:unsave", args=[posting.pk])


@pytest.fixture
def posting():
    return PostingFactory(title="Data Engineer", salary_min=50_000, salary_max=60_000)


@pytest.fixture
def outsider():
    client = Client()
    client.force_login(UserFactory())
    return client


# --- save / unsave / undo -----------------------------------------------------------------


def test_saving_twice_keeps_one_row(owner_client, user, posting):
    owner_client.post(save_url(posting))
    owner_client.post(save_url(posting))
    assert SavedJob.objects.filter(user=user, posting=posting).count() == 1


def test_save_without_javascript_redirects_back(owner_client, posting):
    response = owner_client.post(save_url(posting), {"next": "/jobs/?q=data"})
    assert response.status_code == 302
    assert response["Location"] == "/jobs/?q=data"


def test_save_does_not_redirect_off_site(owner_client, posting):
    response = owner_client.post(save_url(posting), {"next": "https://evil.example/"})
    assert response["Location"] == posting.get_absolute_url()


def test_save_over_htmx_swaps_the_button_to_saved(owner_client, posting):
    response = owner_client.post(save_url(posting), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert 'aria-pressed="true"' in html and "Saved" in html
    assert unsave_url(posting) in html


def test_save_needs_post(owner_client, posting):
    assert owner_client.get(save_url(posting)).status_code == 405
    assert not SavedJob.objects.exists()


def test_a_draft_posting_cannot_be_saved(owner_client):
    draft = PostingFactory(status="draft")
    assert owner_client.post(save_url(draft)).status_code == 404


def test_unsave_asks_nothing_and_undo_puts_it_back_with_note_and_collections(
    owner_client, user, posting
):
    saved_job, _ = saved.saved_job_save(user=user, posting=posting)
    saved.saved_job_set_note(saved_job=saved_job, note="Ask about visa")
    berlin = saved.collection_create(user=user, name="Berlin")
    saved_job.collections.add(berlin)
    original_date = SavedJob.objects.get().saved_at

    response = owner_client.post(unsave_url(posting), headers={"HX-Request": "true"})
    assert not SavedJob.objects.exists()
    html = response.content.decode()
    assert 'aria-pressed="false"' in html and "Undo" in html
    token = html.split('name="token" value="')[1].split('"')[0]

    owner_client.post(reverse("tracking:saved_undo"), {"token": token, "posting": posting.pk})
    restored = SavedJob.objects.get()
    assert restored.note == "Ask about visa"
    assert list(restored.collections.all()) == [berlin]
    assert restored.saved_at == original_date


def test_unsave_without_javascript_shows_an_undo_message(owner_client, user, posting):
    saved.saved_job_save(user=user, posting=posting)
    response = owner_client.post(unsave_url(posting), follow=True)
    html = response.content.decode()
    assert "Removed “Data Engineer” from your saved jobs." in html
    assert reverse("tracking:saved_undo") in html and "Undo" in html


def test_someone_elses_undo_token_restores_nothing(owner_client, posting):
    other = UserFactory()
    saved_job, _ = saved.saved_job_save(user=other, posting=posting)
    token = saved.saved_job_remove(saved_job=saved_job).sign()
    owner_client.post(reverse("tracking:saved_undo"), {"token": token})
    assert not SavedJob.objects.exists()


def test_a_forged_undo_token_is_a_message_not_a_500(owner_client):
    response = owner_client.post(reverse("tracking:saved_undo"), {"token": "nonsense"}, follow=True)
    assert response.status_code == 200
    assert "Nothing to undo" in response.content.decode()


def test_anonymous_save_goes_through_login_and_comes_back_saved(client, posting):
    user = UserFactory(email="ann@example.com")
    response = client.post(save_url(posting), {"next": posting.get_absolute_url()})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not SavedJob.objects.exists()

    login = client.post(
        response["Location"],
        {"login": "ann@example.com", "password": "correct horse battery staple"},
    )
    assert login.status_code == 302
    assert login["Location"] == posting.get_absolute_url()
    assert SavedJob.objects.filter(user=user, posting=posting).exists()
    page = client.get(login["Location"]).content.decode()
    assert 'aria-pressed="true"' in page


def test_anonymous_save_over_htmx_redirects_the_page_to_login(client, posting):
    response = client.post(save_url(posting), headers={"HX-Request": "true"})
    assert response["HX-Redirect"].startswith(reverse("account_login"))


def test_saved_posting_ids_is_one_query(user, django_assert_num_queries):
    postings = [PostingFactory() for _ in range(5)]
    saved.saved_job_save(user=user, posting=postings[1])
    with django_assert_num_queries(1):
        ids = saved_posting_ids(user, [p.pk for p in postings])
    assert ids == {postings[1].pk}


# --- the posting page and the result list ---------------------------------------------------


def test_posting_page_shows_the_save_state(owner_client, user, posting):
    html = owner_client.get(posting.get_absolute_url()).content.decode()
    assert save_url(posting) in html and 'aria-pressed="false"' in html
    saved.saved_job_save(user=user, posting=posting)
    html = owner_client.get(posting.get_absolute_url()).content.decode()
    assert unsave_url(posting) in html and 'aria-pressed="true"' in html


def test_result_list_marks_saved_postings(owner_client, user):
    a = PostingFactory(title="Python developer A")
    b = PostingFactory(title="Python developer B")
    saved.saved_job_save(user=user, posting=a)
    html = owner_client.get("/jobs/").content.decode()
    assert unsave_url(a) in html and save_url(b) in html
    assert 'form="save-posting-form"' in html and 'id="save-posting-form"' in html


# --- the saved page ---------------------------------------------------------------------------


def test_saved_page_needs_login(client):
    response = client.get(SAVED)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_saved_page_lists_company_location_salary_deadline_and_stage(owner_client, user):
    loc = LocationFactory(city="Lisbon", country="PT")
    posting = PostingFactory(
        title="Analyst",
        company=CompanyFactory(name="Globex"),
        salary_min=30,
        salary_max=40,
        salary_currency="EUR",
        salary_period="hour",
        application_deadline=dt.date(2099, 1, 31),
    )
    posting.locations.add(loc)
    saved.saved_job_save(user=user, posting=posting)
    ApplicationFactory(user=user, posting=posting, stage_key="applied")
    html = owner_client.get(SAVED).content.decode()
    assert "Analyst" in html and "Globex" in html and "Lisbon, Portugal" in html
    assert "EUR 30–40 per hour" in html and "EUR 62,400–83,200 a year" in html
    assert "31 Jan 2099" in html
    assert "Tracking: Applied" in html


def test_expiring_soon_badge_and_ended_postings_stay_listed(owner_client, user):
    with time_machine.travel(NOW, tick=False):
        soon = PostingFactory(title="Soon", expires_at=NOW + dt.timedelta(days=3))
        later = PostingFactory(title="Later", expires_at=NOW + dt.timedelta(days=30))
        expired = PostingFactory(title="Gone", status="expired", expires_at=NOW)
        closed = PostingFactory(title="Shut", status="closed")
        for p in (soon, later, expired, closed):
            saved.saved_job_save(user=user, posting=p)
        html = owner_client.get(SAVED).content.decode()
        assert "Expires in 3 days" in html
        assert "Expires in 30 days" in html
        assert ">Expired<" in html and ">Closed<" in html

        only_soon = owner_client.get(SAVED, {"expiring": "1"}).content.decode()
        assert "Soon" in only_soon
        assert "Later" not in only_soon and "Gone" not in only_soon and "Shut" not in only_soon


def test_sort_by_deadline_and_by_yearly_salary(user):
    hourly = PostingFactory(title="Hourly", salary_min=50, salary_max=50, salary_period="hour")
    yearly = PostingFactory(title="Yearly", salary_min=90_000, salary_max=90_000)
    none = PostingFactory(title="Unpaid")
    early = PostingFactory(title="Early", application_deadline=dt.date(2099, 1, 1))
    for p in (hourly, yearly, none, early):
        saved.saved_job_save(user=user, posting=p)
    by_salary = [r.title for r in saved_page_for(user=user, sort="salary").rows]
    assert by_salary[:2] == ["Hourly", "Yearly"]  # 104,000 a year beats 90,000
    by_deadline = [r.title for r in saved_page_for(user=user, sort="deadline").rows]
    assert by_deadline[0] == "Early"
    newest = [r.title for r in saved_page_for(user=user).rows]
    assert newest[0] == "Early"


def test_filter_by_collection(owner_client, user):
    a, b = PostingFactory(title="Alpha job"), PostingFactory(title="Beta job")
    sa, _ = saved.saved_job_save(user=user, posting=a)
    saved.saved_job_save(user=user, posting=b)
    remote = saved.collection_create(user=user, name="Remote")
    sa.collections.add(remote)
    html = owner_client.get(SAVED, {"collection": remote.pk}).content.decode()
    assert "Alpha job" in html and "Beta job" not in html
    assert "1 of 2 saved jobs" in html


def test_the_saved_page_runs_a_fixed_number_of_queries_at_500_saved_jobs(
    owner_client, user, django_assert_max_num_queries
):
    group = CompanyGroupFactory(application_limit=2)
    company = CompanyFactory(group=group)
    loc = LocationFactory(city="Berlin", country="DE")
    summary = {"status": "ok", "skills": [{"name": "Python", "category": "language", "start": 0,
               "end": 6, "importance": "required"}]}  # fmt: skip
    from jobs.models import Posting

    postings = Posting.objects.bulk_create(
        [
            Posting(company=company, title=f"Job {i}", slug=f"job-{i}", description="<p>x</p>",
                    status="published", published_at=timezone.now(), summary=summary,
                    salary_min=40_000 + i, salary_max=50_000 + i)
            for i in range(500)
        ]
    )  # fmt: skip
    Posting.locations.through.objects.bulk_create(
        [Posting.locations.through(posting_id=p.pk, location_id=loc.pk) for p in postings]
    )
    SavedJob.objects.bulk_create([SavedJob(user=user, posting=p) for p in postings])
    c = saved.collection_create(user=user, name="All")
    saved.saved_jobs_move_to_collection(
        user=user, saved_jobs=list(SavedJob.objects.filter(user=user)), collection=c
    )
    ApplicationFactory(user=user, posting=postings[-1], stage_key="applied",
                       applied_at=timezone.now())  # fmt: skip
    user.profile.skills = ["Python"]
    user.profile.save()
    # session, user, profile (timezone) + collections, total, rows, locations, links, stages,
    # groups, usage
    pages = {}
    for sort in ("saved", "deadline", "salary"):
        with django_assert_max_num_queries(12):
            pages[sort] = owner_client.get(SAVED, {"sort": sort})
        assert pages[sort].status_code == 200
    html = pages["salary"].content.decode()
    assert "Match 100%" in html and "Tracking: Applied" in html
    assert f"You have applied to 1 of 2 allowed across {group.name}" in html


# --- bulk actions -----------------------------------------------------------------------------


@pytest.fixture
def three(user):
    return [saved.saved_job_save(user=user, posting=PostingFactory())[0] for _ in range(3)]


def test_bulk_move_to_collection(owner_client, user, three):
    c = saved.collection_create(user=user, name="Shortlist")
    owner_client.post(
        reverse("tracking:saved_bulk"),
        {"action": "move", "collection": c.pk, "ids": [three[0].pk, three[1].pk]},
    )
    assert set(c.saved_jobs.all()) == {three[0], three[1]}


def test_bulk_remove_offers_undo(owner_client, user, three):
    response = owner_client.post(
        reverse("tracking:saved_bulk"),
        {"action": "remove", "ids": [s.pk for s in three]},
        follow=True,
    )
    assert not SavedJob.objects.exists()
    html = response.content.decode()
    assert "Removed 3 jobs" in html
    token = html.split('name="token" value="')[1].split('"')[0]
    owner_client.post(reverse("tracking:saved_undo"), {"token": token})
    assert SavedJob.objects.count() == 3


def test_bulk_start_tracking_is_idempotent(owner_client, user, three):
    from tracking.models import Application

    data = {"action": "track", "ids": [s.pk for s in three]}
    owner_client.post(reverse("tracking:saved_bulk"), data)
    owner_client.post(reverse("tracking:saved_bulk"), data)
    assert Application.objects.filter(user=user).count() == 3


def test_bulk_with_nothing_ticked_or_no_collection_says_so(owner_client, user, three):
    r = owner_client.post(reverse("tracking:saved_bulk"), {"action": "remove"}, follow=True)
    assert "Tick at least one saved job first." in r.content.decode()
    r = owner_client.post(
        reverse("tracking:saved_bulk"), {"action": "move", "ids": [three[0].pk]}, follow=True
    )
    assert "Choose the collection." in r.content.decode()
    assert SavedJob.objects.count() == 3


def test_bulk_with_someone_elses_ids_changes_nothing(outsider, three):
    r = outsider.post(
        reverse("tracking:saved_bulk"), {"action": "remove", "ids": [three[0].pk]}, follow=True
    )
    assert r.status_code == 200
    assert SavedJob.objects.count() == 3


def test_compare_button_redirects_to_compare(owner_client, three):
    r = owner_client.post(
        reverse("tracking:saved_bulk"), {"compare": "1", "ids": [three[0].pk, three[1].pk]}
    )
    assert r["Location"] == f"/saved/compare/?ids={three[0].pk}%2C{three[1].pk}"


def test_remove_one_row_over_htmx_offers_undo(owner_client, three):
    r = owner_client.post(
        reverse("tracking:saved_remove", args=[three[0].pk]), headers={"HX-Request": "true"}
    )
    assert "Undo" in r.content.decode() and SavedJob.objects.count() == 2


# --- collections and notes ---------------------------------------------------------------------


def test_collection_names_are_unique_per_user_case_insensitively(owner_client, user):
    owner_client.post(reverse("tracking:saved_collections"), {"name": "Berlin"})
    r = owner_client.post(reverse("tracking:saved_collections"), {"name": " berlin "})
    assert r.status_code == 400
    assert "You already have a collection called “berlin”." in r.content.decode()
    assert 'value=" berlin "' in r.content.decode() or 'value="berlin"' in r.content.decode()
    assert Collection.objects.count() == 1
    other = UserFactory()
    saved.collection_create(user=other, name="Berlin")  # another user's is fine


def test_empty_collection_name_says_so(owner_client):
    r = owner_client.post(reverse("tracking:saved_collections"), {"name": "   "})
    assert r.status_code == 400 and "This field is required" in r.content.decode()


def test_rename_and_delete_collection_keeps_its_jobs_saved(owner_client, user, three):
    c = saved.collection_create(user=user, name="Old")
    three[0].collections.add(c)
    owner_client.post(reverse("tracking:collection_rename", args=[c.pk]), {"name": "New"})
    c.refresh_from_db()
    assert c.name == "New"
    owner_client.post(reverse("tracking:collection_delete", args=[c.pk]))
    assert not Collection.objects.exists()
    assert SavedJob.objects.count() == 3


def test_a_saved_job_can_be_in_several_collections_with_a_note(owner_client, user, three):
    a = saved.collection_create(user=user, name="A")
    b = saved.collection_create(user=user, name="B")
    url = reverse("tracking:saved_edit", args=[three[0].pk])
    r = owner_client.post(url, {"note-note": "Great team", "col-collections": [a.pk, b.pk]})
    assert r.status_code == 302
    three[0].refresh_from_db()
    assert three[0].note == "Great team"
    assert set(three[0].collections.all()) == {a, b}


def test_a_too_long_note_is_refused_on_the_field(owner_client, three):
    url = reverse("tracking:saved_edit", args=[three[0].pk])
    r = owner_client.post(url, {"note-note": "x" * 300})
    assert r.status_code == 400
    assert "at most 280 characters" in r.content.decode()
    three[0].refresh_from_db()
    assert three[0].note == ""


def test_saved_edit_changes_nothing_when_the_collections_step_fails(
    owner_client, user, three, monkeypatch
):
    """The note and the collections are saved together or not at all (one transaction)."""
    from django.core.exceptions import ValidationError

    a = saved.collection_create(user=user, name="A")
    saved.saved_job_set_note(saved_job=three[0], note="Before")

    def refuse(**kwargs):
        raise ValidationError({"collections": "That collection is not one of yours."})

    monkeypatch.setattr(saved, "saved_job_set_collections", refuse)
    url = reverse("tracking:saved_edit", args=[three[0].pk])
    r = owner_client.post(url, {"note-note": "After", "col-collections": [a.pk]})
    assert r.status_code == 400
    three[0].refresh_from_db()
    assert three[0].note == "Before"
    assert not three[0].collections.exists()


# --- outsiders ------------------------------------------------------------------------------------


def test_outsider_gets_404_for_someone_elses_collection_and_saved_job(outsider, user, three):
    c = saved.collection_create(user=user, name="Private")
    assert outsider.get(SAVED, {"collection": c.pk}).status_code == 404
    assert outsider.get(reverse("tracking:collection_rename", args=[c.pk])).status_code == 404
    assert outsider.post(reverse("tracking:collection_delete", args=[c.pk])).status_code == 404
    assert outsider.get(reverse("tracking:saved_edit", args=[three[0].pk])).status_code == 404
    assert outsider.post(reverse("tracking:saved_remove", args=[three[0].pk])).status_code == 404
    assert Collection.objects.count() == 1 and SavedJob.objects.count() == 3


def test_garbage_collection_filter_is_a_404(owner_client):
    assert owner_client.get(SAVED, {"collection": "abc"}).status_code == 404


def test_saved_page_links_each_title_to_its_posting_page(owner_client, user):
    posting = PostingFactory(title="Analyst")
    saved.saved_job_save(user=user, posting=posting)
    html = owner_client.get(SAVED).content.decode()
    assert f'<a href="{posting.get_absolute_url()}">Analyst</a>' in html
    assert owner_client.get(posting.get_absolute_url()).status_code == 200


def test_apply_without_an_action_keeps_the_ticks_and_says_choose_an_action(
    owner_client, user, three
):
    c = saved.collection_create(user=user, name="Shortlist")
    response = owner_client.post(
        reverse("tracking:saved_bulk"),
        {"action": "", "collection": c.pk, "ids": [three[0].pk, three[2].pk]},
        follow=True,
    )
    html = response.content.decode()
    assert "Choose an action." in html
    assert f'value="{three[0].pk}" id="pick-{three[0].pk}" checked' in html
    assert f'value="{three[2].pk}" id="pick-{three[2].pk}" checked' in html
    assert f'value="{three[1].pk}" id="pick-{three[1].pk}">' in html
    assert f'<option value="{c.pk}" selected>Shortlist</option>' in html
    assert not c.saved_jobs.exists()
    # Only once: the next visit starts clean.
    again = owner_client.get(reverse("tracking:saved")).content.decode()
    assert " checked" not in again.split('id="bulk-form"')[1]
