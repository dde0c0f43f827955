"""Document contents: each readable document's fields agree with the application, the company,
the authorization chain, the certifications and the registry."""

import datetime

from django.utils import timezone, translation

from brandprogram.phrases import render_all
from reviews.checks import document_contents
from sellers.documents.reading import Status
from tests.reviews.recertification_support import OWNER, import_registry
from tests.sellers.factories import ApplicationFactory
from tests.sellers.readings import certificate_values, read_evidence


def _application(seller, **options):
    options = {"trademark__office": "USPTO", "trademark__number": "7812345"} | options
    return ApplicationFactory(company=seller.company, with_evidence=False, **options)


def test_documents_that_agree_pass(seller_a):
    application = _application(seller_a)
    read_evidence(application, "trademark_certificate", **certificate_values(application))
    read_evidence(
        application,
        "business_licence",
        uscc=seller_a.company.registration_number,
        legal_name="SHENZHEN BRIGHT LAMP TECHNOLOGY CO.,LTD",
    )

    finding = document_contents.run(application)

    assert (finding.outcome, finding.explanation) == (
        "pass",
        "The 2 documents read agree with the application.",
    )
    assert [doc["disagreements"] for doc in finding.evidence["documents"]] == [[], []]


def test_a_wrong_number_or_owner_fails_naming_both_values(seller_a):
    application = _application(seller_a)
    read_evidence(
        application,
        "trademark_certificate",
        **certificate_values(
            application, registration_number="7812399", owner="Ningbo Harbor Housewares Co., Ltd."
        ),
    )

    finding = document_contents.run(application)

    assert finding.outcome == "fail"
    assert finding.explanation == (
        "Trademark certificate “document.pdf”: the registration number reads “7812399” but "
        "should read “7812345”. Trademark certificate “document.pdf”: the owner reads “Ningbo "
        "Harbor Housewares Co., Ltd.” but should read “Shenzhen Bright Lamp Technology Co., "
        "Ltd.”."
    )
    (document,) = finding.evidence["documents"]
    assert [(d["field"], d["severity"]) for d in document["disagreements"]] == [
        ("registration_number", "fail"),
        ("owner", "fail"),
    ]


def test_an_expired_certificate_fails(seller_a):
    application = _application(seller_a)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    read_evidence(
        application,
        "trademark_certificate",
        **certificate_values(application, valid_until=yesterday.isoformat()),
    )

    finding = document_contents.run(application)

    assert finding.outcome == "fail"
    assert finding.explanation == (
        f"Trademark certificate “document.pdf”: it expired on {yesterday.isoformat()}."
    )


def test_a_low_confidence_disagreement_only_warns(seller_a):
    application = _application(seller_a)
    read_evidence(
        application,
        "trademark_certificate",
        confidence=0.35,
        **certificate_values(application, registration_number="7812845"),
    )

    finding = document_contents.run(application)

    assert finding.outcome == "warn"
    assert "reads “7812845” but should read “7812345”" in finding.explanation


def test_unreadable_documents_are_unverifiable_not_failed(seller_a):
    application = _application(seller_a)
    read_evidence(application, "trademark_certificate", status=Status.UNREADABLE)

    finding = document_contents.run(application)

    assert (finding.outcome, finding.explanation) == (
        "unverifiable",
        "Nothing legible could be read from Trademark certificate “document.pdf”; compare it "
        "by hand.",
    )
    assert finding.evidence["documents"][0]["status"] == "unreadable"


def test_without_readable_documents_there_is_nothing_to_disagree(seller_a):
    application = ApplicationFactory(company=seller_a.company)

    finding = document_contents.run(application)

    assert (finding.outcome, finding.evidence) == ("pass", {"documents": []})


def test_the_certificate_is_compared_with_the_registry_record(seller_a, tmp_path):
    import_registry(tmp_path, "euipo-2026-11")
    application = _application(
        seller_a,
        trademark__office="EUIPO",
        trademark__number="018500001",
        brand__name="BRIGHTLAMP",
        trademark__owner_name="Moonlight Lamps GmbH",
    )
    # The seller typed the certificate's owner, but the register names someone else.
    read_evidence(
        application,
        "trademark_certificate",
        **certificate_values(application, owner="Moonlight Lamps GmbH"),
    )

    finding = document_contents.run(application)
    checks = document_contents.check_documents(
        application, today=timezone.localdate(), read_missing=False
    )

    assert finding.outcome == "fail"
    assert finding.explanation == (
        "Trademark certificate “document.pdf”: the owner reads “Moonlight Lamps GmbH” but the "
        f"registry records “{OWNER}”."
    )
    rows = {row.comparison.name: (row.registry, row.registry_agrees) for row in checks[0].rows}
    assert rows["owner"] == (OWNER, False)
    assert rows["registration_number"] == ("018500001", True)


def test_a_mark_dead_in_the_registry_fails_whatever_the_certificate_says(seller_a, tmp_path):
    import_registry(tmp_path, "euipo-2026-11", state="dead")
    application = _application(
        seller_a,
        trademark__office="EUIPO",
        trademark__number="018500001",
        trademark__owner_name=OWNER,
        brand__name="BRIGHTLAMP",
    )
    read_evidence(application, "trademark_certificate", **certificate_values(application))

    finding = document_contents.run(application)

    assert finding.outcome == "fail"
    assert "the registry records this mark as no longer in force (dead)" in finding.explanation


def test_findings_are_read_in_the_readers_language_whatever_the_language_of_the_run(seller_a):
    application = _application(seller_a)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    read_evidence(
        application,
        "trademark_certificate",
        **certificate_values(application, valid_until=yesterday.isoformat()),
    )

    with translation.override("zh-hans"):
        finding = document_contents.run(application)
    stored = [phrase.to_json() for phrase in finding.phrases]
    with translation.override("zh-hans"):
        chinese = render_all(stored)

    assert finding.explanation == (
        f"Trademark certificate “document.pdf”: it expired on {yesterday.isoformat()}."
    )
    # Chinese text uses full-width punctuation; RUF001 would have it replaced by ASCII.
    assert chinese == f"商标注册证 “document.pdf”：已于 {yesterday.isoformat()} 过期。"  # noqa: RUF001


def test_a_legible_copy_makes_up_for_an_illegible_one_of_the_same_kind(seller_a):
    application = _application(seller_a)
    read_evidence(application, "trademark_certificate", image=True, status=Status.UNREADABLE)
    read_evidence(application, "trademark_certificate", **certificate_values(application))
    read_evidence(application, "business_licence", status=Status.UNREADABLE)

    finding = document_contents.run(application)

    assert (finding.outcome, finding.explanation) == (
        "unverifiable",
        "Nothing legible could be read from Business licence “document.pdf”; compare it by hand.",
    )
