"""manage.py source_add KIND URL --company NAME: add a live source; prints its id."""

from django.core.management.base import BaseCommand, CommandError

from jobs.models import Company, SourceTrust
from jobs.sources.connectors import KINDS
from jobs.sources.services import SourceError, source_create


class Command(BaseCommand):
    help = "Add a live source (a company's ATS board or feed). Prints the new source's id."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument("url", help="The board's full URL, or its token (board name).")
        parser.add_argument("--company", required=True, help="Company name (created if new).")
        parser.add_argument("--trust", choices=SourceTrust.values, default=SourceTrust.REVIEW)
        parser.add_argument("--every", type=int, default=60, help="Minutes between syncs.")
        parser.add_argument("--country", default="", help="Default country (ISO code).")

    def handle(self, *args, kind, url, company, trust, every, country, **options):
        name = company.strip()
        if not name:
            raise CommandError("--company: give the company's name.")
        found = Company.objects.filter(name__iexact=name).first()
        if found is None:
            from jobs.imports.importers import _unique_company_slug

            found = Company.objects.create(name=name, slug=_unique_company_slug(name))
        try:
            source = source_create(
                kind=kind,
                endpoint=url,
                company=found,
                trust=trust,
                schedule_minutes=every,
                default_country=country.upper(),
            )
        except SourceError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(source.pk))
