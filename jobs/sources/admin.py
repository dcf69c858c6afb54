"""Admin of live sources (registered from jobs/admin.py's import of this module)."""

from django.contrib import admin

from jobs.models import PostingSource, Source, SourceRun


class PostingSourceInline(admin.TabularInline):
    """On a posting's admin page: the sources that list it."""

    model = PostingSource
    extra = 0
    max_num = 0
    can_delete = False
    fields = ("source", "external_id", "url", "first_seen_at", "gone_at")
    readonly_fields = fields


@admin.register(SourceRun)
class SourceRunAdmin(admin.ModelAdmin):
    """The history, read-only (written by syncs only); filter by source from its page."""

    list_display = ("source", "started_at", "status", "listed", "created", "updated", "closed",
                    "unchanged", "failed")  # fmt: skip
    list_filter = ("status", "source__kind")
    raw_id_fields = ("source",)
    date_hierarchy = "started_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("company", "kind", "trust", "status", "degraded", "paused", "last_run_at",
                    "next_run_at", "live_jobs")  # fmt: skip
    list_filter = ("kind", "trust", "status", "degraded", "paused")
    search_fields = ("company__name", "url", "endpoint")
    autocomplete_fields = ("company",)
    raw_id_fields = ("created_by",)
    readonly_fields = ("url", "status", "degraded", "last_error", "held_reason", "last_run_at",
                       "last_success_at", "last_counts", "consecutive_failures", "live_jobs",
                       "etag", "last_modified", "claimed_until", "created_at")  # fmt: skip

    def save_model(self, request, obj, form, change):
        from jobs.sources.connectors import connector

        obj.url = connector(obj.kind).endpoint_url(obj.endpoint)
        super().save_model(request, obj, form, change)


@admin.register(PostingSource)
class PostingSourceAdmin(admin.ModelAdmin):
    list_display = ("external_id", "source", "posting", "first_seen_at", "gone_at")
    list_filter = ("source__kind",)
    search_fields = ("external_id", "posting__title")
    raw_id_fields = ("posting", "source")
