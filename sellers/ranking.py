"""The brand score that orders the waiting list: screening risk and the seller's indicators.

The parts are stored with the score so that a reviewer can see why one brand stands before
another, and so that later changes to a seller's indicators do not reshuffle the list silently.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from sellers.models import Application, SellerCompany

BASE_POINTS = 100
TIER_POINTS = {SellerCompany.Tier.GOLD: 20, SellerCompany.Tier.SILVER: 10}
# One point off per tenth of a percent of orders disputed for quality, at most 50.
DISPUTE_POINTS_PER_UNIT = 1000
DISPUTE_POINTS_MAX = 50
COMPLAINT_POINTS = 15

PART_LABELS = {
    "base": _("Starting points"),
    "screening_risk": _("Screening risk score"),
    "tier": _("Seller tier"),
    "dispute_rate": _("Quality-dispute rate"),
    "complaints": _("Open infringement complaints"),
}


def brand_score(application: Application) -> tuple[int, list[dict]]:
    """The score (higher ranks first) and its parts, each ``{"part", "value", "points"}``."""
    company = application.company
    risk = application.risk_score or 0
    rate = Decimal(company.quality_dispute_rate or 0)
    parts = [
        {"part": "base", "value": "", "points": BASE_POINTS},
        {"part": "screening_risk", "value": str(risk), "points": -risk},
        {
            "part": "tier",
            "value": company.tier,
            "points": TIER_POINTS.get(company.tier, 0),
        },
        {
            "part": "dispute_rate",
            "value": f"{rate * 100:.2f} %",
            "points": -min(DISPUTE_POINTS_MAX, round(rate * DISPUTE_POINTS_PER_UNIT)),
        },
        {
            "part": "complaints",
            "value": str(company.infringement_complaints),
            "points": -COMPLAINT_POINTS * company.infringement_complaints,
        },
    ]
    return sum(part["points"] for part in parts), parts
