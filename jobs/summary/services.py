"""Use cases around a posting's cached summary."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q, QuerySet

from accounts.models import Profile
from config.page_cache import bump_generation
from jobs.models import Posting
from jobs.summary import ENGINE_VERSION, summarize
from jobs.summary.facts import salary_value
from jobs.summary.skills import canonical_skill

MAX_PROFILE_SKILLS = 100


def known_facts_for(posting: Posting) -> dict:
    """What the posting's own fields say, for the facts its text leaves out."""
    facts: dict = {
        "employment_type": {"value": posting.get_employment_type_display(), "data": posting.employment_type},
        "workplace": {"value": posting.get_workplace_display(), "data": posting.workplace},
        "review_policy": {"value": posting.get_review_policy_display(), "data": posting.review_policy},
    }  # fmt: skip
    if posting.level:
        facts["level"] = {"value": posting.get_level_display(), "data": posting.level}
    if posting.pk:
        locations = [str(loc) for loc in posting.locations.all()]
        if locations:
            facts["locations"] = locations
    if posting.salary_min is not None or posting.salary_max is not None:
        lo = float(posting.salary_min) if posting.salary_min is not None else None
        hi = float(posting.salary_max) if posting.salary_max is not None else None
        currency = posting.salary_currency or ""
        facts["salary"] = {
            "value": salary_value(lo, hi, currency, posting.salary_period),
            "data": {"min": lo, "max": hi, "currency": currency, "period": posting.salary_period},
        }
    if posting.application_deadline:
        facts["deadline"] = {
            "value": posting.application_deadline.strftime("%-d %B %Y"),
            "data": posting.application_deadline.isoformat(),
        }
    group = posting.company.group if posting.company_id else None
    if group and group.application_limit:
        facts["application_limit"] = {
            "value": group.application_rule,
            "data": {"limit": group.application_limit, "affiliates": True, "in_order": True},
        }
    return facts


def posting_summary_compute(*, posting: Posting) -> dict:
    company = posting.company.name if posting.company_id else ""
    return summarize(
        posting.description, posting.title, known_facts_for(posting), company
    ).to_dict()


def posting_summary_refresh(*, posting: Posting) -> bool:
    """Compute and store the posting's summary, and refresh its search vector (which weighs the
    summary's required and preferred points). The write is conditional on the posting being
    unchanged since it was read (an edit meanwhile enqueues its own refresh) and on no newer
    engine having written already. True if stored."""
    data = posting_summary_compute(posting=posting)
    updated = Posting.objects.filter(
        pk=posting.pk, updated_at=posting.updated_at, summary_version__lte=ENGINE_VERSION
    ).update(summary=data, summary_version=ENGINE_VERSION)
    if updated:
        posting.summary, posting.summary_version = data, ENGINE_VERSION
        # The search vector weighs the required and preferred points the summary found.
        from jobs.board.search import refresh_search_vectors

        refresh_search_vectors([posting.pk])
        bump_generation()  # the result cards show a summary line
    return bool(updated)


def posting_summary_enqueue(*, posting: Posting) -> None:
    """Summarize in the background once the current transaction commits (call it on publish
    and on every edit)."""
    from jobs.summary.tasks import summarize_posting

    posting_id = posting.pk
    # robust: with the broker down the error is logged, not raised after the change committed.
    transaction.on_commit(lambda: summarize_posting.delay(posting_id), robust=True)


def postings_needing_summary(*, everything: bool = False) -> QuerySet[Posting]:
    """Postings without a summary of the current engine version (every posting with
    everything=True); drafts included, since the employer's preview shows the summary."""
    qs = Posting.objects.all()
    if not everything:
        qs = qs.filter(Q(summary__isnull=True) | Q(summary_version__lt=ENGINE_VERSION))
    return qs.order_by("pk")


def profile_skill_add(*, user, skill: str) -> tuple[str, bool]:
    """Add a skill (by its vocabulary name: "k8s" → "Kubernetes") to the user's profile.
    Returns (name, added); added is False when the profile already had it."""
    added, already = profile_skills_add(user=user, skills=[skill])
    return (added or already)[0], bool(added)


def profile_skills_add(*, user, skills: list[str]) -> tuple[list[str], list[str]]:
    """Add several skills at once (the posting page's "add the skills you have" form), all or
    none. Returns (added, already in the profile), by vocabulary name."""
    added: list[str] = []
    already: list[str] = []
    with transaction.atomic():
        profile, _ = Profile.objects.select_for_update().get_or_create(user=user)
        have = {canonical_skill(s).casefold() for s in profile.skills}
        for skill in skills:
            name = canonical_skill(skill)[:60]
            if name.casefold() in have:
                if name not in already:
                    already.append(name)
                continue
            have.add(name.casefold())
            added.append(name)
        if len(profile.skills) + len(added) > MAX_PROFILE_SKILLS:
            raise ValueError(f"A profile keeps at most {MAX_PROFILE_SKILLS} skills.")
        if added:
            profile.skills = [*profile.skills, *added]
            profile.save(update_fields=["skills", "updated_at"])
    return added, already
