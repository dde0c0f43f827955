"""The company profile in Chromium: a company that signed up alone sees what it lacks, fixes
its registration number, uploads its licence and names its main categories; a reviewer then
refuses and later verifies it from the verification queue."""

import pytest

from sellers.actors import actor_for_user
from sellers.categories import category_tree_load
from sellers.models import Category, SellerCompany
from sellers.services.companies import company_licence_replace, company_main_categories_set
from tests.browser.conftest import log_in
from tests.files import pdf_bytes, pdf_upload

pytestmark = pytest.mark.browser


def test_browser_company_profile_shows_what_is_missing_until_it_is_complete(
    live_server, browser, seller_a, screenshot, tmp_path
):
    # Transactional tests flush reference data; the category tree is loaded again.
    category_tree_load()
    SellerCompany.objects.filter(pk=seller_a.company.pk).update(
        identity_status="unverified", registration_number="92440300MA5FABCD1M"
    )
    licence = tmp_path / "business-licence.pdf"
    licence.write_bytes(pdf_bytes("Business licence"))
    page = browser.new_context().new_page()
    log_in(page, live_server.url, seller_a.owner.username)

    page.get_by_role("link", name="Company").click()
    missing = page.locator("#profile-missing li")
    assert missing.all_inner_texts() == [
        "Correct the registration number: 92440300MA5FABCD1M is the code of an individual "
        "business (个体工商户) (it starts with 92); the program accepts an enterprise (企业) "
        "(91…) only.",
        "Upload the business licence.",
        "Name your one or two main categories.",
    ]
    assert page.locator("#identity-status").inner_text() == "Not verified"
    screenshot(page, "company-profile-missing")

    page.get_by_label("Registration number").fill("91440300MA5FABCD1Q")
    page.locator("#identity-form").get_by_role("button", name="Save").click()
    page.get_by_text("The company profile is saved.").wait_for()
    page.get_by_label("Business licence").set_input_files(licence)
    page.get_by_role("button", name="Upload").click()
    page.get_by_text("The company profile is saved.").wait_for()
    categories = page.locator("#categories-form")
    for name in ("Fashion and accessories", "Home and living", "Beauty and personal care"):
        categories.get_by_label(name).check()
    categories.get_by_role("button", name="Save").click()
    page.get_by_text("Choose at most two main categories").wait_for()
    page.locator("#categories-form").get_by_label("Beauty and personal care").uncheck()
    page.locator("#categories-form").get_by_role("button", name="Save").click()
    page.get_by_text("The company profile is saved.").wait_for()

    assert page.locator("#profile-missing").count() == 0
    assert page.locator("#profile-complete").is_visible()
    company = SellerCompany.objects.get(pk=seller_a.company.pk)
    assert company.registration_number == "91440300MA5FABCD1Q"
    assert company.business_licence_name == "business-licence.pdf"
    assert sorted(company.main_categories.values_list("code", flat=True)) == [
        "fashion",
        "home-living",
    ]
    screenshot(page, "company-profile-complete")


def test_browser_reviewer_refuses_then_verifies_a_company_and_the_seller_reads_why(
    live_server, browser, seller_a, reviewer, screenshot, axe_check
):
    category_tree_load()
    SellerCompany.objects.filter(pk=seller_a.company.pk).update(identity_status="unverified")
    owner = actor_for_user(seller_a.owner)
    company_licence_replace(
        actor=owner,
        company_id=seller_a.company.pk,
        business_licence=pdf_upload("business-licence.pdf"),
    )
    company_main_categories_set(
        actor=owner,
        company_id=seller_a.company.pk,
        category_ids=list(Category.objects.filter(code="home-living").values_list("pk", flat=True)),
    )
    desk = browser.new_context().new_page()
    log_in(desk, live_server.url, reviewer.username)
    seller = browser.new_context().new_page()
    log_in(seller, live_server.url, seller_a.owner.username)

    desk.get_by_role("link", name="Company verification").click()
    desk.locator("#identity-queue").get_by_role("link", name=seller_a.company.legal_name).click()
    axe_check(desk)
    screenshot(desk, "reviewer-company-verification")
    desk.get_by_label("Refused").check()
    desk.get_by_label("Reason").fill("The licence is for another registration number.")
    desk.get_by_role("button", name="Record the verdict").click()
    desk.get_by_text(f"Your verdict on {seller_a.company.legal_name} is recorded.").wait_for()
    refused_queue_rows = desk.locator("#identity-queue tbody tr").count()

    seller.goto(f"{live_server.url}/company/")
    refusal = seller.locator("#verification-refused").inner_text()
    axe_check(seller)
    company_licence_replace(
        actor=owner,
        company_id=seller_a.company.pk,
        business_licence=pdf_upload("business-licence-2.pdf"),
    )
    desk.reload()
    desk.locator("#identity-queue").get_by_role("link", name=seller_a.company.legal_name).click()
    desk.get_by_label("Verified: the licence shows this name and number").check()
    desk.get_by_role("button", name="Record the verdict").click()
    desk.get_by_text(f"Your verdict on {seller_a.company.legal_name} is recorded.").wait_for()
    seller.reload()

    assert refused_queue_rows == 0
    assert "The licence is for another registration number." in refusal
    assert seller.locator("#identity-status").inner_text() == "Verified"
    assert SellerCompany.objects.get(pk=seller_a.company.pk).identity_status == "verified"
