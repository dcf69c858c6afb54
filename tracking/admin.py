from django.contrib import admin

from tracking.models import (
    Application,
    CalendarFeedToken,
    Contact,
    Interview,
    Note,
    Reminder,
    Stage,
    StageChange,
    TrackingSettings,
)


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "key", "kind", "position", "archived"]
    list_filter = ["kind", "archived", "key"]
    search_fields = ["name", "user__email"]
    raw_id_fields = ["user"]


class StageChangeInline(admin.TabularInline):
    model = StageChange
    fk_name = "application"
    extra = 0
    raw_id_fields = ["from_stage", "to_stage", "by"]


class NoteInline(admin.StackedInline):
    model = Note
    extra = 0
    readonly_fields = ["body_html"]


class ReminderInline(admin.TabularInline):
    model = Reminder
    extra = 0


class InterviewInline(admin.StackedInline):
    model = Interview
    extra = 0


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["title", "company_name", "user", "stage", "applied_at", "last_activity_at"]
    list_filter = ["archived", "stage__key"]
    search_fields = ["title", "company_name", "user__email"]
    raw_id_fields = ["user", "posting", "stage"]
    inlines = [StageChangeInline, NoteInline, ReminderInline, InterviewInline, ContactInline]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["application", "due_at", "status", "sent_at"]
    list_filter = ["status"]
    raw_id_fields = ["application"]


@admin.register(Interview)
class InterviewAdmin(admin.ModelAdmin):
    list_display = ["application", "starts_at", "timezone", "kind"]
    list_filter = ["kind"]
    raw_id_fields = ["application"]


@admin.register(CalendarFeedToken)
class CalendarFeedTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "revoked_at"]
    raw_id_fields = ["user"]
    exclude = ["token"]


@admin.register(TrackingSettings)
class TrackingSettingsAdmin(admin.ModelAdmin):
    list_display = ["user", "stale_after_days"]
    raw_id_fields = ["user"]


# --- notifications (issue 7) ---

from tracking.models import Notification, SavedSearch  # noqa: E402


class NotificationEmailFilter(admin.SimpleListFilter):
    title = "email"
    parameter_name = "email"

    def lookups(self, request, model_admin):
        return [("failed", "Failed or retrying"), ("pending", "Pending"), ("sent", "Sent")]

    def queryset(self, request, queryset):
        from tracking.models import EmailStatus

        if self.value() == "failed":
            return queryset.exclude(email_status=EmailStatus.SENT).exclude(last_error="")
        if self.value() in ("pending", "sent"):
            return queryset.filter(email_status=self.value())
        return queryset


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "subject",
        "user",
        "kind",
        "email_status",
        "attempts",
        "emailed_at",
        "created_at",
    ]
    list_filter = [NotificationEmailFilter, "kind", "email_status"]
    search_fields = ["dedupe_key", "user__email", "subject"]
    raw_id_fields = ["user", "sent_with"]
    readonly_fields = ["dedupe_key", "message_id", "last_error", "attempts", "emailed_at"]
    date_hierarchy = "created_at"


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "frequency", "paused", "last_run_at"]
    list_filter = ["frequency", "paused"]
    raw_id_fields = ["user"]


# --- saved jobs and collections (issue 5) ---

from tracking.models import Collection, SavedJob  # noqa: E402


@admin.register(SavedJob)
class SavedJobAdmin(admin.ModelAdmin):
    list_display = ["posting", "user", "saved_at"]
    search_fields = ["user__email", "posting__title", "note"]
    raw_id_fields = ["user", "posting"]
    filter_horizontal = ["collections"]
    date_hierarchy = "saved_at"


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "created_at"]
    search_fields = ["name", "user__email"]
    raw_id_fields = ["user"]
