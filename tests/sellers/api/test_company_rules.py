"""The company rules at the API's door: an individual business cannot apply."""

from stdnum.cn import uscc

from sellers.models import Application
from tests.sellers.api.support import COLLECTION, application_payload


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
