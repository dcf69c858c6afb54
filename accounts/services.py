"""Use cases of the accounts app: the user's data export and account deletion."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib.admin.utils import NestedObjects
from django.db import router, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from accounts.models import User

# Fields that are secrets, not the user's data: never exported.
REDACTED_FIELDS = {
    "accounts.user": {"password"},
    "mfa.authenticator": {"data"},
    "tracking.calendarfeedtoken": {"token"},
    "accounts.apitoken": {"token_hash"},
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


def _exported_value(obj: Any, field: Any) -> Any:
    """A field's value as JSON can hold it: a relation as its id, an uploaded file as its
    stored name ("" when there is none; the file itself is downloaded from its page)."""
    if field.is_relation:
        return getattr(obj, field.attname)
    value = field.value_from_object(obj)
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


def user_data_export(*, user: User) -> dict[str, Any]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for obj in _owned_objects(user):
        label = obj._meta.label_lower
        redacted = REDACTED_FIELDS.get(label, set())
        grouped[label].append(
            {
                field.name: _exported_value(obj, field)
                for field in obj._meta.concrete_fields
                if field.name not in redacted
            }
        )
    return {
        "format": "jobtrail-export/1",
        "exported_at": timezone.now().isoformat(),
        "user": user.email,
        "data": dict(sorted(grouped.items())),
    }


def user_data_summary(*, user: User) -> list[tuple[str, int]]:
    """What the export holds and what deleting the account removes: (kind of row, count)."""
    counts: dict[str, int] = defaultdict(int)
    names: dict[str, str] = {}
    for obj in _owned_objects(user):
        label = obj._meta.label_lower
        counts[label] += 1
        names[label] = str(
            obj._meta.verbose_name if counts[label] == 1 else obj._meta.verbose_name_plural
        )
    names["accounts.user"] = "Account"
    return [(names[label].capitalize(), counts[label]) for label in sorted(counts)]


@transaction.atomic
def account_delete(*, user: User) -> dict[str, int]:
    """Delete the user and every row they own; returns the count per model."""
    _total, per_model = user.delete()
    return per_model
