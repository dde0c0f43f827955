"""The published OpenAPI description: valid, complete, and browsable without the internet."""

import re

import pytest
from drf_spectacular.validation import validate_schema
from openapi_spec_validator.validation import OpenAPIV30SpecValidator

from sellers.api.serializers.applications import SELLER_STATUS_CODES
from sellers.webhooks.endpoints import EVENT_TYPES
from tests.sellers.api.support import PROBLEM

SCHEMA = "/api/schema/"

OPERATIONS = {
    ("get", "/api/v1/applications/"),
    ("post", "/api/v1/applications/"),
    ("get", "/api/v1/applications/{id}/"),
    ("patch", "/api/v1/applications/{id}/"),
    ("get", "/api/v1/applications/{id}/events/"),
    ("get", "/api/v1/applications/{id}/evidence/"),
    ("get", "/api/v1/applications/{id}/messages/"),
    ("post", "/api/v1/applications/{id}/messages/"),
    ("get", "/api/v1/applications/{id}/messages/{message_id}/attachments/{attachment_id}/"),
    ("post", "/api/v1/applications/{id}/evidence/"),
    ("delete", "/api/v1/applications/{id}/evidence/{evidence_id}/"),
    ("post", "/api/v1/applications/{id}/evidence/{evidence_id}/replace/"),
    ("post", "/api/v1/applications/{id}/resubmit/"),
    ("get", "/api/v1/applications/{id}/screening/"),
    ("post", "/api/v1/applications/{id}/submit/"),
    ("post", "/api/v1/applications/{id}/withdraw/"),
    ("get", "/api/v1/categories/"),
    ("get", "/api/v1/brands/"),
    ("get", "/api/v1/brands/{id}/"),
    ("get", "/api/v1/trademarks/"),
    ("get", "/api/v1/trademarks/{id}/"),
    ("post", "/api/v1/trademarks/{id}/verification-code/"),
    ("post", "/api/v1/trademarks/{id}/verification-code/confirm/"),
    ("get", "/api/v1/facilities/"),
    ("get", "/api/v1/facilities/{id}/"),
    ("get", "/api/v1/grants/"),
    ("get", "/api/v1/webhooks/"),
    ("post", "/api/v1/webhooks/"),
    ("get", "/api/v1/webhooks/{id}/"),
    ("patch", "/api/v1/webhooks/{id}/"),
    ("delete", "/api/v1/webhooks/{id}/"),
    ("post", "/api/v1/webhooks/{id}/rotate-secret/"),
    ("post", "/api/v1/webhooks/{id}/ping/"),
    ("get", "/api/v1/webhook-deliveries/"),
    ("get", "/api/v1/webhook-deliveries/{id}/"),
    ("post", "/api/v1/webhook-deliveries/{id}/redeliver/"),
    ("get", "/api/v1/sellers/{id}/indicators/"),
    ("patch", "/api/v1/sellers/{id}/indicators/"),
    ("get", "/api/v1/sellers/{id}/indicator-history/"),
    ("get", "/api/v1/program/brands/"),
    ("get", "/api/v1/review/queues/"),
    ("get", "/api/v1/review/queues/{id}/items/"),
    ("post", "/api/v1/review/queues/{id}/claim-next/"),
    ("post", "/api/v1/review/applications/{id}/decide/"),
}


@pytest.fixture
def schema(client) -> dict:
    response = client.get(SCHEMA, HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response["Content-Type"] == "application/vnd.oai.openapi+json"
    return response.json()


def _operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield method, path, operation


def test_schema_is_valid_openapi_3(schema):
    validate_schema(schema)

    assert (schema["openapi"], schema["info"]["title"]) == (
        "3.0.3",
        "Thousand-Class Brand Program partner API",
    )


def test_schema_lists_every_operation_of_the_api(schema):
    assert {(method, path) for method, path, _ in _operations(schema)} == OPERATIONS


def test_schema_declares_bearer_keys_on_every_operation(schema):
    assert {
        key: schema["components"]["securitySchemes"]["apiKey"][key] for key in ("type", "scheme")
    } == {"type": "http", "scheme": "bearer"}
    assert {
        (method, path): operation["security"] for method, path, operation in _operations(schema)
    } == {operation: [{"apiKey": []}] for operation in OPERATIONS}


def test_schema_describes_errors_as_problem_json(schema):
    problem_ref = {"$ref": "#/components/schemas/Problem"}

    for method, path, operation in _operations(schema):
        for code in ("400", "401", "403", "404", "429"):
            assert operation["responses"][code]["content"] == {PROBLEM: {"schema": problem_ref}}, (
                method,
                path,
                code,
            )
    assert set(schema["components"]["schemas"]["Problem"]["required"]) == {
        "type",
        "title",
        "status",
        "code",
        "detail",
    }


def test_schema_offers_idempotency_key_on_every_post(schema):
    headers = {
        (method, path): sorted(
            parameter["name"]
            for parameter in operation.get("parameters", [])
            if parameter["in"] == "header"
        )
        for method, path, operation in _operations(schema)
    }

    assert {operation: names for operation, names in headers.items() if names} == {
        **{operation: ["Idempotency-Key"] for operation in OPERATIONS if operation[0] == "post"},
        ("patch", "/api/v1/applications/{id}/"): ["If-Match"],
    }
    edit = schema["paths"]["/api/v1/applications/{id}/"]["patch"]["responses"]
    assert sorted(edit) == [
        "200", "400", "401", "403", "404", "406", "409", "412", "413", "415", "428", "429",
        "503",
    ]  # fmt: skip
    documented_413 = {
        (method, path)
        for method, path, operation in _operations(schema)
        if "413" in operation["responses"]
    }
    assert documented_413 == {
        (method, path) for method, path, _operation in _operations(schema) if method != "get"
    } - {(method, path) for method, path, _operation in _operations(schema) if method == "delete"}


def test_schema_describes_webhook_indicator_and_record_code_bodies_as_json(schema):
    bodies = {
        (method, path): list(operation["requestBody"]["content"])
        for method, path, operation in _operations(schema)
        if "requestBody" in operation and "/applications/" not in path
    }

    assert bodies == {
        ("post", "/api/v1/webhooks/"): ["application/json"],
        ("patch", "/api/v1/webhooks/{id}/"): ["application/json"],
        ("patch", "/api/v1/sellers/{id}/indicators/"): ["application/json"],
        ("post", "/api/v1/trademarks/{id}/verification-code/confirm/"): ["application/json"],
    }
    created = schema["paths"]["/api/v1/webhooks/"]["post"]["responses"]["201"]
    component = created["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert "secret" in schema["components"]["schemas"][component]["required"]


def test_schema_describes_the_evidence_upload_as_multipart(schema):
    upload = schema["paths"]["/api/v1/applications/{id}/evidence/"]["post"]
    body_schema = upload["requestBody"]["content"]["multipart/form-data"]["schema"]
    component = schema["components"]["schemas"][body_schema["$ref"].rsplit("/", 1)[1]]

    assert list(upload["requestBody"]["content"]) == ["multipart/form-data"]
    assert component["properties"]["file"] == {"type": "string", "format": "binary"}
    assert sorted(component["required"]) == ["file", "kind"]


def test_interactive_docs_load_everything_from_our_own_static_files(client):
    page = client.get("/api/docs/")
    html = page.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    script = client.get(next(source for source in sources if source.endswith("bundle.js")))
    start_up = client.get(next(source for source in sources if source.endswith("script=")))

    assert (page.status_code, page["Content-Type"]) == (200, "text/html; charset=utf-8")
    assert len(sources) >= 2
    assert [s for s in sources if not s.startswith(("/static/", "/api/docs/?"))] == []
    assert start_up["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in start_up.content.decode()
    assert script.status_code == 200
    assert b"SwaggerUIBundle" in b"".join(script.streaming_content)


def test_the_schema_passes_openapi_spec_validator(schema):
    errors = [error.message for error in OpenAPIV30SpecValidator(schema).iter_errors()]

    assert (schema["openapi"], errors) == ("3.0.3", [])


def test_statuses_lists_links_and_webhook_payloads_are_typed(schema):
    components = schema["components"]["schemas"]

    application = components["Application"]["properties"]
    assert application["status"]["allOf"] == [{"$ref": "#/components/schemas/SellerStatusEnum"}]
    assert components["SellerStatusEnum"]["enum"] == list(SELLER_STATUS_CODES)
    assert application["links"]["allOf"] == [{"$ref": "#/components/schemas/ApplicationLinks"}]
    assert sorted(components["ApplicationLinks"]["required"]) == [
        "events",
        "evidence",
        "messages",
        "self",
    ]
    for trademark in ("Trademark", "TrademarkResource"):
        assert components[trademark]["properties"]["nice_classes"]["items"] == {
            "type": "integer",
            "minimum": 1,
            "maximum": 45,
        }
    payload = components["WebhookDelivery"]["properties"]["payload"]
    assert payload["allOf"] == [{"$ref": "#/components/schemas/WebhookEvent"}]
    event = components["WebhookEvent"]
    assert sorted(event["required"]) == ["data", "timestamp", "type"]
    assert components["WebhookEventTypeEnum"]["enum"] == [*EVENT_TYPES, "webhook.test"]
    assert EVENT_TYPES[-4:] == (
        "brand.admitted",
        "brand.reinstated",
        "brand.revoked",
        "brand.suspended",
    )
    assert event["properties"]["data"] == {"$ref": "#/components/schemas/WebhookEventData"}
    roster_entry = components["WebhookEventData"]["properties"]["roster_entry"]
    assert roster_entry["allOf"] == [{"$ref": "#/components/schemas/RosterEntry"}]
    assert sorted(components["RosterEntry"]["properties"]) == [
        "admitted_since", "brand", "categories", "company", "id", "status", "tier",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("operation", "statuses"),
    [
        (("get", "/api/v1/applications/"), {"406", "503"}),
        (("post", "/api/v1/applications/"), {"406", "413", "415", "503"}),
        (("patch", "/api/v1/webhooks/{id}/"), {"406", "413", "415", "503"}),
    ],
)
def test_every_status_the_api_answers_is_listed(schema, operation, statuses):
    method, path = operation

    listed = set(schema["paths"][path][method]["responses"])

    assert statuses <= listed
    assert schema["paths"][path][method]["responses"]["503"]["headers"]["Retry-After"]


def test_schema_describes_a_message_as_json_or_multipart_with_files(schema):
    post = schema["paths"]["/api/v1/applications/{id}/messages/"]["post"]
    content = post["requestBody"]["content"]
    component = schema["components"]["schemas"][
        content["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[1]
    ]

    assert sorted(content) == ["application/json", "multipart/form-data"]
    assert component["required"] == ["body"]
    assert component["properties"]["attachments"]["items"] == {"type": "string", "format": "binary"}
    listed = schema["paths"]["/api/v1/applications/{id}/messages/"]["get"]["responses"]["200"]
    page = schema["components"]["schemas"][
        listed["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    ]
    assert sorted(page["properties"]) == ["next", "previous", "results"]
