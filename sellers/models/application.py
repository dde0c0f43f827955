import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

REFERENCE_PREFIX = "TCB"


def application_reference(pk: int, created_at: datetime.datetime) -> str:
    """``Application.reference`` from the two columns it derives from, for answers read as
    rows."""
    return f"{REFERENCE_PREFIX}-{created_at.astimezone(datetime.UTC).year:04d}-{pk:06d}"


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SCREENING = "screening", _("Screening")
    AWAITING_REVIEW = "awaiting_review", _("Awaiting review")
    IN_REVIEW = "in_review", _("In review")
    # A decision one reviewer proposed and a second senior reviewer has yet to confirm.
    PROPOSED = "proposed", _("Decision awaiting confirmation")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    WAITLISTED = "waitlisted", _("Waitlisted")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")
    # Decisions in effect (a staged approval holds a place) that a manager has yet to release
    # to the seller.
    STAGED_APPROVED = "staged_approved", _("Approved, not yet released")
    STAGED_WAITLISTED = "staged_waitlisted", _("Waitlisted, not yet released")
    STAGED_REJECTED = "staged_rejected", _("Rejected, not yet released")


class ReasonCode(models.TextChoices):
    """Why a reviewer decided as they did; the seller reads these beside the message."""

    TRADEMARK_NOT_REGISTERED = "trademark_not_registered", _("The trademark is not registered")
    OWNER_MISMATCH = "owner_mismatch", _("The trademark owner is not the applying company")
    SIMILAR_TO_WELL_KNOWN_MARK = (
        "similar_to_well_known_mark",
        _("The brand is too similar to a well-known mark"),
    )
    COUNTERFEIT_RISK = "counterfeit_risk", _("Risk of counterfeit goods")
    SUPPLY_CHAIN_INCOMPLETE = "supply_chain_incomplete", _("The supply chain is not fully shown")
    DOCUMENTS_FORGED = "documents_forged", _("Documents appear altered or forged")
    ELIGIBILITY_FAILED = "eligibility_failed", _("The seller does not meet the eligibility limits")
    OTHER = "other", _("Other reason (see the message)")


# Statuses after which a brand may apply to the same program again.
CLOSED_STATUSES = (Status.REJECTED, Status.WITHDRAWN, Status.REVOKED)


class Application(models.Model):
    company = models.ForeignKey(
        "sellers.SellerCompany", on_delete=models.PROTECT, related_name="applications"
    )
    program = models.ForeignKey(
        "sellers.Program", on_delete=models.PROTECT, related_name="applications"
    )
    brand = models.ForeignKey(
        "sellers.Brand", on_delete=models.PROTECT, related_name="applications"
    )
    trademark = models.ForeignKey(
        "sellers.Trademark", on_delete=models.PROTECT, related_name="applications"
    )
    categories = models.ManyToManyField(
        "sellers.Category", verbose_name=_("categories"), related_name="applications"
    )
    # Only sellers.workflow.transition.application_transition assigns this field.
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned reviewer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_applications",
    )
    risk_score = models.PositiveSmallIntegerField(_("risk score"), null=True, blank=True)
    # The decision awaiting a second reviewer while the status is "proposed".
    proposed_decision = models.CharField(
        _("proposed decision"),
        max_length=10,
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        blank=True,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Whether an open review-queue item holds the application; reviews.queues keeps it with
    # the item, so the applications no queue took are read from an index of their own.
    in_queue = models.BooleanField(_("in a review queue"), default=False, db_default=False)
    # Set when a reviewer hands the application up; only senior reviewers may claim it then.
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    # Rank on the waiting list, computed when the application is waitlisted (sellers.ranking).
    brand_score = models.IntegerField(_("brand score"), null=True, blank=True)
    brand_score_parts = models.JSONField(_("brand score explained"), default=list, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            # A second open application for the same brand (a double submit of the form, a
            # retried API call) is refused by the database, not just by a check in Python.
            models.UniqueConstraint(
                fields=["program", "brand"],
                condition=~models.Q(status__in=CLOSED_STATUSES),
                name="application_one_open_per_brand",
            ),
        ]
        indexes = [
            # The partner API's list, newest change first: a page's ids are read from this
            # index alone, across all the sellers a key acts for, before any row is fetched.
            models.Index(
                fields=["company", "-updated_at", "-id"], name="application_company_changes"
            ),
            # The reviewers' list of waiting applications, oldest first: a few thousand rows of
            # a hundred thousand, read without visiting the table.
            models.Index(
                fields=["submitted_at", "id"],
                condition=models.Q(status=Status.AWAITING_REVIEW),
                name="application_awaiting_order",
            ),
            # Those of them no queue took, oldest first: the few the reviewers' queue page
            # lists, found without comparing every waiting application with the open items.
            models.Index(
                fields=["submitted_at", "id"],
                condition=models.Q(status=Status.AWAITING_REVIEW, in_queue=False),
                name="application_unqueued_order",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.brand} ({self.get_status_display()})"

    @property
    def reference(self) -> str:
        """The number sellers and reviewers quote, "TCB-2026-000123": the year (UTC) the
        application was started and its id. Derived rather than stored, so every application
        has one from its first save and it never changes, resubmissions included."""
        return application_reference(self.pk, self.created_at)


class EvidenceQuerySet(models.QuerySet):
    def current(self):
        """The files the application stands on now: those never replaced or removed."""
        return self.filter(withdrawn_at__isnull=True)

    def withdrawn(self):
        """Files replaced or removed, kept for the history; newest withdrawal first."""
        return self.filter(withdrawn_at__isnull=False).order_by("-withdrawn_at", "-pk")


class Evidence(models.Model):
    class Kind(models.TextChoices):
        TRADEMARK_CERTIFICATE = "trademark_certificate", _("Trademark certificate")
        AUTHORIZATION_LETTER = "authorization_letter", _("Authorization letter")
        BUSINESS_LICENCE = "business_licence", _("Business licence")
        FACTORY_DOCUMENT = "factory_document", _("Factory ownership or manufacturing contract")
        QUALITY_CERTIFICATE = "quality_certificate", _("Quality certificate")
        TEST_REPORT = "test_report", _("Product test report")
        PRODUCT_PHOTO = "product_photo", _("Photo of the brand on product or packaging")
        SOCIAL_COMPLIANCE_AUDIT = (
            "social_compliance_audit",
            _("Social-compliance audit (e.g. amfori BSCI or SMETA)"),
        )
        WAREHOUSE_STOCK = "warehouse_stock", _("Overseas warehouse stock record")
        OTHER = "other", _("Other")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/")
    original_name = models.CharField(_("original file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    detected_type = models.CharField(_("detected type"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # A file replaced or removed keeps its row and its bytes: reviewers see what was sent
    # before, and the history never points at nothing. Only current files count for the case.
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Who withdrew it as it should read later, a partner's API key included.
    withdrawn_by_label = models.CharField(_("withdrawn by (as shown)"), max_length=255, blank=True)
    replaced_by = models.OneToOneField(
        "self",
        verbose_name=_("replaced by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaces",
    )

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(replaced_by__isnull=True) | models.Q(withdrawn_at__isnull=False),
                name="evidence_replaced_is_withdrawn",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"


class ApplicationEvent(models.Model):
    """Append-only history of an application; the seller timeline and the audit trail."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Who acted, as it should read in the history even after the user or key is gone.
    actor_label = models.CharField(_("actor"), max_length=255)
    action = models.CharField(_("action"), max_length=40)
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices, blank=True)
    seller_visible = models.BooleanField(_("visible to the seller"))
    # The message to the seller (seen by them once the event is seller-visible).
    note = models.TextField(_("note"), blank=True)
    # A note the service wrote itself, as phrases (brandprogram.phrases) that the history
    # shows in the reader's language; ``note`` keeps it in English.
    note_phrases = models.JSONField(_("note as phrases"), default=list, blank=True)
    # The language a person wrote ``note`` in, so a reader of another language is told it is
    # shown as written; blank for the service's own notes and for notes from before it was kept.
    note_language = models.CharField(_("note written in"), max_length=10, blank=True)
    # Reviewers only, never shown to the seller whatever the event.
    internal_note = models.TextField(_("internal note"), blank=True)
    reasons = models.JSONField(_("reason codes"), default=list, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
        indexes = [models.Index(fields=["application", "created_at"])]

    def __str__(self) -> str:
        return f"{self.action} by {self.actor_label}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("Application events are append-only and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Application events are append-only and cannot be deleted.")


class RequestedEvidence(models.Model):
    """An evidence kind a reviewer named as needing attention when requesting changes.

    Kept beside the append-only event it belongs to, so the event itself stays unchanged.
    """

    event = models.ForeignKey(
        ApplicationEvent, on_delete=models.PROTECT, related_name="requested_evidence"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Evidence.Kind.choices)

    class Meta:
        ordering = ["event", "pk"]
        verbose_name = _("requested evidence")
        verbose_name_plural = _("requested evidence")
        constraints = [
            models.UniqueConstraint(fields=["event", "kind"], name="requested_evidence_once"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} {self.kind}"


class ApplicationSnapshot(models.Model):
    """What the application said when it was (re)submitted, so reviewers can see what changed."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="snapshots")
    action = models.CharField(_("action"), max_length=40)
    data = models.JSONField(_("content"))
    created_at = models.DateTimeField(_("taken at"), auto_now_add=True)

    class Meta:
        ordering = ["application", "created_at", "pk"]
        verbose_name = _("submission snapshot")
        verbose_name_plural = _("submission snapshots")

    def __str__(self) -> str:
        return f"{self.application_id} {self.action} {self.created_at:%Y-%m-%d %H:%M}"
