"""The wizard's categories step starts the application through the one creation path, with the
same rules and messages as the one-page form and the API."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from brandprogram.errors import ApplicationError
from sellers.models import Application, ApplicationDraft, ApplicationEvent, Status
from sellers.services.drafts import draft_save_categories
from tests.sellers.factories import (
    ApplicationFactory,
    BrandFactory,
    CategoryFactory,
    ProgramFactory,
    TrademarkFactory,
)


def _draft(seller) -> ApplicationDraft:
    mark = TrademarkFactory(brand=BrandFactory(company=seller.company))
    return ApplicationDraft.objects.create(
        company=seller.company,
        brand=mark.brand,
        trademark=mark,
        step=ApplicationDraft.Step.CATEGORIES,
        created_by=seller.owner,
    )


def _save_categories(seller, draft, program, categories):
    return draft_save_categories(
        actor=seller.actor,
        draft_id=draft.pk,
        program_id=program.pk,
        category_ids=[category.pk for category in categories],
    )


def test_the_categories_step_starts_the_application_and_its_history(seller_a):
    draft = _draft(seller_a)

    _save_categories(seller_a, draft, ProgramFactory(), [CategoryFactory()])

    application = Application.objects.get(brand=draft.brand)
    assert application.status == Status.DRAFT
    assert [c.code for c in application.categories.all()] == ["lighting-appliances"]
    assert ApplicationEvent.objects.get(application=application).action == "created"


def test_a_program_not_open_yet_is_named_like_in_the_one_page_form(seller_a):
    next_month = datetime.date.today() + datetime.timedelta(days=30)
    program = ProgramFactory(slug="next-month", name="Next Month", opens_on=next_month)

    with pytest.raises(ValidationError) as refused:
        _save_categories(seller_a, _draft(seller_a), program, [CategoryFactory()])

    assert refused.value.message_dict == {
        "program": [f"{program} is not accepting applications today."]
    }
    assert not Application.objects.exists()


def test_a_brand_with_an_open_application_gets_no_second_one(seller_a):
    draft = _draft(seller_a)
    program = ProgramFactory()
    ApplicationFactory(
        company=seller_a.company, brand=draft.brand, trademark=draft.trademark, program=program
    )

    with pytest.raises(ApplicationError) as refused:
        _save_categories(seller_a, draft, program, [CategoryFactory()])

    assert refused.value.code == "duplicate_application"
    assert refused.value.field == "brand_name"
    assert str(refused.value.message) == (
        f"{draft.brand.name} already has an open application in {program}."
    )
