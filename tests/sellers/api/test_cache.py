"""Reads of one application are answered from the shared cache, and every change voids them."""

import datetime
from types import SimpleNamespace

import pytest
import redis
from django.test import RequestFactory
from django.utils import timezone, translation

from brandprogram import shared_cache
from sellers.api import cache as api_cache
from sellers.models import Category, PartnerGrant, Status, TrademarkVerificationCode
from sellers.services.api_keys import api_key_issue, api_key_revoke
from sellers.services.partners import partner_grant_issue, partner_grant_revoke
from sellers.workflow.transition import application_transition
from tests.sellers.api.support import client_with_key, detail_url
from tests.sellers.factories import ApplicationFactory, PartnerFactory


@pytest.fixture
def draft(seller_a):
    return ApplicationFactory(company=seller_a.company, brand__name="BRIGHTLAMP")


def _cache_full(*args, **kwargs):
    # What Redis answers writes when it is full and may evict nothing (noeviction).
    raise redis.ResponseError("OOM command not allowed when used memory > 'maxmemory'")


def _read(client, application):
    response = client.get(detail_url(application.pk))
    assert response.status_code == 200, response.content
    return response


def test_a_repeated_read_costs_no_query_and_answers_the_same(
    partner_client, draft, django_assert_num_queries
):
    # The first read sets the application's token, the second stores the answer against it.
    first = _read(partner_client, draft)
    _read(partner_client, draft)

    with django_assert_num_queries(0):
        again = _read(partner_client, draft)

    assert again.content == first.content
    assert (again["ETag"], again["Content-Type"]) == (first["ETag"], "application/json")
    assert again.json()["brand"]["name"] == "BRIGHTLAMP"


def test_an_answer_read_fresh_is_sent_as_its_stored_copy_is(partner_client, draft):
    _read(partner_client, draft)
    fresh = _read(partner_client, draft)

    stored = _read(partner_client, draft)

    # Each request has an id of its own.
    assert fresh.content == stored.content
    assert {**fresh.headers, "X-Request-ID": ""} == {**stored.headers, "X-Request-ID": ""}


def test_reading_ids_that_do_not_exist_leaves_nothing_in_the_cache(partner_client, draft):
    # Far beyond any id a test database reaches, whose tokens the shared cache may still hold.
    missing = [9_000_000_000_000 + draft.pk, 9_000_000_000_001 + draft.pk]

    answers = [partner_client.get(detail_url(pk)).status_code for pk in missing]

    tokens = shared_cache.Exchange(reads=[f"api:application:{pk}:token" for pk in missing]).run()
    assert answers == [404, 404]
    assert list(tokens.values.values()) == [None, None]


def test_a_write_succeeds_when_the_cache_refuses_to_void_answers(monkeypatch, draft, caplog):
    monkeypatch.setattr(shared_cache, "token_renew", _cache_full)

    draft.brand.native_name = "明灯"
    draft.brand.save()

    draft.brand.refresh_from_db()
    assert draft.brand.native_name == "明灯"
    assert "cached API answers not voided" in caplog.text


def test_each_change_to_what_the_answer_shows_is_read_at_once(partner_client, seller_a, draft):
    _read(partner_client, draft)

    application_transition(application_id=draft.pk, action="submit", actor=seller_a.actor)
    assert _read(partner_client, draft).json()["status"] == "under_review"

    draft.brand.native_name = "明灯"
    draft.brand.save()
    assert _read(partner_client, draft).json()["brand"]["native_name"] == "明灯"

    draft.trademark.owner_name = "Bright Lamp Holdings Ltd."
    draft.trademark.save()
    assert _read(partner_client, draft).json()["trademark"]["owner_name"] == (
        "Bright Lamp Holdings Ltd."
    )

    lighting = Category.objects.create(code="lamps-outdoor", name="Outdoor lamps")
    draft.categories.add(lighting)
    assert "lamps-outdoor" in _read(partner_client, draft).json()["categories"]

    draft.company.legal_name = "Shenzhen Bright Lamp Group Co., Ltd."
    draft.company.save()
    assert _read(partner_client, draft).json()["seller"]["legal_name"] == (
        "Shenzhen Bright Lamp Group Co., Ltd."
    )


def test_a_read_succeeds_when_the_cache_refuses_to_keep_its_answer(
    monkeypatch, partner_client, draft, caplog
):
    monkeypatch.setattr(shared_cache, "store", _cache_full)

    answers = [_read(partner_client, draft).json()["id"] for _ in range(2)]

    assert answers == [draft.pk, draft.pk]
    assert "API answer not cached" in caplog.text


def test_an_answer_rendered_from_rows_a_write_was_replacing_is_never_served(partner_client, draft):
    _read(partner_client, draft)
    with translation.override("en"):
        variant = api_cache.answer_variant(RequestFactory().get("/"))
    # A reader took the tokens, then read the rows while a write replaced them...
    # The parts of a request and its PartnerCall that the cache reads.
    reader = SimpleNamespace(
        user=SimpleNamespace(
            shared=shared_cache.Exchange(reads=api_cache.prefetch_reads(draft.pk, variant)).run(),
            answer_variant=variant,
        ),
        accepted_media_type="application/json",
    )
    tokens = api_cache.tokens_before_read(reader, draft.pk)
    draft.brand.native_name = "新明灯"
    draft.brand.save()
    # ...and stored what it rendered from the old rows after the write had committed.
    api_cache.answer_keep(
        reader,
        application_id=draft.pk,
        company_id=draft.company_id,
        body=b'{"brand": {"native_name": ""}}',
        etag='"old"',
        tokens=tokens,
    )

    answer = _read(partner_client, draft)

    assert tokens is not None
    assert answer.json()["brand"]["native_name"] == "新明灯"
    assert answer["ETag"] != '"old"'


def test_a_revoked_key_is_refused_although_its_process_remembers_it(partner_client, partner, draft):
    _read(partner_client, draft)

    api_key_revoke(api_key=partner.api_key)

    refused = partner_client.get(detail_url(draft.pk))
    assert (refused.status_code, refused.json()["code"]) == (401, "authentication_failed")


def test_a_withdrawn_grant_hides_the_cached_answer(partner_client, partner, seller_a, draft):
    _read(partner_client, draft)
    grant = PartnerGrant.objects.get(partner=partner.organization, company=seller_a.company)

    partner_grant_revoke(actor=seller_a.actor, grant_id=grant.pk)

    hidden = partner_client.get(detail_url(draft.pk))
    assert (hidden.status_code, hidden.json()["code"]) == (404, "not_found")


def test_another_partners_key_never_gets_the_cached_answer(partner_client, seller_b, draft):
    _read(partner_client, draft)
    other = PartnerFactory(name="Other Agency")
    partner_grant_issue(partner=other, company=seller_b.company, actor=seller_b.actor)
    _, raw = api_key_issue(name="other", scopes=["applications:read"], partner=other)

    foreign = client_with_key(raw).get(detail_url(draft.pk))

    assert (foreign.status_code, foreign.json()["code"]) == (404, "not_found")
    assert b"BRIGHTLAMP" not in foreign.content


def test_each_language_gets_its_own_answer(partner_client, draft):
    english = _read(partner_client, draft).json()["status_label"]

    chinese = partner_client.get(detail_url(draft.pk), HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert (english, chinese.json()["status_label"]) == ("Draft", "草稿")
    assert draft.status == Status.DRAFT


def test_proving_record_control_voids_the_cached_answer(partner_client, draft):
    _read(partner_client, draft)
    assert _read(partner_client, draft).json()["trademark"]["record_control_verified_at"] is None
    code = TrademarkVerificationCode.objects.create(
        trademark=draft.trademark,
        office=draft.trademark.office,
        number=draft.trademark.number,
        code_hash="0" * 64,
        sent_to="tm@bright-lamp.example",
        record_source="test",
        requested_by_label="seller A",
        expires_at=timezone.now() + datetime.timedelta(minutes=10),
    )
    _read(partner_client, draft)

    code.verified_at = datetime.datetime(2026, 11, 20, 8, 30, tzinfo=datetime.UTC)
    code.save(update_fields=["verified_at"])

    shown = _read(partner_client, draft).json()["trademark"]
    assert (shown["id"], shown["record_control_verified_at"]) == (
        draft.trademark_id,
        "2026-11-20T08:30:00Z",
    )


def test_a_read_asking_for_indented_json_gets_it_and_is_not_cached(partner_client, draft):
    # The second plain read leaves the plain answer in the cache.
    _read(partner_client, draft)
    plain = _read(partner_client, draft).json()

    indented = [
        partner_client.get(detail_url(draft.pk), HTTP_ACCEPT="application/json; indent=2")
        for _ in range(3)
    ]

    for response in indented:
        assert response.status_code == 200
        assert response.content.startswith(b'{\n  "id": ')
        assert response.json() == plain
