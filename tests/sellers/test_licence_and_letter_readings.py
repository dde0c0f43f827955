"""The business licence a company signs up with and the signed letter of each authorization
link are read like evidence, with the real reader on labelled documents (bench.documents):
after commit, once per file, kept, and judged by the document check against the company and
the link."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bench.documents import generate, render
from reviews.checks import document_contents
from sellers.models import (
    Application,
    ApplicationDraft,
    AuthorizationLink,
    DocumentReading,
    SellerCompany,
)
from sellers.services.companies import company_register
from sellers.services.drafts import AuthorizationLinkInput, draft_add_authorization_link
from sellers.services.readings import authorization_letter_read, company_licence_read
from tests.sellers.factories import ApplicationFactory


@pytest.fixture(scope="module")
def samples():
    return {sample.name: sample for sample in generate(1, 40)}


def _document(finding, key: str) -> dict:
    return next(item for item in finding.evidence["documents"] if item["document"] == key)


def test_the_sign_up_licence_is_read_once_and_checked_against_the_company(
    db, samples, django_capture_on_commit_callbacks
):
    # A scan: no text layer, so the OCR engine reads it.
    sample = samples["0019_business_licence_en.pdf"]
    with django_capture_on_commit_callbacks(execute=True):
        company = company_register(
            legal_name=sample.fields["legal_name"],
            country="CN",
            registration_number=sample.expected["uscc"],
            owner_email="cao@qixiao-footwear.example",
            owner_password="a long enough password",
            business_licence=SimpleUploadedFile("licence.pdf", render(sample)),
        )
    stored = DocumentReading.objects.get(company=company)
    application = ApplicationFactory(company=company, with_evidence=False)
    agreeing = document_contents.run(application)
    SellerCompany.objects.filter(pk=company.pk).update(
        legal_name="Xiamen Qixiao Sports Co., Ltd.", registration_number="91350200MA2Y0XKB2N"
    )
    disagreeing = document_contents.run(Application.objects.get(pk=application.pk))

    assert (stored.status, stored.source, stored.sha256) == (
        "read",
        "RapidOCR PP-OCRv4",
        company.business_licence_sha256,
    )
    assert (stored.evidence_id, stored.authorization_link_id) == (None, None)
    # The same file is not read twice.
    assert company_licence_read(company_id=company.pk).read_at == stored.read_at
    assert agreeing.outcome == "pass"
    assert _document(agreeing, f"licence-{company.pk}") == {
        "document": f"licence-{company.pk}",
        "evidence_id": None,
        "kind": "business_licence",
        "name": "licence.pdf",
        "status": "read",
        "source": "RapidOCR PP-OCRv4",
        "disagreements": [],
    }
    assert disagreeing.outcome == "fail"
    assert disagreeing.explanation == (
        "Business licence uploaded at sign-up “licence.pdf”: the Unified Social Credit Code "
        "reads “913502000C9U516F98” but should read “91350200MA2Y0XKB2N”. "
        "Business licence uploaded at sign-up “licence.pdf”: the legal name reads "
        "“Xiamen Qixiao Footwear Co., Ltd.” but should read “Xiamen Qixiao Sports Co., Ltd.”."
    )


def test_a_links_signed_letter_is_read_once_and_checked_against_its_link(
    seller_a, samples, django_capture_on_commit_callbacks
):
    # A Chinese scan: grantor, grantee, brand and dates read by the OCR engine.
    sample = samples["0014_authorization_letter_zh.pdf"]
    fields = sample.fields
    company = seller_a.company
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
    with django_capture_on_commit_callbacks(execute=True):
        link = draft_add_authorization_link(
            actor=seller_a.actor,
            draft_id=draft.pk,
            link=AuthorizationLinkInput(
                grantor_name=fields["grantor"],
                grantee_name=fields["grantee"],
                product_scope=fields["products"],
                territory=fields["territory"],
                valid_from=datetime.date.fromisoformat(fields["valid_from"]),
                valid_until=datetime.date.fromisoformat(fields["valid_until"]),
                letter=SimpleUploadedFile("授权书.pdf", render(sample)),
            ),
        )
    link.refresh_from_db()
    stored = DocumentReading.objects.get(authorization_link=link)
    agreeing = document_contents.run(application)
    AuthorizationLink.objects.filter(pk=link.pk).update(
        grantor_name="广州市朗奕智能科技有限公司", valid_until=datetime.date(2027, 6, 30)
    )
    disagreeing = document_contents.run(Application.objects.get(pk=application.pk))

    assert (link.letter_name, link.letter_type) == ("授权书.pdf", "application/pdf")
    assert (stored.status, stored.source, stored.sha256) == (
        "read",
        "RapidOCR PP-OCRv4",
        link.letter_sha256,
    )
    assert authorization_letter_read(link_id=link.pk).read_at == stored.read_at
    assert agreeing.outcome == "pass"
    assert _document(agreeing, f"letter-{link.pk}")["disagreements"] == []
    assert disagreeing.outcome == "fail"
    assert _document(disagreeing, f"letter-{link.pk}")["disagreements"] == [
        {
            "field": "grantor",
            "says": "东莞市颢沐智能科技有限公司",
            "should_say": "广州市朗奕智能科技有限公司",
            "severity": "fail",
        },
        {
            "field": "valid_until",
            "says": "2028-01-07",
            "should_say": "2027-06-30",
            "severity": "fail",
        },
    ]
    assert (
        "Signed letter of authorization link 1 “授权书.pdf”: the grantor reads "
        "“东莞市颢沐智能科技有限公司” but should read “广州市朗奕智能科技有限公司”."
    ) in disagreeing.explanation


def test_a_company_without_a_licence_and_a_link_without_a_letter_have_nothing_to_read(seller_a):
    application = ApplicationFactory(company=seller_a.company, with_evidence=False)
    link = AuthorizationLink.objects.create(
        trademark=application.trademark,
        position=1,
        grantor_name="Owner Co., Ltd.",
        grantee_name=seller_a.company.legal_name,
        product_scope="Lamps",
        territory="Worldwide",
        valid_from=datetime.date(2026, 1, 1),
        valid_until=datetime.date(2027, 1, 1),
    )

    assert company_licence_read(company_id=seller_a.company.pk) is None
    assert authorization_letter_read(link_id=link.pk) is None
    assert document_contents.run(application).evidence == {"documents": []}
    assert not DocumentReading.objects.exists()
