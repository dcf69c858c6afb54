"""The dashboard's numbers, read from the stage history of journeys whose outcome is known."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from tests.factories import StageChangeFactory
from tracking.applications import services
from tracking.dashboard import selectors as dashboard
from tracking.models import Application, StageChange

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)  # a Monday


def journey(user, steps, *, start=START, title="Job", applied=True, archived=False):
    """An application that went through `steps`: [(stage key, days after start), ...]. The
    first step is where it started; the last is where it is now."""
    stages = {s.key: s for s in services.stages_ensure(user=user)}
    last_key, last_day = steps[-1]
    app = Application.objects.create(
        user=user,
        company_name=f"{title} Co",
        title=title,
        stage=stages[last_key],
        applied_at=start if applied else None,
        stage_entered_at=start + timedelta(days=last_day),
        last_activity_at=start + timedelta(days=last_day),
    )
    Application.objects.filter(pk=app.pk).update(created_at=start, archived=archived)
    previous = None
    for key, day in steps:
        StageChangeFactory(
            application=app,
            from_stage=previous,
            to_stage=stages[key],
            changed_at=start + timedelta(days=day),
        )
        previous = stages[key]
    return app


def known_journeys(user, start=START):
    """40 applied, 12 reached screening, 6 interview, 2 offers, 1 accepted (see each line)."""
    j = lambda steps, **kw: journey(user, steps, start=start, **kw)  # noqa: E731
    # the two offers: one accepted, one declined (withdrawn)
    j([("applied", 0), ("screening", 3), ("interview", 10), ("offer", 20), ("accepted", 25)])
    j([("applied", 0), ("screening", 5), ("interview", 12), ("offer", 30), ("withdrawn", 31)])
    # four more reached interview: two rejected there, one skipped screening, one moved back
    j([("applied", 0), ("screening", 7), ("interview", 14), ("rejected", 20)])
    j([("applied", 0), ("screening", 9), ("interview", 15), ("rejected", 22)])
    j([("applied", 0), ("interview", 4)])
    j([("applied", 0), ("screening", 6), ("interview", 11), ("screening", 13)])
    # six more reached screening only: three rejected there, three still there
    for d in (2, 8, 10):
        j([("applied", 0), ("screening", d), ("rejected", d + 5)])
    for d in (1, 12, 14):
        j([("applied", 0), ("screening", d)])
    # 28 never got further than applied: 8 rejected, 10 ghosted, 9 waiting, 1 withdrawn
    for d in range(15, 23):
        j([("applied", 0), ("rejected", d)])
    for _ in range(10):
        j([("applied", 0), ("no_response", 40)])
    for _ in range(9):
        j([("applied", 0)])
    j([("applied", 0), ("withdrawn", 3)])
    # not in the cohort: saved only, and one rejected before it was ever applied to
    for _ in range(3):
        j([("saved", 0)], applied=False)
    j([("saved", 0), ("rejected", 2)], applied=False)


def pipeline(user, **filters):
    stages = services.stages_ensure(user=user)
    return dashboard.pipeline_for(
        user=user, filters=dashboard.Filters(**filters), stages=stages, tz=UTC
    )


@time_machine.travel(NOW, tick=False)
def test_funnel_rates_medians_and_ghosted_come_from_the_stage_history(user):
    known_journeys(user)
    p = pipeline(user)

    assert [(s.key, s.count) for s in p.funnel] == [
        ("applied", 40),
        ("screening", 12),
        ("interview", 6),
        ("offer", 2),
        ("accepted", 1),
    ]
    assert [s.rate for s in p.funnel] == [None, 12 / 40, 6 / 12, 2 / 6, 1 / 2]
    assert [s.share_pct for s in p.funnel] == [100, 30, 15, 5, 2]
    assert p.total == 44 and p.applied == 40
    # 12 reached screening or beyond + 8 rejected straight after applying
    assert p.responded == 20 and p.response_rate == 0.5
    # first answers after 1,2,3,4,5,6,7,8,9,10,12,14,15..22 days: the middle two are 10 and 12
    assert p.median_days_to_response == pytest.approx(11.0)
    # offers after 20 and 30 days
    assert p.median_days_to_offer == pytest.approx(25.0)
    assert p.ghosted == 10


@time_machine.travel(NOW, tick=False)
def test_current_stage_counts_and_journey_flows(user):
    known_journeys(user)
    p = pipeline(user)
    by_stage = {s.stage.key: s.count for s in p.by_stage}
    assert by_stage == {
        "saved": 3,
        "applied": 9,
        "screening": 4,
        "interview": 1,
        "offer": 0,
        "accepted": 1,
        "rejected": 14,
        "withdrawn": 2,
        "no_response": 10,
    }
    flows = {(f["from"], f["to"]): f["flow"] for f in p.flows}
    assert flows == {
        ("Applied", "Screening"): 12,
        ("Screening", "Interview"): 6,
        ("Interview", "Offer"): 2,
        ("Offer", "Accepted"): 1,
        ("Offer", "Withdrawn"): 1,
        ("Interview", "Rejected"): 2,
        ("Screening", "Rejected"): 3,
        ("Applied", "Rejected"): 8,
        ("Applied", "No response"): 10,
        ("Applied", "Withdrawn"): 1,
        ("Applied", "In progress"): 9,
        ("Screening", "In progress"): 3,
        ("Interview", "In progress"): 2,  # one skipped screening, one went back to it
    }


@time_machine.travel(NOW, tick=False)
def test_applications_per_week_are_the_users_weeks_with_empty_weeks_filled(user):
    journey(user, [("applied", 0)], start=datetime(2026, 5, 4, 10, tzinfo=UTC))  # Mon
    journey(user, [("applied", 0)], start=datetime(2026, 5, 10, 22, tzinfo=UTC))  # Sun night
    journey(user, [("applied", 0)], start=datetime(2026, 5, 20, 10, tzinfo=UTC))
    p = pipeline(user)
    assert p.weeks == [
        (date(2026, 5, 4), 2),
        (date(2026, 5, 11), 0),
        (date(2026, 5, 18), 1),
        (date(2026, 5, 25), 0),
        (date(2026, 6, 1), 0),
    ]
    # in Berlin, Sunday 22:00 UTC is already Monday: that application moves a week on
    stages = services.stages_ensure(user=user)
    import zoneinfo

    berlin = dashboard.pipeline_for(
        user=user, filters=dashboard.Filters(), stages=stages, tz=zoneinfo.ZoneInfo("Europe/Berlin")
    )
    assert berlin.weeks[:2] == [(date(2026, 5, 4), 1), (date(2026, 5, 11), 1)]


@time_machine.travel(NOW, tick=False)
def test_filters_by_date_range_company_and_source(user):
    known_journeys(user)  # applied in January
    recent = journey(user, [("applied", 0), ("screening", 2)], start=NOW - timedelta(days=10))
    Application.objects.filter(pk=recent.pk).update(company_name="Globex", source="Referral")
    start, end = dashboard.range_bounds(range_key="30d", tz=UTC)
    assert start == datetime(2026, 5, 3, tzinfo=UTC) and end is None
    last_month = pipeline(user, start=start)
    assert last_month.applied == 1 and last_month.funnel[1].count == 1
    assert pipeline(user, company="globex").applied == 1
    assert pipeline(user, source="Referral").total == 1
    lo, hi = dashboard.range_bounds(
        range_key="custom", tz=UTC, start=date(2026, 1, 1), end=date(2026, 1, 5)
    )
    assert pipeline(user, start=lo, end=hi).applied == 40
    lo, hi = dashboard.range_bounds(
        range_key="custom", tz=UTC, start=date(2026, 1, 1), end=date(2026, 1, 4)
    )
    assert pipeline(user, start=lo, end=hi).total == 0


@time_machine.travel(NOW, tick=False)
def test_an_applied_date_without_history_still_counts_as_applied(user):
    app = journey(user, [("saved", 0)], applied=True)  # applied_at set by hand, no move logged
    p = pipeline(user)
    assert p.applied == 1 and p.weeks[0] == (date(2026, 1, 5), 1)
    assert StageChange.objects.filter(application=app).count() == 1


def test_another_users_journeys_never_count(user, other_user):
    with time_machine.travel(NOW, tick=False):
        known_journeys(other_user)
        journey(user, [("applied", 0)])
        p = pipeline(user)
    assert p.applied == 1 and p.total == 1 and p.ghosted == 0
