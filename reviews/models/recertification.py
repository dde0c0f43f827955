"""Monthly re-certification of admitted brands: runs and the cases failed runs open."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RecertificationRun(models.Model):
    """The monthly re-check of one admitted brand: at most one per application and month, so a
    second beat run (or a redelivered message) in the same month adds nothing."""

    class State(models.TextChoices):
        RUNNING = "running", _("Running")
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Failed")

    application = models.ForeignKey(
        "sellers.Application", on_delete=models.PROTECT, related_name="recertification_runs"
    )
    # The first day of the month the run belongs to.
    period = models.DateField(_("month"))
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.RUNNING
    )
    check_codes = models.JSONField(_("checks"), default=list)
    # check code -> the finding as stored for screening results (outcome, explanation, ...).
    findings = models.JSONField(_("findings"), default=dict)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    dispatched_at = models.DateTimeField(_("checks sent at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-period", "application"]
        verbose_name = _("re-certification run")
        verbose_name_plural = _("re-certification runs")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "period"], name="recertification_run_once_a_month"
            ),
        ]

    def __str__(self) -> str:
        return f"Re-certification {self.period:%Y-%m} of application {self.application_id}"


class RecertificationCase(models.Model):
    """A failed re-certification waiting for, or settled by, a reviewer."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        SUSPENDED = "suspended", _("Suspended, waiting for the seller")
        CLEARED = "cleared", _("Cleared")
        REVOKED = "revoked", _("Revoked")

    run = models.OneToOneField(
        RecertificationRun, on_delete=models.PROTECT, related_name="case", verbose_name=_("run")
    )
    application = models.ForeignKey(
        "sellers.Application", on_delete=models.PROTECT, related_name="recertification_cases"
    )
    # The failed checks only: code -> finding.
    findings = models.JSONField(_("findings"), default=dict)
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.OPEN)
    # The seller has until the end of this day to fix what failed; then the brand is revoked.
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        ordering = ["opened_at", "pk"]
        verbose_name = _("re-certification case")
        verbose_name_plural = _("re-certification cases")
        indexes = [
            models.Index(
                fields=["deadline"],
                condition=models.Q(state="suspended"),
                name="recertification_suspended",
            ),
        ]

    def __str__(self) -> str:
        return f"Re-certification case {self.pk} of application {self.application_id}"
