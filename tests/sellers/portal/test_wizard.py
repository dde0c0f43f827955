"""The application wizard: a draft saved at every step, resumed where the seller left off."""

import datetime
import hashlib
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils.formats import date_format

from reviews.case import authorization_chain
from reviews.models import RegistryMark
from sellers.models import (
    Application,
    ApplicationDraft,
    AuthorizationLink,
    Certification,
    Facility,
    Status,
)
from tests.files import pdf_bytes, pdf_upload, png_upload
from tests.pages import logged_in, messages_on, page_text

TODAY = datetime.date.today()
NEXT_YEAR = TODAY + datetime.timedelta(days=365)


def step_url(draft, step: str) -> str:
    return reverse("portal:wizard_step", args=[draft.pk, step])


def through_supply(client, draft, program, category) -> None:
    """Ownership, categories and one own factory: the steps between the trademark and evidence."""
    client.post(step_url(draft, "ownership"), {"owns": "yes"})
    client.post(step_url(draft, "categories"), {"program": program.pk, "categories": [category.pk]})
    client.post(
        step_url(draft, "supply"),
        {
            "facility-manufacturer_name": "Bright Lamp Factory No. 2",
            "facility-country": "CN",
            "facility-ownership": "own",
            "add_facility": "1",
        },
    )
    client.post(step_url(draft, "supply"), {"continue": "1"})


def _trademark(**overrides) -> dict:
    data = {
        "office": "USPTO",
        "number": "78123456",
        "registration_status": "registered",
        "mark_type": "word",
        "nice_classes": ["11"],
        "owner_name": "Shenzhen Bright Lamp Technology Co., Ltd.",
        "expires_on": (TODAY + datetime.timedelta(days=3000)).isoformat(),
        "certificate": pdf_upload(),
    }
    data.update(overrides)
    return data


def _link(grantor: str, grantee: str) -> dict:
    return {
        "link-grantor_name": grantor,
        "link-grantee_name": grantee,
        "link-product_scope": "Lamps and lighting fixtures",
        "link-territory": "Worldwide",
        "link-valid_from": TODAY.isoformat(),
        "link-valid_until": NEXT_YEAR.isoformat(),
        "link-letter": pdf_upload("letter.pdf"),
        "add_link": "1",
    }


@pytest.fixture
def started(seller_a):
    client = logged_in(seller_a.owner)
    client.post(reverse("portal:wizard_start"), {"name": "LUMIBRIGHT", "native_name": "流明"})
    client.post(step_url(ApplicationDraft.objects.get(), "trademark"), _trademark())
    return client, ApplicationDraft.objects.get()


def test_wizard_saves_each_step_and_resumes_where_the_seller_left_off(
    seller_a, program, lighting, django_capture_on_commit_callbacks
):
    client = logged_in(seller_a.owner)

    brand = client.post(
        reverse("portal:wizard_start"),
        {"name": "LUMIBRIGHT", "native_name": "流明", "logo": png_upload("logo.png")},
    )
    draft = ApplicationDraft.objects.get()
    dashboard = logged_in(seller_a.owner).get(reverse("portal:dashboard"))
    resumed = logged_in(seller_a.owner).get(reverse("portal:wizard_resume", args=[draft.pk]))
    skipped = client.get(step_url(draft, "review"))
    client.post(step_url(draft, "trademark"), _trademark())
    client.post(step_url(draft, "ownership"), {"owns": "yes"})
    client.post(step_url(draft, "categories"), {"program": program.pk, "categories": [lighting.pk]})
    refused_supply = client.post(step_url(draft, "supply"), {"continue": "1"})
    client.post(
        step_url(draft, "supply"),
        {
            "facility-manufacturer_name": "Bright Lamp Factory No. 2",
            "facility-country": "CN",
            "facility-ownership": "own",
            "facility-monthly_capacity_units": "20000",
            "facility-standard": "ISO 9001",
            "facility-certificate_number": "CN-QMS-2231",
            "facility-issuer": "SGS",
            "facility-certification_file": pdf_upload("iso.pdf"),
            "add_facility": "1",
        },
    )
    client.post(step_url(draft, "supply"), {"continue": "1"})
    client.post(
        step_url(draft, "evidence"),
        {"kind": "product_photo", "file": png_upload("box.png"), "upload": "1"},
    )
    client.post(step_url(draft, "evidence"), {"continue": "1"})
    with django_capture_on_commit_callbacks(execute=True):
        submitted = client.post(step_url(draft, "review"), follow=True)

    draft.refresh_from_db()
    application = Application.objects.get()
    assert brand.url == step_url(draft, "trademark")
    assert [d.pk for d in dashboard.context["unfinished"]] == [draft.pk]
    assert resumed.url == step_url(draft, "trademark")
    assert skipped.url == step_url(draft, "trademark")
    assert messages_on(refused_supply) == ["Add at least one factory or contract manufacturer."]
    assert draft.application == application
    assert (application.brand.name, application.brand.native_name) == ("LUMIBRIGHT", "流明")
    assert bool(application.brand.logo) is True
    assert (application.trademark.number, application.trademark.nice_classes) == (
        "78123456",
        [11],
    )
    assert list(application.categories.all()) == [lighting]
    assert application.status != Status.DRAFT
    assert list(application.evidence.values_list("kind", "original_name")) == [
        ("trademark_certificate", "USPTO 78123456 certificate.pdf"),
        ("product_photo", "box.png"),
    ]
    facility = Facility.objects.get(company=seller_a.company)
    assert (facility.manufacturer_name, facility.monthly_capacity_units) == (
        "Bright Lamp Factory No. 2",
        20000,
    )
    certification = Certification.objects.get(facility=facility)
    # Kept with the hash of its file, by which the reviewers' pictures of its pages are kept.
    assert (certification.issuer, certification.file_sha256) == (
        "SGS",
        hashlib.sha256(pdf_bytes()).hexdigest(),
    )
    assert messages_on(submitted) == [
        "The facility was added.",
        "box.png was added.",
        "Your application was submitted. We will let you know the decision here.",
    ]


def test_trademark_step_names_the_office_format_on_the_field(started):
    client, draft = started

    response = client.post(step_url(draft, "trademark"), _trademark(number="UK00003123456"))

    assert response.context["form"].errors == {
        "number": [
            "UK00003123456 is not a USPTO number: expected a registration number of up to 7 "
            "digits or an 8-digit serial number."
        ]
    }
    assert 'aria-describedby="id_number_helptext id_number_error"' in page_text(response)


def test_trademark_step_lists_the_45_nice_classes_with_their_headings(started):
    client, draft = started

    response = client.get(step_url(draft, "trademark"))

    choices = response.context["form"].fields["nice_classes"].choices
    assert len(choices) == 45
    assert choices[24] == (25, "25 · Clothing, footwear, headwear")


def test_ownership_chain_must_run_from_the_owner_to_the_seller(started, seller_a):
    client, draft = started
    client.post(step_url(draft, "trademark"), _trademark(owner_name="Lumi Holdings Ltd."))
    client.post(step_url(draft, "ownership"), _link("Lumi Holdings Ltd.", "Lumi Trading Ltd."))
    client.post(step_url(draft, "ownership"), _link("Someone Else Ltd.", "Bright Lamp Ltd."))

    broken = client.post(step_url(draft, "ownership"), {"owns": "no"})
    owns = client.post(step_url(draft, "ownership"), {"owns": "yes"})
    client.post(step_url(draft, "ownership"), {"remove_link": "1"})
    client.post(
        step_url(draft, "ownership"), _link("lumi trading  ltd.", seller_a.company.legal_name)
    )
    fixed = client.post(step_url(draft, "ownership"), {"owns": "no"})

    assert broken.context["form"].errors == {
        "owns": [
            "Link 1 is granted to “Lumi Trading Ltd.”, but link 2 is granted by "
            "“Someone Else Ltd.”.",
            "The last link is granted to “Bright Lamp Ltd.”, not to your company, "
            "“Shenzhen Bright Lamp Technology Co., Ltd.”.",
        ]
    }
    assert owns.context["form"].errors == {
        "owns": [
            "The owner on record is “Lumi Holdings Ltd.”, not “Shenzhen Bright Lamp Technology "
            "Co., Ltd.”. Add the authorization chain instead."
        ]
    }
    assert fixed.url == step_url(draft, "categories")
    assert list(
        AuthorizationLink.objects.order_by("position").values_list("position", "grantee_name")
    ) == [(1, "Lumi Trading Ltd."), (2, seller_a.company.legal_name)]


def test_the_wizard_joins_names_by_the_rule_the_reviewers_checks_use(started, seller_a):
    # The seller's company is "Shenzhen Bright Lamp Technology Co., Ltd."; the register and the
    # letters spell the legal form and the punctuation their own way.
    client, draft = started
    client.post(
        step_url(draft, "trademark"),
        _trademark(owner_name="SHENZHEN BRIGHT LAMP TECHNOLOGY COMPANY LIMITED"),
    )
    owns = client.post(step_url(draft, "ownership"), {"owns": "yes"})
    client.post(step_url(draft, "trademark"), _trademark(owner_name="Lumi Holdings Co.,Ltd."))
    client.post(step_url(draft, "ownership"), _link("LUMI HOLDINGS CO LTD", "Lumi Trading Ltd."))
    client.post(
        step_url(draft, "ownership"),
        _link("Lumi Trading Limited", "Shenzhen Bright-Lamp Technology Co. Ltd"),
    )
    chained = client.post(step_url(draft, "ownership"), {"owns": "no"})
    draft.refresh_from_db()
    application = SimpleNamespace(trademark=draft.trademark, company=seller_a.company)

    assert owns.url == step_url(draft, "categories")
    assert chained.url == step_url(draft, "categories")
    # The reviewer's case joins the same chain the wizard accepted.
    chain = authorization_chain(application, {}, today=TODAY)
    assert [link.joins for link in chain.links] == [True, True]
    assert chain.reaches_seller is True


def test_categories_not_covered_by_the_trademark_classes_give_a_warning(started, program, lighting):
    from tests.sellers.factories import CategoryFactory

    client, draft = started
    apparel = CategoryFactory(code="apparel", name="Clothing, footwear and headwear")
    client.post(step_url(draft, "ownership"), {"owns": "yes"})

    response = client.post(
        step_url(draft, "categories"),
        {"program": program.pk, "categories": [lighting.pk, apparel.pk]},
        follow=True,
    )

    assert messages_on(response) == [
        "Your trademark's Nice classes do not cover Clothing, footwear and headwear. Reviewers "
        "will ask why; a trademark registered in the matching class avoids that."
    ]
    assert response.redirect_chain[-1][0] == step_url(draft, "supply")


@pytest.mark.parametrize(
    ("method", "step", "data"),
    [
        ("get", "trademark", {}),
        ("post", "trademark", _trademark()),
        ("post", "ownership", {"owns": "yes"}),
        ("post", "ownership", {"remove_link": "1"}),
    ],
)
def test_wizard_steps_of_another_company_answer_404(method, step, data, started, seller_b):
    _client, draft = started

    response = getattr(logged_in(seller_b.owner), method)(step_url(draft, step), data)
    resume = logged_in(seller_b.owner).get(reverse("portal:wizard_resume", args=[draft.pk]))

    assert (response.status_code, resume.status_code) == (404, 404)
    assert "LUMIBRIGHT" not in page_text(response)
    draft.refresh_from_db()
    assert draft.step == "ownership"


def test_brand_names_with_markup_are_escaped_in_the_wizard(seller_a):
    client = logged_in(seller_a.owner)

    client.post(reverse("portal:wizard_start"), {"name": "<b>BOLD</b>"})
    page = client.get(step_url(ApplicationDraft.objects.get(), "trademark"))

    assert "<b>BOLD</b>" not in page_text(page)
    assert "&lt;b&gt;BOLD&lt;/b&gt;" in page_text(page)


@pytest.mark.parametrize(
    ("kind", "label"),
    [
        ("social_compliance_audit", "Social-compliance audit (e.g. amfori BSCI or SMETA)"),
        ("warehouse_stock", "Overseas warehouse stock record"),
    ],
)
def test_evidence_step_takes_supply_chain_proof_of_each_kind(
    kind, label, started, program, lighting
):
    client, draft = started
    through_supply(client, draft, program, lighting)
    offered = client.get(step_url(draft, "evidence"))

    uploaded = client.post(
        step_url(draft, "evidence"),
        {"kind": kind, "file": pdf_upload(f"{kind}.pdf"), "upload": "1"},
        follow=True,
    )

    draft.refresh_from_db()
    assert (kind, label) in offered.context["form"].fields["kind"].choices
    assert list(
        draft.application.evidence.filter(original_name=f"{kind}.pdf").values_list(
            "kind", "detected_type"
        )
    ) == [(kind, "application/pdf")]
    assert messages_on(uploaded) == [f"{kind}.pdf was added."]
    assert f"<li><span>{label}: {kind}.pdf</span>" in page_text(uploaded)


def test_categories_that_would_make_a_third_main_category_are_a_form_error(
    started, seller_a, program, lighting
):
    from sellers.models import Category
    from tests.sellers.factories import ApplicationFactory

    client, draft = started
    seller_a.company.main_categories.set([Category.objects.get(code="fashion")])
    ApplicationFactory(
        company=seller_a.company,
        status=Status.APPROVED,
        categories=[Category.objects.get(code="furniture")],
    )
    client.post(step_url(draft, "ownership"), {"owns": "yes"})

    refused = client.post(
        step_url(draft, "categories"), {"program": program.pk, "categories": [lighting.pk]}
    )
    within = client.post(
        step_url(draft, "categories"),
        {"program": program.pk, "categories": [Category.objects.get(code="kitchenware").pk]},
    )

    assert refused.context["form"].errors == {
        "categories": [
            "That makes 3 main categories (Electronics and appliances, Fashion and accessories, "
            "Home and living); the program takes companies focused on one or two. Withdraw the "
            "applications in another main category, or stay within your main categories."
        ]
    }
    assert within.url == step_url(draft, "supply")
    draft.refresh_from_db()
    assert list(draft.application.categories.values_list("code", flat=True)) == ["kitchenware"]


def _registry_mark(number="78123456", owner="Shenzhen Bright Lamp Technology Co., Ltd"):
    return RegistryMark.objects.create(
        office="USPTO",
        serial=number,
        number=number,
        status_code="700",
        status_state=RegistryMark.State.REGISTERED,
        mark_literal="LUMIBRIGHT",
        nice_classes=[11],
        owner_name=owner,
        data_version="test import",
    )


def _check(client, draft, **params):
    return client.get(reverse("portal:wizard_trademark_check", args=[draft.pk]), params)


def test_the_trademark_check_warns_as_the_seller_types(started):
    client, draft = started
    _registry_mark()
    _registry_mark(number="78999999", owner="Lumi Holdings Inc.")
    owner = "Shenzhen Bright Lamp Technology Co. Ltd."
    expired = (TODAY - datetime.timedelta(days=1)).isoformat()

    matching = _check(client, draft, office="USPTO", number="78123456", owner_name=owner)
    unknown = _check(client, draft, office="USPTO", number="78000001", owner_name=owner)
    other_owner = _check(client, draft, office="USPTO", number="78999999", owner_name=owner)
    lapsed = _check(
        client, draft, office="USPTO", number="78123456", owner_name=owner, expires_on=expired
    )
    no_data = _check(client, draft, office="EUIPO", number="018123456", owner_name=owner)

    assert matching.json() == {"warnings": []}
    assert unknown.json()["warnings"] == [
        "USPTO number 78000001 is not in the registry data we hold. Check the number; a "
        "reviewer will look it up before deciding."
    ]
    assert other_owner.json()["warnings"] == [
        f"The registry records Lumi Holdings Inc. as the owner, not {owner}. Enter the owner "
        "as the registry shows it, or explain in the ownership step."
    ]
    assert lapsed.json()["warnings"] == [
        f"The certificate expired on {date_format(TODAY - datetime.timedelta(days=1))}. Upload "
        "the renewal certificate if the registration was renewed."
    ]
    assert no_data.json() == {"warnings": []}


def test_the_trademark_check_of_another_companys_draft_answers_404(started, seller_b):
    _client, draft = started
    _registry_mark()

    response = _check(logged_in(seller_b.owner), draft, office="USPTO", number="78000001")

    assert response.status_code == 404
    assert "registry data" not in response.content.decode()


def test_saving_an_unknown_number_and_an_expired_certificate_warns_but_saves(started):
    client, draft = started
    _registry_mark()
    expired = TODAY - datetime.timedelta(days=30)

    saved = client.post(
        step_url(draft, "trademark"),
        _trademark(number="78000001", expires_on=expired.isoformat()),
        follow=True,
    )
    again = client.get(step_url(draft, "trademark"))

    draft.refresh_from_db()
    assert (draft.trademark.number, draft.trademark.expires_on) == ("78000001", expired)
    assert saved.redirect_chain[-1][0] == step_url(draft, "ownership")
    warnings = [
        "USPTO number 78000001 is not in the registry data we hold. Check the number; a "
        "reviewer will look it up before deciding.",
        f"The certificate expired on {date_format(expired)}. Upload the renewal certificate "
        "if the registration was renewed.",
    ]
    assert messages_on(saved) == warnings
    assert again.context["warnings"] == warnings
    assert all(warning in page_text(again) for warning in warnings)
    assert reverse("portal:wizard_trademark_check", args=[draft.pk]) in page_text(again)
