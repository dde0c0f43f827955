from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def mask_email(address: str) -> str:
    """``jane@example.com`` as ``j***@example.com``: enough to recognise, not to harvest."""
    local, at, domain = address.partition("@")
    if not at:
        return "***"
    return f"{local[:1]}***@{domain}"


class TrademarkVerificationCode(models.Model):
    """A one-time code mailed to the correspondent on the registry record of a trademark.

    Entering it proves that the seller controls the registration (or works with whoever does).
    Only a keyed hash of the code is kept. The office and number are those the code was sent
    for: if the seller later changes the trademark's number, an old verification no longer
    counts for it.
    """

    trademark = models.ForeignKey(
        "sellers.Trademark", on_delete=models.CASCADE, related_name="verification_codes"
    )
    office = models.CharField(_("office"), max_length=8)
    number = models.CharField(_("number"), max_length=32)
    code_hash = models.CharField(_("code hash"), max_length=64)
    # The address on the registry record at the time, not one the seller typed.
    sent_to = models.EmailField(_("sent to"))
    record_source = models.CharField(_("registry source"), max_length=120)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_by_label = models.CharField(_("requested by"), max_length=255)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by_label = models.CharField(_("verified by"), max_length=255, blank=True)
    # Set when a newer code replaced this one before it was used.
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("trademark verification code")
        verbose_name_plural = _("trademark verification codes")
        constraints = [
            # However many requests race, a trademark has one code that can still be entered.
            models.UniqueConstraint(
                fields=["trademark"],
                condition=models.Q(verified_at__isnull=True, superseded_at__isnull=True),
                name="verification_code_one_open_per_trademark",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office} {self.number} code sent to {self.masked_sent_to}"

    @property
    def masked_sent_to(self) -> str:
        return mask_email(self.sent_to)
