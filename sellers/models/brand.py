from django.core.validators import EmailValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sellers.validators import display_trademark_number


class Brand(models.Model):
    company = models.ForeignKey(
        "sellers.SellerCompany", on_delete=models.CASCADE, related_name="brands"
    )
    name = models.CharField(
        _("brand name"),
        max_length=120,
        help_text=_("Exactly as registered, including spaces and punctuation."),
    )
    native_name = models.CharField(_("native-script name"), max_length=120, blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/%Y/%m/", blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("brand")
        verbose_name_plural = _("brands")
        constraints = [
            models.UniqueConstraint(fields=["company", "name"], name="brand_unique_per_company"),
        ]

    def __str__(self) -> str:
        return self.name


class Trademark(models.Model):
    class Office(models.TextChoices):
        CNIPA = "CNIPA", _("China (CNIPA)")
        USPTO = "USPTO", _("United States (USPTO)")
        EUIPO = "EUIPO", _("European Union (EUIPO)")
        UKIPO = "UKIPO", _("United Kingdom (UKIPO)")
        JPO = "JPO", _("Japan (JPO)")
        KIPO = "KIPO", _("Korea (KIPO)")
        WIPO = "WIPO", _("International registration (WIPO Madrid)")
        OTHER = "OTHER", _("Other national office")

    class RegistrationStatus(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        PENDING = "pending", _("Pending (application filed)")

    class MarkType(models.TextChoices):
        WORD = "word", _("Word mark")
        FIGURATIVE = "figurative", _("Figurative (logo only)")
        COMBINED = "combined", _("Combined (words and logo)")

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="trademarks")
    office = models.CharField(_("office"), max_length=8, choices=Office.choices)
    number = models.CharField(
        _("number"),
        max_length=32,
        help_text=_("Registration number, or application number if pending."),
    )
    registration_status = models.CharField(
        _("status"), max_length=12, choices=RegistrationStatus.choices
    )
    mark_type = models.CharField(_("mark type"), max_length=12, choices=MarkType.choices)
    nice_classes = models.JSONField(_("Nice classes"), default=list)
    owner_name = models.CharField(_("owner on record"), max_length=255)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    correspondent_email = models.EmailField(
        _("correspondent email on record"), blank=True, validators=[EmailValidator()]
    )
    certificate = models.FileField(_("certificate"), upload_to="trademarks/%Y/%m/", blank=True)

    class Meta:
        ordering = ["office", "number"]
        verbose_name = _("trademark")
        verbose_name_plural = _("trademarks")
        constraints = [
            models.UniqueConstraint(
                fields=["brand", "office", "number"], name="trademark_unique_per_brand"
            ),
        ]
        indexes = [
            # The reviewers' search finds a trademark by its number alone, whatever its office.
            models.Index(fields=["number"], name="trademark_number"),
        ]

    def __str__(self) -> str:
        return f"{self.office} {self.display_number}"

    @property
    def display_number(self) -> str:
        """The number as the office prints it (USPTO registrations with seven digits)."""
        return display_trademark_number(self.office, self.number)


class AuthorizationLink(models.Model):
    """One link of the chain from the trademark owner down to the applying seller."""

    trademark = models.ForeignKey(
        Trademark, on_delete=models.CASCADE, related_name="authorization_links"
    )
    position = models.PositiveSmallIntegerField(_("position in chain"))
    grantor_name = models.CharField(_("grantor"), max_length=255)
    grantee_name = models.CharField(_("grantee"), max_length=255)
    product_scope = models.TextField(_("product scope"))
    territory = models.CharField(_("territory"), max_length=255)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    letter = models.FileField(_("signed letter"), upload_to="authorizations/%Y/%m/", blank=True)
    letter_name = models.CharField(_("signed letter's file name"), max_length=255, blank=True)
    # Kept like an evidence file's, so the letter is read once and its reading known current.
    letter_sha256 = models.CharField(_("SHA-256 of the letter"), max_length=64, blank=True)
    letter_type = models.CharField(_("letter file type"), max_length=100, blank=True)

    class Meta:
        ordering = ["trademark", "position"]
        verbose_name = _("authorization link")
        verbose_name_plural = _("authorization links")
        constraints = [
            models.UniqueConstraint(
                fields=["trademark", "position"], name="authorization_unique_position"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")),
                name="authorization_valid_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grantor_name} → {self.grantee_name}"
