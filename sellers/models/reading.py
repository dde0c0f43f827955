from django.db import models
from django.utils.translation import gettext_lazy as _

from sellers.documents.reading import Status as ReadingStatus


class DocumentReading(models.Model):
    """What was read from an evidence file: the ``sellers.documents.Reading`` as JSON, kept so
    screening, the reviewer and the seller see the same reading without reading the file again."""

    class Status(models.TextChoices):
        READ = ReadingStatus.READ, _("Read")
        UNREADABLE = ReadingStatus.UNREADABLE, _("Unreadable")
        NOT_READ = ReadingStatus.NOT_READ, _("Not read")

    evidence = models.OneToOneField(
        "sellers.Evidence", on_delete=models.CASCADE, related_name="reading"
    )
    # The file the reading came from; a reading whose hash differs from the evidence's is stale.
    sha256 = models.CharField(_("SHA-256 of the file read"), max_length=64)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    # "text layer" when the PDF carried its own text, otherwise the OCR engine's name.
    source = models.CharField(_("read by"), max_length=80, blank=True)
    data = models.JSONField(_("reading"))
    read_at = models.DateTimeField(_("read at"))
    duration_ms = models.PositiveIntegerField(_("reading time (ms)"))

    class Meta:
        ordering = ["evidence"]
        verbose_name = _("document reading")
        verbose_name_plural = _("document readings")

    def __str__(self) -> str:
        return f"{self.evidence_id} {self.status}"
