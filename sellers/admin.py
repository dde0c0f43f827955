from django.contrib import admin

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
    Membership,
    PartnerGrant,
    PartnerOrganization,
    Program,
    RequestedEvidence,
    SellerCompany,
    Trademark,
)


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
    list_display = ["name", "capacity", "opens_on", "closes_on"]
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
    fields = ["kind", "original_name", "detected_type", "size", "sha256", "uploaded_at"]
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
    ]
    raw_id_fields = ["company", "brand", "trademark"]
    inlines = [EvidenceInline, EventInline]


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
    list_display = ["name", "contact_email", "created_at"]


@admin.register(PartnerGrant)
class PartnerGrantAdmin(admin.ModelAdmin):
    list_display = ["partner", "company", "granted_at", "revoked_at"]
    list_select_related = ["partner", "company"]


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


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(admin.ModelAdmin):
    list_display = ["reviewer", "company", "reason", "declared_at", "withdrawn_at"]
    list_select_related = ["reviewer", "company"]
    search_fields = ["reviewer__username", "company__legal_name"]
    # Declared and withdrawn by the reviewers themselves, on their page; here only read.
    readonly_fields = ["reviewer", "company", "reason", "declared_at", "withdrawn_at"]

    def has_add_permission(self, request) -> bool:
        return False
