"""Writes on the reviewer side, one function per use case."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from brandprogram.errors import ApplicationError
from brandprogram.phrases import Phrase
from sellers.actors import (
    MANAGER_GROUP,
    REVIEWER_GROUP,
    SENIOR_REVIEWER_GROUP,
    Actor,
    actor_for_user,
)
from sellers.models import Application, ConflictOfInterest, SellerCompany, Status
from sellers.models.partner import Scope
from sellers.services.api_keys import api_key_issue
from sellers.workflow.transition import application_transition


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


def conflict_declare(*, actor: Actor, company: SellerCompany, reason: str) -> ConflictOfInterest:
    """A reviewer declares a link to a seller company; applications of it that the reviewer
    holds go back to their queue first, since they may no longer be decided by them."""
    reason = reason.strip()
    if not reason:
        raise ApplicationError(
            gettext("Say how you are linked to the company."), code="reason_required"
        )
    with transaction.atomic():
        held = Application.objects.filter(
            company=company, status=Status.IN_REVIEW, assignee_id=actor.user_id
        ).values_list("pk", flat=True)
        for application_id in held:
            application_transition(
                application_id=application_id,
                action="release",
                actor=actor,
                note=Phrase(
                    gettext_noop("Released: the reviewer declared a conflict of interest.")
                ),
            )
        try:
            with transaction.atomic():
                return ConflictOfInterest.objects.create(
                    reviewer=actor.user, company=company, reason=reason
                )
        except IntegrityError:
            raise ApplicationError(
                gettext("You have already declared a link to %(company)s.")
                % {"company": company.legal_name},
                code="already_declared",
            ) from None


def conflict_withdraw(*, conflict: ConflictOfInterest, actor: Actor) -> ConflictOfInterest:
    ConflictOfInterest.objects.filter(
        pk=conflict.pk, reviewer_id=actor.user_id, withdrawn_at__isnull=True
    ).update(withdrawn_at=timezone.now())
    conflict.refresh_from_db()
    return conflict


def reviewer_key_issue(*, email: str, name: str, expires_at=None):
    """An API key for internal review tools, acting as the reviewer; returns (key, secret)."""
    user = get_user_model().objects.filter(username__iexact=email.strip(), is_active=True).first()
    if user is None or not actor_for_user(user).is_reviewer:
        raise ValidationError({"email": [f"{email} is not an active reviewer's login."]})
    return api_key_issue(name=name, scopes=[Scope.REVIEW], staff_user=user, expires_at=expires_at)
