"""Marks screening compares against: registry imports, reference marks and logo hashes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegistryMark(models.Model):
    """One trademark as a registry published it, imported from the office's bulk data.

    Each import stamps its rows with the data version (the bulk file's creation date or the
    name given on import), which every registry finding cites.
    """

    class State(models.TextChoices):
        REGISTERED = "registered", _("Registered, live")
        PENDING = "pending", _("Pending")
        DEAD = "dead", _("Dead (abandoned, cancelled or expired)")
        UNKNOWN = "unknown", _("Status not understood")

    office = models.CharField(_("office"), max_length=8)
    number = models.CharField(_("registration number"), max_length=32, blank=True)
    serial = models.CharField(_("application (serial) number"), max_length=32)
    status_code = models.CharField(_("status code"), max_length=16, blank=True)
    status_state = models.CharField(_("status"), max_length=12, choices=State.choices)
    status_date = models.DateField(_("status date"), null=True, blank=True)
    # The office's own words for the status code, shown beside it to reviewers.
    status_text = models.CharField(_("status meaning"), max_length=300, blank=True)
    mark_literal = models.CharField(_("mark (words)"), max_length=500, blank=True)
    drawing_type = models.CharField(_("drawing type"), max_length=16, blank=True)
    nice_classes = models.JSONField(_("Nice classes"), default=list)
    owner_name = models.CharField(_("owner"), max_length=500, blank=True)
    owner_entity_type = models.CharField(_("owner's legal entity type"), max_length=80, blank=True)
    owner_nationality = models.CharField(_("owner's nationality"), max_length=80, blank=True)
    goods_services = models.TextField(_("goods and services"), blank=True)
    # A Madrid designation carries the international registration it extends.
    international_registration_number = models.CharField(
        _("international registration number"), max_length=32, blank=True
    )
    # The prosecution history, oldest first: [{"date": "YYYY-MM-DD", "code": ..., "text": ...}].
    events = models.JSONField(_("events"), default=list, blank=True)
    correspondent_email = models.CharField(_("correspondent email"), max_length=254, blank=True)
    correspondent_email_changed_on = models.DateField(
        _("correspondent email changed on"), null=True, blank=True
    )
    filing_date = models.DateField(_("filing date"), null=True, blank=True)
    registration_date = models.DateField(_("registration date"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    data_version = models.CharField(_("data version"), max_length=40)
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    class Meta:
        ordering = ["office", "serial"]
        verbose_name = _("registry mark")
        verbose_name_plural = _("registry marks")
        constraints = [
            models.UniqueConstraint(fields=["office", "serial"], name="registry_mark_unique"),
        ]
        indexes = [
            models.Index(fields=["office", "number"], name="registry_mark_number"),
            models.Index(
                fields=["international_registration_number"],
                name="registry_mark_ir_number",
                condition=~models.Q(international_registration_number=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office} {self.number or self.serial}: {self.mark_literal}"


class ReferenceMark(models.Model):
    """A mark new brand names are compared with: a well-known mark from the versioned list in
    reviews/data/well_known_marks.csv, or a brand already in the program."""

    class Kind(models.TextChoices):
        WELL_KNOWN = "well_known", _("Well-known mark")
        PROGRAM_BRAND = "program_brand", _("Brand in the program")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("mark"), max_length=200)
    owner = models.CharField(_("owner"), max_length=255)
    source = models.CharField(_("source"), max_length=255)
    list_version = models.CharField(_("list version"), max_length=40)
    # Derived by reviews.similarity when the row is written; searched, never shown.
    skeleton = models.CharField(_("look-alike skeleton"), max_length=400)
    sound_key = models.CharField(_("sound key"), max_length=64, db_index=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("reference mark")
        verbose_name_plural = _("reference marks")
        constraints = [
            models.UniqueConstraint(fields=["kind", "name", "owner"], name="reference_mark_unique"),
        ]
        # The search's indexes on skeleton are PostgreSQL's alone (migrations 0004 and 0017):
        # pg_trgm's trigram index, and a B-tree for names that read the same that holds the
        # columns the brand-name check reads, so it is answered from the index without the
        # table (thousands of marks share a common pinyin skeleton, scattered over the table).

    def __str__(self) -> str:
        return f"{self.name} ({self.owner})"


class LogoHash(models.Model):
    """The perceptual hash of a program brand's logo, written when the brand is screened, so
    later applicants' logos are compared with every brand already in the program by a query."""

    brand = models.OneToOneField(
        "sellers.Brand", verbose_name=_("brand"), on_delete=models.CASCADE, related_name="+"
    )
    # The stored file the hash was taken from; a new upload is hashed again.
    logo_name = models.CharField(_("logo file"), max_length=255)
    # 64-bit difference hash as 16 hexadecimal digits.
    hash = models.CharField(_("perceptual hash"), max_length=16)
    hashed_at = models.DateTimeField(_("hashed at"), auto_now=True)

    class Meta:
        ordering = ["brand"]
        verbose_name = _("logo hash")
        verbose_name_plural = _("logo hashes")

    def __str__(self) -> str:
        return f"{self.brand_id}: {self.hash}"
