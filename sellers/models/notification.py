from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """A message in a person's inbox: one per person and application event (a seller member's
    about their application, a reviewer's about a proposal to confirm or sent back), or one per
    person and topic for a notice about the company as a whole (documents expiring, operating
    indicators gone stale), which names the portal page to open in ``link``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    application = models.ForeignKey(
        "sellers.Application",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    event = models.ForeignKey(
        "sellers.ApplicationEvent",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    # What a company notice is about, e.g. "expiry:<warning ids>": told once per person.
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    # The path an entry opens: a company notice's portal page, or the place in the reviewer
    # workspace a staff entry is about; a seller's entry about an application opens it.
    link = models.CharField(_("link"), max_length=200, blank=True)
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
            models.UniqueConstraint(
                fields=["user", "topic"],
                condition=~models.Q(topic=""),
                name="notification_once_per_topic",
            ),
            # Every entry is about an application's event or a company topic.
            models.CheckConstraint(
                condition=models.Q(event__isnull=False) | ~models.Q(topic=""),
                name="notification_event_or_topic",
            ),
        ]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.subject


class ExpiryWarning(models.Model):
    """A document of a seller whose expiry the owner was warned of ahead of time.

    Kept per document, expiry date and threshold (``days_ahead``, one of
    ``EXPIRY_WARNING_DAYS``): the daily run warns nothing twice, a document is warned again as
    it passes a nearer threshold, and one renewed with a later date is warned again when that
    date comes near.
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
    # The nearest threshold (days before expiry) the document was within when warned.
    days_ahead = models.PositiveSmallIntegerField(_("days ahead"))
    warned_at = models.DateTimeField(_("warned at"), auto_now_add=True)

    class Meta:
        ordering = ["-warned_at", "-pk"]
        verbose_name = _("expiry warning")
        verbose_name_plural = _("expiry warnings")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "expires_on", "days_ahead"],
                name="expiry_warned_once_per_threshold",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} ({self.expires_on})"
