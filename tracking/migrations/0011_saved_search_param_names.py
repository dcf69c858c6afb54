"""Saved searches stored `min_salary` / `posted_within` (the form's names) where the search
reads `salary` / `posted`: the digests ignored those filters. Rename them in place."""

from django.db import migrations
from django.http import QueryDict

RENAMED = {"min_salary": "salary", "posted_within": "posted"}


def rename_params(apps, schema_editor):
    SavedSearch = apps.get_model("tracking", "SavedSearch")
    for search in SavedSearch.objects.filter(
        querystring__regex=r"(^|&)(min_salary|posted_within)="
    ).iterator():
        old = QueryDict(search.querystring)
        new = QueryDict(mutable=True)
        for key in old:
            new.setlist(RENAMED.get(key, key), old.getlist(key))
        search.querystring = new.urlencode()[:1000]
        search.save(update_fields=["querystring"])


class Migration(migrations.Migration):
    dependencies = [
        ("tracking", "0010_bounded_dates"),
    ]

    operations = [
        migrations.RunPython(rename_params, migrations.RunPython.noop),
    ]
