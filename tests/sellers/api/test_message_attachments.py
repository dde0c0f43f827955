"""Downloading a file of the conversation through the partner API: the bytes as they were
sent, named for what they are; refused while the malware scan has not found the file clean;
another seller's files answer as if they did not exist."""

from django.utils import translation

from reviews.checks.scanners import EICAR
from sellers.actors import actor_for_user
from sellers.services.api_keys import api_key_issue
from sellers.services.messages import application_message_post
from tests.files import pdf_bytes, png_bytes, upload
from tests.sellers.api.support import PROBLEM, client_with_key, detail_url
from tests.sellers.conversation_support import changes_requested


def _url(attachment, *, message_id=None, application_id=None) -> str:
    message = attachment.message
    return detail_url(
        application_id or message.application_id,
        f"messages/{message_id or message.pk}/attachments/{attachment.pk}/",
    )


def _post(actor, application, *files, capture=None):
    def post():
        return application_message_post(
            actor=actor, application_id=application.pk, body="See the file.", attachments=files
        )

    if capture is None:
        return post()
    # The scan runs once the message commits.
    with capture(execute=True):
        return post()


def test_a_scanned_file_downloads_with_its_detected_type_and_name(
    partner_client, seller_a, reviewer, django_capture_on_commit_callbacks
):
    application = changes_requested(seller_a, reviewer)
    message = _post(
        actor_for_user(reviewer),
        application,
        upload("checklist 2026.png", pdf_bytes(), "image/png"),
        capture=django_capture_on_commit_callbacks,
    )
    attachment = message.attachments.get()

    listed = partner_client.get(detail_url(application.pk, "messages/")).json()["results"]
    response = partner_client.get(listed[0]["attachments"][0]["download"])

    assert listed[0]["attachments"][0]["scan_status"] == "clean"
    assert listed[0]["attachments"][0]["download"] == f"http://testserver{_url(attachment)}"
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    # The type its bytes were found to be, whatever the sender called it.
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="checklist 2026.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_a_sellers_own_key_downloads_its_companys_file(
    seller_a, reviewer, django_capture_on_commit_callbacks
):
    application = changes_requested(seller_a, reviewer)
    attachment = _post(
        seller_a.actor,
        application,
        upload("photo.png", png_bytes(), "image/png"),
        capture=django_capture_on_commit_callbacks,
    ).attachments.get()
    _, raw = api_key_issue(name="erp", scopes=["applications:read"], company=seller_a.company)

    response = client_with_key(raw).get(_url(attachment))

    assert (response.status_code, response["Content-Type"]) == (200, "image/png")
    assert b"".join(response.streaming_content) == png_bytes()


def test_another_companys_file_answers_404_whatever_the_ids(
    partner_client, seller_a, seller_b, reviewer, django_capture_on_commit_callbacks
):
    own = changes_requested(seller_a, reviewer)
    own_message = _post(seller_a.actor, own, capture=django_capture_on_commit_callbacks)
    other = changes_requested(seller_b, reviewer)
    theirs = _post(
        seller_b.actor,
        other,
        upload("secret.png", png_bytes(), "image/png"),
        capture=django_capture_on_commit_callbacks,
    ).attachments.get()

    answers = [
        partner_client.get(_url(theirs)),
        # Their file under the key's own application and message.
        partner_client.get(_url(theirs, application_id=own.pk, message_id=own_message.pk)),
    ]

    for response in answers:
        assert (response.status_code, response["Content-Type"]) == (404, PROBLEM)
        assert response.json()["code"] == "not_found"
        assert b"secret" not in response.content


def test_a_file_under_another_message_of_the_same_application_answers_404(
    partner_client, seller_a, reviewer, django_capture_on_commit_callbacks
):
    application = changes_requested(seller_a, reviewer)
    first = _post(seller_a.actor, application, capture=django_capture_on_commit_callbacks)
    attachment = _post(
        seller_a.actor,
        application,
        upload("photo.png", png_bytes(), "image/png"),
        capture=django_capture_on_commit_callbacks,
    ).attachments.get()

    response = partner_client.get(_url(attachment, message_id=first.pk))

    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_a_key_without_applications_read_is_refused(
    issue_key, seller_a, reviewer, django_capture_on_commit_callbacks
):
    application = changes_requested(seller_a, reviewer)
    attachment = _post(
        seller_a.actor,
        application,
        upload("photo.png", png_bytes(), "image/png"),
        capture=django_capture_on_commit_callbacks,
    ).attachments.get()
    _, raw = issue_key(scopes=["webhooks:manage"])

    response = client_with_key(raw).get(_url(attachment))

    assert (response.status_code, response["Content-Type"]) == (403, PROBLEM)
    assert not hasattr(response, "streaming_content")


def test_a_file_not_yet_scanned_is_refused_until_the_scan_finds_it_clean(
    partner_client, seller_a, reviewer
):
    application = changes_requested(seller_a, reviewer)
    # Nothing runs the work scheduled on commit: the scan has not happened.
    attachment = _post(
        seller_a.actor, application, upload("photo.png", png_bytes(), "image/png")
    ).attachments.get()

    response = partner_client.get(_url(attachment))

    assert (response.status_code, response["Content-Type"]) == (409, PROBLEM)
    assert response.json()["code"] == "attachment_being_checked"
    assert response.json()["detail"].startswith("This file is still being checked for malware")
    attachment.refresh_from_db()
    assert (attachment.scan_status, attachment.scanned_at) == ("pending", None)


def test_a_file_with_malware_is_never_handed_out(
    partner_client, seller_a, reviewer, django_capture_on_commit_callbacks, settings
):
    settings.EVIDENCE_SCANNER = ""
    application = changes_requested(seller_a, reviewer)
    with translation.override("en"):
        attachment = _post(
            seller_a.actor,
            application,
            upload("photo.png", png_bytes() + EICAR, "image/png"),
            capture=django_capture_on_commit_callbacks,
        ).attachments.get()

    response = partner_client.get(_url(attachment))
    listed = partner_client.get(detail_url(application.pk, "messages/")).json()["results"]

    assert (response.status_code, response["Content-Type"]) == (409, PROBLEM)
    assert response.json()["code"] == "attachment_blocked"
    assert response.json()["detail"].startswith("Blocked: malware found (Eicar-Test-Signature).")
    assert EICAR not in response.content
    assert (
        listed[0]["attachments"][0]["scan_status"],
        listed[0]["attachments"][0]["scan_finding"],
    ) == ("infected", "Eicar-Test-Signature")
