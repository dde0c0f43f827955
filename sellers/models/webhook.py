from django.db import models
from django.utils.translation import gettext_lazy as _


class WebhookEndpoint(models.Model):
    """An address that receives signed event messages, held by a partner or a seller company."""

    class DisabledReason(models.TextChoices):
        GONE = "gone", _("The endpoint answered 410 Gone")
        FAILING = "failing", _("Deliveries kept failing")
        OWNER = "owner", _("Switched off by its owner")

    partner = models.ForeignKey(
        "sellers.PartnerOrganization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="webhook_endpoints",
    )
    company = models.ForeignKey(
        "sellers.SellerCompany",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="webhook_endpoints",
    )
    url = models.URLField(_("URL"), max_length=2000)
    description = models.CharField(_("description"), max_length=200, blank=True)
    event_types = models.JSONField(_("event types"), default=list)
    is_active = models.BooleanField(_("active"), default=True)
    disabled_reason = models.CharField(
        _("disabled because"), max_length=16, choices=DisabledReason.choices, blank=True
    )
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(partner__isnull=False, company__isnull=True)
                | models.Q(partner__isnull=True, company__isnull=False),
                name="webhook_endpoint_has_one_holder",
            ),
        ]

    def __str__(self) -> str:
        return self.url


class WebhookSecret(models.Model):
    """A signing key of an endpoint. After a rotation the previous key keeps signing, beside
    the new one, until ``expires_at``, so receivers can switch without losing a message."""

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="secrets")
    # Kept readable: an HMAC needs the key itself, a digest of it would be useless here.
    secret = models.CharField(max_length=100)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook secret")
        verbose_name_plural = _("webhook secrets")

    def __str__(self) -> str:
        return f"{self.secret[:10]}… ({self.endpoint})"


class WebhookDelivery(models.Model):
    """One event for one endpoint, and how sending it went. Written in the transaction of the
    event itself; the attempts are made by Celery after it commits."""

    class Status(models.TextChoices):
        # Recorded while the endpoint was switched off; sent when it is switched on again.
        HELD = "held", _("Held while the endpoint was off")
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Delivered")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    application = models.ForeignKey(
        "sellers.Application",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="webhook_deliveries",
    )
    # The webhook-id header: the same for every attempt and every redelivery of the event.
    event_id = models.CharField(_("event id"), max_length=64)
    event_type = models.CharField(_("event type"), max_length=64)
    # The exact bytes signed and sent, so every attempt sends the same body.
    body = models.TextField(_("body"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    last_response_code = models.PositiveSmallIntegerField(
        _("last response code"), null=True, blank=True
    )
    last_response_body = models.TextField(_("last response body (start)"), blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    redelivery_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="redeliveries"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "event_id"],
                condition=models.Q(redelivery_of__isnull=True),
                name="webhook_delivery_once_per_event",
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="webhook_delivery_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id} -> {self.endpoint}"
