"""`make run`'s live source: a Greenhouse-shaped board served by the development server itself
(/dev/board/greenhouse/v1/boards/<token>/jobs, DEBUG only) whose jobs change with the clock, so a
newcomer watching /staff/sources/ and the board sees postings arrive, change and close.

Every WINDOW_MINUTES the board moves on by one: one job leaves, one arrives, and now and then a
job's text is edited. The demo source syncs every SCHEDULE_MINUTES."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.html import escape

from config.site import absolute_url

DEMO_BOARD = "jobtrail-demo"
DEMO_COMPANY = "Northwind Robotics"
WINDOW_MINUTES = 2
SCHEDULE_MINUTES = 1
LISTED = 6  # jobs on the board at any time, out of len(POOL)

POOL = [
    ("Robotics Software Engineer", "Berlin, DE", "Engineering", "ROS 2, C++ and Python"),
    ("Perception Engineer", "Munich, DE", "Engineering", "computer vision and PyTorch"),
    ("Backend Engineer, Fleet Platform", "Berlin, DE", "Platform", "Python, Django and PostgreSQL"),
    ("Site Reliability Engineer", "Amsterdam, NL", "Platform", "Kubernetes and Terraform"),
    ("Embedded Firmware Engineer", "Munich, DE", "Hardware", "C, RTOS and CAN bus"),
    ("Product Designer", "Berlin, DE", "Design", "Figma and user research"),
    ("Data Engineer", "Remote", "Data", "Airflow, dbt and BigQuery"),
    ("Field Service Technician", "Hamburg, DE", "Operations", "mechatronics and diagnostics"),
    ("Technical Writer", "Remote", "Product", "docs-as-code and Markdown"),
    ("Engineering Manager, Autonomy", "Berlin, DE", "Engineering", "leading a team of eight"),
]


def board_payload(*, token: str, now: dt.datetime | None = None) -> dict:
    """The board at `now`: the Greenhouse Job Board API's shape (jobs with escaped content)."""
    now = now or timezone.now()
    window = int(now.timestamp() // (WINDOW_MINUTES * 60))
    jobs = []
    for i, (title, place, team, skills) in enumerate(POOL):
        if (i - window) % len(POOL) >= LISTED:
            continue
        edition = (window // 3 + i) % 4 == 0  # every so often a job's text is edited
        body = (
            f"<p>Northwind builds warehouse robots. As our {escape(title)} you work with "
            f"{escape(skills)}.</p><h3>Requirements</h3><ul><li>3+ years of experience</li>"
            f"<li>{escape(skills)}</li></ul>"
            + (
                "<p><strong>Update:</strong> we now offer a relocation budget.</p>"
                if edition
                else ""
            )
        )
        jobs.append(
            {
                "id": 4000 + i,
                "internal_job_id": 9000 + i,
                "title": title,
                "updated_at": now.replace(second=0, microsecond=0).isoformat(),
                "location": {"name": place},
                "absolute_url": f"https://northwind.example/careers/{4000 + i}",
                "content": escape(body),
                "departments": [{"id": 1, "name": team}],
                "offices": [{"id": 1, "name": place, "location": place}],
                "metadata": None,
            }
        )
    return {"jobs": jobs, "meta": {"total": len(jobs)}}


def seed_sources_demo() -> int:
    """The demo source (the dev server's own board), once; returns 1 if it was added."""
    from jobs.models import Company, Source, SourceTrust
    from jobs.sources.services import source_create

    url = absolute_url(f"/dev/board/greenhouse/v1/boards/{DEMO_BOARD}/jobs")
    if Source.objects.filter(endpoint=url).exists():
        return 0
    company, _ = Company.objects.get_or_create(
        slug="northwind-robotics",
        defaults={
            "name": DEMO_COMPANY,
            "website": "https://northwind.example",
            "description": "<p>Northwind builds warehouse robots (a live-source demo).</p>",
        },
    )
    source_create(
        kind="greenhouse",
        endpoint=url,
        company=company,
        trust=SourceTrust.PUBLISH,
        schedule_minutes=SCHEDULE_MINUTES,
    )
    return 1
