from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from sellers.management.commands._output import emit, refusal
from sellers.models.partner import Scope
from sellers.services.api_keys import api_key_issue
from sellers.services.partners import partner_create


class Command(BaseCommand):
    help = "Create a partner organisation (or reuse it by name) and issue it an API key."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--contact-email", required=True)
        parser.add_argument("--key-name", default="default")
        parser.add_argument(
            "--scope",
            action="append",
            choices=Scope.values,
            help="repeat for several; default: read and write applications and evidence",
        )
        parser.add_argument(
            "--marketplace-system",
            action="store_true",
            help="a marketplace system, which may be given the indicators:write scope",
        )

    def handle(self, *args, **options):
        scopes = options["scope"] or [
            Scope.APPLICATIONS_READ,
            Scope.APPLICATIONS_WRITE,
            Scope.EVIDENCE_WRITE,
        ]
        partner = partner_create(
            name=options["name"],
            contact_email=options["contact_email"],
            marketplace_system=options["marketplace_system"],
        )
        try:
            key, raw = api_key_issue(name=options["key_name"], scopes=scopes, partner=partner)
        except ValidationError as exc:
            raise refusal(exc) from None
        emit(
            self,
            {
                "partner_id": partner.pk,
                "name": partner.name,
                "api_key": raw,
                "key_prefix": key.prefix,
                "scopes": key.scopes,
                "note": "The key is shown only now; store it safely.",
            },
        )
