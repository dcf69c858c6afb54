"""The dashboard's reads: the Today panel, the pipeline numbers, the charts' data and the
activity feed. A fixed number of queries whatever the size of the history; every count,
rate and median is computed by PostgreSQL (conditional aggregates, GROUPING SETS,
percentile_cont), Python only shapes the few aggregated rows into what the page shows.

How the journey is read (the definitions every number below uses)
-----------------------------------------------------------------
The funnel stages have a rank: applied 1, screening 2, interview 3, offer 4, accepted 5
(saved, the endings rejected / withdrawn / no response, and stages the user made have no
rank, 0). An application has **reached** a funnel stage when its *top rank* is at least that
stage's rank, where the top rank is the highest of

- the rank of every stage a StageChange ever moved it to (its history),
- the rank of its current stage,
- 1 when it has an ``applied_at`` date (it was applied to, whatever the history says).

So a journey applied → interview counts as having reached screening ("or beyond"), and one
that went interview → screening (moved back) still counts as having reached interview.

- **applied on**: ``applied_at``, else the first change into a ranked stage, else the day the
  application was added (for data imported without history). Only applications that reached
  "applied" have one; they are the cohort of the funnel, the rates and the medians.
- **responded**: reached screening or beyond, or was ever moved to "rejected" (a rejection is
  an answer). **first response**: the first change into screening-or-beyond or rejected.
- **ghosted**: in the cohort and now in the "no response" stage.
- **date range** filters on the applied-on date, or on the day added for applications never
  applied to, in the user's timezone; weeks are the user's weeks (Monday 00:00 local).
- Archived applications keep counting in the history numbers (they happened); the
  "by current stage" counts only show live (unarchived) applications.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Count, Q, QuerySet, Window
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from jobs.sanitize import html_to_text
from tracking.applications.selectors import stages_for, tracking_settings_for
from tracking.models import (
    Application,
    EmailStatus,
    Interview,
    Note,
    Notification,
    Reminder,
    SavedJob,
    Stage,
    StageChange,
    StageKey,
    StageKind,
)

FUNNEL = [
    StageKey.APPLIED,
    StageKey.SCREENING,
    StageKey.INTERVIEW,
    StageKey.OFFER,
    StageKey.ACCEPTED,
]
RANK = {key.value: i + 1 for i, key in enumerate(FUNNEL)}
ENDINGS = [StageKey.REJECTED, StageKey.WITHDRAWN, StageKey.NO_RESPONSE]
RANGES = {"30d": 30, "90d": 90, "365d": 365}
TODAY_LIMIT = 20
STALE_LIMIT = 5
ACTIVITY_LIMIT = 15


def _rank_sql(column: str) -> str:
    whens = " ".join(f"WHEN '{key}' THEN {rank}" for key, rank in RANK.items())
    return f"(CASE {column} {whens} ELSE 0 END)"


# --- filters ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What the numbers are about. `start` is inclusive, `end` exclusive (aware datetimes)."""

    start: datetime | None = None
    end: datetime | None = None
    company: str = ""
    source: str = ""
    collection_id: int | None = None


def range_bounds(
    *, range_key: str, tz: zoneinfo.ZoneInfo, start: date | None = None, end: date | None = None
) -> tuple[datetime | None, datetime | None]:
    """Local-midnight bounds of a named range ("30d": today and the 29 days before it) or of
    custom dates (both days included)."""
    today = timezone.now().astimezone(tz).date()
    if range_key in RANGES:
        first = today - timedelta(days=RANGES[range_key] - 1)
        return datetime.combine(first, time(), tzinfo=tz), None
    if range_key == "custom":
        lo = datetime.combine(start, time(), tzinfo=tz) if start else None
        hi = datetime.combine(end + timedelta(days=1), time(), tzinfo=tz) if end else None
        return lo, hi
    return None, None


def _applications(*, user: User, filters: Filters) -> QuerySet[Application]:
    qs = Application.objects.for_user(user)
    if filters.company:
        qs = qs.filter(company_name__iexact=filters.company)
    if filters.source:
        qs = qs.filter(source__iexact=filters.source)
    if filters.collection_id is not None:
        qs = qs.filter(
            posting_id__in=SavedJob.objects.for_user(user)
            .filter(collections__id=filters.collection_id)
            .values("posting_id")
        )
    return qs


def filter_choices(*, user: User) -> dict[str, list]:
    """The user's companies and sources (for the filter menus), in one query."""
    rows = (
        Application.objects.for_user(user)
        .order_by()
        .values_list("company_name", "source")
        .distinct()
    )
    companies, sources = set(), set()
    for company, source in rows:
        companies.add(company)
        if source:
            sources.add(source)
    return {
        "companies": sorted(companies, key=str.lower),
        "sources": sorted(sources, key=str.lower),
    }


# --- pipeline numbers and charts ----------------------------------------------------------


@dataclass
class FunnelStep:
    key: str
    label: str
    count: int
    rate: float | None  # share of the previous step that reached this one
    share: float | None  # share of "applied" that reached this one

    @property
    def rate_pct(self) -> int | None:
        return None if self.rate is None else round(self.rate * 100)

    @property
    def share_pct(self) -> int | None:
        return None if self.share is None else round(self.share * 100)


@dataclass
class StageCount:
    stage: Stage
    count: int


@dataclass
class Pipeline:
    total: int  # applications matching the filters (any stage)
    applied: int
    funnel: list[FunnelStep]
    by_stage: list[StageCount]
    responded: int
    response_rate: float | None
    median_days_to_response: float | None
    median_days_to_offer: float | None
    ghosted: int
    weeks: list[tuple[date, int]]
    flows: list[dict[str, Any]]

    @property
    def response_pct(self) -> int | None:
        return None if self.response_rate is None else round(self.response_rate * 100)

    @property
    def funnel_max(self) -> int:
        return max(1, self.applied)

    @property
    def active_total(self) -> int:
        return sum(s.count for s in self.by_stage if not s.stage.is_ending)


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


PIPELINE_SQL = """
WITH apps AS ({base}),
ranks AS (
    SELECT id, key, {rank} AS rank, key = 'rejected' AS is_rejected
      FROM tracking_stage
     WHERE user_id = %s
),
changes AS (
    SELECT sc.application_id,
           max(s.rank) AS max_rank,
           min(sc.changed_at) FILTER (WHERE s.rank >= 1) AS first_applied_at,
           min(sc.changed_at) FILTER (WHERE s.rank >= 2 OR s.is_rejected) AS first_response_at,
           min(sc.changed_at) FILTER (WHERE s.rank >= 4) AS first_offer_at,
           bool_or(s.is_rejected) AS ever_rejected
      FROM tracking_stagechange sc
      JOIN apps ON apps.id = sc.application_id
      JOIN ranks s ON s.id = sc.to_stage_id
     GROUP BY sc.application_id
),
ranked AS (
    SELECT a.id, a.stage_id, a.archived, a.created_at, a.applied_at, cs.key AS current_key,
           GREATEST(COALESCE(c.max_rank, 0), cs.rank,
                    CASE WHEN a.applied_at IS NOT NULL THEN 1 ELSE 0 END) AS top_rank,
           c.first_applied_at, c.first_response_at, c.first_offer_at,
           COALESCE(c.ever_rejected, false) OR cs.key = 'rejected' AS rejected
      FROM apps a
      JOIN ranks cs ON cs.id = a.stage_id
      LEFT JOIN changes c ON c.application_id = a.id
),
journeys AS (
    SELECT *,
           CASE WHEN top_rank >= 1
                THEN COALESCE(applied_at, first_applied_at, created_at) END AS applied_on
      FROM ranked
),
picked AS (
    SELECT *, date_trunc('week', applied_on AT TIME ZONE %s)::date AS week
      FROM journeys
     WHERE {date_filter}
)
SELECT GROUPING(stage_id) = 0 AS by_stage,
       GROUPING(week) = 0 AS by_week,
       GROUPING(top_rank, current_key) = 0 AS by_path,
       stage_id, week, top_rank, current_key,
       count(*) AS total,
       count(*) FILTER (WHERE NOT archived) AS live,
       count(*) FILTER (WHERE top_rank >= 1) AS applied,
       count(*) FILTER (WHERE top_rank >= 2) AS screening,
       count(*) FILTER (WHERE top_rank >= 3) AS interview,
       count(*) FILTER (WHERE top_rank >= 4) AS offer,
       count(*) FILTER (WHERE top_rank >= 5) AS accepted,
       count(*) FILTER (WHERE top_rank >= 2 OR (top_rank >= 1 AND rejected)) AS responded,
       count(*) FILTER (WHERE top_rank >= 1 AND current_key = 'no_response') AS ghosted,
       percentile_cont(0.5) WITHIN GROUP (
           ORDER BY extract(epoch FROM first_response_at - applied_on) / 86400
       ) FILTER (WHERE top_rank >= 1 AND first_response_at >= applied_on) AS median_response,
       percentile_cont(0.5) WITHIN GROUP (
           ORDER BY extract(epoch FROM first_offer_at - applied_on) / 86400
       ) FILTER (WHERE top_rank >= 4 AND first_offer_at >= applied_on) AS median_offer
  FROM picked
 GROUP BY GROUPING SETS ((), (stage_id), (week), (top_rank, current_key))
"""


def pipeline_for(
    *, user: User, filters: Filters, stages: list[Stage], tz: zoneinfo.ZoneInfo
) -> Pipeline:
    """Every number and chart series of the dashboard in one SQL statement (see the module
    docstring for what "reached", "responded" and "ghosted" mean)."""
    base = (
        _applications(user=user, filters=filters)
        .order_by()
        .values("id", "stage_id", "applied_at", "created_at", "archived")
    )
    base_sql, base_params = base.query.sql_with_params()
    conditions, date_params = ["true"], []
    if filters.start is not None:
        conditions.append("COALESCE(applied_on, created_at) >= %s")
        date_params.append(filters.start)
    if filters.end is not None:
        conditions.append("COALESCE(applied_on, created_at) < %s")
        date_params.append(filters.end)
    sql = PIPELINE_SQL.format(
        base=base_sql,
        rank=_rank_sql("key"),
        date_filter=" AND ".join(conditions),
    )
    # One aggregate pass over a user's whole history: hash joins are always right here. With
    # stale statistics (a table analyzed while nearly empty) the planner picks nested loops over
    # the CTEs and the statement turns quadratic (minutes at 20,000 stage changes, seen in CI).
    with connection.cursor() as cursor:
        cursor.execute("SET enable_nestloop = off")
        try:
            cursor.execute(sql, [*base_params, user.pk, str(tz), *date_params])
            columns = [c.name for c in cursor.description]
            rows = [dict(zip(columns, r, strict=True)) for r in cursor.fetchall()]
        finally:
            cursor.execute("RESET enable_nestloop")

    overall: dict[str, Any] = {}
    stage_counts: dict[int, int] = {}
    weeks: dict[date, int] = {}
    paths: list[tuple[int, str, int]] = []
    for row in rows:  # a handful of aggregated rows, not applications
        if row["by_stage"]:
            stage_counts[row["stage_id"]] = row["live"]
        elif row["by_week"]:
            if row["week"] is not None:
                weeks[row["week"]] = row["applied"]
        elif row["by_path"]:
            if row["top_rank"] >= 1:
                paths.append((row["top_rank"], row["current_key"], row["total"]))
        else:
            overall = row
    names = {s.key: s.name for s in stages if s.key}
    applied = overall.get("applied", 0) or 0
    funnel, previous = [], None
    for key in FUNNEL:
        count = overall.get(key.value, 0) or 0
        funnel.append(
            FunnelStep(
                key=key.value,
                label=names.get(key.value, key.label),
                count=count,
                rate=_ratio(count, previous) if previous is not None else None,
                share=_ratio(count, applied),
            )
        )
        previous = count
    visible = [s for s in stages if not s.archived]
    return Pipeline(
        total=overall.get("total", 0) or 0,
        applied=applied,
        funnel=funnel,
        by_stage=[StageCount(stage=s, count=stage_counts.get(s.pk, 0)) for s in visible],
        responded=overall.get("responded", 0) or 0,
        response_rate=_ratio(overall.get("responded", 0) or 0, applied),
        median_days_to_response=overall.get("median_response"),
        median_days_to_offer=overall.get("median_offer"),
        ghosted=overall.get("ghosted", 0) or 0,
        weeks=_fill_weeks(weeks, filters=filters, tz=tz),
        flows=_flows(paths, names),
    )


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _fill_weeks(
    weeks: dict[date, int], *, filters: Filters, tz: zoneinfo.ZoneInfo
) -> list[tuple[date, int]]:
    """Every week of the range, the empty ones too (a bar chart with gaps would lie)."""
    today = timezone.now().astimezone(tz).date()
    first = filters.start.astimezone(tz).date() if filters.start else min(weeks, default=None)
    last = (filters.end - timedelta(seconds=1)).astimezone(tz).date() if filters.end else today
    if first is None:
        return []
    if weeks:
        last = max(last, max(weeks))
    out: list[tuple[date, int]] = []
    week, end = _monday(first), _monday(last)
    while week <= end and len(out) < 520:
        out.append((week, weeks.get(week, 0)))
        week += timedelta(days=7)
    return out


IN_PROGRESS = "In progress"


def _flows(paths: list[tuple[int, str, int]], names: dict[str, str]) -> list[dict[str, Any]]:
    """Sankey links from the (top rank, current stage) groups: every journey flows along the
    funnel to the furthest stage it reached, then to its ending if it has one (rejected,
    withdrawn, no response), or to "In progress" if it is still under way."""
    label = {k.value: names.get(k.value, k.label) for k in [*FUNNEL, *ENDINGS]}
    endings = {e.value for e in ENDINGS}
    links: dict[tuple[str, str], list] = {}

    def add(a: str, b: str, n: int) -> None:
        link = links.setdefault((label[a], label.get(b, IN_PROGRESS)), [a, b, 0])
        link[2] += n

    for top, current, n in paths:
        top = min(top, 5)
        for rank in range(2, top + 1):
            add(FUNNEL[rank - 2].value, FUNNEL[rank - 1].value, n)
        if current in endings:
            add(FUNNEL[top - 1].value, current, n)
        elif current != StageKey.ACCEPTED:
            add(FUNNEL[top - 1].value, "in_progress", n)
    return [
        {"from": a, "to": b, "flow": n, "from_key": ka, "to_key": kb}
        for (a, b), (ka, kb, n) in links.items()
    ]


# --- today --------------------------------------------------------------------------------


@dataclass
class Today:
    reminders: list[Reminder]
    interviews: list[Interview]
    stale: list[Application]
    stale_total: int
    stale_after_days: int
    expiring: list[SavedJob]
    now: datetime
    move_stages: list[Stage] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.reminders or self.interviews or self.stale or self.expiring)


def today_for(
    *, user: User, stages: list[Stage], stale_after_days: int, tz: zoneinfo.ZoneInfo
) -> Today:
    """What needs the user today: open reminders due by tonight (overdue first), interviews
    of the next 7 days, saved postings that close within 7 days, stale applications."""
    now = timezone.now()
    local_today = now.astimezone(tz).date()
    tonight = datetime.combine(local_today + timedelta(days=1), time(), tzinfo=tz)
    reminders = list(
        Reminder.objects.for_user(user)
        .open()
        .filter(due_at__lt=tonight, application__archived=False)
        .select_related("application")
        .order_by("due_at", "id")[:TODAY_LIMIT]
    )
    interviews = list(
        Interview.objects.for_user(user)
        .filter(starts_at__gte=now - timedelta(hours=1), starts_at__lt=now + timedelta(days=7))
        .select_related("application")
        .order_by("starts_at", "id")[:TODAY_LIMIT]
    )
    stale = list(
        Application.objects.for_user(user)
        .active()
        .filter(
            last_activity_at__lt=now - timedelta(days=stale_after_days),
            stage__archived=False,
            stage__kind=StageKind.ACTIVE,
        )
        .select_related("stage")
        .only("id", "title", "company_name", "last_activity_at", "stage__name", "stage__kind")
        .annotate(total=Window(Count("id")))
        .order_by("last_activity_at", "id")[:STALE_LIMIT]
    )
    for app in stale:
        app.idle_days = (now - app.last_activity_at).days
    expiring = list(
        SavedJob.objects.for_user(user)
        .filter(posting__status="published")
        .filter(
            Q(posting__expires_at__gt=now, posting__expires_at__lte=now + timedelta(days=7))
            | Q(
                posting__application_deadline__gte=local_today,
                posting__application_deadline__lte=local_today + timedelta(days=7),
            )
        )
        .select_related("posting", "posting__company")
        .order_by("posting__expires_at", "posting__application_deadline", "id")[:TODAY_LIMIT]
    )
    return Today(
        reminders=reminders,
        interviews=interviews,
        stale=stale,
        stale_total=stale[0].total if stale else 0,
        stale_after_days=stale_after_days,
        expiring=expiring,
        now=now,
        move_stages=[s for s in stages if not s.archived],
    )


# --- activity -----------------------------------------------------------------------------


@dataclass
class Activity:
    at: datetime
    kind: str  # stage | note | email
    text: str
    url: str
    application_title: str = ""
    company_name: str = ""


def activity_for(*, user: User, limit: int = ACTIVITY_LIMIT) -> list[Activity]:
    """The latest stage changes, notes and emails sent across all applications: one limited
    query per kind, merged."""
    items: list[Activity] = []
    changes = (
        _newest_of_users_applications(StageChange, user, ("-changed_at", "-id"), limit)
        .select_related("application", "from_stage", "to_stage")
        .only(
            "changed_at",
            "application__title",
            "application__company_name",
            "from_stage__name",
            "to_stage__name",
        )
    )
    for c in changes:
        text = (
            f"Moved from {c.from_stage.name} to {c.to_stage.name}"
            if c.from_stage
            else f"Added to {c.to_stage.name}"
        )
        items.append(
            Activity(
                c.changed_at,
                "stage",
                text,
                _app_url(c.application_id),
                c.application.title,
                c.application.company_name,
            )  # fmt: skip
        )
    notes = (
        _newest_of_users_applications(Note, user, ("-created_at", "-id"), limit)
        .select_related("application")
        .only("created_at", "body", "body_html", "application__title", "application__company_name")
    )
    for n in notes:
        # The words, not the Markdown marks (body_html is the sanitized rendering).
        body = " ".join((html_to_text(n.body_html) or n.body).split())
        text = "Note: " + (body[:120] + "…" if len(body) > 120 else body)
        items.append(
            Activity(
                n.created_at,
                "note",
                text,
                _app_url(n.application_id) + "#notes",
                n.application.title,
                n.application.company_name,
            )  # fmt: skip
        )
    emails = (
        Notification.objects.for_user(user)
        .filter(email_status=EmailStatus.SENT, emailed_at__isnull=False)
        .only("emailed_at", "subject", "url")
        .order_by("-emailed_at", "-id")[:limit]
    )
    for e in emails:
        items.append(Activity(e.emailed_at, "email", f"Email sent: {e.subject}", e.url or ""))
    items.sort(key=lambda a: a.at, reverse=True)
    return items[:limit]


def _newest_of_users_applications(
    model: type[StageChange] | type[Note], user: User, order: tuple[str, ...], limit: int
) -> QuerySet:
    """The `limit` newest rows (by `order`) of `model` on the user's applications, in one query
    whose plan does not depend on the planner's statistics: the user's application ids and then
    the newest ids are arrays (`= ANY(ARRAY(...))`), each read once, not joins. A join planned
    from statistics taken while the tables were nearly empty (a new user importing 2,000
    applications before autovacuum runs) was a nested loop over both tables: 17 s for this
    page's 20 stage changes out of 20,000."""
    table = model._meta.db_table
    mine = _any_of(f'"{table}"."application_id"', Application.objects.for_user(user).values("id"))
    newest = model.objects.filter(mine).order_by(*order).values("id")[:limit]
    return model.objects.filter(_any_of(f'"{table}"."id"', newest)).order_by(*order)


def _any_of(column: str, ids: QuerySet) -> RawSQL:
    """`column = ANY(ARRAY(<ids>))` as a filter: the subquery is run once, as an init plan."""
    sql, params = ids.query.sql_with_params()
    # column: a constant of this module; sql: compiled by Django, its values are parameters.
    return RawSQL(f"{column} = ANY(ARRAY({sql}))", params, output_field=BooleanField())  # noqa: S611


def _app_url(pk: int) -> str:
    return reverse("tracking:application", args=[pk])


# --- the whole page -----------------------------------------------------------------------


@dataclass
class Dashboard:
    today: Today
    pipeline: Pipeline
    activity: list[Activity]
    choices: dict[str, list]
    has_applications: bool


def dashboard_for(
    *, user: User, filters: Filters, tz: zoneinfo.ZoneInfo, choices: dict[str, list] | None = None
) -> Dashboard:
    stages = stages_for(user=user)
    settings = tracking_settings_for(user=user)
    choices = choices if choices is not None else filter_choices(user=user)
    return Dashboard(
        today=today_for(
            user=user, stages=stages, stale_after_days=settings.stale_after_days, tz=tz
        ),
        pipeline=pipeline_for(user=user, filters=filters, stages=stages, tz=tz),
        activity=activity_for(user=user),
        choices=choices,
        has_applications=bool(choices["companies"]),
    )


def chart_data(*, pipeline: Pipeline) -> dict[str, Any]:
    """What /dashboard/data.json sends to the charts."""
    return {
        "weeks": {
            "labels": [w.isoformat() for w, _ in pipeline.weeks],
            "counts": [n for _, n in pipeline.weeks],
        },
        "funnel": [
            {"key": s.key, "label": s.label, "count": s.count, "rate": s.rate, "share": s.share}
            for s in pipeline.funnel
        ],
        "flows": pipeline.flows,
        "numbers": {
            "total": pipeline.total,
            "applied": pipeline.applied,
            "responded": pipeline.responded,
            "response_rate": pipeline.response_rate,
            "median_days_to_response": pipeline.median_days_to_response,
            "median_days_to_offer": pipeline.median_days_to_offer,
            "ghosted": pipeline.ghosted,
        },
        "by_stage": [{"stage": s.stage.name, "count": s.count} for s in pipeline.by_stage],
    }
