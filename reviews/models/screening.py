"""Screening records: the outbox request, the run, and each check's result."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ScreeningRequest(models.Model):
    """Outbox row: screening owed to an application.

    Written in the same transaction that moves the application to "submitted", so the request
    exists exactly when the submission does. Publishing it to the broker happens after commit;
    whatever was not published (the broker was down, the process died) the sweep publishes later.
    """

    application = models.ForeignKey(
        "sellers.Application", on_delete=models.PROTECT, related_name="screening_requests"
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    published_at = models.DateTimeField(_("last published at"), null=True, blank=True)
    publish_attempts = models.PositiveIntegerField(_("publish attempts"), default=0)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("screening request")
        verbose_name_plural = _("screening requests")
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(handled_at__isnull=True),
                name="screening_request_open",
            ),
        ]

    def __str__(self) -> str:
        return f"Screening request {self.pk} for application {self.application_id}"


class ScreeningRun(models.Model):
    class State(models.TextChoices):
        RUNNING = "running", _("Running")
        COMPLETED = "completed", _("Completed")

    class Route(models.TextChoices):
        STANDARD = "standard", _("Standard queue")
        SENIOR = "senior", _("Senior reviewer")
        RETURNED = "returned", _("Returned to the seller as incomplete")

    application = models.ForeignKey(
        "sellers.Application", on_delete=models.PROTECT, related_name="screening_runs"
    )
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.RUNNING
    )
    risk_score = models.PositiveSmallIntegerField(_("risk score"), null=True, blank=True)
    route = models.CharField(_("route"), max_length=12, choices=Route.choices, blank=True)
    # The checks this run owes, fixed when it opens, so it knows when it is complete.
    check_codes = models.JSONField(_("checks"), default=list)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    # When check tasks were last sent; the sweep re-sends missing ones after a quiet spell.
    dispatched_at = models.DateTimeField(_("checks sent at"), null=True, blank=True)
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
    # In English, for the admin, search and logs; readers get ``explanation_phrases`` in their
    # own language (brandprogram.phrases), or this text for results stored before phrases were.
    explanation = models.TextField(_("explanation"))
    explanation_phrases = models.JSONField(_("explanation as phrases"), default=list, blank=True)
    evidence = models.JSONField(_("evidence used"), default=dict)
    flags = models.JSONField(_("flags"), default=list)
    source = models.CharField(_("source"), max_length=120)
    source_phrase = models.JSONField(_("source as a phrase"), default=dict, blank=True)
    data_version = models.CharField(_("data version"), max_length=40)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    checked_at = models.DateTimeField(_("last checked at"), auto_now=True)
    # Set when a reviewer had the check run again on this run.
    rerun_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("re-run by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["run", "check_code"]
        verbose_name = _("check result")
        verbose_name_plural = _("check results")
        constraints = [
            models.UniqueConstraint(fields=["run", "check_code"], name="check_result_once_per_run"),
        ]

    def __str__(self) -> str:
        return f"{self.check_code}: {self.get_outcome_display()}"
