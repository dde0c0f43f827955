"""Seller eligibility: identity, registration number, indicators, category focus."""

from decimal import Decimal

import pytest
from stdnum.cn import uscc

from reviews.checks import seller_eligibility
from sellers.models import Category
from sellers.models.application import Status
from tests.sellers.factories import ApplicationFactory

# The main categories of the tree (sellers/data/categories.json); the application the helper
# makes sells lighting, which is under "electronics-appliances".
MAIN = ["electronics-appliances", "fashion", "home-living"]


def _company(seller, *, categories=1, **fields):
    company = seller.company
    for name, value in fields.items():
        setattr(company, name, value)
    company.save()
    company.main_categories.set(Category.objects.filter(code__in=MAIN[:categories]))
    return ApplicationFactory(company=company)


def test_an_eligible_seller_passes(seller_a):
    application = _company(seller_a, quality_dispute_rate=Decimal("0.0040"))

    finding = seller_eligibility.run(application)

    assert (finding.outcome, finding.explanation) == (
        "pass",
        "The company's identity is verified. Quality disputes 0.40% (limit 1.00%). "
        "Main categories: Electronics and appliances.",
    )
    assert finding.evidence["max_quality_dispute_rate"] == "0.01"


@pytest.mark.parametrize(
    ("identity", "outcome", "explanation"),
    [
        ("pending", "warn", "The company's identity verification is still pending."),
        (
            "unverified",
            "fail",
            "The company's identity is not verified; its profile lacks: Upload the business "
            "licence.",
        ),
        (
            "rejected",
            "fail",
            "The company's identity verification failed; its profile lacks: Upload the "
            "business licence.",
        ),
    ],
)
def test_identity_must_be_verified(seller_a, identity, outcome, explanation):
    application = _company(seller_a, identity_status=identity)

    finding = seller_eligibility.run(application)

    assert (finding.outcome, finding.explanation) == (outcome, explanation)


def test_indicators_over_the_limits_fail(seller_a, settings):
    settings.ELIGIBILITY_MAX_DISPUTE_RATE_BP = 50
    settings.ELIGIBILITY_MAX_INFRINGEMENT_COMPLAINTS = 1
    application = _company(
        seller_a, quality_dispute_rate=Decimal("0.0125"), infringement_complaints=2
    )

    finding = seller_eligibility.run(application)

    assert finding.explanation == (
        "The quality-dispute rate is 1.25%, above the program's limit of 0.50%. The company "
        "has 2 open infringement complaint(s); the program allows 1."
    )


def test_a_grocery_store_fails_and_no_focus_warns(seller_a, seller_b):
    grocery = _company(seller_a, categories=3)
    unfocused = _company(seller_b, categories=0)
    grocery.company.main_categories.remove(Category.objects.get(code="electronics-appliances"))

    grocery_finding = seller_eligibility.run(grocery)
    unfocused_finding = seller_eligibility.run(unfocused)

    assert (grocery_finding.outcome, grocery_finding.explanation) == (
        "fail",
        "The company sells in 3 main categories (Electronics and appliances, Fashion and "
        "accessories, Home and living), counting its profile and its open and admitted "
        "applications; the program takes specialists in one or two.",
    )
    assert (unfocused_finding.outcome, unfocused_finding.explanation) == (
        "warn",
        "The company has not named its main categories.",
    )


def test_a_bad_registration_number_fails(seller_a):
    application = _company(seller_a, registration_number="91440300MA5FABCD1X")

    finding = seller_eligibility.run(application)

    assert finding.outcome == "fail"
    assert finding.explanation.startswith("Registration number: ")


def test_an_individual_business_fails_with_what_its_code_says(seller_a):
    body = "92440300MA5FABCD1"
    number = body + uscc.calc_check_digit(body)
    application = _company(seller_a, registration_number=number)

    finding = seller_eligibility.run(application)

    assert finding.outcome == "fail"
    assert finding.explanation == (
        f"Registration number: {number} is the code of an individual business (个体工商户) (it "
        "starts with 92); the program accepts an enterprise (企业) (91…) only."
    )


def test_other_entity_types_pass_when_the_program_takes_them(seller_a, settings):
    settings.USCC_ACCEPTED_ENTITY_TYPES = ["91", "93"]
    body = "93440300MA5FABCD1"
    application = _company(seller_a, registration_number=body + uscc.calc_check_digit(body))

    finding = seller_eligibility.run(application)

    assert finding.outcome == "pass"


def test_main_categories_count_over_open_and_admitted_applications(seller_a):
    application = _company(seller_a, categories=1)
    fashion = Category.objects.get(code="apparel")
    home = Category.objects.get(code="kitchenware")
    beauty = Category.objects.get(code="beauty")
    ApplicationFactory(company=seller_a.company, status=Status.APPROVED, categories=[fashion])
    ApplicationFactory(company=seller_a.company, status=Status.WITHDRAWN, categories=[home])
    ApplicationFactory(company=seller_a.company, status=Status.REJECTED, categories=[beauty])
    assert seller_eligibility.run(application).outcome == "pass"

    ApplicationFactory(company=seller_a.company, status=Status.AWAITING_REVIEW, categories=[home])
    finding = seller_eligibility.run(application)

    assert finding.outcome == "fail"
    assert finding.evidence["main_categories"] == [
        "Electronics and appliances",
        "Fashion and accessories",
        "Home and living",
    ]
