"""Stages and tracking settings are created at sign-up now (tracking/applications/signals.py),
no longer on the first page read: give every existing account the ones it lacks."""

from django.db import migrations

# The built-in stages as they were when this migration was written, in board order.
BUILTIN_STAGES = [
    ("saved", "Saved", "active"),
    ("applied", "Applied", "active"),
    ("screening", "Screening", "active"),
    ("interview", "Interview", "active"),
    ("offer", "Offer", "active"),
    ("accepted", "Accepted", "ending"),
    ("rejected", "Rejected", "ending"),
    ("withdrawn", "Withdrawn", "ending"),
    ("no_response", "No response", "ending"),
]


def backfill(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Stage = apps.get_model("tracking", "Stage")
    TrackingSettings = apps.get_model("tracking", "TrackingSettings")
    without_stages = User.objects.exclude(pk__in=Stage.objects.values("user_id"))
    for user_id in without_stages.values_list("pk", flat=True).iterator(chunk_size=2000):
        Stage.objects.bulk_create(
            [
                Stage(user_id=user_id, key=key, name=name, kind=kind, position=i)
                for i, (key, name, kind) in enumerate(BUILTIN_STAGES)
            ],
            ignore_conflicts=True,
        )
    without_settings = User.objects.exclude(pk__in=TrackingSettings.objects.values("user_id"))
    TrackingSettings.objects.bulk_create(
        [TrackingSettings(user_id=pk) for pk in without_settings.values_list("pk", flat=True)],
        ignore_conflicts=True,
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("tracking", "0004_notifications"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
