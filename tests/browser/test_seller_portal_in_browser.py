"""The seller portal in Chromium: sign-up, the wizard with a break, refusals, resubmission,
withdrawal and the Chinese pages."""

import datetime
import importlib
import re

import pytest
from django.apps import apps
from django.core import mail
from django.utils import timezone

from reviews.models import RegistryMark
from sellers.models import (
    Application,
    ApplicationDraft,
    ApplicationEvent,
    CategoryRequirement,
    Status,
)
from tests.browser.conftest import log_in
from tests.files import pdf_bytes, png_bytes
from tests.sellers.factories import ApplicationFactory, CategoryFactory, ProgramFactory, valid_uscc

pytestmark = pytest.mark.browser

NEW_PASSWORD = "lantern-harbour-quietly-42"
nice_classes = importlib.import_module("sellers.migrations.0007_nice_classes_ncl_13_2026")


@pytest.fixture
def files(tmp_path):
    paths = {
        "licence": tmp_path / "business-licence.pdf",
        "certificate": tmp_path / "uspto-certificate.pdf",
        "photo": tmp_path / "lamp-on-box.png",
        "quality": tmp_path / "ccc-certificate.pdf",
    }
    paths["licence"].write_bytes(pdf_bytes("Business licence"))
    paths["certificate"].write_bytes(pdf_bytes("Registration 78123456"))
    paths["photo"].write_bytes(png_bytes(size=(320, 240)))
    paths["quality"].write_bytes(pdf_bytes("CCC certificate 2026011234"))
    return paths


def test_browser_sign_up_draft_leave_resume_refusal_and_submit(
    live_server, browser, files, screenshot, axe_check, settings
):
    # The confirmation mail links to the portal's address, here the test server.
    settings.PORTAL_URL = live_server.url
    ProgramFactory()
    lighting = CategoryFactory()
    for kind in ("trademark_certificate", "product_photo", "quality_certificate"):
        CategoryRequirement.objects.create(category=lighting, kind=kind, required=True)
    # Transactional tests flush reference data; the class headings are reloaded for this one.
    nice_classes.load(apps, None)
    page = browser.new_context().new_page()

    page.goto(f"{live_server.url}/login/")
    page.get_by_role("link", name="Register your company").click()
    page.get_by_label("Company legal name").fill("Shenzhen Glow Nest Lighting Co., Ltd.")
    page.get_by_label("Country of registration").select_option("CN")
    page.get_by_label("Registration number").fill(valid_uscc())
    page.get_by_label("Business licence").set_input_files(files["licence"])
    page.get_by_label("Lighting and household appliances").check()
    page.get_by_label("Your name").fill("Chen Jing")
    page.get_by_label("Your email").fill("chen@glow-nest.example")
    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Password again").fill(NEW_PASSWORD)
    screenshot(page, "sign-up")
    axe_check(page)
    page.get_by_role("button", name="Register").click()
    page.get_by_role("heading", name="Confirm your email").wait_for()

    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    page.goto(link)
    page.get_by_text("Your email is confirmed. You can log in now.").wait_for()
    axe_check(page)
    log_in(page, live_server.url, "chen@glow-nest.example", NEW_PASSWORD)

    # Brand and trademark, then the seller leaves for the dashboard.
    page.get_by_role("link", name="Start an application").click()
    page.get_by_label("Brand name").fill("GLOWNEST")
    page.get_by_label("Native-script name").fill("光巢")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_label("Trademark office").select_option("USPTO")
    page.get_by_label("Trademark number").fill("78123456")
    page.get_by_label("Registered", exact=True).check()
    page.get_by_label("Mark type").select_option("word")
    page.get_by_label("11 · Apparatus for lighting").check()
    page.get_by_label("Owner on record").fill("Shenzhen Glow Nest Lighting Co., Ltd.")
    page.get_by_label("Expiry date").fill(
        (timezone.localdate() + datetime.timedelta(days=3000)).isoformat()
    )
    page.get_by_label("Registration certificate").set_input_files(files["certificate"])
    screenshot(page, "wizard-trademark")
    axe_check(page)
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_label("Our company is the owner on record").wait_for()
    page.get_by_role("link", name="My applications").first.click()
    screenshot(page, "dashboard-unfinished")
    axe_check(page)

    # Back later: the unfinished application opens at the step after the last one saved.
    page.get_by_role("link", name="GLOWNEST").click()
    page.get_by_label("Our company is the owner on record").check()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_label(lighting.name).check()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_label("Manufacturer", exact=True).fill("Glow Nest Factory")
    page.get_by_label("Country", exact=True).select_option("CN")
    page.get_by_label("Own factory").check()
    page.get_by_role("button", name="Add this facility").click()
    page.get_by_text("The facility was added.").wait_for()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Kind of document").select_option("product_photo")
    page.get_by_label("File", exact=True).set_input_files(files["photo"])
    page.get_by_role("button", name="Upload").click()
    page.get_by_text("lamp-on-box.png was added.").wait_for()
    page.get_by_role("button", name="Continue").click()

    # The trademark certificate came with the trademark step; the quality certificate is
    # missing, and submitting is refused, naming it.
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_text("Attach these documents before submitting: Quality certificate.").wait_for()
    screenshot(page, "wizard-review-refused")
    axe_check(page)
    assert Application.objects.get().status == Status.DRAFT

    page.get_by_role("link", name="6. Product evidence").click()
    page.get_by_label("Kind of document").select_option("quality_certificate")
    page.get_by_label("File", exact=True).set_input_files(files["quality"])
    page.get_by_role("button", name="Upload").click()
    page.get_by_text("ccc-certificate.pdf was added.").wait_for()
    page.get_by_role("button", name="Continue").click()
    # An impatient double click sends the form twice; there is still one submission.
    page.get_by_role("button", name="Submit for review").dblclick()
    page.locator(".badge-large").wait_for()
    screenshot(page, "application-submitted")
    axe_check(page)

    application = Application.objects.get()
    assert application.status != Status.DRAFT
    assert application.brand.native_name == "光巢"
    assert ApplicationEvent.objects.filter(application=application, action="submit").count() == 1
    assert page.locator(".badge-large").inner_text() == "Under review"


def test_browser_changes_requested_resubmit_and_withdraw(
    live_server, browser, seller_a, files, screenshot, axe_check
):
    returned = ApplicationFactory(
        company=seller_a.company, brand__name="LUMIBRIGHT", changes_requested=True
    )
    ApplicationEvent.objects.create(
        application=returned,
        actor_label="Ana Reviewer",
        action="request_changes",
        from_status=Status.IN_REVIEW,
        to_status=Status.CHANGES_REQUESTED,
        seller_visible=True,
        note="Please add the registration certificate.",
    )
    draft = ApplicationFactory(company=seller_a.company, brand__name="OLDLAMP")
    page = browser.new_context().new_page()
    log_in(page, live_server.url, seller_a.owner.username)

    page.get_by_role("link", name="LUMIBRIGHT").click()
    page.locator("blockquote").get_by_text("Please add the registration certificate.").wait_for()
    screenshot(page, "changes-requested")
    axe_check(page)
    page.get_by_label("Kind of document").select_option("trademark_certificate")
    page.get_by_label("File", exact=True).set_input_files(files["certificate"])
    page.get_by_role("button", name="Upload").click()
    page.get_by_role("button", name="Resubmit for review").click()
    page.get_by_text("Your application was resubmitted.").wait_for()
    assert page.locator(".badge-large").inner_text() == "Under review"

    page.goto(f"{live_server.url}/applications/{draft.pk}/")
    page.get_by_text("Withdraw application…").click()
    page.get_by_role("button", name="Yes, withdraw it").click()
    page.get_by_text("Your application was withdrawn.").wait_for()

    returned.refresh_from_db()
    draft.refresh_from_db()
    assert returned.status != Status.CHANGES_REQUESTED
    assert returned.evidence.filter(kind="trademark_certificate").count() == 1
    assert draft.status == Status.WITHDRAWN
    assert page.locator(".badge-large").inner_text() == "Withdrawn"


def test_browser_chinese_pages(live_server, browser, seller_a, screenshot, axe_check):
    from django.core.management import call_command

    call_command("compilemessages", "--ignore=.venv", verbosity=0)
    application = ApplicationFactory(company=seller_a.company, brand__name="LUMIBRIGHT")
    page = browser.new_context().new_page()
    log_in(page, live_server.url, seller_a.owner.username)

    page.get_by_label("Language").select_option("zh-hans")
    page.get_by_role("button", name="Switch").click()
    page.get_by_role("heading", name="我的申请").wait_for()
    screenshot(page, "dashboard-zh")
    axe_check(page)
    page.get_by_role("link", name="LUMIBRIGHT").click()
    page.get_by_role("heading", name="接下来").wait_for()
    screenshot(page, "detail-zh")
    axe_check(page)
    page.goto(f"{live_server.url}/applications/wizard/")
    page.get_by_role("button", name="保存并继续").click()
    page.get_by_text("此步骤未保存。").wait_for()
    screenshot(page, "wizard-error-zh")
    axe_check(page)

    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.get_by_label("品牌名称").get_attribute("aria-invalid") == "true"
    assert application.status == Status.DRAFT


def test_browser_trademark_step_warns_as_the_seller_types(
    live_server, browser, seller_a, screenshot, axe_check
):
    RegistryMark.objects.create(
        office="USPTO",
        serial="78123456",
        number="78123456",
        status_code="700",
        status_state=RegistryMark.State.REGISTERED,
        mark_literal="LUMIBRIGHT",
        nice_classes=[11],
        owner_name=seller_a.company.legal_name,
        data_version="test import",
    )
    brand = ApplicationFactory(company=seller_a.company, brand__name="LUMIBRIGHT").brand
    draft = ApplicationDraft.objects.create(
        company=seller_a.company, step=ApplicationDraft.Step.TRADEMARK, brand=brand
    )
    page = browser.new_context().new_page()
    log_in(page, live_server.url, seller_a.owner.username)

    page.goto(f"{live_server.url}/applications/wizard/{draft.pk}/trademark/")
    warnings = page.locator("#trademark-warnings")
    assert warnings.is_hidden()
    page.get_by_label("Trademark office").select_option("USPTO")
    page.get_by_label("Trademark number").fill("78000001")
    page.get_by_text("USPTO number 78000001 is not in the registry data we hold.").wait_for()
    page.get_by_label("Trademark number").fill("78123456")
    page.get_by_label("Owner on record").fill(seller_a.company.legal_name)
    page.get_by_label("Expiry date").fill(
        (timezone.localdate() - datetime.timedelta(days=2)).isoformat()
    )
    page.get_by_text("The certificate expired on").wait_for()
    screenshot(page, "wizard-trademark-warnings")
    axe_check(page)

    assert warnings.locator("li").count() == 1
    assert "not in the registry data" not in warnings.inner_text()
