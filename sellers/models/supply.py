from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class Facility(models.Model):
    class Ownership(models.TextChoices):
        OWN = "own", _("Own factory")
        CONTRACT = "contract", _("Contract manufacturer")

    company = models.ForeignKey(
        "sellers.SellerCompany", on_delete=models.CASCADE, related_name="facilities"
    )
    manufacturer_name = models.CharField(_("manufacturer"), max_length=255)
    country = CountryField(_("country"))
    ownership = models.CharField(_("ownership"), max_length=8, choices=Ownership.choices)
    monthly_capacity_units = models.PositiveIntegerField(
        _("monthly capacity (units)"), null=True, blank=True
    )

    class Meta:
        ordering = ["manufacturer_name"]
        verbose_name = _("supply-chain facility")
        verbose_name_plural = _("supply-chain facilities")

    def __str__(self) -> str:
        return f"{self.manufacturer_name} ({self.get_ownership_display()})"


class Certification(models.Model):
    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="certifications")
    standard = models.CharField(_("standard"), max_length=80, help_text=_("For example ISO 9001."))
    number = models.CharField(_("certificate number"), max_length=80)
    issuer = models.CharField(_("issuer"), max_length=200)
    scope = models.TextField(_("scope"), blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    file = models.FileField(_("certificate file"), upload_to="certifications/%Y/%m/", blank=True)
    # The file's hash: its page pictures are kept by it (sellers.documents.preview).
    file_sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, blank=True)

    class Meta:
        ordering = ["standard"]
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")

    def __str__(self) -> str:
        return f"{self.standard} {self.number}"
