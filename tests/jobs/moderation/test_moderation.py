import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from jobs.employer import services
from jobs.models import Posting, PostingStatus
from jobs.moderation import services as moderation_services
from jobs.tasks import posting_reviewed_email
from tests.factories import UserFactory


def review_mails() -> list[tuple]:
    """The review emails sent so far (in the review's transaction since issue 16: the outbox),
    as (recipients, subject)."""
    return [(m.to, m.subject) for m in mail.outbox]


pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 4, 1, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def employer():
    return UserFactory(email="boss@acme.example")


@pytest.fixture
def staff():
    return UserFactory(email="mod@jobtrail.example", is_staff=True)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def submitted(employer):
    company = services.company_create(name="Acme", by=employer)
    # A new company is reviewed before its postings (issue 16 point 3).
    moderation_services.company_approve(company=company, by=UserFactory(is_staff=True))
    mail.outbox.clear()  # the company's own "approved" email: these tests count the posting's
    posting = services.posting_create_draft(
        company=company,
        by=employer,
        title="Data Engineer",
        description="<p>Pipelines.</p>",
        apply_email="jobs@acme.example",
        workplace="remote",
    )
    return services.posting_submit(posting=posting, by=employer)


# --- the state machine ---------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_approve_publishes_for_60_days_without_a_deadline(submitted, staff):
    moderation_services.posting_approve(posting=submitted, by=staff)
    submitted.refresh_from_db()
    assert submitted.status == PostingStatus.PUBLISHED
    assert submitted.published_at == NOW
    assert submitted.expires_at == NOW + dt.timedelta(days=60)
    assert submitted.reviewed_by == staff


@time_machine.travel(NOW, tick=False)
def test_approve_keeps_a_posting_up_to_the_end_of_its_deadline_day(submitted, staff):
    Posting.objects.filter(pk=submitted.pk).update(application_deadline=dt.date(2026, 4, 20))
    moderation_services.posting_approve(posting=submitted, by=staff)
    submitted.refresh_from_db()
    assert submitted.expires_at.date() == dt.date(2026, 4, 20)
    assert submitted.expires_at > dt.datetime(2026, 4, 20, 23, 59, tzinfo=dt.UTC)


def test_a_draft_cannot_be_approved(submitted, staff, employer):
    Posting.objects.filter(pk=submitted.pk).update(status=PostingStatus.DRAFT)
    submitted.refresh_from_db()
    with pytest.raises(services.PostingStateError):
        moderation_services.posting_approve(posting=submitted, by=staff)


def test_only_staff_review(submitted, employer):
    with pytest.raises(services.NotAllowed):
        moderation_services.posting_approve(posting=submitted, by=employer)


def test_reject_needs_a_reason(submitted, staff):
    with pytest.raises(services.JobsError):
        moderation_services.posting_reject(posting=submitted, by=staff, reason="   ")
    submitted.refresh_from_db()
    assert submitted.status == PostingStatus.SUBMITTED


def test_a_rejected_posting_can_be_submitted_again(submitted, staff, employer):
    moderation_services.posting_reject(posting=submitted, by=staff, reason="Add a salary range.")
    assert submitted.status == PostingStatus.REJECTED
    services.posting_submit(posting=submitted, by=employer)
    assert submitted.status == PostingStatus.SUBMITTED
    assert submitted.rejection_reason == ""


def test_a_published_posting_cannot_be_submitted_or_rejected(submitted, staff, employer):
    moderation_services.posting_approve(posting=submitted, by=staff)
    with pytest.raises(services.PostingStateError):
        services.posting_submit(posting=submitted, by=employer)
    with pytest.raises(services.PostingStateError):
        moderation_services.posting_reject(posting=submitted, by=staff, reason="Too late")


def test_a_double_approve_publishes_and_emails_once(
    submitted, staff, django_capture_on_commit_callbacks
):
    stale_copy = Posting.objects.get(pk=submitted.pk)
    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.posting_approve(posting=submitted, by=staff)
        with pytest.raises(services.PostingStateError):
            moderation_services.posting_approve(posting=stale_copy, by=staff)
    assert review_mails() == [
        (["boss@acme.example"], "[Jobtrail] Your posting “Data Engineer” is live")
    ]


# --- emails --------------------------------------------------------------------------------


def test_approval_emails_the_employer(submitted, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.posting_approve(posting=submitted, by=staff)
    assert len(review_mails()) == 1
    message = mail.outbox[0]
    assert message.to == ["boss@acme.example"]
    assert "is live" in message.subject
    assert submitted.get_absolute_url() in message.body
    assert message.alternatives and "Data Engineer" in message.alternatives[0][0]


def test_rejection_emails_the_reason(submitted, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.posting_reject(
            posting=submitted, by=staff, reason="Please add a salary <range>."
        )
    assert len(review_mails()) == 1
    message = mail.outbox[0]
    assert "needs changes" in message.subject
    assert "Please add a salary <range>." in message.body
    assert "salary &lt;range&gt;" in message.alternatives[0][0]


def test_a_redelivered_task_does_not_email_twice(submitted, staff):
    # The task remains for reviews queued before the outbox; the review itself mails directly.
    moderation_services.posting_approve(posting=submitted, by=staff)
    mail.outbox.clear()
    assert posting_reviewed_email(submitted.pk, PostingStatus.PUBLISHED) is True
    assert posting_reviewed_email(submitted.pk, PostingStatus.PUBLISHED) is False
    assert len(mail.outbox) == 1


def test_no_email_for_an_employer_who_turned_it_off(submitted, staff, employer):
    employer.profile.email_preferences = {"employer_posting": False}
    employer.profile.save()
    moderation_services.posting_approve(posting=submitted, by=staff)
    assert posting_reviewed_email(submitted.pk, PostingStatus.PUBLISHED) is False
    assert mail.outbox == []


# --- the review queue ----------------------------------------------------------------------


def test_queue_is_for_staff_only(client, submitted, employer):
    url = reverse("jobs_staff:review_queue")
    response = client.get(url)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    client.force_login(employer)
    assert client.get(url).status_code == 404
    assert client.get(reverse("jobs_staff:review_detail", args=[submitted.pk])).status_code == 404
    assert client.post(reverse("jobs_staff:review_approve", args=[submitted.pk])).status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == PostingStatus.SUBMITTED


def test_queue_lists_submitted_postings_oldest_first(
    staff_client, submitted, employer, django_assert_max_num_queries
):
    with time_machine.travel(NOW - dt.timedelta(days=2)):
        older = services.posting_create_draft(
            company=submitted.company,
            by=employer,
            title="Older Analyst",
            description="<p>x</p>",
            apply_url="https://acme.example",
        )
        services.posting_submit(posting=older, by=employer)
    with django_assert_max_num_queries(8):
        body = staff_client.get(reverse("jobs_staff:review_queue")).content.decode()
    assert body.index("Older Analyst") < body.index("Data Engineer")


def test_staff_preview_then_approve(staff_client, submitted, django_capture_on_commit_callbacks):
    page = staff_client.get(reverse("jobs_staff:review_detail", args=[submitted.pk]))
    assert page.status_code == 200 and "Pipelines." in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("jobs_staff:review_approve", args=[submitted.pk]))
    assert response.status_code == 302
    assert len(review_mails()) == 1
    submitted.refresh_from_db()
    assert submitted.status == PostingStatus.PUBLISHED
    # A second click: a message, no second email.
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("jobs_staff:review_approve", args=[submitted.pk]), follow=True
        )
    assert "You can&#x27;t approve a posting that is published." in response.content.decode()
    assert len(review_mails()) == 1


def test_rejecting_without_a_reason_names_the_field(staff_client, submitted):
    response = staff_client.post(
        reverse("jobs_staff:review_reject", args=[submitted.pk]), {"reason": "  "}
    )
    assert response.status_code == 400
    assert "Give the employer a reason" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == PostingStatus.SUBMITTED
    response = staff_client.post(
        reverse("jobs_staff:review_reject", args=[submitted.pk]), {"reason": "No salary."}
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == PostingStatus.REJECTED
    assert submitted.rejection_reason == "No salary."


def test_admin_lists_and_approves_from_the_changelist(client, submitted):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    for model in ("posting", "company", "companygroup", "location"):
        assert client.get(f"/admin/jobs/{model}/").status_code == 200, model
    assert client.get(f"/admin/jobs/posting/{submitted.pk}/change/").status_code == 200
    response = client.post(
        "/admin/jobs/posting/",
        {"action": "approve_selected", "_selected_action": [submitted.pk]},
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == PostingStatus.PUBLISHED


def test_editing_a_published_posting_sends_it_back_to_review(submitted, staff, employer):
    with time_machine.travel(NOW, tick=False):
        moderation_services.posting_approve(posting=submitted, by=staff)
    first_published, first_expiry = submitted.published_at, submitted.expires_at
    with time_machine.travel(NOW + dt.timedelta(days=5), tick=False):
        services.posting_update(posting=submitted, by=employer, title="Data Engineer (Spark)")
        assert submitted.status == PostingStatus.SUBMITTED
        moderation_services.posting_approve(posting=submitted, by=staff)
    assert submitted.status == PostingStatus.PUBLISHED
    assert submitted.title == "Data Engineer (Spark)"
    assert submitted.published_at == first_published  # no bump to the top by editing
    assert submitted.expires_at == first_expiry


def test_the_review_preview_shows_no_personal_match(staff_client, staff, employer):
    from accounts.models import Profile
    from jobs.summary.samples import INTERNSHIP_HTML, INTERNSHIP_TITLE

    Profile.objects.filter(user=staff).update(skills=["Cooking"])
    company = services.company_create(name="Parallax", by=employer)
    posting = services.posting_create_draft(
        company=company,
        by=employer,
        title=INTERNSHIP_TITLE,
        description=INTERNSHIP_HTML,
        apply_email="jobs@parallax.example",
        workplace="remote",
    )
    posting = services.posting_submit(posting=posting, by=employer)
    body = staff_client.get(reverse("jobs_staff:review_detail", args=[posting.pk])).content.decode()
    assert "Required qualifications" in body  # the summary is there
    assert "% match" not in body and "Your match" not in body
    assert "add your skills to see how well you match" not in body


def test_the_approved_notification_says_emailed(
    submitted, staff, employer, client, django_capture_on_commit_callbacks
):
    from tracking.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.posting_approve(posting=submitted, by=staff)
    assert len(review_mails()) == 1
    note = Notification.objects.get(user=employer, dedupe_key__startswith="employer_posting:")
    assert note.email_status == "sent" and note.emailed_at is not None
    client.force_login(employer)
    html = client.get(reverse("tracking:notifications")).content.decode()
    assert "was approved" in html and "· emailed" in html


def test_with_review_emails_off_the_notification_does_not_say_emailed(submitted, staff, employer):
    from accounts.models import Profile
    from tracking.models import Notification

    Profile.objects.filter(user=employer).update(email_preferences={"employer_posting": False})
    moderation_services.posting_approve(posting=submitted, by=staff)
    assert review_mails() == []
    assert not Notification.objects.filter(
        user=employer, email_status="sent", dedupe_key__startswith="employer_posting:"
    ).exists()
