from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import (
    ApplicationFactory,
    CompanyFactory,
    CompanyGroupFactory,
    PostingFactory,
    ReminderFactory,
    UserFactory,
)
from tracking.applications import services
from tracking.models import Application, Stage, StageChange, StageKey

pytestmark = pytest.mark.django_db


def column(user, key):
    stage = services.stage_for_key(user=user, key=key)
    return list(
        Application.objects.filter(stage=stage).order_by("position").values_list("pk", flat=True)
    )


def test_stages_are_created_once_per_user_in_board_order(user):
    first = services.stages_ensure(user=user)
    again = services.stages_ensure(user=user)
    assert [s.key for s in first] == [
        "saved", "applied", "screening", "interview", "offer", "accepted", "rejected",
        "withdrawn", "no_response",
    ]  # fmt: skip
    assert [s.pk for s in first] == [s.pk for s in again]
    assert Stage.objects.for_user(user).count() == 9


def test_tracking_a_posting_is_idempotent_and_records_the_first_stage(user):
    posting = PostingFactory()
    app, created = services.application_create_from_posting(user=user, posting=posting)
    again, created_again = services.application_create_from_posting(user=user, posting=posting)
    assert created and not created_again
    assert app.pk == again.pk
    assert app.company_name == posting.company.name
    assert app.stage.key == "saved"
    (change,) = StageChange.objects.filter(application=app)
    assert change.from_stage is None and change.to_stage.key == "saved"


def test_external_application_needs_company_and_title(user):
    with pytest.raises(ValidationError) as exc:
        services.application_create_external(user=user, company_name=" ", title="")
    assert set(exc.value.error_dict) == {"company_name", "title"}
    assert not Application.objects.exists()


def test_moving_to_applied_sets_applied_at_once(user):
    app = services.application_create_external(user=user, company_name="Acme", title="Dev")
    applied = services.stage_for_key(user=user, key=StageKey.APPLIED)
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=UTC), tick=False):
        result = services.application_move(application=app, stage=applied, by=user)
    assert result.application.applied_at == datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    screening = services.stage_for_key(user=user, key=StageKey.SCREENING)
    services.application_move(application=app, stage=screening, by=user)
    services.application_move(application=app, stage=applied, by=user)
    app.refresh_from_db()
    assert app.applied_at == datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    assert [
        (c.from_stage.key, c.to_stage.key) for c in app.stage_changes.exclude(from_stage=None)
    ] == [
        ("saved", "applied"),
        ("applied", "screening"),
        ("screening", "applied"),
    ]


def test_moving_to_a_stage_of_another_user_is_an_error(user, other_user):
    app = ApplicationFactory(user=user)
    foreign = services.stage_for_key(user=other_user, key="applied")
    with pytest.raises(ValidationError):
        services.application_move(application=app, stage=foreign, by=user)
    app.refresh_from_db()
    assert app.stage.user == user
    assert not StageChange.objects.exists()


def test_ordering_within_a_column_persists(user):
    a, b, c = (
        services.application_create_external(user=user, company_name="X", title=t) for t in "abc"
    )
    saved = services.stage_for_key(user=user, key="saved")
    assert column(user, "saved") == [a.pk, b.pk, c.pk]
    services.application_move(application=c, stage=saved, position=0, by=user)
    assert column(user, "saved") == [c.pk, a.pk, b.pk]
    services.application_move(application=c, stage=saved, position=2, by=user)
    assert column(user, "saved") == [a.pk, b.pk, c.pk]
    # A reorder within a column is not a stage change.
    assert StageChange.objects.exclude(from_stage=None).count() == 0
    applied = services.stage_for_key(user=user, key="applied")
    services.application_move(application=b, stage=applied, position=0, by=user)
    services.application_move(application=a, stage=applied, position=0, by=user)
    assert column(user, "applied") == [a.pk, b.pk]
    assert column(user, "saved") == [c.pk]


def test_limit_warning_names_the_first_applications_in_the_order_applied(user):
    group = CompanyGroupFactory(name="Globex Group", application_limit=2)
    one, two = CompanyFactory(group=group), CompanyFactory(group=group)
    applied = services.stage_for_key(user=user, key="applied")
    apps = []
    for i, company in enumerate([one, two, one]):
        posting = PostingFactory(company=company, title=f"Role {i}")
        app, _ = services.application_create_from_posting(user=user, posting=posting)
        apps.append(app)
    with time_machine.travel(datetime(2026, 1, 5, 9, tzinfo=UTC), tick=False):
        assert (
            services.application_move(application=apps[1], stage=applied, by=user).warning is None
        )
    with time_machine.travel(datetime(2026, 1, 6, 9, tzinfo=UTC), tick=False):
        assert (
            services.application_move(application=apps[0], stage=applied, by=user).warning is None
        )
    result = services.application_move(application=apps[2], stage=applied, by=user)
    assert result.warning is not None
    assert [a.pk for a in result.warning.counted] == [apps[1].pk, apps[0].pk]
    text = str(result.warning)
    assert "Globex Group" in text and "Role 1" in text and "Role 0" in text
    assert text.index("Role 1") < text.index("Role 0")
    # The user may go on: the move happened.
    apps[2].refresh_from_db()
    assert apps[2].stage == applied and apps[2].applied_at is not None


def test_group_without_limit_never_warns(user):
    group = CompanyGroupFactory(application_limit=None)
    applied = services.stage_for_key(user=user, key="applied")
    for _ in range(3):
        app, _ = services.application_create_from_posting(
            user=user, posting=PostingFactory(company=CompanyFactory(group=group))
        )
        assert services.application_move(application=app, stage=applied, by=user).warning is None


def test_stages_can_be_renamed_reordered_added_and_archived_without_losing_history(user):
    app = services.application_create_external(user=user, company_name="A", title="B")
    applied = services.stage_for_key(user=user, key="applied")
    services.application_move(application=app, stage=applied, by=user)
    services.stage_rename(stage=applied, name="Sent")
    with pytest.raises(ValidationError) as exc:
        services.stage_rename(stage=applied, name="screening")
    assert "screening" in exc.value.message_dict["name"][0]
    extra = services.stage_create(user=user, name="Take-home task")
    services.stage_shift(stage=extra, offset=-1)
    names = [s.name for s in Stage.objects.for_user(user).visible()]
    assert names.index("Take-home task") == names.index("No response") - 1
    with pytest.raises(ValidationError):
        services.stage_archive(stage=applied)  # still holds an application
    saved = services.stage_for_key(user=user, key="saved")
    services.application_move(application=app, stage=saved, by=user)
    services.stage_archive(stage=applied)
    assert "Sent" not in [s.name for s in Stage.objects.for_user(user).visible()]
    assert [c.to_stage.name for c in app.stage_changes.all()] == [
        "Interested",
        "Sent",
        "Interested",
    ]


def test_note_markdown_is_rendered_and_sanitized(user):
    app = ApplicationFactory(user=user)
    note = services.note_add(
        application=app, body="**Great** call <script>alert(1)</script> [x](javascript:alert(1))"
    )
    assert "<strong>Great</strong>" in note.body_html
    assert "<script" not in note.body_html and "javascript:" not in note.body_html
    assert "<script>" in note.body  # the source is kept as written
    edited = services.note_edit(note=note, body="- one\n- two")
    assert "<li>one</li>" in edited.body_html


def test_reminder_in_the_past_is_refused(user):
    app = ApplicationFactory(user=user)
    with pytest.raises(ValidationError) as exc:
        services.reminder_create(
            application=app, due_at=timezone.now() - timedelta(minutes=1), message="x"
        )
    assert "due_at" in exc.value.error_dict
    assert not app.reminders.exists()


def test_quick_picks_land_at_nine_in_the_users_timezone_across_dst():
    tz = ZoneInfo("Europe/Berlin")
    # Friday 27 March 2026, 20:00 Berlin; DST starts on Sunday 29 March.
    now = datetime(2026, 3, 27, 19, 0, tzinfo=UTC)
    due = services.quick_pick_due(pick="3d", tz=tz, now=now)
    assert due.astimezone(tz).replace(tzinfo=None) == datetime(2026, 3, 30, 9, 0)
    assert due.astimezone(UTC).hour == 7  # CEST is UTC+2
    week = services.quick_pick_due(pick="1w", tz=tz, now=now)
    assert week.astimezone(tz).date().isoformat() == "2026-04-03"


def test_reminder_done_snooze_cancel(user):
    reminder = ReminderFactory(application=ApplicationFactory(user=user))
    reminder.status, reminder.sent_at = "sent", timezone.now()
    reminder.save()
    before = reminder.due_at
    services.reminder_snooze(reminder=reminder, by="1d")
    assert reminder.status == "pending" and reminder.sent_at is None
    assert reminder.due_at >= before + timedelta(days=1)
    services.reminder_done(reminder=reminder)
    assert reminder.status == "done" and reminder.done_at
    with pytest.raises(ValidationError):
        services.reminder_snooze(reminder=reminder, by="1d")
    other = ReminderFactory(application=reminder.application)
    services.reminder_cancel(reminder=other)
    assert other.status == "cancelled"


def test_interview_must_end_after_it_starts(user):
    app = ApplicationFactory(user=user)
    start = datetime(2026, 5, 4, 10, tzinfo=ZoneInfo("Europe/Berlin"))
    with pytest.raises(ValidationError) as exc:
        services.interview_create(
            application=app, starts_at=start, ends_at=start, timezone_name="Europe/Berlin"
        )
    assert "end_time" in exc.value.error_dict
    interview = services.interview_create(
        application=app,
        starts_at=start,
        ends_at=start + timedelta(minutes=45),
        timezone_name="Europe/Berlin",
        kind="onsite",
        location="Main St 1",
    )
    assert interview.duration_minutes == 45 and interview.kind == "onsite"


def test_editing_the_date_of_a_change_is_audited(user):
    with time_machine.travel(datetime(2026, 1, 20, 12, tzinfo=UTC), tick=False):
        app = services.application_create_external(user=user, company_name="A", title="B")
    with time_machine.travel(datetime(2026, 2, 1, 12, tzinfo=UTC), tick=False):
        applied = services.stage_for_key(user=user, key="applied")
        change = services.application_move(application=app, stage=applied, by=user).change
    with time_machine.travel(datetime(2026, 2, 10, 12, tzinfo=UTC), tick=False):
        services.stage_change_edit_date(
            change=change, changed_at=datetime(2026, 1, 30, 8, tzinfo=UTC)
        )
    change.refresh_from_db()
    app.refresh_from_db()
    assert change.changed_at == datetime(2026, 1, 30, 8, tzinfo=UTC)
    assert change.original_changed_at == datetime(2026, 2, 1, 12, tzinfo=UTC)
    assert change.edited_at == datetime(2026, 2, 10, 12, tzinfo=UTC)
    assert app.applied_at == datetime(2026, 1, 30, 8, tzinfo=UTC)
    assert app.stage_entered_at == datetime(2026, 1, 30, 8, tzinfo=UTC)
    with pytest.raises(ValidationError):
        services.stage_change_edit_date(
            change=change, changed_at=timezone.now() + timedelta(days=2)
        )


def test_calendar_token_regenerate_revokes_the_old_one(user):
    first = services.calendar_token_regenerate(user=user)
    second = services.calendar_token_regenerate(user=user)
    first.refresh_from_db()
    assert first.revoked_at is not None and second.revoked_at is None
    assert services.calendar_token_for(user=user) == second
    services.calendar_token_revoke(user=user)
    assert services.calendar_token_for(user=user) is None


def test_deleting_the_account_deletes_the_tracker(user):
    from accounts.services import account_delete

    app = services.application_create_external(user=user, company_name="A", title="B")
    services.application_move(
        application=app, stage=services.stage_for_key(user=user, key="applied"), by=user
    )
    services.note_add(application=app, body="hi")
    account_delete(user=user)
    assert not Application.objects.exists() and not Stage.objects.exists()
    assert UserFactory()  # other users unaffected


def test_demo_board_is_seeded_once(user):
    from tracking.applications.selectors import board_for
    from tracking.demo import seed_tracking_demo

    PostingFactory()
    assert seed_tracking_demo(user=user) == 8
    assert seed_tracking_demo(user=user) == 0
    board = board_for(user=user)
    assert board.total == 8
    assert any(card.is_stale for column in board.columns for card in column.cards)

    # The journeys went through the stages over days, so the dashboard has a history to show.
    from zoneinfo import ZoneInfo

    from tracking.dashboard.selectors import Filters, pipeline_for

    pipeline = pipeline_for(
        user=user, filters=Filters(), stages=services.stages_ensure(user=user), tz=ZoneInfo("UTC")
    )
    assert pipeline.median_days_to_response and pipeline.median_days_to_response >= 3
    assert pipeline.median_days_to_offer and pipeline.median_days_to_offer >= 15
    reached = {step.key: step.count for step in pipeline.funnel}
    assert reached["applied"] == 6 and reached["screening"] == 4 and reached["offer"] == 1


def test_tracked_lookups_for_posting_pages_and_lists(user, other_user):
    from django.contrib.auth.models import AnonymousUser

    from tracking.applications.selectors import tracked_application_for, tracked_stages_for

    tracked, untracked = PostingFactory(), PostingFactory()
    app, _ = services.application_create_from_posting(user=user, posting=tracked)
    assert tracked_application_for(user=user, posting_id=tracked.pk) == app
    assert tracked_application_for(user=other_user, posting_id=tracked.pk) is None
    assert tracked_application_for(user=AnonymousUser(), posting_id=tracked.pk) is None
    assert tracked_stages_for(user=user, posting_ids=[tracked.pk, untracked.pk]) == {
        tracked.pk: "Interested"
    }


def test_new_jobs_land_in_the_first_column_when_saved_is_archived(user):
    saved = services.stage_for_key(user=user, key="saved")
    services.stage_archive(stage=saved)
    app, _ = services.application_create_from_posting(user=user, posting=PostingFactory())
    assert app.stage.key == "applied" and app.applied_at is not None
