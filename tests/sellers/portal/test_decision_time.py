"""The seller's pages say how long recent decisions took while an application waits for one."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.pages import logged_in, page_text
from tests.sellers.factories import ApplicationFactory, ProgramFactory

SIX_DAYS = "Recent decisions took about 6 days (median of 5 decisions in the last 90 days)."
TOO_FEW = "Too few recent decisions to estimate the time to a decision."


def decide_five_in_about_six_days(program) -> None:
    now = timezone.now()
    for days_taken in (2, 5, 6, 7, 20):
        ApplicationFactory(
            program=program,
            approved=True,
            submitted_at=now - datetime.timedelta(days=days_taken + 1),
            decided_at=now - datetime.timedelta(days=1),
        )


@pytest.fixture
def waiting(seller_a):
    return ApplicationFactory(company=seller_a.company, awaiting_review=True)


def test_dashboard_and_detail_state_the_recent_time_to_a_decision(seller_a, waiting):
    decide_five_in_about_six_days(waiting.program)
    client = logged_in(seller_a.owner)

    dashboard = client.get(reverse("portal:dashboard"))
    detail = client.get(reverse("portal:application_detail", args=[waiting.pk]))

    assert f'<li class="decision-time">{SIX_DAYS}</li>' in page_text(dashboard)
    assert f'<p class="decision-time">{SIX_DAYS}</p>' in page_text(detail)


def test_pages_say_when_there_are_too_few_decisions_to_estimate(seller_a, waiting):
    other = ProgramFactory(slug="other-program", name="Other Program")
    decide_five_in_about_six_days(other)
    client = logged_in(seller_a.owner)

    dashboard = client.get(reverse("portal:dashboard"))
    detail = client.get(reverse("portal:application_detail", args=[waiting.pk]))

    assert f'<li class="decision-time">{TOO_FEW}</li>' in page_text(dashboard)
    assert f'<p class="decision-time">{TOO_FEW}</p>' in page_text(detail)


def test_no_estimate_is_shown_when_nothing_waits_for_a_decision(seller_a):
    application = ApplicationFactory(company=seller_a.company, changes_requested=True)
    decide_five_in_about_six_days(application.program)
    client = logged_in(seller_a.owner)

    dashboard = client.get(reverse("portal:dashboard"))
    detail = client.get(reverse("portal:application_detail", args=[application.pk]))

    assert dashboard.context["decision_times"] == []
    assert "decision-time" not in page_text(dashboard)
    assert "decision-time" not in page_text(detail)


def test_time_to_a_decision_reads_in_chinese(seller_a, waiting):
    # The catalogue is compiled by `make test`; compile it here too for a bare pytest run.
    call_command("compilemessages", "--ignore=.venv", verbosity=0)
    decide_five_in_about_six_days(waiting.program)
    client = logged_in(seller_a.owner)
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})

    detail = client.get(reverse("portal:application_detail", args=[waiting.pk]))

    # Chinese text uses full-width punctuation; RUF001 would have it replaced by ASCII.
    sentence = "近期的审核结果约需 6 天（过去 90 天内 5 个审核结果的中位数）。"  # noqa: RUF001
    assert f'<p class="decision-time">{sentence}</p>' in page_text(detail)
