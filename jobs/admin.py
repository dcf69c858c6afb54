from django.contrib import admin, messages
from django.db import models

from jobs.employer import services
from jobs.models import (
    Company,
    CompanyGroup,
    CompanyMembership,
    ExchangeRate,
    ImportJob,
    Location,
    Posting,
)
from jobs.moderation import services as moderation_services
from jobs.salaries import postings_salary_renormalise
from jobs.sources.admin import PostingSourceInline

URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class CompanyInline(admin.TabularInline):
    model = Company
    formfield_overrides = URL_FIELDS
    fields = ("name", "slug", "website")
    extra = 0
    show_change_link = True


@admin.register(CompanyGroup)
class CompanyGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "application_limit")
    search_fields = ("name",)
    inlines = [CompanyInline]


class MembershipInline(admin.TabularInline):
    model = CompanyMembership
    raw_id_fields = ("user",)
    extra = 0


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ("name", "slug", "status", "pending_name", "group", "website", "created_at")
    list_filter = ("status", "group")
    readonly_fields = ("reviewed_by", "reviewed_at")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("group",)
    inlines = [MembershipInline]


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ("city", "region", "country")
    list_filter = ("country",)
    search_fields = ("city", "region")


@admin.register(Posting)
class PostingAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = (
        "title",
        "company",
        "status",
        "workplace",
        "submitted_at",
        "published_at",
        "expires_at",
    )
    list_filter = ("status", "workplace", "employment_type", "level", "source")
    inlines = [PostingSourceInline]  # the live sources that list it (one job, one posting)
    search_fields = ("title", "company__name", "external_id")
    date_hierarchy = "published_at"
    raw_id_fields = ("company", "created_by", "reviewed_by")
    filter_horizontal = ("locations",)
    readonly_fields = ("countries", "created_at", "updated_at", "submitted_at", "reviewed_by")
    actions = ["approve_selected"]

    @admin.action(description="Approve the selected submitted postings (emails the employers)")
    def approve_selected(self, request, queryset):
        approved = 0
        for posting in queryset.filter(status="submitted"):
            try:
                moderation_services.posting_approve(posting=posting, by=request.user)
            except services.JobsError as exc:
                self.message_user(request, f"{posting}: {exc}", messages.WARNING)
            else:
                approved += 1
        self.message_user(request, f"{approved} posting(s) approved.", messages.SUCCESS)


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Read-only: jobs are made by the upload page and run by the worker (jobs/imports/services.py).
    The file's bytes are never loaded here."""

    list_display = ("id", "filename", "source", "status", "accepted", "created", "updated")
    list_display += ("skipped", "problems", "created_by", "created_at")
    list_filter = ("status", "accepted", "dry_run")
    search_fields = ("filename", "source")
    list_select_related = ("created_by",)
    exclude = ("data",)
    readonly_fields = tuple(f.name for f in ImportJob._meta.fields if f.name != "data")

    def get_queryset(self, request):
        return super().get_queryset(request).defer("data")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    """Reference rates (`manage.py load_rates FILE.csv` loads many at once)."""

    list_display = ("currency", "rate_to_eur", "as_of")
    search_fields = ("currency",)

    def save_model(self, request, obj, form, change):
        obj.currency = obj.currency.upper()
        super().save_model(request, obj, form, change)
        postings_salary_renormalise(currencies=[obj.currency])

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        postings_salary_renormalise(currencies=[obj.currency])
