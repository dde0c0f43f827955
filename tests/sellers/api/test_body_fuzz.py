"""Generated malformed bodies for every operation that takes JSON: each is refused with a 4xx
problem+json and changes nothing; none is a server error.

The bodies are derived from a valid request of each operation, seeded so that a failure can be
replayed: cut short, bytes garbled, the top level of another type, and one field at a time
replaced by a value of the wrong kind (huge numbers, NaN, deep lists, long strings, NUL).
"""

import json
import random

import pytest

from sellers.actors import actor_for_api_key
from sellers.models import (
    ApiKey,
    IndicatorUpdate,
    WebhookEndpoint,
)
from sellers.services.api_keys import api_key_issue
from sellers.services.indicators import company_indicators_update
from tests.sellers.api.support import (
    PROBLEM,
    application_payload,
    client_with_key,
    database_snapshot,
)
from tests.sellers.factories import ApplicationFactory, PartnerFactory

ODD_VALUES = [
    None,
    True,
    -1,
    10**30,
    -(10**30),
    1.5e300,
    "",
    "x" * 5000,
    "\u0000",
    "null",
    [],
    [[[[[[[[[[]]]]]]]]]],
    {},
    {"": {"": {"": {}}}},
    ["lighting-appliances"] * 50,
]
RAW_ODDITIES = [b"", b"{", b"[1,]", b'{"a": NaN}', b'{"a": Infinity}', b"\xff\xfe{}", b"null"]


def _bodies(valid: dict, seed: int, count: int) -> list[bytes]:
    generator = random.Random(seed)  # noqa: S311 - test data, not cryptography
    text = json.dumps(valid).encode()
    bodies = list(RAW_ODDITIES)
    bodies += [text[: generator.randint(1, len(text) - 1)] for _ in range(3)]
    for _ in range(3):
        garbled = bytearray(text)
        for _ in range(generator.randint(1, 5)):
            garbled[generator.randrange(len(garbled))] = generator.randrange(256)
        bodies.append(bytes(garbled))
    bodies += [json.dumps(value).encode() for value in ([], "text", 42, [valid])]
    for _ in range(count):
        changed = json.loads(text)
        target = changed
        # Down into a nested object now and then, so nested fields are reached too.
        while generator.random() < 0.4 and any(isinstance(v, dict) for v in target.values()):
            target = generator.choice([v for v in target.values() if isinstance(v, dict)])
        target[generator.choice(sorted(target))] = generator.choice(ODD_VALUES)
        bodies.append(json.dumps(changed).encode())
    return bodies


def _state() -> dict:
    return {
        **database_snapshot(),
        "endpoints": sorted(WebhookEndpoint.objects.values_list("pk", "url", "event_types")),
        "indicators": IndicatorUpdate.objects.count(),
        "indicator_values": IndicatorUpdate.objects.values_list("pk", flat=True).first(),
    }


@pytest.fixture
def world(partner, seller_a, settings):
    settings.API_RATE_LIMIT = "100000/minute"
    _, agency = api_key_issue(
        name="all",
        scopes=["applications:read", "applications:write", "webhooks:manage"],
        partner=partner.organization,
    )
    marketplace = PartnerFactory(name="Marketplace scoring", is_marketplace_system=True)
    _, scoring = api_key_issue(name="scoring", scopes=["indicators:write"], partner=marketplace)
    company_indicators_update(
        actor=actor_for_api_key(ApiKey.objects.get(partner=marketplace)),
        company_id=seller_a.company.pk,
        values={"nps": 10},
    )
    application = ApplicationFactory(company=seller_a.company)
    endpoint = WebhookEndpoint.objects.create(
        partner=partner.organization,
        url="https://hooks.agency.example/in",
        event_types=["application.admitted"],
    )
    agency_client = client_with_key(agency)
    etag = agency_client.get(f"/api/v1/applications/{application.pk}/")["ETag"]
    return {
        "agency": agency_client,
        "marketplace": client_with_key(scoring),
        "seller": seller_a.company.pk,
        "application": application.pk,
        "endpoint": endpoint.pk,
        "etag": etag,
    }


OPERATIONS = {
    "create-application": ("POST", "/api/v1/applications/", "agency"),
    "edit-application": ("PATCH", "/api/v1/applications/{application}/", "agency"),
    "register-webhook": ("POST", "/api/v1/webhooks/", "agency"),
    "change-webhook": ("PATCH", "/api/v1/webhooks/{endpoint}/", "agency"),
    "update-indicators": ("PATCH", "/api/v1/sellers/{seller}/indicators/", "marketplace"),
}


def _valid_body(name: str, world: dict) -> dict:
    return {
        "create-application": application_payload(world["seller"]),
        "edit-application": {"brand": {"name": "LUMINA"}, "categories": ["lighting-appliances"]},
        "register-webhook": {
            "url": "https://hooks.agency.example/other",
            "event_types": ["application.admitted"],
            "description": "CRM",
        },
        "change-webhook": {"event_types": ["application.admitted"], "is_active": False},
        "update-indicators": {"nps": 20, "quality_dispute_rate": "0.0100", "as_of": "2026-11-30"},
    }[name]


@pytest.mark.parametrize("name", OPERATIONS)
def test_malformed_bodies_are_a_4xx_problem_and_change_nothing(name, world):
    method, path, key = OPERATIONS[name]
    url = path.format(**world)
    client = world[key]
    bodies = _bodies(_valid_body(name, world), seed=len(name), count=12)
    refused = 0

    for number, body in enumerate(bodies):
        before = _state()
        response = client.generic(
            method,
            url,
            body,
            content_type="application/json",
            HTTP_IF_MATCH=world["etag"],
            HTTP_IDEMPOTENCY_KEY=f"fuzz-{name}-{number}",
        )

        assert response.status_code < 500, (body, response.content)
        # A field changed to a value that happens to be valid is no fault; everything else is.
        if response.status_code >= 400:
            refused += 1
            assert response["Content-Type"] == PROBLEM, (body, response.content)
            assert response.json()["status"] == response.status_code
            assert _state() == before, body
    assert refused >= len(bodies) - 3
