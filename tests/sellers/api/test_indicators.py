"""Seller indicators written by marketplace systems, with their history."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from sellers.models import IndicatorUpdate, PartnerOrganization, SellerCompany
from sellers.services.api_keys import api_key_issue
from tests.sellers.api.support import PROBLEM, client_with_key, error_paths
from tests.sellers.factories import PartnerFactory


@pytest.fixture
def marketplace(db):
    organization = PartnerFactory(name="Marketplace seller scoring", is_marketplace_system=True)
    api_key, raw = api_key_issue(name="scoring", scopes=["indicators:write"], partner=organization)
    return organization, api_key, client_with_key(raw)


def _url(company_id: int, suffix: str = "indicators/") -> str:
    return f"/api/v1/sellers/{company_id}/{suffix}"


def _indicators(company: SellerCompany) -> tuple:
    company.refresh_from_db()
    return (
        company.tier,
        company.quality_dispute_rate,
        company.nps,
        company.on_time_delivery_rate,
        company.infringement_complaints,
        company.overseas_stock_days,
        company.indicators_measured_on,
    )


def test_a_marketplace_system_updates_indicators_and_the_change_is_kept(marketplace, seller_a):
    organization, api_key, client = marketplace

    response = client.patch(
        _url(seller_a.company.pk),
        {
            "quality_dispute_rate": "0.0042",
            "nps": 61,
            "overseas_stock_days": 21,
            "as_of": "2026-11-01",
        },
        format="json",
    )

    assert response.status_code == 200
    measured = {"quality_dispute_rate": "2026-11-01", "nps": "2026-11-01"}
    measured["overseas_stock_days"] = "2026-11-01"
    assert response.json() == {
        "seller": seller_a.company.pk,
        "tier": "standard",
        "quality_dispute_rate": "0.0042",
        "nps": 61,
        "on_time_delivery_rate": None,
        "infringement_complaints": 0,
        "overseas_stock_days": 21,
        "measured_on": measured,
    }
    assert _indicators(seller_a.company) == (
        "standard", Decimal("0.0042"), 61, None, 0, 21, measured
    )  # fmt: skip
    update = IndicatorUpdate.objects.get()
    assert (update.partner_id, update.api_key_id, str(update.as_of)) == (
        organization.pk,
        api_key.pk,
        "2026-11-01",
    )
    assert update.changes == {
        "quality_dispute_rate": {"from": "0.0000", "to": "0.0042"},
        "nps": {"from": None, "to": 61},
        "overseas_stock_days": {"from": None, "to": 21},
    }
    history = client.get(_url(seller_a.company.pk, "indicator-history/")).json()
    assert [(h["changes"], h["as_of"], h["sent_by"]) for h in history["results"]] == [
        (update.changes, "2026-11-01", f"{organization.name} (API key {api_key.prefix})")
    ]


def test_sending_the_same_values_again_adds_no_history_but_keeps_them_fresh(marketplace, seller_a):
    _, _, client = marketplace

    client.patch(
        _url(seller_a.company.pk),
        {"infringement_complaints": 2, "as_of": "2026-10-31"},
        format="json",
    )
    again = client.patch(
        _url(seller_a.company.pk),
        {"infringement_complaints": 2, "as_of": "2026-11-30"},
        format="json",
    )
    older = client.patch(
        _url(seller_a.company.pk),
        {"infringement_complaints": 2, "as_of": "2026-09-30"},
        format="json",
    )

    assert again.json()["infringement_complaints"] == 2
    assert again.json()["measured_on"] == {"infringement_complaints": "2026-11-30"}
    assert older.json()["measured_on"] == {"infringement_complaints": "2026-11-30"}
    assert IndicatorUpdate.objects.count() == 1


def test_a_partner_still_sending_the_tier_is_told_it_is_computed(marketplace, seller_a):
    _, _, client = marketplace
    before = _indicators(seller_a.company)

    response = client.patch(_url(seller_a.company.pk), {"tier": "gold", "nps": 70}, format="json")

    assert (response.status_code, response["Content-Type"]) == (400, PROBLEM)
    errors = response.json()["errors"]
    assert error_paths(errors) == ["tier"]
    assert "computed each month" in str(errors)
    assert _indicators(seller_a.company) == before
    assert IndicatorUpdate.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"quality_dispute_rate": "1.5"}, ["quality_dispute_rate"]),
        ({"quality_dispute_rate": "-0.1"}, ["quality_dispute_rate"]),
        ({"quality_dispute_rate": "0.12345"}, ["quality_dispute_rate"]),
        ({"on_time_delivery_rate": "abc"}, ["on_time_delivery_rate"]),
        ({"nps": 101}, ["nps"]),
        ({"infringement_complaints": -1}, ["infringement_complaints"]),
        ({"tier": "platinum"}, ["tier"]),
        ({"as_of": "2026-11-01"}, ["non_field_errors"]),
        ({}, ["non_field_errors"]),
        ({"overseas_stock_days": -3}, ["overseas_stock_days"]),
    ],
)
def test_bad_indicator_values_are_refused_and_change_nothing(marketplace, seller_a, body, fields):
    _, _, client = marketplace
    before = _indicators(seller_a.company)

    response = client.patch(_url(seller_a.company.pk), body, format="json")

    assert (response.status_code, response["Content-Type"]) == (400, PROBLEM)
    assert error_paths(response.json()["errors"]) == fields
    assert _indicators(seller_a.company) == before
    assert IndicatorUpdate.objects.count() == 0


def test_an_unknown_seller_answers_404(marketplace):
    _, _, client = marketplace

    response = client.patch(_url(999999), {"nps": 10}, format="json")

    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_only_marketplace_systems_can_be_given_the_scope(partner, seller_a):
    with pytest.raises(ValidationError) as refused:
        api_key_issue(name="x", scopes=["indicators:write"], partner=partner.organization)
    with pytest.raises(ValidationError):
        api_key_issue(name="x", scopes=["indicators:write"], company=seller_a.company)

    assert "marketplace systems" in refused.value.message_dict["scopes"][0]


def test_a_key_whose_organisation_is_no_longer_a_marketplace_system_is_refused(
    marketplace, seller_a
):
    organization, _, client = marketplace
    PartnerOrganization.objects.filter(pk=organization.pk).update(is_marketplace_system=False)
    before = _indicators(seller_a.company)

    answers = [
        client.patch(_url(seller_a.company.pk), {"nps": 10}, format="json"),
        client.get(_url(seller_a.company.pk)),
    ]

    assert [(r.status_code, r.json()["code"]) for r in answers] == [
        (403, "insufficient_scope"),
        (403, "insufficient_scope"),
    ]
    assert _indicators(seller_a.company) == before


def test_an_agency_key_cannot_read_or_write_indicators(partner_client, seller_a):
    before = _indicators(seller_a.company)

    response = partner_client.patch(_url(seller_a.company.pk), {"nps": 10}, format="json")

    assert (response.status_code, response.json()["code"]) == (403, "insufficient_scope")
    assert _indicators(seller_a.company) == before
