"""Signed links sent by email: account confirmation and staff invitations."""

import datetime

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import signing

INVITATION_SALT = "sellers.invitation"
INVITATION_LIFETIME = datetime.timedelta(days=7)


class AccountConfirmationTokenGenerator(PasswordResetTokenGenerator):
    """Like the password-reset token, but spent once the account is active."""

    key_salt = "sellers.tokens.AccountConfirmationTokenGenerator"

    def _make_hash_value(self, user, timestamp) -> str:
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"


account_confirmation_token = AccountConfirmationTokenGenerator()


def invitation_make(*, company_id: int, email: str, invitation_id: int) -> str:
    return signing.dumps(
        {"company": company_id, "email": email.lower(), "invitation": invitation_id},
        salt=INVITATION_SALT,
    )


def invitation_read(token: str) -> dict | None:
    """The invitation's company, email and record (absent from links mailed before invitations
    were recorded), or None when the link is forged or too old."""
    try:
        return signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_LIFETIME)
    except signing.BadSignature:
        return None
