"""Reads of saved jobs: the saved page, compare, the Save buttons' state and application-limit
usage. Each function runs a fixed number of queries whatever the number of rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, F, IntegerField, Value, When
from django.db.models.fields.json import KeyTransform
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django_countries import countries

from accounts.models import User
from config.params import parse_int, without_nul
from jobs.common import PERIOD_FACTORS, salary_text, yearly_salary_text
from jobs.models import (
    CompanyGroup,
    EmploymentType,
    Level,
    Posting,
    PostingStatus,
    ReviewPolicy,
    SalaryPeriod,
    Workplace,
)
from jobs.summary import match_skills
from jobs.summary.types import Skill, Summary
from tracking.models import Application, Collection, SavedJob

EXPIRING_SOON_DAYS = 7
SORTS = {"saved": "Date saved", "deadline": "Deadline", "salary": "Salary (yearly)"}
COMPARE_MIN, COMPARE_MAX = 2, 4
PER_PAGE = 50


# --- the Save buttons -------------------------------------------------------------------------


def saved_posting_ids(user: User, posting_ids: Iterable[int]) -> set[int]:
    """Which of these postings the user saved: one query (none for anonymous visitors)."""
    ids = list(posting_ids)
    if not ids or not getattr(user, "is_authenticated", False):
        return set()
    return set(
        SavedJob.objects.for_user(user)
        .filter(posting_id__in=ids)
        .values_list("posting_id", flat=True)
    )


# --- application limits -------------------------------------------------------------------------


@dataclass
class Counted:
    title: str
    company_name: str
    applied_at: dt.datetime


@dataclass
class Usage:
    """The user's applications across a company group with an application limit."""

    group_id: int
    group_name: str
    limit: int
    applications: list[Counted] = field(default_factory=list)  # all, in the order applied

    @property
    def used(self) -> int:
        return len(self.applications)

    @property
    def counted(self) -> list[Counted]:
        """The ones the group considers: the first N in the order applied."""
        return self.applications[: self.limit]

    @property
    def not_considered(self) -> list[Counted]:
        return self.applications[self.limit :]

    @property
    def reached(self) -> bool:
        return self.used >= self.limit

    @property
    def text(self) -> str:
        return f"You have applied to {self.used} of {self.limit} allowed across {self.group_name}."


def group_application_usage(user: User, groups: Iterable[CompanyGroup | None]) -> dict[int, Usage]:
    """group id → Usage for the groups that have a limit, counting the user's applications
    (applied_at set) to any company of the group, in one query."""
    limited = {g.pk: g for g in groups if g is not None and g.application_limit}
    if not limited or not getattr(user, "is_authenticated", False):
        return {}
    usage = {
        pk: Usage(group_id=pk, group_name=g.name, limit=g.application_limit or 0)
        for pk, g in limited.items()
    }
    rows = (
        Application.objects.for_user(user)
        .filter(applied_at__isnull=False, posting__company__group_id__in=list(limited))
        .order_by("applied_at", "id")
        .values_list("posting__company__group_id", "title", "company_name", "applied_at")
    )
    for group_id, title, company_name, applied_at in rows:
        usage[group_id].applications.append(Counted(title, company_name, applied_at))
    return usage


def posting_state_for(*, user: User, posting: Posting) -> dict[str, Any]:
    """The reader's own state on a posting's page, read once by the view for the page's
    template tags (which run no queries): whether it is saved, its live application (with
    the stage) and the company group's application-limit usage."""
    from tracking.applications.selectors import tracked_application_for

    if not user.is_authenticated:
        return {"saved_ids": set(), "tracked": None, "usage": None}
    group = posting.company.group if posting.company_id else None
    usage = None
    if group is not None and group.application_limit:
        usage = group_application_usage(user, [group]).get(group.pk)
    return {
        "saved_ids": saved_posting_ids(user, [posting.pk]),
        "tracked": tracked_application_for(user=user, posting_id=posting.pk),
        "usage": usage,
    }


# --- expiry and salary --------------------------------------------------------------------------


@dataclass
class Expiry:
    label: str  # "Expires in 3 days", "Expired", "Closed", ""
    days: int | None
    soon: bool
    ended: bool

    @property
    def css(self) -> str:
        if self.ended:
            return "badge-danger"
        return "badge-warn" if self.soon else ""


def expiry_of(
    *, status: str, expires_at: dt.datetime | None, today: dt.date, now: dt.datetime
) -> Expiry:
    if status == PostingStatus.CLOSED:
        return Expiry("Closed", None, False, True)
    if status == PostingStatus.EXPIRED or (expires_at is not None and expires_at <= now):
        return Expiry("Expired", None, False, True)
    if status != PostingStatus.PUBLISHED:
        return Expiry("Not public", None, False, True)
    if expires_at is None:
        return Expiry("", None, False, False)
    days = (timezone.localdate(expires_at) - today).days
    if days <= 0:
        label = "Expires today"
    elif days == 1:
        label = "Expires tomorrow"
    else:
        label = f"Expires in {days} days"
    return Expiry(label, days, days <= EXPIRING_SOON_DAYS, False)


def _yearly_expr() -> Case:
    amount = Coalesce(F("posting__salary_max"), F("posting__salary_min"))
    return Case(
        *[
            When(posting__salary_period=k, then=amount * Value(v))
            for k, v in PERIOD_FACTORS.items()
        ],
        default=amount,
        output_field=IntegerField(),
    )


# --- the saved page -----------------------------------------------------------------------------


class SavedRow:
    """One row of the saved page: a plain object made from one values() row (cheaper than
    model instances for a page of hundreds of rows)."""

    __slots__ = (
        "pk", "posting_id", "saved_at", "note", "title", "slug", "company_name", "company_slug",
        "group_id", "status", "deadline", "expires_at", "salary", "salary_yearly", "workplace",
        "locations", "collections", "stage", "match", "expiry", "usage", "url", "key", "edit_url",
        "remove_url", "saved_on", "saved_iso", "deadline_text", "deadline_iso",
    )  # fmt: skip

    def __init__(self, **kw: Any) -> None:
        for k in self.__slots__:
            setattr(self, k, kw.get(k))


@dataclass
class OutsideRow:
    """A job from another site in one of the user's collections (an Application without a
    posting: its fields are its own)."""

    pk: int
    title: str
    company_name: str
    location: str
    salary: str
    workplace: str
    stage: str
    url: str
    expires_at: dt.datetime | None
    closes_text: str
    collections: list[Collection]


@dataclass
class SavedPage:
    rows: list[SavedRow]
    collections: list[Collection]
    total: int  # all saved jobs of the user (before filters)
    count: int  # after filters
    page: int
    num_pages: int
    start_index: int
    usages: list[Usage]
    sort: str
    collection: Collection | None
    expiring: bool
    outside: list[OutsideRow] = field(default_factory=list)  # jobs from other sites


OUTSIDE_MAX = 200  # a page lists at most this many; more would want paging of their own


def outside_rows_for(
    *, user: User, collections: list[Collection], collection: Collection | None, expiring: bool
) -> list[OutsideRow]:
    """The user's jobs from other sites that are in a collection (in `collection` when given),
    newest first. Two queries (the jobs, their collections), none without collections."""
    if not collections:
        return []
    now = timezone.now()
    qs = Application.objects.for_user(user).filter(posting__isnull=True, archived=False)
    qs = (
        qs.filter(collections=collection)
        if collection is not None
        else qs.filter(collections__isnull=False)
    )
    if expiring:
        qs = qs.filter(
            expires_at__gt=now, expires_at__lt=now + dt.timedelta(days=EXPIRING_SOON_DAYS + 1)
        )
    values = list(
        qs.distinct()
        .order_by("-created_at", "-id")
        .values_list(
            "id", "title", "company_name", "location", "salary", "workplace", "stage__name",
            "expires_at",
        )[:OUTSIDE_MAX]
    )  # fmt: skip
    if not values:
        return []
    by_pk = {c.pk: c for c in collections}
    links: dict[int, list[Collection]] = {}
    for aid, cid in Application.collections.through.objects.filter(
        application_id__in=[v[0] for v in values]
    ).values_list("application_id", "collection_id"):
        if cid in by_pk:
            links.setdefault(aid, []).append(by_pk[cid])
    url = reverse("tracking:application", args=[0]).replace("/0/", "/{}/")
    labels = dict(Workplace.choices)
    return [
        OutsideRow(
            pk=pk,
            title=title,
            company_name=company,
            location=location,
            salary=salary,
            workplace=str(labels.get(workplace, "")),
            stage=stage,
            url=url.format(pk),
            expires_at=expires_at,
            closes_text=_day(timezone.localtime(expires_at)) if expires_at else "",
            collections=sorted(links.get(pk, []), key=lambda c: c.name.lower()),
        )
        for pk, title, company, location, salary, workplace, stage, expires_at in values
    ]


ROW_FIELDS = (
    "id", "posting_id", "saved_at", "note", "posting__title", "posting__slug",
    "posting__company__name", "posting__company__slug", "posting__company__group_id",
    "posting__status", "posting__application_deadline", "posting__expires_at",
    "posting__salary_min", "posting__salary_max", "posting__salary_currency",
    "posting__salary_period", "posting__workplace", "summary_status", "summary_skills",
)  # fmt: skip


def _day(value: dt.date) -> str:
    return f"{value.day} {value:%b %Y}"


def _profile_skills(user: User) -> list[str]:
    profile = getattr(user, "profile", None)
    return list(profile.skills) if profile is not None else []


def _match_text(score: int | None) -> str | None:
    return None if score is None else f"{score}%"


def _match_score(status: str | None, skills: list | None, profile_skills: list[str]) -> int | None:
    if status != "ok" or not skills or not profile_skills:
        return None
    summary = Summary(engine="", version=0, skills=[Skill(**s) for s in skills])
    return match_skills(summary, profile_skills).score


def saved_page_for(
    *,
    user: User,
    sort: str = "saved",
    collection: Collection | None = None,
    expiring: bool = False,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> SavedPage:
    """The saved page: saved postings with company, locations, salary, expiry, the stage of
    the user's application, the match score, collections and application-limit usage.
    Queries: collections, saved rows (+ total), locations, collection links, stages, groups
    with limits, usage, profile — whatever the number of rows."""
    from tracking.applications.selectors import tracked_stages_for

    now = timezone.now()
    today = timezone.localdate(now)
    collections = list(Collection.objects.for_user(user))
    qs = SavedJob.objects.for_user(user)
    total = qs.count()
    if collection is not None:
        qs = qs.filter(collections=collection)
    if expiring:
        cutoff = timezone.make_aware(
            dt.datetime.combine(today + dt.timedelta(days=EXPIRING_SOON_DAYS + 1), dt.time.min)
        )
        qs = qs.filter(
            posting__status=PostingStatus.PUBLISHED,
            posting__expires_at__gt=now,
            posting__expires_at__lt=cutoff,
        )
    qs = qs.annotate(
        summary_status=KeyTransform("status", "posting__summary"),
        summary_skills=KeyTransform("skills", "posting__summary"),
    )
    if sort == "deadline":
        qs = qs.annotate(
            ends=Coalesce(
                "posting__application_deadline",
                F("posting__expires_at__date"),
            )
        ).order_by(F("ends").asc(nulls_last=True), "-saved_at", "-id")
    elif sort == "salary":
        qs = qs.annotate(yearly=_yearly_expr()).order_by(
            F("yearly").desc(nulls_last=True), "-saved_at", "-id"
        )
    else:
        sort = "saved"
        qs = qs.order_by("-saved_at", "-id")
    count = total if collection is None and not expiring else qs.count()
    num_pages = max(1, -(-count // per_page))
    page = min(max(1, page), num_pages)
    start = (page - 1) * per_page
    values = list(qs.values_list(*ROW_FIELDS)[start : start + per_page])

    posting_ids = [v[1] for v in values]
    saved_ids = [v[0] for v in values]
    locations: dict[int, list[str]] = {}
    through = Posting.locations.through
    for pid, city, country in (
        through.objects.filter(posting_id__in=posting_ids)
        .order_by("posting_id", "location__country", "location__city")
        .values_list("posting_id", "location__city", "location__country")
    ):
        name = countries.name(country)  # what Location.country.name says, without a model
        locations.setdefault(pid, []).append(", ".join(p for p in (city, name) if p))
    by_pk = {c.pk: c for c in collections}
    links: dict[int, list[Collection]] = {}
    for sid, cid in SavedJob.collections.through.objects.filter(
        savedjob_id__in=saved_ids
    ).values_list("savedjob_id", "collection_id"):
        if cid in by_pk:
            links.setdefault(sid, []).append(by_pk[cid])
    stages = tracked_stages_for(user=user, posting_ids=posting_ids)
    group_ids = {v[8] for v in values if v[8]}
    groups = (
        list(
            CompanyGroup.objects.filter(pk__in=group_ids, application_limit__isnull=False).only(
                "name", "application_limit"
            )
        )
        if group_ids
        else []
    )
    usage = group_application_usage(user, groups)
    skills = _profile_skills(user) if any(v[17] == "ok" for v in values) else []

    # Formatted here, once per row, rather than by template filters: a page of rows through
    # {% url %} and |date costs several times more (bench/saved.py).
    edit_url = reverse("tracking:saved_edit", args=[0]).replace("/0/", "/{}/")
    remove_url = reverse("tracking:saved_remove", args=[0]).replace("/0/", "/{}/")
    posting_url = reverse("jobs:posting", kwargs={"pk": 0, "slug": "s"}).replace("/0-s/", "/{}-{}/")
    rows = []
    for (
        pk, posting_id, saved_at, note, title, slug, company_name, company_slug, group_id,
        status, deadline, expires_at, low, high, currency, period, workplace, s_status, s_skills,
    ) in values:  # fmt: skip
        rows.append(
            SavedRow(
                pk=pk,
                key=str(pk),
                edit_url=edit_url.format(pk),
                remove_url=remove_url.format(pk),
                posting_id=posting_id,
                saved_at=saved_at,
                saved_on=_day(timezone.localtime(saved_at)),
                saved_iso=saved_at.isoformat(),
                deadline_text=_day(deadline) if deadline else "none",
                deadline_iso=deadline.isoformat() if deadline else "",
                note=note,
                title=title,
                slug=slug,
                url=posting_url.format(posting_id, slug),
                company_name=company_name,
                company_slug=company_slug,
                group_id=group_id,
                status=status,
                deadline=deadline,
                expires_at=expires_at,
                salary=salary_text(low, high, currency, period),
                salary_yearly=yearly_salary_text(low, high, currency, period)
                if period != SalaryPeriod.YEAR
                else "",
                workplace=Workplace(workplace).label if workplace in Workplace.values else "",
                locations=locations.get(posting_id, []),
                collections=links.get(pk, []),
                stage=stages.get(posting_id),
                match=_match_text(_match_score(s_status, s_skills, skills)),
                expiry=expiry_of(status=status, expires_at=expires_at, today=today, now=now),
                usage=usage.get(group_id),
            )
        )
    return SavedPage(
        outside=outside_rows_for(
            user=user, collections=collections, collection=collection, expiring=expiring
        ),
        rows=rows,
        collections=collections,
        total=total,
        count=count,
        page=page,
        num_pages=num_pages,
        start_index=start + 1,
        usages=sorted(usage.values(), key=lambda u: u.group_name),
        sort=sort,
        collection=collection,
        expiring=expiring,
    )


# --- compare ------------------------------------------------------------------------------------


class CompareError(Exception):
    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def parse_compare_ids(values: list[str]) -> list[int]:
    """`?ids=3,8` or `?ids=3&ids=8` → [3, 8]; garbage raises CompareError."""
    ids: list[int] = []
    for value in values:
        for part in str(value).replace(" ", ",").split(","):
            part = part.strip()
            if not part:
                continue
            number = parse_int(part, max_digits=12)
            if number is None:
                raise CompareError(
                    f"“{without_nul(part)[:20]}” is not a saved job. Pick the jobs to compare "
                    "with the checkboxes on your saved jobs page."
                )
            if number not in ids:
                ids.append(number)
    if len(ids) < COMPARE_MIN:
        raise CompareError(
            f"Pick at least {COMPARE_MIN} saved jobs to compare"
            f"{' (you picked one)' if len(ids) == 1 else ''}."
        )
    if len(ids) > COMPARE_MAX:
        raise CompareError(f"Compare at most {COMPARE_MAX} jobs at a time (you picked {len(ids)}).")
    return ids


@dataclass
class Cell:
    text: str = ""
    items: list[str] = field(default_factory=list)
    # What the "Differs" flag compares when the text is too fine ("Expires in 58 days" and
    # "in 59 days" are the same thing to a reader): None compares the text.
    bucket: tuple | None = None

    @property
    def key(self) -> tuple:
        return self.bucket if self.bucket is not None else (self.text, tuple(self.items))


@dataclass
class CompareRow:
    label: str
    values: list[Any]
    differs: bool
    key: str = ""


@dataclass
class Comparison:
    saved_jobs: list[SavedJob]
    rows: list[CompareRow]
    usages: list[Usage]


def _fact_value(summary: Summary | None, key: str) -> str:
    if summary is None:
        return ""
    fact = summary.fact(key)
    return fact.value if fact else ""


def compare_saved_jobs(*, user: User, ids: list[int]) -> Comparison:
    """Two to four of the user's saved jobs side by side. Ids that are not among the user's
    saved jobs (someone else's, removed, never existed) raise CompareError with status 404."""
    saved = {
        s.pk: s
        for s in SavedJob.objects.for_user(user)
        .filter(pk__in=ids)
        .select_related("posting__company__group")
        .prefetch_related("posting__locations")
    }
    missing = [i for i in ids if i not in saved]
    if missing:
        raise CompareError(
            "Some of these jobs are not in your saved jobs (removed, or never saved). "
            "Pick the jobs to compare on your saved jobs page.",
            status=404,
        )
    jobs = [saved[i] for i in ids]
    postings = [s.posting for s in jobs]
    usage = group_application_usage(user, [p.company.group for p in postings])
    profile_skills = _profile_skills(user)
    now = timezone.now()
    today = timezone.localdate(now)

    summaries = [
        Summary.from_dict(p.summary) if p.summary and p.summary.get("status") == "ok" else None
        for p in postings
    ]

    def cell(text: Any) -> str:
        return str(text) if text not in (None, "") else "—"

    def deadline(p: Posting) -> Cell:
        exp = expiry_of(status=p.status, expires_at=p.expires_at, today=today, now=now)
        date = p.application_deadline.strftime("%-d %b %Y") if p.application_deadline else "None"
        text = f"{date} · {exp.label}" if exp.label else date
        # Compared by bucket: the deadline, and whether the posting has ended or ends soon.
        state = exp.label if exp.ended else "soon" if exp.soon else "open"
        return Cell(text=text, bucket=(date, state))

    def requirements(s: Summary | None, p: Posting) -> list[str]:
        if s is None:
            facts = [p.get_level_display(), p.get_employment_type_display()]
            return [f for f in facts if f]
        return [i.text for i in s.required[:4]]

    def skills(s: Summary | None) -> list[str]:
        if s is None:
            return []
        return [k.name for k in s.skills if k.importance != "preferred"][:8]

    def match(s: Summary | None) -> str:
        if s is None or not profile_skills:
            return ""
        m = match_skills(s, profile_skills)
        return f"{m.score}% — {m.explanation}"

    def rule(p: Posting) -> str:
        g = p.company.group
        if g is None or not g.application_limit:
            return "No limit"
        u = usage.get(g.pk)
        return f"{g.application_rule} {u.text if u else ''}".strip()

    specs: list[tuple[str, str, list[Any]]] = [
        ("company", "Company", [p.company.name for p in postings]),
        ("title", "Job", [p.title for p in postings]),
        (
            "locations",
            "Locations",
            [
                ", ".join(str(loc) for loc in p.locations.all())
                or ("Anywhere" if p.workplace == "remote" else "Not stated")
                for p in postings
            ],
        ),
        ("workplace", "Workplace", [Workplace(p.workplace).label for p in postings]),
        ("type", "Employment type", [EmploymentType(p.employment_type).label for p in postings]),
        ("level", "Level", [Level(p.level).label if p.level else "Not stated" for p in postings]),
        (
            "salary",
            "Salary per year",
            [
                yearly_salary_text(p.salary_min, p.salary_max, p.salary_currency, p.salary_period)
                or "Not stated"
                for p in postings
            ],
        ),
        ("deadline", "Deadline", [deadline(p) for p in postings]),
        ("review", "Review policy", [ReviewPolicy(p.review_policy).label for p in postings]),
        ("rule", "Application rule", [rule(p) for p in postings]),
        (
            "experience",
            "Experience",
            [_fact_value(s, "years_experience") or "Not stated" for s in summaries],
        ),
        (
            "education",
            "Education",
            [_fact_value(s, "education") or "Not stated" for s in summaries],
        ),
        (
            "requirements",
            "Key requirements",
            [requirements(s, p) for s, p in zip(summaries, postings, strict=True)],
        ),
        ("skills", "Skills", [skills(s) for s in summaries]),
        ("match", "Your match", [match(s) for s in summaries]),
    ]
    rows = []
    for key, label, values in specs:
        if key == "match" and not any(values):
            continue
        cells = [
            v
            if isinstance(v, Cell)
            else Cell(items=list(v))
            if isinstance(v, list)
            else Cell(text=cell(v))
            for v in values
        ]
        rows.append(
            CompareRow(
                key=key,
                label=label,
                values=cells,
                differs=len({c.key for c in cells}) > 1,
            )
        )
    return Comparison(
        saved_jobs=jobs, rows=rows, usages=sorted(usage.values(), key=lambda u: u.group_name)
    )
