"""Recompute every posting's search vector and the "did you mean" word list."""

from django.core.management.base import BaseCommand

from config.page_cache import bump_generation
from jobs.board.search import refresh_search_terms, refresh_search_vectors


class Command(BaseCommand):
    help = "Recompute search vectors (all postings) and the did-you-mean word list."

    def add_arguments(self, parser):
        parser.add_argument(
            "--terms-only", action="store_true", help="only rebuild the did-you-mean word list"
        )

    def handle(self, *args, terms_only: bool = False, **options):
        if not terms_only:
            n = refresh_search_vectors()
            bump_generation()  # a raw UPDATE of every posting: searches may answer differently
            self.stdout.write(f"Search vectors refreshed for {n} postings.")
        words = refresh_search_terms()
        self.stdout.write(f"Did-you-mean word list: {words} words.")
