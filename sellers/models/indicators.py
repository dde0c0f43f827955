from django.db import models
from django.utils.translation import gettext_lazy as _


class IndicatorUpdate(models.Model):
    """One change of a seller's operating indicators by a marketplace system: what changed
    from what to what, for which period, and who sent it. Only ever added to."""

    company = models.ForeignKey(
        "sellers.SellerCompany", on_delete=models.CASCADE, related_name="indicator_updates"
    )
    partner = models.ForeignKey(
        "sellers.PartnerOrganization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    api_key = models.ForeignKey(
        "sellers.ApiKey", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(_("sent by"), max_length=255)
    # {"field": {"from": old, "to": new}} for each indicator that changed.
    changes = models.JSONField(_("changes"))
    as_of = models.DateField(_("measured on"), null=True, blank=True)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("indicator update")
        verbose_name_plural = _("indicator updates")

    def __str__(self) -> str:
        return f"{self.company} {', '.join(sorted(self.changes))}"
