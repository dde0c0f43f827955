"""A whole case for the workspace: a company with its licence read and its verification, a
trademark held through an authorization chain with read letters, facilities with certificates,
a PDF and a photo as evidence, and a screening whose results come in module order."""

import datetime
import hashlib
from dataclasses import dataclass, field, replace

from django.core.files.base import ContentFile
from django.utils import timezone

from reviews.models import CheckResult, CompanyVerification, ScreeningRun
from sellers.models import (
    Application,
    AuthorizationLink,
    Certification,
    Evidence,
    Facility,
    SellerCompany,
)
from sellers.services.readings import evidence_reading_store, reading_store
from tests.files import build_pdf, png_bytes
from tests.sellers.factories import ApplicationFactory, EvidenceFactory
from tests.sellers.readings import reading

OWNER = "Moonlight Lamps GmbH"
DISTRIBUTOR = "Ningbo Light Trading Co., Ltd."
# Results as screening stores them, in the checks' module order: the failing and warning ones
# come after passing ones.
RESULTS = (
    ("registration_numbers", "pass", 0, "The company number is a valid USCC."),
    ("trademark_registry", "pass", 0, "The registry record matches."),
    ("brand_similarity", "unverifiable", 5, "The similarity index is being rebuilt."),
    ("evidence_forensics", "warn", 10, "The photo carries no EXIF date."),
    ("seller_eligibility", "pass", 0, "The seller is eligible."),
    ("supply_chain", "fail", 30, "The ISO 9001 certificate QC-2019-7 expired."),
)


def pdf_pages(*texts: str) -> bytes:
    """A well-formed PDF with one page per text."""
    count = len(texts)
    kids = " ".join(f"{3 + 2 * index} 0 R" for index in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode(),
    ]
    font = 3 + 2 * count
    for index, text in enumerate(texts):
        stream = f"BT /F1 24 Tf 72 700 Td ({text}) Tj ET".encode()
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {4 + 2 * index} 0 R "
            f"/Resources << /Font << /F1 {font} 0 R >> >> >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    return build_pdf(objects, header=b"%PDF-1.4\n")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Case:
    application: Application
    company: SellerCompany
    verification: CompanyVerification
    links: list[AuthorizationLink] = field(default_factory=list)
    facilities: list[Facility] = field(default_factory=list)
    pdf: Evidence | None = None
    photo: Evidence | None = None


def add_link(application, *, position: int, grantor: str, grantee: str) -> AuthorizationLink:
    data = pdf_pages(f"Authorization {grantor} to {grantee}")
    link = AuthorizationLink(
        trademark=application.trademark,
        position=position,
        grantor_name=grantor,
        grantee_name=grantee,
        product_scope="LED lamps and lighting fixtures",
        territory="Worldwide",
        valid_from=datetime.date(2026, 1, 1),
        valid_until=datetime.date(2099, 12, 31),
        letter_name=f"letter-{position}.pdf",
        letter_sha256=_sha(data),
        letter_type="application/pdf",
    )
    link.letter.save("stored.pdf", ContentFile(data), save=False)
    link.save()
    reading_store(
        {"authorization_link": link},
        sha256=link.letter_sha256,
        reading=reading(
            "authorization_letter",
            grantor=grantor,
            grantee=grantee,
            territory="Worldwide",
            valid_until="2099-12-31",
        ),
        duration_ms=30,
    )
    return link


def add_facility(company, *, name: str, number: str, expires_on=None) -> Facility:
    facility = Facility.objects.create(
        company=company,
        manufacturer_name=name,
        country="CN",
        ownership=Facility.Ownership.OWN,
        monthly_capacity_units=12000,
    )
    certification = Certification(
        facility=facility,
        standard="ISO 9001",
        number=number,
        issuer="CQC",
        scope="LED 灯具的设计与制造",
        expires_on=expires_on or datetime.date(2099, 6, 30),
    )
    data = pdf_pages(f"ISO 9001 {number}")
    certification.file.save("stored.pdf", ContentFile(data), save=False)
    certification.file_sha256 = _sha(data)
    certification.save()
    return facility


def add_pdf(application, *, pages: int = 2, name: str = "test-report.pdf") -> Evidence:
    data = pdf_pages(*(f"Test report page {number}" for number in range(1, pages + 1)))
    evidence = EvidenceFactory(
        application=application,
        kind=Evidence.Kind.TEST_REPORT,
        file__filename="stored.pdf",
        file__data=data,
        original_name=name,
        sha256=_sha(data),
        size=len(data),
        detected_type="application/pdf",
    )
    read = reading(
        "test_report", certificate_number="SGS-2026-1188", holder=application.company.legal_name
    )
    evidence_reading_store(
        evidence=evidence, reading=replace(read, page_count=pages), duration_ms=30
    )
    return evidence


def add_photo(application, *, name: str = "lamp-on-box.png") -> Evidence:
    data = png_bytes((300, 200), (240, 200, 40))
    return EvidenceFactory(
        application=application,
        kind=Evidence.Kind.PRODUCT_PHOTO,
        file__filename="stored.png",
        file__data=data,
        original_name=name,
        sha256=_sha(data),
        size=len(data),
        detected_type="image/png",
    )


def whole_case(company: SellerCompany, **application_fields) -> Case:
    data = pdf_pages("Business licence")
    company.business_licence.save("stored.pdf", ContentFile(data), save=False)
    company.business_licence_name = "licence.pdf"
    company.business_licence_type = "application/pdf"
    company.business_licence_sha256 = _sha(data)
    company.save()
    reading_store(
        {"company": company},
        sha256=company.business_licence_sha256,
        reading=reading(
            "business_licence",
            uscc=company.registration_number,
            legal_name=company.legal_name,
            legal_representative="Li Wei",
        ),
        duration_ms=30,
    )
    now = timezone.now()
    verification = CompanyVerification.objects.create(
        company=company,
        legal_name=company.legal_name,
        registration_number=company.registration_number,
        licence_sha256=company.business_licence_sha256,
        requested_at=now - datetime.timedelta(days=3),
        due_at=now - datetime.timedelta(days=1),
        closed_at=now - datetime.timedelta(days=2),
        outcome=CompanyVerification.Outcome.VERIFIED,
    )
    application = ApplicationFactory(
        company=company,
        with_evidence=False,
        brand__name="LUMIBRIGHT",
        trademark__owner_name=OWNER,
        **({"awaiting_review": True} | application_fields),
    )
    case = Case(application=application, company=company, verification=verification)
    case.links = [
        add_link(application, position=1, grantor=OWNER, grantee=DISTRIBUTOR),
        add_link(application, position=2, grantor=DISTRIBUTOR, grantee=company.legal_name),
    ]
    case.facilities = [
        add_facility(company, name="Zhongshan Bright Lamp Factory", number="CQC-2026-0042"),
        add_facility(
            company,
            name="Foshan Contract Lighting Works",
            number="QC-2019-7",
            expires_on=datetime.date(2020, 1, 31),
        ),
    ]
    case.pdf = add_pdf(application)
    case.photo = add_photo(application)
    run = ScreeningRun.objects.create(
        application=application,
        state=ScreeningRun.State.COMPLETED,
        check_codes=[code for code, *_rest in RESULTS],
        finished_at=now,
    )
    mark = application.trademark
    # What the registry check read: the owner and classes agree, the mark's words do not.
    record = {
        "office": mark.office,
        "number": mark.number,
        "serial": "",
        "status_code": "800",
        "status_state": "registered",
        "status_text": "REGISTERED AND RENEWED",
        "mark_literal": "LUMI BRIGHT",
        "owner_name": OWNER.upper(),
        "nice_classes": list(mark.nice_classes),
        "expires_on": mark.expires_on.isoformat(),
        "correspondent_email": "ip@moonlight.example",
        "source": "tsdr",
        "data_version": "2026-12-01",
    }
    for code, outcome, score, explanation in RESULTS:
        CheckResult.objects.create(
            run=run,
            check_code=code,
            outcome=outcome,
            score=score,
            explanation=explanation,
            evidence={"registry_record": record} if code == "trademark_registry" else {},
            source="test",
            data_version="1",
            duration_ms=5,
        )
    return case
