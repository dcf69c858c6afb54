"""The dashboard page, its JSON, the Today panel's actions, and who sees what."""

import random
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.factories import (
    ApplicationFactory,
    InterviewFactory,
    NoteFactory,
    PostingFactory,
    ReminderFactory,
    UserFactory,
)
from tests.tracking.dashboard.test_dashboard import NOW, known_journeys
from tracking.applications import services
from tracking.models import Application, Reminder, ReminderStatus, SavedJob, StageChange

pytestmark = pytest.mark.django_db


def test_dashboard_needs_login(client):
    for url in ["/dashboard/", "/dashboard/data.json"]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_new_user_is_taught_what_to_do_first(owner_client):
    html = owner_client.get("/dashboard/").content.decode()
    assert "Start your journey in three steps" in html
    assert (
        'href="/jobs/"' in html and 'href="/saved/"' in html and 'href="/applications/new/"' in html
    )
    assert "response rate" not in html and "chart-4.6.1" not in html


def test_home_shows_the_dashboard_to_a_signed_in_user(owner_client, client):
    assert "Start your journey" in owner_client.get("/").content.decode()


def test_home_stays_the_landing_page_for_visitors(client, db):
    assert "Find the job. Keep track of the hunt." in client.get("/").content.decode()


@time_machine.travel(NOW, tick=False)
def test_dashboard_shows_the_numbers_tables_and_charts_data_url(owner_client, user):
    known_journeys(user)
    html = owner_client.get("/dashboard/").content.decode()
    assert 'data-number="applied">40<' in html
    assert 'data-number="response-rate">50%<' in html
    assert 'data-number="days-to-response">11.0<' in html
    assert 'data-number="days-to-offer">25.0<' in html
    assert 'data-number="ghosted">10<' in html
    assert (
        '<tr data-funnel="screening"><th scope="row">Screening</th><td>12</td><td>30%</td>' in html
    )
    assert 'data-chart-url="/dashboard/data.json"' in html
    assert "/static/vendor/chart-4.6.1.umd.min.js" in html
    assert "<td>Applied</td><td>No response</td><td>10</td>" in html


@time_machine.travel(NOW, tick=False)
def test_data_json_has_the_same_numbers_with_the_same_filters(owner_client, user):
    known_journeys(user)
    data = owner_client.get("/dashboard/data.json").json()
    assert [s["count"] for s in data["funnel"]] == [40, 12, 6, 2, 1]
    assert data["numbers"]["ghosted"] == 10 and data["numbers"]["response_rate"] == 0.5
    assert sum(data["weeks"]["counts"]) == 40
    assert {
        "from": "Offer",
        "to": "Accepted",
        "flow": 1,
        "from_key": "offer",
        "to_key": "accepted",
    } in data["flows"]
    last_30 = owner_client.get("/dashboard/data.json?range=30d").json()
    assert last_30["numbers"]["applied"] == 0 and len(last_30["weeks"]["labels"]) == 6


def test_date_range_filter_changes_the_page_and_htmx_gets_only_the_pipeline(owner_client, user):
    old = ApplicationFactory(user=user, stage_key="applied")
    Application.objects.filter(pk=old.pk).update(applied_at=timezone.now() - timedelta(days=200))
    ApplicationFactory(user=user, stage_key="applied", applied_at=timezone.now())
    assert 'data-number="applied">2<' in owner_client.get("/dashboard/").content.decode()
    response = owner_client.get(
        "/dashboard/?range=30d", headers={"HX-Request": "true", "HX-Target": "pipeline"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="pipeline"')
    assert 'data-number="applied">1<' in html
    assert 'data-chart-url="/dashboard/data.json?range=30d"' in html


def test_bad_filters_are_named_and_ignored(owner_client, user):
    ApplicationFactory(user=user, stage_key="applied", applied_at=timezone.now())
    response = owner_client.get("/dashboard/?range=custom&start=2026-05-10&end=2026-05-01")
    html = response.content.decode()
    assert response.status_code == 200
    assert "The last day must be on or after the first day." in html
    assert 'data-number="applied">1<' in html
    response = owner_client.get("/dashboard/?range=nonsense&company=Nobody&start=x")
    assert response.status_code == 200
    data = owner_client.get("/dashboard/data.json?range=nonsense").json()
    assert data["errors"]["range"] and data["numbers"]["applied"] == 1


def test_filters_by_collection(owner_client, user):
    from tracking.models import Collection

    posting = PostingFactory()
    app, _ = services.application_create_from_posting(user=user, posting=posting)
    ApplicationFactory(user=user)
    collection = Collection.objects.create(user=user, name="Berlin")
    SavedJob.objects.create(user=user, posting=posting).collections.add(collection)
    data = owner_client.get(f"/dashboard/data.json?collection={collection.pk}").json()
    assert data["numbers"]["total"] == 1
    assert owner_client.get("/dashboard/data.json").json()["numbers"]["total"] == 2


def test_today_lists_due_reminders_interviews_expiring_saved_jobs_and_stale_ones(
    owner_client, user
):
    now = timezone.now()
    app = ApplicationFactory(user=user, title="Due one")
    ReminderFactory(application=app, due_at=now - timedelta(hours=3), message="Call back")
    ReminderFactory(application=app, due_at=now + timedelta(days=3), message="Later one")
    InterviewFactory(application=app, starts_at=now + timedelta(days=2), people="Ana")
    InterviewFactory(application=app, starts_at=now + timedelta(days=9), people="Bob")
    ApplicationFactory(user=user, title="Quiet one", last_activity_at=now - timedelta(days=40))
    ApplicationFactory(
        user=user, title="Quiet but over", stage_key="rejected",
        last_activity_at=now - timedelta(days=40),
    )  # fmt: skip
    soon = PostingFactory(title="Closing soon", expires_at=now + timedelta(days=3))
    later = PostingFactory(title="Closing later", expires_at=now + timedelta(days=30))
    SavedJob.objects.create(user=user, posting=soon)
    SavedJob.objects.create(user=user, posting=later)
    html = owner_client.get("/dashboard/").content.decode()
    today = html[html.index('id="today"') : html.index('id="activity-heading"')]
    assert "Call back" in today and "Overdue" in today and "Later one" not in today
    assert "with Ana" in today and "with Bob" not in today
    assert "Closing soon" in today and "Closing later" not in today
    assert "Quiet one" in today and "Quiet but over" not in today


# What htmx sends for a form in the Today panel (hx-target="#today").
TODAY_PANEL_HTMX = {"HX-Request": "true", "HX-Target": "today"}


def test_done_without_javascript_redirects_back_with_a_message(owner_client, user):
    reminder = ReminderFactory(application=ApplicationFactory(user=user, title="Acme dev"))
    response = owner_client.post(f"/dashboard/reminders/{reminder.pk}/done/", follow=True)
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.DONE
    assert response.redirect_chain[-1][0] == "/dashboard/"
    assert "Done: follow-up on “Acme dev”." in response.content.decode()


def test_done_with_htmx_swaps_the_today_panel(owner_client, user):
    app = ApplicationFactory(user=user, title="Acme dev")
    reminder = ReminderFactory(application=app, due_at=timezone.now() - timedelta(hours=1))
    html = owner_client.get("/dashboard/").content.decode()
    assert f'id="reminder-{reminder.pk}"' in html
    response = owner_client.post(
        f"/dashboard/reminders/{reminder.pk}/done/", headers=TODAY_PANEL_HTMX
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="today"')
    assert "Done: follow-up on" in html and f'id="reminder-{reminder.pk}"' not in html


def test_snooze_pushes_the_reminder_and_rejects_unknown_choices(owner_client, user):
    reminder = ReminderFactory(
        application=ApplicationFactory(user=user), due_at=timezone.now() - timedelta(hours=1)
    )
    owner_client.post(f"/dashboard/reminders/{reminder.pk}/snooze/", {"by": "3d"})
    reminder.refresh_from_db()
    assert reminder.due_at > timezone.now() + timedelta(days=2, hours=23)
    response = owner_client.post(
        f"/dashboard/reminders/{reminder.pk}/snooze/", {"by": "1y"}, headers=TODAY_PANEL_HTMX
    )
    assert "Snooze for a day, three days or a week." in response.content.decode()


def test_move_from_the_today_panel_records_a_stage_change(owner_client, user):
    app = ApplicationFactory(user=user, last_activity_at=timezone.now() - timedelta(days=30))
    interview = services.stage_for_key(user=user, key="interview")
    response = owner_client.post(
        f"/dashboard/applications/{app.pk}/move/",
        {"stage": interview.pk},
        headers=TODAY_PANEL_HTMX,
    )
    app.refresh_from_db()
    assert app.stage == interview
    assert StageChange.objects.filter(application=app, to_stage=interview).exists()
    assert f"Moved “{app.title}” to Interview." in response.content.decode()
    response = owner_client.post(f"/dashboard/applications/{app.pk}/move/", {"stage": "x"})
    assert response.status_code == 302


def test_outsiders_get_404_for_actions_and_only_their_own_data(outsider_client, user):
    app = ApplicationFactory(user=user, title="Secret job", stage_key="applied")
    reminder = ReminderFactory(application=app, due_at=timezone.now() - timedelta(hours=1))
    NoteFactory(application=app, body="private note")
    interview = services.stage_for_key(user=user, key="interview")
    assert outsider_client.post(f"/dashboard/reminders/{reminder.pk}/done/").status_code == 404
    snooze = outsider_client.post(f"/dashboard/reminders/{reminder.pk}/snooze/", {"by": "1d"})
    assert snooze.status_code == 404
    move = outsider_client.post(f"/dashboard/applications/{app.pk}/move/", {"stage": interview.pk})
    assert move.status_code == 404
    reminder.refresh_from_db()
    app.refresh_from_db()
    assert reminder.status == ReminderStatus.PENDING and app.stage.key == "applied"
    html = outsider_client.get("/dashboard/").content.decode()
    assert "Secret job" not in html and "private note" not in html
    data = outsider_client.get("/dashboard/data.json").json()
    assert data["numbers"]["total"] == 0


def test_moving_to_another_users_stage_is_refused(owner_client, user, other_user):
    app = ApplicationFactory(user=user)
    theirs = services.stage_for_key(user=other_user, key="offer")
    response = owner_client.post(f"/dashboard/applications/{app.pk}/move/", {"stage": theirs.pk})
    app.refresh_from_db()
    assert response.status_code == 302 and app.stage.key == "saved"


def test_actions_need_post(owner_client, user):
    reminder = ReminderFactory(application=ApplicationFactory(user=user))
    assert owner_client.get(f"/dashboard/reminders/{reminder.pk}/done/").status_code == 405


def test_activity_feed_mixes_moves_notes_and_emails_newest_first(owner_client, user, other_user):
    from tracking.models import Notification

    app = ApplicationFactory(user=user, title="Feed job")
    services.application_move(
        application=app, stage=services.stage_for_key(user=user, key="applied"), by=user
    )
    NoteFactory(application=app, body="Spoke to **Ana**", created_at=timezone.now() + timedelta(1))
    for owner, subject in [(user, "Follow up: Feed job"), (other_user, "Not yours")]:
        Notification.objects.create(
            user=owner, kind="reminder_due", dedupe_key=subject, subject=subject,
            url=app.get_absolute_url(), email_status="sent",
            emailed_at=timezone.now() + timedelta(2),
        )  # fmt: skip
    html = owner_client.get("/dashboard/").content.decode()
    feed = html[html.index('id="activity-heading"') : html.index('id="pipeline-heading"')]
    assert feed.index("Email sent: Follow up: Feed job") < feed.index("Note: Spoke to Ana")
    assert feed.index("Note: Spoke to Ana") < feed.index("Moved from Interested to Applied")
    assert "Not yours" not in feed


def _big_history(user, apps=2000, changes_per_app=10):
    """`apps` applications with `changes_per_app` stage changes each, built with bulk_create."""
    rng = random.Random(9)
    stages = [s for s in services.stages_ensure(user=user)]
    services.tracking_setup(user=user)
    now = timezone.now()
    rows = []
    for i in range(apps):
        start = now - timedelta(days=rng.randint(1, 365))
        rows.append(
            Application(
                user=user, company_name=f"Company {i % 150}", title=f"Job {i}",
                source=rng.choice(["Jobtrail", "Referral", "LinkedIn", ""]),
                stage=rng.choice(stages), position=i, applied_at=start,
                stage_entered_at=start, last_activity_at=start,
            )
        )  # fmt: skip
    created = Application.objects.bulk_create(rows, batch_size=1000)
    changes = []
    for a in created:
        for k in range(changes_per_app):
            changes.append(
                StageChange(
                    application=a, from_stage=stages[(k + 1) % 9] if k else None,
                    to_stage=stages[rng.randrange(1, 9)],
                    changed_at=a.applied_at + timedelta(days=k),
                )
            )  # fmt: skip
    StageChange.objects.bulk_create(changes, batch_size=5000)
    Reminder.objects.bulk_create(
        [Reminder(application=a, due_at=now + timedelta(hours=rng.randint(-48, 48))) for a in created[:300]]
    )  # fmt: skip
    return created


def test_dashboard_of_2000_applications_takes_a_fixed_number_of_queries(
    owner_client, user, django_assert_max_num_queries
):
    from django.db import connection

    # Statistics taken while the tables were empty (as autovacuum may leave them) once made the
    # planner pick nested loops and this page take minutes; it must not matter.
    stale = UserFactory()
    _big_history(stale)
    Application.objects.filter(user=stale).delete()  # pages stay, rows are gone
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE tracking_application, tracking_stagechange, tracking_stage")
    _big_history(user)
    assert StageChange.objects.for_user(user).count() == 20_000
    # 15 + the SET/RESET of enable_nestloop around the pipeline statement
    with django_assert_max_num_queries(17):
        response = owner_client.get("/dashboard/?range=365d&source=Referral")
    assert response.status_code == 200
    with django_assert_max_num_queries(17):
        owner_client.get("/dashboard/")
    with django_assert_max_num_queries(9):
        owner_client.get("/dashboard/data.json")


def test_a_user_timezone_sets_the_week_buckets(owner_client, user):
    user.profile.timezone = "America/Los_Angeles"
    user.profile.save()
    # Monday 03:00 UTC is still Sunday evening in Los Angeles: the week before
    monday = datetime(2026, 5, 4, 3, tzinfo=UTC)
    with time_machine.travel(datetime(2026, 5, 6, tzinfo=UTC), tick=False):
        ApplicationFactory(user=user, stage_key="applied", applied_at=monday)
        data = owner_client.get("/dashboard/data.json").json()
    assert data["weeks"]["labels"][0] == "2026-04-27"


def test_company_and_source_menus_list_the_users_own_and_keep_the_choice(owner_client, user):
    ApplicationFactory(user=user, company_name="Globex", source="Referral")
    ApplicationFactory(company_name="Someone else's")
    html = owner_client.get("/dashboard/?company=Globex&source=Referral").content.decode()
    assert '<option value="Globex" selected>Globex</option>' in html
    assert '<option value="Referral" selected>Referral</option>' in html
    assert "Someone else" not in html


def test_the_today_panels_actions_are_the_trackers_own_views():
    from django.urls import resolve

    from tracking.applications import views as tracker

    assert resolve("/dashboard/reminders/1/done/").func is tracker.reminder_done
    assert resolve("/dashboard/reminders/1/snooze/").func is tracker.reminder_snooze
    assert resolve("/dashboard/applications/1/move/").func is tracker.application_move
