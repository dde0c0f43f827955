"""Writes on the reviewer side, one function per use case."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction

from sellers.actors import MANAGER_GROUP, REVIEWER_GROUP, SENIOR_REVIEWER_GROUP


def reviewer_create(
    *, email: str, password: str, name: str = "", senior: bool = False, manager: bool = False
):
    User = get_user_model()
    email = email.strip().lower()
    with transaction.atomic():
        if User.objects.filter(username__iexact=email).exists():
            raise ValidationError({"email": [f"{email} already has an account."]})
        first, _, last = name.partition(" ")
        user = User.objects.create_user(
            username=email, email=email, password=password, first_name=first, last_name=last
        )
        group_names = [REVIEWER_GROUP, SENIOR_REVIEWER_GROUP] if senior else [REVIEWER_GROUP]
        if manager:
            group_names.append(MANAGER_GROUP)
        for group_name in group_names:
            group, _ = Group.objects.get_or_create(name=group_name)
            user.groups.add(group)
    return user
