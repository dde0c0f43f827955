"""Property-based run of every operation in the published schema.

Schemathesis generates requests from /api/schema/ and sends them through the WSGI application:
no request may cause a server error, and every answer must match the schema (status code,
content type, headers and body).
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from brandprogram.wsgi import application
from reviews.services import reviewer_key_issue
from sellers.models import Facility, WebhookDelivery, WebhookEndpoint
from sellers.services.api_keys import api_key_issue
from tests.reviews.factories import ReviewQueueFactory
from tests.reviews.queues.queue_support import screened
from tests.sellers.factories import ApplicationFactory, PartnerFactory

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture(autouse=True)
def _keep_the_test_transaction():
    """Requests go through the real WSGI handler, which would close the connection after each
    one and so lose the test's transaction; Django's test client avoids it the same way."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def real_ids(seller_a, partner, settings):
    """Ids of seller A's objects, so most generated requests reach a view's real work."""
    # Several hundred requests with one key in a few seconds: well over the default budget.
    settings.API_RATE_LIMIT = "100000/minute"
    application = ApplicationFactory(company=seller_a.company)
    facility = Facility.objects.create(
        company=seller_a.company, manufacturer_name="Works", country="CN", ownership="own"
    )
    # Never contacted: these tests run inside a transaction that does not commit, and
    # deliveries are only sent after a commit.
    endpoint = WebhookEndpoint.objects.create(
        partner=partner.organization,
        url="https://hooks.agency.example/in",
        event_types=["application.admitted"],
    )
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event_id="msg_0123",
        event_type="application.admitted",
        # The shape every recorded event has (sellers.webhooks.deliveries), which the schema
        # describes as WebhookEvent.
        body='{"data":{"action":"approve","application":{"brand":"BRIGHTLAMP","id":1,'
        '"seller":{"id":1,"legal_name":"Bright Lamp"},"status":"admitted"},"note":"",'
        '"previous_status":"under_review"},"timestamp":"2026-11-28T09:12:44+00:00",'
        '"type":"application.admitted"}',
    )
    queue = ReviewQueueFactory(name="Lighting", categories=[])
    return {
        "review/queues": queue.pk,
        "review/applications": application.pk,
        "applications": application.pk,
        "brands": application.brand_id,
        "trademarks": application.trademark_id,
        "facilities": facility.pk,
        "evidence_id": application.evidence.get().pk,
        "webhooks": endpoint.pk,
        "webhook-deliveries": delivery.pk,
        "sellers": seller_a.company.pk,
    }


@pytest.fixture
def keys(partner):
    """The partner's key with every agency scope, and a marketplace system's key."""
    _, agency = api_key_issue(
        name="all",
        scopes=["applications:read", "applications:write", "evidence:write", "webhooks:manage"],
        partner=partner.organization,
    )
    marketplace = PartnerFactory(name="Marketplace scoring", is_marketplace_system=True)
    _, scoring = api_key_issue(name="scoring", scopes=["indicators:write"], partner=marketplace)
    return {"agency": agency, "marketplace": scoring}


def _resource(path: str) -> str:
    parts = path.split("/")
    return "/".join(parts[3:5]) if parts[3] == "review" else parts[3]


@schema.parametrize()
@settings(
    max_examples=50,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_operation_never_fails_and_always_answers_as_described(case, keys, real_ids):
    resource = _resource(case.path)
    if case.path_parameters:
        case.path_parameters = {
            name: real_ids["evidence_id" if name == "evidence_id" else resource]
            for name in case.path_parameters
        }
    key = keys["marketplace" if resource == "sellers" else "agency"]
    # Negative generation adds arbitrary headers, Host among them now and then; Django refuses
    # an unknown host (ALLOWED_HOSTS) with its own 400 page before any API code runs.
    generated = {
        name: value for name, value in (case.headers or {}).items() if name.lower() != "host"
    }
    case.headers = generated
    headers = {**generated, "Authorization": f"Bearer {key}"}

    case.call_and_validate(headers=headers, checks=CHECKS)


@pytest.fixture
def reviewer_world(reviewer, settings):
    """A reviewer's key, a queue of the reviewer's with items, and an application they hold."""
    settings.API_RATE_LIMIT = "100000/minute"
    queue = ReviewQueueFactory(name="Lighting", members=[reviewer], categories=[])
    for _ in range(3):
        screened()
    held = ApplicationFactory(in_review=True, assignee=reviewer)
    _, raw = reviewer_key_issue(email=reviewer.username, name="tool")
    return raw, {"review/queues": queue.pk, "review/applications": held.pk}


@schema.include(path_regex="^/api/v1/review/").parametrize()
@settings(
    max_examples=50,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_reviewer_operation_never_fails_and_answers_as_described(case, reviewer_world):
    raw_key, ids = reviewer_world
    if case.path_parameters:
        case.path_parameters = {name: ids[_resource(case.path)] for name in case.path_parameters}
    headers = {**(case.headers or {}), "Authorization": f"Bearer {raw_key}"}

    case.call_and_validate(headers=headers, checks=CHECKS)
