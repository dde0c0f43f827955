from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class QueueItemQuerySet(models.QuerySet):
    def open(self):
        return self.filter(closed_at__isnull=True)

    def breached(self, at=None):
        """Open items past their SLA due time (``at`` defaults to now)."""
        return self.open().filter(due_at__lt=at or timezone.now())


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
    explanation = models.TextField(_("explanation"))
    evidence = models.JSONField(_("evidence used"), default=dict)
    flags = models.JSONField(_("flags"), default=list)
    source = models.CharField(_("source"), max_length=120)
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


class RegistryMark(models.Model):
    """One trademark as a registry published it, imported from the office's bulk data.

    Each import stamps its rows with the data version (the bulk file's creation date or the
    name given on import), which every registry finding cites.
    """

    class State(models.TextChoices):
        REGISTERED = "registered", _("Registered, live")
        PENDING = "pending", _("Pending")
        DEAD = "dead", _("Dead (abandoned, cancelled or expired)")
        UNKNOWN = "unknown", _("Status not understood")

    office = models.CharField(_("office"), max_length=8)
    number = models.CharField(_("registration number"), max_length=32, blank=True)
    serial = models.CharField(_("application (serial) number"), max_length=32)
    status_code = models.CharField(_("status code"), max_length=16, blank=True)
    status_state = models.CharField(_("status"), max_length=12, choices=State.choices)
    status_date = models.DateField(_("status date"), null=True, blank=True)
    mark_literal = models.CharField(_("mark (words)"), max_length=500, blank=True)
    drawing_type = models.CharField(_("drawing type"), max_length=16, blank=True)
    nice_classes = models.JSONField(_("Nice classes"), default=list)
    owner_name = models.CharField(_("owner"), max_length=500, blank=True)
    correspondent_email = models.CharField(_("correspondent email"), max_length=254, blank=True)
    correspondent_email_changed_on = models.DateField(
        _("correspondent email changed on"), null=True, blank=True
    )
    filing_date = models.DateField(_("filing date"), null=True, blank=True)
    registration_date = models.DateField(_("registration date"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    data_version = models.CharField(_("data version"), max_length=40)
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    class Meta:
        ordering = ["office", "serial"]
        verbose_name = _("registry mark")
        verbose_name_plural = _("registry marks")
        constraints = [
            models.UniqueConstraint(fields=["office", "serial"], name="registry_mark_unique"),
        ]
        indexes = [models.Index(fields=["office", "number"], name="registry_mark_number")]

    def __str__(self) -> str:
        return f"{self.office} {self.number or self.serial}: {self.mark_literal}"


class ReferenceMark(models.Model):
    """A mark new brand names are compared with: a well-known mark from the versioned list in
    reviews/data/well_known_marks.csv, or a brand already in the program."""

    class Kind(models.TextChoices):
        WELL_KNOWN = "well_known", _("Well-known mark")
        PROGRAM_BRAND = "program_brand", _("Brand in the program")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("mark"), max_length=200)
    owner = models.CharField(_("owner"), max_length=255)
    source = models.CharField(_("source"), max_length=255)
    list_version = models.CharField(_("list version"), max_length=40)
    # Derived by reviews.similarity when the row is written; searched, never shown.
    skeleton = models.CharField(_("look-alike skeleton"), max_length=400)
    sound_key = models.CharField(_("sound key"), max_length=64, db_index=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("reference mark")
        verbose_name_plural = _("reference marks")
        constraints = [
            models.UniqueConstraint(fields=["kind", "name", "owner"], name="reference_mark_unique"),
        ]
        # Names that read the same are found by equality; the trigram index answers that too,
        # but a B-tree does it in a fraction of the time on a million marks.
        indexes = [models.Index(fields=["skeleton"], name="reference_mark_skeleton")]

    def __str__(self) -> str:
        return f"{self.name} ({self.owner})"


class LogoHash(models.Model):
    """The perceptual hash of a program brand's logo, written when the brand is screened, so
    later applicants' logos are compared with every brand already in the program by a query."""

    brand = models.OneToOneField(
        "sellers.Brand", verbose_name=_("brand"), on_delete=models.CASCADE, related_name="+"
    )
    # The stored file the hash was taken from; a new upload is hashed again.
    logo_name = models.CharField(_("logo file"), max_length=255)
    # 64-bit difference hash as 16 hexadecimal digits.
    hash = models.CharField(_("perceptual hash"), max_length=16)
    hashed_at = models.DateTimeField(_("hashed at"), auto_now=True)

    class Meta:
        ordering = ["brand"]
        verbose_name = _("logo hash")
        verbose_name_plural = _("logo hashes")

    def __str__(self) -> str:
        return f"{self.brand_id}: {self.hash}"


class ReviewQueue(models.Model):
    """Where screened applications wait for a reviewer, defined by managers in the admin.

    An application that finishes screening lands in the queue whose risk level matches the
    screening's route and whose categories include one of the application's; a queue without
    categories takes what no other queue of its risk level does.
    """

    class RiskLevel(models.TextChoices):
        STANDARD = "standard", _("Standard")
        SENIOR = "senior", _("Senior reviewers only")

    class AssignmentMode(models.TextChoices):
        CLAIM_NEXT = "claim_next", _("Reviewers claim the next item")
        MANUAL = "manual", _("A queue lead assigns")
        AUTOMATIC = "automatic", _("Assigned on entry to the least-loaded member")

    name = models.CharField(_("name"), max_length=120, unique=True)
    categories = models.ManyToManyField(
        "sellers.Category",
        verbose_name=_("categories"),
        blank=True,
        related_name="review_queues",
        help_text=_("Leave empty for the catch-all queue of this risk level."),
    )
    risk_level = models.CharField(
        _("risk level"), max_length=12, choices=RiskLevel.choices, default=RiskLevel.STANDARD
    )
    assignment_mode = models.CharField(
        _("assignment"),
        max_length=12,
        choices=AssignmentMode.choices,
        default=AssignmentMode.CLAIM_NEXT,
    )
    sla_business_days = models.PositiveSmallIntegerField(
        _("SLA (business days)"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("Monday to Friday; an item is due this many business days after it arrives."),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="QueueMembership",
        verbose_name=_("members"),
        related_name="review_queues",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("review queue")
        verbose_name_plural = _("review queues")

    def __str__(self) -> str:
        return self.name


class QueueMembership(models.Model):
    queue = models.ForeignKey(ReviewQueue, on_delete=models.CASCADE, related_name="memberships")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.CASCADE,
        related_name="queue_memberships",
    )
    is_lead = models.BooleanField(
        _("lead"), default=False, help_text=_("Leads assign and reassign the queue's items.")
    )
    # Automatic assignment breaks ties between equally loaded members by who waited longest.
    last_assigned_at = models.DateTimeField(_("last assigned automatically"), null=True, blank=True)

    class Meta:
        ordering = ["queue", "reviewer"]
        verbose_name = _("queue member")
        verbose_name_plural = _("queue members")
        constraints = [
            models.UniqueConstraint(fields=["queue", "reviewer"], name="queue_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} in {self.queue}"


class QueueItem(models.Model):
    """One stay of an application in a queue: from the end of screening until a decision (or a
    withdrawal or re-screening) takes it out. ``due_at`` is the SLA deadline; an item is in
    breach while it is open and ``due_at`` has passed (``QueueItem.objects.breached()``)."""

    queue = models.ForeignKey(ReviewQueue, on_delete=models.PROTECT, related_name="items")
    application = models.ForeignKey(
        "sellers.Application", on_delete=models.PROTECT, related_name="queue_items"
    )
    # Mirrors the application's assignee while the item is open, so claiming can skip taken
    # rows by looking at the locked row alone.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned reviewer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="queue_items",
    )
    priority = models.SmallIntegerField(_("priority"), default=0)
    entered_at = models.DateTimeField(_("entered at"))
    due_at = models.DateTimeField(_("due at"))
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    reminded_on = models.DateField(_("assignee last reminded on"), null=True, blank=True)
    closed_at = models.DateTimeField(_("left the queue at"), null=True, blank=True)

    objects = QueueItemQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "-priority", "entered_at", "pk"]
        verbose_name = _("queue item")
        verbose_name_plural = _("queue items")
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(closed_at__isnull=True),
                name="queue_item_one_open_per_application",
            ),
        ]
        indexes = [
            models.Index(
                fields=["queue", "due_at", "-priority", "entered_at"],
                condition=models.Q(closed_at__isnull=True),
                name="queue_item_open_order",
            ),
        ]

    def __str__(self) -> str:
        return f"Application {self.application_id} in {self.queue}"


# --- Monthly re-certification of admitted brands ---


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
