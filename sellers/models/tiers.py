from django.db import models
from django.utils.translation import gettext_lazy as _

from sellers.models.company import SellerCompany


class TieringRun(models.Model):
    """One month's ranking of the active sellers by their operating indicators.

    A month has one run; running it again recomputes the same rows in place, so a repeat with
    the same indicators changes nothing.
    """

    period = models.DateField(_("month"), unique=True, help_text=_("The first day of the month."))
    measured_on = models.DateField(_("indicators taken as of"))
    active_sellers = models.PositiveIntegerField(_("active sellers"), default=0)
    gold = models.PositiveIntegerField(_("gold sellers"), default=0)
    silver = models.PositiveIntegerField(_("silver sellers"), default=0)
    # The weights, limits and shares the scores were computed with.
    rules = models.JSONField(_("rules"), default=dict)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-period"]
        verbose_name = _("tiering run")
        verbose_name_plural = _("tiering runs")

    def __str__(self) -> str:
        return f"{self.period:%Y-%m}"


class TierAssessment(models.Model):
    """A seller's score in a run, with its parts, its rank and the tier it earned."""

    run = models.ForeignKey(TieringRun, on_delete=models.CASCADE, related_name="assessments")
    company = models.ForeignKey(
        SellerCompany, on_delete=models.CASCADE, related_name="tier_assessments"
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    # {"indicator": {"value", "measured_on", "missing", "weight", "points"}} per indicator.
    parts = models.JSONField(_("parts"))
    rank = models.PositiveIntegerField(_("rank"))
    tier = models.CharField(_("tier"), max_length=16, choices=SellerCompany.Tier.choices)

    class Meta:
        ordering = ["run", "rank"]
        verbose_name = _("tier assessment")
        verbose_name_plural = _("tier assessments")
        constraints = [
            models.UniqueConstraint(fields=["run", "company"], name="tier_assessment_once_per_run"),
        ]

    def __str__(self) -> str:
        return f"{self.company_id} {self.run}: {self.tier} ({self.score})"


class TierChange(models.Model):
    """A line of a seller's tier history: the tier changed from what to what, in which run."""

    company = models.ForeignKey(
        SellerCompany, on_delete=models.CASCADE, related_name="tier_changes"
    )
    run = models.ForeignKey(TieringRun, on_delete=models.CASCADE, related_name="changes")
    from_tier = models.CharField(_("from"), max_length=16, choices=SellerCompany.Tier.choices)
    to_tier = models.CharField(_("to"), max_length=16, choices=SellerCompany.Tier.choices)
    created_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("tier change")
        verbose_name_plural = _("tier changes")

    def __str__(self) -> str:
        return f"{self.company_id}: {self.from_tier} -> {self.to_tier}"
