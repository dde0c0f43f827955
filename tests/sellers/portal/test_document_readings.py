"""The evidence step shows what was read from each document and warns when it does not match
what the seller entered, before they submit."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from sellers.models import ApplicationDraft, AuthorizationLink, Evidence
from sellers.services.readings import evidence_reading_store, reading_store
from tests.files import pdf_bytes, pdf_upload
from tests.pages import logged_in, page_text
from tests.sellers.portal.test_wizard import _link, _trademark, step_url, through_supply
from tests.sellers.readings import certificate_values, reading


@pytest.fixture
def at_evidence(seller_a, program, lighting):
    """A seller whose draft reached the evidence step; the certificate came with the trademark."""
    client = logged_in(seller_a.owner)
    client.post(reverse("portal:wizard_start"), {"name": "LUMIBRIGHT", "native_name": "流明"})
    draft = ApplicationDraft.objects.get()
    client.post(step_url(draft, "trademark"), _trademark())
    through_supply(client, draft, program, lighting)
    draft.refresh_from_db()
    return client, draft


def test_a_certificate_that_disagrees_is_flagged_before_submitting(at_evidence):
    client, draft = at_evidence
    application = draft.application
    certificate = application.evidence.get(kind="trademark_certificate")
    evidence_reading_store(
        evidence=certificate,
        reading=reading(
            "trademark_certificate",
            **certificate_values(application, registration_number="78123465"),
        ),
        duration_ms=300,
    )

    page = page_text(client.get(step_url(draft, "evidence")))

    assert "What we read in your documents" in page
    assert "Does not match what was entered:" in page
    assert (
        "<li>Trademark certificate “USPTO 78123456 certificate.pdf”: the registration number "
        "reads “78123465” but should read “78123456”.</li>"
    ) in page
    # The row is marked in words, not only in colour.
    assert page.count('class="reading-mismatch"') == 1
    assert page.count("Does not match</span>") == 1
    assert page.count("Matches</span>") == 5
    assert "data-reading-poll" not in page


def test_a_document_not_read_yet_says_so_and_its_panel_fills_in_once_read(at_evidence):
    client, draft = at_evidence
    client.post(
        step_url(draft, "evidence"),
        {"kind": "business_licence", "file": pdf_upload("licence.pdf"), "upload": "1"},
    )
    licence = Evidence.objects.get(kind="business_licence")
    poll_url = reverse("portal:evidence_reading", args=[licence.pk])

    waiting = page_text(client.get(step_url(draft, "evidence")))
    evidence_reading_store(
        evidence=licence,
        reading=reading(
            "business_licence",
            uscc=draft.company.registration_number,
            legal_name="深圳明灯科技有限公司",
        ),
        duration_ms=800,
    )
    panel = page_text(client.get(poll_url))

    assert f'data-reading-poll="{poll_url}"' in waiting
    assert "Being read: what the document says appears here in a moment." in waiting
    assert '<script src="/static/sellers/reading-poll.js" defer></script>' in waiting
    assert panel.lstrip().startswith(f'<div class="reading" id="reading-evidence-{licence.pk}">')
    assert "data-reading-poll" not in panel
    assert "深圳明灯科技有限公司" in panel
    assert "is written in another script than" in panel


def test_another_company_cannot_see_a_reading(at_evidence, seller_b):
    _client, draft = at_evidence
    certificate = draft.application.evidence.get(kind="trademark_certificate")

    response = logged_in(seller_b.owner).get(
        reverse("portal:evidence_reading", args=[certificate.pk])
    )

    assert response.status_code == 404
    assert "USPTO 78123456" not in response.content.decode()


def test_the_sign_up_licence_is_shown_with_the_evidence_and_fills_in_once_read(at_evidence):
    client, draft = at_evidence
    company = draft.company
    company.business_licence.save("stored.pdf", ContentFile(pdf_bytes("Business licence")))
    company.business_licence_name = "营业执照.pdf"
    company.business_licence_type = "application/pdf"
    company.business_licence_sha256 = "b" * 64
    company.save()
    poll_url = reverse("portal:licence_reading", args=[company.pk])

    waiting = page_text(client.get(step_url(draft, "evidence")))
    reading_store(
        {"company": company},
        sha256=company.business_licence_sha256,
        reading=reading(
            "business_licence",
            uscc=company.registration_number,
            legal_name="Shenzhen Example Lighting Co., Ltd.",
        ),
        duration_ms=700,
    )
    panel = page_text(client.get(poll_url))

    assert f'data-reading-poll="{poll_url}"' in waiting
    assert "Business licence uploaded at sign-up: 营业执照.pdf" in waiting
    assert panel.lstrip().startswith(f'<div class="reading" id="reading-licence-{company.pk}">')
    assert (
        "<li>Business licence uploaded at sign-up “营业执照.pdf”: the legal name reads "
        f"“Shenzhen Example Lighting Co., Ltd.” but should read “{company.legal_name}”.</li>"
    ) in panel


def test_the_chain_step_shows_what_each_signed_letter_says(seller_a, seller_b):
    client = logged_in(seller_a.owner)
    client.post(reverse("portal:wizard_start"), {"name": "LUMIBRIGHT", "native_name": "流明"})
    draft = ApplicationDraft.objects.get()
    client.post(step_url(draft, "trademark"), _trademark())
    client.post(
        step_url(draft, "ownership"),
        _link("Shenzhen Bright Lamp Technology Co., Ltd.", seller_a.company.legal_name),
    )
    link = AuthorizationLink.objects.get()
    poll_url = reverse("portal:letter_reading", args=[link.pk])

    waiting = page_text(client.get(step_url(draft, "ownership")))
    reading_store(
        {"authorization_link": link},
        sha256=link.letter_sha256,
        reading=reading(
            "authorization_letter",
            grantor="Shenzhen Bright Lamp Technology Co., Ltd.",
            grantee="Guangzhou Other Trading Co., Ltd.",
            brand="LUMIBRIGHT",
            valid_from=link.valid_from.isoformat(),
            valid_until=link.valid_until.isoformat(),
        ),
        duration_ms=900,
    )
    read = page_text(client.get(step_url(draft, "ownership")))
    other_company = logged_in(seller_b.owner).get(poll_url)

    assert "What we read in your signed letters" in waiting
    assert f'data-reading-poll="{poll_url}"' in waiting
    assert "Signed letter of authorization link 1: letter.pdf" in waiting
    assert "data-reading-poll" not in read
    assert (
        "<li>Signed letter of authorization link 1 “letter.pdf”: the grantee reads "
        f"“Guangzhou Other Trading Co., Ltd.” but should read “{seller_a.company.legal_name}”."
        "</li>"
    ) in read
    assert read.count("Matches</span>") == 4
    assert other_company.status_code == 404
    assert "Guangzhou Other Trading" not in other_company.content.decode()
