from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.auth import get_user_model
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from reviews.models import (
    CheckResult,
    QueueItem,
    QueueMembership,
    RecertificationCase,
    RecertificationRun,
    ReferenceMark,
    RegistryMark,
    RegistryVerification,
    ReviewQueue,
    ScreeningRequest,
    ScreeningRun,
)
from reviews.queues import queue_items_assign
from sellers.actors import REVIEWER_GROUP, actor_for_user


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


class QueueMembershipInline(admin.TabularInline):
    model = QueueMembership
    extra = 1
    fields = ["reviewer", "is_lead", "last_assigned_at"]
    readonly_fields = ["last_assigned_at"]
    autocomplete_fields = ["reviewer"]


@admin.register(ReviewQueue)
class ReviewQueueAdmin(admin.ModelAdmin):
    list_display = ["name", "risk_level", "assignment_mode", "sla_business_days"]
    list_filter = ["risk_level", "assignment_mode"]
    filter_horizontal = ["categories"]
    inlines = [QueueMembershipInline]


class AssignActionForm(ActionForm):
    assignee = forms.ModelChoiceField(
        label=_("Reviewer"),
        required=False,
        queryset=get_user_model().objects.filter(groups__name=REVIEWER_GROUP, is_active=True),
    )


@admin.register(QueueItem)
class QueueItemAdmin(admin.ModelAdmin):
    list_display = [
        "application",
        "queue",
        "assignee",
        "priority",
        "entered_at",
        "due_at",
        "escalated_at",
        "closed_at",
    ]
    list_filter = ["queue", ("closed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["application__brand", "queue", "assignee"]
    ordering = ["closed_at", "due_at", "-priority", "entered_at"]
    # Items are opened, assigned and closed by the workflow; the admin assigns through it too.
    readonly_fields = [f.name for f in QueueItem._meta.fields]
    action_form = AssignActionForm
    actions = ["assign_selected"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Assign the selected items to the reviewer chosen"))
    def assign_selected(self, request, queryset):
        # Only this field of the action bar: the admin validates the action itself.
        try:
            assignee = AssignActionForm.base_fields["assignee"].clean(request.POST.get("assignee"))
        except forms.ValidationError:
            assignee = None
        if assignee is None:
            self.message_user(request, gettext("Choose the reviewer to assign."), messages.ERROR)
            return
        item_ids = list(queryset.values_list("pk", flat=True))
        refused = queue_items_assign(
            item_ids=item_ids, assignee=assignee, actor=actor_for_user(request.user)
        )
        done = len(item_ids) - len(refused)
        self.message_user(
            request,
            ngettext("%(count)s item assigned.", "%(count)s items assigned.", done)
            % {"count": done},
        )
        for item_id, message in refused.items():
            self.message_user(request, f"#{item_id}: {message}", messages.ERROR)


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


@admin.register(RegistryVerification)
class RegistryVerificationAdmin(admin.ModelAdmin):
    """Read-only: verifications are recorded on the workspace, which also re-runs the check;
    the capture is downloaded there, behind the reviewers' conflict-of-interest wall."""

    list_display = ["__str__", "status", "owner_name", "verified_by", "verified_at"]
    list_filter = ["office", "status"]
    search_fields = ["number", "owner_name", "mark_words"]
    exclude = ["capture"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
