"""A CNIPA application screened without registry data, and verifications of its mark."""

import datetime

from django.utils import timezone

from reviews.models import RegistryVerification
from reviews.tasks import screen_application
from reviews.verification import registry_verification_record
from sellers.actors import actor_for_user
from sellers.models import Application
from sellers.workflow.transition import application_transition
from tests.files import png_upload
from tests.sellers.factories import ApplicationFactory

CNIPA_NUMBER = "12345678"
OWNER = "Shenzhen Bright Lamp Technology Co., Ltd."


def screened_cnipa(seller, *, brand="BRIGHTLAMP") -> Application:
    """Submitted and screened: the registry check found no CNIPA data."""
    application = ApplicationFactory(
        company=seller.company,
        brand__name=brand,
        trademark__office="CNIPA",
        trademark__number=CNIPA_NUMBER,
    )
    application_transition(application_id=application.pk, action="submit", actor=seller.actor)
    screen_application(application_id=application.pk)
    return Application.objects.get(pk=application.pk)


def verification_fields(**overrides) -> dict:
    fields = {
        "number": f"第{CNIPA_NUMBER}号",
        "mark_words": "BRIGHTLAMP",
        "figurative": False,
        "owner_name": OWNER,
        "nice_classes": ["11"],
        "status": "registered",
        "valid_until": timezone.localdate() + datetime.timedelta(days=3000),
        "search_url": "https://sbj.cnipa.gov.cn/sbj/sbcx/",
        "capture": png_upload("cnipa-12345678.png"),
        "note": "Looked up by registration number.",
    }
    return fields | overrides


def verify(application, reviewer, **overrides) -> RegistryVerification:
    return registry_verification_record(
        actor=actor_for_user(reviewer),
        application_id=application.pk,
        **verification_fields(**overrides),
    )


def age(verification: RegistryVerification, *, days: int) -> None:
    RegistryVerification.objects.filter(pk=verification.pk).update(
        verified_at=timezone.now() - datetime.timedelta(days=days)
    )
