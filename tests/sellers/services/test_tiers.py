"""The monthly tiering: scores from fresh indicators, gold and silver held to their share,
ranks with stated tie-breaks, the tier history, and a repeat that changes nothing."""

import datetime
import importlib
from decimal import Decimal

from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import timezone

from sellers.models import (
    IndicatorUpdate,
    SellerCompany,
    TierAssessment,
    TierChange,
    TieringRun,
)
from sellers.services.tiers import tiering_run
from sellers.tasks import tiering_run as tiering_task
from tests.catalogue import chinese_client, untranslated_on, visible_text
from tests.pages import logged_in
from tests.sellers.factories import ApplicationFactory

TODAY = datetime.date(2026, 12, 1)
Tier = SellerCompany.Tier
ALL = ("quality_dispute_rate", "nps", "infringement_complaints", "on_time_delivery_rate")
ALL += ("overseas_stock_days",)


def _measured(on: datetime.date = TODAY, indicators=ALL) -> dict:
    return dict.fromkeys(indicators, on.isoformat())


def _company(number: int, **fields) -> SellerCompany:
    values = {
        "legal_name": f"Seller {number:06d} Co., Ltd.",
        "country": "DE",
        "registration_number": f"HRB{number:08d}",
        "identity_status": SellerCompany.IdentityStatus.VERIFIED,
        "quality_dispute_rate": Decimal("0.0010"),
        "nps": 50,
        "infringement_complaints": 0,
        "on_time_delivery_rate": Decimal("0.9500"),
        "overseas_stock_days": 20,
        "indicators_measured_on": _measured(),
    }
    return SellerCompany(**(values | fields))


def _state() -> dict:
    return {
        "assessments": sorted(
            TierAssessment.objects.values_list("company_id", "score", "rank", "tier", "parts")
        ),
        "tiers": sorted(SellerCompany.objects.values_list("pk", "tier")),
        "changes": sorted(TierChange.objects.values_list("company_id", "from_tier", "to_tier")),
        "runs": TieringRun.objects.count(),
    }


def test_ten_thousand_sellers_get_five_percent_gold_and_silver_explained_and_stable(
    db, django_assert_max_num_queries
):
    SellerCompany.objects.bulk_create(
        _company(
            n,
            quality_dispute_rate=Decimal(n * 7 % 150) / 10000,
            nps=n % 151 - 50,
            infringement_complaints=n % 3,
            on_time_delivery_rate=Decimal(850 + n * 13 % 150) / 1000,
            overseas_stock_days=n % 45,
        )
        for n in range(10_000)
    )

    # A bounded number of queries, whatever the number of sellers: no query per seller.
    with django_assert_max_num_queries(40):
        run = tiering_run(today=TODAY)
    first = _state()
    again = tiering_run(today=TODAY)

    assert (run.active_sellers, run.gold, run.silver) == (10_000, 100, 400)
    tiers = SellerCompany.objects.values_list("tier", flat=True)
    assert (list(tiers).count(Tier.GOLD), list(tiers).count(Tier.SILVER)) == (100, 400)
    assessments = list(TierAssessment.objects.filter(run=run).order_by("rank"))
    assert [a.rank for a in assessments] == list(range(1, 10_001))
    assert {a.tier for a in assessments[:100]} == {Tier.GOLD}
    assert {a.tier for a in assessments[100:500]} == {Tier.SILVER}
    assert {a.tier for a in assessments[500:]} == {Tier.STANDARD}
    for assessment in assessments:
        assert assessment.score == sum(Decimal(p["points"]) for p in assessment.parts.values())
    scores = [a.score for a in assessments]
    assert scores == sorted(scores, reverse=True)
    assert assessments[99].score >= 80
    assert assessments[499].score >= 60
    assert len(first["changes"]) == 500
    assert (again.pk, _state()) == (run.pk, first)


def test_an_indicator_measured_too_long_ago_counts_as_missing_not_as_good(db):
    stale_day = TODAY - datetime.timedelta(days=46)
    fresh, stale_nps, gone = SellerCompany.objects.bulk_create(
        [
            _company(1),
            _company(2, indicators_measured_on=_measured() | {"nps": stale_day.isoformat()}),
            _company(3, tier=Tier.GOLD, indicators_measured_on=_measured(stale_day)),
        ]
    )

    run = tiering_run(today=TODAY)

    parts = {a.company_id: a.parts for a in TierAssessment.objects.filter(run=run)}
    assert parts[fresh.pk]["nps"] == {
        "value": "50",
        "measured_on": "2026-12-01",
        "missing": False,
        "weight": "25.00",
        "points": "12.50",
    }
    assert parts[stale_nps.pk]["nps"] == {
        "value": "50",
        "measured_on": stale_day.isoformat(),
        "missing": True,
        "weight": "25.00",
        "points": "0.00",
    }
    # Nothing fresh: not an active seller, and no longer gold.
    assert gone.pk not in parts
    assert run.active_sellers == 2
    gone.refresh_from_db()
    assert gone.tier == Tier.STANDARD
    assert list(TierChange.objects.values_list("company_id", "from_tier", "to_tier")) == [
        (gone.pk, Tier.GOLD, Tier.STANDARD)
    ]


def test_ties_go_to_fewer_complaints_then_earlier_sign_up_then_lower_id(db, settings):
    # Only NPS scores, so that the complaints count breaks ties without changing the score.
    settings.TIER_WEIGHTS = {"nps": 100}
    early = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    late = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    companies = SellerCompany.objects.bulk_create(
        [
            _company(1, infringement_complaints=1),
            _company(2),
            _company(3),
            _company(4),
            _company(5, nps=90),
        ]
    )
    for company, created in zip(companies, [early, late, late, early, late], strict=True):
        SellerCompany.objects.filter(pk=company.pk).update(created_at=created)

    run = tiering_run(today=TODAY)

    ranked = TierAssessment.objects.filter(run=run).order_by("rank")
    order = [companies.index(a.company) + 1 for a in ranked]
    assert order == [5, 4, 2, 3, 1]
    assert [a.score for a in ranked] == [Decimal("90.00")] + [Decimal("50.00")] * 4


def test_the_share_caps_gold_and_silver_and_the_least_scores_hold_within_it(db, settings):
    settings.TIER_SHARE_BP = 2000
    settings.TIER_GOLD_SHARE_BP = 1000
    strong = [_company(n, nps=100, overseas_stock_days=30) for n in range(3)]
    weak = [_company(10 + n, nps=-20, on_time_delivery_rate=Decimal("0.5")) for n in range(7)]
    SellerCompany.objects.bulk_create(strong + weak)

    run = tiering_run(today=TODAY)

    ranked = list(TierAssessment.objects.filter(run=run).order_by("rank"))
    # 10 active sellers: 1 gold place, 2 places in all.
    assert [a.tier for a in ranked[:3]] == [Tier.GOLD, Tier.SILVER, Tier.STANDARD]
    assert (run.gold, run.silver, run.rules["slots"], run.rules["gold_slots"]) == (1, 1, 2, 1)

    settings.TIER_SILVER_MIN_SCORE = 99
    settings.TIER_GOLD_MIN_SCORE = 99
    rerun = tiering_run(today=TODAY)

    # The best score, 94.75, is short of both least scores: nobody is gold or silver.
    assert ranked[0].score == Decimal("94.75")
    assert (rerun.gold, rerun.silver) == (0, 0)
    assert not SellerCompany.objects.exclude(tier=Tier.STANDARD).exists()
    assert list(TierChange.objects.order_by("pk").values_list("from_tier", "to_tier")) == [
        (Tier.STANDARD, Tier.GOLD),
        (Tier.STANDARD, Tier.SILVER),
        (Tier.GOLD, Tier.STANDARD),
        (Tier.SILVER, Tier.STANDARD),
    ]


def test_the_seller_reads_its_tier_its_points_and_why_in_both_languages(seller_a, settings):
    settings.TIER_SHARE_BP = 10000
    settings.TIER_GOLD_SHARE_BP = 10000
    settings.TIER_GOLD_MIN_SCORE = 50
    SellerCompany.objects.filter(pk=seller_a.company.pk).update(
        nps=80, on_time_delivery_rate=Decimal("0.99"), indicators_measured_on=_measured()
    )
    tiering_run(today=TODAY)

    text = visible_text(logged_in(seller_a.owner).get(reverse("portal:tier")))
    chinese = chinese_client(seller_a.owner).get(reverse("portal:tier"))

    assert "Seller tier: | Gold" in text
    assert (
        "Ranked 1 of 1 active sellers with 84.25 points: gold goes to the top 1 with at least "
        "50 points."
    ) in text
    assert (
        "Quality-dispute rate | 0.00 % | 2026-12-01 | 30.00 of 30.00 | Buyer NPS | 80 | "
        "2026-12-01 | 20.00 of 25.00 | Open infringement complaints | 0 | 2026-12-01 | "
        "20.00 of 20.00 | On-time delivery rate | 99.00 % | 2026-12-01 | 14.25 of 15.00 | "
        "Overseas warehouse stock (days of sales) | — | missing or out of date | 0.00 of 10.00 | "
        "Score | 84.25"
    ) in text
    assert "2026-12: Standard → Gold" in text
    assert untranslated_on(chinese) == []


def test_a_seller_not_yet_ranked_is_told_why(seller_a):
    SellerCompany.objects.filter(pk=seller_a.company.pk).update(indicators_measured_on={})
    tiering_run(today=TODAY)

    text = visible_text(logged_in(seller_a.owner).get(reverse("portal:tier")))

    assert "Seller tier: | Standard" in text
    assert "Not ranked in 2026-12: no operating indicator measured within the last 45 days" in text


def test_reviewers_see_the_tier_reason_in_the_workspace(reviewer):
    application = ApplicationFactory(awaiting_review=True)
    SellerCompany.objects.filter(pk=application.company_id).update(
        nps=40, indicators_measured_on=_measured(indicators=["nps"])
    )
    tiering_run(today=TODAY)

    text = visible_text(
        logged_in(reviewer).get(reverse("reviews:workspace", args=[application.pk]))
    )

    assert "Ranked 1 of 1 active sellers with 10.00 points" in text
    assert "Quality-dispute rate | 0.00 % | missing or out of date | 0.00 of 30.00" in text


def test_the_beat_runs_the_tiering_monthly_and_the_task_sets_the_tiers(db, settings):
    company = SellerCompany.objects.bulk_create([_company(1, nps=100)])[0]
    settings.TIER_GOLD_SHARE_BP = 10000
    settings.TIER_SHARE_BP = 10000

    tiering_task.apply()

    entry = settings.CELERY_BEAT_SCHEDULE["tiering-monthly"]
    assert entry["task"] == "sellers.tasks.tiering_run"
    assert (entry["schedule"].day_of_month, entry["schedule"].hour) == ({1}, {2})
    company.refresh_from_db()
    assert company.tier == Tier.GOLD
    assert TieringRun.objects.get().active_sellers == 1


def test_the_migration_dates_indicators_from_their_history_so_tiers_survive_it(db):
    migration = importlib.import_module("sellers.migrations.0028_seller_tiers")
    company = SellerCompany.objects.bulk_create([_company(1, indicators_measured_on={})])[0]
    for as_of, changes in [
        (datetime.date(2026, 10, 31), {"nps": {}, "tier": {}}),
        (datetime.date(2026, 11, 30), {"nps": {}}),
        (None, {"quality_dispute_rate": {}}),
    ]:
        IndicatorUpdate.objects.create(
            company=company, actor_label="scoring", changes=changes, as_of=as_of
        )

    migration.measured_on_from_history(django_apps, None)

    company.refresh_from_db()
    assert company.indicators_measured_on == {
        "nps": "2026-11-30",
        "quality_dispute_rate": timezone.localdate().isoformat(),
    }
