from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from brandprogram.errors import ApplicationError
from sellers.actors import actor_for_user
from sellers.models import (
    ApiKey,
    Application,
    ApplicationEvent,
    AuthorizationLink,
    Brand,
    Category,
    CategoryRequirement,
    Certification,
    ConflictOfInterest,
    Evidence,
    Facility,
    IndicatorUpdate,
    Membership,
    PartnerGrant,
    PartnerOrganization,
    Program,
    RequestedEvidence,
    SellerCompany,
    Trademark,
    WebhookDelivery,
    WebhookEndpoint,
)
from sellers.services.decisions import decisions_release
from sellers.webhooks.deliveries import webhook_redeliver
from sellers.webhooks.endpoints import webhook_endpoint_release_waiting, webhook_endpoints_erase


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(SellerCompany)
class SellerCompanyAdmin(admin.ModelAdmin):
    list_display = ["legal_name", "country", "registration_number", "identity_status", "tier"]
    list_filter = ["identity_status", "tier", "country"]
    search_fields = ["legal_name", "registration_number"]
    filter_horizontal = ["main_categories"]
    # Computed by the monthly tiering run, with its history; a hand edit would bypass both.
    readonly_fields = ["tier", "indicators_measured_on"]
    inlines = [MembershipInline]


class CategoryRequirementInline(admin.TabularInline):
    model = CategoryRequirement
    extra = 1


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "nice_classes"]
    search_fields = ["name", "code"]
    inlines = [CategoryRequirementInline]


@admin.register(CategoryRequirement)
class CategoryRequirementAdmin(admin.ModelAdmin):
    list_display = ["category", "kind", "required"]
    list_editable = ["required"]
    list_filter = ["category", "kind", "required"]
    list_select_related = ["category"]


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "capacity", "stage_decisions", "opens_on", "closes_on"]
    prepopulated_fields = {"slug": ["name"]}


class TrademarkInline(admin.TabularInline):
    model = Trademark
    extra = 0


@admin.register(Brand)
class BrandAdmin(admin.ModelAdmin):
    list_display = ["name", "native_name", "company"]
    search_fields = ["name", "native_name", "company__legal_name"]
    list_select_related = ["company"]
    inlines = [TrademarkInline]


class AuthorizationLinkInline(admin.TabularInline):
    model = AuthorizationLink
    extra = 0


@admin.register(Trademark)
class TrademarkAdmin(admin.ModelAdmin):
    list_display = ["number", "office", "brand", "registration_status", "mark_type", "expires_on"]
    list_filter = ["office", "registration_status", "mark_type"]
    search_fields = ["number", "brand__name", "owner_name"]
    list_select_related = ["brand"]
    inlines = [AuthorizationLinkInline]


class CertificationInline(admin.TabularInline):
    model = Certification
    extra = 0


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    list_display = ["manufacturer_name", "company", "country", "ownership"]
    list_filter = ["ownership", "country"]
    list_select_related = ["company"]
    inlines = [CertificationInline]


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    fields = [
        "kind",
        "original_name",
        "detected_type",
        "size",
        "sha256",
        "uploaded_at",
        "withdrawn_at",
        "withdrawn_by_label",
        "replaced_by",
    ]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class EventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    fields = [
        "created_at",
        "actor_label",
        "action",
        "from_status",
        "to_status",
        "seller_visible",
        "note",
    ]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["pk", "brand", "company", "program", "status", "risk_score", "submitted_at"]
    list_filter = ["status", "program"]
    search_fields = ["brand__name", "company__legal_name"]
    list_select_related = ["brand", "company", "program"]
    # Status moves only through the workflow, so that every change leaves its event.
    readonly_fields = [
        "status",
        "assignee",
        "risk_score",
        "submitted_at",
        "decided_at",
        "created_by",
        "proposed_decision",
        "proposed_by",
        "escalated_at",
        "brand_score",
        "brand_score_parts",
        # Kept with the open queue item by reviews.queues.
        "in_queue",
    ]
    raw_id_fields = ["company", "brand", "trademark"]
    inlines = [EvidenceInline, EventInline]
    actions = ["release_staged_decisions"]

    @admin.action(description=_("Release the selected staged decisions to their sellers"))
    def release_staged_decisions(self, request, queryset):
        chosen = list(queryset.values_list("pk", flat=True))
        try:
            released = decisions_release(actor=actor_for_user(request.user), application_ids=chosen)
        except ApplicationError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return
        self.message_user(
            request,
            gettext("%(released)s of %(chosen)s decision(s) released; the sellers were notified.")
            % {"released": len(released), "chosen": len(chosen)},
            messages.SUCCESS,
        )


class RequestedEvidenceInline(admin.TabularInline):
    model = RequestedEvidence
    extra = 0
    readonly_fields = ["kind"]
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ApplicationEvent)
class ApplicationEventAdmin(admin.ModelAdmin):
    inlines = [RequestedEvidenceInline]
    list_display = [
        "created_at",
        "application",
        "action",
        "from_status",
        "to_status",
        "actor_label",
    ]
    list_filter = ["action", "seller_visible"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PartnerOrganization)
class PartnerOrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "contact_email", "is_marketplace_system", "created_at"]
    list_filter = ["is_marketplace_system"]


@admin.register(PartnerGrant)
class PartnerGrantAdmin(admin.ModelAdmin):
    list_display = ["partner", "company", "granted_by", "granted_at", "revoked_at", "revoked_by"]
    list_select_related = ["partner", "company", "granted_by", "revoked_by"]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "prefix",
        "partner",
        "company",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    # Keys are issued by the provision commands, which show the secret once; the admin only
    # inspects and revokes.
    readonly_fields = [
        "prefix",
        "key_hash",
        "partner",
        "company",
        "staff_user",
        "created_by",
        "last_used_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False


admin.site.register(Evidence)
admin.site.register(AuthorizationLink)
admin.site.register(Certification)
admin.site.register(Membership)


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ["url", "partner", "company", "is_active", "disabled_reason", "disabled_at"]
    list_filter = ["is_active", "disabled_reason"]
    list_select_related = ["partner", "company"]
    search_fields = ["url", "partner__name", "company__legal_name"]
    # Secrets never appear here; partners rotate them through the API.
    readonly_fields = ["partner", "company", "disabled_reason", "disabled_at", "created_at"]
    fields = ["url", "description", "event_types", "is_active", *readonly_fields]

    def has_add_permission(self, request) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        switched_on = change and "is_active" in form.changed_data and obj.is_active
        if switched_on:
            obj.disabled_reason, obj.disabled_at = "", None
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            # Switched on here as through the API: what waited meanwhile is sent.
            if switched_on:
                webhook_endpoint_release_waiting(endpoint_id=obj.pk)

    def delete_model(self, request, obj) -> None:
        webhook_endpoints_erase(WebhookEndpoint.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset) -> None:
        webhook_endpoints_erase(queryset)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "event_type",
        "event_id",
        "endpoint",
        "status",
        "attempts",
        "last_response_code",
        "next_attempt_at",
        "created_at",
    ]
    list_filter = ["status", "event_type"]
    list_select_related = ["endpoint"]
    search_fields = ["event_id", "endpoint__url"]
    actions = ["redeliver"]

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        return [field.name for field in WebhookDelivery._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Send the selected events again"))
    def redeliver(self, request, queryset) -> None:
        actor = actor_for_user(request.user)
        sent = refused = 0
        for delivery_id in queryset.values_list("pk", flat=True):
            try:
                webhook_redeliver(actor=actor, delivery_id=delivery_id)
                sent += 1
            except ApplicationError:
                refused += 1
        self.message_user(
            request, f"{sent} queued again; {refused} skipped because their endpoint is off."
        )


@admin.register(IndicatorUpdate)
class IndicatorUpdateAdmin(admin.ModelAdmin):
    list_display = ["company", "actor_label", "as_of", "created_at"]
    list_select_related = ["company"]
    search_fields = ["company__legal_name"]

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        return [field.name for field in IndicatorUpdate._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(admin.ModelAdmin):
    list_display = ["reviewer", "company", "reason", "declared_at", "withdrawn_at"]
    list_select_related = ["reviewer", "company"]
    search_fields = ["reviewer__username", "company__legal_name"]
    # Declared and withdrawn by the reviewers themselves, on their page; here only read.
    readonly_fields = ["reviewer", "company", "reason", "declared_at", "withdrawn_at"]

    def has_add_permission(self, request) -> bool:
        return False
