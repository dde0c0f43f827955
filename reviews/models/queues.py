"""Review queues, their members and the items waiting in them."""

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
