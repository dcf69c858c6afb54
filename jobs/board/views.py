"""The public board's pages: search (/jobs/), a posting's page, a company's page. Thin: the
search is jobs/board/search/, the other reads jobs/board/selectors.py."""

from __future__ import annotations

import functools
from dataclasses import replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET
from django_htmx.http import push_url

from config.http import HtmxHttpRequest
from config.site import absolute_url
from jobs.board import currency
from jobs.board.selectors import company_open_postings, posting_for_page, reader_state
from jobs.board.structured_data import (
    json_ld_script,
    posting_json_ld,
    posting_plain_summary,
)
from jobs.common import salary_text
from jobs.employer.services import is_member
from jobs.models import Company, CompanyLogo, Posting, PostingStatus
from jobs.sanitize import clean_html
from jobs.sources.selectors import listed_at
from jobs.summary.web import PAGE_FACTS, summary_context
from tracking.saved.selectors import saved_posting_ids

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

PUBLIC_STATUSES = (PostingStatus.PUBLISHED, PostingStatus.CLOSED, PostingStatus.EXPIRED)


@require_GET
def posting_list(request: HtmxHttpRequest):
    """Browse and search (jobs/board/search/). htmx requests get the results region only, and the
    address bar follows the search."""
    from jobs.board import search

    params, notices = search.parse_search_params(request.GET)
    explicit_currency = params.salary_currency
    currency_default = currency.default_currency(request)
    # The reader's own currency converts the salaries and reads the salary filter; the page's
    # links keep only an explicit choice (a default stays a default), "Save this search" keeps it.
    searched = replace(params, salary_currency=explicit_currency or currency_default)
    result = search.search_postings(searched, page=search.parse_page(request.GET.get("page")))
    result.params = params  # its links (pages, "did you mean") keep the URL's own currency
    list_query = params.querystring(page=result.page)
    selected_id = search.parse_page(request.GET.get("selected")) if "selected" in request.GET else 0
    context = {
        "params": params,
        "notices": notices,
        "result": result,
        # The split view (≥ 1024 px): the list's URL query, and the posting shown beside it.
        "list_query": list_query,
        "cards": result.cards(
            select_url=f"{reverse('jobs:list')}?{list_query + '&' if list_query else ''}selected=",
            selected_id=selected_id,
        ),
        "selected_id": selected_id,
        "pane_html": _detail_pane(request, selected_id) if selected_id else "",
        # A callable: the template calls it only when it has not kept the currency list.
        "currency_options": functools.partial(search.currency_options, params, currency_default),
        "currency_default": currency_default,  # the kept currency list's key
        "save_search_query": (
            searched.querystring() if searched.salary_currency != "EUR" else params.querystring()
        ),
        "posted_choices": search.POSTED_WITHIN_CHOICES,
        "sort_choices": search.SORT_CHOICES,
        # Save buttons: which of this page's postings the user saved, in one query.
        "saved_ids": (
            saved_posting_ids(request.user, [hit.posting.pk for hit in result.hits])
            if request.user.is_authenticated
            else set()
        ),
        # Anonymous Save buttons link to log in (public pages carry no CSRF token); built once.
        "login_to_save_url": (
            ""
            if request.user.is_authenticated
            else f"{reverse('account_login')}?{urlencode({'next': request.get_full_path()})}"
        ),
    }
    partial = request.htmx and not request.htmx.history_restore_request
    response = render(
        request,
        "jobs/board/posting_list.html#results" if partial else "jobs/board/posting_list.html",
        context,
    )
    if partial:
        query = params.querystring(page=result.page)
        push_url(response, request.path + (f"?{query}" if query else ""))
    currency.remember_currency(request, response, explicit_currency)
    # The default currency comes from the browser's language (or the cookie, already in Vary).
    patch_vary_headers(response, ["HX-Request", "Accept-Language"])
    return response


def _detail_pane(request: HtmxHttpRequest, pk: int) -> str:
    """The split view's pane for a public posting (`?selected=`), or "" for any other id."""
    posting = posting_for_page(pk=pk)
    if posting is None or posting.status not in PUBLIC_STATUSES:
        return ""
    context = posting_page_context(posting, list(posting.locations.all()), user=request.user)
    return render_to_string("jobs/board/posting_list.html#detail_pane", context, request=request)


@require_GET
def posting_detail(request: HtmxHttpRequest, pk: int, slug: str):
    """The public page of a posting. Ended postings stay reachable (banner + noindex); drafts,
    submitted and rejected ones are a preview for the company's members and staff, 404 for others."""
    posting = posting_for_page(pk=pk)
    if posting is None:
        raise Http404("No such posting.")
    is_public = posting.status in PUBLIC_STATUSES
    if not is_public and not _can_preview(request.user, posting):
        raise Http404("No such posting.")
    if posting.slug != slug:
        return redirect(posting, permanent=True)
    locations = list(posting.locations.all())
    context = posting_page_context(posting, locations, user=request.user)
    if request.htmx and request.htmx.target == "detail-pane":
        # The search's split view: the posting's body beside the results (a partial).
        response = render(request, "jobs/board/posting_list.html#detail_pane", context)
        patch_vary_headers(response, ["HX-Request", "HX-Target"])
        return response
    response = render(
        request,
        "jobs/board/posting_detail.html",
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
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


def _can_preview(user, posting: Posting) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_staff or is_member(company=posting.company, user=user)


NOT_YET_PUBLIC = (PostingStatus.DRAFT, PostingStatus.SUBMITTED, PostingStatus.REJECTED)


def _facts_on_page(posting: Posting, locations: list) -> frozenset[str]:
    """The summary facts the page shows from the posting's own fields (each fact once). A field
    the posting leaves empty ("Not stated") keeps the fact the summary found in its text; the
    application limit is the company panel's when the group has a rule."""
    group = posting.company.group
    stated = {
        "level": bool(posting.level),
        "locations": bool(locations),
        "salary": posting.salary_min is not None or posting.salary_max is not None,
        "deadline": posting.application_deadline is not None,
        "application_limit": bool(group and group.application_rule),
    }
    return frozenset(k for k in (*PAGE_FACTS, "application_limit") if stated.get(k, True))


def posting_page_context(
    posting: Posting,
    locations: list,
    *,
    user: User | AnonymousUser | None = None,
    personal: bool = True,
) -> dict[str, Any]:
    """What the posting page (and the employer/staff previews) render, every query done here:
    the summary panel with the reader's skill match, and the reader's Save/Track state."""
    today = timezone.localdate()
    days_left = (
        (posting.application_deadline - today).days if posting.application_deadline else None
    )
    keepable = bool(posting.pk) and posting.status not in NOT_YET_PUBLIC
    state = reader_state(user=user, posting=posting)
    ended = posting.has_ended or (posting.status == PostingStatus.PUBLISHED and not posting.is_open)
    return {
        "posting": posting,
        "ended": ended,
        "description_html": mark_safe(clean_html(posting.description)),  # noqa: S308
        "salary": salary_text(
            posting.salary_min, posting.salary_max, posting.salary_currency, posting.salary_period
        ),
        "company": posting.company,
        "group": posting.company.group,
        "locations": locations,
        "days_left": days_left if not ended else None,
        "canonical_url": absolute_url(posting.get_absolute_url()) if posting.pk else "",
        "teaser": posting_plain_summary(posting),
        # Save and Track: a posting that was public (drafts and previews cannot be kept).
        "keepable": keepable,
        "summary_panel": (
            summary_context(
                posting=posting,
                user=user,
                personal=personal,
                shown_facts=_facts_on_page(posting, locations),
            )
            if posting.pk
            else None
        ),
        # The reader's state, read once here (the Save/Track partials render it).
        "saved_ids": state.saved_ids,
        "tracked": state.tracked,
        "usage": state.usage,
        # The boards that list it (one job, one posting: several after dedupe), for "Listed at".
        "listed_at": listed_at(posting=posting),
    }


@require_GET
def company_detail(request: HtmxHttpRequest, slug: str):
    company = get_object_or_404(Company.objects.select_related("group"), slug=slug)
    if not company.is_public and not (
        request.user.is_staff or is_member(company=company, user=request.user)
    ):
        raise Http404("No such company.")  # pending or rejected: only its members and staff
    postings = company_open_postings(company=company)
    return render(
        request,
        "jobs/board/company_detail.html",
        {
            "company": company,
            "description_html": mark_safe(clean_html(company.description)),  # noqa: S308
            "group": company.group,
            "postings": postings,
            "canonical_url": absolute_url(company.get_absolute_url()),
        },
    )


@require_GET
def company_logo(request: HttpRequest, slug: str) -> HttpResponse:
    """A company's logo; its URL carries the version (`Company.logo_url`), so it is cached long."""
    logo = get_object_or_404(CompanyLogo.objects.only("image", "content_type"), company__slug=slug)
    response = HttpResponse(bytes(logo.image), content_type=logo.content_type)
    patch_cache_control(response, public=True, max_age=31_536_000, immutable=True)
    response["X-Content-Type-Options"] = "nosniff"
    return response
