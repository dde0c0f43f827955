"""Operating indicators older than the freshness limit, or never measured, count as missing in
the tier: the monthly run tells the seller once, in their language, and puts a finding on the
re-certification page for each admitted brand; fresh indicators produce nothing."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core import mail
from django.urls import reverse

from reviews.models import RecertificationCase, RecertificationRun
from reviews.recertification import recertification_check_codes
from reviews.stale_indicators import STALE_INDICATORS, stale_indicators_review
from reviews.tasks import stale_indicators_review as stale_indicators_task
from sellers.models import Membership, Notification, SellerCompany, Status
from tests.catalogue import visible_text
from tests.pages import logged_in, page_text
from tests.reviews.recertification_support import THIS_MONTH, TODAY, admitted, suspend
from tests.sellers.factories import ApplicationFactory

ALL = ("quality_dispute_rate", "nps", "infringement_complaints", "on_time_delivery_rate")
ALL += ("overseas_stock_days",)
FRESH = TODAY - datetime.timedelta(days=3)
STALE = TODAY - datetime.timedelta(days=60)


def _indicators(company, **measured_on):
    """Every indicator reported, each measured on FRESH unless given another day."""
    SellerCompany.objects.filter(pk=company.pk).update(
        quality_dispute_rate=Decimal("0.0040"),
        nps=42,
        infringement_complaints=0,
        on_time_delivery_rate=Decimal("0.9600"),
        overseas_stock_days=25,
        indicators_measured_on={
            indicator: measured_on.get(indicator, FRESH).isoformat() for indicator in ALL
        },
    )


def _review(capture, **kwargs):
    with capture(execute=True):
        return stale_indicators_review(**kwargs)


def test_a_stale_indicator_is_told_once_and_recorded_for_the_admitted_brand(
    seller_a, django_capture_on_commit_callbacks
):
    _indicators(seller_a.company, nps=STALE)
    application = admitted(seller_a)
    ApplicationFactory(company=seller_a.company, in_review=True, brand__name="LUMIGLOW")

    first = _review(django_capture_on_commit_callbacks)
    second = _review(django_capture_on_commit_callbacks)

    assert first == {"told": [seller_a.company.pk], "findings": [application.pk]}
    assert second == {"told": [], "findings": []}
    notice = Notification.objects.get()
    assert (notice.user, notice.application, notice.link) == (
        seller_a.owner,
        None,
        reverse("portal:tier"),
    )
    assert notice.subject == "Your operating indicators are out of date"
    assert f"Buyer NPS: last measured on {STALE:%Y-%m-%d}" in notice.body
    assert "Quality-dispute rate" not in notice.body
    assert [(m.to, m.subject) for m in mail.outbox] == [([seller_a.owner.email], notice.subject)]
    run = RecertificationRun.objects.get(application=application, period=THIS_MONTH)
    # This month's run carries the finding beside its own checks, once.
    assert run.check_codes == [*recertification_check_codes(), STALE_INDICATORS]
    finding = run.findings[STALE_INDICATORS]
    assert finding["outcome"] == "fail"
    assert finding["evidence"]["stale"] == {"nps": STALE.isoformat()}
    assert f"Buyer NPS (last measured on {STALE:%Y-%m-%d})" in finding["explanation"]


def test_fresh_indicators_produce_no_notice_and_no_finding(
    seller_a, django_capture_on_commit_callbacks
):
    _indicators(seller_a.company)
    admitted(seller_a)

    assert _review(django_capture_on_commit_callbacks) == {"told": [], "findings": []}
    assert not Notification.objects.exists()
    assert not RecertificationRun.objects.exists()
    assert mail.outbox == []


def test_the_finding_opens_a_case_the_reviewer_reads_on_the_recertification_page(
    seller_a, reviewer, django_capture_on_commit_callbacks
):
    _indicators(seller_a.company, overseas_stock_days=STALE, on_time_delivery_rate=STALE)
    application = admitted(seller_a)
    run = RecertificationRun.objects.create(
        application=application,
        period=THIS_MONTH,
        check_codes=["trademark_registry"],
        findings={"trademark_registry": {"outcome": "pass"}},
        state=RecertificationRun.State.PASSED,
    )

    _review(django_capture_on_commit_callbacks)
    _review(django_capture_on_commit_callbacks)

    run.refresh_from_db()
    case = RecertificationCase.objects.get()
    assert (run.state, case.run, case.state, list(case.findings)) == (
        RecertificationRun.State.FAILED,
        run,
        RecertificationCase.State.OPEN,
        [STALE_INDICATORS],
    )
    listing = logged_in(reviewer).get(reverse("reviews:recertification_list"))
    assert "Operating indicators out of date" in page_text(listing)
    page = logged_in(reviewer).get(reverse("reviews:recertification_case", args=[case.pk]))
    text = page_text(page)
    assert "Operating indicators out of date" in text
    assert f"On-time delivery rate (last measured on {STALE:%Y-%m-%d})" in text
    assert "Overseas warehouse stock (days of sales) (last measured on" in text


def test_a_suspended_brand_gets_the_finding_in_its_suspended_case(
    seller_a, senior_reviewer, open_case, django_capture_on_commit_callbacks
):
    suspend(open_case, senior_reviewer)
    _indicators(seller_a.company, nps=STALE)

    done = _review(django_capture_on_commit_callbacks)
    _review(django_capture_on_commit_callbacks)

    open_case.refresh_from_db()
    assert done["findings"] == [open_case.application_id]
    assert open_case.state == RecertificationCase.State.SUSPENDED
    assert set(open_case.findings) == {"trademark_registry", STALE_INDICATORS}
    assert STALE_INDICATORS in RecertificationRun.objects.get(pk=open_case.run_id).findings
    # No new run is opened for a brand that is not re-checked while suspended.
    assert RecertificationRun.objects.count() == 1


def test_a_seller_never_measured_is_told_every_indicator_is_missing_without_a_case(
    seller_a, django_capture_on_commit_callbacks
):
    ApplicationFactory(company=seller_a.company, waitlisted=True)

    done = _review(django_capture_on_commit_callbacks)

    assert done == {"told": [seller_a.company.pk], "findings": []}
    body = Notification.objects.get().body
    for label in ("Quality-dispute rate", "Buyer NPS", "Open infringement complaints"):
        assert f"{label}: never measured" in body
    assert not RecertificationRun.objects.exists()


def test_a_new_measurement_that_goes_stale_again_is_told_again(
    seller_a, django_capture_on_commit_callbacks
):
    _indicators(seller_a.company, nps=STALE)
    ApplicationFactory(company=seller_a.company, submitted=True)
    _review(django_capture_on_commit_callbacks)

    later = TODAY + datetime.timedelta(days=90)
    _indicators(seller_a.company, **dict.fromkeys(ALL, FRESH))
    done = _review(django_capture_on_commit_callbacks, today=later)

    assert done["told"] == [seller_a.company.pk]
    assert Notification.objects.count() == 2
    assert "Quality-dispute rate: last measured on" in Notification.objects.first().body


def test_sellers_with_only_drafts_or_ended_applications_are_not_looked_at(
    seller_a, seller_b, django_capture_on_commit_callbacks
):
    ApplicationFactory(company=seller_a.company)
    ApplicationFactory(company=seller_b.company, submitted=True, status=Status.REVOKED)

    assert _review(django_capture_on_commit_callbacks) == {"told": [], "findings": []}
    assert not Notification.objects.exists()


def test_a_chinese_owner_is_told_in_chinese_and_reads_it_in_the_portal(
    seller_a, django_capture_on_commit_callbacks
):
    Membership.objects.filter(user=seller_a.owner).update(language="zh-hans")
    _indicators(seller_a.company, nps=STALE)
    ApplicationFactory(company=seller_a.company, awaiting_review=True)

    _review(django_capture_on_commit_callbacks)

    notice = Notification.objects.get()
    assert notice.subject == "您的经营指标已过期"
    nps = "买家净推荐值\N{FULLWIDTH LEFT PARENTHESIS}NPS\N{FULLWIDTH RIGHT PARENTHESIS}"
    assert f"{nps}\N{FULLWIDTH COLON}最近一次测量于 {STALE:%Y-%m-%d}" in notice.body
    assert "indicator" not in notice.body
    page = logged_in(seller_a.owner).get(reverse("portal:notifications"))
    assert notice.subject in visible_text(page)
    assert f'href="{reverse("portal:tier")}"' in page.content.decode()


def test_the_monthly_task_reviews_stale_indicators(seller_a, django_capture_on_commit_callbacks):
    _indicators(seller_a.company, nps=STALE)
    ApplicationFactory(company=seller_a.company, in_review=True)

    with django_capture_on_commit_callbacks(execute=True):
        stale_indicators_task.delay()

    assert Notification.objects.get().topic == f"stale-indicators:nps={STALE:%Y-%m-%d}"


def test_the_beat_runs_it_on_the_first_after_the_tiering_and_before_recertification():
    beat = settings.CELERY_BEAT_SCHEDULE

    def when(name):
        schedule = beat[name]["schedule"]
        return (schedule.day_of_month, min(schedule.hour), min(schedule.minute))

    assert beat["stale-indicators-monthly"]["task"] == "reviews.tasks.stale_indicators_review"
    assert when("tiering-monthly") < when("stale-indicators-monthly")
    assert when("stale-indicators-monthly") < when("recertification-monthly")
    assert when("stale-indicators-monthly")[0] == {1}
