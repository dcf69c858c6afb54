"""Demo data for `make run`'s first start: a job seeker, an employer (owner of the demo's
Parallax Video company) and a staff member, all with verified emails."""

from allauth.account.models import EmailAddress
from django.db import transaction

from accounts.models import Profile, User

DEMO_EMAIL = "demo@jobtrail.local"
DEMO_PASSWORD = "jobtrail-demo"  # noqa: S105 (a documented demo login)
ADMIN_EMAIL = "admin@jobtrail.local"
ADMIN_PASSWORD = "jobtrail-admin"  # noqa: S105
EMPLOYER_EMAIL = "employer@jobtrail.local"
EMPLOYER_PASSWORD = "jobtrail-employer"  # noqa: S105
EMPLOYER_COMPANY = "parallax-video"  # jobs/demo.py's company with the seed posting


def _verified_user(email: str, password: str, **extra) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=password, **extra)
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


@transaction.atomic
def seed_demo_data() -> dict[str, int]:
    demo = _verified_user(DEMO_EMAIL, DEMO_PASSWORD)
    Profile.objects.filter(user=demo).update(
        display_name="Dana Demo",
        headline="Backend developer looking for a remote Python role",
        skills=["Python", "Django", "PostgreSQL", "Celery", "Docker", "AWS"],
        years_of_experience=5,
        preferred_locations=["Berlin", "Remote"],
        timezone="Europe/Berlin",
    )
    _verified_user(ADMIN_EMAIL, ADMIN_PASSWORD, is_staff=True, is_superuser=True)
    from jobs.demo import seed_jobs_demo

    jobs_summary = seed_jobs_demo()
    _seed_employer()
    summary = {"users": User.objects.count(), **jobs_summary}
    from jobs.sources.demo import seed_sources_demo

    summary["demo_sources"] = seed_sources_demo()
    summary["demo_saved_jobs"] = _seed_saved_jobs(demo)
    from tracking.demo import seed_tracking_demo

    summary["demo_applications"] = seed_tracking_demo(user=demo)
    return summary


def _seed_employer() -> User:
    """The demo employer: owner of a demo company, so /employer/ shows its postings."""
    from jobs.models import Company, CompanyMembership

    employer = _verified_user(EMPLOYER_EMAIL, EMPLOYER_PASSWORD)
    Profile.objects.filter(user=employer, display_name="").update(display_name="Erin Employer")
    company = Company.objects.get(slug=EMPLOYER_COMPANY)
    CompanyMembership.objects.get_or_create(
        company=company, user=employer, defaults={"role": CompanyMembership.Role.OWNER}
    )
    return employer


def _seed_saved_jobs(user: User) -> int:
    """A few saved jobs in a collection, one expiring soon, so /saved/ and compare show off."""
    from datetime import timedelta

    from django.utils import timezone

    from jobs.models import Posting
    from tracking.models import Collection, SavedJob
    from tracking.saved.services import (
        collection_create,
        saved_job_save,
        saved_jobs_move_to_collection,
    )

    if SavedJob.objects.for_user(user).exists():
        return 0
    now = timezone.now()
    soon = Posting.objects.published().filter(
        expires_at__gt=now, expires_at__lt=now + timedelta(days=7)
    )
    engineering = Posting.objects.published().filter(
        title__icontains="engineer", expires_at__gt=now
    )
    picks = list(soon.order_by("expires_at")[:1]) + list(engineering.order_by("-published_at")[:4])
    saved = [saved_job_save(user=user, posting=p)[0] for p in dict.fromkeys(picks)]
    if saved:
        shortlist = Collection.objects.for_user(user).filter(name="Shortlist").first()
        shortlist = shortlist or collection_create(user=user, name="Shortlist")
        saved_jobs_move_to_collection(user=user, saved_jobs=saved[:3], collection=shortlist)
    return len(saved)
