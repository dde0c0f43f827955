"""Requests the service refuses: each is a problem+json naming the fault, and nothing is kept."""

import io
import os

import pytest
from PIL import Image

from sellers.models import Application, Evidence, Status
from tests.files import html_disguised_as_pdf, png_bytes, truncated_png, upload
from tests.sellers.api.support import (
    COLLECTION,
    PROBLEM,
    application_payload,
    database_snapshot,
    detail_url,
    error_paths,
    trademark_payload,
)
from tests.sellers.factories import ApplicationFactory

NOTHING = {"applications": [], "brands": 0, "trademarks": 0, "evidence": 0, "events": 0}


def test_create_with_a_number_in_another_offices_format_names_the_field_and_keeps_nothing(
    partner_client, seller_a
):
    payload = application_payload(
        seller_a.company.pk, trademark=trademark_payload(office="USPTO", number="UK00003123456")
    )

    response = partner_client.post(COLLECTION, payload, format="json")

    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert {key: value for key, value in body.items() if key != "errors"} == {
        "type": "https://brand-program.example/problems/invalid",
        "title": "Invalid request",
        "status": 400,
        "code": "invalid",
        "detail": "Some fields are not valid.",
    }
    assert error_paths(body["errors"]) == ["trademark.number"]
    assert body["errors"]["trademark"]["number"][0].startswith("UK00003123456 is not a USPTO")
    assert database_snapshot() == NOTHING


def test_create_reports_service_rules_under_the_request_fields(partner_client, seller_a):
    payload = application_payload(
        seller_a.company.pk,
        trademark=trademark_payload(nice_classes=[11, 46]),
        categories=[],
    )

    response = partner_client.post(COLLECTION, payload, format="json")

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert error_paths(errors) == ["categories", "trademark.nice_classes"]
    assert "46" in errors["trademark"]["nice_classes"][0]
    assert database_snapshot() == NOTHING


def test_create_with_a_malformed_body_lists_the_shape_errors(partner_client, seller_a):
    payload = {
        "seller": seller_a.company.pk,
        "brand": {},
        "trademark": trademark_payload(office="TMVIEW", expires_on="next year"),
        "categories": ["lighting-appliances", "space-travel"],
    }

    response = partner_client.post(COLLECTION, payload, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "brand": {"name": ["This field is required."]},
        "trademark": {
            "office": ['"TMVIEW" is not a valid choice.'],
            "expires_on": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."],
        },
        "categories": ["Unknown category: space-travel."],
    }
    assert database_snapshot() == NOTHING


def test_create_twice_for_the_same_brand_is_a_duplicate_and_keeps_one_application(
    partner_client, seller_a
):
    payload = application_payload(seller_a.company.pk)
    first = partner_client.post(COLLECTION, payload, format="json")

    second = partner_client.post(COLLECTION, payload, format="json")

    assert first.status_code == 201
    assert second.status_code == 400
    detail = second.json()["detail"]
    assert second.json() == {
        "type": "https://brand-program.example/problems/duplicate-application",
        "title": "Rule violated",
        "status": 400,
        "code": "duplicate_application",
        "detail": detail,
        "errors": {"brand": {"name": [detail]}},
    }
    assert detail.startswith("BRIGHTLAMP already has an open application")
    assert list(Application.objects.values_list("pk", flat=True)) == [first.json()["id"]]


def test_submit_twice_is_a_conflict_the_second_time(partner_client, seller_a):
    application = ApplicationFactory(company=seller_a.company)
    first = partner_client.post(detail_url(application.pk, "submit/"))

    second = partner_client.post(detail_url(application.pk, "submit/"))

    assert first.status_code == 200
    assert second.status_code == 409
    assert second["Content-Type"] == PROBLEM
    body = second.json()
    assert {key: value for key, value in body.items() if key != "detail"} == {
        "type": "https://brand-program.example/problems/transition-not-allowed",
        "title": "Rule violated",
        "status": 409,
        "code": "transition_not_allowed",
    }
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert list(application.events.values_list("action", flat=True)) == ["submit"]


def test_submit_without_evidence_names_the_missing_evidence(partner_client, seller_a):
    application = ApplicationFactory(company=seller_a.company, with_evidence=False)

    response = partner_client.post(detail_url(application.pk, "submit/"))

    assert response.status_code == 400
    assert (response.json()["code"], error_paths(response.json()["errors"])) == (
        "evidence_missing",
        ["evidence"],
    )
    assert response.json()["missing_kinds"] == []
    application.refresh_from_db()
    assert application.status == Status.DRAFT
    assert not application.events.exists()


@pytest.mark.parametrize(
    ("make_file", "named"),
    [(html_disguised_as_pdf, "certificate.pdf"), (truncated_png, "photo.png")],
    ids=["html-named-pdf", "truncated-png"],
)
def test_evidence_upload_of_a_disguised_file_is_refused_and_not_stored(
    make_file, named, partner_client, seller_a
):
    application = ApplicationFactory(company=seller_a.company, with_evidence=False)

    response = partner_client.post(
        detail_url(application.pk, "evidence/"),
        {"kind": "trademark_certificate", "file": make_file()},
        format="multipart",
    )

    assert response.status_code == 400
    body = response.json()
    assert (body["code"], error_paths(body["errors"])) == ("invalid", ["file"])
    assert body["errors"]["file"][0].startswith(named)
    assert Evidence.objects.count() == 0
    assert not application.events.exists()


def test_evidence_upload_over_the_size_limit_is_refused(partner_client, seller_a, settings):
    # Random pixels do not compress, so the PNG is about 1.2 MB.
    noise = Image.frombytes("RGB", (640, 640), os.urandom(640 * 640 * 3))
    buffer = io.BytesIO()
    noise.save(buffer, format="PNG")
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    application = ApplicationFactory(company=seller_a.company, with_evidence=False)

    response = partner_client.post(
        detail_url(application.pk, "evidence/"),
        {"kind": "product_photo", "file": upload("big.png", buffer.getvalue(), "image/png")},
        format="multipart",
    )

    assert response.status_code == 400
    body = response.json()
    assert (body["code"], error_paths(body["errors"])) == ("invalid", ["file"])
    assert body["errors"]["file"][0].startswith("big.png is 1.2")
    assert Evidence.objects.count() == 0


def test_evidence_upload_with_an_unknown_kind_and_no_file_names_both_fields(
    partner_client, seller_a
):
    application = ApplicationFactory(company=seller_a.company, with_evidence=False)

    response = partner_client.post(
        detail_url(application.pk, "evidence/"), {"kind": "selfie"}, format="multipart"
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "kind": ['"selfie" is not a valid choice.'],
        "file": ["No file was submitted."],
    }
    assert Evidence.objects.count() == 0


def test_evidence_upload_after_submission_is_a_conflict(partner_client, seller_a):
    application = ApplicationFactory(company=seller_a.company, awaiting_review=True)

    response = partner_client.post(
        detail_url(application.pk, "evidence/"),
        {"kind": "product_photo", "file": upload("late.png", png_bytes(), "image/png")},
        format="multipart",
    )

    assert response.status_code == 409
    assert response.json()["code"] == "not_editable"
    assert list(application.evidence.values_list("original_name", flat=True)) == ["photo.png"]


def test_create_with_invisible_characters_in_names_names_the_fields_and_keeps_nothing(
    partner_client, seller_a
):
    payload = application_payload(
        seller_a.company.pk, trademark=trademark_payload(owner_name="Nike\u200b Innovate C.V.")
    )
    payload["brand"] = {"name": "\u202eEKIN", "native_name": "耐克"}

    response = partner_client.post(COLLECTION, payload, format="json")

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors == {
        "brand": {
            "name": [
                "Remove the invisible characters (U+202E): they change how the name is "
                "displayed without showing."
            ]
        },
        "trademark": {
            "owner_name": [
                "Remove the invisible characters (U+200B): they change how the name is "
                "displayed without showing."
            ]
        },
    }
    assert database_snapshot() == NOTHING


def test_create_with_a_line_break_in_names_names_the_fields_and_keeps_nothing(
    partner_client, seller_a
):
    payload = application_payload(
        seller_a.company.pk,
        trademark=trademark_payload(owner_name="Bright Lamp\tTechnology"),
        brand={"name": "BRIGHT\r\nLAMP", "native_name": "明灯"},
    )

    response = partner_client.post(COLLECTION, payload, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "brand": {
            "name": [
                "Remove the line breaks, tabs and other control characters (U+000D, U+000A): "
                "a name is a single line of text."
            ]
        },
        "trademark": {
            "owner_name": [
                "Remove the line breaks, tabs and other control characters (U+0009): "
                "a name is a single line of text."
            ]
        },
    }
    assert database_snapshot() == NOTHING
