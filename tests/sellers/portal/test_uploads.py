"""Uploads: WebP by content, the per-company quota, and downloads that are never rendered."""

import io
import os

from django.conf import settings
from django.urls import reverse
from PIL import Image

from sellers.models import Evidence
from tests.files import png_bytes, upload
from tests.pages import logged_in, page_text
from tests.sellers.factories import ApplicationFactory


def webp_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 160, 90)).save(buffer, format="WEBP")
    return buffer.getvalue()


def test_default_file_limit_is_twenty_megabytes():
    assert "EVIDENCE_MAX_BYTES" not in os.environ
    assert settings.EVIDENCE_MAX_BYTES == 20 * 1024 * 1024


def test_webp_photo_is_accepted_by_its_content_whatever_its_name(seller_a):
    application = ApplicationFactory(company=seller_a.company)

    logged_in(seller_a.owner).post(
        reverse("portal:evidence_create", args=[application.pk]),
        {"kind": "product_photo", "file": upload("lamp-box.jpg", webp_bytes(), "image/jpeg")},
    )

    stored = Evidence.objects.get(application=application, original_name="lamp-box.jpg")
    assert stored.detected_type == "image/webp"
    assert stored.file.name.endswith(".webp")
    with stored.file.open("rb") as handle:
        assert handle.read() == webp_bytes()


def test_upload_beyond_the_company_quota_is_refused_and_not_stored(seller_a, settings):
    application = ApplicationFactory(company=seller_a.company)
    used = application.evidence.get().size
    settings.COMPANY_STORAGE_QUOTA_BYTES = used + 50

    response = logged_in(seller_a.owner).post(
        reverse("portal:evidence_create", args=[application.pk]),
        {"kind": "product_photo", "file": upload("box.png", png_bytes(), "image/png")},
    )

    assert response.context["evidence_form"].errors == {
        "file": [
            f"Your company's files already use {used}\xa0bytes of its {used + 50}\xa0bytes; this "
            f"file ({len(png_bytes())}\xa0bytes) does not fit. Files replaced or removed count "
            "too, since they are kept in the history: ask the program team for more room."
        ]
    }
    assert Evidence.objects.filter(application=application).count() == 1


def test_download_is_an_attachment_that_is_never_sniffed(seller_a):
    application = ApplicationFactory(company=seller_a.company)
    evidence = application.evidence.get()

    response = logged_in(seller_a.owner).get(
        reverse("portal:evidence_download", args=[evidence.pk])
    )

    assert response["Content-Disposition"] == 'attachment; filename="photo.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == png_bytes()


def test_other_companys_download_and_pages_answer_404(seller_a, seller_b):
    application = ApplicationFactory(company=seller_a.company, brand__name="SECRETLAMP")
    evidence = application.evidence.get()
    stranger = logged_in(seller_b.owner)

    pages = [
        stranger.get(reverse("portal:evidence_download", args=[evidence.pk])),
        stranger.get(reverse("portal:application_detail", args=[application.pk])),
        stranger.post(
            reverse("portal:application_action", args=[application.pk]), {"action": "withdraw"}
        ),
    ]

    assert [p.status_code for p in pages] == [404, 404, 404]
    assert all("SECRETLAMP" not in page_text(p) for p in pages)
