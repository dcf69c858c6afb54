"""Company members join by invitation (issue 16 point 5).

An owner invites an email address; the person gets an email with a link holding a random
token and joins only by accepting it, signed in as that address. Inviting answers the same
whether or not the address has an account (no account discovery), and is rate limited per
inviter and per company (views_invitations.py). Writes here, keyword-only; the email is a task
enqueued on commit, like the posting review emails.
"""

from __future__ import annotations

import datetime as dt
import secrets
from functools import partial
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from jobs.models import CompanyInvitation, CompanyMembership, InvitationStatus
from jobs.services import JobsError, NotAllowed, is_owner

if TYPE_CHECKING:
    from accounts.models import User
    from jobs.models import Company

INVITATION_DAYS = 7


class InvitationClosed(JobsError):
    """Accepted, declined, cancelled or expired: nothing more to do with it."""


class WrongInvitee(JobsError):
    """Signed in as another address than the one invited."""


# --- reads -----------------------------------------------------------------------------------


def invitations_pending_for(*, company: Company) -> QuerySet[CompanyInvitation]:
    """The company's open invitations, newest first (the owner's list with Cancel buttons)."""
    return CompanyInvitation.objects.filter(
        company=company, status=InvitationStatus.PENDING, expires_at__gt=timezone.now()
    ).select_related("invited_by")


def invitation_by_token(*, token: str) -> CompanyInvitation | None:
    if not token or len(token) > 64:
        return None
    return (
        CompanyInvitation.objects.select_related("company", "invited_by")
        .filter(token=token)
        .first()
    )


def user_has_address(*, user: User, email: str) -> bool:
    """The user signs in with this address, or has verified it as another of theirs."""
    from allauth.account.models import EmailAddress

    email = email.lower()
    if user.email.lower() == email:
        return True
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


# --- writes ----------------------------------------------------------------------------------


def _enqueue_invitation_mail(invitation_id: int) -> None:
    from jobs.tasks import company_invitation_email

    transaction.on_commit(partial(company_invitation_email.delay, invitation_id))


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
