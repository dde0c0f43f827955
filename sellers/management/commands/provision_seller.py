import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from sellers.actors import Actor, Role
from sellers.management.commands._output import emit, refusal
from sellers.services.companies import company_register
from sellers.services.indicators import company_indicators_update
from sellers.services.tiers import tiering_run
from sellers.tiering import tier_explanation

# Whoever runs the command stands in for the marketplace system that reports indicators.
OPERATOR = Actor(label="Operator (provision_seller)", staff_roles=frozenset({Role.SYSTEM}))
INDICATOR_OPTIONS = {
    "quality_dispute_rate": (Decimal, "share of orders with a quality dispute, 0 to 1"),
    "nps": (int, "buyer net promoter score, -100 to 100"),
    "infringement_complaints": (int, "open infringement complaints"),
    "on_time_delivery_rate": (Decimal, "share of orders delivered on time, 0 to 1"),
    "overseas_stock_days": (int, "overseas warehouse stock, in days of sales"),
}


class Command(BaseCommand):
    help = (
        "Create a seller company with its owner login; prints the result as JSON. With "
        "operating indicators, they are recorded as the marketplace would report them and "
        "this month's tiering run is recomputed, which gives the seller its tier."
    )

    def add_arguments(self, parser):
        parser.add_argument("--legal-name", required=True)
        parser.add_argument("--country", required=True, help="ISO 3166 alpha-2 code, e.g. CN")
        parser.add_argument("--registration-number", required=True)
        parser.add_argument("--owner-email", required=True)
        parser.add_argument("--owner-password", required=True)
        parser.add_argument("--owner-name", default="")
        parser.add_argument(
            "--tier", help="refused: the tier is computed from the indicators, give those"
        )
        parser.add_argument("--verified", action="store_true", help="mark the identity as verified")
        parser.add_argument(
            "--category",
            action="append",
            default=[],
            help="main category code (or the code of one under it), up to two",
        )
        for field, (_kind, meaning) in INDICATOR_OPTIONS.items():
            parser.add_argument(f"--{field.replace('_', '-')}", help=meaning)
        parser.add_argument(
            "--measured-on",
            type=datetime.date.fromisoformat,
            help="the day the indicators were measured (YYYY-MM-DD); default today",
        )

    def handle(self, *args, **options):
        if options["tier"]:
            raise CommandError(
                "--tier: the tier is computed by the monthly tiering run from the operating "
                "indicators; give them instead (--nps, --quality-dispute-rate, ...)."
            )
        indicators = _indicators(options)
        try:
            with transaction.atomic():
                company = company_register(
                    legal_name=options["legal_name"],
                    country=options["country"].upper(),
                    registration_number=options["registration_number"],
                    owner_email=options["owner_email"],
                    owner_password=options["owner_password"],
                    owner_name=options["owner_name"],
                    identity_status="verified" if options["verified"] else "unverified",
                    category_codes=tuple(options["category"]),
                )
                if indicators:
                    company_indicators_update(
                        actor=OPERATOR,
                        company_id=company.pk,
                        values=indicators,
                        as_of=options["measured_on"],
                    )
                    tiering_run()
                    company.refresh_from_db()
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
                "tier": company.tier,
                "tier_reason": tier_explanation(company).reason,
            },
        )


def _indicators(options: dict) -> dict:
    values = {}
    for field, (kind, _meaning) in INDICATOR_OPTIONS.items():
        raw = options[field]
        if raw is None:
            continue
        try:
            values[field] = kind(raw)
        except (ValueError, InvalidOperation):
            raise CommandError(f"{field}: {raw!r} is not a number") from None
    return values
