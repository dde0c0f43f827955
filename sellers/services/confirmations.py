"""The email that confirms a new owner's address and opens the account, and sending it again."""

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from sellers.mail import mail_after_commit, portal_link
from sellers.models import Membership, SellerCompany
from sellers.tokens import account_confirmation_token

# One new link per account in this time, however often the form is sent: enough for a mail
# that went astray, too few to flood a mailbox.
RESEND_INTERVAL_SECONDS = 5 * 60


def account_confirmation_send(*, user, company: SellerCompany) -> None:
    """Mail ``user`` a link that confirms the address and opens the account (after commit)."""
    link = portal_link(
        reverse(
            "account_confirm",
            args=[
                urlsafe_base64_encode(force_bytes(user.pk)),
                account_confirmation_token.make_token(user),
            ],
        )
    )
    mail_after_commit(
        to=user.email,
        template="sellers/email/confirm_account",
        context={"company": company, "link": link},
    )


def account_confirmation_resend(*, email: str) -> None:
    """A new confirmation link for a company owner who signed up and never confirmed.

    Any other address (unknown, confirmed, a staff member, a deactivated account that was
    once used) gets nothing, and the caller answers all alike, so the form tells nobody who
    has an account.
    """
    user = (
        get_user_model()
        .objects.filter(username__iexact=email.strip(), is_active=False, last_login__isnull=True)
        .first()
    )
    if user is None:
        return
    membership = (
        Membership.objects.filter(user=user, role=Membership.Role.OWNER)
        .select_related("company")
        .first()
    )
    if membership is None:
        return
    # Keyed by the account's creation too: a key outlives a deleted account in the cache.
    key = f"confirmation-resent:{user.pk}:{user.date_joined.timestamp()}"
    if cache.add(key, True, RESEND_INTERVAL_SECONDS):
        account_confirmation_send(user=user, company=membership.company)
