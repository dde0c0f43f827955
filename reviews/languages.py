"""The language each reviewer and manager reads in: the one they last logged in with.

Pages follow the language switch of the moment (Django's locale middleware); mail and notices,
written when nobody of theirs is looking, follow what is remembered here, as sellers' follow
their membership (sellers.services.companies.membership_set_language).
"""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.utils import translation

from reviews.models import StaffProfile
from sellers.actors import MANAGER_GROUP, REVIEWER_GROUP, SENIOR_REVIEWER_GROUP
from sellers.mail import mail_after_commit

STAFF_GROUPS = (REVIEWER_GROUP, SENIOR_REVIEWER_GROUP, MANAGER_GROUP)


def staff_language_remember(*, user: AbstractBaseUser, language: str) -> None:
    """Remember the language a staff member uses; anyone else, or a language the service does
    not speak, is left alone."""
    if language not in dict(settings.LANGUAGES):
        return
    if not user.groups.filter(name__in=STAFF_GROUPS).exists():
        return
    StaffProfile.objects.update_or_create(user=user, defaults={"language": language})


def staff_language(user: AbstractBaseUser) -> str:
    language = StaffProfile.objects.filter(user=user).values_list("language", flat=True).first()
    return language or settings.LANGUAGE_CODE


def staff_mail_after_commit(*, user: AbstractBaseUser, template: str, context: dict) -> None:
    """Mail a staff member in their language once the current transaction commits."""
    with translation.override(staff_language(user)):
        mail_after_commit(to=user.email, template=template, context=context)
