"""Input fuzzing (issue 10, point 3): hypothesis throws hostile text at every main form as a
signed-in user. Properties: no response is a 500, and a form error saves nothing."""

import json

import pytest
from django.apps import apps
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from jobs.imports import importers
from jobs.models import CompanyMembership
from tests.factories import ApplicationFactory, CompanyFactory, PostingFactory, UserFactory

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "' OR 1=1 --",
    "'; DROP TABLE jobs_posting; --",
    '"><script>alert(1)</script>',
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "💥🔥👩‍💻" * 50,
    "x" * 100_000,
    "%00%27%22",
    "../../etc/passwd",
    "{{ 7*7 }}{% debug %}",
    "-1",
    "99999999999999999999999",
    "1e308",
    "NaN",
    "2024-02-30",
    "25:61",
    "\u202e\u200b\ufeff",
]
# Unicode without surrogates (they cannot be encoded in a request at all).
UNICODE = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
# Huge strings cheaply: a short random piece repeated (cheap for hypothesis to generate).
HUGE = st.builds(lambda piece, n: piece * n, UNICODE.filter(bool), st.integers(200, 5000))
TEXT = st.one_of(UNICODE, st.sampled_from(NASTY), HUGE)


def maybe(*valid):
    """Mostly-valid choice fields with hostile values mixed in."""
    return st.one_of(st.sampled_from(valid), TEXT)


def around(valid: dict) -> st.SearchStrategy[dict]:
    """A valid submission with one to three fields replaced by hostile text (so the success
    path is reached too, not only the first validation error)."""
    keys = sorted(valid)
    return st.one_of(
        st.fixed_dictionaries({key: TEXT for key in keys}),
        st.dictionaries(st.sampled_from(keys), TEXT, min_size=1, max_size=3).map(
            lambda bad: {**valid, **bad}
        ),
        st.dictionaries(st.sampled_from(keys), UNICODE, max_size=1).map(
            lambda odd: {**valid, **odd}
        ),
    )


def _counts(*labels: str) -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in labels}


def _post_and_check(client, url: str, data: dict, *models: str, query: str = "") -> None:
    before = _counts(*models)
    response = client.post(url + query, data)
    assert response.status_code < 500, (url, data)
    # --hypothesis-show-statistics shows how often each form took the input or refused it.
    event(f"{url.rstrip('/').rsplit('/', 1)[-1]} -> {response.status_code}")
    if response.status_code not in (301, 302, 303):
        assert _counts(*models) == before, ("half-saved on a form error", url, data)


@pytest.fixture
def me(client):
    user = UserFactory()
    client.force_login(user)
    return user


@pytest.fixture
def application(me):
    return ApplicationFactory(user=me)


@pytest.fixture
def company(me):
    company = CompanyFactory()
    CompanyMembership.objects.create(company=company, user=me, role="owner")
    return company


@FUZZ
@given(data=st.fixed_dictionaries({
    "display_name": TEXT, "headline": TEXT, "skills": TEXT, "years_of_experience": TEXT,
    "preferred_locations": TEXT, "timezone": maybe("UTC", "Europe/Paris"),
    "email_notifications": maybe("reminder_due", "saved_search"),
}))  # fmt: skip
def test_profile_form_survives_fuzz(client, me, data):
    _post_and_check(client, "/account/profile/", data, "accounts.Profile")


@FUZZ
@given(data=st.fixed_dictionaries({"name": TEXT, "website": TEXT, "description": TEXT}))
def test_company_forms_survive_fuzz(client, me, company, data):
    _post_and_check(client, "/employer/companies/new/", data, "jobs.Company")
    _post_and_check(client, f"/employer/companies/{company.slug}/", data, "jobs.Company")


POSTING_FIELDS = around({
    "title": "Engineer", "team": "Core", "employment_type": "full_time", "level": "",
    "workplace": "onsite", "locations": "Berlin, Germany", "description": "<p>Build</p>",
    "salary_min": "50000", "salary_max": "70000", "salary_currency": "EUR",
    "salary_period": "year", "how_to_apply": "https://example.com/apply",
    "review_policy": "rolling", "application_deadline": "",
})  # fmt: skip


@FUZZ
@given(data=POSTING_FIELDS)
def test_posting_forms_survive_fuzz(client, me, company, data):
    posting = PostingFactory(company=company, status="draft")
    _post_and_check(
        client, f"/employer/companies/{company.slug}/postings/new/", data,
        "jobs.Posting", "jobs.Location",
    )  # fmt: skip
    _post_and_check(client, f"/employer/postings/{posting.pk}/edit/", data, "jobs.Posting")


APPLICATION_FIELDS = around({
    "company_name": "Acme", "title": "Engineer", "url": "https://example.com/job",
    "location": "Berlin", "source": "Referral", "applied_at": "2025-01-02T10:00",
    "salary_expectation": "60k", "next_action": "Call", "resume_version": "v2",
    "cover_letter_version": "v1", "posting_text": "Build things", "stage": "",
})  # fmt: skip


@FUZZ
@given(data=APPLICATION_FIELDS)
def test_application_new_and_edit_survive_fuzz(client, me, application, data):
    _post_and_check(client, "/applications/new/", data, "tracking.Application")
    data = {**data, "stage": data["stage"] or str(application.stage_id)}
    _post_and_check(client, "/applications/new/", data, "tracking.Application")
    _post_and_check(client, f"/applications/{application.pk}/edit/", data, "tracking.Application")


@FUZZ
@given(
    note=st.fixed_dictionaries({"body": TEXT}),
    reminder=st.fixed_dictionaries(
        {"due_at": maybe("2030-01-02T09:00", ""), "message": TEXT, "quick": maybe("", "3d")}
    ),
    interview=st.fixed_dictionaries(
        {
            "date": maybe("2030-01-02", ""),
            "start_time": maybe("10:00", ""),
            "end_time": maybe("11:00", ""),
            "timezone": maybe("UTC", "Europe/Paris"),
            "kind": maybe("video", "phone", "onsite"),
            "location": TEXT,
            "people": TEXT,
            "prep_notes": TEXT,
        }
    ),  # fmt: skip
    contact=st.fixed_dictionaries({"name": TEXT, "role": TEXT, "email": TEXT, "notes": TEXT}),
)
def test_application_detail_forms_survive_fuzz(
    client, me, application, note, reminder, interview, contact
):
    base = f"/applications/{application.pk}"
    _post_and_check(client, f"{base}/notes/", note, "tracking.Note")
    _post_and_check(client, f"{base}/reminders/", reminder, "tracking.Reminder")
    _post_and_check(client, f"{base}/interviews/", interview, "tracking.Interview")
    _post_and_check(client, f"{base}/contacts/", contact, "tracking.Contact")


@FUZZ
@given(name=TEXT, search=st.fixed_dictionaries(
    {"name": TEXT, "frequency": maybe("daily", "weekly"), "querystring": TEXT}
))  # fmt: skip
def test_collection_and_saved_search_forms_survive_fuzz(client, me, name, search):
    from tracking.models import Collection

    collection, _ = Collection.objects.get_or_create(user=me, name="Mine")
    _post_and_check(client, "/saved/collections/", {"name": name}, "tracking.Collection")
    _post_and_check(
        client, f"/saved/collections/{collection.pk}/rename/", {"name": name},
        "tracking.Collection",
    )  # fmt: skip
    _post_and_check(client, "/saved-searches/new/", search, "tracking.SavedSearch")


SEARCH_KEYS = ["q", "country", "location", "workplace", "type", "level", "company", "salary",
               "posted", "sort", "page"]  # fmt: skip


@FUZZ
@given(params=st.lists(st.tuples(st.sampled_from(SEARCH_KEYS), TEXT), max_size=12))
def test_job_search_querystring_survives_fuzz(client, me, params):
    response = client.get("/jobs/", params and _multidict(params))
    assert response.status_code < 500, params
    response = client.get("/saved-searches/new/", params and _multidict(params))
    assert response.status_code < 500, params


@FUZZ
@given(ids=st.lists(TEXT, max_size=6))
def test_compare_ids_survive_fuzz(client, me, ids):
    response = client.get("/saved/compare/", {"ids": ids})
    assert response.status_code < 500, ids


def _multidict(pairs):
    out: dict[str, list[str]] = {}
    for key, value in pairs:
        out.setdefault(key, []).append(value)
    return out


CSV_HEADER = "title,company,location,employment_type,workplace,description,apply_url\n"
JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), TEXT),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.one_of(TEXT, st.just("title")), inner,
                                                      max_size=5)
    ),
    max_leaves=12,
)  # fmt: skip


def _import_and_check(data: bytes, filename: str) -> None:
    before = _counts("jobs.Posting", "jobs.Company")
    report = importers.import_postings(data, filename=filename, dry_run=False)
    if not report.ok:
        assert _counts("jobs.Posting", "jobs.Company") == before, report.lines


@FUZZ
@given(data=st.binary(max_size=4000), name=st.sampled_from(["x.csv", "x.json", "x", "x.txt"]))
def test_import_of_random_bytes_never_raises(data, name):
    _import_and_check(data, name)


@FUZZ
@given(rows=st.lists(st.lists(TEXT, min_size=1, max_size=8), max_size=5), header=st.booleans())
def test_import_of_random_csv_never_raises(rows, header):
    body = "\n".join(",".join(json.dumps(cell) for cell in row) for row in rows)
    _import_and_check(((CSV_HEADER if header else "") + body).encode(), "x.csv")


@FUZZ
@given(value=JSON_VALUES)
def test_import_of_random_json_never_raises(value):
    _import_and_check(json.dumps(value).encode(), "x.json")
