"""Operating indicators gone stale, monthly: what the tiering counts as missing is told.

Every company with an application past its draft and not ended (open, waiting, admitted or
suspended) whose weighted indicators were measured longer ago than
``TIER_INDICATOR_MAX_AGE_DAYS``, or never, is looked at:

- its owner hears which ones, in the portal's inbox and by mail, in the owner's language,
  once for the same indicators last measured on the same days (a new measurement that goes
  stale in turn is told again);
- each of its admitted brands gets the failed finding ``stale_indicators`` in this month's
  re-certification run (a suspended one in the case it is suspended under), so reviewers
  see it on the re-certification page; once per month.
"""

import datetime
import logging
from collections import defaultdict

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from reviews.recertification import recertification_finding_add
from sellers.models import Application, SellerCompany, Status
from sellers.services.expiry import ENDED_STATUSES
from sellers.services.indicators import indicators_stale_notice_send
from sellers.services.tiers import TIER_INDICATORS, indicators_stale, tier_fresh_since
from sellers.tiering import INDICATOR_LABELS

logger = logging.getLogger(__name__)

STALE_INDICATORS = "stale_indicators"
STALE_INDICATORS_TITLE = _("Operating indicators out of date")
ADMITTED = (Status.APPROVED, Status.SUSPENDED)


def stale_indicators_review(*, today: datetime.date | None = None) -> dict[str, list[int]]:
    """Returns the companies told now and the applications given a finding now."""
    today = today or timezone.localdate()
    fresh_since = tier_fresh_since(today)
    in_program = Application.objects.exclude(status__in=ENDED_STATUSES)
    admitted = defaultdict(list)
    for company_id, application_id in (
        in_program.filter(status__in=ADMITTED).order_by("pk").values_list("company_id", "pk")
    ):
        admitted[company_id].append(application_id)
    companies = (
        SellerCompany.objects.filter(pk__in=in_program.values("company_id"))
        .order_by("pk")
        .values("pk", "indicators_measured_on", *TIER_INDICATORS)
    )
    done = {"told": [], "findings": []}
    for row in companies:
        stale = indicators_stale(row, fresh_since)
        if not stale:
            continue
        if indicators_stale_notice_send(company_id=row["pk"], stale=stale):
            done["told"].append(row["pk"])
        finding = _finding(stale, fresh_since)
        for application_id in admitted[row["pk"]]:
            if recertification_finding_add(
                application_id=application_id, code=STALE_INDICATORS, finding=finding, today=today
            ):
                done["findings"].append(application_id)
    logger.info("stale indicators reviewed: %s", {key: len(ids) for key, ids in done.items()})
    return done


def _finding(stale: dict[str, str | None], fresh_since: datetime.date) -> dict:
    # Findings are stored in English, as the checks' are.
    with translation.override("en"):
        listed = "; ".join(
            f"{label} ({_when(stale[indicator])})"
            for indicator, label in INDICATOR_LABELS.items()
            if indicator in stale
        )
    return {
        "outcome": "fail",
        "score": 0,
        "explanation": (
            f"Operating indicators not measured since {fresh_since:%Y-%m-%d}, which the "
            f"seller tier counts as missing: {listed}."
        ),
        "evidence": {"stale": stale, "fresh_since": fresh_since.isoformat()},
        "flags": [],
        "source": "Seller indicators",
        "data_version": "",
        "checked_at": timezone.now().isoformat(),
    }


def _when(measured_on: str | None) -> str:
    return f"last measured on {measured_on}" if measured_on else "never measured"
