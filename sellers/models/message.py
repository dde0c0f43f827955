import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class _AppendOnly(models.Model):
    """A row that, once written, is part of the record: never changed, never deleted."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError(f"{self._meta.verbose_name} rows are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError(f"{self._meta.verbose_name} rows are append-only.")


# The timeline's action for a message, by the side that wrote it.
MESSAGE_ACTIONS = {"seller": "seller_message", "reviewer": "reviewer_message"}


class ApplicationMessage(_AppendOnly):
    """One message of an application's conversation between the seller and the reviewers.

    Every message is seller-visible by definition: what reviewers keep among themselves is the
    internal note of an ``ApplicationEvent``. Each message has its line in the timeline.
    """

    class Side(models.TextChoices):
        SELLER = "seller", _("Seller")
        REVIEWER = "reviewer", _("Review team")

    application = models.ForeignKey(
        "sellers.Application", on_delete=models.PROTECT, related_name="messages"
    )
    # None for a partner's API key, and once the person's account is gone.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Who wrote it, as it should read even after the user or key is gone.
    author_label = models.CharField(_("author"), max_length=255)
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    body = models.TextField(_("message"))
    # The portal language the author was using: readers in another language are told, since
    # the message is shown as written, never machine-translated.
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    event = models.OneToOneField(
        "sellers.ApplicationEvent", on_delete=models.PROTECT, related_name="message"
    )
    # One per form shown (or API request): the same form sent twice stores one message.
    submission_key = models.UUIDField(_("submission key"), default=uuid.uuid4, unique=True)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [
            models.Index(fields=["application", "created_at"], name="message_application_time")
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.side} {self.author_label}"


class MessageAttachment(_AppendOnly):
    """A file sent with a message, checked like evidence and stored under a random name.

    Its bytes are fixed once written; only the malware scan's outcome is recorded on the row
    afterwards, by a conditional update (a save would refuse it).
    """

    class ScanStatus(models.TextChoices):
        # Served to nobody until the scan says it is clean.
        PENDING = "pending", _("Being checked")
        CLEAN = "clean", _("Clean")
        INFECTED = "infected", _("Malware found")

    message = models.ForeignKey(
        ApplicationMessage, on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to="messages/%Y/%m/")
    original_name = models.CharField(_("original file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    detected_type = models.CharField(_("detected type"), max_length=100)
    scan_status = models.CharField(
        _("malware scan"), max_length=10, choices=ScanStatus.choices, default=ScanStatus.PENDING
    )
    # What the scanner named, for an infected file.
    scan_finding = models.CharField(_("malware found"), max_length=255, blank=True)
    scanned_at = models.DateTimeField(_("scanned at"), null=True, blank=True)

    class Meta:
        ordering = ["message", "pk"]
        verbose_name = _("message attachment")
        verbose_name_plural = _("message attachments")
        indexes = [
            # The sweep looks for files still waiting for their scan.
            models.Index(
                fields=["scan_status"],
                name="attachment_scan_pending",
                condition=models.Q(scan_status="pending"),
            )
        ]

    def __str__(self) -> str:
        return self.original_name
