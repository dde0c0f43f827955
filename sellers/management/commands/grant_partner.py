from django.core.management.base import BaseCommand, CommandError

from sellers.actors import Actor
from sellers.management.commands._output import emit
from sellers.models import PartnerOrganization, SellerCompany
from sellers.services.partners import partner_grant_issue


class Command(BaseCommand):
    help = "Let a partner act for a seller company (what the seller does in the portal)."

    def add_arguments(self, parser):
        parser.add_argument("--partner-id", type=int, required=True)
        parser.add_argument("--company-id", type=int, required=True)

    def handle(self, *args, **options):
        partner = PartnerOrganization.objects.filter(pk=options["partner_id"]).first()
        if partner is None:
            raise CommandError(f"partner-id: no partner {options['partner_id']}")
        company = SellerCompany.objects.filter(pk=options["company_id"]).first()
        if company is None:
            raise CommandError(f"company-id: no company {options['company_id']}")
        grant = partner_grant_issue(
            partner=partner, company=company, actor=Actor(label="operator shell")
        )
        emit(
            self,
            {
                "grant_id": grant.pk,
                "partner": partner.name,
                "company": company.legal_name,
                "granted_at": grant.granted_at.isoformat(),
            },
        )
