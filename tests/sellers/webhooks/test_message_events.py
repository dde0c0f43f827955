"""application.message_received: a message from the review team reaches the seller's side's
subscribed endpoints, written to the outbox with the message and signed like every event; a
message with files goes once every file has been scanned; the seller side's own messages and
endpoints not subscribed to it get nothing."""

import hashlib

import pytest
from django.conf import settings
from django.utils import translation

from reviews.attachment_scans import message_attachments_scan
from reviews.checks.scanners import EICAR
from sellers.actors import actor_for_user
from sellers.models import WebhookDelivery
from sellers.services.api_keys import api_key_issue
from sellers.services.messages import application_message_post
from tests.files import pdf_bytes, png_bytes, upload
from tests.sellers.api.support import client_with_key, iso
from tests.sellers.conversation_support import changes_requested
from tests.sellers.webhooks.receiver import verify
from tests.sellers.webhooks.support import register

EVENT = "application.message_received"


def test_a_review_team_message_is_delivered_signed_with_the_message_and_its_files(
    hooks_client, seller_a, reviewer, receiver, loopback_allowed, django_capture_on_commit_callbacks
):
    secret = register(hooks_client, receiver.url, [EVENT]).json()["secret"]
    application = changes_requested(seller_a, reviewer)

    with django_capture_on_commit_callbacks(execute=True), translation.override("zh-hans"):
        message = application_message_post(
            actor=actor_for_user(reviewer),
            application_id=application.pk,
            body="请补充工厂审核报告。",
            attachments=[upload("checklist.pdf", pdf_bytes(), "application/pdf")],
        )

    delivery = WebhookDelivery.objects.get()
    attachment = message.attachments.get()
    (request,) = receiver.requests
    assert (delivery.event_type, delivery.application_id, delivery.status) == (
        EVENT,
        application.pk,
        "succeeded",
    )
    assert request.headers["webhook-id"] == delivery.event_id
    assert verify(secret, request.headers, request.body)
    assert request.body.decode() == delivery.body
    assert request.payload == {
        "type": EVENT,
        "timestamp": message.created_at.isoformat(),
        "data": {
            "application": {
                "id": application.pk,
                "reference": application.reference,
                "seller": {"id": seller_a.company.pk, "legal_name": seller_a.company.legal_name},
                "brand": application.brand.name,
                "status": "changes_requested",
            },
            "message": {
                "id": message.pk,
                "time": iso(message.created_at),
                "side": "reviewer",
                # English, as the API speaks, whatever the reviewer's page was in.
                "author": "Review team",
                "language": "zh-hans",
                "body": "请补充工厂审核报告。",
                "attachments": [
                    {
                        "id": attachment.pk,
                        "original_name": "checklist.pdf",
                        "sha256": hashlib.sha256(pdf_bytes()).hexdigest(),
                        "size": len(pdf_bytes()),
                        "detected_type": "application/pdf",
                        # Sent once the file was scanned: it can be downloaded at once.
                        "scan_status": "clean",
                        "scan_finding": "",
                        "download": settings.PORTAL_URL.rstrip("/")
                        + f"/api/v1/applications/{application.pk}/messages/{message.pk}"
                        f"/attachments/{attachment.pk}/",
                    }
                ],
            },
        },
    }
    attachment.refresh_from_db()
    assert attachment.scan_status == "clean"


def test_the_delivery_is_written_with_the_message_and_sent_only_after_it_commits(
    hooks_client, seller_a, reviewer, receiver, loopback_allowed, django_capture_on_commit_callbacks
):
    register(hooks_client, receiver.url, [EVENT])
    application = changes_requested(seller_a, reviewer)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = application_message_post(
            actor=actor_for_user(reviewer), application_id=application.pk, body="A question."
        )
        delivery = WebhookDelivery.objects.get()

    assert (delivery.event_type, delivery.status, delivery.attempts) == (EVENT, "pending", 0)
    assert f'"id":{message.pk}' in delivery.body
    assert receiver.requests == []
    assert callbacks


@pytest.fixture
def builtin_scanner(settings):
    settings.EVIDENCE_SCANNER = ""


def test_a_message_with_files_goes_once_every_file_is_scanned_and_only_once(
    hooks_client, seller_a, reviewer, receiver, loopback_allowed, builtin_scanner,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    register(hooks_client, receiver.url, [EVENT])
    application = changes_requested(seller_a, reviewer)
    with django_capture_on_commit_callbacks(execute=False):
        message = application_message_post(
            actor=actor_for_user(reviewer),
            application_id=application.pk,
            body="Two files.",
            attachments=[
                upload("audit.pdf", pdf_bytes(), "application/pdf"),
                # A valid PNG carrying the antivirus test string.
                upload("photo.png", png_bytes() + EICAR, "image/png"),
            ],
        )
    # Stored, not yet scanned: nothing is written for the seller's systems.
    assert WebhookDelivery.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        message_attachments_scan(message_id=message.pk)
    # A scan run again (a retry, the sweep) finds nothing left to scan and writes nothing.
    with django_capture_on_commit_callbacks(execute=True):
        message_attachments_scan(message_id=message.pk)

    delivery = WebhookDelivery.objects.get()
    (request,) = receiver.requests
    assert (delivery.event_type, delivery.status) == (EVENT, "succeeded")
    files = {
        item["original_name"]: (item["scan_status"], item["scan_finding"])
        for item in request.payload["data"]["message"]["attachments"]
    }
    assert files == {
        "audit.pdf": ("clean", ""),
        "photo.png": ("infected", "Eicar-Test-Signature"),
    }


def test_a_file_still_being_checked_holds_the_message_back(
    hooks_client, seller_a, reviewer, receiver, loopback_allowed, builtin_scanner,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    register(hooks_client, receiver.url, [EVENT])
    application = changes_requested(seller_a, reviewer)
    with django_capture_on_commit_callbacks(execute=False):
        message = application_message_post(
            actor=actor_for_user(reviewer),
            application_id=application.pk,
            body="Two files.",
            attachments=[
                upload("audit.pdf", pdf_bytes(), "application/pdf"),
                upload("photo.png", png_bytes(), "image/png"),
            ],
        )
    first, second = message.attachments.order_by("pk")
    # The second file is missing from storage for now (a restore under way): it stays
    # being checked, and so does the message's event.
    second.file.storage.delete(second.file.name)

    with django_capture_on_commit_callbacks(execute=True):
        outcomes = message_attachments_scan(message_id=message.pk)

    assert outcomes == {first.pk: "clean"}
    assert WebhookDelivery.objects.count() == 0
    assert receiver.requests == []


def test_the_seller_sides_own_messages_are_not_echoed_back(
    hooks_client, seller_a, reviewer, receiver, loopback_allowed, django_capture_on_commit_callbacks
):
    register(hooks_client, receiver.url, [EVENT])
    application = changes_requested(seller_a, reviewer)

    with django_capture_on_commit_callbacks(execute=True):
        application_message_post(
            actor=seller_a.actor, application_id=application.pk, body="The audit is attached."
        )
        # The partner writing for the seller through the API.
        sent = hooks_client.post(
            f"/api/v1/applications/{application.pk}/messages/",
            {"body": "Sent by our agency."},
            format="json",
        )

    assert (sent.status_code, application.messages.count()) == (201, 2)
    assert WebhookDelivery.objects.count() == 0
    assert receiver.requests == []


def test_only_endpoints_subscribed_to_messages_of_the_seller_side_get_it(
    hooks_client, seller_a, seller_b, reviewer, receiver, loopback_allowed,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    application = changes_requested(seller_a, reviewer)
    register(hooks_client, receiver.url + "/statuses", ["application.changes_requested"])
    register(hooks_client, receiver.url + "/messages", [EVENT])
    _, seller_raw = api_key_issue(name="own", scopes=["webhooks:manage"], company=seller_a.company)
    register(client_with_key(seller_raw), receiver.url + "/seller", [EVENT])
    _, other_raw = api_key_issue(name="b", scopes=["webhooks:manage"], company=seller_b.company)
    register(client_with_key(other_raw), receiver.url + "/other-seller", [EVENT])

    with django_capture_on_commit_callbacks(execute=True):
        application_message_post(
            actor=actor_for_user(reviewer), application_id=application.pk, body="A question."
        )

    assert sorted(r.path for r in receiver.requests) == [
        "/hooks/brand-program/messages",
        "/hooks/brand-program/seller",
    ]
    assert set(WebhookDelivery.objects.values_list("event_type", flat=True)) == {EVENT}
