import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import (
    ApplicationFactory,
    CompanyFactory,
    CompanyGroupFactory,
    ContactFactory,
    InterviewFactory,
    NoteFactory,
    PostingFactory,
    ReminderFactory,
)
from tracking.applications import services
from tracking.models import Application, Interview, Note, Reminder, StageChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def app(user):
    return services.application_create_external(user=user, company_name="Acme", title="Backend dev")


def test_board_needs_login(client):
    response = client.get("/applications/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_empty_board_shows_every_stage_and_a_way_to_start(owner_client):
    response = owner_client.get("/applications/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "No applications yet" in html
    for name in [
        "Interested",
        "Applied",
        "Screening",
        "Interview",
        "Offer",
        "Rejected",
        "No response",
    ]:
        assert f">{name}</h2>" in html


def test_board_cards_show_company_title_days_reminder_and_stale_flag(owner_client, user):
    old = ApplicationFactory(
        user=user,
        title="Old one",
        last_activity_at=timezone.now() - timedelta(days=30),
        stage_entered_at=timezone.now() - timedelta(days=30),
    )
    fresh = ApplicationFactory(user=user, title="Fresh one", company_name="Fresh Co")
    ReminderFactory(application=fresh, due_at=timezone.now() + timedelta(days=2))
    html = owner_client.get("/applications/").content.decode()
    old_card = html[html.index(f'id="card-{old.pk}"') :].split("</li>")[0]
    fresh_card = html[html.index(f'id="card-{fresh.pk}"') :].split("</li>")[0]
    assert "30 days here" in old_card and "Stale" in old_card
    assert "Fresh Co" in fresh_card and "Follow up" in fresh_card and "Stale" not in fresh_card


def test_board_of_500_applications_takes_a_fixed_number_of_queries(
    owner_client, user, django_assert_max_num_queries
):
    services.stages_ensure(user=user)
    services.tracking_setup(user=user)
    stages = services.stages_ensure(user=user)
    apps = [
        Application(
            user=user,
            company_name=f"Company {i}",
            title=f"Job {i}",
            stage=stages[i % 6],
            position=i,
        )
        for i in range(500)
    ]
    Application.objects.bulk_create(apps)
    Reminder.objects.bulk_create(
        [
            Reminder(application=a, due_at=timezone.now() + timedelta(days=1))
            for a in Application.objects.filter(user=user)[:100]
        ]
    )
    with django_assert_max_num_queries(10):
        response = owner_client.get("/applications/")
    assert response.content.decode().count("data-card ") == 500


def test_moving_with_the_stage_menu_redirects_back_and_records_the_change(owner_client, user, app):
    applied = services.stage_for_key(user=user, key="applied")
    response = owner_client.post(f"/applications/{app.pk}/move/", {"stage": applied.pk})
    # Back to the board, showing the card's new column (the one a phone shows) and the card.
    assert response.status_code == 302
    assert response["Location"] == f"/applications/?stage=applied#card-{app.pk}"
    app.refresh_from_db()
    assert app.stage == applied and app.applied_at is not None
    assert StageChange.objects.filter(application=app, to_stage=applied).exists()


def test_htmx_move_answers_with_a_status_and_the_updated_card(owner_client, user, app):
    interview = services.stage_for_key(user=user, key="interview")
    response = owner_client.post(
        f"/applications/{app.pk}/move/",
        {"stage": interview.pk, "position": 0},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Moved “Backend dev” to Interview." in html
    assert f'id="card-{app.pk}"' in html and 'hx-swap-oob="true"' in html
    # The card carries its new stage (the shared menu marks it as the current one).
    assert re.search(rf'id="card-{app.pk}"[^>]*data-stage-id="{interview.pk}"', html)


def test_move_to_a_stage_of_another_user_is_refused(owner_client, other_user, app):
    foreign = services.stage_for_key(user=other_user, key="applied")
    response = owner_client.post(
        f"/applications/{app.pk}/move/", {"stage": foreign.pk}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 400
    response = owner_client.post(
        f"/applications/{app.pk}/move/", {"stage": foreign.pk}, follow=True
    )
    assert "Choose one of your stages." in response.content.decode()
    app.refresh_from_db()
    assert app.stage.key == "saved"


def test_move_warns_about_the_application_limit_and_names_the_counted_ones(owner_client, user):
    group = CompanyGroupFactory(name="Initech family", application_limit=1)
    first, _ = services.application_create_from_posting(
        user=user, posting=PostingFactory(company=CompanyFactory(group=group), title="First role")
    )
    second, _ = services.application_create_from_posting(
        user=user, posting=PostingFactory(company=CompanyFactory(group=group), title="Second role")
    )
    applied = services.stage_for_key(user=user, key="applied")
    owner_client.post(f"/applications/{first.pk}/move/", {"stage": applied.pk})
    detail = owner_client.get(f"/applications/{second.pk}/").content.decode()
    assert "Initech family considers at most 1 application" in detail and "First role" in detail
    response = owner_client.post(
        f"/applications/{second.pk}/move/", {"stage": applied.pk}, follow=True
    )
    html = response.content.decode()
    assert "message-warning" in html and "First role" in html
    second.refresh_from_db()
    assert second.stage == applied


@pytest.mark.parametrize(
    "method,url",
    [
        ("get", "/applications/{app}/"),
        ("post", "/applications/{app}/edit/"),
        ("post", "/applications/{app}/move/"),
        ("post", "/applications/{app}/archive/"),
        ("post", "/applications/{app}/delete/"),
        ("post", "/applications/{app}/notes/"),
        ("post", "/applications/{app}/reminders/"),
        ("post", "/applications/{app}/interviews/"),
        ("post", "/applications/{app}/contacts/"),
        ("get", "/applications/notes/{note}/edit/"),
        ("post", "/applications/notes/{note}/delete/"),
        ("post", "/applications/reminders/{reminder}/done/"),
        ("post", "/applications/reminders/{reminder}/snooze/"),
        ("post", "/applications/reminders/{reminder}/cancel/"),
        ("get", "/applications/interviews/{interview}/edit/"),
        ("get", "/applications/interviews/{interview}.ics"),
        ("post", "/applications/interviews/{interview}/delete/"),
        ("get", "/applications/contacts/{contact}/edit/"),
        ("post", "/applications/contacts/{contact}/delete/"),
        ("get", "/applications/changes/{change}/edit/"),
        ("post", "/applications/stages/{stage}/rename/"),
        ("post", "/applications/stages/{stage}/archive/"),
    ],
)
def test_an_outsider_gets_404_for_someone_elses_rows(outsider_client, user, app, method, url):
    ids = {
        "app": app.pk,
        "note": NoteFactory(application=app).pk,
        "reminder": ReminderFactory(application=app).pk,
        "interview": InterviewFactory(application=app).pk,
        "contact": ContactFactory(application=app).pk,
        "change": app.stage_changes.first().pk,
        "stage": app.stage_id,
    }
    response = getattr(outsider_client, method)(url.format(**ids), {"stage": app.stage_id})
    assert response.status_code == 404
    assert Application.objects.filter(pk=app.pk, archived=False).exists()
    assert Note.objects.filter(pk=ids["note"]).exists()
    assert Reminder.objects.get(pk=ids["reminder"]).status == "pending"
    assert Interview.objects.filter(pk=ids["interview"]).exists()


def test_application_page_shows_the_journey_in_the_users_timezone(owner_client, user, app):
    user.profile.timezone = "America/New_York"
    user.profile.save()
    applied = services.stage_for_key(user=user, key="applied")
    change = services.application_move(application=app, stage=applied, by=user).change
    services.note_add(application=app, body="Sent the **portfolio**")
    html = owner_client.get(f"/applications/{app.pk}/").content.decode()
    local = timezone.localtime(
        change.changed_at, timezone=__import__("zoneinfo").ZoneInfo("America/New_York")
    )
    assert "Times in America/New_York" in html
    assert f"{local:%H:%M}" in html
    assert "Moved from <strong>Interested</strong> to <strong>Applied</strong>" in html
    assert "<strong>portfolio</strong>" in html


def test_note_with_a_script_tag_is_shown_sanitized(owner_client, app):
    response = owner_client.post(
        f"/applications/{app.pk}/notes/",
        {"body": "hello <script>alert('x')</script><img src=x onerror=alert(1)>"},
    )
    assert response.status_code == 302
    html = owner_client.get(f"/applications/{app.pk}/").content.decode()
    assert (
        "alert('x')" not in html.split("<main")[1].split("<form")[0] or "<script>alert" not in html
    )
    assert "<script>alert" not in html and "onerror" not in html
    note = app.notes.get()
    assert "<script>" in note.body


def test_empty_note_keeps_the_page_and_says_why(owner_client, app):
    response = owner_client.post(f"/applications/{app.pk}/notes/", {"body": "   "})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_reminder_in_the_past_is_refused_on_the_field_and_the_text_is_kept(owner_client, app):
    past = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = owner_client.post(
        f"/applications/{app.pk}/reminders/",
        {"due_at": past, "message": "Ping Sam about the offer"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Pick a time in the future." in html
    assert 'value="Ping Sam about the offer"' in html
    assert not app.reminders.exists()


def test_reminder_quick_pick_sets_it_in_three_days(owner_client, app):
    response = owner_client.post(
        f"/applications/{app.pk}/reminders/", {"quick": "3d", "message": "Follow up"}
    )
    assert response.status_code == 302
    reminder = app.reminders.get()
    assert timedelta(days=2) < reminder.due_at - timezone.now() < timedelta(days=4)


def test_reminder_actions(owner_client, app):
    reminder = ReminderFactory(application=app)
    owner_client.post(f"/applications/reminders/{reminder.pk}/snooze/", {"by": "1w"})
    reminder.refresh_from_db()
    assert reminder.due_at > timezone.now() + timedelta(days=6)
    owner_client.post(f"/applications/reminders/{reminder.pk}/done/")
    reminder.refresh_from_db()
    assert reminder.status == "done"


def test_interview_ending_before_it_starts_is_refused_and_the_text_kept(owner_client, app):
    response = owner_client.post(
        f"/applications/{app.pk}/interviews/",
        {
            "date": "2027-03-10",
            "start_time": "14:00",
            "end_time": "13:00",
            "timezone": "Europe/Berlin",
            "kind": "video",
            "people": "Priya (EM)",
            "prep_notes": "Read the engineering blog",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "The interview must end after it starts." in html
    assert "Read the engineering blog" in html and 'value="Priya (EM)"' in html
    assert not Interview.objects.exists()


def test_interview_is_added_and_downloadable_as_ics(owner_client, app):
    response = owner_client.post(
        f"/applications/{app.pk}/interviews/",
        {
            "date": "2027-03-10",
            "start_time": "14:00",
            "end_time": "15:00",
            "timezone": "Europe/Berlin",
            "kind": "onsite",
            "location": "Hauptstr. 1",
        },
    )
    assert response.status_code == 302
    interview = Interview.objects.get()
    assert interview.duration_minutes == 60
    ics = owner_client.get(f"/applications/interviews/{interview.pk}.ics")
    assert ics["Content-Type"].startswith("text/calendar")
    assert b"DTSTART;TZID=Europe/Berlin:20270310T140000" in ics.content


def test_track_endpoint_is_post_only_idempotent_and_redirects_to_the_application(
    client, owner_client, user
):
    posting = PostingFactory()
    url = f"/applications/track/{posting.pk}/"
    assert owner_client.get(url).status_code == 405
    first = owner_client.post(url)
    second = owner_client.post(url)
    app = Application.objects.get(user=user, posting=posting)
    assert first["Location"] == second["Location"] == f"/applications/{app.pk}/"
    assert Application.objects.filter(posting=posting).count() == 1
    client.logout()
    assert client.post(url).status_code == 302
    assert "/accounts/login/" in client.post(url)["Location"]


def test_track_unknown_or_draft_posting_is_404(owner_client):
    draft = PostingFactory(status="draft")
    assert owner_client.post(f"/applications/track/{draft.pk}/").status_code == 404
    assert owner_client.post("/applications/track/999999/").status_code == 404


def test_add_external_job_form_names_the_missing_field_and_keeps_the_rest(owner_client, user):
    response = owner_client.post(
        "/applications/new/",
        {
            "company_name": "",
            "title": "Data engineer",
            "url": "not a url",
            "stage": services.stage_for_key(user=user, key="saved").pk,
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "This field is required." in html and "Enter a valid URL." in html
    assert 'value="Data engineer"' in html
    assert not Application.objects.exists()
    response = owner_client.post(
        "/applications/new/",
        {
            "company_name": "Umbrella",
            "title": "Data engineer",
            "url": "https://umbrella.example/jobs/1",
            "stage": services.stage_for_key(user=user, key="applied").pk,
            "posting_text": "We need SQL.",
        },
    )
    app = Application.objects.get()
    assert response["Location"] == f"/applications/{app.pk}/"
    assert app.stage.key == "applied" and app.applied_at is not None


def test_edit_details_with_a_bad_value_keeps_the_input(owner_client, app):
    response = owner_client.post(
        f"/applications/{app.pk}/edit/",
        {"company_name": "Acme", "title": "", "salary_expectation": "90k EUR", "url": ""},
    )
    html = response.content.decode()
    assert response.status_code == 400 and 'value="90k EUR"' in html
    response = owner_client.post(
        f"/applications/{app.pk}/edit/",
        {
            "company_name": "Acme",
            "title": "Backend dev",
            "salary_expectation": "90k EUR",
            "resume_version": "CV v3",
        },
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.salary_expectation == "90k EUR" and app.resume_version == "CV v3"


def test_stage_change_date_can_be_corrected(owner_client, user, app):
    change = app.stage_changes.get()
    response = owner_client.post(
        f"/applications/changes/{change.pk}/edit/", {"changed_at": "2999-01-01T10:00"}
    )
    assert response.status_code == 400 and "future" in response.content.decode()
    earlier = (timezone.localtime() - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = owner_client.post(
        f"/applications/changes/{change.pk}/edit/", {"changed_at": earlier}
    )
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.edited_at and change.original_changed_at


def test_list_view_filters_sorts_and_keeps_its_query_count(
    owner_client, user, django_assert_max_num_queries
):
    for i in range(30):
        ApplicationFactory(user=user, company_name=f"Zeta {i}" if i % 2 else f"Alpha {i}")
    owner_client.get("/applications/list/")  # the first visit creates the user's settings row
    with django_assert_max_num_queries(8):
        response = owner_client.get("/applications/list/?sort=company")
    html = response.content.decode()
    assert html.index("Alpha 0") < html.index("Zeta 1")
    assert '<th scope="col" aria-sort="ascending"><a href="?sort=-company">Company' in html
    response = owner_client.get("/applications/list/?q=zeta")
    assert "Alpha" not in response.content.decode().split('id="results"')[1]
    partial = owner_client.get("/applications/list/?q=zeta", headers={"HX-Request": "true"})
    assert partial.content.decode().lstrip().startswith('<div id="results">')


def test_settings_page_adds_renames_and_refuses_duplicates(owner_client, user):
    assert owner_client.get("/applications/settings/").status_code == 200
    response = owner_client.post("/applications/stages/", {"name": "applied", "kind": "active"})
    assert response.status_code == 400 and "already have a stage" in response.content.decode()
    response = owner_client.post("/applications/stages/", {"name": "Take-home", "kind": "active"})
    assert response.status_code == 302
    response = owner_client.post("/applications/settings/", {"stale_after_days": "0"})
    assert response.status_code == 400
    response = owner_client.post("/applications/settings/", {"stale_after_days": "7"})
    assert response.status_code == 302
    assert user.tracking_settings.stale_after_days == 7


def test_document_upload_is_checked_and_served_only_to_its_owner(
    owner_client, client, other_user, app, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    data = {"company_name": "Acme", "title": "Backend dev"}
    too_big = SimpleUploadedFile("cv.pdf", b"x" * (2 * 1024 * 1024 + 1), "application/pdf")
    response = owner_client.post(f"/applications/{app.pk}/edit/", {**data, "document": too_big})
    assert response.status_code == 400 and "over 2 MB" in response.content.decode()
    exe = SimpleUploadedFile("cv.exe", b"MZ", "application/octet-stream")
    response = owner_client.post(f"/applications/{app.pk}/edit/", {**data, "document": exe})
    assert response.status_code == 400
    pdf = SimpleUploadedFile("cv-v3.pdf", b"%PDF-1.4 hello", "application/pdf")
    assert (
        owner_client.post(f"/applications/{app.pk}/edit/", {**data, "document": pdf}).status_code
        == 302
    )
    response = owner_client.get(f"/applications/{app.pk}/document/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 hello"
    assert "cv-v3.pdf" in response["Content-Disposition"]
    client.force_login(other_user)
    assert client.get(f"/applications/{app.pk}/document/").status_code == 404


def test_track_button_offers_tracking_then_links_to_the_application(rf, user):
    from django.contrib.auth.models import AnonymousUser
    from django.template import Context, Template

    posting = PostingFactory()
    template = Template("{% load track_button %}{% track_button posting %}")

    def render(who):
        # The page's view reads the reader's state once; the tag only shows it.
        from tracking.saved.selectors import posting_state_for

        request = rf.get("/jobs/x/")
        request.user = who
        state = posting_state_for(user=who, posting=posting)
        return template.render(
            Context({"request": request, "posting": posting, "csrf_token": "t", **state})
        )

    assert f'action="/applications/track/{posting.pk}/"' in render(user)
    assert "Log in to track" in render(AnonymousUser())
    app, _ = services.application_create_from_posting(user=user, posting=posting)
    html = render(user)
    assert f'href="/applications/{app.pk}/"' in html and "Tracking · Interested" in html


def test_an_external_job_gets_the_summary_and_match_of_its_pasted_text(owner_client, user):
    user.profile.skills = ["Python"]
    user.profile.save()
    application = services.application_create_external(
        user=user,
        company_name="Elsewhere Ltd",
        title="Platform Engineer",
        posting_text=(
            "Elsewhere Ltd runs the payments platform for small shops.\n"
            "Responsibilities\nRun our Kubernetes clusters.\nAutomate deployments.\n"
            "Requirements\n3+ years of experience with Python and Terraform.\n"
            "Nice to have\nExperience with Go.\n"
        ),
    )
    html = owner_client.get(f"/applications/{application.pk}/").content.decode()
    assert "Run our Kubernetes clusters." in html.split("Posting text you saved")[0]
    assert "3+ years" in html
    assert "Terraform" in html and "to my profile" in html  # a missing skill, one click to add


# --- the edit pages of an application's rows: one shape for notes, interviews, contacts, dates


def _edit_pages(app) -> dict[str, dict]:
    """Per row kind: its edit URL, what the page shows, a good and a bad POST, where a save
    lands and the message it leaves."""
    note = NoteFactory(application=app)
    interview = InterviewFactory(application=app, location="Room 1")
    contact = ContactFactory(application=app, name="Ada")
    change = app.stage_changes.get()
    three_days_ago = (timezone.localtime() - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    slot = {"date": "2031-03-04", "timezone": "Europe/Berlin", "kind": "video"}
    return {
        "note": {
            "url": f"/applications/notes/{note.pk}/edit/",
            "title": "Edit note",
            "submit": "Save note",
            "current": "Called the recruiter.",
            "good": {"body": "Sent the *portfolio*"},
            "bad": {"body": ""},
            "lands": f"/applications/{app.pk}/#notes",
            "message": "Note saved.",
        },
        "interview": {
            "url": f"/applications/interviews/{interview.pk}/edit/",
            "title": "Edit interview",
            "submit": "Save interview",
            "current": 'value="Room 1"',
            "good": {**slot, "start_time": "10:00", "end_time": "11:00", "location": "Room 2"},
            "bad": {**slot, "start_time": "11:00", "end_time": "10:00"},
            "lands": f"/applications/{app.pk}/#interviews",
            "message": "Interview saved.",
        },
        "contact": {
            "url": f"/applications/contacts/{contact.pk}/edit/",
            "title": "Edit contact",
            "submit": "Save contact",
            "current": 'value="Ada"',
            "good": {"name": "Ada Lovelace", "role": "Recruiter", "email": "ada@example.com"},
            "bad": {"name": "", "email": "not an email"},
            "lands": f"/applications/{app.pk}/#contacts",
            "message": "Contact saved.",
        },
        "change": {
            "url": f"/applications/changes/{change.pk}/edit/",
            "title": "Correct the date of a stage change",
            "submit": "Save date",
            "current": "Backend dev at Acme · Start → Interested",
            "good": {"changed_at": three_days_ago},
            "bad": {"changed_at": "2999-01-01T10:00"},  # refused by the service, not the form
            "lands": f"/applications/{app.pk}/",
            "message": "The date is corrected; the original is kept.",
        },
    }


@pytest.mark.parametrize("kind", ["note", "interview", "contact", "change"])
def test_edit_pages_show_the_form_save_and_answer_bad_input_with_400(owner_client, app, kind):
    page = _edit_pages(app)[kind]
    response = owner_client.get(page["url"])
    html = response.content.decode()
    assert response.status_code == 200
    assert f"<h1>{page['title']}</h1>" in html
    assert '<button type="submit">' + page["submit"] + "</button>" in html
    assert page["current"] in html
    assert "Backend dev at Acme" in html

    response = owner_client.post(page["url"], page["bad"])
    html = response.content.decode()
    assert response.status_code == 400
    assert "errorlist" in html and f"<h1>{page['title']}</h1>" in html

    response = owner_client.post(page["url"], page["good"])
    assert response.status_code == 302
    assert response["Location"] == page["lands"]
    assert page["message"] in owner_client.get(response["Location"]).content.decode()


def test_edit_pages_save_what_was_posted(owner_client, app):
    for page in _edit_pages(app).values():
        assert owner_client.post(page["url"], page["good"]).status_code == 302
    assert app.notes.get().body == "Sent the *portfolio*"
    assert app.interviews.get().location == "Room 2"
    contact = app.contacts.get()
    assert (contact.name, contact.role, contact.email) == (
        "Ada Lovelace",
        "Recruiter",
        "ada@example.com",
    )
    assert app.stage_changes.get().original_changed_at is not None


def test_an_empty_post_to_an_edit_page_shows_the_form_again(owner_client, app):
    note = NoteFactory(application=app)
    response = owner_client.post(f"/applications/notes/{note.pk}/edit/")
    assert response.status_code == 200
    assert "<h1>Edit note</h1>" in response.content.decode()


# --- issue 20.4: a board that fits any screen ---------------------------------------------


def test_a_card_has_no_menu_of_its_own_the_board_has_one(owner_client, user):
    for i in range(3):
        ApplicationFactory(user=user, title=f"Job {i}")
    html = owner_client.get("/applications/").content.decode()
    stages = services.stages_ensure(user=user)
    assert "<select" not in html.split("data-board>")[1].split("</main>")[0]
    assert html.count("data-card-menu-popup") == 1
    for stage in stages:
        assert f'name="stage" value="{stage.pk}" role="menuitem"' in html
    # Each card's ⋯ is a link to its move page: the menu without JavaScript.
    card = html[html.index('id="card-') :].split("</li>")[0]
    assert re.search(r'<a class="card-menu-button" href="/applications/\d+/move/"', card)
    assert "csrfmiddlewaretoken" not in card


def test_the_move_page_lists_every_stage_as_a_button_and_moves(owner_client, user, app):
    html = owner_client.get(f"/applications/{app.pk}/move/").content.decode()
    interview = services.stage_for_key(user=user, key="interview")
    assert "Move “Backend dev”" in html
    assert f'name="stage" value="{interview.pk}"' in html
    response = owner_client.post(f"/applications/{app.pk}/move/", {"stage": interview.pk})
    assert response["Location"] == f"/applications/?stage=interview#card-{app.pk}"
    app.refresh_from_db()
    assert app.stage == interview


def test_the_move_page_of_another_users_card_is_a_404(client, other_user, app):
    client.force_login(other_user)
    assert client.get(f"/applications/{app.pk}/move/").status_code == 404


def test_the_switcher_lists_every_column_with_its_count_and_marks_the_chosen_one(
    owner_client, user
):
    interview = services.stage_for_key(user=user, key="interview")
    ApplicationFactory(user=user, stage=interview)
    ApplicationFactory(user=user, stage=interview)
    html = owner_client.get("/applications/").content.decode()
    switcher = html.split('class="board-switcher"')[1].split("</nav>")[0]
    assert switcher.count("<li>") == len(services.stages_ensure(user=user))
    # Without ?stage= a phone shows the first column that has cards, not an empty one.
    assert re.search(
        r'href="\?stage=interview" data-switch="interview" aria-current="true">Interview '
        r'<span class="board-count" data-switch-count>2</span>',
        switcher,
    )
    html = owner_client.get("/applications/?stage=applied").content.decode()
    assert 'data-switch="applied" aria-current="true"' in html
    assert 'data-switch="interview" aria-current' not in html
    column = re.search(r'<section class="board-column([^"]*)"[^>]*data-param="applied"', html)
    assert column and "is-current" in column.group(1)


def test_a_stage_the_user_made_is_chosen_by_its_id(owner_client, user):
    extra = services.stage_create(user=user, name="Take-home")
    html = owner_client.get(f"/applications/?stage={extra.pk}").content.decode()
    assert f'data-switch="{extra.pk}" aria-current="true"' in html
    # An unknown value falls back to a column rather than failing.
    assert owner_client.get("/applications/?stage=nope").status_code == 200


def test_column_counts_are_worded_for_one_and_many(owner_client, user):
    ApplicationFactory(user=user, stage=services.stage_for_key(user=user, key="offer"))
    html = owner_client.get("/applications/").content.decode()
    assert 'aria-label="1 application"' in html and 'aria-label="0 applications"' in html


def test_the_side_panel_gets_the_application_partial_and_the_link_is_the_page(owner_client, app):
    board = owner_client.get("/applications/").content.decode()
    assert f'href="/applications/{app.pk}/" data-panel-link' in board
    assert 'id="side-panel-body"' in board
    response = owner_client.get(
        f"/applications/{app.pk}/",
        headers={"HX-Request": "true", "HX-Target": "side-panel-body"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Vary" in response and "HX-Request" in response["Vary"]
    assert "<html" not in html and 'data-panel-title="Backend dev"' in html
    assert "Journey" in html and f'action="/applications/{app.pk}/notes/#notes"' in html
    page = owner_client.get(f"/applications/{app.pk}/").content.decode()
    assert "<html" in page and "Journey" in page


def test_the_side_panel_of_another_users_application_is_a_404(client, other_user, app):
    client.force_login(other_user)
    response = client.get(
        f"/applications/{app.pk}/",
        headers={"HX-Request": "true", "HX-Target": "side-panel-body"},
    )
    assert response.status_code == 404


# --- issue 20.5: one notion of saved ------------------------------------------------------


def test_the_first_stage_is_interested_and_points_to_saved_jobs(owner_client, user):
    html = owner_client.get("/applications/").content.decode()
    assert ">Interested</h2>" in html and ">Saved</h2>" not in html
    assert 'href="/saved/">Saved jobs</a> until you track them' in html


def test_the_migration_renames_only_the_builtin_name_and_never_onto_a_clash(user, other_user):
    import importlib

    from django.apps import apps

    from tests.factories import UserFactory
    from tracking.models import Stage

    migration = importlib.import_module("tracking.migrations.0012_stage_saved_named_interested")
    third = UserFactory()
    for u in (user, other_user, third):
        services.stages_ensure(user=u)
    Stage.objects.filter(key="saved").update(name="Saved")
    Stage.objects.filter(user=other_user, key="saved").update(name="Wishlist")
    services.stage_create(user=third, name="interested")
    migration.forwards(apps, None)
    names = dict(Stage.objects.filter(key="saved").values_list("user_id", "name"))
    assert names == {user.pk: "Interested", other_user.pk: "Wishlist", third.pk: "Saved"}
    migration.backwards(apps, None)
    assert Stage.objects.get(user=user, key="saved").name == "Saved"


def test_card_text_is_escaped(owner_client, user):
    # The card partial places strings the selector computed: every field is still escaped.
    ApplicationFactory(user=user, title="<script>alert(1)</script>", company_name='A "B" & <C>')
    html = owner_client.get("/applications/").content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "A &quot;B&quot; &amp; &lt;C&gt;" in html
