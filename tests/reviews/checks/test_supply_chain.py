"""Supply chain: required evidence present, certifications in date, facilities declared and
consistent with the company, and missing essentials routed like the other checks."""

import datetime

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from reviews.checks import supply_chain
from reviews.tasks import screen_application
from sellers.models import CategoryRequirement, Certification, Evidence, Facility, Status
from sellers.workflow.transition import application_transition
from tests.files import pdf_bytes, png_bytes
from tests.sellers.factories import ApplicationFactory, CategoryFactory, EvidenceFactory

SOURCE = "application evidence and the company's supply-chain records"


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def _application(seller, *, documents=("trademark_certificate", "product_photo")):
    category = CategoryFactory()
    for kind in ("trademark_certificate", "product_photo"):
        CategoryRequirement.objects.get_or_create(category=category, kind=kind)
    application = ApplicationFactory(
        company=seller.company, categories=[category], with_evidence=False
    )
    for kind in documents:
        photo = kind == Evidence.Kind.PRODUCT_PHOTO
        EvidenceFactory(
            application=application,
            kind=kind,
            file__filename="photo.png" if photo else "document.pdf",
            file__data=png_bytes() if photo else pdf_bytes(),
            original_name="photo.png" if photo else "document.pdf",
            detected_type="image/png" if photo else "application/pdf",
        )
    return application


def _facility(seller, *, country="CN", ownership=Facility.Ownership.OWN, name="Bright Lamp Works"):
    return Facility.objects.create(
        company=seller.company, manufacturer_name=name, country=country, ownership=ownership
    )


def _certify(facility, expires_on, standard="ISO 9001"):
    return Certification.objects.create(
        facility=facility,
        standard=standard,
        number="CN-9001-77",
        issuer="China Quality Certification Centre",
        expires_on=expires_on,
    )


def test_a_complete_supply_chain_passes(seller_a):
    application = _application(seller_a)
    _certify(_facility(seller_a), _days(365))

    finding = supply_chain.run(application)

    assert (finding.outcome, finding.explanation, finding.flags, finding.source_text) == (
        "pass",
        "Required evidence attached; 1 facility(ies) and 1 certification(s) on record, all in "
        "date.",
        (),
        SOURCE,
    )
    assert finding.evidence["facilities"] == [
        {"manufacturer": "Bright Lamp Works", "country": "CN", "ownership": "own"}
    ]


def test_missing_required_evidence_fails_as_missing_essentials(seller_a):
    application = _application(seller_a, documents=["product_photo"])
    _facility(seller_a)

    finding = supply_chain.run(application)

    assert (finding.outcome, finding.explanation, finding.flags) == (
        "fail",
        "Required evidence is missing: Trademark certificate.",
        ("missing_essentials",),
    )
    assert finding.evidence["missing_evidence"] == ["Trademark certificate"]


@pytest.mark.parametrize(
    ("days", "outcome", "wording"),
    [(-1, "fail", "expired on {date}."), (10, "warn", "expires on {date}, within 30 days.")],
)
def test_an_expired_certification_fails_and_one_expiring_soon_warns(
    seller_a, days, outcome, wording
):
    application = _application(seller_a)
    _certify(_facility(seller_a), _days(days), standard="CCC")

    finding = supply_chain.run(application)

    assert (finding.outcome, finding.explanation, finding.flags) == (
        outcome,
        "The CCC certificate CN-9001-77 of Bright Lamp Works "
        + wording.format(date=date_format(_days(days), "DATE_FORMAT")),
        (),
    )


def test_no_facility_warns_with_what_to_add(seller_a):
    application = _application(seller_a)

    finding = supply_chain.run(application)

    assert (finding.outcome, finding.explanation, finding.flags) == (
        "warn",
        "The company lists no facility; add the factory that makes the goods (its name, "
        "country and whether it is the company's own factory or a contract manufacturer).",
        ("missing_essentials",),
    )


def test_an_own_factory_abroad_warns_unless_a_factory_document_explains_it(seller_a):
    unexplained = _application(seller_a)
    explained = _application(
        seller_a, documents=["trademark_certificate", "product_photo", "factory_document"]
    )
    _facility(seller_a, country="VN", name="Hai Phong Lamp Works")
    _facility(seller_a, country="MY", ownership=Facility.Ownership.CONTRACT, name="Penang OEM")

    unexplained_finding = supply_chain.run(unexplained)
    explained_finding = supply_chain.run(explained)

    assert (unexplained_finding.outcome, unexplained_finding.explanation) == (
        "warn",
        "The own factory Hai Phong Lamp Works is in Vietnam, but the company is registered in "
        "China; attach a factory ownership document explaining it, or declare it as a contract "
        "manufacturer.",
    )
    assert (explained_finding.outcome, explained_finding.evidence["factory_document_attached"]) == (
        "pass",
        True,
    )


def test_evidence_required_after_submission_returns_the_application(seller_a, settings):
    settings.SCREENING_RETURN_INCOMPLETE = True
    application = _application(seller_a)
    _facility(seller_a)
    application_transition(application_id=application.pk, action="submit", actor=seller_a.actor)
    # The program started asking for a test report while the application waited.
    CategoryRequirement.objects.create(
        category=application.categories.get(), kind="test_report", required=True
    )

    screen_application(application_id=application.pk)

    application.refresh_from_db()
    result = application.screening_runs.get().results.get(check_code="supply_chain")
    assert (application.status, result.outcome, result.flags) == (
        Status.CHANGES_REQUESTED,
        "fail",
        ["missing_essentials"],
    )
    assert application.events.last().note == "Required evidence is missing: Product test report."
