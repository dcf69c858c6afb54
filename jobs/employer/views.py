"""Employer pages under /employer/: companies, member invitations (the owner's invite and
cancel; the invitee's page with Accept and Decline), postings (form → preview → save/submit),
close, extend, the group's application limit. Everything is looked up through the member's companies:
another company's object is a 404."""

from __future__ import annotations

from typing import TYPE_CHECKING

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.http import AuthedHttpRequest
from jobs.board.views import posting_page_context
from jobs.employer import services
from jobs.employer.forms import (
    CompanyForm,
    ExtendForm,
    GroupCreateForm,
    GroupLimitForm,
    MemberAddForm,
    PostingForm,
)
from jobs.employer.selectors import (
    invitation_by_token,
    invitations_pending_for,
    user_has_address,
)
from jobs.models import (
    Company,
    CompanyInvitation,
    CompanyMembership,
    InvitationStatus,
    Location,
    Posting,
    PostingStatus,
)

if TYPE_CHECKING:
    from accounts.models import User

STATUS_ORDER = ["submitted", "draft", "rejected", "published", "closed", "expired"]


def _company_for(request: AuthedHttpRequest, slug: str) -> Company:
    return get_object_or_404(
        Company.objects.for_member(request.user).select_related("group"), slug=slug
    )


def _posting_for(request: AuthedHttpRequest, pk: int) -> Posting:
    return get_object_or_404(
        Posting.objects.for_member(request.user).select_related("company__group"), pk=pk
    )


def _role(request: AuthedHttpRequest, company: Company) -> str | None:
    membership = CompanyMembership.objects.filter(company=company, user=request.user).first()
    return membership.role if membership else None


@login_required
@require_GET
def dashboard(request: AuthedHttpRequest):
    postings = Posting.objects.order_by("-updated_at").prefetch_related("locations")
    companies = (
        Company.objects.for_member(request.user)
        .select_related("group")
        .prefetch_related(Prefetch("postings", queryset=postings))
    )
    sections = []
    for company in companies:
        by_status: dict[str, list[Posting]] = {s: [] for s in STATUS_ORDER}
        for posting in company.postings.all():
            by_status.setdefault(posting.status, []).append(posting)
        groups = [(PostingStatus(s).label, s, items) for s, items in by_status.items() if items]
        sections.append({"company": company, "groups": groups})
    return render(request, "jobs/employer/dashboard.html", {"sections": sections})


@login_required
@require_http_methods(["GET", "POST"])
def company_create(request: AuthedHttpRequest):
    form = CompanyForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            company = services.company_create(**form.cleaned_data, by=request.user)
        except services.JobsError as exc:
            form.add_error("name", str(exc))
        else:
            messages.success(
                request,
                f"{company.name} is created and waits for staff review; its page goes public "
                "once approved. Meanwhile, draft its first posting.",
            )
            return redirect("employer:dashboard")
    return render(
        request,
        "jobs/employer/company_form.html",
        {"form": form, "company": None},
        status=400 if form.errors else 200,
    )


def _company_initial(company: Company) -> dict:
    # A rename waiting for review is what the employer last asked for.
    name = company.pending_name or company.name
    return {"name": name, "website": company.website, "description": company.description}


def _company_settings_page(
    request: AuthedHttpRequest, company: Company, status: int = 400, **forms_
):
    group = company.group
    context = {
        "form": CompanyForm(initial=_company_initial(company), has_logo=bool(company.logo_url)),
        "company": company,
        "is_owner": _role(request, company) == CompanyMembership.Role.OWNER,
        "member_form": MemberAddForm(),
        "group_form": GroupCreateForm(),
        "limit_form": GroupLimitForm(
            initial={"application_limit": group.application_limit} if group else None
        ),
        "memberships": company.memberships.select_related("user").order_by("created_at"),
        "invitations": invitations_pending_for(company=company),
        **forms_,
    }
    return render(request, "jobs/employer/company_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def company_edit(request: AuthedHttpRequest, slug: str):
    company = _company_for(request, slug)
    form = CompanyForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial=_company_initial(company),
        has_logo=bool(company.logo_url),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.company_update(company=company, by=request.user, **form.cleaned_data)
        except services.JobsError as exc:
            form.add_error("name", str(exc))
        else:
            messages.success(request, f"The company page is saved. {company.review_note}".strip())
            return redirect("employer:dashboard")
    return _company_settings_page(request, company, status=400 if form.errors else 200, form=form)


@login_required
@require_POST
def member_add(request: AuthedHttpRequest, slug: str):
    """Invites by email (issue 16 point 5); the URL name is kept from when it added members.
    The answer is the same for any address (no account discovery); rate limited per inviter
    and per company (ACCOUNT_RATE_LIMITS["company_invite"])."""
    company = _company_for(request, slug)
    form = MemberAddForm(request.POST)
    if not form.is_valid():
        return _company_settings_page(request, company, member_form=form)
    if not ratelimit.consume(request, action="company_invite", key=f"company:{company.pk}"):
        form.add_error(None, "Too many invitations in the last hour: try again later.")
        return _company_settings_page(request, company, status=429, member_form=form)
    email = form.cleaned_data["email"]
    try:
        services.company_invitation_create(
            company=company, by=request.user, email=email, role=form.cleaned_data["role"]
        )
    except services.JobsError as exc:
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
def group_create(request: AuthedHttpRequest, slug: str):
    company = _company_for(request, slug)
    form = GroupCreateForm(request.POST)
    if not form.is_valid():
        return _company_settings_page(request, company, group_form=form)
    try:
        services.group_create(company=company, name=form.cleaned_data["name"], by=request.user)
    except services.JobsError as exc:
        form.add_error("name", str(exc))
        return _company_settings_page(request, company, group_form=form)
    messages.success(
        request, f"{company.name} now belongs to the group {form.cleaned_data['name']}."
    )
    return redirect("employer:company_edit", slug=company.slug)


@login_required
@require_POST
def group_limit(request: AuthedHttpRequest, slug: str):
    company = _company_for(request, slug)
    if company.group is None:
        messages.error(request, "This company belongs to no group.")
        return redirect("employer:company_edit", slug=company.slug)
    form = GroupLimitForm(request.POST)
    if not form.is_valid():
        return _company_settings_page(request, company, limit_form=form)
    try:
        services.group_set_application_limit(
            group=company.group, limit=form.cleaned_data["application_limit"], by=request.user
        )
    except services.JobsError as exc:
        form.add_error("application_limit", str(exc))
        return _company_settings_page(request, company, limit_form=form)
    messages.success(request, "The group's application rule is saved.")
    return redirect("employer:company_edit", slug=company.slug)


def _preview_context(
    company: Company, form: PostingForm, posting: Posting | None, *, user: User
) -> dict:
    """Render the posting as the public page would, from the form's cleaned data."""
    fields = form.service_fields()
    preview = Posting(company=company, status=posting.status if posting else PostingStatus.DRAFT)
    if posting is not None:
        preview.published_at = posting.published_at
        preview.expires_at = posting.expires_at
    for name, value in fields.items():
        setattr(preview, name, "" if value is None and name in ("team", "level") else value)
    locations = [
        Location(city=loc.city, region=loc.region, country=loc.country)
        for loc in form.cleaned_data["locations"]
    ]
    context = posting_page_context(preview, locations, user=user)
    context["ended"] = False
    return context


def _posting_form_page(request: AuthedHttpRequest, company: Company, posting: Posting | None):
    form = PostingForm(request.POST if request.method == "POST" else None, instance=posting)
    preview = None
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "save")
        if action == "preview":
            preview = _preview_context(company, form, posting, user=request.user)
        else:
            was_published = posting is not None and posting.status == PostingStatus.PUBLISHED
            try:
                if posting is None:
                    posting = services.posting_create_draft(
                        company=company,
                        by=request.user,
                        locations=form.cleaned_data["locations"],
                        **form.service_fields(),
                    )
                else:
                    services.posting_update(
                        posting=posting,
                        by=request.user,
                        locations=form.cleaned_data["locations"],
                        **form.service_fields(),
                    )
                if action == "submit" and posting.status in (
                    PostingStatus.DRAFT,
                    PostingStatus.REJECTED,
                ):
                    services.posting_submit(posting=posting, by=request.user)
                    messages.success(
                        request, "Submitted for review. We email you when staff have looked at it."
                    )
                elif was_published:
                    messages.success(
                        request,
                        "Saved and sent back for review: the posting is off the board until "
                        "staff approve the changes.",
                    )
                else:
                    messages.success(request, "Saved.")
                return redirect("employer:dashboard")
            except services.JobsError as exc:
                messages.error(request, str(exc))
    return render(
        request,
        "jobs/employer/posting_form.html",
        {"form": form, "company": company, "posting": posting, "preview": preview},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def posting_create(request: AuthedHttpRequest, slug: str):
    company = _company_for(request, slug)
    return _posting_form_page(request, company, None)


@login_required
@require_http_methods(["GET", "POST"])
def posting_edit(request: AuthedHttpRequest, pk: int):
    posting = _posting_for(request, pk)
    if posting.status not in services.EDITABLE_STATUSES:
        messages.error(
            request, f"A {posting.get_status_display().lower()} posting can no longer be edited."
        )
        return redirect("employer:dashboard")
    return _posting_form_page(request, posting.company, posting)


def _transition(request: AuthedHttpRequest, pk: int, action, success: str):
    posting = _posting_for(request, pk)
    try:
        action(posting=posting, by=request.user)
    except services.JobsError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success.format(title=posting.title))
    return redirect("employer:dashboard")


@login_required
@require_POST
def posting_submit(request: AuthedHttpRequest, pk: int):
    return _transition(request, pk, services.posting_submit, "“{title}” is submitted for review.")


@login_required
@require_POST
def posting_close(request: AuthedHttpRequest, pk: int):
    return _transition(
        request, pk, services.posting_close, "“{title}” is closed and no longer listed."
    )


@login_required
@require_http_methods(["GET", "POST"])
def posting_extend(request: AuthedHttpRequest, pk: int):
    posting = _posting_for(request, pk)
    form = ExtendForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.posting_extend(
                posting=posting,
                by=request.user,
                days=form.cleaned_data["days"],
                deadline=form.cleaned_data["deadline"],
            )
        except services.JobsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"“{posting.title}” is listed until {posting.expires_at:%d %B %Y}.",
            )
            return redirect("employer:dashboard")
    return render(
        request,
        "jobs/employer/posting_extend.html",
        {"form": form, "posting": posting},
        status=400 if form.errors else 200,
    )


# --- Member invitations (issue 16 point 5): the owner's Cancel; the invitee's page, Accept and
# Decline.


@login_required
@require_POST
def invitation_cancel(request: AuthedHttpRequest, slug: str, pk: int):
    company = get_object_or_404(Company.objects.for_member(request.user), slug=slug)
    invitation = get_object_or_404(
        CompanyInvitation.objects.select_related("company"), company=company, pk=pk
    )
    try:
        services.company_invitation_cancel(invitation=invitation, by=request.user)
    except services.JobsError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"The invitation of {invitation.email} is cancelled.")
    return redirect("employer:company_edit", slug=company.slug)


class _NotInvitee(Exception):
    pass


def _invitation(request: AuthedHttpRequest, token: str) -> CompanyInvitation:
    """The invitation, for the invited address only: anyone else gets a 404 (a forwarded link
    does not say which company invited whom)."""
    invitation = invitation_by_token(token=token)
    if invitation is None:
        raise Http404("No such invitation.")
    if not user_has_address(user=request.user, email=invitation.email):
        raise _NotInvitee
    return invitation


def _not_invitee(request: AuthedHttpRequest) -> HttpResponse:
    return render(request, "jobs/employer/invitation.html", {"invitation": None}, status=404)


@login_required
@require_GET
def invitation_page(request: AuthedHttpRequest, token: str):
    try:
        invitation = _invitation(request, token)
    except _NotInvitee:
        return _not_invitee(request)
    return render(
        request,
        "jobs/employer/invitation.html",
        {"invitation": invitation, "is_open": invitation.is_open, "statuses": InvitationStatus},
    )


def _respond(request: AuthedHttpRequest, token: str, accept: bool):
    try:
        invitation = _invitation(request, token)
    except _NotInvitee:
        return _not_invitee(request)
    try:
        if accept:
            services.company_invitation_accept(invitation=invitation, user=request.user)
        else:
            services.company_invitation_decline(invitation=invitation, user=request.user)
    except services.JobsError as exc:
        messages.error(request, str(exc))
        return redirect("employer:invitation", token=token)
    if accept:
        messages.success(request, f"You are now a member of {invitation.company.name}.")
        return redirect("employer:company_edit", slug=invitation.company.slug)
    messages.success(request, f"You declined the invitation to {invitation.company.name}.")
    return redirect("home")


@login_required
@require_POST
def invitation_accept(request: AuthedHttpRequest, token: str):
    return _respond(request, token, accept=True)


@login_required
@require_POST
def invitation_decline(request: AuthedHttpRequest, token: str):
    return _respond(request, token, accept=False)
