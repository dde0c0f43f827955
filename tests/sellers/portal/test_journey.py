"""The whole path through the pages: a seller applies, a reviewer asks for changes, then admits."""

from html import escape
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from reviews.models import CheckResult
from sellers.models import Application, ApplicationEvent, Status
from tests.files import pdf_upload, png_bytes, upload
from tests.pages import (
    application_form,
    internal_words_in,
    logged_in,
    messages_on,
    page_text,
)


def test_journey_from_new_application_to_admission(
    seller_a, reviewer, program, lighting, django_capture_on_commit_callbacks
):
    seller = logged_in(seller_a.owner)
    reviewer_client = logged_in(reviewer)

    # The seller starts on an empty dashboard.
    dashboard = seller.get(reverse("home"), follow=True)
    assert dashboard.redirect_chain == [(reverse("portal:dashboard"), 302)]
    assert "No applications yet" in page_text(dashboard)
    assert "Signed in as <strong>owner-a@bright-lamp.example</strong>" in page_text(dashboard)
    assert seller_a.company.legal_name in page_text(dashboard)

    new_form = seller.get(reverse("portal:application_new"))
    assert new_form.context["form"]["program"].value() == program.pk

    # Creating the draft stores the brand, the mark and the photo.
    created = seller.post(
        reverse("portal:application_new"),
        application_form(program, lighting, upload("packaging.png", png_bytes(), "image/png")),
        follow=True,
    )
    application = Application.objects.get()
    assert created.redirect_chain == [
        (reverse("portal:application_detail", args=[application.pk]), 302)
    ]
    assert (application.company, application.brand.name, application.status) == (
        seller_a.company,
        "LUMIBRIGHT",
        Status.DRAFT,
    )
    assert (application.trademark.number, application.trademark.nice_classes) == ("78123456", [11])
    assert list(application.categories.all()) == [lighting]
    photo = application.evidence.get()
    assert (photo.original_name, photo.detected_type, photo.kind) == (
        "packaging.png",
        "image/png",
        "trademark_certificate",
    )
    assert Path(photo.file.path).read_bytes() == png_bytes()
    assert Path(photo.file.path).is_relative_to(settings.MEDIA_ROOT)
    assert created.context["status_label"] == "Draft"
    assert "Submit for review" in page_text(created)

    # Submitting runs screening in-process and puts the application in the reviewers' queue.
    with django_capture_on_commit_callbacks(execute=True):
        submitted = seller.post(
            reverse("portal:application_action", args=[application.pk]),
            {"action": "submit"},
            follow=True,
        )
    application.refresh_from_db()
    assert application.status == Status.AWAITING_REVIEW
    assert submitted.context["status_label"] == "Under review"
    assert messages_on(submitted) == [
        "Your application was submitted. We will let you know the decision here."
    ]
    assert internal_words_in(submitted) == []

    # The reviewer finds it in the queue, claims it and sees the screening findings.
    queue = reviewer_client.get(reverse("home"), follow=True)
    assert queue.redirect_chain == [(reverse("reviews:queue"), 302)]
    assert [a.pk for a in queue.context["waiting"]] == [application.pk]
    assert "LUMIBRIGHT" in page_text(queue)
    assert seller_a.company.legal_name in page_text(queue)

    workspace = reviewer_client.post(reverse("reviews:claim", args=[application.pk]), follow=True)
    application.refresh_from_db()
    assert (application.status, application.assignee) == (Status.IN_REVIEW, reviewer)
    assert workspace.redirect_chain == [(reverse("reviews:workspace", args=[application.pk]), 302)]
    findings = CheckResult.objects.filter(run__application=application)
    assert findings.count() == len(settings.SCREENING_CHECKS)
    for finding in findings:
        assert escape(finding.explanation) in page_text(workspace)
    assert [b["action"] for b in workspace.context["buttons"]] == [
        "approve",
        "request_changes",
        "reject",
        "escalate",
        "release",
        "rescreen",
    ]
    assert 'class="tag">internal</span>' in page_text(workspace)

    # Changes are requested with a message the seller must read.
    message = "The certificate photo is unreadable; upload the registry certificate as a PDF."
    after_request = reviewer_client.post(
        reverse("reviews:workspace", args=[application.pk]),
        {"action": "request_changes", "message": message},
        follow=True,
    )
    application.refresh_from_db()
    assert application.status == Status.CHANGES_REQUESTED
    assert after_request.redirect_chain == [(reverse("reviews:queue"), 302)]
    assert messages_on(after_request) == ["Changes were requested from the seller of LUMIBRIGHT."]

    detail = seller.get(reverse("portal:application_detail", args=[application.pk]))
    assert detail.context["status_label"] == "Changes requested"
    assert detail.context["reviewer_message"].note == message
    assert [(e.words, e.note) for e in detail.context["events"]][-1] == (
        "Changes requested by the review team",
        message,
    )
    assert page_text(detail).count(message) == 2  # the callout and the timeline
    assert internal_words_in(detail) == []
    assert {e.action for e in detail.context["events"]} == {
        "created",
        "evidence_added",
        "submit",
        "request_changes",
    }

    # The seller adds the certificate and resubmits.
    added = seller.post(
        reverse("portal:evidence_create", args=[application.pk]),
        {"kind": "trademark_certificate", "file": pdf_upload("registry-certificate.pdf")},
        follow=True,
    )
    assert messages_on(added) == ["registry-certificate.pdf was added."]
    assert [e.detected_type for e in application.evidence.all()] == [
        "image/png",
        "application/pdf",
    ]
    with django_capture_on_commit_callbacks(execute=True):
        resubmitted = seller.post(
            reverse("portal:application_action", args=[application.pk]),
            {"action": "resubmit"},
            follow=True,
        )
    application.refresh_from_db()
    assert application.status == Status.AWAITING_REVIEW
    assert resubmitted.context["status_label"] == "Under review"
    assert internal_words_in(resubmitted) == []

    # A second claim, then the approval.
    reviewer_client.post(reverse("reviews:claim", args=[application.pk]))
    approved = reviewer_client.post(
        reverse("reviews:workspace", args=[application.pk]),
        {"action": "approve", "message": ""},
        follow=True,
    )
    application.refresh_from_db()
    assert application.status == Status.APPROVED
    assert messages_on(approved) == ["LUMIBRIGHT was approved and admitted."]

    final = seller.get(reverse("portal:application_detail", args=[application.pk]))
    assert final.context["status_label"] == "Admitted"
    assert "Admitted to the program" in page_text(final)
    assert internal_words_in(final) == []
    listing = seller.get(reverse("portal:dashboard"))
    assert [(a.brand.name, a.seller_status) for a in listing.context["applications"]] == [
        ("LUMIBRIGHT", "Admitted")
    ]
    assert internal_words_in(listing) == []
    assert ApplicationEvent.objects.filter(application=application, action="claim").count() == 2
