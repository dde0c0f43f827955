"""Replacing and removing evidence from the application page and the wizard's evidence step."""

import hashlib

import pytest
from django.urls import reverse

from sellers.models import ApplicationDraft, Evidence, Status
from tests import files
from tests.pages import logged_in, messages_on, page_text
from tests.sellers.factories import ApplicationFactory, EvidenceFactory


def _with_certificate_and_photo(seller, **traits):
    application = ApplicationFactory(company=seller.company, with_evidence=False, **traits)
    certificate = EvidenceFactory(
        application=application,
        kind=Evidence.Kind.TRADEMARK_CERTIFICATE,
        file__filename="wrong.pdf",
        file__data=files.pdf_bytes("Wrong certificate"),
        original_name="wrong-certificate.pdf",
        sha256=hashlib.sha256(files.pdf_bytes("Wrong certificate")).hexdigest(),
        detected_type="application/pdf",
    )
    photo = EvidenceFactory(application=application, original_name="old-photo.png")
    return application, certificate, photo


def _detail(application) -> str:
    return reverse("portal:application_detail", args=[application.pk])


def test_application_page_offers_replace_and_remove_while_changes_are_requested(seller_a):
    application, certificate, photo = _with_certificate_and_photo(seller_a, changes_requested=True)

    html = page_text(logged_in(seller_a.owner).get(_detail(application)))

    for item in (certificate, photo):
        assert reverse("portal:evidence_replace", args=[item.pk]) in html
        assert reverse("portal:evidence_remove", args=[item.pk]) in html
    assert f'Replace<span class="visually-hidden"> {certificate.original_name}</span>…' in html


def test_application_page_offers_neither_once_under_review(seller_a):
    application, certificate, _photo = _with_certificate_and_photo(seller_a, awaiting_review=True)

    html = page_text(logged_in(seller_a.owner).get(_detail(application)))

    assert certificate.original_name in html
    assert reverse("portal:evidence_replace", args=[certificate.pk]) not in html
    assert reverse("portal:evidence_remove", args=[certificate.pk]) not in html


def test_seller_replaces_a_certificate_from_the_application_page(seller_a):
    application, certificate, photo = _with_certificate_and_photo(seller_a, changes_requested=True)
    client = logged_in(seller_a.owner)

    response = client.post(
        reverse("portal:evidence_replace", args=[certificate.pk]),
        {"file": files.pdf_upload("right-certificate.pdf"), "next": _detail(application)},
        follow=True,
    )

    certificate.refresh_from_db()
    new = certificate.replaced_by
    assert response.redirect_chain == [(_detail(application), 302)]
    assert messages_on(response) == [
        "“wrong-certificate.pdf” was replaced with “right-certificate.pdf”."
    ]
    assert (new.kind, new.original_name) == (
        Evidence.Kind.TRADEMARK_CERTIFICATE,
        "right-certificate.pdf",
    )
    assert [item.pk for item in response.context["evidence"]] == [photo.pk, new.pk]
    html = page_text(response)
    assert "replaces wrong-certificate.pdf" in html
    assert reverse("portal:evidence_download", args=[certificate.pk]) not in html
    assert "Evidence replaced" in html


def test_seller_removes_a_photo_from_the_application_page(seller_a):
    _application, certificate, photo = _with_certificate_and_photo(seller_a, changes_requested=True)

    response = logged_in(seller_a.owner).post(
        reverse("portal:evidence_remove", args=[photo.pk]), follow=True
    )

    photo.refresh_from_db()
    assert photo.withdrawn_at is not None
    assert messages_on(response) == ["“old-photo.png” was removed."]
    assert [item.pk for item in response.context["evidence"]] == [certificate.pk]
    assert "Evidence removed" in page_text(response)


@pytest.mark.parametrize(
    "hostile",
    [files.html_disguised_as_pdf, files.truncated_png],
    ids=["html-disguised-as-pdf", "truncated-png"],
)
def test_a_refused_replacement_says_why_and_keeps_the_old_file(seller_a, hostile):
    application, certificate, _photo = _with_certificate_and_photo(seller_a, changes_requested=True)

    response = logged_in(seller_a.owner).post(
        reverse("portal:evidence_replace", args=[certificate.pk]),
        {"file": hostile()},
        follow=True,
    )

    certificate.refresh_from_db()
    assert certificate.withdrawn_at is None
    assert application.evidence.count() == 2
    assert len(messages_on(response)) == 1
    assert messages_on(response)[0].startswith(hostile().name)


def test_a_replacement_without_a_file_is_refused(seller_a):
    application, certificate, _photo = _with_certificate_and_photo(seller_a, changes_requested=True)

    response = logged_in(seller_a.owner).post(
        reverse("portal:evidence_replace", args=[certificate.pk]), {}, follow=True
    )

    assert messages_on(response) == ["Choose the new file."]
    assert list(application.evidence.current()) == list(application.evidence.all())


def test_replace_once_under_review_is_refused_with_a_message(seller_a):
    application, certificate, _photo = _with_certificate_and_photo(seller_a, awaiting_review=True)

    response = logged_in(seller_a.owner).post(
        reverse("portal:evidence_replace", args=[certificate.pk]),
        {"file": files.pdf_upload()},
        follow=True,
    )

    assert messages_on(response) == [
        "Evidence can only be replaced while the application is a draft or changes are requested."
    ]
    assert application.evidence.current().count() == 2
    assert application.status == Status.AWAITING_REVIEW


@pytest.mark.parametrize("route", ["portal:evidence_replace", "portal:evidence_remove"])
def test_another_companys_evidence_answers_404(seller_a, seller_b, route):
    _application, certificate, _photo = _with_certificate_and_photo(
        seller_a, changes_requested=True
    )

    response = logged_in(seller_b.owner).post(
        reverse(route, args=[certificate.pk]), {"file": files.pdf_upload()}
    )

    certificate.refresh_from_db()
    assert response.status_code == 404
    assert "wrong-certificate" not in page_text(response)
    assert certificate.withdrawn_at is None


def test_a_next_page_elsewhere_is_ignored(seller_a):
    application, _certificate, photo = _with_certificate_and_photo(seller_a, changes_requested=True)

    response = logged_in(seller_a.owner).post(
        reverse("portal:evidence_remove", args=[photo.pk]), {"next": "https://evil.example/"}
    )

    assert response["Location"] == _detail(application)


def test_the_wizards_evidence_step_replaces_and_removes_and_stays_there(seller_a):
    application, certificate, photo = _with_certificate_and_photo(seller_a, changes_requested=True)
    draft = ApplicationDraft.objects.create(
        company=seller_a.company,
        brand=application.brand,
        trademark=application.trademark,
        application=application,
        step=ApplicationDraft.Step.EVIDENCE,
        owns_trademark=True,
    )
    step = reverse("portal:wizard_step", args=[draft.pk, "evidence"])
    client = logged_in(seller_a.owner)
    offered = page_text(client.get(step))

    replaced = client.post(
        reverse("portal:evidence_replace", args=[certificate.pk]),
        {"file": files.pdf_upload("right.pdf"), "next": step},
        follow=True,
    )
    removed = client.post(
        reverse("portal:evidence_remove", args=[photo.pk]), {"next": step}, follow=True
    )

    assert f'name="next" value="{step}"' in offered
    assert reverse("portal:evidence_remove", args=[photo.pk]) in offered
    assert replaced.redirect_chain == [(step, 302)]
    assert removed.redirect_chain == [(step, 302)]
    assert [item.original_name for item in removed.context["evidence"]] == ["right.pdf"]
    assert messages_on(removed) == ["“old-photo.png” was removed."]
    html = page_text(removed)
    assert ("wrong-certificate.pdf" in html, "right.pdf" in html) == (False, True)
