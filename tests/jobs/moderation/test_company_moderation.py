"""Issue 16 point 3: companies go through staff review. A new company and a rename of a
company with live postings wait for staff; a company is public only once approved; a pending
rename keeps the approved name public; a copied name is refused; employers see the status and
are emailed the decision."""

import pytest
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from jobs.employer import services
from jobs.models import Company, CompanyStatus, PostingStatus
from jobs.moderation import services as moderation
from jobs.tasks import company_reviewed_email
from tests.factories import CompanyFactory, PostingFactory, UserFactory
from tracking.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return UserFactory(is_staff=True)


@pytest.fixture
def staff_client(staff):
    client = Client()
    client.force_login(staff)
    return client


@pytest.fixture
def new_company(owner_client):
    response = owner_client.post(
        reverse("employer:company_create"),
        {"name": "Blue Fox", "website": "https://evil.example", "description": "Hi"},
    )
    assert response.status_code == 302
    return Company.objects.get(name="Blue Fox")


def _draft_submitted(company, by):
    posting = services.posting_create_draft(
        company=company,
        by=by,
        title="Fox Handler",
        description="<p>Foxes.</p>",
        apply_url="https://bluefox.example/jobs",
    )
    return services.posting_submit(posting=posting, by=by)


def test_a_new_company_is_pending_and_not_public(new_company, other_user):
    client, outsider_client = Client(), Client()
    outsider_client.force_login(other_user)
    assert new_company.status == CompanyStatus.PENDING
    url = new_company.get_absolute_url()
    assert client.get(url).status_code == 404
    assert outsider_client.get(url).status_code == 404
    # Even with a published posting (rows from before moderation), no sitemap entry.
    PostingFactory(company=new_company)
    sitemap = client.get("/sitemap-companies.xml")
    assert sitemap.status_code == 200 and b"blue-fox" not in sitemap.content


def test_its_members_and_staff_see_the_page_marked_as_waiting(
    new_company, owner_client, staff_client
):
    for who in (owner_client, staff_client):
        response = who.get(new_company.get_absolute_url())
        assert response.status_code == 200
        assert "Waiting for staff review" in response.content.decode()


def test_the_employer_dashboard_shows_the_status(new_company, owner_client):
    html = owner_client.get(reverse("employer:dashboard")).content.decode()
    assert "Pending review" in html


def test_a_posting_of_a_pending_company_cannot_be_approved(new_company, user, staff):
    posting = _draft_submitted(new_company, user)
    with pytest.raises(services.PostingStateError, match="Review the company"):
        moderation.posting_approve(posting=posting, by=staff)
    posting.refresh_from_db()
    assert posting.status == PostingStatus.SUBMITTED


def test_staff_approve_from_the_queue_and_the_owner_is_emailed(new_company, user, staff_client):
    client = Client()  # anonymous
    queue = staff_client.get(reverse("jobs_staff:review_queue")).content.decode()
    assert "New: Blue Fox" in queue
    approve = reverse("jobs_staff:company_approve", args=[new_company.pk])
    assert approve in queue
    assert staff_client.post(approve).status_code == 302
    new_company.refresh_from_db()
    assert new_company.status == CompanyStatus.APPROVED
    assert client.get(new_company.get_absolute_url()).status_code == 200
    (message,) = mail.outbox  # written in the review's transaction (the outbox)
    assert message.to == [user.email] and "is approved" in message.subject
    notification = Notification.objects.get(user=user)  # and the in-app copy
    assert notification.subject == "Blue Fox was approved by staff"
    assert (
        "New: Blue Fox" not in staff_client.get(reverse("jobs_staff:review_queue")).content.decode()
    )


def test_staff_reject_with_a_reason_and_an_edit_sends_it_back(
    new_company, user, owner_client, staff_client
):
    client = Client()  # anonymous
    reject = reverse("jobs_staff:company_reject", args=[new_company.pk])
    staff_client.post(reject, {"reason": ""})
    new_company.refresh_from_db()
    assert new_company.status == CompanyStatus.PENDING  # no reason, no rejection
    staff_client.post(reject, {"reason": "The website is not this company's."})
    new_company.refresh_from_db()
    assert new_company.status == CompanyStatus.REJECTED
    assert client.get(new_company.get_absolute_url()).status_code == 404
    html = owner_client.get(reverse("employer:dashboard")).content.decode()
    assert "Not approved" in html and "The website is not this company" in html
    assert company_reviewed_email.apply(args=[new_company.pk, "rejected"]).get() is True
    assert "needs changes" in mail.outbox[0].subject
    owner_client.post(
        reverse("employer:company_edit", args=[new_company.slug]),
        {"name": "Blue Fox GmbH", "website": "https://bluefox.example", "description": ""},
    )
    new_company.refresh_from_db()
    assert new_company.status == CompanyStatus.PENDING and new_company.name == "Blue Fox GmbH"


def test_a_rename_of_a_company_with_live_postings_waits_and_keeps_the_approved_name(
    owner_client, user, staff
):
    client = Client()  # anonymous
    company = CompanyFactory(name="Acme Robotics", slug="acme-robotics")
    company.memberships.create(user=user, role="owner")
    posting = PostingFactory(company=company, title="Robot Wrangler")
    response = owner_client.post(
        reverse("employer:company_edit", args=[company.slug]),
        {"name": "Evil Co", "website": "https://acme.example", "description": ""},
        follow=True,
    )
    assert "waits for staff review" in response.content.decode()
    company.refresh_from_db()
    assert (company.name, company.pending_name) == ("Acme Robotics", "Evil Co")
    page = client.get(posting.get_absolute_url()).content.decode()
    assert "Acme Robotics" in page and "Evil Co" not in page
    results = client.get("/jobs/", {"q": "wrangler"}).content.decode()
    assert "Acme Robotics" in results and "Evil Co" not in results
    assert "Evil Co" not in client.get(company.get_absolute_url()).content.decode()
    # The settings form shows the name asked for, and saving it again keeps it waiting.
    form = owner_client.get(reverse("employer:company_edit", args=[company.slug]))
    assert 'value="Evil Co"' in form.content.decode()

    moderation.company_approve(company=company, by=staff)
    company.refresh_from_db()
    assert (company.name, company.pending_name) == ("Evil Co", "")
    assert "Evil Co" in client.get(posting.get_absolute_url()).content.decode()
    assert "Evil Co" in client.get("/jobs/", {"q": "wrangler"}).content.decode()


def test_a_rejected_rename_keeps_the_approved_name(user, staff):
    company = CompanyFactory(name="Acme Robotics")
    company.memberships.create(user=user, role="owner")
    PostingFactory(company=company)
    services.company_update(company=company, by=user, name="Evil Co")
    moderation.company_reject(company=company, by=staff, reason="Not your name.")
    company.refresh_from_db()
    assert (company.name, company.pending_name, company.status) == (
        "Acme Robotics",
        "",
        CompanyStatus.APPROVED,
    )


def test_a_rename_without_live_postings_applies_at_once(user):
    company = CompanyFactory(name="Quiet Co")
    company.memberships.create(user=user, role="owner")
    PostingFactory(company=company, status="draft", published_at=None)
    services.company_update(company=company, by=user, name="Quieter Co")
    company.refresh_from_db()
    assert (company.name, company.pending_name) == ("Quieter Co", "")


def test_a_copied_name_is_refused_on_create_and_on_rename(owner_client, user):
    CompanyFactory(name="Acme Inc.")
    response = owner_client.post(
        reverse("employer:company_create"), {"name": "ACME, inc", "website": "", "description": ""}
    )
    assert response.status_code == 400
    assert "already on Jobtrail" in response.content.decode()
    assert 'value="ACME, inc"' in response.content.decode()  # the form comes back filled in
    assert not Company.objects.filter(name="ACME, inc").exists()
    mine = CompanyFactory(name="Mine")
    mine.memberships.create(user=user, role="owner")
    response = owner_client.post(
        reverse("employer:company_edit", args=[mine.slug]),
        {"name": "acme  INC", "website": "", "description": ""},
    )
    assert response.status_code == 400 and "already on Jobtrail" in response.content.decode()
    mine.refresh_from_db()
    assert (mine.name, mine.pending_name) == ("Mine", "")


def test_staff_and_demo_companies_are_approved_by_default():
    assert CompanyFactory().status == CompanyStatus.APPROVED


@pytest.mark.django_db(transaction=True)
def test_the_migration_counts_existing_companies_as_approved():
    executor = MigrationExecutor(connection)
    before = [("jobs", "0013_bounded_dates")]
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    OldCompany = old_apps.get_model("jobs", "Company")
    OldCompany.objects.create(name="Old Timer GmbH", slug="old-timer")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    company = Company.objects.get(slug="old-timer")
    assert company.status == CompanyStatus.APPROVED
    assert company.name_key == "oldtimergmbh"
