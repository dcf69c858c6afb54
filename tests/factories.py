import factory
from allauth.account.models import EmailAddress

from accounts.models import User

DEFAULT_PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        obj.save()
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class CompanyGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "jobs.CompanyGroup"

    name = factory.Sequence(lambda n: f"Group {n}")


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "jobs.Company"

    name = factory.Sequence(lambda n: f"Company {n}")
    slug = factory.Sequence(lambda n: f"company-{n}")
    website = "https://example.com"


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "jobs.Location"
        django_get_or_create = ("city", "region", "country")

    city = "Berlin"
    region = ""
    country = "DE"


class PostingFactory(factory.django.DjangoModelFactory):
    """A published posting; pass status=... for the other states."""

    class Meta:
        model = "jobs.Posting"

    company = factory.SubFactory(CompanyFactory)
    title = factory.Sequence(lambda n: f"Software Engineer {n}")
    description = (
        "<p>Build and run our Python services.</p><ul><li>Django</li><li>PostgreSQL</li></ul>"
    )
    employment_type = "full_time"
    level = "mid"
    workplace = "onsite"
    apply_url = "https://example.com/apply"
    status = "published"
    published_at = factory.LazyFunction(
        lambda: __import__("django.utils.timezone").utils.timezone.now()
    )


# --- tracking (issue 6) ---


def _user_stage(user, key="saved"):
    from tracking.applications.services import stage_for_key

    return stage_for_key(user=user, key=key)


class ApplicationFactory(factory.django.DjangoModelFactory):
    """An external application in the user's "saved" stage (pass stage_key="applied" etc.)."""

    class Meta:
        model = "tracking.Application"

    class Params:
        stage_key = "saved"

    user = factory.SubFactory(UserFactory)
    company_name = factory.Sequence(lambda n: f"Acme {n}")
    title = factory.Sequence(lambda n: f"Backend Developer {n}")
    stage = factory.LazyAttribute(lambda o: _user_stage(o.user, o.stage_key))
    position = factory.Sequence(lambda n: n)


def _rendered_note(body: str) -> str:
    from tracking.applications.services import render_markdown

    return render_markdown(body)


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "tracking.Note"

    application = factory.SubFactory(ApplicationFactory)
    body = "Called the recruiter."
    body_html = factory.LazyAttribute(lambda note: _rendered_note(note.body))


class ReminderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "tracking.Reminder"

    application = factory.SubFactory(ApplicationFactory)
    due_at = factory.LazyFunction(
        lambda: (
            __import__("django.utils.timezone").utils.timezone.now()
            + __import__("datetime").timedelta(days=3)
        )
    )
    message = "Follow up"


class InterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "tracking.Interview"

    application = factory.SubFactory(ApplicationFactory)
    starts_at = factory.LazyFunction(
        lambda: (
            __import__("django.utils.timezone").utils.timezone.now()
            + __import__("datetime").timedelta(days=5)
        )
    )
    timezone = "Europe/Berlin"
    duration_minutes = 45
    kind = "video"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "tracking.Contact"

    application = factory.SubFactory(ApplicationFactory)
    name = factory.Sequence(lambda n: f"Recruiter {n}")
    email = "recruiter@example.com"


# --- dashboard (issue 9) ---


class StageChangeFactory(factory.django.DjangoModelFactory):
    """One step of a journey: pass application, to_stage (and from_stage, changed_at)."""

    class Meta:
        model = "tracking.StageChange"

    application = factory.SubFactory(ApplicationFactory)
    from_stage = None
    to_stage = factory.LazyAttribute(lambda o: o.application.stage)
