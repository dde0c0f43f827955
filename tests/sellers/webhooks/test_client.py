"""The HTTP client that sends webhooks: no redirects, short answers, targets checked at every
attempt, and certificates that must be trusted."""

import shutil
import socket
import ssl
import subprocess

from sellers.models import WebhookDelivery
from tests.sellers.factories import ApplicationFactory
from tests.sellers.webhooks.receiver import Answer, Receiver
from tests.sellers.webhooks.support import register, submit


def test_a_redirect_is_not_followed(
    hooks_client, seller_a, receiver, loopback_allowed, django_capture_on_commit_callbacks
):
    register(hooks_client, receiver.url)
    receiver.answer_with(Answer(302, b"", {"Location": receiver.url + "/elsewhere"}))

    submit(
        ApplicationFactory(company=seller_a.company), seller_a, django_capture_on_commit_callbacks
    )

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.last_response_code) == ("pending", 302)
    assert "Redirects are not followed" in delivery.last_error
    assert [r.path for r in receiver.requests] == ["/hooks/brand-program"]


def test_only_the_start_of_a_long_answer_is_kept(
    hooks_client, seller_a, receiver, loopback_allowed, django_capture_on_commit_callbacks
):
    register(hooks_client, receiver.url)
    receiver.answer_with(Answer(200, b"x" * 200_000))

    submit(
        ApplicationFactory(company=seller_a.company), seller_a, django_capture_on_commit_callbacks
    )

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.last_response_body) == ("succeeded", "x" * 1000)


def test_the_target_is_checked_again_when_sending(
    hooks_client, seller_a, receiver, loopback_allowed, settings, django_capture_on_commit_callbacks
):
    register(hooks_client, receiver.url)
    # As if the name now resolved into our network: the same check refuses it at send time.
    settings.WEBHOOK_ALLOWED_NETWORKS = []

    submit(
        ApplicationFactory(company=seller_a.company), seller_a, django_capture_on_commit_callbacks
    )

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_response_code) == ("pending", 1, None)
    assert "internal address (127.0.0.1)" in delivery.last_error
    assert receiver.requests == []


def test_https_targets_must_show_a_certificate_we_trust(
    hooks_client, seller_a, loopback_allowed, tmp_path, django_capture_on_commit_callbacks
):
    key, certificate = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [shutil.which("openssl") or "/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048",
         "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-keyout", str(key),
         "-out", str(certificate)],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate, key)
    with Receiver(tls_context=context) as receiver:
        register(hooks_client, receiver.url)
        submit(
            ApplicationFactory(company=seller_a.company),
            seller_a,
            django_capture_on_commit_callbacks,
        )

    delivery = WebhookDelivery.objects.get()
    assert receiver.url.startswith("https://")
    assert (delivery.status, delivery.attempts, delivery.last_response_code) == ("pending", 1, None)
    assert delivery.last_error.startswith("SSLCertVerificationError")
    assert receiver.requests == []


def test_a_name_that_now_resolves_to_6to4_of_loopback_is_refused_when_sending(
    hooks_client, seller_a, monkeypatch, django_capture_on_commit_callbacks
):
    answers = {"hooks.agency.example": "93.184.215.14"}

    def resolve(host, port, *args, **options):
        return [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", (answers[host], port, 0, 0))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    registered = register(hooks_client, "https://hooks.agency.example/in")
    # The name now points at a 6to4 address whose relay would hand the request to 127.0.0.1.
    answers["hooks.agency.example"] = "2002:7f00:1::"

    submit(
        ApplicationFactory(company=seller_a.company), seller_a, django_capture_on_commit_callbacks
    )

    delivery = WebhookDelivery.objects.get()
    assert registered.status_code == 201
    assert (delivery.status, delivery.attempts, delivery.last_response_code) == ("pending", 1, None)
    assert delivery.last_error == (
        "hooks.agency.example points to an internal address (2002:7f00:1::), which is not allowed."
    )
