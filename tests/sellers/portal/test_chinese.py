"""Every seller page, form error and email in Simplified Chinese when the seller chooses it."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from sellers.actors import actor_for_user
from sellers.models import Category, Membership
from sellers.services.applications import application_update_draft
from sellers.services.evidence import evidence_remove
from sellers.workflow.transition import application_transition
from tests.files import pdf_upload
from tests.pages import PASSWORD, logged_in, page_text
from tests.sellers.factories import ApplicationFactory, EvidenceFactory, valid_uscc


@pytest.fixture(autouse=True)
def _compiled_catalog():
    from django.core.management import call_command

    # The catalogue is compiled by `make test`; compile it here too for a bare pytest run.
    call_command("compilemessages", "--ignore=.venv", verbosity=0)


def chinese_client(user=None) -> Client:
    client = Client()
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    if user is not None:
        client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    return client


def test_language_switch_turns_the_portal_chinese(seller_a):
    application = ApplicationFactory(company=seller_a.company, brand__name="LUMI")
    client = chinese_client(seller_a.owner)

    dashboard = client.get(reverse("portal:dashboard"))
    detail = client.get(reverse("portal:application_detail", args=[application.pk]))

    assert '<html lang="zh-hans">' in page_text(dashboard)
    assert "<h1>我的申请</h1>" in page_text(dashboard)
    assert '<span class="badge badge-large badge-draft">草稿</span>' in page_text(detail)
    assert "接下来" in page_text(detail)
    assert Membership.objects.get(user=seller_a.owner).language == "zh-hans"


# Chinese text uses full-width punctuation; RUF001 would have it replaced by ASCII.
USCC_ERROR = (
    "91440300MA5FABCD1X 不是有效的统一社会信用代码（18 位，含校验码）："  # noqa: RUF001
    "The number's checksum or check digit is invalid."
)


def _sign_up(client, **overrides):
    data = {
        "legal_name": "东莞河流玩具有限公司",
        "country": "CN",
        "registration_number": "91440300MA5FABCD1X",
        "business_licence": pdf_upload(),
        "main_categories": [Category.objects.get(code="toys-sports-outdoors").pk],
        "owner_name": "李伟",
        "owner_email": "li.wei@river-toys.example",
        "password1": "lantern-harbour-quietly-42",
        "password2": "lantern-harbour-quietly-42",
    }
    data.update(overrides)
    return client.post(reverse("sign_up"), data)


def test_form_errors_are_chinese(db):
    client = chinese_client()

    service_error = _sign_up(client)
    form_errors = _sign_up(client, legal_name="", password2="lantern-harbour-quietly-43")

    assert service_error.context["form"].errors == {"registration_number": [USCC_ERROR]}
    assert form_errors.context["form"].errors == {
        "legal_name": ["该字段是必填项。"],
        "password2": ["两次输入的密码不一致。"],
    }
    assert "注册未保存。" in page_text(form_errors)


def test_refusal_and_emails_follow_the_members_language(
    seller_a, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(
        company=seller_a.company, brand__name="LUMI", with_evidence=False
    )
    client = chinese_client(seller_a.owner)

    refused = client.post(
        reverse("portal:application_action", args=[application.pk]),
        {"action": "submit"},
        follow=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(
            application_id=application.pk, action="withdraw", actor=seller_a.actor
        )

    assert "提交前请至少附上一份证明文件。" in page_text(refused)
    assert [m.subject for m in mail.outbox] == ["LUMI: 已撤回"]
    assert "您的 LUMI 申请当前状态：已撤回。" in mail.outbox[0].body  # noqa: RUF001


def test_edits_and_removed_evidence_read_as_words_in_the_sellers_language(seller_a):
    application = ApplicationFactory(company=seller_a.company, brand__name="LUMI")
    photo = EvidenceFactory(application=application)
    actor = actor_for_user(seller_a.owner)
    application_update_draft(actor=actor, application_id=application.pk, brand_native_name="明灯")
    evidence_remove(actor=actor, application_id=application.pk, evidence_id=photo.pk)
    url = reverse("portal:application_detail", args=[application.pk])

    chinese = page_text(chinese_client(seller_a.owner).get(url))
    english = page_text(logged_in(seller_a.owner).get(url))

    assert ("申请已修改" in chinese, "已移除的证明材料" in chinese) == (True, True)
    assert ("Application edited" in english, "Evidence removed" in english) == (True, True)
    assert "Edited" not in english


def test_invisible_characters_are_refused_in_chinese(db):
    client = chinese_client()

    response = _sign_up(client, legal_name="东莞\u202e河流玩具有限公司", owner_name="李\u200d伟")

    assert response.context["form"].errors == {
        "legal_name": ["请删除不可见字符（U+202E）：它们会在不显示的情况下改变名称的显示方式。"],  # noqa: RUF001
        "owner_name": ["请删除不可见字符（U+200D）：它们会在不显示的情况下改变名称的显示方式。"],  # noqa: RUF001
    }


def test_a_sign_up_with_a_taken_email_is_answered_in_chinese(
    seller_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _sign_up(
            chinese_client(),
            owner_email=seller_a.owner.email,
            registration_number=valid_uscc(),
        )
    page = chinese_client().get(response.url)

    assert "我们已向您填写的邮箱发送了一封邮件" in page_text(page)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([seller_a.owner.email], "有人使用您的邮箱注册千级品牌计划")
    ]
    assert "该邮箱已有账户" in mail.outbox[0].body
