"""The conversation's one write: who may write, what is stored, who hears of it, and what is
refused without leaving anything behind."""

import hashlib
import uuid
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from brandprogram.errors import ApplicationError
from reviews.services import conflict_declare
from sellers.actors import actor_for_user
from sellers.mail import portal_link
from sellers.models import (
    ApplicationEvent,
    ApplicationMessage,
    Evidence,
    Membership,
    MessageAttachment,
    Notification,
    Status,
)
from sellers.services.evidence import evidence_add
from sellers.services.messages import application_message_post
from tests.files import html_disguised_as_pdf, pdf_bytes, png_bytes, truncated_png, upload
from tests.reviews.checks.hostile_files import jpeg_pdf_polyglot
from tests.sellers.conversation_support import changes_requested
from tests.sellers.factories import ApplicationFactory, UserFactory


def _stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def _conversation_state(application) -> tuple:
    return (
        list(ApplicationMessage.objects.filter(application=application).values_list("body")),
        MessageAttachment.objects.count(),
        ApplicationEvent.objects.filter(application=application).count(),
        Notification.objects.count(),
    )


def test_a_sellers_answer_to_a_change_request_is_stored_with_its_file_and_changes_no_status(
    seller_a, reviewer, settings
):
    application = changes_requested(seller_a, reviewer)
    events_before = application.events.count()

    with translation.override("zh-hans"):
        message = application_message_post(
            actor=seller_a.actor,
            application_id=application.pk,
            body="  审计报告已附上。\n请查收。  ",
            attachments=[upload("audit 2026.pdf", pdf_bytes(), "application/pdf")],
        )

    application.refresh_from_db()
    assert (application.status, application.assignee) == (Status.CHANGES_REQUESTED, reviewer)
    assert (message.side, message.author, message.author_label, message.language) == (
        ApplicationMessage.Side.SELLER,
        seller_a.owner,
        seller_a.owner.username,
        "zh-hans",
    )
    assert message.body == "审计报告已附上。\n请查收。"
    assert application.events.count() == events_before + 1
    event = application.events.latest("pk")
    assert (event.action, event.seller_visible, event.note, event.actor, event.note_language) == (
        "seller_message",
        True,
        "审计报告已附上。\n请查收。",
        seller_a.owner,
        "zh-hans",
    )
    assert message.event == event
    (attachment,) = message.attachments.all()
    assert (attachment.original_name, attachment.size, attachment.detected_type) == (
        "audit 2026.pdf",
        len(pdf_bytes()),
        "application/pdf",
    )
    assert attachment.sha256 == hashlib.sha256(pdf_bytes()).hexdigest()
    # Stored under a random name, never the sender's.
    assert "audit" not in attachment.file.name
    assert attachment.file.name.endswith(".pdf")
    with attachment.file.open("rb") as handle:
        assert handle.read() == pdf_bytes()


def test_a_reviewers_message_reaches_every_member_in_their_language_with_a_word_on_its_own(
    seller_a, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    application = changes_requested(seller_a, reviewer, brand__name="LUMIBRIGHT")
    clerk = UserFactory(username="wang.fang@bright-lamp.example")
    Membership.objects.create(company=seller_a.company, user=clerk, language="zh-hans")
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        message = application_message_post(
            actor=actor_for_user(reviewer),
            application_id=application.pk,
            body="The audit must be less than two years old.",
            attachments=[upload("checklist.png", png_bytes(), "image/png")],
        )

    told = {n.user: n for n in Notification.objects.filter(event=message.event)}
    assert set(told) == {seller_a.owner, clerk}
    assert told[seller_a.owner].subject == "LUMIBRIGHT: a message from the review team"
    assert told[clerk].subject == "LUMIBRIGHT：审核团队的留言"  # noqa: RUF001
    link = portal_link(reverse("portal:application_detail", args=[application.pk]))
    english, chinese = told[seller_a.owner].body, told[clerk].body
    assert "The audit must be less than two years old." in english
    assert "The audit must be less than two years old." in chinese
    assert f"{link}#conversation" in english
    assert f"{link}#conversation" in chinese
    assert "- checklist.png" in english
    # Written in English, read in Chinese: the reader is told, nothing is translated.
    assert "原文为英文，未经翻译。" in chinese  # noqa: RUF001
    assert "Written in" not in english
    assert sorted((m.to[0], m.subject) for m in mailoutbox) == sorted(
        (n.user.email, n.subject) for n in told.values()
    )
    # The reviewer's side hears nothing of its own message.
    assert not Notification.objects.filter(user=reviewer, event=message.event).exists()


def test_a_sellers_message_tells_the_reviewer_the_application_is_with(
    seller_a, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    application = changes_requested(seller_a, reviewer, brand__name="LUMIBRIGHT")
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True), translation.override("zh-hans"):
        message = application_message_post(
            actor=seller_a.actor,
            application_id=application.pk,
            body="2025 年的审计报告可以吗？",  # noqa: RUF001
        )

    (notice,) = Notification.objects.filter(event=message.event)
    # Staff read their own language (the service's until they log in); the seller's words stay
    # as written, with a note.
    assert (notice.user, notice.subject) == (reviewer, "Seller message: LUMIBRIGHT")
    assert "Written in Chinese; shown as written.\n\n2025 年的审计报告可以吗？" in notice.body  # noqa: RUF001
    assert "owner-a@bright-lamp.example (Shenzhen Bright Lamp Technology Co., Ltd.)" in notice.body
    assert "“Changes requested”" in notice.body
    workspace = reverse("reviews:workspace", args=[application.pk])
    assert portal_link(f"{workspace}#conversation") in notice.body
    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([reviewer.email], "Seller message: LUMIBRIGHT")
    ]


def test_with_its_reviewer_gone_a_sellers_message_goes_to_whoever_requested_the_changes(
    seller_a, reviewer, other_reviewer, django_capture_on_commit_callbacks
):
    application = changes_requested(seller_a, reviewer)
    # Handed over, and the new reviewer has left the platform since.
    application.assignee = other_reviewer
    application.save(update_fields=["assignee"])
    other_reviewer.is_active = False
    other_reviewer.save(update_fields=["is_active"])

    with django_capture_on_commit_callbacks(execute=True):
        message = application_message_post(
            actor=seller_a.actor, application_id=application.pk, body="Here it is."
        )

    assert [n.user for n in Notification.objects.filter(event=message.event)] == [reviewer]


def test_a_sellers_message_tells_no_reviewer_who_declared_a_conflict_since(
    seller_a, reviewer, django_capture_on_commit_callbacks
):
    application = changes_requested(seller_a, reviewer)
    conflict_declare(actor=actor_for_user(reviewer), company=seller_a.company, reason="Cousin")

    with django_capture_on_commit_callbacks(execute=True):
        message = application_message_post(
            actor=seller_a.actor, application_id=application.pk, body="Here it is."
        )

    assert Notification.objects.filter(event=message.event).count() == 0
    assert ApplicationMessage.objects.filter(pk=message.pk).exists()


def test_the_same_form_sent_twice_stores_one_message(seller_a, reviewer, settings):
    application = changes_requested(seller_a, reviewer)
    key = uuid.uuid4()

    first, second = (
        application_message_post(
            actor=seller_a.actor,
            application_id=application.pk,
            body="Sent once.",
            attachments=[upload("audit.png", png_bytes(), "image/png")],
            submission_key=key,
        )
        for _click in range(2)
    )

    assert first == second
    assert ApplicationMessage.objects.filter(application=application).count() == 1
    assert MessageAttachment.objects.count() == 1
    assert application.events.filter(action="seller_message").count() == 1
    assert len([p for p in _stored_files(settings) if "/messages/" in str(p)]) == 1


def test_another_companys_application_is_refused(seller_a, seller_b, reviewer):
    application = changes_requested(seller_a, reviewer)
    before = _conversation_state(application)

    with pytest.raises(ApplicationError) as refused:
        application_message_post(
            actor=seller_b.actor, application_id=application.pk, body="Hello from B."
        )

    assert (refused.value.code, refused.value.message) == (
        "not_your_company",
        "You do not act for this company.",
    )
    assert _conversation_state(application) == before


@pytest.mark.parametrize("body", ["", "   \n\t  "])
def test_an_empty_message_is_refused_with_a_clear_error(seller_a, reviewer, body):
    application = changes_requested(seller_a, reviewer)
    before = _conversation_state(application)

    with pytest.raises(ValidationError) as refused:
        application_message_post(actor=seller_a.actor, application_id=application.pk, body=body)

    assert refused.value.message_dict == {"body": ["Write a message: it cannot be empty."]}
    assert _conversation_state(application) == before


def test_a_message_longer_than_the_limit_is_refused(seller_a, reviewer):
    application = changes_requested(seller_a, reviewer)

    with pytest.raises(ValidationError) as refused:
        application_message_post(
            actor=seller_a.actor, application_id=application.pk, body="a" * 5001
        )

    assert refused.value.message_dict == {
        "body": ["A message may be at most 5000 characters long; this one has 5001."]
    }


def test_a_member_who_left_the_company_cannot_post(seller_a, reviewer):
    application = changes_requested(seller_a, reviewer)
    clerk = UserFactory(username="leaving@bright-lamp.example")
    Membership.objects.create(company=seller_a.company, user=clerk)
    # Read as the request began; the owner removed the clerk before the form was sent.
    actor = actor_for_user(clerk)
    Membership.objects.filter(user=clerk).delete()
    before = _conversation_state(application)

    with pytest.raises(ApplicationError) as refused:
        application_message_post(actor=actor, application_id=application.pk, body="Still here?")

    assert (refused.value.code, refused.value.message) == (
        "not_a_member",
        "You are no longer a member of this company.",
    )
    assert _conversation_state(application) == before
    # Read afresh, the former member acts for no company at all.
    with pytest.raises(ApplicationError) as refused_again:
        application_message_post(
            actor=actor_for_user(clerk), application_id=application.pk, body="Still here?"
        )
    assert refused_again.value.code == "not_your_company"


def test_a_reviewer_who_declared_a_conflict_cannot_write(seller_a, reviewer, other_reviewer):
    application = changes_requested(seller_a, reviewer)
    conflict_declare(
        actor=actor_for_user(other_reviewer), company=seller_a.company, reason="Former employee"
    )

    with pytest.raises(ApplicationError) as refused:
        application_message_post(
            actor=actor_for_user(other_reviewer), application_id=application.pk, body="Hi."
        )

    assert refused.value.code == "conflict_of_interest"
    assert not ApplicationMessage.objects.exists()


def test_a_draft_has_no_conversation_yet(seller_a):
    application = ApplicationFactory(company=seller_a.company)

    with pytest.raises(ApplicationError) as refused:
        application_message_post(
            actor=seller_a.actor, application_id=application.pk, body="A question."
        )

    assert refused.value.message == (
        "The conversation with the review team opens once the application is submitted."
    )
    assert not ApplicationMessage.objects.exists()


@pytest.mark.parametrize(
    ("make_file", "error"),
    [
        (
            html_disguised_as_pdf,
            "certificate.pdf is text/html; upload a PDF, JPEG, PNG or WebP file.",
        ),
        (truncated_png, "photo.png is not a readable image."),
        (
            lambda: upload("scan.jpg", jpeg_pdf_polyglot(), "image/jpeg"),
            "scan.jpg is at once a JPEG + PDF file; a file that opens as two things can hide "
            "what it does. Save it again as a single PDF, JPEG, PNG or WebP file.",
        ),
    ],
    ids=["html-as-pdf", "broken-image", "jpeg-pdf-polyglot"],
)
def test_a_hostile_attachment_is_refused_and_nothing_is_stored(
    seller_a, reviewer, settings, make_file, error
):
    application = changes_requested(seller_a, reviewer)
    before, files_before = _conversation_state(application), _stored_files(settings)

    with pytest.raises(ValidationError) as refused:
        application_message_post(
            actor=seller_a.actor,
            application_id=application.pk,
            body="Our audit.",
            attachments=[upload("fine.png", png_bytes(), "image/png"), make_file()],
        )

    assert refused.value.message_dict == {"attachments": [error]}
    assert _conversation_state(application) == before
    assert _stored_files(settings) == files_before


def test_an_attachment_over_the_size_limit_is_refused(seller_a, reviewer, settings):
    application = changes_requested(seller_a, reviewer)
    settings.EVIDENCE_MAX_BYTES = 100

    with pytest.raises(ValidationError) as refused:
        application_message_post(
            actor=seller_a.actor,
            application_id=application.pk,
            body="Our audit.",
            attachments=[upload("big.pdf", pdf_bytes(), "application/pdf")],
        )

    assert refused.value.message_dict == {
        "attachments": [
            f"big.pdf is {len(pdf_bytes())}\xa0bytes; files may be at most 100\xa0bytes."
        ]
    }


def test_more_than_five_files_are_refused(seller_a, reviewer):
    application = changes_requested(seller_a, reviewer)

    with pytest.raises(ValidationError) as refused:
        application_message_post(
            actor=seller_a.actor,
            application_id=application.pk,
            body="Everything.",
            attachments=[upload(f"{n}.png", png_bytes(), "image/png") for n in range(6)],
        )

    assert refused.value.message_dict == {"attachments": ["Attach at most 5 files to a message."]}


def test_the_sellers_files_count_against_the_company_quota_and_the_reviewers_do_not(
    seller_a, reviewer, settings
):
    application = changes_requested(seller_a, reviewer)
    evidence = Evidence.objects.filter(application__company=seller_a.company)
    used = sum(evidence.values_list("size", flat=True))
    settings.COMPANY_STORAGE_QUOTA_BYTES = used + len(png_bytes()) + 10
    application_message_post(
        actor=actor_for_user(reviewer),
        application_id=application.pk,
        body="A sample of what we need.",
        attachments=[upload("sample.png", png_bytes(), "image/png")],
    )
    application_message_post(
        actor=seller_a.actor,
        application_id=application.pk,
        body="Our photo.",
        attachments=[upload("photo.png", png_bytes(), "image/png")],
    )

    with pytest.raises(ValidationError) as refused:
        application_message_post(
            actor=seller_a.actor,
            application_id=application.pk,
            body="Another one.",
            attachments=[upload("again.png", png_bytes(), "image/png")],
        )
    application.status = Status.DRAFT
    application.save(update_fields=["status"])
    with pytest.raises(ValidationError) as refused_evidence:
        evidence_add(
            actor=seller_a.actor,
            application_id=application.pk,
            kind="product_photo",
            upload=upload("box.png", png_bytes(), "image/png"),
        )

    assert list(refused.value.message_dict) == ["attachments"]
    assert "does not fit" in refused.value.message_dict["attachments"][0]
    assert "does not fit" in refused_evidence.value.message_dict["file"][0]
    assert ApplicationMessage.objects.filter(side="seller").count() == 1


def test_messages_and_their_files_are_append_only(seller_a, reviewer):
    application = changes_requested(seller_a, reviewer)
    message = application_message_post(
        actor=seller_a.actor,
        application_id=application.pk,
        body="As written.",
        attachments=[upload("photo.png", png_bytes(), "image/png")],
    )

    message.body = "Rewritten."
    with pytest.raises(ValueError, match="append-only"):
        message.save()
    with pytest.raises(ValueError, match="append-only"):
        message.delete()
    with pytest.raises(ValueError, match="append-only"):
        message.attachments.get().delete()
    assert ApplicationMessage.objects.get(pk=message.pk).body == "As written."
