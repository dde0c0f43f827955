"""Adding evidence to an application: refused once it is under review or for another company."""

import pytest

from brandprogram.errors import ApplicationError
from sellers.models import ApplicationEvent
from sellers.services.evidence import evidence_add
from tests import files
from tests.sellers.factories import ApplicationFactory


def test_evidence_add_while_under_review_is_refused(seller_a):
    application = ApplicationFactory(company=seller_a.company, awaiting_review=True)

    with pytest.raises(ApplicationError) as refused:
        evidence_add(
            actor=seller_a.actor,
            application_id=application.pk,
            kind="product_photo",
            upload=files.png_upload(),
        )

    assert refused.value.code == "not_editable"
    assert application.evidence.count() == 1


def test_evidence_add_by_another_company_is_refused(seller_a, seller_b):
    application = ApplicationFactory(company=seller_a.company)

    with pytest.raises(ApplicationError):
        evidence_add(
            actor=seller_b.actor,
            application_id=application.pk,
            kind="product_photo",
            upload=files.png_upload(),
        )

    assert application.evidence.count() == 1
    assert not ApplicationEvent.objects.filter(application=application).exists()
