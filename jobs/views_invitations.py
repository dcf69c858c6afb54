"""Company invitations (issue 16 point 5): the owner's invite and cancel, the invitee's page
with Accept and Decline. The invite answers the same for any address (no account discovery)
and is rate limited per inviter and per company (ACCOUNT_RATE_LIMITS["company_invite"])."""

from __future__ import annotations

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from jobs import employer_invitations as invitations
from jobs.forms import MemberAddForm
from jobs.models import Company, CompanyInvitation, InvitationStatus
from jobs.services import JobsError


def member_invite(request, company: Company):
    """POST /employer/companies/<slug>/members/ (the view in views_employer looks the company
    up through the member's companies)."""
    from jobs.views_employer import _company_settings_page

    form = MemberAddForm(request.POST)
    if not form.is_valid():
        return _company_settings_page(request, company, member_form=form)
    if not ratelimit.consume(request, action="company_invite", key=f"company:{company.pk}"):
        form.add_error(None, "Too many invitations in the last hour: try again later.")
        return _company_settings_page(request, company, status=429, member_form=form)
    email = form.cleaned_data["email"]
    try:
        invitations.company_invitation_create(
            company=company, by=request.user, email=email, role=form.cleaned_data["role"]
        )
    except JobsError as exc:
        messages.error(request, str(exc))
    else:
        # The same words whether the address has an account, is a member already or is new.
        messages.success(
            request,
            f"If {email} is not a member yet, we have emailed it an invitation to "
            f"{company.name}. It is listed below until accepted.",
        )
    return redirect("employer:company_edit", slug=company.slug)


@login_required
@require_POST
def invitation_cancel(request, slug: str, pk: int):
    company = get_object_or_404(Company.objects.for_member(request.user), slug=slug)
    invitation = get_object_or_404(
        CompanyInvitation.objects.select_related("company"), company=company, pk=pk
    )
    try:
        invitations.company_invitation_cancel(invitation=invitation, by=request.user)
    except JobsError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"The invitation of {invitation.email} is cancelled.")
    return redirect("employer:company_edit", slug=company.slug)


class _NotInvitee(Exception):
    pass


def _invitation(request, token: str) -> CompanyInvitation:
    """The invitation, for the invited address only: anyone else gets a 404 (a forwarded link
    does not say which company invited whom)."""
    invitation = invitations.invitation_by_token(token=token)
    if invitation is None:
        raise Http404("No such invitation.")
    if not invitations.user_has_address(user=request.user, email=invitation.email):
        raise _NotInvitee
    return invitation


def _not_invitee(request):
    return render(request, "jobs/employer/invitation.html", {"invitation": None}, status=404)


@login_required
@require_GET
def invitation_page(request, token: str):
    try:
        invitation = _invitation(request, token)
    except _NotInvitee:
        return _not_invitee(request)
    return render(
        request,
        "jobs/employer/invitation.html",
        {"invitation": invitation, "is_open": invitation.is_open, "statuses": InvitationStatus},
    )


def _respond(request, token: str, accept: bool):
    try:
        invitation = _invitation(request, token)
    except _NotInvitee:
        return _not_invitee(request)
    try:
        if accept:
            invitations.company_invitation_accept(invitation=invitation, user=request.user)
        else:
            invitations.company_invitation_decline(invitation=invitation, user=request.user)
    except JobsError as exc:
        messages.error(request, str(exc))
        return redirect("employer:invitation", token=token)
    if accept:
        messages.success(request, f"You are now a member of {invitation.company.name}.")
        return redirect("employer:company_edit", slug=invitation.company.slug)
    messages.success(request, f"You declined the invitation to {invitation.company.name}.")
    return redirect("home")


@login_required
@require_POST
def invitation_accept(request, token: str):
    return _respond(request, token, accept=True)


@login_required
@require_POST
def invitation_decline(request, token: str):
    return _respond(request, token, accept=False)
