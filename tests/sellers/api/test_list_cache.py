"""Pages of the application list are answered from the shared cache while nothing their reader
sees has changed; every change to one of its applications is in the very next page read."""

from types import SimpleNamespace

import pytest
import redis
from django.test import RequestFactory
from django.utils import translation
from rest_framework.response import Response

from brandprogram import shared_cache
from sellers.api import cache as api_cache
from sellers.models import Category, PartnerGrant
from sellers.services.api_keys import api_key_issue, api_key_revoke
from sellers.services.partners import partner_grant_issue, partner_grant_revoke
from sellers.workflow.transition import application_transition
from tests.sellers.api.support import COLLECTION, client_with_key
from tests.sellers.factories import ApplicationFactory, PartnerFactory


@pytest.fixture
def draft(seller_a):
    return ApplicationFactory(company=seller_a.company, brand__name="BRIGHTLAMP")


@pytest.fixture
def harbor_draft(seller_b):
    return ApplicationFactory(company=seller_b.company, brand__name="HARBORWARE")


def _page(client, params=None) -> dict:
    response = client.get(COLLECTION, params or {})
    assert response.status_code == 200, response.content
    return response.json()


def _shown(client) -> dict[str, dict]:
    return {item["brand"]["name"]: item for item in _page(client)["results"]}


def _follow(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()


def _cached(client, params=None) -> dict:
    """Read the page until it is stored: the first read sets the sellers' tokens, the second
    stores the page against them."""
    _page(client, params)
    return _page(client, params)


def test_a_repeated_list_read_costs_no_query_and_answers_the_same(
    partner_client, draft, django_assert_num_queries
):
    first = partner_client.get(COLLECTION)
    partner_client.get(COLLECTION)

    with django_assert_num_queries(0):
        again = partner_client.get(COLLECTION)

    assert again.content == first.content
    assert again["Content-Type"] == "application/json"
    assert [item["id"] for item in again.json()["results"]] == [draft.pk]


def test_each_filter_and_page_is_kept_apart(partner_client, seller_a, draft):
    other = ApplicationFactory(company=seller_a.company, brand__name="DIMLAMP")
    application_transition(application_id=other.pk, action="submit", actor=seller_a.actor)
    _cached(partner_client)
    _cached(partner_client, {"status": "draft"})

    everything = _page(partner_client)
    drafts = _page(partner_client, {"status": "draft"})
    first = _page(partner_client, {"page_size": 1})

    assert [item["id"] for item in everything["results"]] == [other.pk, draft.pk]
    assert [item["id"] for item in drafts["results"]] == [draft.pk]
    assert [item["id"] for item in first["results"]] == [other.pk]
    second = _follow(partner_client, first["next"])
    assert [item["id"] for item in second["results"]] == [draft.pk]


def test_each_change_to_a_listed_application_is_in_the_next_page(partner_client, seller_a, draft):
    _cached(partner_client)

    application_transition(application_id=draft.pk, action="submit", actor=seller_a.actor)
    assert _shown(partner_client)["BRIGHTLAMP"]["status"] == "under_review"

    draft.brand.native_name = "明灯"
    draft.brand.save()
    assert _shown(partner_client)["BRIGHTLAMP"]["brand"]["native_name"] == "明灯"

    draft.trademark.owner_name = "Bright Lamp Holdings Ltd."
    draft.trademark.save()
    assert _shown(partner_client)["BRIGHTLAMP"]["trademark"]["owner_name"] == (
        "Bright Lamp Holdings Ltd."
    )

    outdoor = Category.objects.create(code="lamps-outdoor", name="Outdoor lamps")
    outdoor.applications.add(draft)
    assert "lamps-outdoor" in _shown(partner_client)["BRIGHTLAMP"]["categories"]

    draft.company.legal_name = "Shenzhen Bright Lamp Group Co., Ltd."
    draft.company.save()
    assert _shown(partner_client)["BRIGHTLAMP"]["seller"]["legal_name"] == (
        "Shenzhen Bright Lamp Group Co., Ltd."
    )

    added = ApplicationFactory(
        company=seller_a.company, brand__name="NIGHTLAMP", with_evidence=False
    )
    assert set(_shown(partner_client)) == {"BRIGHTLAMP", "NIGHTLAMP"}

    added.delete()
    assert set(_shown(partner_client)) == {"BRIGHTLAMP"}


def test_an_edit_through_the_api_is_in_the_next_page(partner_client, draft):
    _cached(partner_client)
    etag = partner_client.get(f"{COLLECTION}{draft.pk}/")["ETag"]

    edited = partner_client.patch(
        f"{COLLECTION}{draft.pk}/",
        {"brand": {"native_name": "明灯"}},
        format="json",
        HTTP_IF_MATCH=etag,
    )

    assert edited.status_code == 200, edited.content
    assert _shown(partner_client)["BRIGHTLAMP"]["brand"]["native_name"] == "明灯"


def test_another_companys_application_never_reaches_the_page(
    partner_client, seller_b, draft, harbor_draft
):
    _cached(partner_client)

    application_transition(application_id=harbor_draft.pk, action="submit", actor=seller_b.actor)
    harbor_draft.brand.native_name = "港湾"
    harbor_draft.brand.save()

    assert set(_shown(partner_client)) == {"BRIGHTLAMP"}


def test_a_key_acting_for_more_sellers_gets_a_page_of_its_own(
    partner_client, seller_a, seller_b, draft, harbor_draft
):
    _cached(partner_client)
    wider = PartnerFactory(name="Two Harbours Agency")
    partner_grant_issue(partner=wider, company=seller_a.company, actor=seller_a.actor)
    partner_grant_issue(partner=wider, company=seller_b.company, actor=seller_b.actor)
    _, raw = api_key_issue(name="wider", scopes=["applications:read"], partner=wider)
    wider_client = client_with_key(raw)
    _cached(wider_client)

    assert set(_shown(wider_client)) == {"BRIGHTLAMP", "HARBORWARE"}
    assert set(_shown(partner_client)) == {"BRIGHTLAMP"}


def test_a_withdrawn_grant_empties_the_cached_page(partner_client, partner, seller_a, draft):
    _cached(partner_client)
    grant = PartnerGrant.objects.get(partner=partner.organization, company=seller_a.company)

    partner_grant_revoke(actor=seller_a.actor, grant_id=grant.pk)

    assert _page(partner_client)["results"] == []


def test_a_revoked_key_gets_no_cached_page(partner_client, partner, draft):
    _cached(partner_client)

    api_key_revoke(api_key=partner.api_key)

    refused = partner_client.get(COLLECTION)
    assert (refused.status_code, refused.json()["code"]) == (401, "authentication_failed")
    assert b"BRIGHTLAMP" not in refused.content


def test_each_language_gets_its_own_page(partner_client, draft):
    _cached(partner_client)

    chinese = partner_client.get(COLLECTION, HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert chinese.json()["results"][0]["status_label"] == "草稿"
    assert _page(partner_client)["results"][0]["status_label"] == "Draft"


def test_a_page_rendered_from_rows_a_write_was_replacing_is_never_served(partner_client, draft):
    _cached(partner_client)
    # The parts of a request and its PartnerCall that the cache reads.
    request = RequestFactory().get(COLLECTION)
    request.accepted_media_type = "application/json"
    request.user = SimpleNamespace(
        shared=shared_cache.Exchange(reads=api_cache.prefetch_reads(None, "")).run(),
        actor=SimpleNamespace(company_ids=frozenset({draft.company_id})),
    )
    # A reader took the versions, then read the rows while a write replaced them...
    with translation.override("en"):
        read = api_cache.list_read(request)
    draft.brand.native_name = "新明灯"
    draft.brand.save()
    # ...and stored what it rendered from the old rows after the write had committed.
    api_cache.list_keep(read, Response({"next": None, "previous": None, "results": []}))

    page = _page(partner_client)

    assert read.version is not None
    assert page["results"][0]["brand"]["native_name"] == "新明灯"


def test_a_list_read_succeeds_when_the_cache_refuses_to_keep_its_page(
    monkeypatch, partner_client, draft, caplog
):
    def full(*args, **kwargs):
        raise redis.ResponseError("OOM command not allowed when used memory > 'maxmemory'")

    monkeypatch.setattr(shared_cache, "store", full)

    pages = [_page(partner_client)["results"][0]["id"] for _ in range(3)]

    assert pages == [draft.pk] * 3
    assert "API list page not cached" in caplog.text


def test_a_repeated_list_read_makes_one_round_trip_to_the_cache(monkeypatch, partner_client, draft):
    _cached(partner_client)
    sent = []
    execute = shared_cache._execute

    def counted(commands):
        sent.append(commands)
        return execute(commands)

    monkeypatch.setattr(shared_cache, "_execute", counted)

    page = _page(partner_client)

    assert [item["id"] for item in page["results"]] == [draft.pk]
    assert len(sent) == 1


def test_a_page_of_two_sellers_is_not_served_once_one_grant_is_withdrawn(
    seller_a, seller_b, draft, harbor_draft
):
    wider = PartnerFactory(name="Two Harbours Agency")
    partner_grant_issue(partner=wider, company=seller_a.company, actor=seller_a.actor)
    grant = partner_grant_issue(partner=wider, company=seller_b.company, actor=seller_b.actor)
    _, raw = api_key_issue(name="wider", scopes=["applications:read"], partner=wider)
    wider_client = client_with_key(raw)
    _cached(wider_client)

    partner_grant_revoke(actor=seller_b.actor, grant_id=grant.pk)

    assert set(_shown(wider_client)) == {"BRIGHTLAMP"}
