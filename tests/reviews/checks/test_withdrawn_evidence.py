"""Screening reads the files the application stands on now: a file the seller replaced or
removed is history, whatever it holds, and counts for nothing in the checks."""

import hashlib

import pytest
from django.utils import timezone

from brandprogram.errors import ApplicationError
from reviews.checks import document_contents, evidence_forensics, supply_chain
from reviews.screening.runner import load_application
from reviews.tasks import screen_application
from sellers.models import Application, CategoryRequirement, Evidence, Facility, Status
from sellers.services.evidence import evidence_remove, evidence_replace
from sellers.snapshots import changes_since_last_submission
from sellers.workflow.transition import application_transition
from tests import files
from tests.reviews.checks.hostile_files import document
from tests.sellers.factories import ApplicationFactory, CategoryFactory, EvidenceFactory

SCRIPTED = document(catalog=b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>")


def _application(seller, **traits):
    """A certificate that runs a script and a photo, in a category that requires both."""
    category = CategoryFactory()
    for kind in ("trademark_certificate", "product_photo"):
        CategoryRequirement.objects.update_or_create(
            category=category, kind=kind, defaults={"required": True}
        )
    application = ApplicationFactory(
        company=seller.company, categories=[category], with_evidence=False, **traits
    )
    certificate = EvidenceFactory(
        application=application,
        kind=Evidence.Kind.TRADEMARK_CERTIFICATE,
        file__filename="scripted.pdf",
        file__data=SCRIPTED,
        original_name="scripted-certificate.pdf",
        sha256=hashlib.sha256(SCRIPTED).hexdigest(),
        size=len(SCRIPTED),
        detected_type="application/pdf",
    )
    photo = EvidenceFactory(
        application=application,
        original_name="lamp.png",
        sha256=hashlib.sha256(files.png_bytes()).hexdigest(),
    )
    Facility.objects.create(
        company=seller.company,
        manufacturer_name="Bright Lamp Works",
        country="CN",
        ownership=Facility.Ownership.OWN,
    )
    return application, certificate, photo


def _replace(seller, application, evidence, upload):
    return evidence_replace(
        actor=seller.actor, application_id=application.pk, evidence_id=evidence.pk, upload=upload
    )


def test_a_replaced_hostile_file_is_not_inspected_and_screening_passes(seller_a):
    application, certificate, _photo = _application(seller_a)
    before = evidence_forensics.run(application)
    _replace(seller_a, application, certificate, files.pdf_upload("clean-certificate.pdf"))
    application_transition(application_id=application.pk, action="submit", actor=seller_a.actor)

    screen_application(application_id=application.pk)

    results = {
        result.check_code: result for result in application.screening_runs.get().results.all()
    }
    forensics = results["evidence_forensics"]
    assert before.outcome == "fail"
    assert (forensics.outcome, [item["file"] for item in forensics.evidence["files"]]) == (
        "pass",
        ["lamp.png", "clean-certificate.pdf"],
    )
    assert "scripted-certificate.pdf" not in forensics.explanation
    assert results["supply_chain"].outcome == "pass"
    assert "scripted-certificate.pdf" not in str(results["document_contents"].evidence)


@pytest.mark.parametrize("loaded", [True, False], ids=["as-screening-loads-it", "bare"])
def test_a_removed_required_file_is_missing_for_the_supply_chain(seller_a, loaded):
    application, certificate, _photo = _application(seller_a)
    evidence_remove(actor=seller_a.actor, application_id=application.pk, evidence_id=certificate.pk)
    subject = (
        load_application(application.pk) if loaded else Application.objects.get(pk=application.pk)
    )

    finding = supply_chain.run(subject)

    assert (finding.outcome, finding.explanation) == (
        "fail",
        "Required evidence is missing: Trademark certificate.",
    )


def test_a_removed_factory_contract_no_longer_explains_the_factory(seller_a):
    application, _certificate, _photo = _application(seller_a)
    contract = EvidenceFactory(application=application, kind=Evidence.Kind.FACTORY_DOCUMENT)
    attached = supply_chain.run(load_application(application.pk))
    evidence_remove(actor=seller_a.actor, application_id=application.pk, evidence_id=contract.pk)

    removed = supply_chain.run(load_application(application.pk))

    assert (
        attached.evidence["factory_document_attached"],
        removed.evidence["factory_document_attached"],
    ) == (True, False)


def test_document_readings_leave_out_withdrawn_files(seller_a):
    application, certificate, _photo = _application(seller_a)
    new = _replace(seller_a, application, certificate, files.pdf_upload("clean.pdf"))

    checks = document_contents.check_documents(
        load_application(application.pk), today=timezone.localdate(), read_missing=False
    )

    read = [check.document.evidence.pk for check in checks if check.document.evidence]
    assert read == [new.pk]


def test_submitting_without_the_removed_required_file_is_refused(seller_a):
    application, certificate, _photo = _application(seller_a)
    evidence_remove(actor=seller_a.actor, application_id=application.pk, evidence_id=certificate.pk)

    with pytest.raises(ApplicationError) as refused:
        application_transition(application_id=application.pk, action="submit", actor=seller_a.actor)

    assert (refused.value.code, refused.value.details) == (
        "evidence_missing",
        {"missing_kinds": ["trademark_certificate"]},
    )
    application.refresh_from_db()
    assert application.status == Status.DRAFT


def test_a_file_another_company_withdrew_still_counts_as_reuse(seller_a, seller_b):
    theirs, their_certificate, their_photo = _application(seller_b)
    for item in (their_certificate, their_photo):
        evidence_remove(actor=seller_b.actor, application_id=theirs.pk, evidence_id=item.pk)
    ours, _certificate, _photo = _application(seller_a)

    finding = evidence_forensics.run(load_application(ours.pk))

    assert not theirs.evidence.current().exists()
    assert finding.outcome == "fail"
    for name in ("scripted-certificate.pdf", "lamp.png"):
        assert (
            f"{name} is byte for byte a file another company submitted "
            f"({seller_b.company.legal_name})."
        ) in finding.explanation


def test_the_resubmission_snapshot_shows_the_replacement_and_leaves_out_the_removed(seller_a):
    application, certificate, photo = _application(seller_a)
    _replace(seller_a, application, certificate, files.pdf_upload("clean-certificate.pdf"))
    application_transition(application_id=application.pk, action="submit", actor=seller_a.actor)
    Application.objects.filter(pk=application.pk).update(status=Status.CHANGES_REQUESTED)
    evidence_remove(actor=seller_a.actor, application_id=application.pk, evidence_id=photo.pk)
    evidence_replace(
        actor=seller_a.actor,
        application_id=application.pk,
        evidence_id=application.evidence.current().get(kind="trademark_certificate").pk,
        upload=files.upload("final.pdf", files.pdf_bytes("Final certificate"), "application/pdf"),
    )
    EvidenceFactory(
        application=application,
        original_name="new-lamp.jpg",
        sha256=hashlib.sha256(files.jpeg_bytes()).hexdigest(),
    )

    application_transition(application_id=application.pk, action="resubmit", actor=seller_a.actor)

    changes = changes_since_last_submission(application)
    assert [item["name"] for item in changes["current"].data["evidence"]] == [
        "final.pdf",
        "new-lamp.jpg",
    ]
    assert sorted(item["name"] for item in changes["added"]) == ["final.pdf", "new-lamp.jpg"]
    assert sorted(item["name"] for item in changes["removed"]) == [
        "clean-certificate.pdf",
        "lamp.png",
    ]
