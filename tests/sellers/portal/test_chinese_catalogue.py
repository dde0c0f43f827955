"""Every seller page in Simplified Chinese leaves no catalogued English text untranslated."""

import datetime

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from brandprogram.errors import ApplicationError
from sellers.actors import SYSTEM, actor_for_user
from sellers.models import ApplicationDraft, Membership, Status
from sellers.services.notifications import notifications_create
from sellers.workflow.labels import LABELS
from sellers.workflow.table import TRANSITIONS
from sellers.workflow.transition import application_transition
from tests.catalogue import chinese_client, untranslated_on, visible_text
from tests.files import pdf_upload, png_upload
from tests.pages import PASSWORD, messages_on
from tests.sellers.factories import ApplicationFactory, CategoryFactory, ProgramFactory, UserFactory

TODAY = datetime.date.today()


@pytest.fixture(autouse=True)
def _compiled_catalog():
    # The catalogue is compiled by `make test`; compile it here too for a bare pytest run.
    call_command("compilemessages", "--ignore=.venv", verbosity=0)


def _through_changes_requested(application, seller, reviewer):
    """The real path to "changes requested", so the page shows the reviewer's message."""
    application_transition(application_id=application.pk, action="submit", actor=seller.actor)
    for action in ("start_screening", "finish_screening"):
        application_transition(application_id=application.pk, action=action, actor=SYSTEM)
    reviewer_actor = actor_for_user(reviewer)
    application_transition(application_id=application.pk, action="claim", actor=reviewer_actor)
    application_transition(
        application_id=application.pk,
        action="request_changes",
        actor=reviewer_actor,
        note="请附上商标注册证。",
    )
    notifications_create(event_id=application.events.latest("pk").pk)


@pytest.fixture
def portal(seller_a, reviewer):
    """A company with an application in every status a seller can see and a draft in the wizard."""
    Membership.objects.filter(user=seller_a.owner).update(language="zh-hans")
    ProgramFactory()
    category = CategoryFactory()
    details = {}
    for status in Status:
        details[f"detail_{status.value}"] = ApplicationFactory(
            company=seller_a.company,
            status=status,
            brand__name=f"LUMI{status.value.upper().replace('_', '')}",
        )
    changes = ApplicationFactory(company=seller_a.company, brand__name="LUMIFIX")
    _through_changes_requested(changes, seller_a, reviewer)
    details["detail_changes_requested_by_reviewer"] = changes
    client = chinese_client(seller_a.owner)
    client.post(reverse("portal:wizard_start"), {"name": "LUMIWIZ", "native_name": "流明"})
    draft = ApplicationDraft.objects.get()
    steps = [
        (
            "trademark",
            {
                "office": "USPTO",
                "number": "78123456",
                "registration_status": "registered",
                "mark_type": "word",
                "nice_classes": ["11"],
                "owner_name": seller_a.company.legal_name,
                "expires_on": (TODAY + datetime.timedelta(days=3000)).isoformat(),
                "certificate": pdf_upload(),
            },
        ),
        ("ownership", {"owns": "yes"}),
        ("categories", {"program": ProgramFactory().pk, "categories": [category.pk]}),
        (
            "supply",
            {
                "facility-manufacturer_name": "Bright Lamp Factory No. 2",
                "facility-country": "CN",
                "facility-ownership": "own",
                "facility-monthly_capacity_units": "20000",
                "facility-standard": "ISO 9001",
                "facility-certificate_number": "CN-QMS-2231",
                "facility-issuer": "SGS",
                "facility-certification_file": pdf_upload("iso.pdf"),
                "add_facility": "1",
            },
        ),
        ("supply", {"continue": "1"}),
        ("evidence", {"kind": "product_photo", "file": png_upload("box.png"), "upload": "1"}),
        ("evidence", {"continue": "1"}),
    ]
    for step, data in steps:
        client.post(reverse("portal:wizard_step", args=[draft.pk, step]), data)
    client.post(reverse("portal:team_invite"), {"email": "wang.fang@bright-lamp.example"})
    # Every step page then shows what was entered rather than an empty form.
    assert ApplicationDraft.objects.get().step == ApplicationDraft.Step.REVIEW
    urls = {
        "dashboard": reverse("portal:dashboard"),
        "application_new": reverse("portal:application_new"),
        "team": reverse("portal:team"),
        "company": reverse("portal:company"),
        "notifications": reverse("portal:notifications"),
        "wizard_brand": reverse("portal:wizard_start"),
        **{
            f"wizard_{step}": reverse("portal:wizard_step", args=[draft.pk, step])
            for step in ApplicationDraft.Step.values
            if step != "brand"
        },
        **{
            name: reverse("portal:application_detail", args=[application.pk])
            for name, application in details.items()
        },
    }
    return client, urls


SIGNED_IN_PAGES = [
    "dashboard",
    "application_new",
    "team",
    "notifications",
    "wizard_brand",
    *[f"wizard_{step}" for step in ApplicationDraft.Step.values if step != "brand"],
    *[f"detail_{status.value}" for status in Status],
    "detail_changes_requested_by_reviewer",
]


@pytest.mark.parametrize("page", SIGNED_IN_PAGES)
def test_signed_in_seller_pages_have_no_untranslated_catalogue_text(portal, page):
    client, urls = portal

    response = client.get(urls[page])

    assert (response.status_code, untranslated_on(response)) == (200, [])


def _reset_confirm_url() -> str:
    user = UserFactory(username="reset-me@bright-lamp.example")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(user)])


ACCOUNT_PAGES = {
    "login": lambda: reverse("login"),
    "sign_up": lambda: reverse("sign_up"),
    "sign_up_sent": lambda: reverse("sign_up_sent"),
    "password_reset": lambda: reverse("password_reset"),
    "password_reset_done": lambda: reverse("password_reset_done"),
    "password_reset_confirm": _reset_confirm_url,
    "password_reset_confirm_invalid": lambda: reverse(
        "password_reset_confirm", args=["MQ", "not-a-token"]
    ),
    "password_reset_complete": lambda: reverse("password_reset_complete"),
}


@pytest.mark.parametrize("page", ACCOUNT_PAGES)
def test_account_pages_have_no_untranslated_catalogue_text(db, page):
    client = chinese_client()

    response = client.get(ACCOUNT_PAGES[page](), follow=True)

    assert (response.status_code, untranslated_on(response)) == (200, [])


def test_sign_up_errors_have_no_untranslated_catalogue_text(db):
    client = chinese_client()

    response = client.post(reverse("sign_up"), {"country": "CN"})

    assert (response.status_code, untranslated_on(response)) == (200, [])


def test_the_check_finds_the_catalogue_english_on_an_english_page(seller_a):
    application = ApplicationFactory(company=seller_a.company, brand__name="LUMI")
    client = Client()
    client.post(reverse("login"), {"username": seller_a.owner.username, "password": PASSWORD})

    found = untranslated_on(client.get(reverse("portal:application_detail", args=[application.pk])))

    assert {"My applications", "Draft", "Lighting and household appliances"} - set(found) == set()


def test_reference_data_is_shown_in_chinese(portal):
    client, urls = portal

    trademark_step = visible_text(client.get(urls["wizard_trademark"]))
    detail = visible_text(client.get(urls["detail_draft"]))

    assert "11 · 照明、加热、冷却、烹饪、干燥、通风和供水装置" in trademark_step
    assert "25 · 服装、鞋、帽" in trademark_step
    assert "照明和家用电器" in detail
    assert "Lighting and household appliances" not in detail


def test_submitting_twice_in_chinese_gives_the_refusal_in_chinese(seller_a):
    ProgramFactory()
    application = ApplicationFactory(company=seller_a.company, brand__name="LUMI")
    client = chinese_client(seller_a.owner)
    action = reverse("portal:application_action", args=[application.pk])

    first = client.post(action, {"action": "submit"}, follow=True)
    second = client.post(action, {"action": "submit"}, follow=True)

    assert messages_on(first) == ["您的申请已提交。我们会在此告知审核结果。"]
    assert messages_on(second) == ["申请状态为“审核中”，无法提交。"]  # noqa: RUF001
    assert untranslated_on(second) == []


def test_rule_refusals_follow_the_active_language(seller_a):
    application = ApplicationFactory(company=seller_a.company, approved=True)
    refusals = {}

    for language in ("en", "zh-hans"):
        with translation.override(language), pytest.raises(ApplicationError) as refused:
            application_transition(
                application_id=application.pk, action="withdraw", actor=seller_a.actor
            )
        refusals[language] = refused.value.message

    assert refusals == {
        "en": "Cannot withdraw while the application is “Admitted”.",
        "zh-hans": "申请状态为“已加入”，无法撤回。",  # noqa: RUF001
    }


def test_every_action_has_a_verb_for_refusals_in_both_languages():
    with translation.override("zh-hans"):
        chinese = {action: str(LABELS[action].verb) for action in TRANSITIONS}
    with translation.override("en"):
        english = {action: str(LABELS[action].verb) for action in TRANSITIONS}

    assert {action for action, labels in LABELS.items() if labels.verb} == set(TRANSITIONS)
    assert [action for action in TRANSITIONS if chinese[action] == english[action]] == []
