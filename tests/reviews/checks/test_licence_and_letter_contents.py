"""The document-contents check on the sign-up business licence and on each authorization link's
signed letter, read by the real reader from labelled documents (bench.documents) uploaded the way
sellers upload them: the licence against the company's legal name and code (its check character
included), a letter against its link's grantor, grantee and brand and dates that cover today."""

import dataclasses
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from stdnum.cn import uscc

from bench.documents import generate, render
from reviews.checks import document_contents
from sellers.documents.matching import compare_reading
from sellers.models import ApplicationDraft, DocumentReading
from sellers.services.companies import company_licence_replace
from sellers.services.drafts import AuthorizationLinkInput, draft_add_authorization_link
from tests.sellers.factories import ApplicationFactory, EvidenceFactory
from tests.sellers.readings import reading


@pytest.fixture(scope="module")
def samples():
    return {sample.name: sample for sample in generate(1, 40)}


def _printed(sample, **changes):
    """The sample as a document printing ``changes`` instead of its own values."""
    return dataclasses.replace(sample, printed={**sample.printed, **changes})


def _other_code(code: str) -> str:
    """Another valid code of the same region: one digit of the body changed, check recomputed."""
    body = code[:10] + str((int(code[10]) + 1) % 10 if code[10].isdigit() else 0) + code[11:17]
    return body + uscc.calc_check_digit(body)


def _licence_uploaded(seller, sample, capture, *, printed=None) -> None:
    """The company is the one the licence names; its owner uploads ``printed`` (else the sample)."""
    company = seller.company
    company.legal_name = sample.fields["legal_name"]
    company.registration_number = sample.expected["uscc"]
    company.save()
    with capture(execute=True):
        company_licence_replace(
            actor=seller.actor,
            company_id=company.pk,
            business_licence=SimpleUploadedFile("licence.pdf", render(printed or sample)),
        )
    company.refresh_from_db()


def _letter_linked(seller, sample, capture, *, printed=None):
    """The chain's one link as the letter states it, the seller its grantee; the letter uploaded
    with the link is ``printed`` (else the sample)."""
    fields = sample.fields
    company = seller.company
    company.legal_name = fields["grantee"]
    company.save()
    application = ApplicationFactory(
        company=company,
        with_evidence=False,
        brand__name=fields["brand"],
        trademark__owner_name=fields["grantor"],
    )
    draft = ApplicationDraft.objects.create(
        company=company,
        step=ApplicationDraft.Step.OWNERSHIP,
        brand=application.brand,
        trademark=application.trademark,
        application=application,
    )
    extension = sample.name.rsplit(".", 1)[1]
    with capture(execute=True):
        link = draft_add_authorization_link(
            actor=seller.actor,
            draft_id=draft.pk,
            link=AuthorizationLinkInput(
                grantor_name=fields["grantor"],
                grantee_name=fields["grantee"],
                product_scope=fields["products"],
                territory=fields["territory"],
                valid_from=datetime.date.fromisoformat(fields["valid_from"]),
                valid_until=datetime.date.fromisoformat(fields["valid_until"]),
                letter=SimpleUploadedFile(f"letter.{extension}", render(printed or sample)),
            ),
        )
    return application, link


def _disagreements(finding, key: str) -> list[dict]:
    (document,) = [item for item in finding.evidence["documents"] if item["document"] == key]
    return document["disagreements"]


def test_a_licence_naming_the_company_and_its_code_passes(
    seller_a, samples, django_capture_on_commit_callbacks
):
    sample = samples["0028_business_licence_en.pdf"]
    _licence_uploaded(seller_a, sample, django_capture_on_commit_callbacks)
    application = ApplicationFactory(company=seller_a.company, with_evidence=False)

    finding = document_contents.run(application)

    stored = DocumentReading.objects.get(company=seller_a.company)
    assert (stored.status, stored.source) == ("read", "text layer")
    assert finding.outcome == "pass"
    assert finding.explanation == "The document read agrees with the application."
    assert _disagreements(finding, f"licence-{seller_a.company.pk}") == []


def test_a_licence_with_another_companys_code_fails_naming_both_codes(
    seller_a, samples, django_capture_on_commit_callbacks
):
    sample = samples["0028_business_licence_en.pdf"]
    other = _other_code(sample.expected["uscc"])
    _licence_uploaded(
        seller_a, sample, django_capture_on_commit_callbacks, printed=_printed(sample, uscc=other)
    )
    application = ApplicationFactory(company=seller_a.company, with_evidence=False)

    finding = document_contents.run(application)

    assert uscc.is_valid(other)
    assert other != sample.expected["uscc"]
    assert finding.outcome == "fail"
    # The name still agrees: only the code is named.
    assert _disagreements(finding, f"licence-{seller_a.company.pk}") == [
        {
            "field": "uscc",
            "says": other,
            "should_say": sample.expected["uscc"],
            "severity": "fail",
        }
    ]
    assert finding.explanation == (
        f"Business licence uploaded at sign-up “licence.pdf”: the Unified Social Credit Code "
        f"reads “{other}” but should read “{sample.expected['uscc']}”."
    )


def test_a_licence_printing_a_code_that_fails_its_check_character_fails(
    seller_a, samples, django_capture_on_commit_callbacks
):
    sample = samples["0028_business_licence_en.pdf"]
    code = sample.expected["uscc"]
    # The company's own code with its check character changed: no code at all.
    forged = code[:-1] + ("1" if code[-1] == "0" else "0")
    _licence_uploaded(
        seller_a, sample, django_capture_on_commit_callbacks, printed=_printed(sample, uscc=forged)
    )
    application = ApplicationFactory(company=seller_a.company, with_evidence=False)

    finding = document_contents.run(application)

    assert not uscc.is_valid(forged)
    assert finding.outcome == "fail"
    assert _disagreements(finding, f"licence-{seller_a.company.pk}") == [
        {"field": "uscc", "says": forged, "should_say": code, "severity": "fail"}
    ]
    assert finding.explanation == (
        f"Business licence uploaded at sign-up “licence.pdf”: the Unified Social Credit Code "
        f"reads “{forged}”, which is no valid code: its check character does not match the "
        f"other 17."
    )


def test_a_code_failing_its_check_when_read_by_ocr_only_warns(seller_a):
    # Read from a picture, a failing check character is more likely a misreading than a forgery.
    code = seller_a.company.registration_number
    misread = code[:-1] + ("1" if code[-1] == "0" else "0")
    application = ApplicationFactory(company=seller_a.company, with_evidence=False)

    licence = EvidenceFactory(application=application, kind="business_licence")
    read = dataclasses.replace(
        reading("business_licence", uscc=misread), source="RapidOCR PP-OCRv4"
    )

    (row,) = [
        row
        for row in compare_reading(licence, read, today=timezone.localdate())
        if row.name == "uscc"
    ]

    assert (row.agrees, row.severity, row.expected) == (False, "warn", code)


def test_a_letter_granted_to_another_company_fails_naming_the_grantee(
    seller_a, samples, django_capture_on_commit_callbacks
):
    sample = samples["0007_authorization_letter_en.pdf"]
    other = "Foshan Yuelong Trading Co., Ltd."
    application, link = _letter_linked(
        seller_a,
        sample,
        django_capture_on_commit_callbacks,
        printed=_printed(sample, grantee=other),
    )

    finding = document_contents.run(application)

    assert finding.outcome == "fail"
    assert _disagreements(finding, f"letter-{link.pk}") == [
        {
            "field": "grantee",
            "says": other,
            "should_say": sample.fields["grantee"],
            "severity": "fail",
        }
    ]
    assert finding.explanation == (
        f"Signed letter of authorization link 1 “letter.pdf”: the grantee reads “{other}” but "
        f"should read “{sample.fields['grantee']}”."
    )


def test_an_expired_letter_fails_though_it_states_the_links_own_dates(
    seller_a, samples, django_capture_on_commit_callbacks
):
    # A scanned JPEG read by the OCR engine, its term over before today.
    sample = samples["0029_authorization_letter_en.jpg"]
    application, link = _letter_linked(seller_a, sample, django_capture_on_commit_callbacks)

    finding = document_contents.run(application)

    stored = DocumentReading.objects.get(authorization_link=link)
    today = timezone.localdate()
    assert stored.source == "RapidOCR PP-OCRv4"
    assert datetime.date.fromisoformat(sample.fields["valid_until"]) < today
    assert finding.outcome == "fail"
    assert _disagreements(finding, f"letter-{link.pk}") == [
        {
            "field": "valid_until",
            "says": sample.fields["valid_until"],
            "should_say": f"in force on {today.isoformat()}",
            "severity": "fail",
        }
    ]
    assert finding.explanation == (
        f"Signed letter of authorization link 1 “letter.jpg”: it expired on "
        f"{sample.fields['valid_until']}."
    )
