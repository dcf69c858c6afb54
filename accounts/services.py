"""Use cases of the accounts app: the user's data export and account deletion."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib.admin.utils import NestedObjects
from django.core import serializers
from django.db import router, transaction
from django.utils import timezone

from accounts.models import User

# Fields that are secrets, not the user's data: never exported.
REDACTED_FIELDS = {
    "accounts.user": {"password"},
    "mfa.authenticator": {"data"},
}


def _owned_objects(user: User) -> list[Any]:
    """Every row that belongs to the user: what deleting the user would cascade to.

    Found with the same collector the admin uses for its delete confirmation, so models added
    later (saved jobs, applications, notes, ...) are exported and deleted without changes here.
    """
    collector = NestedObjects(using=router.db_for_write(User))
    collector.collect([user])
    objects: list[Any] = []

    def flatten(items):
        for item in items:
            if isinstance(item, list):
                flatten(item)
            else:
                objects.append(item)

    flatten(collector.nested())
    return objects


def user_data_export(*, user: User) -> dict[str, Any]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for obj in _owned_objects(user):
        label = obj._meta.label_lower
        (row,) = serializers.serialize("python", [obj])
        fields = {
            k: v for k, v in row["fields"].items() if k not in REDACTED_FIELDS.get(label, set())
        }
        grouped[label].append({"id": row["pk"], **fields})
    return {
        "format": "jobtrail-export/1",
        "exported_at": timezone.now().isoformat(),
        "user": user.email,
        "data": dict(sorted(grouped.items())),
    }


@transaction.atomic
def account_delete(*, user: User) -> dict[str, int]:
    """Delete the user and every row they own; returns the count per model."""
    _total, per_model = user.delete()
    return per_model
