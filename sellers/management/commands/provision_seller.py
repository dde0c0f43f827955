from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from sellers.management.commands._output import emit, refusal
from sellers.models import SellerCompany
from sellers.services.companies import company_register


class Command(BaseCommand):
    help = "Create a seller company with its owner login; prints the result as JSON."

    def add_arguments(self, parser):
        parser.add_argument("--legal-name", required=True)
        parser.add_argument("--country", required=True, help="ISO 3166 alpha-2 code, e.g. CN")
        parser.add_argument("--registration-number", required=True)
        parser.add_argument("--owner-email", required=True)
        parser.add_argument("--owner-password", required=True)
        parser.add_argument("--owner-name", default="")
        parser.add_argument("--tier", choices=SellerCompany.Tier.values, default="standard")
        parser.add_argument("--verified", action="store_true", help="mark the identity as verified")
        parser.add_argument(
            "--category",
            action="append",
            default=[],
            help="main category code (or the code of one under it), up to two",
        )

    def handle(self, *args, **options):
        try:
            company = company_register(
                legal_name=options["legal_name"],
                country=options["country"].upper(),
                registration_number=options["registration_number"],
                owner_email=options["owner_email"],
                owner_password=options["owner_password"],
                owner_name=options["owner_name"],
                tier=options["tier"],
                identity_status="verified" if options["verified"] else "unverified",
                category_codes=tuple(options["category"]),
            )
        except ValidationError as exc:
            raise refusal(exc) from None
        emit(
            self,
            {
                "company_id": company.pk,
                "legal_name": company.legal_name,
                "country": company.country.code,
                "registration_number": company.registration_number,
                "owner": options["owner_email"].lower(),
            },
        )
