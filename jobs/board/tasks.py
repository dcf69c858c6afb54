"""Celery task of the board's search."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="jobs.tasks.refresh_search_terms")
def refresh_search_terms() -> int:
    """Beat: rebuild the "did you mean" word list so new titles and companies are suggested."""
    from django.db import transaction

    from jobs.board.search import refresh_search_terms as rebuild

    # One transaction: searches keep seeing the old list until the new one is complete.
    with transaction.atomic():
        return rebuild()
