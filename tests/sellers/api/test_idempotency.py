"""Idempotency-Key: a retried POST gets the first answer and writes nothing more."""

import hashlib
import threading
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sellers.api.idempotency import STORE_SECONDS, idempotency_records_purge, record_key
from sellers.models import Application, ApplicationEvent, Evidence, IdempotencyRecord, Status
from sellers.signals import application_status_changing
from tests.conftest import wait_until
from tests.files import jpeg_bytes, png_upload, upload
from tests.sellers.api.support import (
    COLLECTION,
    PROBLEM,
    application_payload,
    client_with_key,
    database_snapshot,
    detail_url,
)
from tests.sellers.factories import ApplicationFactory

KEY = "3f9d2c1e-5b7a-4e0f-9a61-2d8c4b7e1f05"


def _post_create(client, seller_id, key=KEY, **changes):
    return client.post(
        COLLECTION,
        application_payload(seller_id, **changes),
        format="json",
        HTTP_IDEMPOTENCY_KEY=key,
    )


def test_create_repeated_with_the_same_key_replays_the_first_answer(partner_client, seller_a):
    first = _post_create(partner_client, seller_a.company.pk)

    again = _post_create(partner_client, seller_a.company.pk)

    application = Application.objects.get()
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.json()["id"] == application.pk
    assert (again["Location"], again["ETag"]) == (first["Location"], first["ETag"])
    assert again["Content-Type"] == "application/json"
    assert (first.has_header("Idempotent-Replayed"), again["Idempotent-Replayed"]) == (
        False,
        "true",
    )
    assert list(ApplicationEvent.objects.values_list("action", flat=True)) == ["created"]


def test_a_refusal_is_replayed_as_well(partner_client, seller_a):
    application = ApplicationFactory(company=seller_a.company, approved=True)
    url = detail_url(application.pk, "submit/")

    first = partner_client.post(url, HTTP_IDEMPOTENCY_KEY=KEY)
    again = partner_client.post(url, HTTP_IDEMPOTENCY_KEY=KEY)

    assert (first.status_code, again.status_code) == (409, 409)
    assert again.json() == first.json()
    assert again["Content-Type"] == PROBLEM
    assert again["Idempotent-Replayed"] == "true"


def test_same_key_with_a_different_body_is_422_and_changes_nothing(partner_client, seller_a):
    _post_create(partner_client, seller_a.company.pk)
    before = database_snapshot()

    response = _post_create(
        partner_client, seller_a.company.pk, brand={"name": "NIGHTOWL", "native_name": ""}
    )

    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    assert response.json() == {
        "type": "https://brand-program.example/problems/idempotency-key-reused",
        "title": "Idempotency-Key reused with a different request.",
        "status": 422,
        "code": "idempotency_key_reused",
        "detail": "This Idempotency-Key was already used for a different request; "
        "use a new key for a new request.",
    }
    assert database_snapshot() == before


def test_same_key_on_another_operation_is_422(partner_client, seller_a):
    application = ApplicationFactory(company=seller_a.company)
    partner_client.post(detail_url(application.pk, "submit/"), HTTP_IDEMPOTENCY_KEY=KEY)

    response = partner_client.post(
        detail_url(application.pk, "withdraw/"), HTTP_IDEMPOTENCY_KEY=KEY
    )

    application.refresh_from_db()
    assert (response.status_code, response.json()["code"]) == (422, "idempotency_key_reused")
    assert application.status == Status.SUBMITTED


def test_keys_of_one_api_key_mean_nothing_to_another(partner_client, issue_key, seller_a):
    _, other_raw = issue_key(scopes=["applications:read", "applications:write"])
    _post_create(partner_client, seller_a.company.pk)

    response = _post_create(client_with_key(other_raw), seller_a.company.pk)

    # Run afresh rather than replayed: the one open application per brand refuses it.
    assert response.status_code == 400
    assert response.json()["code"] == "duplicate_application"
    assert response.has_header("Idempotent-Replayed") is False
    assert Application.objects.count() == 1


def test_evidence_upload_repeated_with_the_same_key_stores_one_file(partner_client, seller_a):
    application = ApplicationFactory(company=seller_a.company, with_evidence=False)
    url = detail_url(application.pk, "evidence/")

    first = partner_client.post(
        url, {"kind": "product_photo", "file": png_upload()}, HTTP_IDEMPOTENCY_KEY=KEY
    )
    again = partner_client.post(
        url, {"kind": "product_photo", "file": png_upload()}, HTTP_IDEMPOTENCY_KEY=KEY
    )
    other_file = partner_client.post(
        url,
        {"kind": "product_photo", "file": upload("photo.png", jpeg_bytes(), "image/jpeg")},
        HTTP_IDEMPOTENCY_KEY=KEY,
    )

    assert (first.status_code, again.status_code, other_file.status_code) == (201, 201, 422)
    assert again.json() == first.json()
    assert list(Evidence.objects.values_list("pk", flat=True)) == [first.json()["id"]]


@pytest.mark.parametrize("key", ["", "x" * 256, "tab\tinside"], ids=["empty", "long", "control"])
def test_malformed_key_is_400_and_runs_nothing(partner_client, seller_a, key):
    before = database_snapshot()

    response = _post_create(partner_client, seller_a.company.pk, key=key)

    assert response.status_code == 400
    assert response.json() == {
        "type": "https://brand-program.example/problems/idempotency-key-invalid",
        "title": "Invalid Idempotency-Key.",
        "status": 400,
        "code": "idempotency_key_invalid",
        "detail": "Idempotency-Key must be 1 to 255 printable characters.",
    }
    assert database_snapshot() == before


def test_answer_is_kept_under_the_callers_key_only(
    partner, partner_client, seller_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _post_create(partner_client, seller_a.company.pk)

    cached = cache.get(record_key(partner.api_key.prefix, KEY))
    kept = IdempotencyRecord.objects.get()

    assert (cached["status_code"], cached["data"]["id"]) == (201, Application.objects.get().pk)
    assert (kept.api_key, kept.status_code, kept.body) == (partner.api_key, 201, cached["data"])
    assert cache.get(record_key("00000000", KEY)) is None


def test_a_write_that_rolls_back_leaves_no_answer_and_a_retry_runs_anew(
    partner, partner_client, seller_a
):
    def fail_after_the_write(**kwargs):
        raise OperationalError("the connection was lost at commit")

    application_status_changing.connect(fail_after_the_write, dispatch_uid="test-lost-commit")
    application = ApplicationFactory(company=seller_a.company)
    url = detail_url(application.pk, "submit/")
    try:
        lost = partner_client.post(url, HTTP_IDEMPOTENCY_KEY=KEY)
    finally:
        application_status_changing.disconnect(dispatch_uid="test-lost-commit")
    retried = partner_client.post(url, HTTP_IDEMPOTENCY_KEY=KEY)

    assert (lost.status_code, retried.status_code) == (503, 200)
    assert retried.json()["status"] == "under_review"
    assert list(application.events.values_list("action", flat=True)) == ["submit"]
    assert IdempotencyRecord.objects.get().status_code == 200


def test_an_answer_the_cache_lost_is_replayed_from_the_database(partner_client, seller_a):
    first = _post_create(partner_client, seller_a.company.pk)
    # A Redis restart without its data, or a claim that expired while the cache was away.
    cache.clear()

    again = _post_create(partner_client, seller_a.company.pk)

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Application.objects.count() == 1


def test_an_answer_older_than_a_day_makes_way_for_a_new_request(partner_client, seller_a):
    application = ApplicationFactory(company=seller_a.company)
    url = detail_url(application.pk, "submit/")
    first = partner_client.post(url, HTTP_IDEMPOTENCY_KEY=KEY)
    cache.clear()
    IdempotencyRecord.objects.update(
        created_at=timezone.now() - timedelta(seconds=STORE_SECONDS + 1)
    )

    again = partner_client.post(url, HTTP_IDEMPOTENCY_KEY=KEY)

    # Run anew rather than replayed: the application was submitted by the first request.
    assert (first.status_code, again.status_code) == (200, 409)
    assert again.json()["code"] == "transition_not_allowed"
    assert not again.has_header("Idempotent-Replayed")
    assert IdempotencyRecord.objects.get().status_code == 409


def test_a_new_key_is_looked_up_in_the_database_with_one_read(partner_client, seller_a):
    application = ApplicationFactory(company=seller_a.company)

    with CaptureQueriesContext(connection) as queries:
        response = partner_client.post(
            detail_url(application.pk, "submit/"), HTTP_IDEMPOTENCY_KEY=KEY
        )

    lookups = [
        query["sql"]
        for query in queries.captured_queries
        if '"sellers_idempotencyrecord"' in query["sql"] and not query["sql"].startswith("INSERT")
    ]
    assert response.status_code == 200
    assert len(lookups) == 1
    assert lookups[0].startswith("SELECT")


def test_answers_older_than_a_day_are_purged(partner, partner_client, seller_a):
    _post_create(partner_client, seller_a.company.pk)
    later = timezone.now() + timedelta(seconds=STORE_SECONDS + 1)

    assert idempotency_records_purge(now=timezone.now()) == 0
    assert idempotency_records_purge(now=later) == 1
    assert not IdempotencyRecord.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_duplicate_still_running_is_409_and_the_result_is_replayed_after(partner, seller_a):
    application = ApplicationFactory(company=seller_a.company)
    url = detail_url(application.pk, "submit/")
    answers = {}

    def first_request():
        try:
            answers["first"] = client_with_key(partner.raw_key).post(url, HTTP_IDEMPOTENCY_KEY=KEY)
        finally:
            connection.close()

    # Holding the row lock keeps the first request inside the workflow until we let go.
    with transaction.atomic():
        Application.objects.select_for_update().get(pk=application.pk)
        worker = threading.Thread(target=first_request)
        worker.start()
        wait_until(
            lambda: cache.get(record_key(partner.api_key.prefix, KEY)) is not None,
            message="the first request never claimed the key",
        )
        running = client_with_key(partner.raw_key).post(url, HTTP_IDEMPOTENCY_KEY=KEY)
    worker.join(timeout=30)
    after = client_with_key(partner.raw_key).post(url, HTTP_IDEMPOTENCY_KEY=KEY)

    assert running.status_code == 409
    assert running["Retry-After"] == "1"
    assert running.json() == {
        "type": "https://brand-program.example/problems/idempotency-in-progress",
        "title": "Request with this Idempotency-Key in progress.",
        "status": 409,
        "code": "idempotency_in_progress",
        "detail": "A request with this Idempotency-Key is still being processed; retry shortly.",
    }
    assert (answers["first"].status_code, after.status_code) == (200, 200)
    assert after.json() == answers["first"].json()
    assert answers["first"].json()["status"] == "under_review"
    # Screening runs on after the submit; what matters is that the seller submitted once.
    assert list(application.events.filter(action="submit").values_list("to_status", flat=True)) == [
        Status.SUBMITTED
    ]


@pytest.mark.django_db(transaction=True)
def test_concurrent_identical_creates_make_one_application(partner, seller_a, program, lighting):
    threads_count = 8
    barrier = threading.Barrier(threads_count)
    responses = []

    def create():
        client = client_with_key(partner.raw_key)
        try:
            barrier.wait(timeout=10)
            responses.append(_post_create(client, seller_a.company.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    application = Application.objects.get()
    created = [response.json() for response in responses if response.status_code == 201]
    running = [response.json() for response in responses if response.status_code == 409]
    assert len(responses) == threads_count
    assert len(created) + len(running) == threads_count
    assert len(created) >= 1
    assert created == [created[0]] * len(created)
    assert created[0]["id"] == application.pk
    assert {body["code"] for body in running} <= {"idempotency_in_progress"}
    assert list(application.events.values_list("action", flat=True)) == ["created"]


@pytest.mark.django_db(transaction=True)
def test_a_request_that_outlived_its_claim_gives_way_to_the_one_that_committed(partner, seller_a):
    application = ApplicationFactory(company=seller_a.company)
    url = detail_url(application.pk, "submit/")

    def another_request_commits_first(**kwargs):
        # Its claim expired mid-way; a retry with the same key ran and committed meanwhile.
        claim = cache.get(record_key(partner.api_key.prefix, KEY))

        def commit():
            try:
                IdempotencyRecord.objects.create(
                    api_key=partner.api_key,
                    key_digest=hashlib.sha256(KEY.encode()).hexdigest(),
                    fingerprint=claim["fingerprint"],
                    status_code=200,
                    body={"answered_by": "the retry"},
                )
            finally:
                connection.close()

        other = threading.Thread(target=commit)
        other.start()
        other.join(timeout=30)

    application_status_changing.connect(another_request_commits_first, dispatch_uid="test-late")
    try:
        late = client_with_key(partner.raw_key).post(url, HTTP_IDEMPOTENCY_KEY=KEY)
    finally:
        application_status_changing.disconnect(dispatch_uid="test-late")

    assert (late.status_code, late.json(), late["Idempotent-Replayed"]) == (
        200,
        {"answered_by": "the retry"},
        "true",
    )
    application.refresh_from_db()
    assert application.status == Status.DRAFT
    assert not application.events.filter(action="submit").exists()
    assert IdempotencyRecord.objects.count() == 1
