"""Reads of the employer side: a company's open member invitations, an invitation by its
link's token, whether a user signs in with (or has verified) an invited address."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone

from jobs.models import CompanyInvitation, InvitationStatus

if TYPE_CHECKING:
    from accounts.models import User
    from jobs.models import Company


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
