from django.contrib import admin

from reviews.models import (
    CheckResult,
    RecertificationCase,
    RecertificationRun,
    ReferenceMark,
    RegistryMark,
    ScreeningRequest,
    ScreeningRun,
)


class CheckResultInline(admin.TabularInline):
    model = CheckResult
    extra = 0
    fields = ["check_code", "outcome", "score", "explanation", "duration_ms"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ScreeningRun)
class ScreeningRunAdmin(admin.ModelAdmin):
    list_display = ["pk", "application", "state", "risk_score", "started_at", "finished_at"]
    list_filter = ["state"]
    readonly_fields = ["application", "state", "risk_score", "started_at", "finished_at"]
    inlines = [CheckResultInline]


@admin.register(CheckResult)
class CheckResultAdmin(admin.ModelAdmin):
    list_display = ["run", "check_code", "outcome", "score", "duration_ms"]
    list_filter = ["check_code", "outcome"]


@admin.register(ScreeningRequest)
class ScreeningRequestAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "application",
        "created_at",
        "published_at",
        "publish_attempts",
        "handled_at",
    ]
    list_filter = ["handled_at"]
    # The outbox is written by the workflow and drained by the sweep; here it is only read.
    readonly_fields = [
        "application",
        "created_at",
        "published_at",
        "publish_attempts",
        "handled_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(RegistryMark)
class RegistryMarkAdmin(admin.ModelAdmin):
    list_display = ["office", "number", "serial", "mark_literal", "status_state", "owner_name"]
    list_filter = ["office", "status_state", "data_version"]
    search_fields = ["number", "serial", "mark_literal", "owner_name"]

    # Registry data arrives only through `import_registry`, which records its data version.
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ReferenceMark)
class ReferenceMarkAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "owner", "source", "list_version"]
    list_filter = ["kind", "list_version"]
    search_fields = ["name", "owner"]

    # The list is versioned data loaded by `load_reference_marks`, which also derives the
    # look-alike skeleton and sound key; an edit here would leave those stale.
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RecertificationRun, RecertificationCase)
class RecertificationAdmin(admin.ModelAdmin):
    """Read-only: runs are written by the checks, cases settled on the reviewer pages, where
    every status change goes through the workflow."""

    list_display = ["__str__", "state"]
    list_filter = ["state"]
    raw_id_fields = ["application"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
