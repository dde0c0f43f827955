"""Read-only questions about applications that more than one page asks."""

import datetime
import statistics
from dataclasses import dataclass

from django.db import connection
from django.db.models import OuterRef, QuerySet, StringAgg, Subquery, Value
from django.utils import timezone

from sellers.documents.matching import DocumentCheck, check_document
from sellers.documents.reading import FIELDS_BY_KIND, Reading
from sellers.models import Application, DocumentReading, Evidence, TrademarkVerificationCode
from sellers.signals import suspension_deadline_lookup

DECISION_WINDOW = datetime.timedelta(days=90)
# Below this many decisions one unusually slow or quick case would set the figure.
MIN_DECISIONS_FOR_ESTIMATE = 5


@dataclass(frozen=True)
class DecisionTimeEstimate:
    median: datetime.timedelta
    decisions: int

    @property
    def median_days(self) -> int:
        """Whole days, rounded; a decision within half a day reads as one day, not zero."""
        return max(1, round(self.median / datetime.timedelta(days=1)))


def decision_time_estimate(*, program_id: int) -> DecisionTimeEstimate | None:
    """How long the program's recent decisions took from submission; None with too few."""
    since = timezone.now() - DECISION_WINDOW
    durations = [
        decided_at - submitted_at
        for submitted_at, decided_at in Application.objects.filter(
            program_id=program_id,
            decided_at__gte=since,
            submitted_at__isnull=False,
        ).values_list("submitted_at", "decided_at")
    ]
    if len(durations) < MIN_DECISIONS_FOR_ESTIMATE:
        return None
    return DecisionTimeEstimate(median=statistics.median(durations), decisions=len(durations))


def suspension_deadline(*, application_id: int) -> datetime.date | None:
    """The date by which the seller must resolve a suspension, if the suspension set one."""
    answers = suspension_deadline_lookup.send(sender=Application, application_id=application_id)
    return next((deadline for _, deadline in answers if deadline is not None), None)


def record_control_verified_at(trademark: str = "") -> Subquery:
    """When a code mailed to the correspondent on the trademark's registry record was last
    confirmed for its current office and number; None if never. ``trademark`` is the path
    from the rows annotated to the trademark ("" for trademarks, "trademark__" for
    applications)."""
    verified = TrademarkVerificationCode.objects.filter(
        trademark=OuterRef(f"{trademark}pk"),
        office=OuterRef(f"{trademark}office"),
        number=OuterRef(f"{trademark}number"),
        verified_at__isnull=False,
    ).order_by("-verified_at")
    return Subquery(verified.values("verified_at")[:1])


def with_category_codes(applications: QuerySet) -> QuerySet:
    """The applications with their categories' codes, in the categories' order (by name), as
    ``category_codes``: a comma-separated text read with each row, or None without categories.

    Where the database cannot order an aggregate (SQLite before 3.44), the categories are read
    in a query of their own instead and ``category_codes`` is left out.
    """
    if not connection.features.supports_aggregate_order_by_clause:
        return applications.prefetch_related("categories")
    codes = (
        Application.categories.through.objects.filter(application_id=OuterRef("pk"))
        .order_by()
        .values("application_id")
        # Codes are slugs: they hold no comma.
        .annotate(
            codes=StringAgg("category__code", Value(","), order_by=("category__name", "category"))
        )
        .values("codes")
    )
    return applications.annotate(category_codes=Subquery(codes))


def stored_readings(evidence: list[Evidence]) -> dict[int, Reading]:
    """The reading of each file as it is now, by evidence id; files not read yet are absent."""
    hashes = {item.pk: item.sha256 for item in evidence}
    stored = DocumentReading.objects.filter(evidence_id__in=hashes)
    return {
        row.evidence_id: Reading.from_json(row.data)
        for row in stored
        if row.sha256 == hashes[row.evidence_id]
    }


def readable_evidence(application: Application) -> list[Evidence]:
    return [item for item in application.evidence.all() if item.kind in FIELDS_BY_KIND]


def documents_checked(application: Application, *, today: datetime.date) -> list[DocumentCheck]:
    """Each readable document with what was read from it, beside what the seller entered."""
    evidence = readable_evidence(application)
    readings = stored_readings(evidence)
    return [check_document(item, readings.get(item.pk), today=today) for item in evidence]
