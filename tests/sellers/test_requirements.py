"""Evidence requirements per category: the seeded defaults, the checklist and the submit guard."""

import importlib

import pytest
from django.apps import apps

from brandprogram.errors import ApplicationError
from sellers.models import CategoryRequirement, Status
from sellers.requirements import evidence_checklist, missing_evidence
from sellers.workflow.transition import application_transition
from tests.sellers.factories import ApplicationFactory, CategoryFactory, EvidenceFactory

seed = importlib.import_module("sellers.migrations.0004_category_requirement_defaults")


def _require(category, **kinds: bool) -> None:
    for kind, required in kinds.items():
        CategoryRequirement.objects.create(category=category, kind=kind, required=required)


@pytest.fixture
def toys(db):
    return CategoryFactory(code="toys-sports", name="Toys and sports goods", nice_classes=[28])


@pytest.fixture
def lighting(db):
    return CategoryFactory()


def test_seeded_defaults_require_certificate_and_photo_everywhere_and_more_for_toys(db, toys):
    seed.load(apps, None)

    rows = set(CategoryRequirement.objects.filter(category=toys).values_list("kind", "required"))
    everywhere = {
        code: set(
            CategoryRequirement.objects.filter(category__code=code, required=True).values_list(
                "kind", flat=True
            )
        )
        >= {"trademark_certificate", "product_photo"}
        for code in ("apparel", "electronics", "furniture", "toys-sports")
    }
    assert rows == {
        ("trademark_certificate", True),
        ("product_photo", True),
        ("quality_certificate", True),
        ("test_report", True),
    }
    assert everywhere == {
        "apparel": True,
        "electronics": True,
        "furniture": True,
        "toys-sports": True,
    }


def test_checklist_lists_required_first_and_marks_what_is_attached(seller_a, lighting):
    _require(lighting, trademark_certificate=True, product_photo=True, test_report=False)
    application = ApplicationFactory(company=seller_a.company, categories=[lighting])

    checklist = evidence_checklist(application)

    assert [(i.kind, i.required, i.met) for i in checklist] == [
        ("trademark_certificate", True, False),
        ("product_photo", True, True),
        ("test_report", False, False),
    ]


def test_a_kind_required_by_either_category_is_required(seller_a, lighting, toys):
    _require(lighting, test_report=False)
    _require(toys, test_report=True)
    application = ApplicationFactory(company=seller_a.company, categories=[lighting, toys])

    assert [(item.kind, item.label) for item in missing_evidence(application)] == [
        ("test_report", "Product test report")
    ]


@pytest.mark.parametrize(
    ("action", "status"), [("submit", Status.DRAFT), ("resubmit", Status.CHANGES_REQUESTED)]
)
def test_submit_names_exactly_the_missing_documents(action, status, seller_a, toys):
    _require(
        toys,
        trademark_certificate=True,
        product_photo=True,
        quality_certificate=True,
        test_report=False,
    )
    application = ApplicationFactory(company=seller_a.company, categories=[toys], status=status)

    with pytest.raises(ApplicationError) as refused:
        application_transition(application_id=application.pk, action=action, actor=seller_a.actor)

    assert (refused.value.code, refused.value.field, refused.value.message) == (
        "evidence_missing",
        "evidence",
        "Attach these documents before submitting: Trademark certificate, Quality certificate.",
    )
    assert refused.value.details == {
        "missing_kinds": ["trademark_certificate", "quality_certificate"]
    }
    application.refresh_from_db()
    assert application.status == status
    assert list(application.events.values_list("action", flat=True)) == []


def test_submit_goes_through_once_every_required_document_is_attached(seller_a, toys):
    _require(toys, trademark_certificate=True, product_photo=True, test_report=False)
    application = ApplicationFactory(company=seller_a.company, categories=[toys])
    EvidenceFactory(application=application, kind="trademark_certificate")

    application_transition(application_id=application.pk, action="submit", actor=seller_a.actor)

    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert missing_evidence(application) == []


def test_without_requirements_one_file_is_still_needed(seller_a, lighting):
    application = ApplicationFactory(
        company=seller_a.company, categories=[lighting], with_evidence=False
    )

    with pytest.raises(ApplicationError) as refused:
        application_transition(application_id=application.pk, action="submit", actor=seller_a.actor)

    assert refused.value.message == "Attach at least one evidence file before submitting."


def test_program_manager_changes_a_requirement_in_the_admin(db, client, toys):
    from django.contrib.auth import get_user_model

    manager = get_user_model().objects.create_superuser(
        "manager@brand-program.example", password="correct-horse-battery"
    )
    requirement = CategoryRequirement.objects.create(
        category=toys, kind="test_report", required=True
    )
    client.force_login(manager)
    url = f"/admin/sellers/categoryrequirement/{requirement.pk}/change/"

    page = client.get(url)
    saved = client.post(url, {"category": toys.pk, "kind": "test_report", "required": ""})

    requirement.refresh_from_db()
    assert "Toys and sports goods" in page.content.decode()
    assert saved.status_code == 302
    assert requirement.required is False
