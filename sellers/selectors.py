"""Read-only questions about applications that more than one page asks."""

import datetime
import statistics
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from sellers.models import Application, TrademarkVerificationCode
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
