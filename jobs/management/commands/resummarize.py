"""Recompute job summaries made by an older engine version (or all of them)."""

from django.core.management.base import BaseCommand

from jobs.summary import ENGINE_VERSION
from jobs.summary.services import posting_summary_refresh, postings_needing_summary


class Command(BaseCommand):
    help = (
        "Summarize postings whose summary is missing or older than the engine version: "
        "enqueues a Celery task per posting, or computes them here with --sync."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            dest="everything",
            action="store_true",
            help="Every posting, whatever its version.",
        )
        parser.add_argument(
            "--batch", type=int, default=500, help="Postings read per query (default 500)."
        )
        parser.add_argument(
            "--sync", action="store_true", help="Compute here instead of enqueuing."
        )

    def handle(self, *args, everything=False, batch=500, sync=False, **options):
        from jobs.summary.tasks import summarize_posting

        batch = max(1, batch)
        qs = postings_needing_summary(everything=everything).select_related("company__group")
        last_pk, done, skipped = 0, 0, 0
        while True:
            chunk = list(qs.filter(pk__gt=last_pk)[:batch])
            if not chunk:
                break
            for posting in chunk:
                if sync:
                    if posting_summary_refresh(posting=posting):
                        done += 1
                    else:
                        skipped += 1
                else:
                    summarize_posting.delay(posting.pk)
                    done += 1
            last_pk = chunk[-1].pk
        verb = "Summarized" if sync else "Enqueued"
        line = f"{verb} {done} posting{'s' if done != 1 else ''} (engine version {ENGINE_VERSION})"
        if skipped:
            line += f"; {skipped} changed meanwhile and will be summarized by their own task"
        self.stdout.write(self.style.SUCCESS(line + "."))
