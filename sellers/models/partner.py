from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    APPLICATIONS_READ = "applications:read", _("Read applications")
    APPLICATIONS_WRITE = "applications:write", _("Create, edit and submit applications")
    EVIDENCE_WRITE = "evidence:write", _("Upload evidence")
    WEBHOOKS_MANAGE = "webhooks:manage", _("Manage webhooks")
    # Only keys of partner organisations marked as marketplace systems may carry this one.
    INDICATORS_WRITE = "indicators:write", _("Update seller indicators")
    # The program's roster of admitted brands, which is public to the marketplace's partners.
    ROSTER_READ = "roster:read", _("Read the roster of admitted brands")
    # Only for keys held by a platform reviewer, for internal review tools.
    REVIEW = "review", _("Work the review queues as the reviewer holding the key")


# What a granted partner may then do with each scope its keys carry, in the seller's words.
# Only these scopes reach a company's data through a grant; the others need none.
GRANT_SCOPE_CONSEQUENCES = {
    Scope.APPLICATIONS_READ: _(
        "See all your company's applications, brands, trademarks and uploaded documents, "
        "with their status, history and conversation with the review team."
    ),
    Scope.APPLICATIONS_WRITE: _(
        "Create applications for your company, change them, submit them for review and write "
        "to the review team, as your staff would."
    ),
    Scope.EVIDENCE_WRITE: _("Upload documents as evidence to your company's applications."),
    Scope.WEBHOOKS_MANAGE: _(
        "Have its own systems told automatically whenever one of your applications changes."
    ),
}


class PartnerOrganization(models.Model):
    """An agency or service provider that runs applications for the sellers who allow it."""

    name = models.CharField(_("name"), max_length=255, unique=True)
    contact_email = models.EmailField(_("contact email"))
    # The marketplace's own systems, which feed sellers' operating indicators; not an agency.
    is_marketplace_system = models.BooleanField(_("marketplace system"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")

    def __str__(self) -> str:
        return self.name


class PartnerGrant(models.Model):
    """A seller's permission for a partner to act on its applications."""

    partner = models.ForeignKey(
        PartnerOrganization, on_delete=models.CASCADE, related_name="grants"
    )
    company = models.ForeignKey(
        "sellers.SellerCompany", on_delete=models.CASCADE, related_name="partner_grants"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-granted_at"]
        verbose_name = _("partner grant")
        verbose_name_plural = _("partner grants")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "company"],
                condition=models.Q(revoked_at__isnull=True),
                name="grant_one_active_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner} for {self.company}"


class ApiKey(models.Model):
    """A bearer key; only its SHA-256 is stored, the prefix identifies it in lists and logs."""

    name = models.CharField(_("name"), max_length=120)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(_("scopes"), default=list)
    partner = models.ForeignKey(
        PartnerOrganization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="api_keys",
    )
    company = models.ForeignKey(
        "sellers.SellerCompany",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="api_keys",
    )
    staff_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="review_api_keys",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    partner__isnull=False, company__isnull=True, staff_user__isnull=True
                )
                | models.Q(partner__isnull=True, company__isnull=False, staff_user__isnull=True)
                | models.Q(partner__isnull=True, company__isnull=True, staff_user__isnull=False),
                name="api_key_has_one_holder",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        now = timezone.now()
        # A reviewer's key dies with the reviewer's account.
        holder_active = self.staff_user_id is None or self.staff_user.is_active
        return (
            holder_active
            and self.revoked_at is None
            and (self.expires_at is None or self.expires_at > now)
        )


class IdempotencyRecord(models.Model):
    """The answer to a POST sent with an ``Idempotency-Key``, committed with the write it
    answers, so a retry after a lost answer gets it even if the cache lost its copy."""

    api_key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="+")
    # SHA-256 of the caller's key, which may be any printable text up to 255 characters.
    key_digest = models.CharField(max_length=64)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    body = models.JSONField(null=True)
    content_type = models.CharField(max_length=100, blank=True)
    headers = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["api_key", "key_digest"], name="idempotency_once")
        ]

    def __str__(self) -> str:
        return f"{self.key_digest[:12]}… → {self.status_code}"
