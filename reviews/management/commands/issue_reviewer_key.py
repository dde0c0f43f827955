import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reviews.services import reviewer_key_issue
from sellers.management.commands._output import emit, refusal


class Command(BaseCommand):
    help = (
        "Issue an API key with the review scope to a reviewer, for internal tools calling "
        "/api/v1/review/; prints the key once, as JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True, help="the reviewer's login")
        parser.add_argument("--name", default="review tool", help="what the key is for")
        parser.add_argument("--expires-in-days", type=int, default=90)

    def handle(self, *args, **options):
        if options["expires_in_days"] < 1:
            raise CommandError("--expires-in-days must be at least 1.")
        expires_at = timezone.now() + datetime.timedelta(days=options["expires_in_days"])
        try:
            key, raw = reviewer_key_issue(
                email=options["email"], name=options["name"], expires_at=expires_at
            )
        except ValidationError as exc:
            raise refusal(exc) from None
        emit(
            self,
            {
                "api_key_id": key.pk,
                "prefix": key.prefix,
                "key": raw,
                "scopes": key.scopes,
                "expires_at": key.expires_at,
                "reviewer": key.staff_user.username,
            },
        )
