"""The workspace's evidence: current files first, each replacement naming the file it replaced,
and the files the seller replaced or removed folded away below."""

import hashlib

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime

from sellers.models import Application, Evidence, Status
from sellers.services.evidence import evidence_remove, evidence_replace
from tests import files
from tests.pages import logged_in, page_text
from tests.sellers.factories import ApplicationFactory, EvidenceFactory


def _case(seller):
    """An application back from the seller: the certificate replaced, the photo removed."""
    application = ApplicationFactory(
        company=seller.company, changes_requested=True, with_evidence=False
    )
    certificate = EvidenceFactory(
        application=application,
        kind=Evidence.Kind.TRADEMARK_CERTIFICATE,
        file__filename="wrong.pdf",
        file__data=files.pdf_bytes("Wrong certificate"),
        original_name="wrong-certificate.pdf",
        sha256=hashlib.sha256(files.pdf_bytes("Wrong certificate")).hexdigest(),
        detected_type="application/pdf",
    )
    photo = EvidenceFactory(application=application, original_name="blurry-photo.png")
    kept = EvidenceFactory(application=application, original_name="box.png")
    new = evidence_replace(
        actor=seller.actor,
        application_id=application.pk,
        evidence_id=certificate.pk,
        upload=files.pdf_upload("right-certificate.pdf"),
    )
    evidence_remove(actor=seller.actor, application_id=application.pk, evidence_id=photo.pk)
    Application.objects.filter(pk=application.pk).update(status=Status.AWAITING_REVIEW)
    certificate.refresh_from_db()
    photo.refresh_from_db()
    return application, certificate, photo, kept, new


def test_workspace_shows_which_file_replaced_which_and_folds_the_withdrawn(reviewer, seller_a):
    application, certificate, photo, kept, new = _case(seller_a)

    page = logged_in(reviewer).get(reverse("reviews:workspace", args=[application.pk]))

    assert page.context["evidence"] == [kept, new]
    assert page.context["withdrawn_evidence"] == [photo, certificate]
    html = page_text(page)
    old_preview = reverse("reviews:evidence_preview", args=[certificate.pk])
    withdrawn_on = date_format(localtime(certificate.withdrawn_at).date(), "DATE_FORMAT")
    assert (
        f'replaces <a href="{old_preview}">wrong-certificate.pdf</a> (withdrawn {withdrawn_on})'
    ) in html
    withdrawn = html[html.index('<details class="evidence-withdrawn">') :]
    withdrawn = withdrawn[: withdrawn.index("</details>")]
    assert "Withdrawn files (2)" in withdrawn
    assert "replaced by right-certificate.pdf" in withdrawn
    assert "removed" in withdrawn
    assert reverse("reviews:evidence_preview", args=[photo.pk]) in withdrawn
    assert seller_a.actor.label in withdrawn
    assert "right-certificate.pdf</a>" not in withdrawn


def test_workspace_reads_only_the_current_documents(reviewer, seller_a):
    application, certificate, _photo, kept, new = _case(seller_a)

    page = logged_in(reviewer).get(reverse("reviews:workspace", args=[application.pk]))

    # Every current file is shown with its pages; only the new certificate was read.
    previews = page.context["previews"]
    assert [preview.evidence.pk for preview in previews] == [kept.pk, new.pk]
    read = [preview.evidence.pk for preview in previews if preview.reading is not None]
    assert read == [new.pk]
    assert certificate.pk not in [preview.evidence.pk for preview in previews]


def test_workspace_without_withdrawn_files_shows_no_withdrawn_list(reviewer):
    application = ApplicationFactory(awaiting_review=True)

    page = logged_in(reviewer).get(reverse("reviews:workspace", args=[application.pk]))

    assert page.context["withdrawn_evidence"] == []
    assert "evidence-withdrawn" not in page_text(page)


def test_workspace_queries_do_not_grow_with_replacements(reviewer, seller_a):
    application, _certificate, _photo, _kept, new = _case(seller_a)
    client = logged_in(reviewer)
    url = reverse("reviews:workspace", args=[application.pk])
    with CaptureQueriesContext(connection) as once:
        client.get(url)
    Application.objects.filter(pk=application.pk).update(status=Status.CHANGES_REQUESTED)
    for number in range(4):
        new = evidence_replace(
            actor=seller_a.actor,
            application_id=application.pk,
            evidence_id=new.pk,
            upload=files.upload(f"v{number}.png", files.png_bytes(color=(number, 9, 9))),
        )
    Application.objects.filter(pk=application.pk).update(status=Status.AWAITING_REVIEW)

    with CaptureQueriesContext(connection) as many:
        page = client.get(url)

    assert len(page.context["withdrawn_evidence"]) == 6
    assert len(many.captured_queries) == len(once.captured_queries)
