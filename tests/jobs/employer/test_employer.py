import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from jobs.employer import services
from jobs.employer.forms import parse_how_to_apply, parse_locations
from jobs.models import Company, CompanyGroup, CompanyMembership, Posting, PostingStatus
from tests.factories import CompanyFactory, PostingFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def company(user):
    return services.company_create(name="Acme Robotics", website="https://acme.example", by=user)


@pytest.fixture
def draft(company, user):
    return services.posting_create_draft(
        company=company,
        by=user,
        title="Robot Wrangler",
        description="<p>Wrangle robots.</p>",
        apply_url="https://acme.example/jobs/1",
        locations=[services.LocationInput(city="Berlin", region="", country="DE")],
    )


def posting_data(**overrides):
    data = {
        "title": "Backend Engineer",
        "team": "Platform",
        "employment_type": "full_time",
        "level": "mid",
        "workplace": "hybrid",
        "locations": "Berlin, Germany\nAustin, Texas, US",
        "description": "## What you do\n\n- Build APIs\n- Run PostgreSQL",
        "salary_min": "60000",
        "salary_max": "80000",
        "salary_currency": "eur",
        "salary_period": "year",
        "how_to_apply": "https://acme.example/apply",
        "review_policy": "rolling",
        "application_deadline": "",
        "action": "save",
    }
    data.update(overrides)
    return data


# --- permissions ---------------------------------------------------------------------------


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(reverse("employer:dashboard"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_outsider_gets_404_for_another_companys_pages(outsider_client, company, draft):
    urls = [
        reverse("employer:company_edit", args=[company.slug]),
        reverse("employer:posting_create", args=[company.slug]),
        reverse("employer:posting_edit", args=[draft.pk]),
        reverse("employer:posting_extend", args=[draft.pk]),
    ]
    for url in urls:
        assert outsider_client.get(url).status_code == 404, url
    for name in ("posting_submit", "posting_close"):
        response = outsider_client.post(reverse(f"employer:{name}", args=[draft.pk]))
        assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.status == PostingStatus.DRAFT


def test_submit_and_close_refuse_get(owner_client, draft):
    assert owner_client.get(reverse("employer:posting_submit", args=[draft.pk])).status_code == 405


def test_services_refuse_outsiders(company, draft, other_user):
    with pytest.raises(services.NotAllowed):
        services.posting_submit(posting=draft, by=other_user)
    with pytest.raises(services.NotAllowed):
        services.company_update(company=company, by=other_user, name="Mine now")


# --- companies -----------------------------------------------------------------------------


def test_creating_a_company_makes_the_creator_its_owner(owner_client, user):
    response = owner_client.post(
        reverse("employer:company_create"),
        {"name": "Blue Fox", "website": "bluefox.example", "description": "<p onclick=x>Hi</p>"},
    )
    assert response.status_code == 302
    company = Company.objects.get(name="Blue Fox")
    assert company.slug == "blue-fox"
    assert company.website == "https://bluefox.example"
    assert "onclick" not in company.description
    assert CompanyMembership.objects.get(company=company, user=user).role == "owner"


def test_company_slugs_stay_unique(user):
    a = services.company_create(name="Same Name", by=user)
    b = services.company_create(name="Same Name", by=user)
    assert a.slug != b.slug


def test_only_an_owner_adds_members(company, user, other_user):
    editor = UserFactory()
    services.company_member_add(company=company, by=user, user=editor, role="editor")
    with pytest.raises(services.NotAllowed):
        services.company_member_add(company=company, by=editor, user=other_user)


def test_member_form_names_a_malformed_email(owner_client, company):
    """Issue 16 point 5 replaced "No Jobtrail account uses this email address" (account
    discovery) by an invitation; tests/jobs/test_invitations.py checks that any well-formed
    address gets the same answer. A malformed one is still named."""
    response = owner_client.post(
        reverse("employer:member_add", args=[company.slug]),
        {"member-email": "not an address", "member-role": "editor"},
    )
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()


def test_only_an_owner_of_a_group_company_sets_its_limit(company, user, other_user):
    group = services.group_create(company=company, name="Acme Group", by=user)
    services.group_set_application_limit(group=group, limit=2, by=user)
    group.refresh_from_db()
    assert group.application_limit == 2
    assert "At most two applications" in group.application_rule
    editor = UserFactory()
    services.company_member_add(company=company, by=user, user=editor, role="editor")
    for someone in (editor, other_user):
        with pytest.raises(services.NotAllowed):
            services.group_set_application_limit(group=group, limit=5, by=someone)


def test_group_limit_form(owner_client, company, user):
    company.group = CompanyGroup.objects.create(name="G")
    company.save()
    url = reverse("employer:group_limit", args=[company.slug])
    response = owner_client.post(url, {"limit-application_limit": "0"})
    assert response.status_code == 400
    assert 'id="id_limit-application_limit_error"' in response.content.decode()
    assert owner_client.post(url, {"limit-application_limit": "3"}).status_code == 302
    company.group.refresh_from_db()
    assert company.group.application_limit == 3
    owner_client.post(url, {"limit-application_limit": ""})
    company.group.refresh_from_db()
    assert company.group.application_limit is None


# --- the posting form ----------------------------------------------------------------------


def test_dashboard_lists_my_companies_and_postings_by_status(owner_client, company, draft):
    PostingFactory(company=company, title="Live one")
    CompanyFactory(name="Not mine")
    body = owner_client.get(reverse("employer:dashboard")).content.decode()
    assert "Acme Robotics" in body and "Robot Wrangler" in body and "Live one" in body
    assert "Not mine" not in body
    assert body.index("Draft") < body.index("Published")


def test_dashboard_query_count_does_not_grow_with_postings(
    owner_client, company, django_assert_max_num_queries
):
    for _ in range(15):
        PostingFactory(company=company)
    with django_assert_max_num_queries(8):
        assert owner_client.get(reverse("employer:dashboard")).status_code == 200


def test_preview_renders_the_posting_without_saving(owner_client, company):
    url = reverse("employer:posting_create", args=[company.slug])
    response = owner_client.post(
        url,
        posting_data(
            action="preview",
            description="<p>Hello</p><script>alert(1)</script><img src=x onerror=alert(2)>",
        ),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Preview" in body and "Backend Engineer" in body
    assert "EUR 60,000–80,000 per year" in body
    assert "Berlin, Germany" in body
    preview = body[
        body.index('class="preview-frame"') : body.index(
            "</section>", body.index("Full description")
        )
    ]
    assert "alert" not in preview and "onerror" not in preview and "<p>Hello</p>" in preview
    assert "<script>alert" not in body  # the refilled textarea shows it escaped
    assert not Posting.objects.exists()


def test_saving_a_draft_then_submitting_it(owner_client, company, user):
    url = reverse("employer:posting_create", args=[company.slug])
    assert owner_client.post(url, posting_data()).status_code == 302
    posting = Posting.objects.get()
    assert posting.status == PostingStatus.DRAFT
    assert posting.created_by == user
    assert posting.salary_currency == "EUR"
    assert "<h2>What you do</h2>" in posting.description
    assert "<li>Build APIs</li>" in posting.description
    assert sorted(posting.countries) == ["DE", "US"]
    assert {str(loc) for loc in posting.locations.all()} == {
        "Berlin, Germany",
        "Austin, Texas, United States of America",
    }
    assert posting.search_vector is not None
    response = owner_client.post(reverse("employer:posting_submit", args=[posting.pk]))
    assert response.status_code == 302
    posting.refresh_from_db()
    assert posting.status == PostingStatus.SUBMITTED
    assert posting.submitted_at is not None


def test_save_and_submit_in_one_step(owner_client, company):
    url = reverse("employer:posting_create", args=[company.slug])
    owner_client.post(url, posting_data(action="submit", how_to_apply="jobs@acme.example"))
    posting = Posting.objects.get()
    assert posting.status == PostingStatus.SUBMITTED
    assert posting.apply_email == "jobs@acme.example" and posting.apply_url == ""


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"salary_min": "90000", "salary_max": "50000"}, "salary_max", "is below the minimum"),
        ({"application_deadline": "2020-01-01"}, "application_deadline", "in the past"),
        ({"how_to_apply": "call us maybe"}, "how_to_apply", "Enter a web address"),
        ({"how_to_apply": "jobs@"}, "how_to_apply", "valid email"),
        ({"locations": "Berlin, Germny"}, "locations", "Line 1: “Germny” is not a country"),
        ({"locations": ""}, "locations", "at least one location"),
        ({"salary_currency": ""}, "salary_currency", "currency"),
        ({"description": "<script>alert(1)</script>"}, "description", "no text left"),
        ({"title": ""}, "title", "This field is required"),
        ({"title": "x" * 10_000}, "title", "at most 200 characters"),
        ({"salary_max": "99999999999"}, "salary_max", "less than or equal to"),
        ({"how_to_apply": "a" * 300 + "@example.com"}, "how_to_apply", "email"),
        ({"application_deadline": "not a date"}, "application_deadline", "valid date"),
    ],
)
def test_bad_input_is_named_on_its_field_and_the_form_comes_back_filled(
    owner_client, company, overrides, field, message
):
    url = reverse("employer:posting_create", args=[company.slug])
    response = owner_client.post(url, posting_data(**overrides))
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors
    assert message in " ".join(form.errors[field])
    body = response.content.decode()
    assert f'id="id_{field}_error"' in body or f'id="id_{field}"' in body
    assert 'value="Platform"' in body  # what was typed is kept
    assert not Posting.objects.exists()


def test_editing_a_rejected_posting_makes_it_a_draft_again(owner_client, draft, user):
    Posting.objects.filter(pk=draft.pk).update(
        status=PostingStatus.REJECTED, rejection_reason="No salary"
    )
    url = reverse("employer:posting_edit", args=[draft.pk])
    page = owner_client.get(url).content.decode()
    assert "Robot Wrangler" in page and "Berlin, Germany" in page
    owner_client.post(url, posting_data(title="Robot Wrangler II"))
    draft.refresh_from_db()
    assert draft.status == PostingStatus.DRAFT
    assert draft.title == "Robot Wrangler II"


def test_closed_postings_cannot_be_edited(owner_client, company):
    posting = PostingFactory(company=company, status=PostingStatus.CLOSED)
    response = owner_client.get(reverse("employer:posting_edit", args=[posting.pk]))
    assert response.status_code == 302


# --- close and extend ----------------------------------------------------------------------


def test_close_a_published_posting(owner_client, company):
    posting = PostingFactory(company=company)
    owner_client.post(reverse("employer:posting_close", args=[posting.pk]))
    posting.refresh_from_db()
    assert posting.status == PostingStatus.CLOSED and posting.closed_at is not None


def test_closing_a_draft_is_refused_with_a_message(owner_client, draft):
    response = owner_client.post(reverse("employer:posting_close", args=[draft.pk]), follow=True)
    assert "You can&#x27;t close a posting that is draft." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == PostingStatus.DRAFT


@time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC), tick=False)
def test_extend_by_days_and_to_a_new_deadline(owner_client, company):
    posting = PostingFactory(company=company, expires_at=dt.datetime(2026, 3, 10, tzinfo=dt.UTC))
    url = reverse("employer:posting_extend", args=[posting.pk])
    assert owner_client.post(url, {"days": "14"}).status_code == 302
    posting.refresh_from_db()
    assert posting.expires_at == dt.datetime(2026, 3, 24, tzinfo=dt.UTC)
    owner_client.post(url, {"deadline": "2026-05-01"})
    posting.refresh_from_db()
    assert posting.application_deadline == dt.date(2026, 5, 1)
    assert posting.expires_at.date() == dt.date(2026, 5, 1)


@time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC), tick=False)
def test_extend_rejects_past_deadlines_and_empty_choices(owner_client, company):
    posting = PostingFactory(company=company, expires_at=dt.datetime(2026, 3, 10, tzinfo=dt.UTC))
    url = reverse("employer:posting_extend", args=[posting.pk])
    response = owner_client.post(url, {"deadline": "2026-02-01"})
    assert response.status_code == 400 and "in the past" in response.content.decode()
    response = owner_client.post(url, {})
    assert response.status_code == 400 and "Choose how many days" in response.content.decode()


@time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC), tick=False)
def test_extending_an_expired_posting_lists_it_again(company, user):
    posting = PostingFactory(
        company=company,
        status=PostingStatus.EXPIRED,
        expires_at=dt.datetime(2026, 2, 1, tzinfo=dt.UTC),
    )
    services.posting_extend(posting=posting, by=user, days=30)
    assert posting.status == PostingStatus.PUBLISHED
    assert posting.expires_at == dt.datetime(2026, 3, 31, 12, tzinfo=dt.UTC)


# --- parsing helpers -----------------------------------------------------------------------


def test_location_lines():
    locs = parse_locations("Zürich, CH\n\nAustin, Texas, United States\nGermany\n")
    assert [(x.city, x.region, x.country) for x in locs] == [
        ("Zürich", "", "CH"),
        ("Austin", "Texas", "US"),
        ("", "", "DE"),
    ]


def test_how_to_apply_accepts_a_url_an_address_or_mailto():
    assert parse_how_to_apply("acme.example/jobs") == ("https://acme.example/jobs", "")
    assert parse_how_to_apply("mailto:hr@acme.example") == ("", "hr@acme.example")
    assert parse_how_to_apply("http://acme.example") == ("http://acme.example", "")


def test_a_member_edits_the_company_page(owner_client, company, draft):
    url = reverse("employer:company_edit", args=[company.slug])
    response = owner_client.post(url, {"name": "", "website": "nope nope"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"name", "website"}
    long_site = "https://acme.example/" + "a" * 300
    response = owner_client.post(url, {"name": "Acme", "website": long_site})
    assert response.status_code == 400 and "website" in response.context["form"].errors
    response = owner_client.post(
        url, {"name": "Acme Robots", "website": "https://acme.example", "description": "Hi"}
    )
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.name == "Acme Robots" and company.description == "<p>Hi</p>"


def test_saving_a_published_posting_says_it_went_back_to_review(owner_client, company):
    posting = PostingFactory(company=company)
    posting.locations.set([])
    url = reverse("employer:posting_edit", args=[posting.pk])
    assert "Save and send for review" in owner_client.get(url).content.decode()
    response = owner_client.post(url, posting_data(title="Renamed"), follow=True)
    assert "sent back for review" in response.content.decode()
    posting.refresh_from_db()
    assert posting.status == PostingStatus.SUBMITTED and posting.title == "Renamed"
