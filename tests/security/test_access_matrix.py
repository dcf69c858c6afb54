"""Issue 10, points 1 and 2: the access control matrix and CSRF / safe methods.

Every URL pattern of the project that takes an argument (an object id, a slug or a token) is
requested as its owner, as another user and anonymously, with GET and POST. A pattern this file
does not know how to fill makes `test_every_argument_pattern_is_known` fail, so a new URL has to
be added to PERSONAL, SHARED, STAFF, TOKEN or (with a reason) PUBLIC below.
"""

from functools import cached_property

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import (
    ApplicationFactory,
    CompanyFactory,
    ContactFactory,
    InterviewFactory,
    NoteFactory,
    PostingFactory,
    ReminderFactory,
    StageChangeFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _walk(resolver=None, prefix="", namespace=None):
    """(route name with namespaces, route, has converter arguments) for every pattern."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            name = pattern.name or ""
            if namespace:
                name = f"{namespace}:{name}"
            has_args = bool(pattern.pattern.regex.groups) or "<" in route
            yield name, route, has_args


# Public or separately-guarded patterns with arguments, and why they are not in the matrix.
PUBLIC = {
    # Public pages: anyone may read a published posting or a company page.
    "jobs:posting": "public posting page",
    "jobs:company": "public company page",
    "jobs:company_logo": "public company logo (an image; 404 without one)",
    # sitemap sections are public by design (robots / search engines).
    "django.contrib.sitemaps.views.sitemap": "public sitemap section",
    # allauth's key-based URLs: the key is the credential and allauth checks it itself.
    "account_confirm_email": "allauth e-mail confirmation key",
    "account_reset_password_from_key": "allauth password reset key",
    # Development mailbox: staff-only (staff_member_required) and only when DEBUG/dev mail is on.
    "dev_mail_detail": "staff-only development mailbox",
    # make run's live-source demo: public demo data, a 404 unless DEBUG.
    "sources:dev_board": "DEBUG-only demo board (public demo data)",
}
# Django admin: staff-only and permission-checked by django.contrib.admin itself.
PUBLIC_NAMESPACES = ("admin",)


class World:
    """The owner's objects, one of every kind, created on first use (each test makes only what
    it needs)."""

    @cached_property
    def owner(self):
        return UserFactory()

    @cached_property
    def other(self):
        return UserFactory()

    @cached_property
    def staff(self):
        return UserFactory(is_staff=True)

    @cached_property
    def company(self):
        from jobs.models import CompanyMembership

        company = CompanyFactory()
        CompanyMembership.objects.create(company=company, user=self.owner, role="owner")
        return company

    @cached_property
    def posting(self):
        return PostingFactory(company=self.company, created_by=self.owner)

    @cached_property
    def sent_invitation(self):
        """An invitation the owner sent from their company (they may cancel it)."""
        from jobs.employer.services import company_invitation_create

        return company_invitation_create(
            company=self.company, by=self.owner, email="invitee@example.com"
        )

    @cached_property
    def received_invitation(self):
        """An invitation of the owner's address to another company (theirs to answer)."""
        from jobs.employer.services import company_invitation_create
        from jobs.models import CompanyMembership

        company = CompanyFactory()
        inviter = UserFactory()
        CompanyMembership.objects.create(company=company, user=inviter, role="owner")
        return company_invitation_create(company=company, by=inviter, email=self.owner.email)

    @cached_property
    def public_posting(self):
        return PostingFactory()

    @cached_property
    def submitted_posting(self):
        return PostingFactory(status="submitted")

    @cached_property
    def pending_company(self):
        return CompanyFactory(status="pending")

    @cached_property
    def import_job(self):
        from jobs.models import ImportJob

        return ImportJob.objects.create(
            created_by=self.staff, filename="feed.csv", data=b"title,company,description\n"
        )

    @cached_property
    def source(self):
        from jobs.models import Source

        return Source.objects.create(
            kind="greenhouse", endpoint="acme", url="https://example.com/b", company=self.company
        )

    @cached_property
    def application(self):
        return ApplicationFactory(user=self.owner)

    @cached_property
    def outside_application(self):
        """A job from another site (no posting) in one of the owner's collections."""
        application = ApplicationFactory(user=self.owner, posting=None)
        application.collections.add(self.collection)
        return application

    @cached_property
    def application_with_document(self):
        from django.core.files.base import ContentFile

        application = ApplicationFactory(user=self.owner)
        application.document.save("cv.pdf", ContentFile(b"%PDF-1.4 hello"))
        return application

    @cached_property
    def stage(self):
        return self.application.stage

    @cached_property
    def stage_change(self):
        return StageChangeFactory(application=self.application)

    @cached_property
    def note(self):
        return NoteFactory(application=self.application)

    @cached_property
    def reminder(self):
        return ReminderFactory(application=self.application)

    @cached_property
    def interview(self):
        return InterviewFactory(application=self.application)

    @cached_property
    def contact(self):
        return ContactFactory(application=self.application)

    @cached_property
    def saved_job(self):
        from tracking.models import SavedJob

        return SavedJob.objects.create(user=self.owner, posting=self.public_posting)

    @cached_property
    def collection(self):
        from tracking.models import Collection

        return Collection.objects.create(user=self.owner, name="Berlin")

    @cached_property
    def saved_search(self):
        from tracking.models import SavedSearch

        return SavedSearch.objects.create(user=self.owner, name="Python", querystring="q=python")

    @cached_property
    def notification(self):
        from tracking.models import Notification

        return Notification.objects.create(
            user=self.owner,
            kind="reminder_due",
            dedupe_key=f"acl-{self.owner.pk}",
            subject="Follow up",
        )

    @cached_property
    def calendar_token(self):
        from tracking.models import CalendarFeedToken

        return CalendarFeedToken.objects.create(user=self.owner).token

    @cached_property
    def api_token(self):
        from accounts.tokens.services import api_token_create

        return api_token_create(user=self.owner, name="Extension")[0]

    @cached_property
    def unsubscribe_token(self):
        from tracking.alerts.services import unsubscribe_token

        return unsubscribe_token(user_id=self.owner.pk, kind="reminder_due")


# Personal objects: owner succeeds, another user gets 404, anonymous goes to log in.
PERSONAL = {
    "employer:company_edit": lambda w: {"slug": w.company.slug},
    "employer:member_add": lambda w: {"slug": w.company.slug},
    "employer:group_create": lambda w: {"slug": w.company.slug},
    "employer:group_limit": lambda w: {"slug": w.company.slug},
    "employer:posting_create": lambda w: {"slug": w.company.slug},
    "employer:posting_edit": lambda w: {"pk": w.posting.pk},
    "employer:posting_submit": lambda w: {"pk": w.posting.pk},
    "employer:posting_close": lambda w: {"pk": w.posting.pk},
    "employer:posting_extend": lambda w: {"pk": w.posting.pk},
    "employer:invitation_cancel": lambda w: {
        "slug": w.company.slug,
        "pk": w.sent_invitation.pk,
    },
    # The invitee's page: only the invited address may see or answer it.
    "employer:invitation": lambda w: {"token": w.received_invitation.token},
    "employer:invitation_accept": lambda w: {"token": w.received_invitation.token},
    "employer:invitation_decline": lambda w: {"token": w.received_invitation.token},
    "sources:company": lambda w: {"slug": w.company.slug},
    "sources:company_sync": lambda w: {"pk": w.source.pk},
    "tracking:stage_rename": lambda w: {"pk": w.stage.pk},
    "tracking:stage_shift": lambda w: {"pk": w.stage.pk},
    "tracking:stage_archive": lambda w: {"pk": w.stage.pk},
    "tracking:application": lambda w: {"pk": w.application.pk},
    "tracking:edit": lambda w: {"pk": w.application.pk},
    "tracking:move": lambda w: {"pk": w.application.pk},
    "tracking:archive": lambda w: {"pk": w.application.pk},
    "tracking:document": lambda w: {"pk": w.application_with_document.pk},
    "tracking:delete": lambda w: {"pk": w.application.pk},
    "tracking:note_add": lambda w: {"pk": w.application.pk},
    "tracking:reminder_add": lambda w: {"pk": w.application.pk},
    "tracking:interview_add": lambda w: {"pk": w.application.pk},
    "tracking:contact_add": lambda w: {"pk": w.application.pk},
    "tracking:change_edit": lambda w: {"pk": w.stage_change.pk},
    "tracking:note_edit": lambda w: {"pk": w.note.pk},
    "tracking:note_delete": lambda w: {"pk": w.note.pk},
    "tracking:reminder_done": lambda w: {"pk": w.reminder.pk},
    "tracking:reminder_snooze": lambda w: {"pk": w.reminder.pk},
    "tracking:reminder_cancel": lambda w: {"pk": w.reminder.pk},
    "tracking:interview_edit": lambda w: {"pk": w.interview.pk},
    "tracking:interview_delete": lambda w: {"pk": w.interview.pk},
    "tracking:interview_ics": lambda w: {"pk": w.interview.pk},
    "tracking:contact_edit": lambda w: {"pk": w.contact.pk},
    "tracking:contact_delete": lambda w: {"pk": w.contact.pk},
    "tracking:notification_read": lambda w: {"pk": w.notification.pk},
    "tracking:saved_search_edit": lambda w: {"pk": w.saved_search.pk},
    "tracking:saved_search_pause": lambda w: {"pk": w.saved_search.pk},
    "tracking:saved_search_delete": lambda w: {"pk": w.saved_search.pk},
    "tracking:collection_rename": lambda w: {"pk": w.collection.pk},
    "tracking:collection_delete": lambda w: {"pk": w.collection.pk},
    "tracking:saved_edit": lambda w: {"pk": w.saved_job.pk},
    "tracking:saved_remove": lambda w: {"pk": w.saved_job.pk},
    "tracking:outside_uncollect": lambda w: {"pk": w.outside_application.pk},
    "tracking:dashboard_reminder_done": lambda w: {"pk": w.reminder.pk},
    "tracking:dashboard_reminder_snooze": lambda w: {"pk": w.reminder.pk},
    "tracking:dashboard_move": lambda w: {"pk": w.application.pk},
    "accounts:token_revoke": lambda w: {"pk": w.api_token.pk},
}

# A public object (a published posting) acted on for the requester's own account: any logged-in
# user may do it (it touches only their own data); anonymous goes to log in.
SHARED = {
    "tracking:track": lambda w: {"posting_id": w.public_posting.pk},
    "tracking:save": lambda w: {"posting_id": w.public_posting.pk},
    "tracking:unsave": lambda w: {"posting_id": w.public_posting.pk},
}

# Staff-only moderation: the "owner" is a staff user; any other user gets 404.
STAFF = {
    "jobs_staff:review_detail": lambda w: {"pk": w.submitted_posting.pk},
    "jobs_staff:review_approve": lambda w: {"pk": w.submitted_posting.pk},
    "jobs_staff:review_reject": lambda w: {"pk": w.submitted_posting.pk},
    "jobs_staff:company_approve": lambda w: {"pk": w.pending_company.pk},
    "jobs_staff:company_reject": lambda w: {"pk": w.pending_company.pk},
    "staff_import:job": lambda w: {"pk": w.import_job.pk},
    "staff_import:job_retry": lambda w: {"pk": w.import_job.pk},
    "sources:edit": lambda w: {"pk": w.source.pk},
    "sources:pause": lambda w: {"pk": w.source.pk},
    "sources:sync": lambda w: {"pk": w.source.pk},
}

# The token is the credential (calendar apps and mail clients cannot log in).
TOKEN = {
    "tracking:calendar_feed": lambda w: {"token": w.calendar_token},
    "tracking:unsubscribe": lambda w: {"token": w.unsubscribe_token},
}

MATRIX = {**PERSONAL, **SHARED, **STAFF}
ROLES = ("owner", "other", "anonymous")
METHODS = ("get", "post")
# What a refused method answers (require_POST / require_GET); it says nothing about the object.
METHOD_REFUSED = 405


def _argument_patterns():
    return sorted(
        {
            name
            for name, _route, has_args in _walk()
            if has_args and name.split(":")[0] not in PUBLIC_NAMESPACES
        }
    )


def test_every_argument_pattern_is_known():
    known = set(MATRIX) | set(TOKEN) | set(PUBLIC)
    unknown = [name for name in _argument_patterns() if name not in known]
    assert unknown == [], (
        f"add these URL patterns to tests/security/test_access_matrix.py: {unknown}"
    )
    assert all(name for name in _argument_patterns()), "every pattern with arguments has a name"


def _client(world, role):
    client = Client()
    user = {"owner": world.owner, "other": world.other, "anonymous": None}[role]
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_access(name, role, method):
    world = World()
    if name in STAFF:
        world.owner = world.staff
    url = reverse(name, kwargs=MATRIX[name](world))
    response = getattr(_client(world, role), method)(url)
    status = response.status_code
    assert status < 500, f"{method.upper()} {url} as {role}: {status}"
    if status == METHOD_REFUSED:
        return
    if role == "anonymous":
        assert status == 302, f"{method.upper()} {url} anonymously: {status}"
        assert response["Location"].startswith(reverse("account_login"))
    elif role == "other" and name not in SHARED:
        assert status == 404, f"{method.upper()} {url} as another user: {status}"
    elif method == "post" and status == 400:
        # An empty POST is invalid input: the owner reached the object and got the form back
        # with its errors (the house answers invalid forms with 400), never a 404.
        assert b'class="errorlist' in response.content, f"POST {url}: 400 without a form error"
    else:
        assert 200 <= status < 400, f"{method.upper()} {url} as {role}: {status}"


@pytest.mark.django_db
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("name", sorted(TOKEN))
def test_token_patterns(name, method):
    world = World()
    url = reverse(name, kwargs=TOKEN[name](world))
    response = getattr(Client(), method)(url)
    assert response.status_code in (200, METHOD_REFUSED), response.status_code
    # Another user's token only opens the other user's data; a wrong token opens nothing.
    for bad in ("nope", TOKEN[name](world)["token"][:-2] + "xx"):
        bad_url = reverse(name, kwargs={"token": bad})
        assert getattr(Client(), method)(bad_url).status_code in (400, 404, METHOD_REFUSED)


def test_calendar_feed_of_another_user_shows_only_theirs(db):
    world, other_world = World(), World()
    InterviewFactory(application=ApplicationFactory(user=world.owner, company_name="MineCo"))
    InterviewFactory(application=ApplicationFactory(user=other_world.owner, company_name="TheirCo"))
    body = Client().get(reverse("tracking:calendar_feed", args=[world.calendar_token])).content
    assert b"MineCo" in body
    assert b"TheirCo" not in body


# --- point 2: CSRF and safe methods ----------------------------------------------------------


def _snapshot():
    """Every row of the project's own apps (small in these tests): a GET must not change one."""
    rows = {}
    for label in ("accounts", "jobs", "tracking"):
        for model in apps.get_app_config(label).get_models():
            rows[model._meta.label] = sorted(map(repr, model.objects.values_list()))
    return rows


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX) + sorted(TOKEN))
def test_get_changes_nothing(name):
    world = World()
    if name in STAFF:
        world.owner = world.staff
    kwargs = (MATRIX.get(name) or TOKEN[name])(world)
    client = _client(world, "owner")
    url = reverse(name, kwargs=kwargs)
    before = _snapshot()
    response = client.get(url)
    assert response.status_code < 500
    assert _snapshot() == before, f"GET {url} changed the database"


def _post_patterns():
    """Every named, non-admin pattern we can fill (with or without arguments)."""
    names = []
    for name, _route, has_args in _walk():
        if not name or name.split(":")[0] in PUBLIC_NAMESPACES or name in PUBLIC:
            continue
        if has_args and name not in MATRIX:
            continue
        names.append(name)
    return sorted(set(names))


# Views that take POST without a CSRF token on purpose, and why.
CSRF_EXEMPT = {
    "tracking:unsubscribe": "RFC 8058 one-click: the signed token is the credential",
}
# APIs authenticated by an Authorization: Bearer token only (never the session cookie), so a
# cross-site request carries no credential: without a token they answer 401 and change nothing.
BEARER = {
    "clip:api": "the clip API (browser extension): a personal token in the Authorization header",
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", _post_patterns())
def test_post_without_csrf_token_is_refused(name):
    world = World()
    if name in STAFF:
        world.owner = world.staff
    kwargs = MATRIX[name](world) if name in MATRIX else {}
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.owner)
    url = reverse(name, kwargs=kwargs)
    before = _snapshot()
    response = client.post(url, {"name": "x"})
    refused = (401,) if name in BEARER else (403, METHOD_REFUSED)
    assert response.status_code in refused, f"POST {url}: {response.status_code}"
    assert _snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(BEARER))
def test_bearer_apis_ignore_the_session(name):
    world = World()
    client = Client()
    client.force_login(world.owner)
    response = client.post(reverse(name), "{}", content_type="application/json")
    assert response.status_code == 401


def test_htmx_post_with_only_the_csrf_header_succeeds(db):
    from tracking.models import Collection

    world = World()
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.owner)
    page = client.get(reverse("tracking:board"))
    assert page.status_code == 200
    token = str(page.context["csrf_token"])
    assert f'hx-headers=\'{{"X-CSRFToken": "{token}"}}\'' in page.content.decode()
    assert "csrftoken" in client.cookies
    url = reverse("tracking:collection_rename", args=[world.collection.pk])
    response = client.post(
        url, {"name": "Dream jobs"}, headers={"HX-Request": "true", "X-CSRFToken": token}
    )
    assert response.status_code in (200, 204, 302)
    assert Collection.objects.get(pk=world.collection.pk).name == "Dream jobs"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(TOKEN))
def test_token_posts_need_no_session_and_are_listed(name):
    """Token URLs are not in the CSRF matrix: a POST there without a CSRF token is refused (403
    or 405) unless it is a listed, deliberate exemption (the token itself is the credential)."""
    world = World()
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse(name, kwargs=TOKEN[name](world)))
    if name in CSRF_EXEMPT:
        assert response.status_code == 200
    else:
        assert response.status_code in (403, METHOD_REFUSED)
