"""The company profile: what the company is, its verification and what it still lacks; the
owner keeps it, staff read it, nobody else sees it."""

import pytest
from django.urls import reverse

from sellers.models import Category, Membership, SellerCompany, Status
from tests.files import pdf_upload, upload
from tests.pages import logged_in, messages_on, page_text
from tests.sellers.factories import ApplicationFactory, UserFactory

INDIVIDUAL_BUSINESS = "92440300MA5FABCD1M"


def _self_signed_up(seller):
    """As a company stands after signing up alone: nothing verified, no licence, no focus."""
    company = seller.company
    company.identity_status = SellerCompany.IdentityStatus.UNVERIFIED
    company.save()
    return company


def _missing(response) -> list[str]:
    return response.context["profile"].missing


@pytest.fixture
def staff(seller_a):
    return Membership.objects.create(
        company=seller_a.company, user=UserFactory(username="staff@bright-lamp.example")
    ).user


def test_the_profile_shows_the_status_and_exactly_what_is_missing(seller_a):
    _self_signed_up(seller_a)

    response = logged_in(seller_a.owner).get(reverse("portal:company"))

    assert response.status_code == 200
    assert _missing(response) == [
        "Upload the business licence.",
        "Name your one or two main categories.",
    ]
    text = page_text(response)
    assert 'id="identity-status">Not verified</span>' in text
    assert "<li>Upload the business licence.</li>" in text
    assert f"{seller_a.company.registration_number} (an enterprise (企业))" in text


def test_an_individual_business_is_told_its_number_is_refused(seller_a):
    company = _self_signed_up(seller_a)
    SellerCompany.objects.filter(pk=company.pk).update(registration_number=INDIVIDUAL_BUSINESS)

    response = logged_in(seller_a.owner).get(reverse("portal:company"))

    assert _missing(response)[0] == (
        "Correct the registration number: 92440300MA5FABCD1M is the code of an individual "
        "business (个体工商户) (it starts with 92); the program accepts an enterprise (企业) "
        "(91…) only."
    )


def test_the_owner_completes_the_profile(seller_a):
    company = _self_signed_up(seller_a)
    client = logged_in(seller_a.owner)
    fashion, home = Category.objects.filter(code__in=["fashion", "home-living"]).order_by("code")

    licence = client.post(
        reverse("portal:company_licence"), {"business_licence": pdf_upload("licence.pdf")}
    )
    categories = client.post(
        reverse("portal:company_categories"), {"main_categories": [fashion.pk, home.pk]}
    )
    page = client.get(reverse("portal:company"))

    company.refresh_from_db()
    assert (licence.url, categories.url) == (reverse("portal:company"),) * 2
    assert (company.business_licence_name, company.business_licence_type) == (
        "licence.pdf",
        "application/pdf",
    )
    assert sorted(company.main_categories.values_list("code", flat=True)) == [
        "fashion",
        "home-living",
    ]
    assert _missing(page) == []
    assert 'id="profile-complete"' in page_text(page)


def test_a_third_main_category_is_refused_in_the_profile(seller_a):
    company = _self_signed_up(seller_a)
    company.main_categories.set([Category.objects.get(code="beauty-personal-care")])
    ApplicationFactory(
        company=company,
        status=Status.AWAITING_REVIEW,
        categories=[Category.objects.get(code="furniture")],
    )
    client = logged_in(seller_a.owner)
    three = Category.objects.filter(code__in=["fashion", "home-living", "beauty-personal-care"])
    two = Category.objects.filter(code__in=["fashion", "beauty-personal-care"])

    too_many = client.post(
        reverse("portal:company_categories"), {"main_categories": [c.pk for c in three]}
    )
    past_applications = client.post(
        reverse("portal:company_categories"), {"main_categories": [c.pk for c in two]}
    )

    assert too_many.status_code == 400
    assert too_many.context["categories_form"].errors == {
        "main_categories": [
            "Choose at most two main categories: the program takes companies focused on one or two."
        ]
    }
    assert past_applications.context["categories_form"].errors == {
        "main_categories": [
            "That makes 3 main categories (Beauty and personal care, Fashion and accessories, "
            "Home and living); the program takes companies focused on one or two. Withdraw the "
            "applications in another main category, or stay within your main categories."
        ]
    }
    assert list(company.main_categories.values_list("code", flat=True)) == ["beauty-personal-care"]


def test_changing_the_registration_asks_for_verification_again(seller_a):
    company = seller_a.company
    assert company.identity_status == "verified"
    client = logged_in(seller_a.owner)
    data = {"legal_name": company.legal_name, "country": "CN"}

    refused = client.post(
        reverse("portal:company_identity"), {**data, "registration_number": INDIVIDUAL_BUSINESS}
    )
    unchanged = client.post(
        reverse("portal:company_identity"),
        {**data, "registration_number": company.registration_number.lower()},
        follow=True,
    )
    verified_after_same = SellerCompany.objects.get(pk=company.pk).identity_status
    changed = client.post(
        reverse("portal:company_identity"),
        {**data, "registration_number": "91330201MA2CG7QK42"},
        follow=True,
    )

    company.refresh_from_db()
    assert (
        refused.context["identity_form"]
        .errors["registration_number"][0]
        .startswith("92440300MA5FABCD1M is the code of an individual business")
    )
    assert unchanged.redirect_chain == [(reverse("portal:company"), 302)]
    assert verified_after_same == "verified"
    assert messages_on(changed) == ["The company profile is saved."]
    assert (company.registration_number, company.identity_status) == (
        "91330201MA2CG7QK42",
        "unverified",
    )


def test_a_licence_that_is_not_a_document_is_refused_and_the_old_one_kept(seller_a):
    client = logged_in(seller_a.owner)
    client.post(reverse("portal:company_licence"), {"business_licence": pdf_upload("first.pdf")})

    response = client.post(
        reverse("portal:company_licence"),
        {
            "business_licence": upload(
                "licence.pdf", b"MZ\x90\x00 not a document", "application/pdf"
            )
        },
    )

    assert response.status_code == 400
    assert list(response.context["licence_form"].errors) == ["business_licence"]
    assert SellerCompany.objects.get(pk=seller_a.company.pk).business_licence_name == "first.pdf"


def test_staff_read_the_profile_but_cannot_change_it(seller_a, staff):
    client = logged_in(staff)

    page = client.get(reverse("portal:company"))
    change = client.post(
        reverse("portal:company_identity"),
        {
            "legal_name": "Taken Over Ltd.",
            "country": "CN",
            "registration_number": "91330201MA2CG7QK42",
        },
    )

    assert page.status_code == 200
    assert 'id="identity-form"' not in page_text(page)
    assert "Only the company&#x27;s owner can change the profile." not in page_text(page)
    assert change.status_code == 404
    assert SellerCompany.objects.get(pk=seller_a.company.pk).legal_name == (
        "Shenzhen Bright Lamp Technology Co., Ltd."
    )


@pytest.mark.parametrize("who", ["reviewer", "outsider"])
def test_people_outside_the_company_get_404(request, seller_a, who):
    client = logged_in(request.getfixturevalue(who))

    pages = [
        client.get(reverse("portal:company")).status_code,
        client.post(reverse("portal:company_categories"), {"main_categories": []}).status_code,
    ]

    assert pages == [404, 404]
