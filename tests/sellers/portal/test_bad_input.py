"""Refused input: the error lands on the right field and nothing is half-saved."""

import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from PIL import Image

from sellers.models import Application, ApplicationEvent, Brand, Evidence, Status, Trademark
from tests.files import html_disguised_as_pdf, png_upload, upload
from tests.pages import application_form, logged_in, messages_on, page_text
from tests.sellers.factories import ApplicationFactory, CategoryFactory


def _stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def _nothing_saved() -> tuple:
    return (
        Application.objects.count(),
        Brand.objects.count(),
        Trademark.objects.count(),
        Evidence.objects.count(),
        ApplicationEvent.objects.count(),
        _stored_files(),
    )


def _noisy_png(width: int, height: int) -> bytes:
    # Random pixels do not compress, so the file is about width * height * 3 bytes.
    image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def test_create_with_a_number_wrong_for_the_office_shows_a_field_error_and_saves_nothing(
    seller_a, program, lighting
):
    client = logged_in(seller_a.owner)

    response = client.post(
        reverse("portal:application_new"),
        application_form(program, lighting, png_upload(), trademark_number="UK00003123456"),
    )

    expected = (
        "UK00003123456 is not a USPTO number: expected a registration number of up to 7 digits "
        "or an 8-digit serial number."
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"trademark_number": [expected]}
    assert expected in page_text(response)
    assert "The application was not saved." in page_text(response)
    assert _nothing_saved() == (0, 0, 0, 0, 0, [])


def test_create_with_html_named_pdf_shows_the_error_on_the_evidence_field(
    seller_a, program, lighting
):
    client = logged_in(seller_a.owner)

    response = client.post(
        reverse("portal:application_new"),
        application_form(program, lighting, html_disguised_as_pdf()),
    )

    expected = "certificate.pdf is text/html; upload a PDF, JPEG, PNG or WebP file."
    assert response.context["form"].errors == {"evidence": [expected]}
    assert expected in page_text(response)
    assert _nothing_saved() == (0, 0, 0, 0, 0, [])


def test_create_with_a_file_over_the_limit_says_how_big_it_may_be(
    seller_a, program, lighting, settings
):
    settings.EVIDENCE_MAX_BYTES = 1_048_576
    content = _noisy_png(700, 700)
    assert len(content) > settings.EVIDENCE_MAX_BYTES
    client = logged_in(seller_a.owner)

    response = client.post(
        reverse("portal:application_new"),
        application_form(program, lighting, upload("scan.png", content, "image/png")),
    )

    expected = (
        f"scan.png is {filesizeformat(len(content))}; files may be at most "
        f"{filesizeformat(1_048_576)}."
    )
    assert response.context["form"].errors == {"evidence": [expected]}
    assert expected in page_text(response)
    assert _nothing_saved() == (0, 0, 0, 0, 0, [])


def test_create_with_several_refusals_reports_each_on_its_field(seller_a, program, lighting):
    client = logged_in(seller_a.owner)

    response = client.post(
        reverse("portal:application_new"),
        application_form(
            program, lighting, png_upload(), trademark_number="123456789", nice_classes="11, 46"
        ),
    )

    assert response.context["form"].errors == {
        "trademark_number": [
            "123456789 is not a USPTO number: expected a registration number of up to 7 digits "
            "or an 8-digit serial number."
        ],
        "nice_classes": ["Nice classes run from 1 to 45; 46 is not one."],
    }
    assert _nothing_saved() == (0, 0, 0, 0, 0, [])


@pytest.mark.parametrize("classes", ["eleven", "9;x", ""])
def test_create_with_nice_classes_that_are_not_numbers_is_refused_by_the_form(
    classes, seller_a, program, lighting
):
    client = logged_in(seller_a.owner)

    response = client.post(
        reverse("portal:application_new"),
        application_form(program, lighting, png_upload(), nice_classes=classes),
    )

    assert list(response.context["form"].errors) == ["nice_classes"]
    assert Application.objects.count() == 0


def test_create_with_three_categories_is_refused_on_the_categories_field(
    seller_a, program, lighting
):
    client = logged_in(seller_a.owner)
    others = [
        CategoryFactory(code="kitchenware", name="Kitchenware", nice_classes=[21]),
        CategoryFactory(code="furniture", name="Furniture", nice_classes=[20]),
    ]

    response = client.post(
        reverse("portal:application_new"),
        application_form(
            program, lighting, png_upload(), categories=[lighting.pk] + [c.pk for c in others]
        ),
    )

    assert response.context["form"].errors == {
        "categories": ["Choose one or two categories from the list."]
    }
    assert _nothing_saved() == (0, 0, 0, 0, 0, [])


def test_posting_the_create_form_twice_makes_one_application_and_says_why(
    seller_a, program, lighting
):
    client = logged_in(seller_a.owner)
    url = reverse("portal:application_new")

    first = client.post(url, application_form(program, lighting, png_upload()))
    second = client.post(url, application_form(program, lighting, png_upload()))

    expected = "LUMIBRIGHT already has an open application in Thousand-Class Brand Program."
    assert first.status_code == 302
    assert second.status_code == 200
    assert second.context["form"].errors == {"brand_name": [expected]}
    assert expected in page_text(second)
    assert Application.objects.count() == 1
    assert Evidence.objects.count() == 1
    assert len(_stored_files()) == 1


def test_clicking_submit_twice_records_one_submission_and_explains_the_second(
    seller_a, program, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(company=seller_a.company, program=program)
    client = logged_in(seller_a.owner)
    url = reverse("portal:application_action", args=[application.pk])

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, {"action": "submit"}, follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(url, {"action": "submit"}, follow=True)

    application.refresh_from_db()
    assert application.status == Status.AWAITING_REVIEW
    assert ApplicationEvent.objects.filter(application=application, action="submit").count() == 1
    assert messages_on(first) == [
        "Your application was submitted. We will let you know the decision here."
    ]
    assert messages_on(second) == ["Cannot submit while the application is “Under review”."]
    assert "Cannot submit while the application is “Under review”." in page_text(second)
    assert "awaiting" not in page_text(second).lower()


def test_submit_without_evidence_shows_the_rule_and_keeps_the_draft(seller_a, program):
    application = ApplicationFactory(company=seller_a.company, program=program, with_evidence=False)
    client = logged_in(seller_a.owner)

    response = client.post(
        reverse("portal:application_action", args=[application.pk]),
        {"action": "submit"},
        follow=True,
    )

    application.refresh_from_db()
    assert application.status == Status.DRAFT
    assert messages_on(response) == ["Attach at least one evidence file before submitting."]
    assert response.context["status_label"] == "Draft"


def test_unknown_seller_action_is_refused_without_a_change(seller_a, program):
    application = ApplicationFactory(company=seller_a.company, program=program)
    client = logged_in(seller_a.owner)

    response = client.post(
        reverse("portal:application_action", args=[application.pk]),
        {"action": "approve"},
        follow=True,
    )

    application.refresh_from_db()
    assert application.status == Status.DRAFT
    assert messages_on(response) == ["That action is not available."]


def test_adding_an_oversize_file_shows_the_error_on_the_file_field(seller_a, program, settings):
    settings.EVIDENCE_MAX_BYTES = 1_048_576
    application = ApplicationFactory(company=seller_a.company, program=program)
    content = _noisy_png(700, 700)
    client = logged_in(seller_a.owner)

    response = client.post(
        reverse("portal:evidence_create", args=[application.pk]),
        {"kind": "product_photo", "file": upload("big.png", content, "image/png")},
    )

    expected = (
        f"big.png is {filesizeformat(len(content))}; files may be at most "
        f"{filesizeformat(1_048_576)}."
    )
    assert response.status_code == 200
    assert response.context["evidence_form"].errors == {"file": [expected]}
    assert expected in page_text(response)
    assert application.evidence.count() == 1


def test_adding_evidence_after_submission_is_refused_with_a_message(seller_a, program):
    application = ApplicationFactory(
        company=seller_a.company, program=program, awaiting_review=True
    )
    client = logged_in(seller_a.owner)

    response = client.post(
        reverse("portal:evidence_create", args=[application.pk]),
        {"kind": "product_photo", "file": png_upload()},
        follow=True,
    )

    assert messages_on(response) == [
        "Evidence can only be added while the application is a draft or changes are requested."
    ]
    assert application.evidence.count() == 1
    assert response.context["can_add_evidence"] is False
    assert "Add evidence" not in page_text(response)


def test_create_with_oversize_text_names_each_field_and_keeps_what_was_typed(
    seller_a, program, lighting
):
    client = logged_in(seller_a.owner)
    long_brand, long_owner = "B" * 121, "O" * 256

    response = client.post(
        reverse("portal:application_new"),
        application_form(
            program, lighting, png_upload(), brand_name=long_brand, owner_name=long_owner
        ),
    )

    errors = response.context["form"].errors
    assert errors["brand_name"] == ["Ensure this value has at most 120 characters (it has 121)."]
    assert errors["owner_name"] == ["Ensure this value has at most 255 characters (it has 256)."]
    # What the seller typed comes back in the form, so nothing entered is lost.
    assert f'value="{long_brand}"' in page_text(response)
    assert _nothing_saved() == (0, 0, 0, 0, 0, [])


def test_create_with_script_in_the_brand_name_shows_it_escaped(seller_a, program, lighting):
    client = logged_in(seller_a.owner)

    created = client.post(
        reverse("portal:application_new"),
        application_form(program, lighting, png_upload(), brand_name="<script>x()</script>"),
        follow=True,
    )

    assert Application.objects.get().brand.name == "<script>x()</script>"
    assert "<script>x()</script>" not in page_text(created)
    assert "&lt;script&gt;x()&lt;/script&gt;" in page_text(created)


def test_names_with_invisible_characters_are_refused_and_nothing_is_saved(
    seller_a, program, lighting
):
    client = logged_in(seller_a.owner)

    response = client.post(
        reverse("portal:application_new"),
        application_form(
            program,
            lighting,
            png_upload(),
            brand_name="\u202eEKIN",
            brand_native_name="耐\u200b克",
            owner_name="Nike\u2066 Innovate",
        ),
    )

    message = (
        "Remove the invisible characters ({}): they change how the name is displayed "
        "without showing."
    )
    assert response.context["form"].errors == {
        "brand_name": [message.format("U+202E")],
        "brand_native_name": [message.format("U+200B")],
        "owner_name": [message.format("U+2066")],
    }
    assert _nothing_saved() == (0, 0, 0, 0, 0, [])
