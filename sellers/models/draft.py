from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationDraft(models.Model):
    """Where a seller is in the application wizard, saved at every step so they can resume.

    The brand and trademark exist from the first steps; the application itself once the
    categories are chosen, so that evidence can be attached to it.
    """

    class Step(models.TextChoices):
        BRAND = "brand", _("Brand")
        TRADEMARK = "trademark", _("Trademark")
        OWNERSHIP = "ownership", _("Ownership")
        CATEGORIES = "categories", _("Categories")
        SUPPLY = "supply", _("Supply chain")
        EVIDENCE = "evidence", _("Product evidence")
        REVIEW = "review", _("Review and submit")

    company = models.ForeignKey(
        "sellers.SellerCompany", on_delete=models.CASCADE, related_name="drafts"
    )
    step = models.CharField(_("next step"), max_length=12, choices=Step.choices)
    brand = models.ForeignKey(
        "sellers.Brand", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    trademark = models.ForeignKey(
        "sellers.Trademark", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    application = models.OneToOneField(
        "sellers.Application",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="wizard_draft",
    )
    owns_trademark = models.BooleanField(_("the company owns the trademark"), null=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("application draft")
        verbose_name_plural = _("application drafts")

    def __str__(self) -> str:
        return f"{self.brand or _('New application')} ({self.get_step_display()})"
