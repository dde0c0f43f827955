"""The program's roster: the admitted brands in cursor pages for keys with roster:read, and
the managers' CSV."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sellers.models import ApplicationEvent, SellerCompany, Status
from sellers.services.api_keys import api_key_issue, api_key_revoke
from tests.pages import logged_in
from tests.sellers.api.support import client_with_key
from tests.sellers.factories import ApplicationFactory, CategoryFactory, PartnerFactory

URL = "/api/v1/program/brands/"


@pytest.fixture
def storefront(db):
    """A partner organisation whose key reads the roster and manages its webhooks."""
    organization = PartnerFactory(name="Storefront")
    api_key, raw = api_key_issue(
        name="storefront", scopes=["roster:read", "webhooks:manage"], partner=organization
    )
    return organization, api_key, client_with_key(raw)


def _admitted(**fields):
    application = ApplicationFactory(approved=True, **fields)
    ApplicationEvent.objects.create(
        application=application,
        action="approve",
        from_status=Status.IN_REVIEW,
        to_status=Status.APPROVED,
        actor_label="reviewer",
        seller_visible=True,
    )
    return application


def _pages(client, url: str) -> list[list[dict]]:
    pages = []
    while url:
        answer = client.get(url).json()
        pages.append(answer["results"])
        url = answer["next"]
    return pages


def test_the_roster_lists_admitted_and_suspended_brands_in_cursor_pages(
    storefront, seller_a, seller_b
):
    _, _, client = storefront
    toys = CategoryFactory(code="toys-sports", name="Toys and sports goods", nice_classes=[28])
    SellerCompany.objects.filter(pk=seller_a.company.pk).update(tier=SellerCompany.Tier.GOLD)
    first = _admitted(company=seller_a.company, brand__name="BRIGHTLAMP", brand__native_name="亮灯")
    first.categories.add(toys)
    admitted = [first] + [_admitted(company=seller_b.company) for _ in range(3)]
    suspended = _admitted(company=seller_b.company)
    suspended.status = Status.SUSPENDED
    suspended.save(update_fields=["status"])
    for status in ("awaiting_review", "waitlisted", "changes_requested"):
        ApplicationFactory(company=seller_a.company, **{status: True})
    revoked = _admitted(company=seller_a.company)
    revoked.status = Status.REVOKED
    revoked.save(update_fields=["status"])

    pages = _pages(client, f"{URL}?page_size=2")

    assert [len(page) for page in pages] == [2, 2, 1]
    entries = [entry for page in pages for entry in page]
    assert [e["id"] for e in entries] == [a.pk for a in [*admitted, suspended]]
    assert [e["status"] for e in entries] == ["admitted"] * 4 + ["suspended"]
    since = first.events.get().created_at
    assert entries[0] == {
        "id": first.pk,
        "brand": {"id": first.brand_id, "name": "BRIGHTLAMP", "native_name": "亮灯"},
        "company": {
            "id": seller_a.company.pk,
            "legal_name": "Shenzhen Bright Lamp Technology Co., Ltd.",
            "country": "CN",
        },
        "categories": ["lighting-appliances", "toys-sports"],
        "tier": "gold",
        "admitted_since": since.isoformat(),
        "status": "admitted",
    }
    assert entries[1]["tier"] == "standard"


def test_the_roster_takes_the_same_queries_for_one_brand_and_for_fifty(
    storefront, seller_b, django_assert_num_queries
):
    _, _, client = storefront
    _admitted(company=seller_b.company)
    # The key's first use is recorded once; the pages after it are what is compared.
    client.get(URL)
    with CaptureQueriesContext(connection) as one:
        client.get(f"{URL}?page_size=50")
    for _ in range(49):
        _admitted(company=seller_b.company)

    with django_assert_num_queries(len(one.captured_queries)):
        answer = client.get(f"{URL}?page_size=50").json()

    assert len(answer["results"]) == 50


def test_only_keys_with_the_roster_scope_read_it(partner_client, partner, seller_a):
    _admitted(company=seller_a.company)

    refused = partner_client.get(URL)

    assert (refused.status_code, refused.json()["code"]) == (403, "insufficient_scope")
    assert "roster:read" in refused.json()["detail"]
    with pytest.raises(ValidationError) as seller_key:
        api_key_issue(name="erp", scopes=["roster:read"], company=seller_a.company)
    assert "Only partner organisations" in seller_key.value.message_dict["scopes"][0]


def test_a_revoked_partner_key_no_longer_reads_the_roster(storefront, seller_a):
    _, api_key, client = storefront
    application = _admitted(company=seller_a.company)
    assert [e["id"] for e in client.get(URL).json()["results"]] == [application.pk]

    api_key_revoke(api_key=api_key)
    answer = client.get(URL)

    assert answer.status_code == 401
    assert "results" not in answer.json()
    assert seller_a.company.legal_name not in answer.content.decode()


def test_managers_download_the_roster_as_csv_and_reviewers_may_not(
    manager, reviewer, seller_a, seller_b
):
    SellerCompany.objects.filter(pk=seller_b.company.pk).update(tier=SellerCompany.Tier.SILVER)
    one = _admitted(company=seller_a.company, brand__name="BRIGHTLAMP")
    two = _admitted(company=seller_b.company, brand__name="=HARBOR", brand__native_name="港")
    two.status = Status.SUSPENDED
    two.save(update_fields=["status"])
    ApplicationFactory(company=seller_a.company, awaiting_review=True, brand__name="NOTYET")

    response = logged_in(manager).get(reverse("reviews:roster_csv"))
    refused = logged_in(reviewer).get(reverse("reviews:roster_csv"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="roster-')
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        [
            "Brand", "Native-script name", "Company", "Country", "Categories", "Tier",
            "Admitted since", "Status",
        ],
        [
            "BRIGHTLAMP", "", seller_a.company.legal_name, "CN", "lighting-appliances",
            "Standard", one.events.get().created_at.isoformat(), "Admitted",
        ],
        [
            "'=HARBOR", "港", seller_b.company.legal_name, "CN", "lighting-appliances",
            "Silver", two.events.get().created_at.isoformat(), "Suspended",
        ],
    ]  # fmt: skip
    assert refused.status_code == 403
