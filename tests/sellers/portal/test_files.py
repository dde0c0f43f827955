"""Evidence from a separate media host through short-lived signed links, when MEDIA_HOST is set."""

import time
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from sellers.portal.files import download_name
from tests.files import png_bytes
from tests.pages import logged_in
from tests.sellers.factories import ApplicationFactory, EvidenceFactory

MEDIA_HOST = "evidence.brand-program.test"


@pytest.fixture
def media_host(settings):
    settings.MEDIA_HOST = MEDIA_HOST
    settings.MEDIA_HOST_SCHEME = "https"
    settings.ALLOWED_HOSTS = ["testserver", MEDIA_HOST]
    return MEDIA_HOST


@pytest.fixture
def evidence(seller_a):
    application = ApplicationFactory(company=seller_a.company, with_evidence=False)
    return EvidenceFactory(application=application, original_name="licence.png")


def fetch(link: str, **headers):
    parts = urlsplit(link)
    return Client().get(parts.path, HTTP_HOST=parts.netloc, secure=True, headers=headers)


def test_without_a_media_host_the_portal_serves_the_file(evidence, seller_a):
    response = logged_in(seller_a.owner).get(
        reverse("portal:evidence_download", args=[evidence.pk])
    )

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png_bytes()


def test_download_redirects_to_a_signed_link_on_the_media_host(media_host, evidence, seller_a):
    response = logged_in(seller_a.owner).get(
        reverse("portal:evidence_download", args=[evidence.pk])
    )
    link = response["Location"]
    served = fetch(link)

    assert response.status_code == 302
    assert link.startswith(f"https://{MEDIA_HOST}/files/")
    # The media host needs no session: the signature is the permission.
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == png_bytes()
    assert served["Content-Disposition"].startswith("attachment;")
    assert served["Cache-Control"] == "private, no-store"


def test_reviewer_preview_is_inline_on_the_media_host(media_host, evidence, reviewer):
    response = logged_in(reviewer).get(reverse("reviews:evidence_preview", args=[evidence.pk]))
    served = fetch(response["Location"])

    assert served.status_code == 200
    assert served["Content-Disposition"].startswith("inline;")


def test_the_media_host_refuses_bad_stale_and_misplaced_links(media_host, evidence, seller_a):
    seller = logged_in(seller_a.owner)
    link = seller.get(reverse("portal:evidence_download", args=[evidence.pk]))["Location"]
    path = urlsplit(link).path
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 3600):
        old_link = seller.get(reverse("portal:evidence_download", args=[evidence.pk]))["Location"]

    tampered = fetch(link.replace("/files/", "/files/x"))
    stale = fetch(old_link)
    on_portal_host = seller.get(path)
    portal_page_on_media_host = Client().get(
        reverse("portal:dashboard"), HTTP_HOST=MEDIA_HOST, secure=True
    )

    assert [r.status_code for r in (tampered, stale, on_portal_host)] == [404, 404, 404]
    assert portal_page_on_media_host.status_code == 404
    assert fetch(link).status_code == 200


def test_another_company_gets_no_link(media_host, evidence, seller_b):
    response = logged_in(seller_b.owner).get(
        reverse("portal:evidence_download", args=[evidence.pk])
    )

    assert response.status_code == 404
    assert "Location" not in response


@pytest.fixture
def misnamed(seller_a):
    """A PNG uploaded under a PDF's name."""
    application = ApplicationFactory(company=seller_a.company, with_evidence=False)
    return EvidenceFactory(application=application, original_name="photo.pdf")


def test_every_evidence_route_names_the_file_for_its_detected_type(
    misnamed, seller_a, reviewer, settings
):
    download = reverse("portal:evidence_download", args=[misnamed.pk])
    preview = reverse("reviews:evidence_preview", args=[misnamed.pk])

    direct = [
        logged_in(seller_a.owner).get(download),
        logged_in(reviewer).get(download),
        logged_in(reviewer).get(preview),
    ]
    settings.MEDIA_HOST = MEDIA_HOST
    settings.MEDIA_HOST_SCHEME = "https"
    settings.ALLOWED_HOSTS = ["testserver", MEDIA_HOST]
    signed = [
        fetch(logged_in(seller_a.owner).get(download)["Location"]),
        fetch(logged_in(reviewer).get(preview)["Location"]),
    ]

    assert [(r["Content-Type"], r["Content-Disposition"]) for r in direct + signed] == [
        ("image/png", 'attachment; filename="photo.png"'),
        ("image/png", 'attachment; filename="photo.png"'),
        ("image/png", 'inline; filename="photo.png"'),
        ("image/png", 'attachment; filename="photo.png"'),
        ("image/png", 'inline; filename="photo.png"'),
    ]
    assert b"".join(signed[0].streaming_content) == png_bytes()


@pytest.mark.parametrize(
    ("name", "content_type", "expected"),
    [
        ("photo.pdf", "image/png", "photo.png"),
        ("scan.PNG", "application/pdf", "scan.pdf"),
        ("licence", "image/jpeg", "licence.jpg"),
        ("archive.tar.gz", "image/webp", "archive.tar.webp"),
        ("licence.pdf", "application/pdf", "licence.pdf"),
    ],
)
def test_download_name_keeps_the_base_name_and_takes_the_detected_extension(
    name, content_type, expected
):
    assert download_name(name, content_type) == expected
