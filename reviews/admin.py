from django.contrib import admin

from reviews.models import CheckResult, ScreeningRun


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
