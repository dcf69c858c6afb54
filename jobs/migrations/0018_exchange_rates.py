# Salaries in one currency and period (issue 20): reference rates, a yearly EUR range on every
# posting computed by a trigger, the default rates loaded and every posting backfilled.

import csv
from pathlib import Path

from django.db import migrations, models

# Frozen here (jobs.common.PERIOD_FACTORS today): a migration must not change when the code does.
PERIOD_FACTORS = {"hour": 2080, "day": 260, "week": 52, "month": 12, "year": 1}
_FACTOR = " ".join(f"WHEN '{k}' THEN {v}" for k, v in PERIOD_FACTORS.items())

CREATE_TRIGGER = f"""
CREATE FUNCTION jobs_posting_salary_eur() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    rate numeric;
    factor numeric := CASE NEW.salary_period {_FACTOR} ELSE 1 END;
BEGIN
    IF coalesce(NEW.salary_currency, '') IN ('', 'EUR') THEN
        rate := 1;  -- no currency stated reads as EUR
    ELSE
        SELECT r.rate_to_eur INTO rate FROM jobs_exchangerate r
        WHERE r.currency = upper(NEW.salary_currency);
    END IF;
    NEW.salary_eur_min := round(NEW.salary_min * factor * rate);
    NEW.salary_eur_max := round(NEW.salary_max * factor * rate);
    RETURN NEW;
END $$;
CREATE TRIGGER jobs_posting_salary_eur
    BEFORE INSERT OR UPDATE OF salary_min, salary_max, salary_currency, salary_period
    ON jobs_posting FOR EACH ROW EXECUTE FUNCTION jobs_posting_salary_eur();
"""  # noqa: S608 - constants
DROP_TRIGGER = """
DROP TRIGGER IF EXISTS jobs_posting_salary_eur ON jobs_posting;
DROP FUNCTION IF EXISTS jobs_posting_salary_eur();
"""
RATES_FILE = Path(__file__).resolve().parent.parent / "data" / "exchange_rates.csv"


def load_default_rates(apps, schema_editor):
    ExchangeRate = apps.get_model("jobs", "ExchangeRate")
    with RATES_FILE.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            ExchangeRate.objects.update_or_create(
                currency=row["currency"],
                defaults={"rate_to_eur": row["rate_to_eur"], "as_of": row["as_of"]},
            )
    # Backfill: touching a salary column fires the trigger.
    Posting = apps.get_model("jobs", "Posting")
    Posting.objects.filter(
        models.Q(salary_min__isnull=False) | models.Q(salary_max__isnull=False)
    ).update(salary_currency=models.F("salary_currency"))


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0017_company_logo"),
    ]

    operations = [
        migrations.AddField(
            model_name="posting",
            name="salary_eur_max",
            field=models.BigIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="posting",
            name="salary_eur_min",
            field=models.BigIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.CreateModel(
            name="ExchangeRate",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "currency",
                    models.CharField(
                        help_text="ISO 4217 code, e.g. PLN.", max_length=3, unique=True
                    ),
                ),
                (
                    "rate_to_eur",
                    models.DecimalField(
                        decimal_places=10, help_text="The value of one unit in EUR.", max_digits=20
                    ),
                ),
                ("as_of", models.DateField()),
            ],
            options={
                "ordering": ["currency"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("rate_to_eur__gt", 0)), name="rate_positive"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("currency__regex", "^[A-Z]{3}$")),
                        name="rate_currency_code",
                    ),
                ],
            },
        ),
        migrations.RunSQL(CREATE_TRIGGER, DROP_TRIGGER),
        migrations.RunPython(load_default_rates, migrations.RunPython.noop),
    ]
