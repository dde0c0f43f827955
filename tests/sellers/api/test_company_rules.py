"""The company rules at the API's door: an individual business cannot apply, and an
application may not take a company past two main categories."""

from stdnum.cn import uscc

from sellers.models import Application, Category, Status
from tests.sellers.api.support import COLLECTION, application_payload
from tests.sellers.factories import ApplicationFactory


def test_an_individual_business_cannot_start_an_application(partner_client, seller_a):
    body = "92440300MA5FABCD1"
    number = body + uscc.calc_check_digit(body)
    seller_a.company.registration_number = number
    seller_a.company.save()

    response = partner_client.post(
        COLLECTION, application_payload(seller_a.company.pk), format="json"
    )

    assert response.status_code == 400
    problem = response.json()
    assert (problem["code"], problem["errors"]) == (
        "entity_type_refused",
        {"seller": [problem["detail"]]},
    )
    assert problem["detail"] == (
        f"{number} is the code of an individual business (个体工商户) (it starts with 92); the "
        "program accepts an enterprise (企业) (91…) only."
    )
    assert not Application.objects.exists()


def test_an_application_in_a_third_main_category_is_refused(partner_client, seller_a):
    company = seller_a.company
    company.main_categories.set([Category.objects.get(code="fashion")])
    ApplicationFactory(
        company=company,
        status=Status.APPROVED,
        categories=[Category.objects.get(code="kitchenware")],
    )
    # A withdrawn application no longer counts.
    ApplicationFactory(
        company=company,
        status=Status.WITHDRAWN,
        categories=[Category.objects.get(code="beauty")],
    )

    refused = partner_client.post(COLLECTION, application_payload(company.pk), format="json")
    within = partner_client.post(
        COLLECTION,
        application_payload(company.pk, categories=["apparel", "home-textiles"]),
        format="json",
    )

    assert refused.status_code == 400
    assert refused.json()["errors"] == {
        "categories": [
            "That makes 3 main categories (Electronics and appliances, Fashion and accessories, "
            "Home and living); the program takes companies focused on one or two. Withdraw the "
            "applications in another main category, or stay within your main categories."
        ]
    }
    assert within.status_code == 201
    assert Application.objects.filter(company=company).count() == 3


def test_a_main_category_itself_cannot_be_applied_in(partner_client, seller_a):
    response = partner_client.post(
        COLLECTION, application_payload(seller_a.company.pk, categories=["fashion"]), format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "categories": ["Choose one or two categories from the list."]
    }
    assert not Application.objects.exists()
