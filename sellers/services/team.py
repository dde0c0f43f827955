"""A company's team: the owner invites, removes and hands over ownership to staff."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from brandprogram.errors import ApplicationError
from sellers.actors import Actor
from sellers.models import Membership


def _owner_membership(actor: Actor) -> Membership:
    membership = Membership.objects.filter(
        user_id=actor.user_id, role=Membership.Role.OWNER
    ).first()
    if membership is None:
        raise ApplicationError(
            gettext("Only the company's owner can manage its team."), code="not_owner"
        )
    return membership


def staff_invite_check(*, actor: Actor, email: str) -> int:
    """Check that the owner may invite ``email``; return the company the invitation is for."""
    owner = _owner_membership(actor)
    if get_user_model().objects.filter(username__iexact=email).exists():
        raise ValidationError(
            {"email": [gettext("%(email)s already has an account.") % {"email": email}]}
        )
    return owner.company_id


def staff_join(*, company_id: int, email: str, password: str, name: str = "") -> Membership:
    """Create the invited person's login as staff of the company that invited them."""
    User = get_user_model()
    first, _, last = name.strip().partition(" ")
    with transaction.atomic():
        if User.objects.filter(username__iexact=email).exists():
            raise ValidationError(
                {"email": [gettext("%(email)s already has an account.") % {"email": email}]}
            )
        user = User.objects.create_user(
            username=email.lower(),
            email=email.lower(),
            password=password,
            first_name=first,
            last_name=last,
        )
        return Membership.objects.create(
            company_id=company_id, user=user, role=Membership.Role.STAFF
        )


def staff_remove(*, actor: Actor, membership_id: int) -> None:
    """Remove a staff member; the login stays but no longer reaches the company."""
    owner = _owner_membership(actor)
    membership = Membership.objects.filter(
        pk=membership_id, company_id=owner.company_id, role=Membership.Role.STAFF
    ).first()
    if membership is None:
        raise ApplicationError(gettext("This company has no such staff member."), code="no_member")
    membership.delete()


def ownership_transfer(*, actor: Actor, membership_id: int) -> Membership:
    """Make a staff member the owner; the previous owner stays on as staff."""
    with transaction.atomic():
        owner = (
            Membership.objects.select_for_update()
            .filter(user_id=actor.user_id, role=Membership.Role.OWNER)
            .first()
        )
        if owner is None:
            raise ApplicationError(
                gettext("Only the company's owner can manage its team."), code="not_owner"
            )
        new_owner = (
            Membership.objects.select_for_update()
            .filter(pk=membership_id, company_id=owner.company_id, role=Membership.Role.STAFF)
            .first()
        )
        if new_owner is None:
            raise ApplicationError(
                gettext("This company has no such staff member."), code="no_member"
            )
        # One owner per company is a constraint, so the old owner steps down first.
        owner.role = Membership.Role.STAFF
        owner.save(update_fields=["role"])
        new_owner.role = Membership.Role.OWNER
        new_owner.save(update_fields=["role"])
    return new_owner
