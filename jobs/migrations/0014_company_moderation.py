# Issue 16 point 3: companies go through staff review. Existing rows count as approved (the
# field's default) and get their name key for the copied-name check.

import unicodedata

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def company_name_key(name):
    # A copy of jobs.models.company_name_key as it was when this migration was written.
    folded = unicodedata.normalize("NFKD", name or "").casefold()
    return "".join(ch for ch in folded if ch.isalnum())[:200]


def fill_name_keys(apps, schema_editor):
    Company = apps.get_model("jobs", "Company")
    batch = []
    for company in Company.objects.only("pk", "name").iterator(chunk_size=2000):
        company.name_key = company_name_key(company.name)
        batch.append(company)
        if len(batch) >= 2000:
            Company.objects.bulk_update(batch, ["name_key"])
            batch = []
    if batch:
        Company.objects.bulk_update(batch, ["name_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0013_bounded_dates"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="company",
            name="name_key",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=200),
        ),
        migrations.AddField(
            model_name="company",
            name="pending_name",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name="company",
            name="rejection_reason",
            field=models.TextField(
                blank=True,
                max_length=2000,
                validators=[django.core.validators.MaxLengthValidator(2000)],
            ),
        ),
        migrations.AddField(
            model_name="company",
            name="reviewed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="company",
            name="reviewed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="reviewed_companies",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="company",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "Pending review"),
                    ("approved", "Approved"),
                    ("rejected", "Rejected"),
                ],
                default="approved",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="company",
            name="submitted_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name="company",
            index=models.Index(
                condition=models.Q(("status", "pending"))
                | models.Q(("pending_name", ""), _negated=True),
                fields=["submitted_at"],
                name="company_review_queue",
            ),
        ),
        migrations.RunPython(fill_name_keys, migrations.RunPython.noop),
    ]
