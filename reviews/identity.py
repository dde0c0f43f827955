"""Company verification: a request enters its own queue when a company's profile becomes
complete (sellers.signals.company_verification_requested); a reviewer compares the business
licence with the legal name and registration number and verifies or refuses, with a reason
the seller reads."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from brandprogram.errors import ApplicationError
from reviews.models import CompanyVerification
from reviews.sla import add_business_days
from sellers.access import Door, may_see
from sellers.actors import Actor
from sellers.models import SellerCompany
from sellers.services.companies import company_identity_decide


def company_verification_open(*, company_id: int) -> CompanyVerification:
    """Inside the seller's transaction: a request replaces any still waiting for the company."""
    now = timezone.now()
    company = SellerCompany.objects.get(pk=company_id)
    CompanyVerification.objects.open().filter(company_id=company_id).update(
        closed_at=now, outcome=CompanyVerification.Outcome.SUPERSEDED
    )
    return CompanyVerification.objects.create(
        company=company,
        legal_name=company.legal_name,
        registration_number=company.registration_number,
        licence_sha256=company.business_licence_sha256,
        requested_at=now,
        due_at=add_business_days(now, settings.IDENTITY_VERIFICATION_SLA_BUSINESS_DAYS),
    )


def company_verification_decide(
    *, actor: Actor, verification_id: int, verified: bool, reason: str = ""
) -> CompanyVerification:
    """Verify or refuse the company of an open request; a refusal says why."""
    reason = reason.strip()
    if not verified and not reason:
        raise ApplicationError(
            gettext("Say why the identity is refused; the seller reads it."),
            code="reason_required",
            field="reason",
        )
    with transaction.atomic():
        verification = (
            CompanyVerification.objects.select_for_update().filter(pk=verification_id).first()
        )
        if verification is None or not may_see(actor, verification.company_id, doors=Door.STAFF):
            raise ApplicationError(gettext("No such verification."), code="not_found")
        if verification.closed_at is not None:
            raise ApplicationError(
                gettext("This verification was closed already (%(outcome)s).")
                % {"outcome": verification.get_outcome_display()},
                code="verification_closed",
            )
        company_identity_decide(
            actor=actor, company_id=verification.company_id, verified=verified, note=reason
        )
        verification.closed_at = timezone.now()
        verification.outcome = (
            CompanyVerification.Outcome.VERIFIED
            if verified
            else CompanyVerification.Outcome.REFUSED
        )
        verification.reason = reason
        verification.decided_by = actor.user
        verification.save(update_fields=["closed_at", "outcome", "reason", "decided_by"])
    return verification
