"""GET /api/v1/categories/: every category with the evidence it asks for and the file types."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from sellers.models import Category, CategoryRequirement
from sellers.services.api_keys import api_key_issue
from tests.sellers.api.support import client_with_key
from tests.sellers.factories import CategoryFactory

FILE_TYPES = [
    {"media_type": "application/pdf", "name": "PDF"},
    {"media_type": "image/jpeg", "name": "JPEG"},
    {"media_type": "image/png", "name": "PNG"},
    {"media_type": "image/webp", "name": "WebP"},
]


def test_categories_list_their_required_evidence_and_file_types(partner_client, lighting):
    toys = CategoryFactory(code="toys-sports", name="Toys and sports goods", nice_classes=[28])
    CategoryRequirement.objects.create(category=toys, kind="test_report", required=False)
    CategoryRequirement.objects.create(category=toys, kind="trademark_certificate", required=True)

    response = partner_client.get("/api/v1/categories/?page_size=100")

    assert response.status_code == 200
    listed = {category["code"]: category for category in response.json()["results"]}
    assert set(listed) == set(Category.objects.values_list("code", flat=True))
    assert listed["toys-sports"] == {
        "id": toys.pk,
        "code": "toys-sports",
        "name": "Toys and sports goods",
        "parent": "toys-sports-outdoors",
        "children": [],
        "nice_classes": [28],
        "required_evidence": [
            {"kind": "trademark_certificate", "label": "Trademark certificate", "required": True},
            {"kind": "test_report", "label": "Product test report", "required": False},
        ],
        "accepted_file_types": FILE_TYPES,
    }
    assert listed[lighting.code]["required_evidence"] == []


def test_categories_are_the_same_for_a_seller_key_and_need_the_read_scope(
    partner, seller_a, lighting
):
    _, seller_raw = api_key_issue(
        name="own", scopes=["applications:read"], company=seller_a.company
    )
    _, write_only = api_key_issue(
        name="no-read", scopes=["evidence:write"], partner=partner.organization
    )

    seen = client_with_key(seller_raw).get("/api/v1/categories/?page_size=100").json()
    refused = client_with_key(write_only).get("/api/v1/categories/")

    assert lighting.code in [category["code"] for category in seen["results"]]
    assert (refused.status_code, refused.json()["code"]) == (403, "insufficient_scope")


def test_categories_cost_the_same_queries_for_one_and_many(partner_client):
    # A main category cannot go while categories stand under it.
    Category.objects.exclude(parent=None).delete()
    Category.objects.all().delete()
    CategoryFactory(code="only-one")
    partner_client.get("/api/v1/categories/")
    with CaptureQueriesContext(connection) as one:
        partner_client.get("/api/v1/categories/")
    for number in range(30):
        category = CategoryFactory(code=f"many-{number}", parent=Category.objects.first())
        CategoryRequirement.objects.create(category=category, kind="product_photo")
    # The categories' saves void what the key's process remembers; it reloads the key once.
    partner_client.get("/api/v1/categories/")

    with CaptureQueriesContext(connection) as many:
        answer = partner_client.get("/api/v1/categories/")

    assert len(answer.json()["results"]) == 31
    assert len(many.captured_queries) == len(one.captured_queries)


def test_categories_form_a_tree_with_the_old_codes_under_main_categories(partner_client):
    response = partner_client.get("/api/v1/categories/?page_size=100")

    listed = {category["code"]: category for category in response.json()["results"]}
    main = {code: c["children"] for code, c in listed.items() if c["parent"] is None}
    assert main == {
        "beauty-personal-care": ["beauty"],
        "electronics-appliances": ["electronics", "lighting-appliances"],
        "fashion": ["apparel", "bags-luggage", "jewellery-watches"],
        "home-living": ["furniture", "home-textiles", "kitchenware"],
        "toys-sports-outdoors": ["toys-sports"],
    }
    assert {code: c["parent"] for code, c in listed.items() if c["parent"]} == {
        child: parent for parent, children in main.items() for child in children
    }
    assert listed["home-living"]["nice_classes"] == [20, 21, 24]
    assert listed["kitchenware"]["nice_classes"] == [21]
