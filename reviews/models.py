from django.db import models
from django.utils.translation import gettext_lazy as _


class ScreeningRun(models.Model):
    class State(models.TextChoices):
        RUNNING = "running", _("Running")
        COMPLETED = "completed", _("Completed")
        ABANDONED = "abandoned", _("Abandoned (restarted)")

    application = models.ForeignKey(
        "sellers.Application", on_delete=models.PROTECT, related_name="screening_runs"
    )
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.RUNNING
    )
    risk_score = models.PositiveSmallIntegerField(_("risk score"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("screening run")
        verbose_name_plural = _("screening runs")
        constraints = [
            # At most one run in progress per application, whatever the number of deliveries.
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(state="running"),
                name="screening_one_running_per_application",
            ),
        ]

    def __str__(self) -> str:
        return f"Run {self.pk} of application {self.application_id} ({self.get_state_display()})"


class CheckResult(models.Model):
    class Outcome(models.TextChoices):
        PASS = "pass", _("Pass")
        WARN = "warn", _("Warning")
        FAIL = "fail", _("Fail")
        UNVERIFIABLE = "unverifiable", _("Could not be verified")
        ERROR = "error", _("Error")

    run = models.ForeignKey(ScreeningRun, on_delete=models.CASCADE, related_name="results")
    check_code = models.CharField(_("check"), max_length=40)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    score = models.PositiveSmallIntegerField(_("risk points"))
    explanation = models.TextField(_("explanation"))
    evidence = models.JSONField(_("evidence used"), default=dict)
    source = models.CharField(_("source"), max_length=120)
    data_version = models.CharField(_("data version"), max_length=40)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["run", "check_code"]
        verbose_name = _("check result")
        verbose_name_plural = _("check results")
        constraints = [
            models.UniqueConstraint(fields=["run", "check_code"], name="check_result_once_per_run"),
        ]

    def __str__(self) -> str:
        return f"{self.check_code}: {self.get_outcome_display()}"
