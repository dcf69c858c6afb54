# Company logos (issue 20): the bytes in their own table, a version stamp on the company.

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0016_search_vector_summary_weights"),
    ]

    operations = [
        migrations.AddField(
            model_name="company",
            name="logo_updated_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.CreateModel(
            name="CompanyLogo",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("image", models.BinaryField()),
                ("content_type", models.CharField(default="image/webp", max_length=30)),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "company",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="logo",
                        to="jobs.company",
                    ),
                ),
            ],
        ),
    ]
