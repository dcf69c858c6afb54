"""`manage.py import_postings FILE [--source NAME] [--skip-invalid] [--dry-run]`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jobs.imports.importers import DEFAULT_SOURCE, MAX_BYTES, import_postings


class Command(BaseCommand):
    help = (
        "Import postings from a CSV, JSON or schema.org JobPosting JSON-LD file. "
        "Idempotent on (source, external_id); all-or-nothing unless --skip-invalid."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to a .csv, .json or .jsonld file")
        parser.add_argument(
            "--source",
            default=DEFAULT_SOURCE,
            help=f"Name of the feed the file comes from (default: {DEFAULT_SOURCE}); "
            "re-importing with the same source updates instead of duplicating.",
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import the valid rows and report the invalid ones instead of rejecting the file.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Validate and report without saving anything."
        )

    def handle(self, *args, file, source, skip_invalid, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file.")
        if path.stat().st_size > MAX_BYTES:
            raise CommandError(
                f"{file}: the file is {path.stat().st_size / 1024 / 1024:.1f} MB; "
                f"the limit is {MAX_BYTES / 1024 / 1024:.0f} MB. Split it into smaller files."
            )
        report = import_postings(
            path.read_bytes(),
            filename=path.name,
            source=source,
            skip_invalid=skip_invalid,
            dry_run=dry_run,
        )
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(f"warning: {warning}"))
        if not report.ok:
            for error in report.errors:
                self.stderr.write(self.style.ERROR(f"error: {error}"))
            raise CommandError(f"{file}: {report.summary()}")
        self.stdout.write(self.style.SUCCESS(report.summary()))
        for skipped in report.skipped:
            self.stdout.write(self.style.WARNING(str(skipped)))
