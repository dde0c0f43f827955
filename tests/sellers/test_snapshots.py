"""Every submission keeps a snapshot; reviewers see what changed since the previous one."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sellers.actors import actor_for_user
from sellers.models import ApplicationSnapshot, Status
from sellers.services.evidence import evidence_add
from sellers.workflow.transition import application_transition
from tests.files import pdf_bytes, upload
from tests.pages import logged_in, page_text
from tests.sellers.factories import ApplicationFactory


def _returned_for_changes(seller, reviewer, capture):
    application = ApplicationFactory(
        company=seller.company, brand__name="LUMI", trademark__number="78123456"
    )
    with capture(execute=True):
        application_transition(application_id=application.pk, action="submit", actor=seller.actor)
    application.refresh_from_db()
    assert application.status == Status.AWAITING_REVIEW
    actor = actor_for_user(reviewer)
    application_transition(application_id=application.pk, action="claim", actor=actor)
    application_transition(
        application_id=application.pk, action="request_changes", actor=actor, note="Fix it."
    )
    return application


def test_submission_snapshot_records_brand_trademark_categories_and_evidence_hashes(
    seller_a, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(company=seller_a.company, brand__name="LUMI")
    evidence = application.evidence.get()

    application_transition(application_id=application.pk, action="submit", actor=seller_a.actor)

    snapshot = ApplicationSnapshot.objects.get(application=application)
    assert snapshot.action == "submit"
    assert snapshot.data["brand"] == {"name": "LUMI", "native_name": ""}
    assert snapshot.data["trademark"]["number"] == application.trademark.number
    assert snapshot.data["categories"] == ["lighting-appliances"]
    assert snapshot.data["evidence"] == [
        {"kind": "product_photo", "name": "photo.png", "sha256": evidence.sha256}
    ]


def test_a_submission_reads_the_current_files_once_for_its_check_and_its_snapshot(seller_a):
    application = ApplicationFactory(company=seller_a.company, brand__name="LUMI")

    with CaptureQueriesContext(connection) as queries:
        application_transition(application_id=application.pk, action="submit", actor=seller_a.actor)

    evidence_reads = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith("SELECT") and 'FROM "sellers_evidence"' in query["sql"]
    ]
    assert len(evidence_reads) == 1
    snapshot = ApplicationSnapshot.objects.get(application=application)
    assert [item["kind"] for item in snapshot.data["evidence"]] == ["product_photo"]


def test_a_submission_reads_its_categories_once_for_its_check_and_its_snapshot(seller_a):
    application = ApplicationFactory(company=seller_a.company, brand__name="LUMI")

    with CaptureQueriesContext(connection) as queries:
        application_transition(application_id=application.pk, action="submit", actor=seller_a.actor)

    category_reads = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith("SELECT") and '"sellers_category' in query["sql"]
    ]
    assert len(category_reads) == 1
    snapshot = ApplicationSnapshot.objects.get(application=application)
    assert snapshot.data["categories"] == ["lighting-appliances"]


def test_withdrawing_takes_no_snapshot(seller_a):
    application = ApplicationFactory(company=seller_a.company)

    application_transition(application_id=application.pk, action="withdraw", actor=seller_a.actor)

    assert ApplicationSnapshot.objects.count() == 0


def test_reviewer_sees_what_changed_since_the_previous_submission(
    seller_a, reviewer, django_capture_on_commit_callbacks
):
    application = _returned_for_changes(seller_a, reviewer, django_capture_on_commit_callbacks)
    mark = application.trademark
    mark.number = "78123457"
    mark.save()
    evidence_add(
        actor=seller_a.actor,
        application_id=application.pk,
        kind="trademark_certificate",
        upload=upload("<em>cert.pdf", pdf_bytes("Registration 78123457"), "application/pdf"),
    )
    application_transition(application_id=application.pk, action="resubmit", actor=seller_a.actor)

    page = logged_in(reviewer).get(reverse("reviews:workspace", args=[application.pk]))

    assert list(application.snapshots.values_list("action", flat=True)) == ["submit", "resubmit"]
    html = page_text(page)
    assert "Changed since the previous submission" in html
    assert (
        '<tr><th scope="row">Trademark number</th><td><del>78123456</del></td>'
        "<td><ins>78123457</ins></td></tr>"
    ) in html
    assert "<ins>&lt;em&gt;cert.pdf</ins>" in html
    assert "<em>cert" not in html
