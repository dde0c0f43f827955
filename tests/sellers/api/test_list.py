"""The application list: constant queries, filters, and cursor pagination."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sellers.models import Application, Status
from sellers.services.partners import partner_grant_issue
from tests.sellers.api.support import COLLECTION
from tests.sellers.factories import ApplicationFactory, OwnerFactory

# The page's applications with their categories, found by their ids in a subquery; the key and
# its grants are remembered by the process from an earlier request.
LIST_QUERIES = 1


def _ids(response) -> list[int]:
    return [item["id"] for item in response.json()["results"]]


def test_list_runs_the_same_queries_for_one_and_fifty_applications(
    partner_client, seller_a, django_assert_num_queries
):
    ApplicationFactory(company=seller_a.company, with_evidence=False)
    # A key's first request reads the key and records when it was used; keep that out.
    partner_client.get(COLLECTION)

    with django_assert_num_queries(LIST_QUERIES):
        one = partner_client.get(COLLECTION, {"page_size": 50})
    ApplicationFactory.create_batch(49, company=seller_a.company, with_evidence=False)
    # The factories made programs and categories, which has every process read its keys again.
    partner_client.get(COLLECTION)
    with django_assert_num_queries(LIST_QUERIES):
        fifty = partner_client.get(COLLECTION, {"page_size": 50})

    assert (len(_ids(one)), len(_ids(fifty))) == (1, 50)
    assert set(_ids(fifty)) == set(
        Application.objects.filter(company=seller_a.company).values_list("pk", flat=True)
    )


def test_list_filters_by_seller_facing_status(partner_client, seller_a):
    by_status = {
        status: ApplicationFactory(company=seller_a.company, status=status, with_evidence=False)
        for status in (Status.DRAFT, Status.SCREENING, Status.IN_REVIEW, Status.APPROVED)
    }

    under_review = partner_client.get(COLLECTION, {"status": "under_review"})
    admitted = partner_client.get(COLLECTION, {"status": "admitted"})
    revoked = partner_client.get(COLLECTION, {"status": "revoked"})

    assert sorted(_ids(under_review)) == sorted(
        [by_status[Status.SCREENING].pk, by_status[Status.IN_REVIEW].pk]
    )
    assert {item["status"] for item in under_review.json()["results"]} == {"under_review"}
    assert _ids(admitted) == [by_status[Status.APPROVED].pk]
    assert _ids(revoked) == []


def test_list_filters_by_seller(partner_client, partner, seller_a):
    second = OwnerFactory(company__legal_name="Yiwu Second Seller Co., Ltd.")
    partner_grant_issue(partner=partner.organization, company=second.company, actor=seller_a.actor)
    mine = ApplicationFactory(company=seller_a.company, with_evidence=False)
    theirs = ApplicationFactory(company=second.company, with_evidence=False)

    everything = partner_client.get(COLLECTION)
    only_second = partner_client.get(COLLECTION, {"seller": second.company.pk})

    assert _ids(everything) == [theirs.pk, mine.pk]
    assert _ids(only_second) == [theirs.pk]


def test_list_filters_by_update_time(partner_client, seller_a):
    stale = ApplicationFactory(company=seller_a.company, with_evidence=False)
    fresh = ApplicationFactory(company=seller_a.company, with_evidence=False)
    # update() skips auto_now, so the row can be dated in the past.
    Application.objects.filter(pk=stale.pk).update(updated_at=timezone.now() - timedelta(days=30))
    since = (timezone.now() - timedelta(days=1)).isoformat()

    response = partner_client.get(COLLECTION, {"updated_since": since})

    assert _ids(response) == [fresh.pk]


def test_list_reads_a_naive_update_time_as_server_time(partner_client, seller_a):
    ApplicationFactory(company=seller_a.company, with_evidence=False)
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = partner_client.get(COLLECTION, {"updated_since": f"{tomorrow}T00:00:00"})

    assert (response.status_code, _ids(response)) == (200, [])


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"updated_since": "last tuesday"}, "updated_since"),
        ({"status": "in_review"}, "status"),
        ({"seller": "seller-a"}, "seller"),
    ],
    ids=["unparseable-time", "internal-status", "non-numeric-seller"],
)
def test_list_with_a_bad_filter_is_a_400_problem_naming_it(params, field, partner_client, seller_a):
    ApplicationFactory(company=seller_a.company, with_evidence=False)

    response = partner_client.get(COLLECTION, params)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert (response.json()["code"], list(response.json()["errors"])) == ("invalid", [field])


def test_list_pages_return_every_application_exactly_once(partner_client, seller_a):
    created = ApplicationFactory.create_batch(25, company=seller_a.company, with_evidence=False)
    # Several rows share one update time, so the pagination must break ties by id.
    Application.objects.filter(pk__in=[a.pk for a in created[:10]]).update(
        updated_at=timezone.now()
    )
    seen, pages = [], 0
    url, params = COLLECTION, {"page_size": 7}

    while url:
        response = partner_client.get(url, params)
        body = response.json()
        seen += [item["id"] for item in body["results"]]
        url, params, pages = body["next"], None, pages + 1

    assert pages == 4
    assert len(seen) == len(set(seen)) == 25
    assert set(seen) == {application.pk for application in created}
    assert seen == list(
        Application.objects.order_by("-updated_at", "-pk").values_list("pk", flat=True)
    )


def test_the_page_is_found_from_the_columns_its_order_needs(partner_client, seller_a):
    ApplicationFactory.create_batch(3, company=seller_a.company, with_evidence=False)
    partner_client.get(COLLECTION)

    with CaptureQueriesContext(connection) as queries:
        page = partner_client.get(COLLECTION, {"page_size": 2})

    # One query, whose page of ids is a subquery that reads only what
    # application_company_changes holds, so the ids never need the table.
    (query,) = queries.captured_queries
    assert 'IN (SELECT "U0"."id" AS "pk" FROM "sellers_application" "U0" WHERE' in query["sql"]
    assert 'ORDER BY "U0"."updated_at" DESC, 1 DESC LIMIT 3)' in query["sql"]
    newest = Application.objects.order_by("-updated_at", "-pk").values_list("pk", flat=True)
    assert _ids(page) == list(newest[:2])
    assert page.json()["results"][0]["brand"]["name"]
