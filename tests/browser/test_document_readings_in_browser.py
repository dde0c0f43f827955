"""What was read from the documents, in Chromium: the seller's evidence step fills in a
document's reading once it is stored and warns about a mismatch; the reviewer sees the fields
beside the entered values with the mismatching one outlined on the page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bench.documents import generate, render
from sellers.models import ApplicationDraft, DocumentReading, Evidence, Status
from sellers.services.evidence import evidence_add
from sellers.services.readings import evidence_reading_store
from tests.browser.conftest import log_in
from tests.files import pdf_bytes
from tests.reviews.recertification_support import OWNER
from tests.sellers.factories import ApplicationFactory, EvidenceFactory
from tests.sellers.readings import certificate_values, read_evidence, reading

pytestmark = pytest.mark.browser


def test_browser_seller_sees_a_mismatch_as_soon_as_the_document_is_read(
    live_server, browser, seller_a, screenshot, tmp_path
):
    application = ApplicationFactory(
        company=seller_a.company,
        with_evidence=False,
        trademark__office="USPTO",
        trademark__number="78123456",
    )
    draft = ApplicationDraft.objects.create(
        company=seller_a.company,
        step="evidence",
        brand=application.brand,
        trademark=application.trademark,
        application=application,
        created_by=seller_a.owner,
    )
    certificate = EvidenceFactory(
        application=application,
        kind="trademark_certificate",
        file__filename="certificate.pdf",
        file__data=pdf_bytes("Registration 78123465"),
        original_name="certificate.pdf",
        detected_type="application/pdf",
    )
    page = browser.new_context().new_page()
    log_in(page, live_server.url, seller_a.owner.username)

    page.goto(f"{live_server.url}/applications/wizard/{draft.pk}/evidence/")
    panel = page.locator(f"#reading-evidence-{certificate.pk}")
    panel.get_by_text("Being read: what the document says appears here").wait_for()
    # The reader finishes while the seller looks at the page: the panel fills in by itself.
    evidence_reading_store(
        evidence=certificate,
        reading=reading(
            "trademark_certificate",
            **certificate_values(application, registration_number="78123465"),
        ),
        duration_ms=900,
    )
    warning = panel.get_by_role("alert")
    warning.wait_for(timeout=15000)

    assert "Does not match what was entered:" in warning.inner_text()
    assert (
        "the registration number reads “78123465” but should read “78123456”."
        in warning.inner_text()
    )
    mismatch = panel.locator("tr.reading-mismatch")
    assert mismatch.locator("th").text_content() == "Registration number"
    assert "Does not match" in mismatch.inner_text()

    # A licence uploaded now: once read, the page shows what it says beside the company.
    licence = tmp_path / "licence.pdf"
    licence.write_bytes(pdf_bytes("Business licence"))
    page.get_by_label("Kind of document").select_option("business_licence")
    page.get_by_label("File", exact=True).set_input_files(licence)
    page.get_by_role("button", name="Upload").click()
    page.get_by_text("licence.pdf was added.").wait_for()
    uploaded = Evidence.objects.get(kind="business_licence")
    evidence_reading_store(
        evidence=uploaded,
        reading=reading(
            "business_licence",
            uscc="91440300MA5FABCD3Y",
            legal_name="Shenzhen Bright Lamp Technology Company Limited",
        ),
        duration_ms=700,
    )
    page.reload()
    licence_panel = page.locator(f"#reading-evidence-{uploaded.pk}")
    screenshot(page, "seller-evidence-readings")

    rows = licence_panel.locator("tbody tr")
    assert rows.nth(0).locator("th").text_content() == "Unified Social Credit Code"
    assert "Does not match" in rows.nth(0).inner_text()
    assert "Matches" in rows.nth(1).inner_text()
    assert (
        "the Unified Social Credit Code reads “91440300MA5FABCD3Y” but should read "
        f"“{seller_a.company.registration_number}”."
    ) in licence_panel.get_by_role("alert").inner_text()


def test_browser_reviewer_sees_the_mismatching_field_outlined_on_the_page(
    live_server, browser, seller_a, reviewer, screenshot
):
    application = ApplicationFactory(
        company=seller_a.company,
        awaiting_review=True,
        with_evidence=False,
        trademark__owner_name=OWNER,
    )
    read_evidence(
        application,
        "trademark_certificate",
        image=True,
        **certificate_values(application, owner="Moonlight Lamps GmbH"),
    )
    page = browser.new_context().new_page()
    log_in(page, live_server.url, reviewer.username)

    page.goto(f"{live_server.url}/review/applications/{application.pk}/")
    section = page.locator("#evidence-previews")
    section.scroll_into_view_if_needed()
    screenshot(page, "reviewer-document-contents")

    owner_row = section.locator("tr.reading-mismatch")
    assert owner_row.locator("th").text_content() == "Owner"
    assert "Moonlight Lamps GmbH" in owner_row.inner_text()
    assert "Does not match" in owner_row.inner_text()
    image = section.locator(".reading-page img")
    image.wait_for()
    page.wait_for_function("document.querySelector('.reading-page img').complete")
    picture = image.bounding_box()
    outline = section.locator("rect.reading-box-mismatch").filter(has_text="Owner").bounding_box()
    # The owner was read on the fourth line: 34 % to 39 % down, 10 % to 70 % across.
    assert picture["width"] > 100
    assert abs((outline["y"] - picture["y"]) / picture["height"] - 0.34) < 0.02
    assert abs((outline["x"] - picture["x"]) / picture["width"] - 0.10) < 0.02
    assert abs(outline["width"] / picture["width"] - 0.60) < 0.03
    assert section.locator("rect.reading-box").count() == 7


def test_browser_reviewer_sees_a_scan_read_by_the_reader_outlined_where_it_was_read(
    live_server, browser, seller_a, reviewer, screenshot
):
    sample = next(s for s in generate(1, 40) if s.name == "0036_trademark_certificate_en.png")
    application = ApplicationFactory(
        company=seller_a.company,
        with_evidence=False,
        brand__name=sample.expected["mark"],
        trademark__office="USPTO",
        trademark__number=sample.expected["registration_number"],
        trademark__owner_name="Moonlight Lamps Co., Ltd.",
        trademark__nice_classes=[int(c) for c in sample.fields["nice_classes"].split(",")],
    )
    # Uploaded by the seller; the reading runs (in-process here) once the upload commits.
    evidence_add(
        actor=seller_a.actor,
        application_id=application.pk,
        kind="trademark_certificate",
        upload=SimpleUploadedFile("certificate.png", render(sample)),
    )
    application.status = Status.AWAITING_REVIEW
    application.save(update_fields=["status"])
    page = browser.new_context().new_page()
    log_in(page, live_server.url, reviewer.username)

    page.goto(f"{live_server.url}/review/applications/{application.pk}/")
    section = page.locator("#evidence-previews")
    page.wait_for_function("document.querySelector('.reading-page img').complete")
    section.scroll_into_view_if_needed()
    screenshot(page, "reviewer-document-contents-ocr")

    mismatch = section.locator("tr.reading-mismatch").filter(has=page.get_by_role("rowheader"))
    owner_row = mismatch.filter(has_text="Moonlight Lamps Co., Ltd.")
    assert owner_row.locator("th").text_content() == "Owner"
    assert sample.fields["owner"] in owner_row.inner_text()
    number_row = section.locator("tr").filter(has_text="Registration number")
    assert "Matches" in number_row.inner_text()
    stored = DocumentReading.objects.get(evidence__application=application)
    owner = next(field for field in stored.data["fields"] if field["name"] == "owner")
    picture = section.locator(".reading-page img").bounding_box()
    outline = section.locator("rect.reading-box-mismatch").bounding_box()
    assert abs((outline["y"] - picture["y"]) / picture["height"] - owner["box"]["y0"]) < 0.01
    assert abs((outline["x"] - picture["x"]) / picture["width"] - owner["box"]["x0"]) < 0.01
