"""A company's team: the owner invites, removes and hands over ownership to staff."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from brandprogram.errors import ApplicationError
from sellers.actors import Actor
from sellers.models import Membership, StaffInvitation
from sellers.tokens import INVITATION_LIFETIME


def _owner_membership(actor: Actor) -> Membership:
    membership = Membership.objects.filter(
        user_id=actor.user_id, role=Membership.Role.OWNER
    ).first()
    if membership is None:
        raise ApplicationError(
            gettext("Only the company's owner can manage its team."), code="not_owner"
        )
    return membership


def staff_invite(*, actor: Actor, email: str) -> StaffInvitation:
    """Record the owner's invitation of ``email``; a pending one to the same address is renewed."""
    owner = _owner_membership(actor)
    if get_user_model().objects.filter(username__iexact=email).exists():
        raise ValidationError(
            {"email": [gettext("%(email)s already has an account.") % {"email": email}]}
        )
    now = timezone.now()
    invitation = _pending(owner.company_id).filter(email__iexact=email).first()
    if invitation is None:
        invitation = StaffInvitation(company_id=owner.company_id, email=email.lower())
    invitation.sent_at = now
    invitation.expires_at = now + INVITATION_LIFETIME
    invitation.save()
    return invitation


def _pending(company_id: int):
    return StaffInvitation.objects.filter(
        company_id=company_id, accepted_at__isnull=True, cancelled_at__isnull=True
    )


def pending_invitations(company_id: int) -> list[StaffInvitation]:
    return list(_pending(company_id).order_by("-sent_at"))


def _owned_pending(actor: Actor, invitation_id: int) -> StaffInvitation:
    owner = _owner_membership(actor)
    invitation = _pending(owner.company_id).filter(pk=invitation_id).first()
    if invitation is None:
        raise ApplicationError(
            gettext("This company has no such pending invitation."), code="no_invitation"
        )
    return invitation


def staff_invitation_resend(*, actor: Actor, invitation_id: int) -> StaffInvitation:
    """Send a pending invitation again, valid for another full period from now."""
    invitation = _owned_pending(actor, invitation_id)
    invitation.sent_at = timezone.now()
    invitation.expires_at = invitation.sent_at + INVITATION_LIFETIME
    invitation.save(update_fields=["sent_at", "expires_at"])
    return invitation


def staff_invitation_cancel(*, actor: Actor, invitation_id: int) -> None:
    """Withdraw a pending invitation; its emailed links are refused from now on."""
    invitation = _owned_pending(actor, invitation_id)
    invitation.cancelled_at = timezone.now()
    invitation.save(update_fields=["cancelled_at"])


def staff_join(
    *, company_id: int, email: str, password: str, name: str = "", invitation_id: int | None = None
) -> Membership:
    """Create the invited person's login as staff of the company that invited them."""
    User = get_user_model()
    first, _, last = name.strip().partition(" ")
    with transaction.atomic():
        if User.objects.filter(username__iexact=email).exists():
            raise ValidationError(
                {"email": [gettext("%(email)s already has an account.") % {"email": email}]}
            )
        if invitation_id is not None:
            accepted = (
                _pending(company_id).filter(pk=invitation_id).update(accepted_at=timezone.now())
            )
            if not accepted:
                raise ValidationError(gettext("This invitation was cancelled."))
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
