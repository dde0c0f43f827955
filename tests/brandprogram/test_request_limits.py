"""Bodies over REQUEST_MAX_BYTES are refused unread, and slow uploads cannot starve the server.

The first tests go through Django in-process; the rest start a real gunicorn with the image's
config, because holding workers and spooling to disk only happen there.
"""

import socket

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sellers.models import SellerCompany
from tests.gunicorn import healthy, project_gunicorn

SIGN_UP = "/sign-up/"
WORKERS = 2


@pytest.mark.django_db
def test_a_portal_upload_over_the_limit_is_refused_with_a_translated_page(client, settings):
    settings.REQUEST_MAX_BYTES = 4096
    licence = SimpleUploadedFile("licence.pdf", b"%PDF-1.4\n" + b"x" * 8192)

    response = client.post(
        reverse("sign_up"),
        {"email": "big@example.com", "business_licence": licence},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )

    assert response.status_code == 413
    page = response.content.decode()
    assert '<html lang="zh-hans">' in page
    assert "上传内容过大" in page
    assert "4.0" in page
    assert not get_user_model().objects.filter(email="big@example.com").exists()
    assert not SellerCompany.objects.exists()


@pytest.mark.django_db
def test_an_api_body_over_the_limit_is_a_413_problem(client, settings):
    settings.REQUEST_MAX_BYTES = 4096

    response = client.post(
        "/api/v1/applications/", b"{}", content_type="application/json", CONTENT_LENGTH="4097"
    )

    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    assert response.json() == {
        "type": "https://brand-program.example/problems/request-too-large",
        "title": "Request too large",
        "status": 413,
        "code": "request_too_large",
        "detail": "The request is larger than the 0.00390625 MiB the service accepts.",
    }


@pytest.mark.django_db
def test_a_body_at_the_limit_reaches_the_view(client, settings):
    settings.REQUEST_MAX_BYTES = 4096

    response = client.post(
        "/api/v1/applications/", b"{}", content_type="application/json", CONTENT_LENGTH="4096"
    )

    # The API's own answer for a request without credentials, not the size refusal.
    assert response.status_code == 401
    assert response.json()["code"] != "request_too_large"


def test_the_default_limit_admits_one_evidence_file_and_its_fields(settings):
    assert settings.REQUEST_MAX_BYTES > (
        settings.EVIDENCE_MAX_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    )


@pytest.fixture
def server(tmp_path, transactional_db, settings):
    """gunicorn with the image's config on the test database; uploads spool into `spool`."""
    spool = tmp_path / "spool"
    spool.mkdir()
    env = {
        "DATA_DIR": str(tmp_path),
        # Django spools uploads to the system temporary folder (FILE_UPLOAD_TEMP_DIR unset).
        "TMPDIR": str(spool),
    }
    with project_gunicorn(tmp_path, settings, env=env, args=("--workers", str(WORKERS))) as port:
        yield port, spool


def _start_upload(port: int, length: int, *, chunked: bool = False) -> socket.socket:
    """A sign-up upload whose headers are sent in full and whose body has barely begun.

    It carries a CSRF cookie, so the CSRF check looks for the token in the body and reads it
    (without one it would refuse the request unread).
    """
    framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {length}"
    head = (
        f"POST {SIGN_UP} HTTP/1.1\r\nHost: 127.0.0.1\r\n{framing}\r\n"
        f"Cookie: csrftoken={'a' * 32}\r\n"
        "Content-Type: multipart/form-data; boundary=slow\r\n\r\n"
    )
    first = b'--slow\r\nContent-Disposition: form-data; name="business_licence"; '
    if chunked:
        first = f"{len(first):x}\r\n".encode() + first + b"\r\n"
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(head.encode() + first)
    return sock


def _status_line(sock: socket.socket) -> bytes:
    return sock.recv(4096).split(b"\r\n", 1)[0]


def test_health_answers_while_slow_uploads_hold_connections(server):
    port, _ = server
    uploads = [_start_upload(port, 10_000) for _ in range(2 * WORKERS)]
    try:
        for upload in uploads:
            upload.sendall(b'filename="a.pdf"')

        assert healthy(port, timeout=3)
        # The uploads are still open and waiting for the rest of their bodies.
        for upload in uploads:
            upload.setblocking(False)
            with pytest.raises(BlockingIOError):
                upload.recv(1)
    finally:
        for upload in uploads:
            upload.close()


def test_a_300_mb_sign_up_is_refused_before_its_body_is_read(server):
    port, spool = server
    with _start_upload(port, 300 * 1024 * 1024) as upload:
        assert _status_line(upload) == b"HTTP/1.1 413 Request Entity Too Large"
    assert list(spool.iterdir()) == []
    assert not SellerCompany.objects.exists()


def test_a_chunked_sign_up_is_answered_without_storing_its_body(server):
    port, spool = server
    with _start_upload(port, 0, chunked=True) as upload:
        status = _status_line(upload)
    # Django reads no body without a declared length: the form arrives empty (and without its
    # CSRF token), and nothing of the upload reaches the disk.
    assert status == b"HTTP/1.1 403 Forbidden"
    assert list(spool.iterdir()) == []
    assert not SellerCompany.objects.exists()
