"""The reviewer sees a page of a PDF as a picture rendered on the server, with the box where
each field was read drawn over it; the picture is behind the same wall as the document."""

import io
from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from fpdf import FPDF
from PIL import Image

from bench.documents import generate, render
from reviews.services import conflict_declare
from sellers.actors import actor_for_user
from sellers.documents.preview import PREVIEW_SIDE, preview_folder
from sellers.documents.reading import Reading
from sellers.models import Application, DocumentReading, Status
from sellers.services.evidence import evidence_add
from tests.files import pdf_bytes
from tests.pages import logged_in, page_text
from tests.sellers.factories import ApplicationFactory


@pytest.fixture(scope="module")
def certificate_sample():
    return next(s for s in generate(1, 40) if s.name == "0016_trademark_certificate_en.pdf")


@pytest.fixture
def read_pdf(seller_a, certificate_sample, django_capture_on_commit_callbacks):
    """A certificate PDF uploaded by company A and read by the reader after commit."""
    application = ApplicationFactory(company=seller_a.company, with_evidence=False)
    with django_capture_on_commit_callbacks(execute=True):
        evidence = evidence_add(
            actor=seller_a.actor,
            application_id=application.pk,
            kind="trademark_certificate",
            upload=SimpleUploadedFile("certificate.pdf", render(certificate_sample)),
        )
    # Submitted and screened since: waiting for a reviewer.
    Application.objects.filter(pk=application.pk).update(status=Status.AWAITING_REVIEW)
    return application, evidence


def _ink(image: Image.Image, box) -> float:
    """The share of dark pixels inside a box given in fractions of the picture."""
    width, height = image.size
    crop = image.convert("L").crop(
        (int(box.x0 * width), int(box.y0 * height), int(box.x1 * width), int(box.y1 * height))
    )
    shades = crop.histogram()
    return sum(shades[:128]) / sum(shades)


def test_a_reviewer_gets_page_one_of_a_pdf_with_the_read_fields_on_it(reviewer, read_pdf):
    application, evidence = read_pdf
    reading = Reading.from_json(DocumentReading.objects.get(evidence=evidence).data)
    number = reading.field("registration_number")
    client = logged_in(reviewer)
    url = reverse("reviews:document_page", args=["evidence", evidence.pk, 1])

    workspace = page_text(client.get(reverse("reviews:workspace", args=[application.pk])))
    response = client.get(url)
    picture = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    cached = preview_folder() / f"{evidence.sha256}-1-{PREVIEW_SIDE}.png"
    again = client.get(url)

    assert f'<img src="{url}" alt="First page of certificate.pdf">' in workspace
    assert (
        f'<rect x="{number.box.x0 * 100:.2f}" y="{number.box.y0 * 100:.2f}" '
        f'width="{(number.box.x1 - number.box.x0) * 100:.2f}"'
    ) in workspace
    assert (response["Content-Type"], response["Cache-Control"]) == (
        "image/png",
        "private, no-store",
    )
    assert picture.format == "PNG"
    assert max(picture.size) == PREVIEW_SIDE
    # The page is A4 or Letter, upright: taller than wide, as the PDF is.
    assert picture.size[1] > picture.size[0]
    # The outline sits on the printed number, not on blank paper.
    assert _ink(picture, number.box) > 0.05
    assert cached.exists()
    assert b"".join(again.streaming_content) == cached.read_bytes()


def test_a_page_the_pdf_does_not_have_is_not_found(reviewer, read_pdf):
    _application, evidence = read_pdf

    response = logged_in(reviewer).get(
        reverse("reviews:document_page", args=["evidence", evidence.pk, 2])
    )

    assert response.status_code == 404


def test_a_conflicted_reviewer_and_other_companies_get_nothing(
    read_pdf, other_reviewer, seller_a, seller_b
):
    _application, evidence = read_pdf
    conflict_declare(
        actor=actor_for_user(other_reviewer), company=seller_a.company, reason="Former employee"
    )
    url = reverse("reviews:document_page", args=["evidence", evidence.pk, 1])

    conflicted = logged_in(other_reviewer).get(url)
    other_company = logged_in(seller_b.owner).get(url)
    own_seller = logged_in(seller_a.owner).get(url)

    assert [conflicted.status_code, other_company.status_code, own_seller.status_code] == [
        404,
        404,
        404,
    ]
    assert not preview_folder().exists()


def test_the_sign_up_licence_is_shown_as_a_picture_too(reviewer, seller_a):
    company = seller_a.company
    company.business_licence.save("licence.pdf", ContentFile(pdf_bytes("Business licence")))
    company.business_licence_name = "licence.pdf"
    company.business_licence_type = "application/pdf"
    company.business_licence_sha256 = "a" * 64
    company.save()

    response = logged_in(reviewer).get(
        reverse("reviews:document_page", args=["licence", company.pk, 1])
    )
    unknown = logged_in(reviewer).get(
        reverse("reviews:document_page", args=["passport", company.pk, 1])
    )

    assert response["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).size == (1082, 1400)
    assert unknown.status_code == 404


def test_with_a_media_host_the_picture_comes_from_it_and_closes_with_a_conflict(
    settings, reviewer, read_pdf, seller_a
):
    settings.MEDIA_HOST = "evidence.brand-program.test"
    settings.ALLOWED_HOSTS = ["testserver", settings.MEDIA_HOST]
    _application, evidence = read_pdf
    url = reverse("reviews:document_page", args=["evidence", evidence.pk, 1])

    link = urlsplit(logged_in(reviewer).get(url)["Location"])
    served = Client().get(link.path, HTTP_HOST=link.netloc)
    on_the_portal = Client().get(link.path)
    conflict_declare(
        actor=actor_for_user(reviewer), company=seller_a.company, reason="Former employee"
    )
    after_conflict = Client().get(link.path, HTTP_HOST=link.netloc)

    assert link.netloc == settings.MEDIA_HOST
    assert served["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(b"".join(served.streaming_content))).format == "PNG"
    assert on_the_portal.status_code == 404
    assert after_conflict.status_code == 404


def _two_page_letter() -> bytes:
    """A letter of authorization whose parties are on page 1 and its term on page 2."""
    pdf = FPDF(format="A4")
    pdf.set_font("Helvetica", size=12)
    pages = (
        (
            "LETTER OF AUTHORIZATION",
            "Grantor: Moonlight Lamps GmbH",
            "Grantee: Shenzhen Bright Lamp Technology Co., Ltd.",
            "Brand: BRIGHTLAMP",
        ),
        ("TERMS", "Territory: Worldwide", "Valid until: 31 December 2030"),
    )
    for lines in pages:
        pdf.add_page()
        for number, line in enumerate(lines):
            pdf.text(25, 40 + 12 * number, line)
    return bytes(pdf.output())


def _rect(field) -> str:
    box = field.box
    return (
        f'<rect x="{box.x0 * 100:.2f}" y="{box.y0 * 100:.2f}" '
        f'width="{(box.x1 - box.x0) * 100:.2f}" height="{(box.y1 - box.y0) * 100:.2f}"'
    )


def test_a_field_read_on_a_later_page_is_outlined_on_that_pages_picture(
    reviewer, seller_a, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(company=seller_a.company, with_evidence=False)
    with django_capture_on_commit_callbacks(execute=True):
        letter = evidence_add(
            actor=seller_a.actor,
            application_id=application.pk,
            kind="authorization_letter",
            upload=SimpleUploadedFile("letter.pdf", _two_page_letter()),
        )
    Application.objects.filter(pk=application.pk).update(status=Status.AWAITING_REVIEW)
    reading = Reading.from_json(DocumentReading.objects.get(evidence=letter).data)
    client = logged_in(reviewer)

    workspace = page_text(client.get(reverse("reviews:workspace", args=[application.pk])))
    panel = workspace[workspace.index(f'id="reading-evidence-{letter.pk}"') :]
    first, second = panel.split('<div class="reading-page" data-page="')[1:3]
    second = second.split("</svg>")[0]
    second_url = reverse("reviews:document_page", args=["evidence", letter.pk, 2])
    picture = client.get(second_url)

    assert (reading.source, reading.field("valid_until").box.page) == ("text layer", 2)
    assert first.startswith("1")
    assert _rect(reading.field("grantor")) in first
    assert _rect(reading.field("valid_until")) not in first
    assert second.startswith("2")
    assert f'<img src="{second_url}" alt="Page 2 of letter.pdf">' in second
    assert f"{_rect(reading.field('valid_until'))} " in second
    assert "<title>Valid until</title>" in second
    assert "<title>Grantor</title>" not in second
    assert Image.open(io.BytesIO(b"".join(picture.streaming_content))).format == "PNG"
