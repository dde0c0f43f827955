"""Files of the conversation are scanned for malware once their message commits: a clean file
is handed out, one with malware never is and the conversation says what was found, and while
the scan is owed (no answer yet, or a scanner that cannot answer) the file is "being checked"
for everyone and retried."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.attachment_scans import message_attachments_scan, message_scans_overdue
from reviews.checks.scanners import EICAR, ScannerError
from reviews.tasks import scan_message_attachments, screening_sweep
from sellers.actors import actor_for_user
from sellers.models import ApplicationMessage, MessageAttachment
from sellers.services.messages import application_message_post
from tests.catalogue import chinese_client, untranslated_on
from tests.files import pdf_bytes, png_bytes, upload
from tests.pages import logged_in, page_text
from tests.sellers.conversation_support import changes_requested
from tests.sellers.portal.test_conversation import conversation_text

FINDING = "Eicar-Test-Signature"


@pytest.fixture
def builtin_scanner(settings):
    settings.EVIDENCE_SCANNER = ""


@pytest.fixture
def scanner_down(settings, tmp_path):
    """clamd configured, and nothing listening where it should be."""
    settings.EVIDENCE_SCANNER = "clamd"
    settings.CLAMD_SOCKET = str(tmp_path / "no-clamd.ctl")
    settings.CLAMD_TIMEOUT_SECONDS = 1


def _post(actor, application, *files):
    return application_message_post(
        actor=actor,
        application_id=application.pk,
        body="附件",
        attachments=files,
    )


def _download(attachment) -> str:
    return reverse("portal:message_attachment_download", args=[attachment.pk])


def _workspace(application) -> str:
    return reverse("reviews:workspace", args=[application.pk])


def _detail(application) -> str:
    return reverse("portal:application_detail", args=[application.pk])


def test_each_file_is_scanned_once_the_message_commits_and_malware_is_recorded(
    seller_a, reviewer, builtin_scanner, django_capture_on_commit_callbacks
):
    application = changes_requested(seller_a, reviewer)
    # A valid PNG (it passes every upload check) carrying the antivirus test string.
    infected_png = png_bytes() + EICAR
    before = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        message = _post(
            seller_a.actor,
            application,
            upload("factory.png", infected_png, "image/png"),
            upload("audit.pdf", pdf_bytes(), "application/pdf"),
        )

    infected, clean = message.attachments.order_by("pk")
    assert (infected.scan_status, infected.scan_finding) == ("infected", FINDING)
    assert (clean.scan_status, clean.scan_finding) == ("clean", "")
    assert before <= infected.scanned_at <= timezone.now()
    assert clean.scanned_at is not None
    # The record keeps the file as it was sent.
    assert infected.file.open("rb").read() == infected_png


def test_a_file_with_malware_is_refused_at_the_portal_and_named_in_both_languages(
    seller_a, reviewer, builtin_scanner, django_capture_on_commit_callbacks
):
    application = changes_requested(seller_a, reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        infected = _post(
            seller_a.actor, application, upload("factory.png", png_bytes() + EICAR, "image/png")
        ).attachments.get()
    reviewer_client, seller_client = logged_in(reviewer), logged_in(seller_a.owner)

    refusals = [client.get(_download(infected)) for client in (reviewer_client, seller_client)]
    workspace = reviewer_client.get(_workspace(application))
    english = seller_client.get(_detail(application))
    chinese = chinese_client(seller_a.owner).get(_detail(application))

    for refusal in refusals:
        assert refusal.status_code == 409
        assert not hasattr(refusal, "streaming_content")
        assert EICAR not in refusal.content
        text = page_text(refusal)
        assert "factory.png" in text
        assert f"Blocked: malware found ({FINDING})." in text
    size = f"{len(png_bytes() + EICAR)} bytes"
    assert (
        f"factory.png | image/png · {size} | Blocked: malware found ({FINDING})"
        in conversation_text(workspace)
    )
    assert f"factory.png | {size} | Blocked: malware found ({FINDING})" in conversation_text(
        english
    )
    assert f"已拦截：发现恶意软件（{FINDING}）" in conversation_text(chinese)  # noqa: RUF001
    assert untranslated_on(chinese) == []
    # No page links to it.
    for page in (workspace, english, chinese):
        assert _download(infected) not in page.content.decode()


def test_a_file_not_yet_scanned_is_being_checked_and_not_handed_out(
    seller_a, reviewer, builtin_scanner
):
    application = changes_requested(seller_a, reviewer)
    # Nothing runs the work scheduled on commit: the scan is still owed.
    pending = _post(
        actor_for_user(reviewer), application, upload("checklist.pdf", pdf_bytes())
    ).attachments.get()
    seller_client = logged_in(seller_a.owner)

    refusal = seller_client.get(_download(pending))
    english = seller_client.get(_detail(application))
    chinese = chinese_client(seller_a.owner).get(_detail(application))
    workspace = logged_in(reviewer).get(_workspace(application))

    assert refusal.status_code == 409
    assert "This file is still being checked for malware" in page_text(refusal)
    assert "checklist.pdf" in page_text(refusal)
    assert f"checklist.pdf | {len(pdf_bytes())} bytes | Being checked for malware" in (
        conversation_text(english)
    )
    assert "正在进行恶意软件检查" in conversation_text(chinese)
    assert untranslated_on(chinese) == []
    assert "Being checked for malware" in conversation_text(workspace)
    assert _download(pending) not in english.content.decode()


def test_a_scanner_that_cannot_answer_leaves_the_file_waiting_and_is_retried(
    seller_a, reviewer, scanner_down, settings, django_capture_on_commit_callbacks
):
    settings.SCREENING_CHECK_MAX_RETRIES = 2
    application = changes_requested(seller_a, reviewer)
    # The task runs once the message commits, and again for each retry; none gets an answer.
    with django_capture_on_commit_callbacks(execute=True):
        message = _post(seller_a.actor, application, upload("photo.png", png_bytes()))
    attachment = message.attachments.get()

    with pytest.raises(ScannerError, match="did not answer"):
        message_attachments_scan(message_id=message.pk)
    retried = scan_message_attachments.apply(kwargs={"message_id": message.pk})

    # Retried up to the limit, then left failed for the sweep: never served unscanned.
    assert retried.state == "FAILURE"
    assert isinstance(retried.result, ScannerError)
    attachment.refresh_from_db()
    assert (attachment.scan_status, attachment.scan_finding, attachment.scanned_at) == (
        "pending",
        "",
        None,
    )
    assert logged_in(seller_a.owner).get(_download(attachment)).status_code == 409


def test_the_sweep_scans_files_still_waiting_once_the_scanner_is_back(
    seller_a, reviewer, scanner_down, settings, django_capture_on_commit_callbacks
):
    application = changes_requested(seller_a, reviewer)
    settings.SCREENING_CHECK_MAX_RETRIES = 0
    with django_capture_on_commit_callbacks(execute=True):
        waiting = _post(seller_a.actor, application, upload("photo.png", png_bytes()))
    recent = _post(seller_a.actor, application, upload("later.png", png_bytes()))
    # Append-only rows: the clock is moved back past the sweep's patience by an update.
    ApplicationMessage.objects.filter(pk=waiting.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    settings.EVIDENCE_SCANNER = ""

    assert message_scans_overdue() == [waiting.pk]
    screening_sweep()

    assert waiting.attachments.get().scan_status == "clean"
    # A file just sent is left to its own task.
    assert recent.attachments.get().scan_status == "pending"


def test_a_scan_that_runs_twice_records_its_outcome_once(
    seller_a, reviewer, builtin_scanner, django_capture_on_commit_callbacks
):
    application = changes_requested(seller_a, reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        message = _post(seller_a.actor, application, upload("photo.png", png_bytes()))
    first = MessageAttachment.objects.get().scanned_at

    again = message_attachments_scan(message_id=message.pk)

    assert again == {}
    assert MessageAttachment.objects.get().scanned_at == first


def test_only_a_message_with_files_asks_for_a_scan(
    seller_a, reviewer, django_capture_on_commit_callbacks
):
    application = changes_requested(seller_a, reviewer)

    with django_capture_on_commit_callbacks() as without_files:
        _post(seller_a.actor, application)
    with django_capture_on_commit_callbacks() as with_files:
        with_file = _post(seller_a.actor, application, upload("photo.png", png_bytes()))

    scans = [
        callback.keywords
        for callback in [*without_files, *with_files]
        if "reviews.tasks.scan_message_attachments" in getattr(callback, "args", ())
    ]
    assert scans == [{"message_id": with_file.pk}]


def test_with_a_media_host_a_file_being_checked_is_refused_before_any_link_is_handed_out(
    seller_a, reviewer, settings, django_capture_on_commit_callbacks
):
    settings.MEDIA_HOST = "media.brand-program.test"
    application = changes_requested(seller_a, reviewer)
    pending = _post(seller_a.actor, application, upload("photo.png", png_bytes()))
    with django_capture_on_commit_callbacks(execute=True):
        scanned = _post(seller_a.actor, application, upload("scanned.png", png_bytes()))
    client = logged_in(seller_a.owner)

    refused = client.get(_download(pending.attachments.get()))
    handed_out = client.get(_download(scanned.attachments.get()))

    assert refused.status_code == 409
    assert "This file is still being checked for malware" in page_text(refused)
    assert handed_out.status_code == 302
    assert handed_out["Location"].startswith("https://media.brand-program.test/files/")
