"""Demo data for `make run`'s first start: a job seeker and a staff member with verified emails."""

from allauth.account.models import EmailAddress
from django.db import transaction

from accounts.models import Profile, User

DEMO_EMAIL = "demo@jobtrail.local"
DEMO_PASSWORD = "jobtrail-demo"  # noqa: S105 (a documented demo login)
ADMIN_EMAIL = "admin@jobtrail.local"
ADMIN_PASSWORD = "jobtrail-admin"  # noqa: S105


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

    return {"users": User.objects.count(), **seed_jobs_demo()}
