"""Gold and silver sellers, computed each month from the operating indicators.

Every active seller gets a score out of 100 from its indicators, each indicator weighted as
``TIER_WEIGHTS`` says; an indicator never measured, or measured longer ago than
``TIER_INDICATOR_MAX_AGE_DAYS``, earns nothing. The sellers are ranked by score, then fewer open
infringement complaints, then earlier sign-up, then id. The top ``TIER_GOLD_SHARE_BP`` of the
active sellers are gold and the next ones up to ``TIER_SHARE_BP`` silver, each only with at
least the tier's least score, so gold and silver together never pass the share.

Active: a seller whose identity is verified and that has at least one indicator measured
within the freshness limit; a seller the marketplace no longer reports on has nothing to rank.
"""

import math
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sellers.models import SellerCompany, TierAssessment, TierChange, TieringRun

Tier = SellerCompany.Tier
TIER_INDICATORS = (
    "quality_dispute_rate",
    "nps",
    "infringement_complaints",
    "on_time_delivery_rate",
    "overseas_stock_days",
)
CENT = Decimal("0.01")
ONE = Decimal(1)
ZERO = Decimal(0)
BATCH = 2000


def _rules() -> dict:
    return {
        "weights": dict(settings.TIER_WEIGHTS),
        "share_bp": settings.TIER_SHARE_BP,
        "gold_share_bp": settings.TIER_GOLD_SHARE_BP,
        "gold_min_score": settings.TIER_GOLD_MIN_SCORE,
        "silver_min_score": settings.TIER_SILVER_MIN_SCORE,
        "dispute_rate_limit_bp": settings.TIER_DISPUTE_RATE_LIMIT_BP,
        "complaints_limit": settings.TIER_COMPLAINTS_LIMIT,
        "on_time_floor_bp": settings.TIER_ON_TIME_FLOOR_BP,
        "overseas_stock_target_days": settings.TIER_OVERSEAS_STOCK_TARGET_DAYS,
        "indicator_max_age_days": settings.TIER_INDICATOR_MAX_AGE_DAYS,
    }


def _fraction(indicator: str, value, rules: dict) -> Decimal:
    """How much of its weight an indicator's value earns, 0 to 1."""
    value = Decimal(value)
    if indicator == "quality_dispute_rate":
        earned = ONE - value * 10000 / rules["dispute_rate_limit_bp"]
    elif indicator == "nps":
        earned = value / 100
    elif indicator == "infringement_complaints":
        earned = ONE - value / rules["complaints_limit"]
    elif indicator == "on_time_delivery_rate":
        floor = rules["on_time_floor_bp"]
        earned = (value * 10000 - floor) / (10000 - floor)
    else:
        earned = value / rules["overseas_stock_target_days"]
    return min(ONE, max(ZERO, earned))


def tier_fresh_since(today: date) -> date:
    """The first day an indicator may have been measured on to count in a run of ``today``."""
    return today - timedelta(days=settings.TIER_INDICATOR_MAX_AGE_DAYS)


def _missing(value, on: str | None, fresh_since: date) -> bool:
    return value is None or on is None or date.fromisoformat(on) < fresh_since


def indicators_stale(row: dict, fresh_since: date) -> dict[str, str | None]:
    """The weighted indicators of a seller (a row with the indicator fields and
    ``indicators_measured_on``) that the tiering counts as missing: each with the day it was
    last measured, None when never."""
    measured = row["indicators_measured_on"] or {}
    return {
        indicator: measured.get(indicator) if row[indicator] is not None else None
        for indicator in TIER_INDICATORS
        if settings.TIER_WEIGHTS.get(indicator)
        and _missing(row[indicator], measured.get(indicator), fresh_since)
    }


def _assess(row: dict, rules: dict, fresh_since: date) -> tuple[Decimal, dict]:
    """A seller's score and its parts; stale and unmeasured indicators earn nothing."""
    total_weight = sum(rules["weights"].values())
    measured = row["indicators_measured_on"] or {}
    parts = {}
    for indicator in TIER_INDICATORS:
        weight = Decimal(rules["weights"].get(indicator, 0)) * 100 / total_weight
        value = row[indicator]
        on = measured.get(indicator)
        missing = _missing(value, on, fresh_since)
        points = ZERO if missing else weight * _fraction(indicator, value, rules)
        parts[indicator] = {
            "value": None if value is None else str(value),
            "measured_on": on,
            "missing": missing,
            "weight": str(weight.quantize(CENT)),
            "points": str(points.quantize(CENT)),
        }
    # The sum of the parts as shown, so that the explanation adds up to the score exactly.
    return sum(Decimal(part["points"]) for part in parts.values()), parts


def _is_active(row: dict, fresh_since: date) -> bool:
    measured = row["indicators_measured_on"] or {}
    return row["identity_status"] == SellerCompany.IdentityStatus.VERIFIED and any(
        date.fromisoformat(on) >= fresh_since for on in measured.values()
    )


def _tier_for(index: int, score: Decimal, counts: dict, rules: dict) -> str:
    if index < counts["gold_slots"] and score >= rules["gold_min_score"]:
        return Tier.GOLD
    if counts["gold"] + counts["silver"] < counts["slots"] and score >= rules["silver_min_score"]:
        return Tier.SILVER
    return Tier.STANDARD


def tiering_run(*, today: date | None = None) -> TieringRun:
    """Rank every active seller, store each score with its parts, and set the tiers.

    One run per month: running it again recomputes the month's rows in place, and a seller's
    tier (and its history) changes only if the new result differs. A few bulk queries,
    whatever the number of sellers.
    """
    today = today or timezone.localdate()
    rules = _rules()
    fresh_since = tier_fresh_since(today)
    with transaction.atomic():
        run, _created = TieringRun.objects.get_or_create(
            period=today.replace(day=1),
            defaults={"measured_on": today, "started_at": timezone.now()},
        )
        # Held to the end: a second run of the month waits, then reads the tiers this one set.
        run = TieringRun.objects.select_for_update().get(pk=run.pk)
        rows = list(
            SellerCompany.objects.order_by().values(
                "pk", "created_at", "tier", "identity_status", "indicators_measured_on",
                *TIER_INDICATORS,
            )
        )  # fmt: skip
        active = [row for row in rows if _is_active(row, fresh_since)]
        scored = []
        for row in active:
            score, parts = _assess(row, rules, fresh_since)
            # An unmeasured complaints count breaks ties as the worst, not as none.
            missing = parts["infringement_complaints"]["missing"]
            complaints = math.inf if missing else row["infringement_complaints"]
            scored.append((-score, complaints, row["created_at"], row["pk"], score, parts))
        scored.sort(key=lambda item: item[:4])
        counts = {
            "slots": len(active) * rules["share_bp"] // 10000,
            "gold_slots": len(active) * rules["gold_share_bp"] // 10000,
            "gold": 0,
            "silver": 0,
        }
        assessments, new_tiers = [], {}
        for index, (*_key, pk, score, parts) in enumerate(scored):
            tier = _tier_for(index, score, counts, rules)
            if tier != Tier.STANDARD:
                counts[tier] += 1
            new_tiers[pk] = tier
            assessments.append(
                TierAssessment(
                    run=run, company_id=pk, score=score, parts=parts, rank=index + 1, tier=tier
                )
            )
        TierAssessment.objects.bulk_create(
            assessments,
            batch_size=BATCH,
            update_conflicts=True,
            unique_fields=["run", "company"],
            update_fields=["score", "parts", "rank", "tier"],
        )
        # Sellers that were active earlier in the month and no longer are.
        gone = set(run.assessments.values_list("company_id", flat=True)) - set(new_tiers)
        run.assessments.filter(company_id__in=gone).delete()
        changes = [
            TierChange(company_id=row["pk"], run=run, from_tier=row["tier"], to_tier=to_tier)
            for row in rows
            if (to_tier := new_tiers.get(row["pk"], Tier.STANDARD)) != row["tier"]
        ]
        for tier in Tier.values:
            ids = [change.company_id for change in changes if change.to_tier == tier]
            for start in range(0, len(ids), BATCH * 5):
                SellerCompany.objects.filter(pk__in=ids[start : start + BATCH * 5]).update(
                    tier=tier
                )
        TierChange.objects.bulk_create(changes, batch_size=BATCH)
        run.measured_on = today
        run.active_sellers = len(active)
        run.gold = counts["gold"]
        run.silver = counts["silver"]
        run.rules = rules | {"slots": counts["slots"], "gold_slots": counts["gold_slots"]}
        run.finished_at = timezone.now()
        run.save()
    return run
