"""Demo applications for `make run`'s demo user: a board that shows every feature at a glance.
Idempotent: does nothing when the user already tracks something."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from config.timezones import user_timezone
from jobs.models import Posting
from tracking.applications import services
from tracking.models import Application, StageChange

EXTERNAL = [
    (
        "Northwind Traders",
        "Senior Python developer",
        "applied",
        "https://northwind.example/jobs/42",
    ),
    ("Contoso", "Platform engineer", "screening", ""),
    ("Fabrikam", "Data engineer", "interview", "https://fabrikam.example/careers/7"),
    ("Initech", "Backend engineer (Django)", "offer", ""),
    ("Umbrella", "Site reliability engineer", "rejected", ""),
    ("Hooli", "Software engineer, payments", "saved", "https://hooli.example/jobs/payments"),
    ("Wayne Enterprises", "Python developer", "no_response", ""),
]
# The stages each journey went through after the first stage ("Interested"), so the dashboard's funnel, response rate
# and days to an answer have a history to show (a single jump would read "0.0 days").
JOURNEYS = {
    "saved": [],
    "applied": ["applied"],
    "screening": ["applied", "screening"],
    "interview": ["applied", "screening", "interview"],
    "offer": ["applied", "screening", "interview", "offer"],
    "rejected": ["applied", "screening", "rejected"],
    "no_response": ["applied", "no_response"],
}


@transaction.atomic
def seed_tracking_demo(*, user: User) -> int:
    if Application.objects.for_user(user).exists():
        return 0
    now = timezone.now()
    apps = []
    for days_ago, (company, title, key, url) in enumerate(EXTERNAL, start=3):
        app = services.application_create_external(
            user=user, company_name=company, title=title, url=url, source="Company website"
        )
        for step in JOURNEYS[key]:
            stage = services.stage_for_key(user=user, key=step)
            services.application_move(application=app, stage=stage, by=user)
        # Spread the journey over the past weeks so days-in-stage, days to an answer and stale
        # flags show: a step every `days_ago` days.
        started = now - timedelta(days=days_ago * 4)
        changes = list(StageChange.objects.filter(application=app).order_by("id"))
        for i, change in enumerate(changes):
            StageChange.objects.filter(pk=change.pk).update(
                changed_at=started + timedelta(days=i * days_ago)
            )
        last = started + timedelta(days=(len(changes) - 1) * days_ago)
        Application.objects.filter(pk=app.pk).update(
            created_at=started,
            stage_entered_at=last,
            last_activity_at=last,
            # The first change is the move out of "Saved" into "Applied".
            applied_at=started + timedelta(days=days_ago) if key != "saved" else None,
        )
        apps.append(app)
    for posting in Posting.objects.published().order_by("-published_at")[:3]:
        services.application_create_from_posting(user=user, posting=posting)

    interviewing = apps[2]
    services.note_add(
        application=interviewing,
        body="Recruiter call went well. **Next:** system design round.\n\n- ask about on-call\n"
        "- bring the migration story",
    )
    services.contact_add(
        application=interviewing, name="Rita Recruiter", role="Talent partner",
        email="rita@fabrikam.example",
    )  # fmt: skip
    tz = user_timezone(user)
    start = services.quick_pick_due(pick="3d", tz=tz) + timedelta(hours=5)
    services.interview_create(
        application=interviewing,
        starts_at=start,
        ends_at=start + timedelta(minutes=60),
        timezone_name=str(tz),
        kind="video",
        location="https://meet.example/fabrikam-design",
        people="Sam (engineering manager), Lee (staff engineer)",
        prep_notes="Review the event pipeline; prepare questions about the team.",
    )
    services.reminder_create(
        application=apps[0], due_at=services.quick_pick_due(pick="3d", tz=tz),
        message="Follow up with the hiring manager",
    )  # fmt: skip
    services.reminder_create(
        application=apps[1], due_at=services.quick_pick_due(pick="1w", tz=tz),
        message="Ask for feedback on the take-home",
    )  # fmt: skip
    return Application.objects.for_user(user).count()
