"""A check's explanation is read in the reader's language, whatever language the submitter used:
an English reviewer reads English, a Chinese reviewer Chinese, the seller their own, and the
API the request's."""

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from reviews.models import CheckResult, ScreeningRun
from sellers.models import Membership, SellerCompany, Status
from tests.catalogue import chinese_client, untranslated_on
from tests.pages import logged_in
from tests.sellers.factories import ApplicationFactory

HAN = re.compile(r"[\u4e00-\u9fff]")
CHINESE_COVERAGE = "申请中的商标没有尼斯分类；请按注册证填写类别。"  # noqa: RUF001 (full-width)


@pytest.fixture(autouse=True)
def _compiled_catalog():
    # The catalogue is compiled by `make test`; compile it here too for a bare pytest run.
    call_command("compilemessages", "--ignore=.venv", verbosity=0)


@pytest.fixture
def submitted_in_chinese(seller_a, settings, django_capture_on_commit_callbacks):
    """A Chinese-speaking seller submits from the portal in Chinese; screening runs in that
    request, as it does in the embedded default, and finds the company unverified and the
    trademark without a Nice class, which sends the application back."""
    settings.SCREENING_RETURN_INCOMPLETE = True
    Membership.objects.filter(user=seller_a.owner).update(language="zh-hans")
    SellerCompany.objects.filter(pk=seller_a.company.pk).update(
        identity_status=SellerCompany.IdentityStatus.UNVERIFIED
    )
    application = ApplicationFactory(
        company=seller_a.company, brand__name="LUMIBRIGHT", trademark__nice_classes=[]
    )
    seller = chinese_client(seller_a.owner)
    with django_capture_on_commit_callbacks(execute=True):
        seller.post(
            reverse("portal:application_action", args=[application.pk]), {"action": "submit"}
        )
    application.refresh_from_db()
    assert application.status == Status.CHANGES_REQUESTED
    return application, seller


def _explanations(response) -> dict[str, str]:
    return {result.check_code: result.explanation for result in response.context["results"]}


def test_an_english_reviewer_reads_every_explanation_in_english(submitted_in_chinese, reviewer):
    application, _seller = submitted_in_chinese
    stored = dict(
        CheckResult.objects.filter(run__application=application).values_list(
            "check_code", "explanation"
        )
    )

    page = logged_in(reviewer).get(reverse("reviews:workspace", args=[application.pk]))
    read = _explanations(page)

    assert read == stored
    assert [code for code, text in read.items() if HAN.search(text)] == []
    assert read["seller_eligibility"].startswith(
        "The company's identity is not verified; its profile lacks: "
    )
    assert read["trademark_coverage"] == (
        "The trademark has no Nice class on the application; add the classes from the "
        "registration certificate."
    )


def test_a_chinese_reviewer_reads_every_explanation_in_chinese(submitted_in_chinese, reviewer):
    application, _seller = submitted_in_chinese

    page = chinese_client(reviewer).get(reverse("reviews:workspace", args=[application.pk]))
    read = _explanations(page)

    assert untranslated_on(page) == []
    assert [code for code, text in read.items() if not HAN.search(text)] == []
    # The example of the mixed wording: no English sentence around a Chinese status.
    assert read["seller_eligibility"].startswith("公司身份尚未验证；公司资料缺少：")  # noqa: RUF001
    assert "identity" not in read["seller_eligibility"]
    assert read["trademark_coverage"] == CHINESE_COVERAGE


def test_the_seller_reads_their_own_page_in_chinese(submitted_in_chinese):
    application, seller = submitted_in_chinese

    page = seller.get(reverse("portal:application_detail", args=[application.pk]))
    returned = application.events.get(action="return_incomplete")

    assert untranslated_on(page) == []
    # The reasons it came back are in the seller's language, on the page and in the history.
    assert returned.note.startswith("申请中的商标没有尼斯分类")
    assert returned.note in page.content.decode()


def test_the_api_answers_in_the_requests_language(submitted_in_chinese, partner):
    application, _seller = submitted_in_chinese
    url = f"/api/v1/applications/{application.pk}/screening/"

    english = {
        result["check"]: result["explanation"] for result in partner_get(url, partner)["results"]
    }
    chinese = {
        result["check"]: result["explanation"]
        for result in partner_get(url, partner, HTTP_ACCEPT_LANGUAGE="zh-hans")["results"]
    }

    assert english["trademark_coverage"] == (
        "The trademark has no Nice class on the application; add the classes from the "
        "registration certificate."
    )
    assert chinese["trademark_coverage"] == CHINESE_COVERAGE
    assert [code for code, text in english.items() if HAN.search(text)] == []
    assert [code for code, text in chinese.items() if not HAN.search(text)] == []


def partner_get(url: str, partner, **headers) -> dict:
    response = Client().get(url, **partner.headers, **headers)
    assert response.status_code == 200, response.content
    return response.json()


def test_a_result_stored_before_phrases_were_kept_shows_its_text(reviewer, seller_a):
    application = ApplicationFactory(company=seller_a.company, awaiting_review=True)
    run = ScreeningRun.objects.create(
        application=application, state=ScreeningRun.State.COMPLETED, risk_score=0
    )
    CheckResult.objects.create(
        run=run,
        check_code="registration_numbers",
        outcome="pass",
        score=0,
        explanation="Company number 91440300MA5FABCD1Q passes the check.",
        source="python-stdnum, office formats",
        data_version="1",
        duration_ms=1,
    )

    page = chinese_client(reviewer).get(reverse("reviews:workspace", args=[application.pk]))

    assert _explanations(page) == {
        "registration_numbers": "Company number 91440300MA5FABCD1Q passes the check."
    }
