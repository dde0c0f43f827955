"""Adding, replacing and removing evidence: refused once the application is under review or
for another company; a replaced or removed file is kept, withdrawn, never deleted."""

import hashlib
import threading
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation

from brandprogram.errors import ApplicationError
from sellers.models import Application, ApplicationEvent, Evidence, Status
from sellers.services.evidence import evidence_add, evidence_remove, evidence_replace
from tests import files
from tests.catalogue import chinese_client
from tests.conftest import wait_until
from tests.pages import logged_in
from tests.sellers.factories import ApplicationFactory, EvidenceFactory


def test_evidence_add_while_under_review_is_refused(seller_a):
    application = ApplicationFactory(company=seller_a.company, awaiting_review=True)

    with pytest.raises(ApplicationError) as refused:
        evidence_add(
            actor=seller_a.actor,
            application_id=application.pk,
            kind="product_photo",
            upload=files.png_upload(),
        )

    assert refused.value.code == "not_editable"
    assert application.evidence.count() == 1


def test_evidence_add_by_another_company_is_refused(seller_a, seller_b):
    application = ApplicationFactory(company=seller_a.company)

    with pytest.raises(ApplicationError):
        evidence_add(
            actor=seller_b.actor,
            application_id=application.pk,
            kind="product_photo",
            upload=files.png_upload(),
        )

    assert application.evidence.count() == 1
    assert not ApplicationEvent.objects.filter(application=application).exists()


# Replacing and removing: the old row and its bytes stay, withdrawn, for the history.

EDITABLE = [Status.DRAFT, Status.CHANGES_REQUESTED]
NOT_EDITABLE = [status for status in Status.values if status not in EDITABLE]


def _application_with_certificate(seller, **traits):
    application = ApplicationFactory(company=seller.company, with_evidence=False, **traits)
    old = EvidenceFactory(
        application=application,
        kind=Evidence.Kind.TRADEMARK_CERTIFICATE,
        file__filename="wrong.pdf",
        file__data=files.pdf_bytes("Wrong certificate"),
        original_name="wrong-certificate.pdf",
        sha256=hashlib.sha256(files.pdf_bytes("Wrong certificate")).hexdigest(),
        detected_type="application/pdf",
    )
    return application, old


def _stored_files(settings) -> list[Path]:
    return sorted(p for p in Path(settings.MEDIA_ROOT, "evidence").rglob("*") if p.is_file())


@pytest.mark.parametrize("status", EDITABLE)
def test_evidence_replace_withdraws_the_old_file_and_links_it_to_the_new_one(seller_a, status):
    application, old = _application_with_certificate(seller_a, status=status)
    version = application.updated_at

    new = evidence_replace(
        actor=seller_a.actor,
        application_id=application.pk,
        evidence_id=old.pk,
        upload=files.pdf_upload("right-certificate.pdf"),
    )

    old.refresh_from_db()
    application.refresh_from_db()
    assert (old.replaced_by, old.withdrawn_by, old.withdrawn_by_label) == (
        new,
        seller_a.owner,
        seller_a.actor.label,
    )
    assert old.withdrawn_at is not None
    assert (new.kind, new.original_name, new.withdrawn_at) == (
        Evidence.Kind.TRADEMARK_CERTIFICATE,
        "right-certificate.pdf",
        None,
    )
    assert list(application.evidence.current()) == [new]
    assert list(application.evidence.withdrawn()) == [old]
    assert old.file.storage.exists(old.file.name)
    assert application.updated_at > version
    event = application.events.get()
    assert (event.action, event.note, event.seller_visible) == (
        "evidence_replaced",
        "Trademark certificate: wrong-certificate.pdf → right-certificate.pdf",
        True,
    )


@pytest.mark.parametrize("status", NOT_EDITABLE)
def test_evidence_replace_in_any_other_status_is_refused_and_changes_nothing(
    seller_a, settings, status
):
    application, old = _application_with_certificate(seller_a, status=status)
    stored = _stored_files(settings)

    with pytest.raises(ApplicationError) as refused:
        evidence_replace(
            actor=seller_a.actor,
            application_id=application.pk,
            evidence_id=old.pk,
            upload=files.pdf_upload(),
        )

    assert (refused.value.code, refused.value.message) == (
        "not_editable",
        "Evidence can only be replaced while the application is a draft or changes are requested.",
    )
    assert list(application.evidence.current()) == [old]
    assert not application.events.exists()
    assert _stored_files(settings) == stored


def test_evidence_replace_sent_twice_with_the_same_file_replaces_once(seller_a):
    application, old = _application_with_certificate(seller_a, changes_requested=True)

    first = evidence_replace(
        actor=seller_a.actor,
        application_id=application.pk,
        evidence_id=old.pk,
        upload=files.pdf_upload("right.pdf"),
    )
    second = evidence_replace(
        actor=seller_a.actor,
        application_id=application.pk,
        evidence_id=old.pk,
        upload=files.pdf_upload("right.pdf"),
    )

    assert second == first
    assert application.evidence.count() == 2
    assert application.events.filter(action="evidence_replaced").count() == 1


def test_evidence_replace_of_a_file_already_replaced_by_another_is_refused(seller_a):
    application, old = _application_with_certificate(seller_a, changes_requested=True)
    evidence_replace(
        actor=seller_a.actor,
        application_id=application.pk,
        evidence_id=old.pk,
        upload=files.pdf_upload("right.pdf"),
    )

    with pytest.raises(ApplicationError) as refused:
        evidence_replace(
            actor=seller_a.actor,
            application_id=application.pk,
            evidence_id=old.pk,
            upload=files.png_upload("other.png"),
        )

    assert (refused.value.code, refused.value.message) == (
        "already_replaced",
        "“wrong-certificate.pdf” was already replaced by “right.pdf”; replace that file instead.",
    )
    assert [e.original_name for e in application.evidence.current()] == ["right.pdf"]


def test_evidence_replace_of_a_removed_file_is_refused(seller_a):
    application, old = _application_with_certificate(seller_a, changes_requested=True)
    evidence_remove(actor=seller_a.actor, application_id=application.pk, evidence_id=old.pk)

    with pytest.raises(ApplicationError) as refused:
        evidence_replace(
            actor=seller_a.actor,
            application_id=application.pk,
            evidence_id=old.pk,
            upload=files.pdf_upload(),
        )

    assert refused.value.code == "already_withdrawn"
    assert not application.evidence.current().exists()


@pytest.mark.parametrize(
    "hostile",
    [files.html_disguised_as_pdf, files.truncated_png],
    ids=["html-disguised-as-pdf", "truncated-png"],
)
def test_evidence_replace_with_a_refused_file_keeps_the_old_one_current(
    seller_a, settings, hostile
):
    application, old = _application_with_certificate(seller_a, changes_requested=True)
    stored = _stored_files(settings)

    with pytest.raises(ValidationError) as refused:
        evidence_replace(
            actor=seller_a.actor,
            application_id=application.pk,
            evidence_id=old.pk,
            upload=hostile(),
        )

    assert list(refused.value.message_dict) == ["file"]
    old.refresh_from_db()
    assert (old.withdrawn_at, old.replaced_by) == (None, None)
    assert list(application.evidence.current()) == [old]
    assert not application.events.exists()
    assert _stored_files(settings) == stored


def test_evidence_replace_with_the_same_bytes_is_refused(seller_a):
    application, old = _application_with_certificate(seller_a, changes_requested=True)
    same = files.upload("again.pdf", files.pdf_bytes("Wrong certificate"), "application/pdf")

    with pytest.raises(ValidationError) as refused:
        evidence_replace(
            actor=seller_a.actor, application_id=application.pk, evidence_id=old.pk, upload=same
        )

    assert refused.value.message_dict == {
        "file": ["This file is the same as “wrong-certificate.pdf”; choose the corrected file."]
    }
    assert list(application.evidence.current()) == [old]


def test_evidence_replace_by_another_company_is_refused(seller_a, seller_b):
    application, old = _application_with_certificate(seller_a, changes_requested=True)

    with pytest.raises(ApplicationError) as refused:
        evidence_replace(
            actor=seller_b.actor,
            application_id=application.pk,
            evidence_id=old.pk,
            upload=files.pdf_upload(),
        )

    assert refused.value.code == "not_your_company"
    assert list(application.evidence.current()) == [old]


def test_evidence_replace_of_another_applications_file_is_refused(seller_a, seller_b):
    application, _old = _application_with_certificate(seller_a, changes_requested=True)
    _theirs, foreign = _application_with_certificate(seller_b, changes_requested=True)

    with pytest.raises(ApplicationError) as refused:
        evidence_replace(
            actor=seller_a.actor,
            application_id=application.pk,
            evidence_id=foreign.pk,
            upload=files.pdf_upload(),
        )

    assert refused.value.code == "no_evidence"
    foreign.refresh_from_db()
    assert foreign.withdrawn_at is None


def test_evidence_replace_counts_withdrawn_files_against_the_quota(seller_a, settings):
    application, old = _application_with_certificate(seller_a, changes_requested=True)
    # Room for the old file and one replacement, not for a second one beside both.
    settings.COMPANY_STORAGE_QUOTA_BYTES = old.size + len(files.pdf_bytes()) + 10
    new = evidence_replace(
        actor=seller_a.actor,
        application_id=application.pk,
        evidence_id=old.pk,
        upload=files.pdf_upload(),
    )

    with pytest.raises(ValidationError) as refused:
        evidence_replace(
            actor=seller_a.actor,
            application_id=application.pk,
            evidence_id=new.pk,
            upload=files.png_upload(),
        )

    assert list(refused.value.message_dict) == ["file"]
    assert list(application.evidence.current()) == [new]


@pytest.mark.parametrize("status", EDITABLE)
def test_evidence_remove_withdraws_the_file_and_keeps_it(seller_a, status):
    application, old = _application_with_certificate(seller_a, status=status)

    evidence_remove(actor=seller_a.actor, application_id=application.pk, evidence_id=old.pk)

    old.refresh_from_db()
    assert (old.withdrawn_by_label, old.replaced_by) == (seller_a.actor.label, None)
    assert old.withdrawn_at is not None
    assert old.file.storage.exists(old.file.name)
    assert not application.evidence.current().exists()
    assert list(application.events.values_list("action", "note")) == [
        ("evidence_removed", "Trademark certificate: wrong-certificate.pdf")
    ]


def test_evidence_remove_twice_acts_once(seller_a):
    application, old = _application_with_certificate(seller_a, changes_requested=True)
    evidence_remove(actor=seller_a.actor, application_id=application.pk, evidence_id=old.pk)
    withdrawn_at = Evidence.objects.get(pk=old.pk).withdrawn_at

    evidence_remove(actor=seller_a.actor, application_id=application.pk, evidence_id=old.pk)

    assert Evidence.objects.get(pk=old.pk).withdrawn_at == withdrawn_at
    assert application.events.count() == 1


@pytest.mark.parametrize("status", NOT_EDITABLE)
def test_evidence_remove_in_any_other_status_is_refused(seller_a, status):
    application, old = _application_with_certificate(seller_a, status=status)

    with pytest.raises(ApplicationError) as refused:
        evidence_remove(actor=seller_a.actor, application_id=application.pk, evidence_id=old.pk)

    assert (refused.value.code, refused.value.message) == (
        "not_editable",
        "Evidence can only be removed while the application is a draft or changes are requested.",
    )
    assert list(application.evidence.current()) == [old]


def test_evidence_remove_by_another_company_is_refused(seller_a, seller_b):
    application, old = _application_with_certificate(seller_a, changes_requested=True)

    with pytest.raises(ApplicationError) as refused:
        evidence_remove(actor=seller_b.actor, application_id=application.pk, evidence_id=old.pk)

    assert refused.value.code == "not_your_company"
    assert list(application.evidence.current()) == [old]


def _race(actors_and_uploads, application, old, *, until_waiting: int):
    """Run evidence_replace in one thread per (actor, upload), all held at the application's
    row lock until every one is waiting on it, then let them go; their results in order."""
    results: list = [None] * len(actors_and_uploads)

    def replace(index, actor, upload):
        try:
            results[index] = evidence_replace(
                actor=actor, application_id=application.pk, evidence_id=old.pk, upload=upload
            )
        except ApplicationError as exc:
            results[index] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=replace, args=(index, actor, upload))
        for index, (actor, upload) in enumerate(actors_and_uploads)
    ]
    with transaction.atomic():
        Application.objects.select_for_update().get(pk=application.pk)
        for thread in threads:
            thread.start()
        wait_until(
            lambda: _waiting_on_locks() >= until_waiting,
            message="the replacements never queued on the application's lock",
        )
    for thread in threads:
        thread.join(timeout=60)
    return results


def _waiting_on_locks() -> int:
    with connection.cursor() as cursor:
        # Inside a transaction the statistics views answer from a snapshot taken at first use.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_concurrent_replacements_with_different_files_let_one_act(seller_a, settings):
    application, old = _application_with_certificate(seller_a, changes_requested=True)
    actor = seller_a.actor

    results = _race(
        [(actor, files.pdf_upload("first.pdf")), (actor, files.png_upload("second.png"))],
        application,
        old,
        until_waiting=2,
    )

    winners = [result for result in results if isinstance(result, Evidence)]
    refusals = [result.code for result in results if isinstance(result, ApplicationError)]
    assert (len(winners), refusals) == (1, ["already_replaced"])
    old.refresh_from_db()
    assert old.replaced_by == winners[0]
    assert list(application.evidence.current()) == winners
    assert application.events.filter(action="evidence_replaced").count() == 1
    # The refused one stored nothing: the old file and the winner's are all there is.
    assert len(_stored_files(settings)) == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_identical_replacements_store_one_file(seller_a, settings):
    application, old = _application_with_certificate(seller_a, changes_requested=True)
    actor = seller_a.actor

    results = _race(
        [(actor, files.pdf_upload("right.pdf")), (actor, files.pdf_upload("right.pdf"))],
        application,
        old,
        until_waiting=2,
    )

    assert results[0] == results[1]
    assert isinstance(results[0], Evidence)
    assert list(application.evidence.current()) == [results[0]]
    assert application.events.filter(action="evidence_replaced").count() == 1
    assert len(_stored_files(settings)) == 2


def test_a_files_history_line_reads_in_each_readers_language(seller_a, reviewer, partner):
    """Replaced from a Chinese page, the line is not kept in Chinese for English readers: the
    kind of document is a phrase, written out in the language of whoever reads it."""
    call_command("compilemessages", "--ignore=.venv", verbosity=0)
    application, old = _application_with_certificate(seller_a, changes_requested=True)
    english = "Trademark certificate: wrong-certificate.pdf → right-certificate.pdf"
    chinese = "商标注册证：wrong-certificate.pdf → right-certificate.pdf"  # noqa: RUF001

    with translation.override("zh-hans"):
        evidence_replace(
            actor=seller_a.actor,
            application_id=application.pk,
            evidence_id=old.pk,
            upload=files.pdf_upload("right-certificate.pdf"),
        )

    assert application.events.get(action="evidence_replaced").note == english
    portal = reverse("portal:application_detail", args=[application.pk])
    workspace = reverse("reviews:workspace", args=[application.pk])
    assert english in logged_in(reviewer).get(workspace).content.decode()
    assert chinese in chinese_client(reviewer).get(workspace).content.decode()
    assert chinese in chinese_client(seller_a.owner).get(portal).content.decode()
    timeline = f"/api/v1/applications/{application.pk}/events/"
    notes = {
        language: [
            event["note"] for event in Client().get(timeline, **partner.headers, **headers).json()
        ]
        for language, headers in (("en", {}), ("zh", {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}))
    }
    assert notes == {"en": [english], "zh": [chinese]}
