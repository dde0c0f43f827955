from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sellers.documents.reading import Status as ReadingStatus


class DocumentReading(models.Model):
    """What was read from an uploaded document: the ``sellers.documents.Reading`` as JSON, kept
    so screening, the reviewer and the seller see the same reading without reading the file
    again. The document is an evidence file, the business licence a company uploaded when it
    signed up, or an authorization link's signed letter: exactly one of the three owners."""

    class Status(models.TextChoices):
        READ = ReadingStatus.READ, _("Read")
        UNREADABLE = ReadingStatus.UNREADABLE, _("Unreadable")
        NOT_READ = ReadingStatus.NOT_READ, _("Not read")

    evidence = models.OneToOneField(
        "sellers.Evidence", on_delete=models.CASCADE, related_name="reading", null=True, blank=True
    )
    company = models.OneToOneField(
        "sellers.SellerCompany",
        on_delete=models.CASCADE,
        related_name="licence_reading",
        null=True,
        blank=True,
    )
    authorization_link = models.OneToOneField(
        "sellers.AuthorizationLink",
        on_delete=models.CASCADE,
        related_name="letter_reading",
        null=True,
        blank=True,
    )
    # The file the reading came from; a reading whose hash differs from its owner's is stale.
    sha256 = models.CharField(_("SHA-256 of the file read"), max_length=64)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    # "text layer" when the PDF carried its own text, otherwise the OCR engine's name.
    source = models.CharField(_("read by"), max_length=80, blank=True)
    data = models.JSONField(_("reading"))
    read_at = models.DateTimeField(_("read at"))
    duration_ms = models.PositiveIntegerField(_("reading time (ms)"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("document reading")
        verbose_name_plural = _("document readings")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(evidence__isnull=False, company__isnull=True, authorization_link__isnull=True)
                    | Q(
                        evidence__isnull=True,
                        company__isnull=False,
                        authorization_link__isnull=True,
                    )
                    | Q(
                        evidence__isnull=True,
                        company__isnull=True,
                        authorization_link__isnull=False,
                    )
                ),
                name="reading_exactly_one_owner",
            )
        ]

    def __str__(self) -> str:
        field_name, owner_id = self.owner_key
        return f"{field_name} {owner_id} {self.status}"

    @property
    def owner_key(self) -> tuple[str, int]:
        """(field, id) of the one owner set."""
        for field_name in ("evidence", "company", "authorization_link"):
            owner_id = getattr(self, f"{field_name}_id")
            if owner_id is not None:
                return field_name, owner_id
        raise ValueError("a reading without an owner")
