"""Company verification from sign-up to eligibility: a company that signed up alone completes
its profile, waits in the verification queue, is refused, corrects its licence, is verified,
and its application then passes the seller-eligibility check."""

from django.test import Client
from django.urls import reverse

from reviews.checks import seller_eligibility
from reviews.models import CompanyVerification
from reviews.services import conflict_declare
from sellers.actors import actor_for_user
from sellers.models import Category, SellerCompany
from sellers.services.companies import account_activate
from sellers.services.readings import reading_store
from tests.files import pdf_upload
from tests.pages import PASSWORD, logged_in, messages_on, page_text
from tests.sellers.factories import ApplicationFactory
from tests.sellers.readings import reading

NUMBER = "91440300MA5FABCD1Q"


def _sign_up() -> SellerCompany:
    Client().post(
        reverse("sign_up"),
        {
            "legal_name": "Dongguan River Toys Co., Ltd.",
            "country": "CN",
            "registration_number": NUMBER,
            "business_licence": pdf_upload("licence.pdf"),
            "main_categories": [Category.objects.get(code="toys-sports-outdoors").pk],
            "owner_name": "Li Wei",
            "owner_email": "li.wei@river-toys.example",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    company = SellerCompany.objects.get(registration_number=NUMBER)
    owner = company.memberships.get().user
    account_activate(user=owner)
    return company


def test_a_self_signed_up_company_is_verified_and_then_eligible(db, reviewer):
    company = _sign_up()
    first = CompanyVerification.objects.get()
    owner = logged_in(company.memberships.get().user)
    desk = logged_in(reviewer)

    queue = desk.get(reverse("reviews:identity_queue"))
    licence = desk.get(reverse("reviews:identity_licence", args=[company.pk]))
    no_reason = desk.post(reverse("reviews:identity_case", args=[first.pk]), {"decision": "refuse"})
    refused = desk.post(
        reverse("reviews:identity_case", args=[first.pk]),
        {"decision": "refuse", "reason": "The licence shows another registration number."},
        follow=True,
    )
    profile = owner.get(reverse("portal:company"))
    owner.post(reverse("portal:company_licence"), {"business_licence": pdf_upload("new.pdf")})
    second = CompanyVerification.objects.open().get()
    verified = desk.post(
        reverse("reviews:identity_case", args=[second.pk]), {"decision": "verify"}, follow=True
    )
    company.refresh_from_db()
    application = ApplicationFactory(
        company=company, categories=[Category.objects.get(code="toys-sports")]
    )

    finding = seller_eligibility.run(application)

    assert (first.company_id, first.registration_number, first.closed_at) == (
        company.pk,
        NUMBER,
        first.closed_at,
    )
    assert len(first.licence_sha256) == 64
    assert first.due_at > first.requested_at
    assert [v.pk for v in queue.context["verifications"]] == [first.pk]
    assert licence["Content-Disposition"].startswith('attachment; filename="licence.pdf"')
    assert no_reason.context["form"].errors == {
        "reason": ["Say why the identity is refused; the seller reads it."]
    }
    assert messages_on(refused) == ["Your verdict on Dongguan River Toys Co., Ltd. is recorded."]
    assert "The licence shows another registration number." in page_text(profile)
    assert profile.context["company"].identity_status == "rejected"
    assert list(
        CompanyVerification.objects.order_by("pk").values_list("outcome", "decided_by")
    ) == [("refused", reviewer.pk), ("verified", reviewer.pk)]
    assert messages_on(verified) == ["Your verdict on Dongguan River Toys Co., Ltd. is recorded."]
    assert (company.identity_status, company.identity_note) == ("verified", "")
    assert (finding.outcome, finding.explanation) == (
        "pass",
        "The company's identity is verified. Quality disputes 0.00% (limit 1.00%). "
        "Main categories: Toys, sports and outdoors.",
    )


def test_a_profile_change_replaces_the_waiting_request(db):
    company = _sign_up()
    owner = logged_in(company.memberships.get().user)

    owner.post(
        reverse("portal:company_identity"),
        {
            "legal_name": "Dongguan River Toys Trading Co., Ltd.",
            "country": "CN",
            "registration_number": NUMBER,
        },
    )

    assert list(
        CompanyVerification.objects.order_by("pk").values_list("legal_name", "outcome")
    ) == [
        ("Dongguan River Toys Co., Ltd.", "superseded"),
        ("Dongguan River Toys Trading Co., Ltd.", ""),
    ]
    assert SellerCompany.objects.get(pk=company.pk).identity_status == "pending"


def test_a_conflicted_reviewer_neither_sees_nor_decides_the_company(db, reviewer):
    company = _sign_up()
    verification = CompanyVerification.objects.get()
    conflict_declare(actor=actor_for_user(reviewer), company=company, reason="Worked there")
    desk = logged_in(reviewer)

    queue = desk.get(reverse("reviews:identity_queue"))
    case = desk.post(
        reverse("reviews:identity_case", args=[verification.pk]), {"decision": "verify"}
    )
    licence = desk.get(reverse("reviews:identity_licence", args=[company.pk]))

    assert queue.context["verifications"] == []
    assert (case.status_code, licence.status_code) == (404, 404)
    assert SellerCompany.objects.get(pk=company.pk).identity_status == "pending"


def test_sellers_cannot_open_the_verification_pages(db, seller_a):
    company = _sign_up()
    verification = CompanyVerification.objects.get()
    client = logged_in(seller_a.owner)

    answers = [
        client.get(reverse("reviews:identity_queue")).status_code,
        client.get(reverse("reviews:identity_case", args=[verification.pk])).status_code,
        client.get(reverse("reviews:identity_licence", args=[company.pk])).status_code,
    ]

    assert answers == [404, 404, 404]


def test_a_refused_company_comes_back_only_by_correcting_its_identity(db, reviewer):
    company = _sign_up()
    owner = logged_in(company.memberships.get().user)
    logged_in(reviewer).post(
        reverse("reviews:identity_case", args=[CompanyVerification.objects.get().pk]),
        {"decision": "refuse", "reason": "The licence is for another company."},
    )

    owner.post(
        reverse("portal:company_categories"),
        {"main_categories": [Category.objects.get(code="fashion").pk]},
    )
    after_categories = SellerCompany.objects.get(pk=company.pk).identity_status
    owner.post(reverse("portal:company_licence"), {"business_licence": pdf_upload("right.pdf")})

    assert after_categories == "rejected"
    assert list(CompanyVerification.objects.order_by("pk").values_list("outcome", flat=True)) == [
        "refused",
        "",
    ]
    assert SellerCompany.objects.get(pk=company.pk).identity_status == "pending"


def test_the_reviewer_sees_what_the_licence_says_beside_the_stated_name_and_number(db, reviewer):
    company = _sign_up()
    verification = CompanyVerification.objects.get()
    reading_store(
        {"company": company},
        sha256=company.business_licence_sha256,
        reading=reading(
            "business_licence",
            uscc="91440300MA5FABCD2U",
            legal_name="Dongguan River Toys Co., Ltd.",
        ),
        duration_ms=900,
    )

    page = logged_in(reviewer).get(reverse("reviews:identity_case", args=[verification.pk]))

    html = page_text(page)
    card = html[html.index('id="licence-reading"') :].split("</section>")[0]
    assert "What the licence says" in card
    assert (
        "the Unified Social Credit Code reads “91440300MA5FABCD2U” but should read "
        f"“{NUMBER}”" in card
    )
    assert "legal name reads" not in card
    assert page.context["licence_page"] == reverse(
        "reviews:document_page", args=["licence", company.pk, 1]
    )
