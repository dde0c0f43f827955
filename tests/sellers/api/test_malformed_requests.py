"""Requests no well-behaved client sends: tampered cursors, bodies nested or sized beyond reason,
bytes that are not UTF-8, NUL characters, methods the API does not offer, ids that are not
numbers. Each is answered with a 4xx problem+json saying what is wrong, and nothing is kept."""

import base64
import json
import random
import string

import pytest

from sellers.actors import actor_for_api_key
from sellers.models import (
    ApiKey,
    Application,
    Facility,
    IdempotencyRecord,
    WebhookDelivery,
    WebhookEndpoint,
)
from sellers.services.api_keys import api_key_issue
from sellers.services.indicators import company_indicators_update
from sellers.services.partners import partner_grant_issue
from tests.sellers.api.support import (
    COLLECTION,
    PROBLEM,
    application_payload,
    client_with_key,
    database_snapshot,
)
from tests.sellers.factories import ApplicationFactory, PartnerFactory

PROBLEMS = "https://brand-program.example/problems/"

# Every list the partner API pages with a cursor, and the key it needs.
LISTS = [
    ("/api/v1/applications/", "agency"),
    ("/api/v1/brands/", "agency"),
    ("/api/v1/trademarks/", "agency"),
    ("/api/v1/facilities/", "agency"),
    ("/api/v1/grants/", "agency"),
    ("/api/v1/webhooks/", "agency"),
    ("/api/v1/webhook-deliveries/", "agency"),
    ("/api/v1/sellers/{seller}/indicator-history/", "marketplace"),
]


def cursor(**tokens) -> str:
    """A cursor as the API encodes one: base64 of a query (o offset, r reverse, p position)."""
    query = "&".join(f"{name}={value}" for name, value in tokens.items())
    return base64.b64encode(query.encode()).decode()


def state() -> dict:
    return {
        **database_snapshot(),
        "idempotency": IdempotencyRecord.objects.count(),
        "endpoints": WebhookEndpoint.objects.count(),
    }


@pytest.fixture
def clients(partner, seller_a, seller_b, settings):
    """Keys for every list, and a page's worth of rows in each, so cursors reach the query."""
    settings.API_RATE_LIMIT = "100000/minute"
    _, agency = api_key_issue(
        name="all",
        scopes=["applications:read", "applications:write", "evidence:write", "webhooks:manage"],
        partner=partner.organization,
    )
    marketplace = PartnerFactory(name="Marketplace scoring", is_marketplace_system=True)
    _, scoring = api_key_issue(name="scoring", scopes=["indicators:write"], partner=marketplace)
    # Two rows in every list, so that each has a next page to follow.
    partner_grant_issue(
        partner=partner.organization, company=seller_b.company, actor=seller_b.actor
    )
    marketplace_actor = actor_for_api_key(ApiKey.objects.get(partner=marketplace))
    for number, seller in enumerate([seller_a, seller_b]):
        ApplicationFactory(company=seller.company)
        Facility.objects.create(
            company=seller.company, manufacturer_name="Works", country="CN", ownership="own"
        )
        endpoint = WebhookEndpoint.objects.create(
            partner=partner.organization,
            url=f"https://hooks.agency.example/in/{number}",
            event_types=["application.admitted"],
        )
        WebhookDelivery.objects.create(
            endpoint=endpoint, event_id=f"msg_{number}", event_type="webhook.test", body="{}"
        )
        company_indicators_update(
            actor=marketplace_actor, company_id=seller_a.company.pk, values={"nps": 40 + number}
        )
    return {"agency": client_with_key(agency), "marketplace": client_with_key(scoring)}


def assert_problem(response, status: int, code: str) -> dict:
    assert (response.status_code, response["Content-Type"]) == (status, PROBLEM), response.content
    body = response.json()
    assert (body["type"], body["status"], body["code"]) == (
        PROBLEMS + code.replace("_", "-"),
        status,
        code,
    )
    assert body["title"]
    assert body["detail"]
    return body


TAMPERED_CURSORS = {
    "not-base64": "%%%not-base64%%%",
    "not-a-query": base64.b64encode(b"\xff\xfe\x00").decode(),
    "position-not-a-number-or-date": cursor(p="abc"),
    "position-beyond-bigint": cursor(p="9" * 30),
    "position-with-nul": cursor(p="1%00"),
    "reverse-not-a-number": cursor(r="x", p="1"),
    "offset-not-a-number": cursor(o="many"),
}


@pytest.mark.parametrize(("path", "key"), LISTS)
@pytest.mark.parametrize("tampered", TAMPERED_CURSORS.values(), ids=TAMPERED_CURSORS.keys())
def test_a_tampered_cursor_is_a_400_problem_naming_the_cursor(
    path, key, tampered, clients, seller_a
):
    before = state()

    response = clients[key].get(path.format(seller=seller_a.company.pk), {"cursor": tampered})

    body = assert_problem(response, 400, "invalid_cursor")
    assert "cursor" in body["detail"]
    assert state() == before


@pytest.mark.parametrize(("path", "key"), LISTS)
def test_the_cursor_of_a_real_next_page_still_works(path, key, clients, seller_a):
    first = clients[key].get(path.format(seller=seller_a.company.pk), {"page_size": 1})
    assert first.status_code == 200, first.content
    next_url = first.json()["next"]

    second = clients[key].get(next_url)

    assert second.status_code == 200
    assert {row["id"] for row in second.json()["results"]}.isdisjoint(
        row["id"] for row in first.json()["results"]
    )


def _garbled_cursors(count: int) -> list[str]:
    # Seeded, so a failure names a cursor that can be replayed.
    generator = random.Random(17)  # noqa: S311 - test data, not cryptography
    alphabet = string.ascii_letters + string.digits + "+/=%&-_.:~ \x7f"
    cursors = []
    for _ in range(count):
        if generator.random() < 0.5:
            cursors.append("".join(generator.choices(alphabet, k=generator.randint(1, 40))))
        else:
            tokens = {
                name: "".join(generator.choices(alphabet, k=generator.randint(0, 12)))
                for name in generator.sample(["o", "r", "p"], k=generator.randint(1, 3))
            }
            cursors.append(cursor(**tokens))
    return cursors


@pytest.mark.parametrize(("path", "key"), LISTS)
def test_garbled_cursors_are_always_a_4xx_problem_never_a_server_error(
    path, key, clients, seller_a
):
    before = state()

    for garbled in _garbled_cursors(12):
        response = clients[key].get(path.format(seller=seller_a.company.pk), {"cursor": garbled})

        # A garbled cursor may still decode to a valid one (an offset of 0 is harmless).
        if response.status_code != 200:
            assert_problem(response, 400, "invalid_cursor")
    assert state() == before


ODD_QUERY_VALUES = ["\x00", "abc", "-1", "9" * 30, "1e3", "2026-13-45", "\u202e", "x" * 3000]


@pytest.mark.parametrize(("path", "key"), LISTS)
def test_odd_filter_and_page_size_values_are_a_4xx_problem_or_ignored(path, key, clients, seller_a):
    url = path.format(seller=seller_a.company.pk)
    before = state()

    for name in ("seller", "status", "updated_since", "endpoint", "page_size"):
        for value in ODD_QUERY_VALUES:
            response = clients[key].get(url, {name: value})

            assert response.status_code in {200, 400}, (name, value, response.content)
            if response.status_code == 400:
                assert_problem(response, 400, "invalid")
    assert state() == before


def _deeply_nested(depth: int) -> bytes:
    return b'{"seller":' + b"[" * depth + b"]" * depth + b"}"


@pytest.mark.parametrize("depth", [5_000, 100_000])
def test_json_nested_thousands_deep_is_a_400_problem(depth, partner_client):
    before = state()

    response = partner_client.generic(
        "POST", COLLECTION, _deeply_nested(depth), content_type="application/json"
    )

    body = assert_problem(response, 400, "parse_error")
    assert "nested" in body["detail"]
    assert state() == before


def test_a_body_that_is_not_utf8_is_a_400_problem(partner_client, seller_a):
    before = state()
    text = json.dumps(application_payload(seller_a.company.pk)).replace(
        "BRIGHTLAMP", "BRIGHT\udc80"
    )

    response = partner_client.generic(
        "POST",
        COLLECTION,
        text.encode("utf-8", "surrogateescape"),
        content_type="application/json",
    )

    assert_problem(response, 400, "parse_error")
    assert state() == before


def test_a_multipart_field_that_is_not_utf8_is_a_400_problem(partner_client, seller_a):
    application = ApplicationFactory(company=seller_a.company, with_evidence=False)
    before = state()
    boundary = "BoUnDaRy"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\n'.encode()
        + b"product_\xff\xfephoto\r\n"
        + f"--{boundary}--\r\n".encode()
    )

    response = partner_client.generic(
        "POST",
        f"{COLLECTION}{application.pk}/evidence/",
        body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )

    assert 400 <= response.status_code < 500
    assert response["Content-Type"] == PROBLEM
    assert state() == before


def test_a_body_over_the_upload_limit_is_a_413_problem(partner_client, seller_a, settings):
    payload = application_payload(seller_a.company.pk)
    payload["padding"] = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    before = state()

    response = partner_client.post(COLLECTION, payload, format="json")

    body = assert_problem(response, 413, "request_too_large")
    assert "MiB" in body["detail"]
    assert state() == before


def test_a_form_body_over_the_upload_limit_is_a_413_problem(partner_client, seller_a, settings):
    application = ApplicationFactory(company=seller_a.company, with_evidence=False)
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    before = state()

    response = partner_client.post(
        f"{COLLECTION}{application.pk}/evidence/",
        {"kind": "product_photo", "note": "x" * 2000},
        format="multipart",
    )

    assert_problem(response, 413, "request_too_large")
    assert state() == before


NUL_BODIES = {
    "unknown-category": lambda seller: application_payload(seller, categories=["lamp\x00s"]),
    "bad-office": lambda seller: {
        **application_payload(seller),
        "trademark": {**application_payload(seller)["trademark"], "office": "US\x00PTO"},
    },
    "key-with-nul": lambda seller: {**application_payload(seller), "bra\x00nd": {}},
}


@pytest.mark.parametrize("make_body", NUL_BODIES.values(), ids=NUL_BODIES.keys())
def test_a_nul_character_with_an_idempotency_key_is_a_400_problem_and_stores_no_answer(
    make_body, partner_client, seller_a
):
    before = state()

    response = partner_client.post(
        COLLECTION,
        make_body(seller_a.company.pk),
        format="json",
        HTTP_IDEMPOTENCY_KEY="nul-1",
    )
    again = partner_client.post(
        COLLECTION,
        make_body(seller_a.company.pk),
        format="json",
        HTTP_IDEMPOTENCY_KEY="nul-1",
    )

    body = assert_problem(response, 400, "parse_error")
    assert "U+0000" in body["detail"]
    assert again.json() == body
    assert state() == before


def test_a_nul_in_a_form_field_with_an_idempotency_key_is_a_400_problem(partner_client, seller_a):
    application = ApplicationFactory(company=seller_a.company, with_evidence=False)
    before = state()

    response = partner_client.post(
        f"{COLLECTION}{application.pk}/evidence/",
        {"kind": "selfie\x00"},
        format="multipart",
        HTTP_IDEMPOTENCY_KEY="nul-2",
    )

    body = assert_problem(response, 400, "parse_error")
    assert "U+0000" in body["detail"]
    assert state() == before


def test_a_nul_in_an_idempotency_key_is_refused(partner_client, seller_a):
    before = state()

    response = partner_client.post(
        COLLECTION,
        application_payload(seller_a.company.pk),
        format="json",
        HTTP_IDEMPOTENCY_KEY="key\x00",
    )

    assert_problem(response, 400, "idempotency_key_invalid")
    assert state() == before


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/applications/abc/",
        "/api/v1/applications/1e3/submit/",
        "/api/v1/webhooks/%00/",
        "/api/v1/webhook-deliveries/-1/",
        "/api/v1/no-such-resource/",
    ],
)
def test_a_path_the_api_does_not_have_is_a_404_problem(path, partner_client):
    response = partner_client.get(path)

    body = assert_problem(response, 404, "not_found")
    assert body["title"] == "Not found."


def test_a_host_the_service_does_not_answer_for_is_a_400_problem(partner_client):
    response = partner_client.get(COLLECTION, HTTP_HOST="attacker.example")

    assert_problem(response, 400, "parse_error")


def test_a_server_error_in_the_api_is_a_500_problem(clients, monkeypatch):
    def broken(actor):
        raise RuntimeError("database on fire")

    monkeypatch.setattr("sellers.api.webhooks.webhook_endpoints_of", broken)
    client = clients["agency"]
    client.raise_request_exception = False

    response = client.get("/api/v1/webhooks/")

    body = assert_problem(response, 500, "error")
    assert "fire" not in body["detail"]


def test_a_path_outside_the_api_keeps_the_html_404(client, db):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


METHODS_NOT_OFFERED = [
    ("PUT", "/api/v1/applications/{id}/", "GET, PATCH"),
    ("TRACE", "/api/v1/applications/{id}/", "GET, PATCH"),
    ("OPTIONS", "/api/v1/applications/{id}/", "GET, PATCH"),
    ("DELETE", "/api/v1/applications/", "GET, POST"),
    ("PUT", "/api/v1/webhooks/{endpoint}/", "GET, PATCH, DELETE"),
    ("PATCH", "/api/v1/brands/", "GET"),
]


@pytest.mark.parametrize(("method", "path", "allowed"), METHODS_NOT_OFFERED)
def test_a_method_the_operation_does_not_offer_is_a_405_problem_with_allow(
    method, path, allowed, clients, seller_a
):
    application = seller_a.company.applications.get()
    url = path.format(id=application.pk, endpoint=WebhookEndpoint.objects.first().pk)
    before = state()

    response = clients["agency"].generic(method, url, "{}", content_type="application/json")

    body = assert_problem(response, 405, "method_not_allowed")
    assert (body["title"], body["detail"]) == (
        "Method not allowed.",
        f'Method "{method}" not allowed.',
    )
    assert set(response["Allow"].split(", ")) == {*allowed.split(", "), "HEAD"}
    assert state() == before


@pytest.mark.parametrize("method", ["PUT", "TRACE", "OPTIONS", "GET"])
def test_without_a_key_any_method_is_still_a_401(method, anonymous_client, seller_a):
    application = ApplicationFactory(company=seller_a.company)

    response = anonymous_client.generic(method, f"{COLLECTION}{application.pk}/")

    assert_problem(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_method_the_key_lacks_the_scope_for_is_still_a_403(issue_key, seller_a):
    _, raw = issue_key(scopes=["applications:read"])
    application = ApplicationFactory(company=seller_a.company)
    before = state()

    response = client_with_key(raw).patch(
        f"{COLLECTION}{application.pk}/", {"brand": {"name": "OTHER"}}, format="json"
    )

    assert_problem(response, 403, "insufficient_scope")
    assert state() == before


@pytest.mark.parametrize("debug", [False, True], ids=["production", "make-run"])
@pytest.mark.parametrize("method", ["post", "patch", "delete"])
def test_a_write_without_the_trailing_slash_is_a_404_problem_naming_the_address(
    method, debug, partner_client, seller_a, settings
):
    settings.DEBUG = debug
    before = Application.objects.count()

    response = getattr(partner_client, method)("/api/v1/applications", {}, format="json")

    body = assert_problem(response, 404, "not_found")
    assert body["detail"] == "API addresses end with a slash: /api/v1/applications/"
    assert Application.objects.count() == before


def test_a_read_without_the_trailing_slash_is_still_redirected(partner_client, seller_a):
    response = partner_client.get("/api/v1/applications")

    assert (response.status_code, response["Location"]) == (301, "/api/v1/applications/")
