"""manage.py source_sync ID: one sync now, in the foreground; prints the counts."""

from django.core.management.base import BaseCommand, CommandError

from jobs.models import Source, SourceStatus
from jobs.sources import services


class Command(BaseCommand):
    help = "Sync one live source now and print created / updated / closed / unchanged / failed."

    def add_arguments(self, parser):
        parser.add_argument("id", type=int)
        parser.add_argument(
            "--allow-closing",
            action="store_true",
            help="Close postings even past the safety threshold (the board really emptied).",
        )

    def handle(self, *args, id, allow_closing, **options):
        source = Source.objects.select_related("company").filter(pk=id).first()
        if source is None:
            raise CommandError(f"No source with id {id}.")
        if not services.source_claim(source_id=id):
            raise CommandError(f"Source {id} is being synced by another run right now.")
        try:
            if allow_closing:
                Source.objects.filter(pk=id).update(allow_mass_close=True)
                source.allow_mass_close = True
            result = services.source_sync(source=source)
        finally:
            services.source_release(source_id=id)
        c = result.counts()
        self.stdout.write(
            f"created {c['created']}  updated {c['updated']}  closed {c['closed']}  "
            f"unchanged {c['unchanged']}  failed {c['failed']}"
            + (f"  merged {c['merged']}" if c["merged"] else "")
            + (f"  extended {c['extended']}" if c["extended"] else "")
        )
        if result.status == SourceStatus.DEGRADED:
            raise CommandError(f"degraded: {result.error}")
        if result.held_reason:
            self.stderr.write(f"held: {result.held_reason}")
        for problem in result.problems[:20]:
            self.stderr.write(f"  {problem}")
