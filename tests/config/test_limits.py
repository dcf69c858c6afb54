"""Issue 16, point 1: every free-text field has a documented maximum length, enforced by the
model and by every form (max + 1 characters: an error on the field, nothing stored)."""

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.functions import Length
from django.forms import BaseForm

from config import limits
from jobs.models import CompanyMembership
from tests.factories import (
    ApplicationFactory,
    CompanyFactory,
    PostingFactory,
    UserFactory,
)

ROOT = Path(__file__).resolve().parents[2]


def _typed_text_fields():
    for app_label in ("accounts", "jobs", "tracking"):
        for model in apps.get_app_config(app_label).get_models():
            for field in model._meta.get_fields():
                if isinstance(field, models.CharField | models.TextField) and not field.choices:
                    yield f"{app_label}.{model.__name__}.{field.name}", field


def test_every_text_field_is_limited_or_exempt_with_a_reason():
    unknown = [
        label
        for label, _ in _typed_text_fields()
        if label not in limits.EXEMPT and label not in {f.field for f in limits.FIELDS}
    ]
    assert unknown == [], "add these to config/limits.py FIELDS (or EXEMPT, with the reason)"


@pytest.mark.parametrize("limit", limits.FIELDS, ids=lambda limit: limit.field)
def test_the_model_enforces_the_limit(limit):
    app_label, model_name, name = limit.field.split(".")
    field = apps.get_model(app_label, model_name)._meta.get_field(name)
    assert field.max_length == limit.max_stored  # forms built from the model
    enforced = [v.limit_value for v in field.validators if isinstance(v, MaxLengthValidator)]
    assert enforced == [limit.max_stored]  # full_clean(), the admin, the services


def test_the_documented_table_is_the_one_in_code():
    docs = (ROOT / "docs" / "quality.md").read_text()
    assert limits.markdown_table() in docs, "paste config.limits.markdown_table() into the docs"


# --- every form: max + 1 characters --------------------------------------------------------


@dataclass
class Case:
    field: str  # the form field
    url: str  # {app}, {posting}, {company}, {saved}, {collection} are filled in
    data: dict
    model: str  # the rows that must not change
    limit: int
    column: str = ""  # the model field holding the value, when not `field`
    prefix: str = ""  # the form's prefix


COMPANY = {"name": "Acme", "website": "https://acme.example", "description": "We build."}
POSTING = {
    "title": "Engineer", "team": "Core", "employment_type": "full_time", "level": "",
    "workplace": "onsite", "locations": "Berlin, Germany", "description": "Build things.",
    "salary_min": "", "salary_max": "", "salary_currency": "", "salary_period": "year",
    "how_to_apply": "https://example.com/apply", "review_policy": "rolling",
    "application_deadline": "",
}  # fmt: skip
APPLICATION = {
    "company_name": "Acme", "title": "Engineer", "url": "https://example.com/job",
    "location": "Berlin", "source": "Referral", "applied_at": "", "salary_expectation": "60k",
    "next_action": "Call", "resume_version": "v2", "cover_letter_version": "v1",
    "posting_text": "Build things",
}  # fmt: skip
INTERVIEW = {
    "date": "2030-01-02", "start_time": "10:00", "end_time": "11:00", "timezone": "UTC",
    "kind": "video", "location": "Zoom", "people": "Rita", "prep_notes": "Read up",
}  # fmt: skip
CONTACT = {"name": "Rita", "role": "Recruiter", "email": "rita@example.com", "notes": "Nice"}
L = limits.limit_for


def _cases() -> list[Case]:
    cases = [
        Case("display_name", "/account/profile/", {"timezone": "UTC"}, "accounts.Profile",
             L("accounts.Profile.display_name").typed),
        Case("headline", "/account/profile/", {"timezone": "UTC"}, "accounts.Profile",
             L("accounts.Profile.headline").typed),
        Case("name", "/employer/companies/{company}/group/", {}, "jobs.CompanyGroup",
             L("jobs.CompanyGroup.name").typed),
        Case("reason", "/staff/review/{submitted}/reject/", {}, "jobs.Posting",
             limits.REJECTION_REASON, "rejection_reason"),
        Case("name", "/applications/stages/", {"kind": "active"}, "tracking.Stage",
             L("tracking.Stage.name").typed),
        Case("body", "/applications/{app}/notes/", {}, "tracking.Note", limits.NOTE_BODY),
        Case("message", "/applications/{app}/reminders/", {"quick": "3d"}, "tracking.Reminder",
             L("tracking.Reminder.message").typed),
        Case("name", "/saved/collections/", {}, "tracking.Collection",
             L("tracking.Collection.name").typed),
        Case("name", "/saved/collections/{collection}/rename/", {}, "tracking.Collection",
             L("tracking.Collection.name").typed),
        Case("note", "/saved/{saved}/", {}, "tracking.SavedJob", L("tracking.SavedJob.note").typed,
             prefix="note"),
        Case("name", "/saved-searches/new/", {"frequency": "daily", "querystring": "q=x"},
             "tracking.SavedSearch", L("tracking.SavedSearch.name").typed),
        Case("querystring", "/saved-searches/new/", {"frequency": "daily", "name": "Mine"},
             "tracking.SavedSearch", L("tracking.SavedSearch.querystring").typed),
    ]  # fmt: skip
    for url in ("/employer/companies/new/", "/employer/companies/{company}/"):
        for name in ("name", "website", "description"):
            cases.append(Case(name, url, COMPANY, "jobs.Company", L(f"jobs.Company.{name}").typed))
    for url in ("/employer/companies/{company}/postings/new/", "/employer/postings/{draft}/edit/"):
        for name in ("title", "team", "description"):
            cases.append(Case(name, url, POSTING, "jobs.Posting", L(f"jobs.Posting.{name}").typed))
        cases.append(
            Case("locations", url, POSTING, "jobs.Location", limits.LOCATIONS_TEXT, "city")
        )
        cases.append(Case("how_to_apply", url, POSTING, "jobs.Posting", 500, "apply_url"))
    new_fields = ("company_name", "title", "url", "location", "source", "posting_text")
    for url in ("/applications/new/", "/applications/{app}/edit/"):
        for name in APPLICATION:
            if name != "applied_at" and (name in new_fields or "edit" in url):
                limit = L(f"tracking.Application.{name}").typed
                cases.append(Case(name, url, APPLICATION, "tracking.Application", limit))
    for name in ("location", "people", "prep_notes"):
        limit = L(f"tracking.Interview.{name}").typed
        cases.append(
            Case(name, "/applications/{app}/interviews/", INTERVIEW, "tracking.Interview", limit)
        )
    for name in CONTACT:
        limit = L(f"tracking.Contact.{name}").typed
        cases.append(
            Case(name, "/applications/{app}/contacts/", CONTACT, "tracking.Contact", limit)
        )
    return cases


CASES = _cases()


def _too_long(case: Case) -> str:
    n = case.limit + 1
    if case.field in ("url", "website", "how_to_apply"):
        return "https://example.com/" + "a" * (n - len("https://example.com/"))
    if case.field == "email":
        return "a" * (n - len("@example.com")) + "@example.com"
    if case.field == "querystring":
        return "q=" + "a" * (n - 2)
    if case.field == "locations":
        return ("Berlin, Germany\n" * (n // 16 + 1))[:n]
    return "a" * n


def _form_errors(response) -> dict:
    errors: dict = {}
    for context in response.context or []:
        for value in context.flatten().values():
            if isinstance(value, BaseForm) and value.is_bound:
                errors.update(value.errors)
    return errors


@pytest.fixture
def objects(client):
    me = UserFactory()
    staff = UserFactory(is_staff=True)
    company = CompanyFactory()
    CompanyMembership.objects.create(company=company, user=me, role="owner")
    from tracking.applications.services import stage_for_key
    from tracking.models import Collection, SavedJob

    return {
        "me": me,
        "staff": staff,
        "app": ApplicationFactory(user=me).pk,
        "company": company.slug,
        "draft": PostingFactory(company=company, status="draft").pk,
        "submitted": PostingFactory(status="submitted").pk,
        "saved": SavedJob.objects.create(user=me, posting=PostingFactory()).pk,
        "collection": Collection.objects.create(user=me, name="Mine").pk,
        "stage": stage_for_key(user=me, key="applied").pk,
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "case", CASES, ids=lambda c: f"{c.url.strip('/').replace('/', '_')}-{c.field}"
)
def test_one_character_over_the_limit_is_refused_on_the_field(client, objects, case):
    client.force_login(objects["staff"] if "/staff/" in case.url else objects["me"])
    url = case.url.format(**objects)
    model = apps.get_model(case.model)
    column = case.column or case.field
    before = model.objects.count()
    key = f"{case.prefix}-{case.field}" if case.prefix else case.field
    data = {**case.data, key: _too_long(case)}
    if url == "/applications/new/":
        data["stage"] = objects["stage"]
    response = client.post(url, data)
    assert response.status_code in (200, 400, 422), response.status_code
    assert case.field in _form_errors(response), _form_errors(response)
    assert model.objects.count() == before
    stored = model.objects.annotate(n=Length(column)).filter(n__gt=case.limit)
    assert not stored.exists()


@pytest.mark.django_db
def test_the_limit_itself_is_accepted(client, objects):
    client.force_login(objects["me"])
    response = client.post(
        f"/applications/{objects['app']}/notes/", {"body": "a" * limits.NOTE_BODY}
    )
    assert response.status_code in (302, 200)
    from tracking.models import Note

    assert Note.objects.filter(application_id=objects["app"]).count() == 1


@pytest.mark.django_db
def test_markdown_that_grows_past_the_stored_limit_is_refused(client, objects):
    client.force_login(objects["me"])
    links = "[a](b) " * (limits.COMPANY_DESCRIPTION // 7)  # each link grows eightfold
    response = client.post(
        f"/employer/companies/{objects['company']}/", {**COMPANY, "description": links}
    )
    assert "characters of HTML" in str(_form_errors(response)["description"])


@pytest.mark.django_db
def test_the_importer_refuses_a_description_over_the_limit():
    from django.utils import timezone

    from jobs.imports.importers import RawRow, validate_row

    raw = RawRow(
        label="row 2",
        values={
            "title": "Dev",
            "company": "Acme",
            "description": "a" * (limits.POSTING_DESCRIPTION_HTML + 1),
        },
        keys={},
    )
    row, problems = validate_row(raw, now=timezone.now())
    assert row is None
    assert [p.column for p in problems] == ["description"]


@pytest.mark.django_db
def test_a_posting_whose_html_grew_past_the_typed_limit_can_be_saved_again(client, objects):
    """The edit form shows the stored HTML; HTML is sanitized, not rendered, so it may be as
    long as the column even where Markdown is limited to fewer characters."""
    from jobs.models import Posting

    client.force_login(objects["me"])
    html = "<p>" + "word " * (limits.POSTING_DESCRIPTION // 5) + "</p>"
    assert limits.POSTING_DESCRIPTION < len(html) <= limits.POSTING_DESCRIPTION_HTML
    Posting.objects.filter(pk=objects["draft"]).update(description=html)
    response = client.post(
        f"/employer/postings/{objects['draft']}/edit/", {**POSTING, "description": html}
    )
    assert response.status_code == 302, _form_errors(response)
    assert Posting.objects.get(pk=objects["draft"]).description.startswith("<p>word word")
