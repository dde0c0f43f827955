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
