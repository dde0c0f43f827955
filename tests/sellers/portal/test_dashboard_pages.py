"""The seller's list of applications comes a page at a time, newest change first."""

import datetime

from django.urls import reverse
from django.utils import timezone

from sellers.models import Application
from sellers.portal.applications import DASHBOARD_PAGE
from tests.pages import logged_in, page_text
from tests.sellers.factories import ApplicationFactory
from tests.sellers.portal.test_chinese import chinese_client

EXTRA = 3


def _applications(seller, count: int) -> list[Application]:
    """``count`` drafts, each changed a minute after the one before."""
    made = [ApplicationFactory(company=seller.company) for _ in range(count)]
    start = timezone.now() - datetime.timedelta(days=1)
    for minutes, application in enumerate(made):
        Application.objects.filter(pk=application.pk).update(
            updated_at=start + datetime.timedelta(minutes=minutes)
        )
    return made


def _listed(response) -> list[int]:
    return [application.pk for application in response.context["applications"]]


def test_a_long_list_comes_a_page_at_a_time_newest_change_first(seller_a, seller_b):
    made = _applications(seller_a, DASHBOARD_PAGE + EXTRA)
    ApplicationFactory(company=seller_b.company)
    client = logged_in(seller_a.owner)

    first = client.get(reverse("portal:dashboard"))
    second = client.get(reverse("portal:dashboard"), {"page": 2})

    newest_first = [application.pk for application in reversed(made)]
    assert _listed(first) == newest_first[:DASHBOARD_PAGE]
    assert _listed(second) == newest_first[DASHBOARD_PAGE:]
    assert 'rel="next" href="?page=2"' in page_text(first)
    assert "Page 1 of 2" in page_text(first)
    assert 'rel="prev" href="?page=1"' in page_text(second)
    assert 'rel="next"' not in page_text(second)


def test_a_page_out_of_range_or_malformed_shows_a_page_that_exists(seller_a):
    made = _applications(seller_a, DASHBOARD_PAGE + EXTRA)
    client = logged_in(seller_a.owner)

    beyond = client.get(reverse("portal:dashboard"), {"page": 99})
    malformed = client.get(reverse("portal:dashboard"), {"page": "2'; --"})

    assert _listed(beyond) == [application.pk for application in reversed(made[:EXTRA])]
    assert _listed(malformed) == [application.pk for application in reversed(made)][:DASHBOARD_PAGE]


def test_a_short_list_has_no_pager(seller_a):
    _applications(seller_a, 2)

    page = logged_in(seller_a.owner).get(reverse("portal:dashboard"))

    assert len(_listed(page)) == 2
    assert 'class="pager"' not in page_text(page)


def test_the_wait_for_a_decision_is_told_whichever_page_the_application_is_on(seller_a):
    waiting = ApplicationFactory(company=seller_a.company, awaiting_review=True)
    _applications(seller_a, DASHBOARD_PAGE)
    Application.objects.filter(pk=waiting.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=30)
    )

    first = logged_in(seller_a.owner).get(reverse("portal:dashboard"))

    assert waiting.pk not in _listed(first)
    assert [item["program"] for item in first.context["decision_times"]] == [waiting.program]


def test_the_pager_reads_in_chinese(seller_a):
    _applications(seller_a, DASHBOARD_PAGE + EXTRA)

    text = page_text(chinese_client(seller_a.owner).get(reverse("portal:dashboard")))

    assert "第 1 页，共 2 页" in text  # noqa: RUF001
    assert "下一页" in text
    assert "我的申请分页" in text
