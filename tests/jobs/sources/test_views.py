"""Issue 19: the staff page /staff/sources/ and the employer's "connect your board" page."""

import pytest
from django.urls import reverse

from jobs.models import CompanyMembership, Source, SourceTrust
from tests.factories import CompanyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True))
    return client


def _source(company=None, **extra):
    company = company or CompanyFactory()
    values = {"kind": "greenhouse", "endpoint": f"b{company.pk}", "company": company,
              "url": f"https://boards-api.greenhouse.io/v1/boards/b{company.pk}/jobs?content=true"}  # fmt: skip
    return Source.objects.create(**{**values, **extra})


def test_the_staff_list_shows_health_in_a_fixed_number_of_queries(
    staff_client, django_assert_max_num_queries
):
    _source(degraded=True, status="degraded", last_error="https://x answered 500.")
    _source(status="held", held_reason="The board listed 1 job where 12 were live")
    for _ in range(5):
        _source(status="ok", last_counts={"listed": 3, "created": 3})
    with django_assert_max_num_queries(5):
        response = staff_client.get(reverse("sources:list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Degraded" in body and "https://x answered 500." in body
    assert "Sync now and allow closing" in body
    assert body.count("Sync now</button>") == 7


def test_non_staff_get_a_404_from_the_staff_pages(owner_client):
    assert owner_client.get(reverse("sources:list")).status_code == 404
    assert owner_client.get(reverse("sources:add")).status_code == 404


def test_staff_add_a_source_and_its_first_sync_is_enqueued(
    staff_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = staff_client.post(
            reverse("sources:add"),
            {"kind": "lever", "company": "Acme", "endpoint": "acme", "trust": "publish",
             "schedule_minutes": 30, "default_country": ""},
        )  # fmt: skip
    assert response.status_code == 302
    source = Source.objects.get()
    assert source.url == "https://api.lever.co/v0/postings/acme?mode=json"
    assert source.company.name == "Acme" and source.trust == SourceTrust.PUBLISH
    assert len(callbacks) == 1


def test_a_bad_endpoint_comes_back_filled_in_with_the_field_named(staff_client):
    response = staff_client.post(
        reverse("sources:add"),
        {"kind": "jsonld", "company": "Acme", "endpoint": "acme", "trust": "publish",
         "schedule_minutes": 30},
    )  # fmt: skip
    assert response.status_code == 400
    body = response.content.decode()
    assert "Give the full https:// URL of the sitemap" in body
    assert 'value="Acme"' in body
    assert not Source.objects.exists()


def test_staff_edit_pause_and_sync_a_source(staff_client, django_capture_on_commit_callbacks):
    source = _source()
    response = staff_client.post(
        reverse("sources:edit", args=[source.pk]),
        {"endpoint": "newboard", "trust": "review", "schedule_minutes": 120},
    )
    assert response.status_code == 302
    source.refresh_from_db()
    assert "/boards/newboard/" in source.url and source.schedule_minutes == 120
    staff_client.post(reverse("sources:pause", args=[source.pk]))
    source.refresh_from_db()
    assert source.paused
    with django_capture_on_commit_callbacks() as callbacks:
        staff_client.post(reverse("sources:sync", args=[source.pk]), {"allow_closing": "on"})
    source.refresh_from_db()
    assert source.allow_mass_close and len(callbacks) == 1
    assert staff_client.get(reverse("sources:edit", args=[source.pk])).status_code == 200


def test_an_employer_connects_their_board_and_it_goes_through_review(
    owner_client, user, django_capture_on_commit_callbacks
):
    company = CompanyFactory()
    CompanyMembership.objects.create(company=company, user=user, role="owner")
    with django_capture_on_commit_callbacks() as callbacks:
        response = owner_client.post(
            reverse("sources:company", args=[company.slug]),
            {"kind": "ashby", "endpoint": "acme", "default_country": "DE"},
        )
    assert response.status_code == 302
    source = Source.objects.get()
    assert source.company == company and source.trust == SourceTrust.REVIEW
    assert str(source.default_country) == "DE" and len(callbacks) == 1
    page = owner_client.get(reverse("sources:company", args=[company.slug])).content.decode()
    assert "Waiting for its first sync" in page


def test_another_companys_board_is_a_404(outsider_client):
    source = _source()
    assert (
        outsider_client.get(reverse("sources:company", args=[source.company.slug])).status_code
        == 404
    )
    assert (
        outsider_client.post(reverse("sources:company_sync", args=[source.pk])).status_code == 404
    )


def test_the_dev_board_is_greenhouse_shaped_and_changes_with_time(client, settings):
    import datetime as dt

    from jobs.sources.demo import board_payload

    settings.DEBUG = False
    url = reverse("sources:dev_board", args=["jobtrail-demo"])
    assert client.get(url).status_code == 404
    settings.DEBUG = True
    jobs = client.get(url).json()["jobs"]
    assert len(jobs) == 6 and {"id", "title", "content", "location", "absolute_url"} <= set(jobs[0])
    now = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
    before = {j["id"] for j in board_payload(token="t", now=now)["jobs"]}
    after = {j["id"] for j in board_payload(token="t", now=now + dt.timedelta(minutes=2))["jobs"]}
    assert len(before - after) == 1 and len(after - before) == 1


def test_the_admin_lists_sources_runs_and_a_postings_sources(client):
    from jobs.models import PostingSource
    from tests.factories import PostingFactory

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    source = _source()
    posting = PostingFactory(company=source.company)
    PostingSource.objects.create(posting=posting, source=source, external_id="1", content_hash="x",
                                 first_seen_at=posting.created_at)  # fmt: skip
    for url in ("/admin/jobs/source/", f"/admin/jobs/source/{source.pk}/change/",
                "/admin/jobs/sourcerun/", "/admin/jobs/postingsource/"):  # fmt: skip
        assert client.get(url).status_code == 200, url
    page = client.get(f"/admin/jobs/posting/{posting.pk}/change/")
    assert page.status_code == 200 and "Posting source" in page.content.decode()
