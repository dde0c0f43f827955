"""The company verification queue: a reviewer checks a company's business licence against
its legal name and registration number."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CompanyVerificationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(closed_at__isnull=True)


class CompanyVerification(models.Model):
    """One request to verify a company, from the moment its profile became complete until a
    reviewer decides or a change of the profile replaces it. Closed requests are the
    company's verification history; ``due_at`` is the SLA deadline."""

    class Outcome(models.TextChoices):
        VERIFIED = "verified", _("Verified")
        REFUSED = "refused", _("Refused")
        # The owner changed the name, number or licence while the request waited.
        SUPERSEDED = "superseded", _("Replaced by a newer request")

    company = models.ForeignKey(
        "sellers.SellerCompany",
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="verifications",
    )
    # What was asked to be verified, as it stood when the request was made.
    legal_name = models.CharField(_("legal name"), max_length=255)
    registration_number = models.CharField(_("registration number"), max_length=64)
    licence_sha256 = models.CharField(_("business licence SHA-256"), max_length=64)
    requested_at = models.DateTimeField(_("requested at"))
    due_at = models.DateTimeField(_("due at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = CompanyVerificationQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("company verification")
        verbose_name_plural = _("company verifications")
        constraints = [
            models.UniqueConstraint(
                fields=["company"],
                condition=models.Q(closed_at__isnull=True),
                name="company_verification_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.legal_name} ({self.registration_number})"
