"""manage.py load_rates FILE.csv: load reference exchange rates (currency,rate_to_eur,as_of)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jobs.salaries import RatesFileError, exchange_rates_load, parse_rates_csv


class Command(BaseCommand):
    help = "Load reference exchange rates from a CSV (header: currency,rate_to_eur,as_of)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        try:
            rows = parse_rates_csv(text)
        except RatesFileError as exc:
            raise CommandError("\n".join(["Nothing loaded:", *exc.problems])) from exc
        created, updated = exchange_rates_load(rows=rows)
        self.stdout.write(f"{created} rates created, {updated} updated.")
