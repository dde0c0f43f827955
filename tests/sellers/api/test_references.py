"""Read-only resources: brands, trademarks, facilities, grants and screening results."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reviews.models import CheckResult, ScreeningRun
from sellers.models import AuthorizationLink, Certification, Facility, PartnerGrant
from sellers.services.api_keys import api_key_issue
from sellers.services.partners import partner_grant_issue
from tests.sellers.api.support import client_with_key, detail_url, iso
from tests.sellers.factories import (
    ApplicationFactory,
    BrandFactory,
    PartnerFactory,
    TrademarkFactory,
)

NOT_FOUND = {
    "type": "https://brand-program.example/problems/not-found",
    "title": "Not found.",
    "status": 404,
    "code": "not_found",
    "detail": "No such object, or it is not yours.",
}


def _trademark_with_chain(company, brand_name="BRIGHTLAMP"):
    mark = TrademarkFactory(
        brand__company=company,
        brand__name=brand_name,
        brand__native_name="明灯",
        number="7812345",
        expires_on=datetime.date(2036, 6, 30),
    )
    AuthorizationLink.objects.create(
        trademark=mark,
        position=1,
        grantor_name="Bright Lamp Holdings Ltd.",
        grantee_name=company.legal_name,
        product_scope="Desk and floor lamps",
        territory="United States",
        valid_from=datetime.date(2025, 1, 1),
        valid_until=datetime.date(2030, 12, 31),
    )
    return mark


def _facility(company, name="Dongguan Lamp Works"):
    facility = Facility.objects.create(
        company=company,
        manufacturer_name=name,
        country="CN",
        ownership=Facility.Ownership.CONTRACT,
        monthly_capacity_units=12000,
    )
    Certification.objects.create(
        facility=facility,
        standard="ISO 9001",
        number="CN-QMS-2291",
        issuer="TÜV Rheinland",
        scope="Lamps",
        expires_on=datetime.date(2027, 3, 1),
    )
    return facility


def test_brands_list_the_sellers_brands_with_their_trademarks(partner_client, seller_a, seller_b):
    mark = _trademark_with_chain(seller_a.company)
    BrandFactory(company=seller_b.company, name="HARBOR")

    response = partner_client.get("/api/v1/brands/")

    assert response.status_code == 200
    assert response.json() == {
        "next": None,
        "previous": None,
        "results": [
            {
                "id": mark.brand.pk,
                "seller": {"id": seller_a.company.pk, "legal_name": seller_a.company.legal_name},
                "name": "BRIGHTLAMP",
                "native_name": "明灯",
                "trademarks": [{"id": mark.pk, "office": "USPTO", "number": "7812345"}],
                "created_at": iso(mark.brand.created_at),
            }
        ],
    }


def test_trademark_detail_shows_the_authorization_chain(partner_client, seller_a):
    mark = _trademark_with_chain(seller_a.company)

    response = partner_client.get(f"/api/v1/trademarks/{mark.pk}/")

    assert response.status_code == 200
    assert response.json() == {
        "id": mark.pk,
        "brand": {"id": mark.brand.pk, "name": "BRIGHTLAMP"},
        "office": "USPTO",
        "number": "7812345",
        "registration_status": "registered",
        "mark_type": "word",
        "nice_classes": [11],
        "owner_name": seller_a.company.legal_name,
        "expires_on": "2036-06-30",
        "authorization_links": [
            {
                "position": 1,
                "grantor_name": "Bright Lamp Holdings Ltd.",
                "grantee_name": seller_a.company.legal_name,
                "product_scope": "Desk and floor lamps",
                "territory": "United States",
                "valid_from": "2025-01-01",
                "valid_until": "2030-12-31",
            }
        ],
        "record_control_verified_at": None,
    }


def test_facility_detail_shows_certifications(partner_client, seller_a):
    facility = _facility(seller_a.company)

    response = partner_client.get(f"/api/v1/facilities/{facility.pk}/")

    assert response.status_code == 200
    assert response.json() == {
        "id": facility.pk,
        "seller": {"id": seller_a.company.pk, "legal_name": seller_a.company.legal_name},
        "manufacturer_name": "Dongguan Lamp Works",
        "country": "CN",
        "ownership": "contract",
        "monthly_capacity_units": 12000,
        "certifications": [
            {
                "standard": "ISO 9001",
                "number": "CN-QMS-2291",
                "issuer": "TÜV Rheinland",
                "scope": "Lamps",
                "expires_on": "2027-03-01",
            }
        ],
    }


@pytest.mark.parametrize("kind", ["brands", "trademarks", "facilities"])
def test_other_sellers_objects_are_404_like_missing_ones(partner_client, seller_b, kind):
    objects = {
        "brands": lambda: _trademark_with_chain(seller_b.company).brand,
        "trademarks": lambda: _trademark_with_chain(seller_b.company),
        "facilities": lambda: _facility(seller_b.company),
    }
    foreign = objects[kind]()

    response = partner_client.get(f"/api/v1/{kind}/{foreign.pk}/")
    missing = partner_client.get(f"/api/v1/{kind}/{foreign.pk + 1000}/")
    listed = partner_client.get(f"/api/v1/{kind}/")

    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert missing.json() == NOT_FOUND
    assert listed.json()["results"] == []


@pytest.mark.parametrize("kind", ["brands", "trademarks", "facilities"])
def test_lists_cost_the_same_queries_for_one_and_many_items(partner_client, seller_a, kind):
    def add(count):
        start = Facility.objects.count()
        for number in range(start, start + count):
            _trademark_with_chain(seller_a.company, brand_name=f"LAMP{number}")
            _facility(seller_a.company, name=f"Works {number}")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert partner_client.get(f"/api/v1/{kind}/").status_code == 200
        return len(captured)

    add(1)
    partner_client.get("/api/v1/grants/")  # the key's last use is recorded once a minute
    one = queries()
    add(30)

    assert queries() == one


def test_grants_list_the_sellers_that_allowed_the_partner(partner, partner_client, seller_a):
    other_partner = PartnerFactory(name="Other Agency")
    partner_grant_issue(partner=other_partner, company=seller_a.company, actor=seller_a.actor)
    grant = PartnerGrant.objects.get(partner=partner.organization)

    response = partner_client.get("/api/v1/grants/")

    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "id": grant.pk,
            "seller": {"id": seller_a.company.pk, "legal_name": seller_a.company.legal_name},
            "partner": {"id": partner.organization.pk, "name": "Silk Road Brand Services"},
            "granted_at": iso(grant.granted_at),
        }
    ]


def test_revoked_grant_is_not_listed_and_its_data_is_gone(partner, partner_client, seller_a):
    application = ApplicationFactory(company=seller_a.company)
    PartnerGrant.objects.update(revoked_at=timezone.now())

    grants = partner_client.get("/api/v1/grants/")
    detail = partner_client.get(detail_url(application.pk))

    assert grants.json()["results"] == []
    assert (detail.status_code, detail.json()) == (404, NOT_FOUND)


def test_seller_key_lists_the_partners_its_company_allowed(partner, seller_a):
    _, raw = api_key_issue(name="own", scopes=["applications:read"], company=seller_a.company)

    response = client_with_key(raw).get("/api/v1/grants/")

    assert [item["partner"]["name"] for item in response.json()["results"]] == [
        "Silk Road Brand Services"
    ]


def _run(application, *, state, finished_at=None, results=()):
    run = ScreeningRun.objects.create(
        application=application,
        state=state,
        risk_score=70,
        route=ScreeningRun.Route.SENIOR,
        check_codes=[code for code, *_ in results],
        finished_at=finished_at,
    )
    for code, outcome, explanation in results:
        CheckResult.objects.create(
            run=run,
            check_code=code,
            outcome=outcome,
            score=35,
            explanation=explanation,
            evidence={"registry": "USPTO"},
            flags=["owner_mismatch"],
            source="local registry mirror",
            data_version="2026-11",
            duration_ms=12,
        )
    return run


def test_screening_shows_the_latest_completed_run_without_scores(partner_client, seller_a):
    application = ApplicationFactory(company=seller_a.company)
    _run(
        application,
        state=ScreeningRun.State.COMPLETED,
        finished_at=timezone.now() - datetime.timedelta(days=2),
        results=[("trademark_coverage", "fail", "Old run.")],
    )
    latest = _run(
        application,
        state=ScreeningRun.State.COMPLETED,
        finished_at=timezone.now() - datetime.timedelta(days=1),
        results=[
            ("trademark_coverage", "warn", "Class 11 covers lamps; class 21 is missing."),
            ("registration_numbers", "pass", "The company number is well formed."),
        ],
    )
    _run(application, state=ScreeningRun.State.RUNNING)

    response = partner_client.get(detail_url(application.pk, "screening/"))

    assert response.status_code == 200
    assert response.json() == {
        "application": application.pk,
        "completed_at": iso(latest.finished_at),
        "results": [
            {
                "check": "registration_numbers",
                "outcome": "pass",
                "explanation": "The company number is well formed.",
            },
            {
                "check": "trademark_coverage",
                "outcome": "warn",
                "explanation": "Class 11 covers lamps; class 21 is missing.",
            },
        ],
    }
    for private in (b"risk", b"score", b"owner_mismatch", b"registry mirror", b"senior"):
        assert private not in response.content


def test_screening_before_any_completed_run_is_empty(partner_client, seller_a):
    application = ApplicationFactory(company=seller_a.company)

    response = partner_client.get(detail_url(application.pk, "screening/"))

    assert response.json() == {"application": application.pk, "completed_at": None, "results": []}


def test_screening_of_another_sellers_application_is_404(partner_client, seller_b):
    application = ApplicationFactory(company=seller_b.company)
    _run(
        application,
        state=ScreeningRun.State.COMPLETED,
        finished_at=timezone.now(),
        results=[("trademark_coverage", "warn", "Secret finding.")],
    )

    response = partner_client.get(detail_url(application.pk, "screening/"))

    assert (response.status_code, response.json()) == (404, NOT_FOUND)


@pytest.mark.parametrize("kind", ["brands", "trademarks", "facilities"])
def test_list_items_read_the_same_as_their_detail(partner_client, seller_a, kind):
    _trademark_with_chain(seller_a.company)
    _facility(seller_a.company)

    listed = partner_client.get(f"/api/v1/{kind}/").json()["results"]
    details = [partner_client.get(f"/api/v1/{kind}/{item['id']}/").json() for item in listed]

    assert len(listed) == 1
    assert details == listed
