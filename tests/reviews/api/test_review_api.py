"""The reviewer API: queues, claim-next and decisions with a reviewer's key."""

import json

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reviews.models import QueueItem
from reviews.services import conflict_declare, reviewer_key_issue
from sellers.actors import REVIEWER_GROUP, actor_for_user
from sellers.models import Application, ApplicationEvent, RequestedEvidence, Status
from sellers.services.api_keys import api_key_issue
from tests.reviews.factories import ReviewQueueFactory
from tests.reviews.queues.queue_support import screened
from tests.sellers.api.support import PROBLEM, client_with_key, database_snapshot
from tests.sellers.factories import ApplicationFactory

QUEUES = "/api/v1/review/queues/"


def decide_url(application_id: int) -> str:
    return f"/api/v1/review/applications/{application_id}/decide/"


@pytest.fixture
def reviewer_client(reviewer):
    _, raw = reviewer_key_issue(email=reviewer.username, name="triage tool")
    return client_with_key(raw)


@pytest.fixture
def lighting_queue(reviewer, lighting):
    return ReviewQueueFactory(name="Lighting", members=[reviewer], categories=[lighting])


def test_queue_listing_gives_counts_of_the_reviewers_queues(
    reviewer_client, lighting_queue, lighting
):
    ReviewQueueFactory(name="Elsewhere", categories=[])
    screened(categories=[lighting])
    screened(categories=[lighting])

    response = reviewer_client.get(QUEUES)

    body = response.json()
    assert [(q["name"], q["waiting"], q["in_review"], q["breached"]) for q in body] == [
        ("Lighting", 2, 0, 0)
    ]
    assert body[0]["assignment_mode"] == "claim_next"
    assert body[0]["oldest_entered_at"] is not None


def test_items_come_in_queue_order_with_the_same_queries_for_1_and_50(
    reviewer_client, lighting_queue, lighting
):
    url = f"{QUEUES}{lighting_queue.pk}/items/?page_size=100"
    screened(categories=[lighting])
    with CaptureQueriesContext(connection) as one_item:
        first = reviewer_client.get(url)
    for _ in range(49):
        screened(categories=[lighting])
    with CaptureQueriesContext(connection) as fifty_items:
        fifty = reviewer_client.get(url)
    queue_list = reviewer_client.get(QUEUES)

    assert len(fifty_items.captured_queries) == len(one_item.captured_queries)
    assert (len(first.json()["results"]), len(fifty.json()["results"])) == (1, 50)
    expected = list(
        QueueItem.objects.order_by("due_at", "-priority", "entered_at", "pk").values_list(
            "pk", flat=True
        )
    )
    assert [item["id"] for item in fifty.json()["results"]] == expected
    assert queue_list.json()[0]["waiting"] == 50


def test_claim_next_then_request_changes_reaches_the_seller(
    reviewer_client, reviewer, lighting_queue, lighting, seller_a
):
    application = screened(categories=[lighting], company=seller_a.company, brand__name="LAMPX")

    claimed = reviewer_client.post(f"{QUEUES}{lighting_queue.pk}/claim-next/")
    empty = reviewer_client.post(f"{QUEUES}{lighting_queue.pk}/claim-next/")
    decided = reviewer_client.post(
        decide_url(application.pk),
        {
            "action": "request_changes",
            "message": "The licence scan is cut off.",
            "requested_evidence": ["business_licence"],
        },
        format="json",
    )

    assert claimed.status_code == 200
    assert claimed.json()["application"]["id"] == application.pk
    assert claimed.json()["application"]["reference"] == application.reference
    assert claimed.json()["assignee"] == reviewer.username
    assert (empty.status_code, empty.content) == (204, b"")
    assert decided.json()["status"] == "changes_requested"
    application.refresh_from_db()
    assert application.status == Status.CHANGES_REQUESTED
    event = application.events.get(action="request_changes")
    assert (event.note, event.seller_visible, event.actor) == (
        "The licence scan is cut off.",
        True,
        reviewer,
    )
    assert event.actor_label.startswith(f"{reviewer.username} (API key ")
    assert list(RequestedEvidence.objects.values_list("kind", flat=True)) == ["business_licence"]
    assert QueueItem.objects.get().closed_at is not None


def _refused(client, application, body) -> tuple:
    before = database_snapshot()
    response = client.post(decide_url(application.pk), body, format="json")
    assert database_snapshot() == before
    return response.status_code, response["Content-Type"], response.json()


def test_deciding_an_application_someone_else_holds_is_refused(reviewer_client, other_reviewer):
    application = ApplicationFactory(in_review=True, assignee=other_reviewer)

    status_code, content_type, body = _refused(reviewer_client, application, {"action": "approve"})

    assert (status_code, content_type, body["code"], body["detail"]) == (
        409,
        PROBLEM,
        "not_assignee",
        "Only the reviewer who claimed this application can do that.",
    )


def test_deciding_in_the_wrong_state_is_refused(reviewer_client, reviewer):
    application = ApplicationFactory(awaiting_review=True)

    status_code, _, body = _refused(reviewer_client, application, {"action": "approve"})

    assert (status_code, body["code"], body["detail"]) == (
        409,
        "transition_not_allowed",
        "Cannot approve while the application is “Awaiting review”.",
    )


def test_deciding_for_a_conflicted_company_finds_nothing(reviewer_client, reviewer, seller_a):
    application = ApplicationFactory(company=seller_a.company, in_review=True, assignee=reviewer)
    conflict_declare(actor=actor_for_user(reviewer), company=seller_a.company, reason="Shares")
    # Declaring released it; hand it back to see that the API still refuses to act.
    Application.objects.filter(pk=application.pk).update(status=Status.IN_REVIEW, assignee=reviewer)

    status_code, _, body = _refused(reviewer_client, application, {"action": "approve"})

    assert (status_code, body["code"]) == (404, "not_found")
    assert seller_a.company.legal_name not in json.dumps(body)


def test_a_rejection_without_a_message_names_the_field(reviewer_client, reviewer):
    application = ApplicationFactory(in_review=True, assignee=reviewer)

    status_code, _, body = _refused(reviewer_client, application, {"action": "reject"})

    assert (status_code, body["errors"]) == (
        400,
        {"message": ["Write a message explaining this decision."]},
    )


def test_an_unknown_decision_is_refused(reviewer_client, reviewer):
    application = ApplicationFactory(in_review=True, assignee=reviewer)

    status_code, _, body = _refused(reviewer_client, application, {"action": "suspend"})

    assert (status_code, list(body["errors"])) == (400, ["action"])


def test_partner_and_seller_keys_get_nothing_from_the_reviewer_api(
    partner_client, seller_a, lighting_queue, lighting, reviewer
):
    application = screened(categories=[lighting], company=seller_a.company, brand__name="LAMPZ")
    _, seller_raw = api_key_issue(
        name="own", scopes=["applications:read", "applications:write"], company=seller_a.company
    )
    before = database_snapshot()

    answers = []
    for client in (partner_client, client_with_key(seller_raw)):
        for method, url in (
            ("get", QUEUES),
            ("get", f"{QUEUES}{lighting_queue.pk}/items/"),
            ("post", f"{QUEUES}{lighting_queue.pk}/claim-next/"),
            ("post", decide_url(application.pk)),
        ):
            response = getattr(client, method)(url)
            answers.append((response.status_code, response.json()["code"]))
            assert b"LAMPZ" not in response.content

    assert answers == [(403, "insufficient_scope")] * 8
    assert database_snapshot() == before


def test_a_key_whose_holder_left_the_reviewers_is_refused(reviewer_client, reviewer):
    reviewer.groups.remove(Group.objects.get(name=REVIEWER_GROUP))

    response = reviewer_client.get(QUEUES)

    assert (response.status_code, response.json()["code"]) == (403, "not_a_reviewer")


def test_a_queue_the_reviewer_is_not_in_is_not_found(reviewer_client):
    other = ReviewQueueFactory(name="Not mine", categories=[])

    response = reviewer_client.post(f"{QUEUES}{other.pk}/claim-next/")

    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_review_keys_go_to_reviewers_only_and_carry_only_the_review_scope(
    outsider, reviewer, seller_a, capsys
):
    with pytest.raises(ValidationError) as not_reviewer:
        reviewer_key_issue(email=outsider.username, name="x")
    with pytest.raises(ValidationError) as seller_review_key:
        api_key_issue(name="sneaky", scopes=["review"], company=seller_a.company)

    call_command("issue_reviewer_key", "--email", reviewer.username, "--name", "triage")
    printed = json.loads(capsys.readouterr().out)

    assert not_reviewer.value.message_dict == {
        "email": [f"{outsider.username} is not an active reviewer's login."]
    }
    assert list(seller_review_key.value.message_dict) == ["scopes"]
    assert (printed["scopes"], printed["reviewer"]) == (["review"], reviewer.username)
    assert printed["key"].startswith(f"bpk_{printed['prefix']}_")
    assert client_with_key(printed["key"]).get(QUEUES).status_code == 200
    assert ApplicationEvent.objects.count() == 0


def test_a_repeated_claim_next_with_the_same_idempotency_key_claims_once(
    reviewer_client, lighting_queue, lighting
):
    first_in, second_in = screened(categories=[lighting]), screened(categories=[lighting])
    url = f"{QUEUES}{lighting_queue.pk}/claim-next/"

    first = reviewer_client.post(url, HTTP_IDEMPOTENCY_KEY="claim-1")
    repeat = reviewer_client.post(url, HTTP_IDEMPOTENCY_KEY="claim-1")
    fresh = reviewer_client.post(url, HTTP_IDEMPOTENCY_KEY="claim-2")

    assert first.json() == repeat.json()
    assert repeat["Idempotent-Replayed"] == "true"
    assert (first.json()["application"]["id"], fresh.json()["application"]["id"]) == (
        first_in.pk,
        second_in.pk,
    )
    assert ApplicationEvent.objects.filter(action="claim").count() == 2
