from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """A message in a person's inbox, one per person and application event: a seller member's
    about their application, a reviewer's about a proposal to confirm or sent back."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    application = models.ForeignKey(
        "sellers.Application", on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.ForeignKey(
        "sellers.ApplicationEvent", on_delete=models.CASCADE, related_name="notifications"
    )
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # Empty until the mail went out: the sweep sends whatever a broker outage held back.
    mailed_at = models.DateTimeField(_("mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            # A retried task must not tell the same person the same thing twice.
            models.UniqueConstraint(fields=["user", "event"], name="notification_once_per_event"),
        ]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.subject


class ExpiryWarning(models.Model):
    """A document of a seller whose expiry the owner was warned of ahead of time.

    Kept per document and expiry date: the daily run warns nothing twice, and a document
    renewed with a later date is warned again when that date comes near.
    """

    class Kind(models.TextChoices):
        AUTHORIZATION = "authorization", _("Authorization letter")
        CERTIFICATION = "certification", _("Certificate")
        TRADEMARK = "trademark", _("Trademark registration")

    company = models.ForeignKey(
        "sellers.SellerCompany", on_delete=models.CASCADE, related_name="expiry_warnings"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(_("document id"))
    expires_on = models.DateField(_("expires on"))
    warned_at = models.DateTimeField(_("warned at"), auto_now_add=True)

    class Meta:
        ordering = ["-warned_at", "-pk"]
        verbose_name = _("expiry warning")
        verbose_name_plural = _("expiry warnings")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "expires_on"], name="expiry_warned_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} ({self.expires_on})"
