"""The conversation on the seller's application page: reading the thread, writing with files,
refusals that keep what was typed, and the files' downloads."""

import re
import uuid

from django.urls import reverse
from django.utils import translation

from sellers.actors import actor_for_user
from sellers.models import ApplicationMessage, Membership, Notification, Status
from sellers.services.messages import application_message_post
from tests.catalogue import VisibleText, chinese_client, untranslated_on, visible_text
from tests.files import html_disguised_as_pdf, pdf_bytes, png_bytes, upload
from tests.pages import logged_in, messages_on
from tests.sellers.conversation_support import changes_requested
from tests.sellers.factories import ApplicationFactory


def conversation_text(response) -> str:
    """What the reader sees of the page's conversation section, times left out."""
    html = response.content.decode()
    start = html.rindex("<section", 0, html.index('id="conversation"'))
    section = html[start : html.index("</section>", start)]
    section = re.sub(r"<time [^>]*>[^<]*</time>", "", section)
    parser = VisibleText()
    parser.feed(section)
    return " | ".join(" ".join(part.split()) for part in parser.parts if part.strip())


def _detail(application) -> str:
    return reverse("portal:application_detail", args=[application.pk])


def _post_url(application) -> str:
    return reverse("portal:message_create", args=[application.pk])


def _form(body: str, *files, key: str | None = None) -> dict:
    data = {"message-body": body, "message-submission_key": key or str(uuid.uuid4())}
    if files:
        data["message-attachments"] = list(files)
    return data


def test_a_seller_answers_a_change_request_with_a_file_and_the_status_stays(
    seller_a, reviewer, django_capture_on_commit_callbacks
):
    application = changes_requested(seller_a, reviewer, note="Attach the factory audit.")
    client = logged_in(seller_a.owner)
    page = visible_text(client.get(_detail(application)))
    assert "Conversation" in page
    assert "You can answer the review team's request here without resubmitting" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _post_url(application),
            _form("The audit is attached.", upload("audit.pdf", pdf_bytes(), "application/pdf")),
            follow=True,
        )

    assert response.redirect_chain == [(_detail(application) + "#conversation", 302)]
    assert messages_on(response) == ["Your message was sent to the review team."]
    application.refresh_from_db()
    assert application.status == Status.CHANGES_REQUESTED
    message = ApplicationMessage.objects.get(application=application)
    assert (message.body, message.side, message.author) == (
        "The audit is attached.",
        "seller",
        seller_a.owner,
    )
    assert [a.original_name for a in message.attachments.all()] == ["audit.pdf"]
    assert "owner-a@bright-lamp.example | The audit is attached. | audit.pdf" in (
        conversation_text(response)
    )
    # Its line in the history, after the change request.
    text = visible_text(response)
    assert text.index("Changes requested by the review team") < text.index(
        "Message to the review team"
    )
    assert Notification.objects.filter(event=message.event).get().user == reviewer


def test_a_reviewers_english_message_reads_in_chinese_with_a_note_of_its_language(
    seller_a, reviewer
):
    Membership.objects.filter(user=seller_a.owner).update(language="zh-hans")
    application = changes_requested(seller_a, reviewer)
    with translation.override("en"):
        application_message_post(
            actor=actor_for_user(reviewer),
            application_id=application.pk,
            body="The audit must be less than two years old.",
        )
    with translation.override("zh-hans"):
        application_message_post(
            actor=seller_a.actor, application_id=application.pk, body="好的。我们会上传新的。"
        )

    response = chinese_client(seller_a.owner).get(_detail(application))

    text = conversation_text(response)
    assert (
        "审核团队 | 原文为英文 | The audit must be less than two years old. | "
        "owner-a@bright-lamp.example | 好的。我们会上传新的。"
    ) in text
    # The reviewer is "the review team" to the seller, never a name.
    assert reviewer.username not in text
    assert untranslated_on(response) == []


def test_a_refused_file_shows_the_error_and_keeps_what_was_typed(seller_a, reviewer):
    application = changes_requested(seller_a, reviewer)

    response = logged_in(seller_a.owner).post(
        _post_url(application), _form("Here is our certificate.", html_disguised_as_pdf())
    )

    assert response.status_code == 200
    assert (
        "Attach files | Optional: up to 5 files, each a PDF, JPEG, PNG or WebP. | "
        "certificate.pdf is text/html; upload a PDF, JPEG, PNG or WebP file."
    ) in conversation_text(response)
    assert ">\nHere is our certificate.</textarea>" in response.content.decode()
    assert not ApplicationMessage.objects.exists()


def test_an_empty_message_is_refused_on_the_page(seller_a, reviewer):
    application = changes_requested(seller_a, reviewer)

    response = logged_in(seller_a.owner).post(_post_url(application), _form("   "))

    assert "Write to the review team | Write a message: it cannot be empty." in (
        conversation_text(response)
    )
    assert not ApplicationMessage.objects.exists()


def test_a_double_click_sends_one_message(seller_a, reviewer):
    application = changes_requested(seller_a, reviewer)
    client = logged_in(seller_a.owner)
    data = _form("Sent once.", key="5a8e0c11-4d2f-4f3b-8f6e-7c9b1a2d3e44")

    first = client.post(_post_url(application), data)
    second = client.post(_post_url(application), data)

    assert (first.status_code, second.status_code) == (302, 302)
    assert list(ApplicationMessage.objects.values_list("body", flat=True)) == ["Sent once."]


def test_another_companys_application_answers_404_and_stores_nothing(seller_a, seller_b, reviewer):
    application = changes_requested(seller_a, reviewer)

    response = logged_in(seller_b.owner).post(_post_url(application), _form("Hello?"))

    assert response.status_code == 404
    assert not ApplicationMessage.objects.exists()


def test_a_draft_says_the_conversation_opens_on_submission(seller_a):
    application = ApplicationFactory(company=seller_a.company)

    response = logged_in(seller_a.owner).get(_detail(application))

    text = visible_text(response)
    assert "Once you submit the application you can write to the review team here" in text
    assert _post_url(application) not in response.content.decode()


def test_a_file_from_the_conversation_downloads_for_the_company_and_reviewers_only(
    seller_a, seller_b, reviewer, django_capture_on_commit_callbacks
):
    application = changes_requested(seller_a, reviewer)
    # The malware scan runs once the message commits; a clean file is handed out.
    with django_capture_on_commit_callbacks(execute=True):
        message = application_message_post(
            actor=seller_a.actor,
            application_id=application.pk,
            body="Our photo.",
            attachments=[upload("lamp photo.jpg", png_bytes(), "image/jpeg")],
        )
    url = reverse("portal:message_attachment_download", args=[message.attachments.get().pk])

    own = logged_in(seller_a.owner).get(url)
    staff = logged_in(reviewer).get(url)
    other = logged_in(seller_b.owner).get(url)

    assert b"".join(own.streaming_content) == png_bytes()
    assert own["Content-Type"] == "image/png"
    # Named for what its bytes are, and never rendered on the portal's origin.
    assert own["Content-Disposition"] == 'attachment; filename="lamp photo.png"'
    assert own["X-Content-Type-Options"] == "nosniff"
    assert b"".join(staff.streaming_content) == png_bytes()
    assert other.status_code == 404


def test_a_change_request_written_in_english_is_shown_as_written_with_its_language_named(
    seller_a, reviewer
):
    with translation.override("en"):
        application = changes_requested(seller_a, reviewer, note="Send the licence again.")
    request = application.events.get(action="request_changes")
    submitted = application.events.get(action="submit")
    # The reviewer's words keep the language they were written in; the seller's submission
    # carried no note, and the service's own notes are phrases read in any language.
    assert (request.note_language, submitted.note_language) == ("en", "")

    chinese = chinese_client(seller_a.owner).get(_detail(application))
    english = logged_in(seller_a.owner).get(_detail(application))

    callout = visible_text(chinese)
    assert "Send the licence again." in callout
    assert "原文为英文" in callout
    assert "Written in" not in visible_text(english)
    assert untranslated_on(chinese) == []


def test_a_note_written_in_chinese_is_named_for_an_english_reader(seller_a, reviewer):
    with translation.override("zh-hans"):
        application = changes_requested(seller_a, reviewer, note="请重新上传营业执照。")

    english = logged_in(seller_a.owner).get(_detail(application))

    assert application.events.get(action="request_changes").note_language == "zh-hans"
    assert "请重新上传营业执照。" in visible_text(english)
    assert "Written in Chinese" in visible_text(english)
