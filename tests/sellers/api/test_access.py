"""Who may call what: every endpoint against every kind of caller that must be turned away."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from sellers.services.api_keys import api_key_issue, api_key_revoke
from tests.files import png_upload
from tests.sellers.api.support import (
    COLLECTION,
    PROBLEM,
    application_payload,
    client_with_key,
    database_snapshot,
    detail_url,
)
from tests.sellers.factories import ApplicationFactory

ALL_SCOPES = {"applications:read", "applications:write", "evidence:write"}


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    suffix: str | None  # None for the collection, else the path after the application id
    scope: str

    def call(self, client, *, application_id, seller_id):
        url = COLLECTION if self.suffix is None else detail_url(application_id, self.suffix)
        if self.name == "create":
            return client.post(url, application_payload(seller_id), format="json")
        if self.name == "message_post":
            return client.post(url, {"body": "Is our audit enough?"}, format="json")
        if self.name == "evidence_upload":
            return client.post(
                url, {"kind": "product_photo", "file": png_upload()}, format="multipart"
            )
        return client.post(url) if self.method == "POST" else client.get(url)


ENDPOINTS = [
    Endpoint("list", "GET", None, "applications:read"),
    Endpoint("create", "POST", None, "applications:write"),
    Endpoint("retrieve", "GET", "", "applications:read"),
    Endpoint("submit", "POST", "submit/", "applications:write"),
    Endpoint("withdraw", "POST", "withdraw/", "applications:write"),
    Endpoint("evidence_list", "GET", "evidence/", "applications:read"),
    Endpoint("evidence_upload", "POST", "evidence/", "evidence:write"),
    Endpoint("events", "GET", "events/", "applications:read"),
    Endpoint("messages", "GET", "messages/", "applications:read"),
    Endpoint("message_post", "POST", "messages/", "applications:write"),
]
DETAIL_ENDPOINTS = [endpoint for endpoint in ENDPOINTS if endpoint.suffix is not None]
by_name = pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda endpoint: endpoint.name)

NOT_FOUND = {
    "type": "https://brand-program.example/problems/not-found",
    "title": "Not found.",
    "status": 404,
    "code": "not_found",
    "detail": "No such object, or it is not yours.",
}
BAD_KEY = {
    "type": "https://brand-program.example/problems/authentication-failed",
    "title": "Incorrect authentication credentials.",
    "status": 401,
    "code": "authentication_failed",
    "detail": "The API key is unknown, expired or revoked.",
}


@pytest.fixture
def own_application(seller_a):
    return ApplicationFactory(company=seller_a.company)


@pytest.fixture
def foreign_application(seller_b):
    return ApplicationFactory(company=seller_b.company)


@by_name
def test_endpoint_without_authorization_is_401_with_a_bearer_challenge(
    endpoint, anonymous_client, seller_a, own_application
):
    before = database_snapshot()

    response = endpoint.call(
        anonymous_client, application_id=own_application.pk, seller_id=seller_a.company.pk
    )

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response["Content-Type"] == PROBLEM
    assert response.json() == {
        "type": "https://brand-program.example/problems/not-authenticated",
        "title": "Authentication credentials were not provided.",
        "status": 401,
        "code": "not_authenticated",
        "detail": "Authentication credentials were not provided.",
    }
    assert database_snapshot() == before


@by_name
def test_endpoint_with_a_revoked_key_is_401(
    endpoint, partner, partner_client, seller_a, own_application
):
    api_key_revoke(api_key=partner.api_key)
    before = database_snapshot()

    response = endpoint.call(
        partner_client, application_id=own_application.pk, seller_id=seller_a.company.pk
    )

    assert (response.status_code, response["WWW-Authenticate"]) == (401, "Bearer")
    assert response.json() == BAD_KEY
    assert database_snapshot() == before


@by_name
def test_endpoint_with_an_expired_key_is_401(endpoint, issue_key, seller_a, own_application):
    _, raw = issue_key(scopes=ALL_SCOPES, expires_at=timezone.now() - timedelta(minutes=1))
    before = database_snapshot()

    response = endpoint.call(
        client_with_key(raw), application_id=own_application.pk, seller_id=seller_a.company.pk
    )

    assert (response.status_code, response["WWW-Authenticate"]) == (401, "Bearer")
    assert response.json() == BAD_KEY
    assert database_snapshot() == before


def test_bearer_scheme_is_matched_whatever_its_case(partner, seller_a):
    own = ApplicationFactory(company=seller_a.company)

    response = client_with_key(partner.raw_key, scheme="bearer").get(COLLECTION)

    assert (response.status_code, [item["id"] for item in response.json()["results"]]) == (
        200,
        [own.pk],
    )


def test_unknown_key_is_401(seller_a):
    response = client_with_key("bpk_00000000_not-a-real-key").get(COLLECTION)

    assert (response.status_code, response["WWW-Authenticate"]) == (401, "Bearer")
    assert response.json() == BAD_KEY


@by_name
def test_endpoint_with_a_key_lacking_its_scope_is_403_naming_the_scope(
    endpoint, issue_key, seller_a, own_application
):
    _, raw = issue_key(scopes=ALL_SCOPES - {endpoint.scope})
    before = database_snapshot()

    response = endpoint.call(
        client_with_key(raw), application_id=own_application.pk, seller_id=seller_a.company.pk
    )

    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM
    assert response.json() == {
        "type": "https://brand-program.example/problems/insufficient-scope",
        "title": "You do not have permission to perform this action.",
        "status": 403,
        "code": "insufficient_scope",
        "detail": f"This API key does not have the {endpoint.scope} scope.",
    }
    assert database_snapshot() == before


@pytest.mark.parametrize("endpoint", DETAIL_ENDPOINTS, ids=lambda endpoint: endpoint.name)
def test_other_sellers_application_is_404_like_a_missing_one(
    endpoint, partner_client, seller_b, foreign_application
):
    before = database_snapshot()

    response = endpoint.call(
        partner_client, application_id=foreign_application.pk, seller_id=seller_b.company.pk
    )
    missing = endpoint.call(
        partner_client,
        application_id=foreign_application.pk + 1000,
        seller_id=seller_b.company.pk,
    )

    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert response.json() == missing.json() == NOT_FOUND
    assert foreign_application.brand.name.encode() not in response.content
    assert database_snapshot() == before


def test_list_leaves_out_other_sellers_applications(
    partner_client, seller_a, seller_b, own_application, foreign_application
):
    everything = partner_client.get(COLLECTION)
    asking_for_b = partner_client.get(COLLECTION, {"seller": seller_b.company.pk})

    assert [item["id"] for item in everything.json()["results"]] == [own_application.pk]
    assert asking_for_b.status_code == 200
    assert asking_for_b.json()["results"] == []


def test_create_for_another_seller_is_refused_like_an_unknown_seller(partner_client, seller_b):
    before = database_snapshot()

    other = partner_client.post(COLLECTION, application_payload(seller_b.company.pk), format="json")
    unknown = partner_client.post(
        COLLECTION, application_payload(seller_b.company.pk + 1000), format="json"
    )

    assert (other.status_code, unknown.status_code) == (400, 400)
    assert other.json() == unknown.json()
    assert other.json()["errors"] == {"seller": ["Choose a seller company that this key acts for."]}
    assert database_snapshot() == before


def test_seller_key_acts_for_its_own_company_only(seller_a, seller_b, foreign_application):
    _, raw = api_key_issue(name="own", scopes=sorted(ALL_SCOPES), company=seller_b.company)
    own = ApplicationFactory(company=seller_a.company)

    response = client_with_key(raw).get(COLLECTION)
    refused = client_with_key(raw).get(detail_url(own.pk))

    assert [item["id"] for item in response.json()["results"]] == [foreign_application.pk]
    assert (refused.status_code, refused.json()) == (404, NOT_FOUND)
