"""Notifications: scanners on the right day in the user's timezone, digests, the send service,
the unsubscribe link and the pages. Sending runs in-process here (CELERY tasks enqueued on
commit are run by hand through the service); tests/tracking/alerts/test_notifications_exactly_once.py
covers real workers."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta
from smtplib import SMTPException
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from jobs.board.search import refresh_search_vectors
from tests.factories import (
    ApplicationFactory,
    InterviewFactory,
    PostingFactory,
    ReminderFactory,
    UserFactory,
)
from tracking.alerts import services as notifications
from tracking.models import (
    EmailStatus,
    Notification,
    NotificationSettings,
    Reminder,
    ReminderStatus,
    SavedJob,
    SavedSearch,
)

pytestmark = pytest.mark.django_db

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
LA = zoneinfo.ZoneInfo("America/Los_Angeles")
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch):
    """Keep the enqueued sends in a list; tests send them with the service."""
    queued: list[int] = []
    monkeypatch.setattr(notifications, "_enqueue", lambda ids: queued.extend(ids))
    return queued


def send_all() -> list[str]:
    pending = Notification.objects.filter(email_status=EmailStatus.PENDING, sent_with=None)
    return [
        notifications.notification_send(notification_id=pk)
        for pk in pending.values_list("pk", flat=True)
    ]


def _user_in(tz: str, **kwargs):
    user = UserFactory(**kwargs)
    user.profile.timezone = tz
    user.profile.save()
    return user


def _saved(user, expires_at):
    posting = PostingFactory(expires_at=expires_at)
    return SavedJob.objects.create(user=user, posting=posting)


# --- reminders ------------------------------------------------------------------------------


def test_a_users_due_reminders_go_out_in_one_email_with_a_fixed_message_id(user):
    app = ApplicationFactory(user=user)
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=BERLIN), tick=False):
        for _ in range(3):
            ReminderFactory(application=app, due_at=timezone.now() - timedelta(minutes=5))
        assert notifications.scan_due_reminders() == 3
        assert notifications.scan_due_reminders() == 0  # a second beat finds nothing
        assert send_all() == ["sent"]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    carrier = Notification.objects.get(sent_with=None)
    assert message.extra_headers["Message-ID"] == notifications.message_id_for(carrier.dedupe_key)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    assert "3 follow-up reminders are due" in message.subject
    html = message.alternatives[0][0]
    assert "http://" in html and app.get_absolute_url() in html
    assert Notification.objects.filter(email_status=EmailStatus.SENT).count() == 3
    assert set(Reminder.objects.values_list("status", flat=True)) == {ReminderStatus.SENT}


def test_a_0900_reminder_fires_at_0900_berlin_across_the_dst_change(user):
    user.profile.timezone = "Europe/Berlin"
    user.profile.save()
    # Created in winter for 09:00 on the first Monday of summer time (29 March 2026 is the change).
    due = datetime(2026, 3, 30, 9, 0, tzinfo=BERLIN)
    assert due.utcoffset() == timedelta(hours=2)
    ReminderFactory(application=ApplicationFactory(user=user), due_at=due)
    with time_machine.travel(datetime(2026, 3, 30, 8, 59, tzinfo=BERLIN), tick=False):
        assert notifications.scan_due_reminders() == 0  # 07:59 UTC = 08:59 in Berlin
    with time_machine.travel(datetime(2026, 3, 30, 9, 0, tzinfo=BERLIN), tick=False):
        assert notifications.scan_due_reminders() == 1
        send_all()
    assert "09:00" in mail.outbox[0].body and "CEST" in mail.outbox[0].body


def test_a_reminder_whose_application_was_deleted_sends_nothing_and_raises_nothing(user):
    app = ApplicationFactory(user=user)
    ReminderFactory(application=app, due_at=timezone.now() - timedelta(minutes=1))
    notifications.scan_due_reminders()
    app.delete()
    assert send_all() == ["skipped"]
    assert mail.outbox == []


def test_a_reminder_marked_done_before_the_send_is_not_emailed(user):
    reminder = ReminderFactory(
        application=ApplicationFactory(user=user), due_at=timezone.now() - timedelta(minutes=1)
    )
    notifications.scan_due_reminders()
    Reminder.objects.filter(pk=reminder.pk).update(status=ReminderStatus.DONE)
    assert send_all() == ["skipped"]
    assert mail.outbox == []
    assert Notification.objects.get().email_status == EmailStatus.SKIPPED


def test_an_smtp_failure_records_the_error_and_never_marks_the_row_sent(user):
    ReminderFactory(
        application=ApplicationFactory(user=user), due_at=timezone.now() - timedelta(minutes=1)
    )
    notifications.scan_due_reminders()
    pk = Notification.objects.get().pk
    broken = mock.patch(
        "tracking.alerts.services.send_templated_mail", side_effect=SMTPException("421")
    )
    with broken, pytest.raises(SMTPException):
        notifications.notification_send(notification_id=pk)
    row = Notification.objects.get(pk=pk)
    assert row.email_status == EmailStatus.PENDING and row.emailed_at is None
    assert row.attempts == 1 and "421" in row.last_error and row.lease_until is None
    assert notifications.notification_send(notification_id=pk) == "sent"  # the retry
    assert len(mail.outbox) == 1


def test_a_second_delivery_of_the_same_send_task_does_not_send_again(user):
    ReminderFactory(
        application=ApplicationFactory(user=user), due_at=timezone.now() - timedelta(minutes=1)
    )
    notifications.scan_due_reminders()
    pk = Notification.objects.get().pk
    assert notifications.notification_claim(notification_id=pk)
    assert notifications.notification_send(notification_id=pk) == "busy"  # leased elsewhere
    assert mail.outbox == []


def test_email_preference_off_keeps_the_in_app_notification_only(user):
    user.profile.email_preferences = {"reminder_due": False}
    user.profile.save()
    ReminderFactory(
        application=ApplicationFactory(user=user), due_at=timezone.now() - timedelta(minutes=1)
    )
    notifications.scan_due_reminders()
    assert send_all() == ["skipped"]
    assert mail.outbox == []
    assert Notification.objects.for_user(user).count() == 1


# --- saved-job expiry -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tz", "warn_local", "before_local"),
    [
        # Deadline 2026-06-10 00:30 UTC: in Tokyo that is 10 June 09:30, in LA 9 June 17:30.
        ("Asia/Tokyo", datetime(2026, 6, 7, 0, 5, tzinfo=TOKYO), datetime(2026, 6, 6, 23, 55, tzinfo=TOKYO)),
        ("America/Los_Angeles", datetime(2026, 6, 6, 0, 5, tzinfo=LA), datetime(2026, 6, 5, 23, 55, tzinfo=LA)),
    ],
)  # fmt: skip
def test_the_expiry_warning_comes_on_the_right_day_in_the_users_timezone(
    tz, warn_local, before_local
):
    user = _user_in(tz)
    saved = _saved(user, datetime(2026, 6, 10, 0, 30, tzinfo=zoneinfo.ZoneInfo("UTC")))
    with time_machine.travel(before_local, tick=False):
        notifications.scan_expiring_saved_jobs()
    assert not Notification.objects.exists()  # 4 days before, in the user's calendar
    with time_machine.travel(warn_local, tick=False):
        notifications.scan_expiring_saved_jobs()
        notifications.scan_expiring_saved_jobs()
        assert send_all() == ["sent"]
    assert Notification.objects.get().payload["saved_job_id"] == saved.pk
    assert "closes in 3 days" in mail.outbox[0].subject


def test_the_warning_days_are_the_users_and_the_last_day_warns_again():
    user = _user_in("Asia/Tokyo")
    NotificationSettings.objects.create(user=user, expiry_warning_days=1)
    _saved(user, datetime(2026, 6, 10, 18, 0, tzinfo=TOKYO))
    with time_machine.travel(datetime(2026, 6, 8, 12, 0, tzinfo=TOKYO), tick=False):
        notifications.scan_expiring_saved_jobs()
    assert not Notification.objects.exists()
    with time_machine.travel(datetime(2026, 6, 9, 12, 0, tzinfo=TOKYO), tick=False):
        notifications.scan_expiring_saved_jobs()
    with time_machine.travel(datetime(2026, 6, 10, 8, 0, tzinfo=TOKYO), tick=False):
        notifications.scan_expiring_saved_jobs()
    keys = sorted(Notification.objects.values_list("dedupe_key", flat=True))
    assert [k.rsplit(":", 1)[1] for k in keys] == ["1d", "today"]


def test_an_unsaved_job_gets_no_expiry_email():
    user = _user_in("UTC")
    saved = _saved(user, timezone.now() + timedelta(days=2))
    notifications.scan_expiring_saved_jobs()
    saved.delete()
    assert send_all() == ["skipped"]
    assert mail.outbox == []


# --- other kinds ----------------------------------------------------------------------------


def test_interview_tomorrow_is_the_users_tomorrow():
    user = _user_in("Asia/Tokyo")
    app = ApplicationFactory(user=user)
    InterviewFactory(application=app, starts_at=datetime(2026, 6, 11, 10, 0, tzinfo=TOKYO))
    with time_machine.travel(datetime(2026, 6, 10, 8, 30, tzinfo=TOKYO), tick=False):
        assert notifications.scan_interviews_tomorrow() == 1  # still 9 June in UTC
    with time_machine.travel(datetime(2026, 6, 11, 8, 0, tzinfo=TOKYO), tick=False):
        assert notifications.scan_interviews_tomorrow() == 0


def test_a_saved_posting_closed_early_is_notified_once(user):
    posting = PostingFactory(expires_at=timezone.now() + timedelta(days=20))
    SavedJob.objects.create(user=user, posting=posting)
    posting.status = "closed"
    posting.closed_at = timezone.now()
    posting.save()
    notifications.scan_closed_postings()
    notifications.scan_closed_postings()
    assert Notification.objects.filter(kind="posting_closed", user=user).count() == 1


def test_the_stale_nudge_is_opt_in_and_comes_once_per_quiet_spell(user):
    from tracking.models import Application

    quiet = ApplicationFactory(user=user, stage_key="applied")
    Application.objects.filter(pk=quiet.pk).update(
        last_activity_at=timezone.now() - timedelta(days=15)
    )
    fresh = ApplicationFactory(user=user, stage_key="applied")
    Application.objects.filter(pk=fresh.pk).update(last_activity_at=timezone.now())
    assert notifications.scan_stale_applications() == 0  # off by default

    user.profile.email_preferences = {**user.profile.email_preferences, "stale_application": True}
    user.profile.save()
    assert notifications.scan_stale_applications() == 1
    notifications.scan_stale_applications()
    (nudge,) = Notification.objects.filter(user=user, kind="stale_application")
    assert nudge.payload["application_id"] == quiet.pk

    # New activity, then another quiet spell: a new nudge.
    Application.objects.filter(pk=quiet.pk).update(
        last_activity_at=timezone.now() - timedelta(days=14, hours=1)
    )
    assert notifications.scan_stale_applications() == 1
    assert Notification.objects.filter(user=user, kind="stale_application").count() == 2


# --- saved-search digests -------------------------------------------------------------------


def test_the_digest_lists_only_postings_published_since_the_last_one(user):
    with time_machine.travel(datetime(2026, 5, 1, 8, 0, tzinfo=zoneinfo.ZoneInfo("UTC"))) as tm:
        PostingFactory(title="Old Python role")
        tm.shift(timedelta(hours=1))
        search = notifications.saved_search_create(
            user=user, name="Python", querystring="q=python", frequency="daily"
        )
        tm.shift(timedelta(hours=1))
        first = PostingFactory(title="New Python role")
        refresh_search_vectors()
        tm.shift(timedelta(days=1))
        notifications.scan_saved_searches()
        notifications.scan_saved_searches()  # not due again
        send_all()
        tm.shift(timedelta(hours=1))
        second = PostingFactory(title="Newer Python role")
        refresh_search_vectors()
        tm.shift(timedelta(days=1))
        notifications.scan_saved_searches()
        send_all()
        tm.shift(timedelta(days=1))
        assert notifications.scan_saved_searches() == 0  # nothing new: no email
    digests = list(Notification.objects.filter(kind="saved_search_digest").order_by("id"))
    assert [[p["id"] for p in d.payload["postings"]] for d in digests] == [[first.pk], [second.pk]]
    assert len(mail.outbox) == 2
    assert "New Python role" in mail.outbox[0].body and "Old Python" not in mail.outbox[0].body
    assert "New Python role" not in mail.outbox[1].body.replace("Newer Python role", "")
    search.refresh_from_db()
    assert search.last_sent_published_at == second.published_at


def test_a_paused_search_sends_nothing(user):
    notifications.saved_search_create(user=user, name="All", querystring="", frequency="daily")
    SavedSearch.objects.update(paused=True)
    PostingFactory()
    assert notifications.scan_saved_searches() == 0


# --- unsubscribe ----------------------------------------------------------------------------


def test_unsubscribe_get_asks_and_post_turns_the_kind_off_logged_out(client, user):
    token = notifications.unsubscribe_token(user_id=user.pk, kind="reminder_due")
    url = reverse("tracking:unsubscribe", args=[token])
    response = client.get(url)
    assert response.status_code == 200 and b"Stop these emails?" in response.content
    user.profile.refresh_from_db()
    assert user.profile.wants_email("reminder_due")  # GET changes nothing
    response = client.post(url)
    assert response.status_code == 200 and b"You are unsubscribed" in response.content
    user.profile.refresh_from_db()
    assert not user.profile.wants_email("reminder_due")
    assert user.profile.wants_email("saved_job_expiring")


def test_unsubscribe_with_a_tampered_token_is_a_400_and_changes_nothing(client, user):
    token = notifications.unsubscribe_token(user_id=user.pk, kind="reminder_due")
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    for method in (client.get, client.post):
        response = method(reverse("tracking:unsubscribe", args=[tampered]))
        assert response.status_code == 400
        assert b"This unsubscribe link is not valid" in response.content
    user.profile.refresh_from_db()
    assert user.profile.wants_email("reminder_due")


# --- pages ----------------------------------------------------------------------------------


def _notify(user, n=1):
    for i in range(n):
        Notification.objects.create(
            user=user, kind="reminder_due", dedupe_key=f"t:{user.pk}:{i}", subject=f"Item {i}",
            url="/applications/", email_status=EmailStatus.SKIPPED,
        )  # fmt: skip


def test_the_list_shows_my_notifications_in_few_queries(
    owner_client, user, other_user, django_assert_max_num_queries
):
    _notify(user, 25)
    _notify(other_user, 1)
    with django_assert_max_num_queries(10):
        response = owner_client.get(reverse("tracking:notifications"))
    assert response.status_code == 200
    assert response.content.count(b'class="notification is-unread"') == 25


def test_the_bell_counts_unread_and_mark_all_read_clears_it(owner_client, user):
    _notify(user, 3)
    response = owner_client.get(reverse("tracking:notification_bell"))
    assert b"3 unread" in response.content and b'hx-trigger="load, every 60s"' in response.content
    owner_client.post(reverse("tracking:notification_read_all"))
    response = owner_client.get(reverse("tracking:notification_bell"))
    assert b"unread" not in response.content


def test_someone_elses_notification_is_a_404(outsider_client, user):
    _notify(user)
    pk = Notification.objects.get().pk
    assert outsider_client.post(reverse("tracking:notification_read", args=[pk])).status_code == 404
    assert Notification.objects.get().read_at is None


def test_save_a_search_from_the_jobs_page_then_pause_and_delete(owner_client, user):
    response = owner_client.get(
        reverse("tracking:saved_search_new") + "?q=django&level=senior&page=3"
    )
    assert response.status_code == 200
    assert 'Search: <a href="/jobs/?q=django&amp;level=senior">“django” · Senior</a>' in (
        response.content.decode()
    )
    response = owner_client.post(
        reverse("tracking:saved_search_new"),
        {"name": "Django", "frequency": "weekly", "querystring": "q=django&level=senior&page=3"},
    )
    assert response.status_code == 302
    search = SavedSearch.objects.get(user=user)
    assert search.querystring == "q=django&level=senior" and search.frequency == "weekly"
    owner_client.post(reverse("tracking:saved_search_pause", args=[search.pk]))
    search.refresh_from_db()
    assert search.paused
    page = owner_client.get(reverse("tracking:saved_searches"))
    assert b"Paused" in page.content and b"Resume" in page.content
    assert "“django” · Senior" in page.content.decode()  # in words, not the URL query
    owner_client.post(reverse("tracking:saved_search_delete", args=[search.pk]))
    assert not SavedSearch.objects.exists()


def test_a_saved_search_without_a_name_comes_back_with_the_message(owner_client):
    response = owner_client.post(
        reverse("tracking:saved_search_new"),
        {"name": "  ", "frequency": "daily", "querystring": "q=x"},
    )
    assert response.status_code == 200
    assert b"errorlist" in response.content
    assert not SavedSearch.objects.exists()


@pytest.mark.services
def test_two_quick_saves_of_one_search_make_one_copy(transactional_db, user, other_user):
    """The second save waits for the first one's transaction and then finds its row."""
    import threading
    import time

    import psycopg
    from django.db import connection

    from tests.conftest import _database_url_for_tests

    query = "q=python&workplace=remote"
    template = notifications.saved_search_create(
        user=other_user, name="Theirs", querystring=query, frequency="daily"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_name = 'tracking_savedsearch' AND column_name NOT IN ('id', 'user_id')"
        )
        columns = ", ".join(row[0] for row in cursor.fetchall())
    results = []

    def second_save():
        try:
            results.append(
                notifications.saved_search_save(
                    user=user, name="Again", querystring=query, frequency="weekly"
                )
            )
        finally:
            connection.close()  # this thread's own connection

    with psycopg.connect(_database_url_for_tests()) as first:  # a first save, not yet committed
        first.execute("SELECT 1 FROM accounts_user WHERE id = %s FOR UPDATE", [user.pk])
        first.execute(
            f"INSERT INTO tracking_savedsearch (user_id, {columns})"  # noqa: S608 - catalog names
            f" SELECT %s, {columns} FROM tracking_savedsearch WHERE id = %s",
            [user.pk, template.pk],
        )
        thread = threading.Thread(target=second_save)
        thread.start()
        time.sleep(0.5)  # the second save has checked by now, unless it waits for the lock
        first.commit()
    thread.join(timeout=10)
    assert results and results[0][1] is False
    assert SavedSearch.objects.filter(user=user).count() == 1


def test_saving_the_same_search_twice_keeps_one_and_says_so(owner_client, user, other_user):
    notifications.saved_search_create(
        user=other_user, name="Theirs", querystring="q=python&workplace=remote", frequency="daily"
    )
    url = reverse("tracking:saved_search_new")
    data = {"name": "python", "frequency": "daily", "querystring": "workplace=remote&q=python"}
    owner_client.post(url, data)
    response = owner_client.post(url, {**data, "name": "Again", "frequency": "weekly"}, follow=True)
    assert "You already saved this search as “python”" in response.content.decode()
    assert SavedSearch.objects.filter(user=user).count() == 1
    assert SavedSearch.objects.filter(user=other_user).count() == 1


def test_someone_elses_saved_search_is_a_404(outsider_client, user):
    search = notifications.saved_search_create(
        user=user, name="Mine", querystring="", frequency="daily"
    )
    assert (
        outsider_client.get(reverse("tracking:saved_search_edit", args=[search.pk])).status_code
        == 404
    )
    assert (
        outsider_client.post(reverse("tracking:saved_search_delete", args=[search.pk])).status_code
        == 404
    )
    assert SavedSearch.objects.exists()


def test_pages_need_a_login(client):
    for name in ("tracking:notifications", "tracking:saved_searches", "tracking:notification_bell"):
        assert client.get(reverse(name)).status_code == 302


def test_the_employer_review_email_also_leaves_an_in_app_notification():
    from jobs.tasks import posting_reviewed_email

    employer = UserFactory()
    posting = PostingFactory(created_by=employer)
    assert posting_reviewed_email.apply(args=[posting.pk, "published"]).get() is True
    note = Notification.objects.get(user=employer)
    assert note.kind == "employer_posting" and "approved" in note.subject
    # Emailed once by the review (issue 20: the copy says so), never again by the notifications'
    # sender, which sends only pending ones.
    assert note.email_status == EmailStatus.SENT and note.emailed_at is not None
    assert len(mail.outbox) == 1
    from tracking.alerts.services import requeue_unsent

    assert requeue_unsent(older_than=timedelta(0)) == 0


def test_staff_see_failed_sends_in_the_admin(client, user):
    _notify(user, 2)
    Notification.objects.filter(dedupe_key__endswith=":0").update(
        email_status=EmailStatus.PENDING, attempts=2, last_error="SMTPException: 421 try later"
    )
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(reverse("admin:tracking_notification_changelist") + "?email=failed")
    assert response.status_code == 200
    assert b"Item 0" in response.content and b"Item 1" not in response.content
