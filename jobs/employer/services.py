"""Use cases of the board's employer side: companies (a new one and some renames wait for staff
review), member invitations, groups, postings and their life cycle (draft, submit, close, extend,
expire); staff review of postings and companies is jobs/moderation/services.py, which shares this
module's locking helpers.

Every function is keyword-only and takes the acting user as `by`. State transitions lock the posting
row (`select_for_update`) and check the current status, so a double-clicked "Submit" or "Approve"
acts once; the second click gets a `PostingStateError` the view shows as a message.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django_countries import countries

from config.dates import RANGE_MESSAGE, in_range, shifted
from config.mail import send_templated_mail
from config.page_cache import bump_generation
from jobs.board.search import refresh_company_search_vectors, refresh_search_vectors
from jobs.employer.selectors import user_has_address
from jobs.models import (
    Company,
    CompanyGroup,
    CompanyInvitation,
    CompanyLogo,
    CompanyMembership,
    CompanyStatus,
    InvitationStatus,
    Location,
    Posting,
    PostingStatus,
    company_name_key,
)
from jobs.sanitize import clean_html
from jobs.summary.services import posting_summary_enqueue

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

DEFAULT_LISTING_DAYS = 60
MAX_EXTEND_DAYS = 120

# Fields of a posting an employer edits (status, dates and review fields are the services' own).
POSTING_FIELDS = (
    "title",
    "team",
    "description",
    "employment_type",
    "level",
    "workplace",
    "salary_min",
    "salary_max",
    "salary_currency",
    "salary_period",
    "apply_url",
    "apply_email",
    "review_policy",
    "application_deadline",
)
EDITABLE_STATUSES = (
    PostingStatus.DRAFT,
    PostingStatus.SUBMITTED,
    PostingStatus.REJECTED,
    PostingStatus.PUBLISHED,
)


class JobsError(Exception):
    """A use case refused: the message is meant for the person who asked."""


class PostingStateError(JobsError):
    """The posting is not in a state that allows this action."""


class NotAllowed(JobsError):
    """The acting user lacks the role this action needs."""


@dataclass(frozen=True)
class LocationInput:
    city: str
    region: str
    country: str  # ISO 3166-1 alpha-2


# ---------------------------------------------------------------------------------------------
# Permissions


def is_member(*, company: Company, user: User | AnonymousUser) -> bool:
    user_id = user.pk if getattr(user, "is_authenticated", False) else None
    if user_id is None:
        return False
    return CompanyMembership.objects.filter(company=company, user_id=user_id).exists()


def is_owner(*, company: Company, user: User | AnonymousUser) -> bool:
    user_id = user.pk if getattr(user, "is_authenticated", False) else None
    if user_id is None:
        return False
    return CompanyMembership.objects.filter(
        company=company, user_id=user_id, role=CompanyMembership.Role.OWNER
    ).exists()


def _require_member(company: Company, user: User) -> None:
    if not is_member(company=company, user=user):
        raise NotAllowed("Only members of this company can do that.")


def _require_staff(user: User) -> None:
    if not (getattr(user, "is_authenticated", False) and user.is_staff):
        raise NotAllowed("Only staff can review postings.")


# ---------------------------------------------------------------------------------------------
# Companies


def _unique_company_slug(name: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:200] or "company"
    slug, n = base, 2
    existing = Company.objects.exclude(pk=exclude_pk) if exclude_pk else Company.objects.all()
    while existing.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


COPIED_NAME = (
    "A company with this name is already on Jobtrail. If you work there, ask one of its "
    "owners to invite you; otherwise choose a name that tells yours apart."
)


def company_name_taken(*, name: str, exclude: Company | None = None) -> bool:
    """Another approved company has this name (case, accents, spaces and punctuation aside),
    or is being renamed to it."""
    key = company_name_key(name)
    if not key:
        return False
    others = Company.objects.approved()
    if exclude is not None and exclude.pk:
        others = others.exclude(pk=exclude.pk)
    return others.filter(name_key=key).exists()


def company_has_live_postings(*, company: Company) -> bool:
    return company.postings.filter(status=PostingStatus.PUBLISHED).exists()


def company_apply_name(*, company: Company, name: str) -> str:
    """Called by `company_update` before it saves: where the new name goes (issue 16 point 3:
    a rename of an approved company with live postings waits for staff review in
    `pending_name`, the approved name staying public). Returns what the employer is told
    ("" when nothing is waiting for review)."""
    name = name.strip()
    current = company.name
    if name == current:
        company.pending_name = ""  # an edit back to the approved name withdraws a rename
        return ""
    if name == company.pending_name:
        return f"The new name “{name}” still waits for staff review."
    if company_name_taken(name=name, exclude=company):
        raise JobsError(COPIED_NAME)
    now = timezone.now()
    company.pending_name = ""
    if company.status == CompanyStatus.APPROVED and company_has_live_postings(company=company):
        company.pending_name = name
        company.submitted_at = now
        return (
            f"The new name “{name}” waits for staff review; “{current}” stays on the board "
            "until then."
        )
    company.name = name
    if company.status == CompanyStatus.REJECTED:
        company.status = CompanyStatus.PENDING
        company.submitted_at = now
    return ""


@transaction.atomic
def company_create(
    *,
    name: str,
    website: str = "",
    description: str = "",
    by: User,
    logo: bytes | None = None,
    remove_logo: bool = False,
) -> Company:
    """Create a company; its creator becomes the owner. It is pending until staff approve it
    (jobs/moderation/services.py: company_approve); another approved company's name is refused."""
    if company_name_taken(name=name):
        raise JobsError(COPIED_NAME)
    company = Company.objects.create(
        name=name.strip(),
        slug=_unique_company_slug(name),
        website=website.strip(),
        description=clean_html(description),
        status=CompanyStatus.PENDING,
        submitted_at=timezone.now(),
    )
    CompanyMembership.objects.create(company=company, user=by, role=CompanyMembership.Role.OWNER)
    if logo is not None:
        company_logo_set(company=company, image=logo)
    return company


def company_logo_set(*, company: Company, image: bytes | None) -> None:
    """Store the company's logo (WebP bytes from jobs/employer/logos.py), or remove it (None).
    The new stamp changes the logo's URL, so caches fetch the new one."""
    if image is None:
        CompanyLogo.objects.filter(company=company).delete()
        company.logo_updated_at = None
    else:
        now = timezone.now()
        CompanyLogo.objects.update_or_create(
            company=company, defaults={"image": image, "updated_at": now}
        )
        company.logo_updated_at = now
    company.save(update_fields=["logo_updated_at"])


@transaction.atomic
def company_update(
    *,
    company: Company,
    by: User,
    name: str,
    website: str = "",
    description: str = "",
    logo: bytes | None = None,
    remove_logo: bool = False,
) -> Company:
    """A rename may wait for staff review (company_apply_name); `company.review_note` says so,
    for the view's message."""
    _require_member(company, by)
    company.review_note = company_apply_name(company=company, name=name)
    company.website = website.strip()
    company.description = clean_html(description)
    company.save(
        update_fields=["name", "pending_name", "status", "submitted_at", "website", "description"]
    )
    if logo is not None or remove_logo:
        company_logo_set(company=company, image=logo)
    # The company name is part of each of its postings' search vectors.
    refresh_company_search_vectors(company.pk)
    return company


@transaction.atomic
def company_member_add(
    *, company: Company, by: User, user: User, role: str = CompanyMembership.Role.EDITOR
) -> CompanyMembership:
    """Owners add members (or change a member's role)."""
    if not is_owner(company=company, user=by):
        raise NotAllowed("Only an owner of the company can add members.")
    if role not in CompanyMembership.Role.values:
        raise JobsError(f"Unknown role “{role}”.")
    membership, _ = CompanyMembership.objects.update_or_create(
        company=company, user=user, defaults={"role": role}
    )
    return membership


# ---------------------------------------------------------------------------------------------
# Member invitations (issue 16 point 5)
#
# An owner invites an email address; the person gets an email with a link holding a random token
# and joins only by accepting it, signed in as that address. Inviting answers the same whether or
# not the address has an account (no account discovery), and is rate limited per inviter and per
# company (the view). The email is a task enqueued on commit, like the posting review emails.

INVITATION_DAYS = 7


class InvitationClosed(JobsError):
    """Accepted, declined, cancelled or expired: nothing more to do with it."""


class WrongInvitee(JobsError):
    """Signed in as another address than the one invited."""


def company_invitation_mail(*, invitation_id: int) -> bool:
    """Email an invitation's link to the invited address. Called inside the transaction that
    made the invitation: the email is an outbox row of it (config/outbox.py), sent once it
    commits and never lost with Redis."""
    from jobs.models import CompanyInvitation, InvitationStatus

    invitation = (
        CompanyInvitation.objects.select_related("company", "invited_by")
        .filter(pk=invitation_id, status=InvitationStatus.PENDING)
        .first()
    )
    if invitation is None or not invitation.is_open:
        return False
    send_templated_mail(
        template="email/jobs/company_invitation",
        to=[invitation.email],
        context={"invitation": invitation, "company": invitation.company},
    )
    return True


def _enqueue_invitation_mail(invitation_id: int) -> None:
    company_invitation_mail(invitation_id=invitation_id)


@transaction.atomic
def company_invitation_create(
    *, company: Company, by: User, email: str, role: str = CompanyMembership.Role.EDITOR
) -> CompanyInvitation | None:
    """Invite an address. Inviting it again renews the open invitation (a new token and
    expiry; the old link stops working). A member already is not invited; the caller answers
    the same either way. Returns the invitation, or None when there is nothing to send."""
    if not is_owner(company=company, user=by):
        raise NotAllowed("Only an owner of the company can invite members.")
    if role not in CompanyMembership.Role.values:
        raise JobsError(f"Unknown role “{role}”.")
    email = email.strip().lower()
    if CompanyMembership.objects.filter(company=company, user__email__iexact=email).exists():
        return None
    now = timezone.now()
    fields = {
        "role": role,
        "token": secrets.token_urlsafe(32),
        "invited_by": by,
        "created_at": now,
        "expires_at": now + dt.timedelta(days=INVITATION_DAYS),
    }
    invitation = (
        CompanyInvitation.objects.select_for_update()
        .filter(company=company, email=email, status=InvitationStatus.PENDING)
        .first()
    )
    if invitation is not None:
        for name, value in fields.items():
            setattr(invitation, name, value)
        invitation.save()
    else:
        try:
            with transaction.atomic():
                invitation = CompanyInvitation.objects.create(
                    company=company, email=email, **fields
                )
        except IntegrityError:  # a double click: the other request's invitation stands
            return None
    _enqueue_invitation_mail(invitation.pk)
    return invitation


def _lock_open(invitation: CompanyInvitation) -> CompanyInvitation:
    locked = CompanyInvitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.status != InvitationStatus.PENDING:
        raise InvitationClosed(
            f"This invitation was already {locked.get_status_display().lower()}."
        )
    if locked.expires_at <= timezone.now():
        raise InvitationClosed("This invitation has expired: ask the company for a new one.")
    return locked


@transaction.atomic
def company_invitation_accept(*, invitation: CompanyInvitation, user: User) -> CompanyMembership:
    """The invitee joins with the invited role (an existing member keeps the higher one)."""
    locked = _lock_open(invitation)
    if not user_has_address(user=user, email=locked.email):
        raise WrongInvitee("This invitation is for another email address.")
    membership, created = CompanyMembership.objects.get_or_create(
        company_id=locked.company_id, user=user, defaults={"role": locked.role}
    )
    if not created and locked.role == CompanyMembership.Role.OWNER:
        membership.role = CompanyMembership.Role.OWNER
        membership.save(update_fields=["role"])
    locked.status = InvitationStatus.ACCEPTED
    locked.responded_at = timezone.now()
    locked.accepted_by = user
    locked.save(update_fields=["status", "responded_at", "accepted_by"])
    invitation.status = locked.status
    return membership


@transaction.atomic
def company_invitation_decline(*, invitation: CompanyInvitation, user: User) -> None:
    locked = _lock_open(invitation)
    if not user_has_address(user=user, email=locked.email):
        raise WrongInvitee("This invitation is for another email address.")
    locked.status = InvitationStatus.DECLINED
    locked.responded_at = timezone.now()
    locked.save(update_fields=["status", "responded_at"])
    invitation.status = locked.status


@transaction.atomic
def company_invitation_cancel(*, invitation: CompanyInvitation, by: User) -> None:
    if not is_owner(company=invitation.company, user=by):
        raise NotAllowed("Only an owner of the company can cancel invitations.")
    locked = _lock_open(invitation)
    locked.status = InvitationStatus.CANCELLED
    locked.responded_at = timezone.now()
    locked.save(update_fields=["status", "responded_at"])
    invitation.status = locked.status


@transaction.atomic
def group_create(*, company: Company, name: str, by: User) -> CompanyGroup:
    """An owner starts a group for a company that has none (joining an existing group is staff's
    call, in the admin)."""
    if not is_owner(company=company, user=by):
        raise NotAllowed("Only an owner of the company can create its group.")
    if company.group_id:
        raise JobsError("This company already belongs to a group.")
    if CompanyGroup.objects.filter(name__iexact=name.strip()).exists():
        raise JobsError("A group with this name exists already.")
    group = CompanyGroup.objects.create(name=name.strip())
    company.group = group
    company.save(update_fields=["group"])
    return group


@transaction.atomic
def group_set_application_limit(
    *, group: CompanyGroup, limit: int | None, by: User
) -> CompanyGroup:
    """Only an owner of a company in the group sets "at most N applications across the group"."""
    if not CompanyMembership.objects.filter(
        company__group=group, user=by, role=CompanyMembership.Role.OWNER
    ).exists():
        raise NotAllowed("Only an owner of a company in this group can set its application limit.")
    if limit is not None and limit < 1:
        raise JobsError("The limit must be at least 1, or empty for no limit.")
    group.application_limit = limit
    group.save(update_fields=["application_limit"])
    return group


# ---------------------------------------------------------------------------------------------
# Postings: content


def _refresh_search(posting_ids: Sequence[int]) -> None:
    """Recompute the stored search vectors (and countries) of these postings, never all of them."""
    if posting_ids:
        refresh_search_vectors(list(posting_ids))


def _set_locations(posting: Posting, locations: Iterable[LocationInput]) -> None:
    objs = []
    seen = set()
    for loc in locations:
        key = (loc.city.strip(), loc.region.strip(), loc.country.upper())
        if key in seen:
            continue
        seen.add(key)
        if key[2] not in countries:
            raise JobsError(f"“{loc.country}” is not a country code we know.")
        obj, _ = Location.objects.get_or_create(city=key[0], region=key[1], country=key[2])
        objs.append(obj)
    posting.locations.set(objs)
    posting.countries = sorted({str(o.country) for o in objs})  # Country's str is its code
    posting.save(update_fields=["countries"])


def _apply_fields(posting: Posting, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(POSTING_FIELDS)
    if unknown:
        raise TypeError(f"Not editable posting fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        if value is None and name in (
            "team",
            "level",
            "salary_currency",
            "apply_url",
            "apply_email",
        ):
            value = ""
        setattr(posting, name, value)
    posting.description = clean_html(posting.description)
    posting.salary_currency = (posting.salary_currency or "").upper()
    if (
        posting.salary_min is not None
        and posting.salary_max is not None
        and posting.salary_min > posting.salary_max
    ):
        raise JobsError("The minimum salary is above the maximum.")
    if not (posting.apply_url or posting.apply_email):
        raise JobsError("Say how to apply: a URL or an email address.")


@transaction.atomic
def posting_create_draft(
    *,
    company: Company,
    by: User,
    locations: Iterable[LocationInput] = (),
    **fields: Any,
) -> Posting:
    _require_member(company, by)
    posting = Posting(company=company, created_by=by, status=PostingStatus.DRAFT)
    _apply_fields(posting, fields)
    posting.save()
    _set_locations(posting, locations)
    _after_content_change(posting)
    return posting


@transaction.atomic
def posting_update(
    *,
    posting: Posting,
    by: User,
    locations: Iterable[LocationInput] | None = None,
    **fields: Any,
) -> Posting:
    """Edit a posting. A rejected posting goes back to draft; a published one goes back to review
    (it leaves the board until staff approve the changes: no editing past moderation); a draft
    or submitted one keeps its status."""
    _require_member(posting.company, by)
    locked = Posting.objects.select_for_update().get(pk=posting.pk)
    if locked.status not in EDITABLE_STATUSES:
        raise PostingStateError(
            f"A {locked.get_status_display().lower()} posting can no longer be edited."
        )
    _apply_fields(locked, fields)
    if locked.status == PostingStatus.REJECTED:
        locked.status = PostingStatus.DRAFT
    else:
        posting_edit_to_review(posting=locked, now=timezone.now())
    locked.save()
    if locations is not None:
        _set_locations(locked, locations)
    _after_content_change(locked)
    _copy_state(locked, posting)
    return posting


def posting_edit_to_review(*, posting: Posting, now: dt.datetime) -> list[str]:
    """The one rule for an edit of a published posting, whoever edits it (an employer's form,
    or a source synced "through the moderation queue"): it goes back to review and leaves the
    board until staff approve the changes (no editing past moderation; jobs/moderation keeps its
    first publication date and listing period on approval). Sets the fields on the unsaved
    posting and returns their names; a posting in any other status is left as it is."""
    if posting.status != PostingStatus.PUBLISHED:
        return []
    posting.status = PostingStatus.SUBMITTED
    posting.submitted_at = now
    return ["status", "submitted_at"]


def _copy_state(source: Posting, target: Posting) -> None:
    if source is target:
        return
    for field in source._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


# ---------------------------------------------------------------------------------------------
# Postings: life cycle


def _lock(posting: Posting, allowed: Sequence[str], action: str) -> Posting:
    locked = Posting.objects.select_for_update().get(pk=posting.pk)
    if locked.status not in allowed:
        raise PostingStateError(
            f"You can't {action} a posting that is {locked.get_status_display().lower()}."
        )
    return locked


def expiry_for(*, deadline: dt.date | None, now: dt.datetime | None = None) -> dt.datetime:
    """End of the deadline day (UTC), or DEFAULT_LISTING_DAYS from now without a deadline."""
    now = now or timezone.now()
    if deadline is not None:
        return dt.datetime.combine(deadline, dt.time.max, tzinfo=dt.UTC)
    return now + dt.timedelta(days=DEFAULT_LISTING_DAYS)


@transaction.atomic
def posting_submit(*, posting: Posting, by: User) -> Posting:
    _require_member(posting.company, by)
    locked = _lock(posting, (PostingStatus.DRAFT, PostingStatus.REJECTED), "submit")
    if locked.application_deadline and locked.application_deadline < timezone.localdate():
        raise PostingStateError("The application deadline has passed: change it, then submit.")
    locked.status = PostingStatus.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.rejection_reason = ""
    locked.save(update_fields=["status", "submitted_at", "rejection_reason", "updated_at"])
    _copy_state(locked, posting)
    return posting


def _after_content_change(posting: Posting) -> None:
    """Search vector now (same transaction); the summary in the background after commit."""
    _refresh_search([posting.pk])
    posting_summary_enqueue(posting=posting)


@transaction.atomic
def posting_close(*, posting: Posting, by: User) -> Posting:
    _require_member(posting.company, by)
    locked = _lock(posting, (PostingStatus.PUBLISHED,), "close")
    locked.status = PostingStatus.CLOSED
    locked.closed_at = timezone.now()
    locked.save(update_fields=["status", "closed_at", "updated_at"])
    _refresh_search([locked.pk])
    _copy_state(locked, posting)
    return posting


@transaction.atomic
def posting_extend(
    *, posting: Posting, by: User, days: int | None = None, deadline: dt.date | None = None
) -> Posting:
    """Keep a published (or expired) posting up longer: by a number of days, or to a new
    application deadline. An expired posting is published again."""
    _require_member(posting.company, by)
    if (days is None) == (deadline is None):
        raise JobsError("Extend by a number of days or to a new deadline (one of the two).")
    locked = _lock(posting, (PostingStatus.PUBLISHED, PostingStatus.EXPIRED), "extend")
    now = timezone.now()
    if days is not None:
        if not 1 <= days <= MAX_EXTEND_DAYS:
            raise JobsError(f"Extend by 1 to {MAX_EXTEND_DAYS} days.")
        start = max(now, locked.expires_at or now)
        try:
            locked.expires_at = shifted(start, dt.timedelta(days=days), field="days")
        except ValidationError as exc:
            raise JobsError(" ".join(exc.messages)) from exc
        if locked.application_deadline:
            locked.application_deadline = locked.expires_at.date()
    else:
        assert deadline is not None
        if deadline < timezone.localdate():
            raise JobsError("The new deadline is in the past.")
        if not in_range(deadline):
            raise JobsError(RANGE_MESSAGE)
        locked.application_deadline = deadline
        locked.expires_at = expiry_for(deadline=deadline, now=now)
    if locked.expires_at <= now:
        raise JobsError("The new end date is in the past.")
    locked.status = PostingStatus.PUBLISHED
    locked.save(update_fields=["status", "expires_at", "application_deadline", "updated_at"])
    _refresh_search([locked.pk])
    _copy_state(locked, posting)
    return posting


def postings_expire(*, now: dt.datetime | None = None) -> int:
    """Mark published postings past `expires_at` as expired, in one conditional UPDATE (running
    it twice changes nothing the second time). Uses the (status, expires_at) index."""
    now = now or timezone.now()
    expired = Posting.objects.filter(
        status=PostingStatus.PUBLISHED, expires_at__isnull=False, expires_at__lte=now
    ).update(status=PostingStatus.EXPIRED, updated_at=now)
    if expired:
        bump_generation()  # an UPDATE sends no signal: the cached public pages go stale here
    return expired
