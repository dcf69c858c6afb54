"""Placeholder views: the search (jobs/search.py) and posting pages replace these."""

from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from jobs.models import Company, Posting


@require_GET
def posting_list(request):
    postings = Posting.objects.published().select_related("company")[:20]
    return render(request, "jobs/posting_list.html", {"postings": postings})


@require_GET
def posting_detail(request, pk: int, slug: str):
    posting = get_object_or_404(Posting.objects.visible().select_related("company"), pk=pk)
    if posting.slug != slug:
        return redirect(posting, permanent=True)
    return render(request, "jobs/posting_detail.html", {"posting": posting})


@require_GET
def company_detail(request, slug: str):
    company = get_object_or_404(Company, slug=slug)
    return render(request, "jobs/company_detail.html", {"company": company})
