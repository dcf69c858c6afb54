"""Compare saved jobs side by side, and application-limit awareness on the posting page, the
saved page and compare."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import (
    ApplicationFactory,
    CompanyFactory,
    CompanyGroupFactory,
    PostingFactory,
    UserFactory,
)
from tracking.saved import services as saved
from tracking.saved.selectors import group_application_usage

pytestmark = pytest.mark.django_db

COMPARE = "/saved/compare/"


@pytest.fixture
def jobs(user):
    a = PostingFactory(
        title="Data Engineer",
        salary_min=5_000,
        salary_max=6_000,
        salary_currency="EUR",
        salary_period="month",
        workplace="remote",
    )
    b = PostingFactory(
        title="Data Analyst",
        salary_min=60_000,
        salary_max=72_000,
        salary_currency="EUR",
        workplace="remote",
        summary={
            "status": "ok",
            "required": [{"text": "3 years of SQL", "start": 0, "end": 1}],
            "skills": [
                {"name": "SQL", "category": "tech", "start": 0, "end": 1, "importance": "required"}
            ],
        },
    )
    c = PostingFactory(title="ML Engineer")
    return [saved.saved_job_save(user=user, posting=p)[0] for p in (a, b, c)]


def ids(*saved_jobs):
    return ",".join(str(s.pk) for s in saved_jobs)


def test_compare_two_saved_jobs_side_by_side(owner_client, jobs):
    r = owner_client.get(COMPARE, {"ids": ids(jobs[0], jobs[1])})
    assert r.status_code == 200
    html = r.content.decode()
    assert "Data Engineer" in html and "Data Analyst" in html
    # salaries converted to a year
    assert "EUR 60,000–72,000 a year" in html
    assert html.count("EUR 60,000–72,000 a year") == 2  # both columns: the row does not differ
    # key requirements from the summary, the facts when there is none
    assert "3 years of SQL" in html and "Mid level" in html


def test_rows_that_differ_are_marked_with_text_not_colour_alone(owner_client, jobs):
    html = owner_client.get(COMPARE, {"ids": ids(jobs[0], jobs[1])}).content.decode()
    title_row = html.split('class="compare-row-title is-different"')[1].split("</tr>")[0]
    assert "Differs" in title_row
    workplace_row = html.split('class="compare-row-workplace')[1].split("</tr>")[0]
    assert "Differs" not in workplace_row  # both remote
    salary_row = html.split('class="compare-row-salary')[1].split("</tr>")[0]
    assert "Differs" not in salary_row


def test_compare_accepts_repeated_ids_parameters(owner_client, jobs):
    r = owner_client.get(f"{COMPARE}?ids={jobs[0].pk}&ids={jobs[2].pk}")
    assert r.status_code == 200 and "ML Engineer" in r.content.decode()


@pytest.mark.parametrize(
    "value, message",
    [
        ("one", "Pick at least 2 saved jobs to compare (you picked one)."),
        ("five", "Compare at most 4 jobs at a time (you picked 5)."),
        ("garbage", "is not a saved job"),
        ("", "Pick at least 2 saved jobs to compare."),
    ],
)
def test_compare_bad_inputs_give_a_clear_message(owner_client, user, jobs, value, message):
    more = [saved.saved_job_save(user=user, posting=PostingFactory())[0] for _ in range(2)]
    query = {
        "one": ids(jobs[0]),
        "five": ids(*jobs, *more),
        "garbage": f"{jobs[0].pk},'; DROP TABLE x;--",
        "": "",
    }[value]
    r = owner_client.get(COMPARE, {"ids": query})
    assert r.status_code == 400
    assert message in r.content.decode()


def test_compare_unsaved_or_unknown_ids_say_not_in_your_saved_jobs(owner_client, jobs):
    removed = jobs[2]
    saved.saved_job_remove(saved_job=removed)
    r = owner_client.get(COMPARE, {"ids": ids(jobs[0], removed)})
    assert r.status_code == 404
    assert "not in your saved jobs" in r.content.decode()
    r = owner_client.get(COMPARE, {"ids": f"{jobs[0].pk},999999999"})
    assert r.status_code == 404


def test_someone_elses_compare_url_is_a_404_that_leaks_nothing(jobs):
    outsider = Client()
    outsider.force_login(UserFactory())
    r = outsider.get(COMPARE, {"ids": ids(jobs[0], jobs[1])})
    assert r.status_code == 404
    html = r.content.decode()
    assert "not in your saved jobs" in html and "Data Engineer" not in html


def test_compare_needs_login(client, jobs):
    r = client.get(COMPARE, {"ids": ids(jobs[0], jobs[1])})
    assert r.status_code == 302


# --- application limits --------------------------------------------------------------------


@pytest.fixture
def limited(user):
    group = CompanyGroupFactory(name="Initech family", application_limit=2)
    one, two = CompanyFactory(group=group), CompanyFactory(group=group)
    first = ApplicationFactory(
        user=user, posting=PostingFactory(company=one), title="First", stage_key="applied",
        applied_at=timezone.now() - dt.timedelta(days=3),
    )  # fmt: skip
    second = ApplicationFactory(
        user=user, posting=PostingFactory(company=two), title="Second", stage_key="applied",
        applied_at=timezone.now() - dt.timedelta(days=2),
    )  # fmt: skip
    third = ApplicationFactory(
        user=user, posting=PostingFactory(company=one), title="Third", stage_key="applied",
        applied_at=timezone.now() - dt.timedelta(days=1),
    )  # fmt: skip
    ApplicationFactory(user=user, posting=PostingFactory(company=two), title="Only saved")
    return group, one, [first, second, third]


def test_usage_counts_applications_in_the_group_in_the_order_applied(
    user, limited, django_assert_num_queries
):
    group, _, apps = limited
    ApplicationFactory(  # someone else's application does not count
        posting=PostingFactory(company=CompanyFactory(group=group)), applied_at=timezone.now()
    )
    with django_assert_num_queries(1):
        usage = group_application_usage(user, [group])[group.pk]
    assert usage.used == 3 and usage.limit == 2 and usage.reached
    assert [a.title for a in usage.counted] == ["First", "Second"]
    assert [a.title for a in usage.not_considered] == ["Third"]
    assert usage.text == "You have applied to 3 of 2 allowed across Initech family."


def test_posting_page_says_how_many_of_the_allowed_applications_are_used(
    owner_client, user, limited
):
    group, company, _ = limited
    posting = PostingFactory(company=company, title="Fourth")
    html = owner_client.get(posting.get_absolute_url()).content.decode()
    assert "You have applied to 3 of 2 allowed across Initech family." in html
    assert "First at" in html and "Second at" in html
    assert "Not considered (applied later): Third at" in html


def test_posting_page_says_nothing_about_usage_to_anonymous_visitors(client, limited):
    _, company, _ = limited
    posting = PostingFactory(company=company)
    assert "You have applied" not in client.get(posting.get_absolute_url()).content.decode()


def test_saved_page_and_compare_show_the_usage(owner_client, user, limited):
    group, company, _ = limited
    a = saved.saved_job_save(user=user, posting=PostingFactory(company=company))[0]
    b = saved.saved_job_save(user=user, posting=PostingFactory())[0]
    html = owner_client.get("/saved/").content.decode()
    assert "You have applied to 3 of 2 allowed across Initech family." in html
    html = owner_client.get(COMPARE, {"ids": ids(a, b)}).content.decode()
    assert "You have applied to 3 of 2 allowed across Initech family." in html
    assert "No limit" in html


def test_no_limit_no_usage_text(owner_client, user):
    company = CompanyFactory(group=CompanyGroupFactory(application_limit=None))
    saved.saved_job_save(user=user, posting=PostingFactory(company=company))
    assert "You have applied" not in owner_client.get("/saved/").content.decode()


def test_deadlines_a_day_apart_in_the_same_bucket_do_not_differ(user):
    from tracking.saved.selectors import compare_saved_jobs

    now = timezone.now()
    a = PostingFactory(expires_at=now + dt.timedelta(days=58, hours=1))
    b = PostingFactory(expires_at=now + dt.timedelta(days=59, hours=1))
    c = PostingFactory(expires_at=now + dt.timedelta(days=3, hours=1))
    sa, sb, sc = (saved.saved_job_save(user=user, posting=p)[0] for p in (a, b, c))
    rows = {r.key: r for r in compare_saved_jobs(user=user, ids=[sa.pk, sb.pk]).rows}
    assert "Expires in 58 days" in rows["deadline"].values[0].text
    assert "Expires in 59 days" in rows["deadline"].values[1].text
    assert not rows["deadline"].differs
    rows = {r.key: r for r in compare_saved_jobs(user=user, ids=[sa.pk, sc.pk]).rows}
    assert rows["deadline"].differs  # one ends within a week
