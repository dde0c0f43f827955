"""One rule for company names: the registry check (the registered owner against the seller) and
the document check (a licence's legal name against the company) agree on every pair of
spellings, whichever side each name is on."""

import datetime

import pytest
from django.utils import timezone

from reviews.checks import trademark_registry
from reviews.models import RegistryMark
from sellers.documents.matching import compare_reading
from tests.sellers.factories import ApplicationFactory, EvidenceFactory
from tests.sellers.readings import reading
from tests.sellers.test_matching import full_width

# (one spelling, another, whether they name the same company)
PAIRS = [
    ("Shenzhen Bright Lamp Co., Ltd.", full_width("SHENZHEN BRIGHT LAMP CO.,LTD."), True),
    ("Shenzhen Bright Lamp Co., Ltd.", "shenzhen bright lamp company limited", True),
    ("Bright-Lamp (Shenzhen) Lighting, Inc.", "BRIGHT LAMP SHENZHEN LIGHTING INCORPORATED", True),
    ("Glowmate Lighting LLC", "Glowmate Lighting Corp.", True),
    ("Müller & Söhne GmbH", "MULLER AND SOHNE", True),
    ("深圳明灯科技有限公司", "深圳明灯科技股份有限公司", True),
    ("深圳明灯科技有限公司", full_width("深圳明灯科技(集团)有限公司"), False),
    ("Bright Lamp Co., Ltd.", "Bright Lamps Co., Ltd.", False),
    ("Bright Lamp Co., Ltd.", "Bright Lamp Trading Co., Ltd.", False),
]  # fmt: skip


def _registry_agrees(company_name: str, registered_owner: str) -> bool:
    RegistryMark.objects.create(
        office="USPTO",
        serial="97100001",
        number="7100001",
        status_code="700",
        status_state="registered",
        mark_literal="BRIGHTLAMP",
        drawing_type="4000",
        nice_classes=[11],
        owner_name=registered_owner,
        expires_on=timezone.localdate() + datetime.timedelta(days=2000),
        data_version="apc261120.zip",
    )
    application = ApplicationFactory(
        company__legal_name=company_name,
        trademark__number="7100001",
        trademark__owner_name=company_name,
        brand__name="BRIGHTLAMP",
    )
    finding = trademark_registry.run(application)
    return f"The registered owner is {registered_owner}, not" not in finding.explanation


def _document_agrees(company_name: str, read_name: str) -> bool:
    application = ApplicationFactory(company__legal_name=company_name, with_evidence=False)
    licence = EvidenceFactory(application=application, kind="business_licence")
    rows = compare_reading(
        licence, reading("business_licence", legal_name=read_name), today=timezone.localdate()
    )
    (legal_name,) = [row for row in rows if row.name == "legal_name"]
    return legal_name.agrees


@pytest.mark.django_db
@pytest.mark.parametrize(("one", "other", "same"), PAIRS)
@pytest.mark.parametrize("swapped", [False, True])
def test_the_registry_and_the_documents_compare_names_alike(one, other, same, swapped):
    company_name, other_name = (other, one) if swapped else (one, other)

    assert _registry_agrees(company_name, other_name) is same
    assert _document_agrees(company_name, other_name) is same
