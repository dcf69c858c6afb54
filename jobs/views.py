"""Placeholder views: the search (jobs/search.py) and posting pages replace these."""

from urllib.parse import urlencode

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET
from django_htmx.http import push_url

from jobs.models import Company, Posting, PostingStatus
from jobs.sanitize import clean_html
from jobs.services import is_member
from jobs.structured_data import absolute, json_ld_script, posting_json_ld, posting_plain_summary
from tracking.saved_selectors import saved_posting_ids

PUBLIC_STATUSES = (PostingStatus.PUBLISHED, PostingStatus.CLOSED, PostingStatus.EXPIRED)


@require_GET
def posting_list(request):
    """Browse and search (jobs/search.py). htmx requests get the results region only, and the
    address bar follows the search."""
    from jobs import search

    params, notices = search.parse_search_params(request.GET)
    result = search.search_postings(params, page=search.parse_page(request.GET.get("page")))
    context = {
        "params": params,
        "notices": notices,
        "result": result,
        "posted_choices": search.POSTED_WITHIN_CHOICES,
        "sort_choices": search.SORT_CHOICES,
        # Save buttons: which of this page's postings the user saved, in one query.
        "saved_ids": saved_posting_ids(request.user, [hit.posting.pk for hit in result.hits]),
        # Anonymous Save buttons link to log in (public pages carry no CSRF token); built once.
        "login_to_save_url": (
            ""
            if request.user.is_authenticated
            else f"{reverse('account_login')}?{urlencode({'next': request.get_full_path()})}"
        ),
    }
    partial = request.htmx and not request.htmx.history_restore_request
    response = render(
        request, "jobs/posting_list.html#results" if partial else "jobs/posting_list.html", context
    )
    if partial:
        query = params.querystring(page=result.page)
        push_url(response, request.path + (f"?{query}" if query else ""))
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
def posting_detail(request, pk: int, slug: str):
    """The public page of a posting. Ended postings stay reachable (banner + noindex); drafts,
    submitted and rejected ones are a preview for the company's members and staff, 404 for others."""
    posting = (
        Posting.objects.select_related("company__group")
        .prefetch_related("locations")
        .filter(pk=pk)
        .first()
    )
    if posting is None:
        raise Http404("No such posting.")
    is_public = posting.status in PUBLIC_STATUSES
    if not is_public and not _can_preview(request.user, posting):
        raise Http404("No such posting.")
    if posting.slug != slug:
        return redirect(posting, permanent=True)
    locations = list(posting.locations.all())
    context = posting_page_context(posting, locations)
    return render(
        request,
        "jobs/posting_detail.html",
        {
            **context,
            "is_preview": not is_public,
            "json_ld": (
                json_ld_script(posting_json_ld(posting, locations))
                if is_public and not context["ended"]
                else ""
            ),
        },
    )


def _can_preview(user, posting: Posting) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_staff or is_member(company=posting.company, user=user)


def salary_text(posting: Posting) -> str:
    low, high = posting.salary_min, posting.salary_max
    if low is None and high is None:
        return ""
    if low is not None and high is not None and low != high:
        amount = f"{low:,}–{high:,}"
    elif low is not None and high is not None:
        amount = f"{low:,}"
    elif low is not None:
        amount = f"from {low:,}"
    else:
        amount = f"up to {high:,}"
    currency = posting.salary_currency or ""
    return f"{currency} {amount} {posting.get_salary_period_display()}".strip()


NOT_YET_PUBLIC = (PostingStatus.DRAFT, PostingStatus.SUBMITTED, PostingStatus.REJECTED)


def posting_page_context(posting: Posting, locations: list) -> dict:
    """What the posting page (and the employer/staff previews) render."""
    today = timezone.localdate()
    days_left = (
        (posting.application_deadline - today).days if posting.application_deadline else None
    )
    ended = posting.has_ended or (posting.status == PostingStatus.PUBLISHED and not posting.is_open)
    return {
        "posting": posting,
        "ended": ended,
        "description_html": mark_safe(clean_html(posting.description)),  # noqa: S308
        "salary": salary_text(posting),
        "company": posting.company,
        "group": posting.company.group,
        "locations": locations,
        "days_left": days_left if not ended else None,
        "canonical_url": absolute(posting.get_absolute_url()) if posting.pk else "",
        "teaser": posting_plain_summary(posting),
        # Save and Track: a posting that was public (drafts and previews cannot be kept).
        "keepable": bool(posting.pk) and posting.status not in NOT_YET_PUBLIC,
    }


@require_GET
def company_detail(request, slug: str):
    company = get_object_or_404(Company.objects.select_related("group"), slug=slug)
    now = timezone.now()
    postings = (
        Posting.objects.published()
        .filter(company=company)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .prefetch_related("locations")
        .order_by("-published_at", "-id")
    )
    return render(
        request,
        "jobs/company_detail.html",
        {
            "company": company,
            "description_html": mark_safe(clean_html(company.description)),  # noqa: S308
            "group": company.group,
            "postings": postings,
            "canonical_url": absolute(company.get_absolute_url()),
        },
    )
