"""The conversation through the partner API: reading it page by page, writing with files, and
the refusals (scopes, other sellers, empty or hostile input, repeated requests)."""

import hashlib

from django.utils import translation

from sellers.actors import actor_for_user
from sellers.models import ApplicationMessage, MessageAttachment, Notification, Status
from sellers.services.messages import application_message_post
from tests.files import html_disguised_as_pdf, pdf_bytes, png_bytes, upload
from tests.sellers.api.support import PROBLEM, client_with_key, detail_url, iso
from tests.sellers.conversation_support import changes_requested
from tests.sellers.factories import ApplicationFactory

KEY = "0b8f3c9e-2a4d-4c1b-9e7f-5d6a8b9c0e12"


def _messages_url(application) -> str:
    return detail_url(application.pk, "messages/")


def _attachment_url(attachment) -> str:
    message = attachment.message
    return detail_url(message.application_id, f"messages/{message.pk}/attachments/{attachment.pk}/")


def test_the_conversation_reads_oldest_first_page_by_page_with_the_files(
    partner_client, seller_a, reviewer
):
    application = changes_requested(seller_a, reviewer, note="Attach the factory audit.")
    with translation.override("en"):
        first = application_message_post(
            actor=actor_for_user(reviewer),
            application_id=application.pk,
            body="The audit must be recent.",
            attachments=[upload("checklist.pdf", pdf_bytes(), "application/pdf")],
        )
    with translation.override("zh-hans"):
        for number in range(2):
            application_message_post(
                actor=seller_a.actor, application_id=application.pk, body=f"第 {number + 1} 条"
            )

    page = partner_client.get(_messages_url(application), {"page_size": 2})
    rest = partner_client.get(page.json()["next"])

    assert page.status_code == 200
    results = page.json()["results"] + rest.json()["results"]
    assert rest.json()["next"] is None
    assert results[0] == {
        "id": first.pk,
        "time": iso(first.created_at),
        "side": "reviewer",
        # The review team's messages name no reviewer.
        "author": "Review team",
        "language": "en",
        "body": "The audit must be recent.",
        "attachments": [
            {
                "id": first.attachments.get().pk,
                "original_name": "checklist.pdf",
                "sha256": hashlib.sha256(pdf_bytes()).hexdigest(),
                "size": len(pdf_bytes()),
                "detected_type": "application/pdf",
                # Stored, not yet scanned: nothing ran the work scheduled on commit.
                "scan_status": "pending",
                "scan_finding": "",
                "download": f"http://testserver{_attachment_url(first.attachments.get())}",
            }
        ],
    }
    assert [(m["side"], m["author"], m["language"], m["body"]) for m in results[1:]] == [
        ("seller", "owner-a@bright-lamp.example", "zh-hans", "第 1 条"),
        ("seller", "owner-a@bright-lamp.example", "zh-hans", "第 2 条"),
    ]
    # The change request is in the timeline, not in the conversation.
    assert "Attach the factory audit." not in page.content.decode()


def test_a_partner_answers_a_change_request_without_resubmitting(
    partner, partner_client, seller_a, reviewer, django_capture_on_commit_callbacks
):
    application = changes_requested(seller_a, reviewer)

    with django_capture_on_commit_callbacks(execute=True):
        response = partner_client.post(
            _messages_url(application),
            {"body": "The audit is attached.", "attachments": [upload("audit.png", png_bytes())]},
            format="multipart",
        )

    assert response.status_code == 201
    message = ApplicationMessage.objects.get()
    assert response.json() == {
        "id": message.pk,
        "time": iso(message.created_at),
        "side": "seller",
        "author": f"Silk Road Brand Services (API key {partner.api_key.prefix})",
        "language": "en",
        "body": "The audit is attached.",
        "attachments": [
            {
                "id": message.attachments.get().pk,
                "original_name": "audit.png",
                "sha256": hashlib.sha256(png_bytes()).hexdigest(),
                "size": len(png_bytes()),
                "detected_type": "image/png",
                # The answer is rendered before the scan, which runs once the message commits.
                "scan_status": "pending",
                "scan_finding": "",
                "download": f"http://testserver{_attachment_url(message.attachments.get())}",
            }
        ],
    }
    assert message.attachments.get().scan_status == "clean"
    assert message.author is None
    application.refresh_from_db()
    assert application.status == Status.CHANGES_REQUESTED
    assert [n.user for n in Notification.objects.filter(event=message.event)] == [reviewer]
    events = partner_client.get(detail_url(application.pk, "events/")).json()
    assert events[-1] == {
        "time": iso(message.event.created_at),
        "action": "seller_message",
        "actor": message.author_label,
        "status": None,
        "note": "The audit is attached.",
        "reasons": [],
    }
    links = partner_client.get(detail_url(application.pk)).json()["links"]
    assert links["messages"] == f"http://testserver{_messages_url(application)}"


def test_a_json_message_without_files_is_accepted(partner_client, seller_a, reviewer):
    application = changes_requested(seller_a, reviewer)

    response = partner_client.post(
        _messages_url(application), {"body": "A question."}, format="json"
    )

    assert (response.status_code, response.json()["attachments"]) == (201, [])
    assert ApplicationMessage.objects.get().body == "A question."


def test_the_same_idempotency_key_twice_stores_one_message(partner_client, seller_a, reviewer):
    application = changes_requested(seller_a, reviewer)

    first, again = (
        partner_client.post(
            _messages_url(application),
            {"body": "Sent once.", "attachments": [upload("audit.png", png_bytes())]},
            format="multipart",
            HTTP_IDEMPOTENCY_KEY=KEY,
        )
        for _attempt in range(2)
    )

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert ApplicationMessage.objects.count() == 1
    assert MessageAttachment.objects.count() == 1


def test_another_sellers_application_answers_404(partner_client, seller_b, reviewer):
    application = changes_requested(seller_b, reviewer)

    read = partner_client.get(_messages_url(application))
    written = partner_client.post(_messages_url(application), {"body": "Hi."}, format="json")

    assert (read.status_code, written.status_code) == (404, 404)
    assert written.json()["code"] == "not_found"
    assert not ApplicationMessage.objects.exists()


def test_a_read_only_key_reads_the_conversation_but_cannot_write(issue_key, seller_a, reviewer):
    application = changes_requested(seller_a, reviewer)
    _key, raw = issue_key(scopes=["applications:read"])
    client = client_with_key(raw)

    read = client.get(_messages_url(application))
    written = client.post(_messages_url(application), {"body": "Hi."}, format="json")

    assert (read.status_code, read.json()["results"]) == (200, [])
    assert written.status_code == 403
    assert written.json()["detail"] == "This API key does not have the applications:write scope."
    assert not ApplicationMessage.objects.exists()


def test_an_empty_message_is_refused_naming_the_field(partner_client, seller_a, reviewer):
    application = changes_requested(seller_a, reviewer)

    response = partner_client.post(_messages_url(application), {"body": "  "}, format="json")

    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert response.json()["errors"] == {"body": ["Write a message: it cannot be empty."]}
    assert not ApplicationMessage.objects.exists()


def test_a_hostile_file_is_refused_and_nothing_is_kept(partner_client, seller_a, reviewer):
    application = changes_requested(seller_a, reviewer)

    response = partner_client.post(
        _messages_url(application),
        {"body": "Our certificate.", "attachments": [html_disguised_as_pdf()]},
        format="multipart",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "attachments": ["certificate.pdf is text/html; upload a PDF, JPEG, PNG or WebP file."]
    }
    assert not ApplicationMessage.objects.exists()
    assert not MessageAttachment.objects.exists()


def test_a_draft_has_no_conversation_yet(partner_client, seller_a):
    application = ApplicationFactory(company=seller_a.company)

    response = partner_client.post(_messages_url(application), {"body": "Hi."}, format="json")

    assert response.status_code == 409
    assert (response.json()["code"], response.json()["detail"]) == (
        "not_submitted",
        "The conversation with the review team opens once the application is submitted.",
    )
