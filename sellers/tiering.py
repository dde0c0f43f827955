"""The read side of seller tiers: why a seller has its tier, for the portal and reviewers."""

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sellers.models import SellerCompany, TierAssessment, TierChange, TieringRun

INDICATOR_LABELS = {
    "quality_dispute_rate": _("Quality-dispute rate"),
    "nps": _("Buyer NPS"),
    "infringement_complaints": _("Open infringement complaints"),
    "on_time_delivery_rate": _("On-time delivery rate"),
    "overseas_stock_days": _("Overseas warehouse stock (days of sales)"),
}
RATES = {"quality_dispute_rate", "on_time_delivery_rate"}
HISTORY_LINES = 12


@dataclass(frozen=True)
class TierPart:
    label: str
    value: str
    measured_on: str | None
    missing: bool
    weight: str
    points: str


@dataclass(frozen=True)
class TierExplanation:
    tier: str
    tier_label: str
    run: TieringRun | None
    assessment: TierAssessment | None
    parts: list[TierPart]
    reason: str
    history: list[TierChange]


def _shown(indicator: str, value: str | None) -> str:
    if value is None:
        return "—"
    if indicator in RATES:
        return f"{number_format(float(value) * 100, 2)} %"
    return value


def tier_reason(assessment: TierAssessment | None, run: TieringRun | None) -> str:
    """One sentence: where the seller ranked and what the tier it got asks for."""
    if run is None:
        return gettext("Tiers have not been computed yet.")
    if assessment is None:
        return gettext(
            "Not ranked in %(month)s: no operating indicator measured within the last %(days)s "
            "days, or the company's identity is not verified."
        ) % {"month": f"{run.period:%Y-%m}", "days": run.rules.get("indicator_max_age_days")}
    values = {
        "rank": assessment.rank,
        "active": run.active_sellers,
        "score": number_format(assessment.score, 2),
        "gold_slots": run.rules.get("gold_slots"),
        "slots": run.rules.get("slots"),
        "gold_min": run.rules.get("gold_min_score"),
        "silver_min": run.rules.get("silver_min_score"),
    }
    if assessment.tier == SellerCompany.Tier.GOLD:
        text = gettext(
            "Ranked %(rank)s of %(active)s active sellers with %(score)s points: gold goes to the "
            "top %(gold_slots)s with at least %(gold_min)s points."
        )
    elif assessment.tier == SellerCompany.Tier.SILVER:
        text = gettext(
            "Ranked %(rank)s of %(active)s active sellers with %(score)s points: silver goes to "
            "the next sellers within the top %(slots)s with at least %(silver_min)s points."
        )
    else:
        text = gettext(
            "Ranked %(rank)s of %(active)s active sellers with %(score)s points: gold and silver "
            "go to the top %(slots)s with at least %(silver_min)s points (gold %(gold_min)s)."
        )
    return text % values


def tier_explanation(company: SellerCompany) -> TierExplanation:
    """The seller's tier, the latest run's score and parts, and the tier history."""
    run = TieringRun.objects.order_by("-period").first()
    assessment = (
        None if run is None else TierAssessment.objects.filter(run=run, company=company).first()
    )
    parts = []
    if assessment is not None:
        # In the labels' order: the stored JSON keeps no order of its own.
        parts = [
            TierPart(
                label=str(label),
                value=_shown(indicator, part["value"]),
                measured_on=part["measured_on"],
                missing=part["missing"],
                weight=part["weight"],
                points=part["points"],
            )
            for indicator, label in INDICATOR_LABELS.items()
            if (part := assessment.parts.get(indicator)) is not None
        ]
    return TierExplanation(
        tier=company.tier,
        tier_label=str(company.get_tier_display()),
        run=run,
        assessment=assessment,
        parts=parts,
        reason=tier_reason(assessment, run),
        history=list(
            company.tier_changes.select_related("run").order_by("-created_at", "-pk")[
                :HISTORY_LINES
            ]
        ),
    )
