"""A reviewer's check of a trademark in an office's public search, for offices whose register
we hold no data for (CNIPA, Madrid, ...): what the register showed, and a capture of it."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RegistryVerification(models.Model):
    """One look at the register by hand. It applies to the trademark only while the trademark
    keeps the office and number that were looked up, and counts as current for
    MANUAL_VERIFICATION_MAX_AGE_DAYS; the registry check then reads it like a registry record."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered, live")
        PENDING = "pending", _("Pending (application filed)")
        DEAD = "dead", _("Dead (refused, cancelled, invalidated or expired)")

    trademark = models.ForeignKey(
        "sellers.Trademark",
        verbose_name=_("trademark"),
        on_delete=models.CASCADE,
        related_name="registry_verifications",
    )
    # The application under review when the register was read, for its history.
    application = models.ForeignKey(
        "sellers.Application",
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="registry_verifications",
    )
    office = models.CharField(_("office"), max_length=8)
    # Canonical form (sellers.validators.normalize_trademark_number), as looked up.
    number = models.CharField(_("number"), max_length=32)
    mark_words = models.CharField(_("mark (words)"), max_length=500, blank=True)
    figurative = models.BooleanField(_("logo without words"), default=False)
    owner_name = models.CharField(_("owner on the register"), max_length=500)
    nice_classes = models.JSONField(_("Nice classes"), default=list)
    status = models.CharField(_("status on the register"), max_length=12, choices=Status.choices)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    search_url = models.URLField(_("search used"), max_length=500)
    capture = models.FileField(_("capture of the page"), upload_to="reviews/verifications/%Y/%m/")
    capture_name = models.CharField(_("capture file name"), max_length=255)
    capture_type = models.CharField(_("capture type"), max_length=100)
    capture_sha256 = models.CharField(_("capture SHA-256"), max_length=64)
    capture_size = models.PositiveIntegerField(_("capture size"))
    note = models.TextField(_("note"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), default=timezone.now)
    # One per rendering of the form: a second submit of the same form adds nothing.
    submission_key = models.UUIDField(_("submission key"), default=uuid.uuid4, unique=True)

    class Meta:
        ordering = ["-verified_at", "-pk"]
        verbose_name = _("registry verification by hand")
        verbose_name_plural = _("registry verifications by hand")
        indexes = [
            models.Index(fields=["trademark", "-verified_at"], name="registry_verification_mark"),
        ]

    def __str__(self) -> str:
        return f"{self.office} {self.number} verified {self.verified_at:%Y-%m-%d}"

    @property
    def verified_by_name(self) -> str:
        return self.verified_by.get_full_name() or self.verified_by.get_username()
