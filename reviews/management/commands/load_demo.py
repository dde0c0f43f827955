"""Demo data for `make run`: two seller companies, reviewers, a partner key, applications,
and the marketplace's other sellers, whose indicators the monthly tiering ranks them against."""

import io
import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from PIL import Image
from stdnum.cn import uscc

from reviews.models import QueueMembership, ReviewQueue
from reviews.services import reviewer_create
from sellers.actors import Actor, Role, actor_for_user
from sellers.models import (
    ApiKey,
    Category,
    Certification,
    Facility,
    PartnerOrganization,
    Program,
    SellerCompany,
)
from sellers.models.partner import Scope
from sellers.services.api_keys import api_key_issue
from sellers.services.applications import TrademarkInput, application_create
from sellers.services.companies import company_register
from sellers.services.evidence import EvidenceInput
from sellers.services.indicators import company_indicators_update
from sellers.services.partners import partner_create, partner_grant_issue
from sellers.services.tiers import tiering_run
from sellers.workflow.transition import application_transition

DEMO_PASSWORD = "brand-demo-2026"  # noqa: S105 - printed on purpose for the demo logins
SELLER_A = "owner@bright-lamp.example"
SELLER_B = "owner@harbor-housewares.example"
REVIEWER = "reviewer@brand-program.example"
SENIOR = "senior@brand-program.example"
MANAGER = "manager@brand-program.example"
ADMIN = "admin@brand-program.example"
PARTNER = "Silk Road Brand Services"
DATA = Path(__file__).resolve().parents[2] / "data"
# The demo stands in for the marketplace system that reports the sellers' indicators.
MARKETPLACE = Actor(label="Marketplace indicators (demo)", staff_roles=frozenset({Role.SYSTEM}))
# Enough other sellers that the top 5 % holds a place: with the two demo sellers, twenty are
# ranked and the best is silver (gold, the top 1 %, needs a hundred).
OTHER_SELLERS = 18
OTHER_CITIES = ("Yiwu", "Foshan", "Xiamen", "Suzhou", "Qingdao", "Dongguan")
OTHER_TRADES = ("Garden Tools", "Pet Supplies", "Ceramics")


class Command(BaseCommand):
    help = "Load demo companies, logins and applications (safe to run again); prints the logins."

    def handle(self, *args, **options):
        User = get_user_model()
        call_command(
            "import_registry",
            str(DATA / "uspto_sample.xml"),
            format="uspto-xml",
            stdout=io.StringIO(),
        )
        # Records of other offices, with the correspondent emails that record-control codes go
        # to (USPTO's bulk data carries none).
        call_command(
            "import_registry", str(DATA / "registry_sample.csv"), format="csv", stdout=io.StringIO()
        )
        with transaction.atomic():
            if not User.objects.filter(username=SELLER_A).exists():
                self._create_people()
            partner = PartnerOrganization.objects.get(name=PARTNER)
            # The key secret is never stored, so each run issues a fresh demo key and retires
            # the previous one.
            ApiKey.objects.filter(partner=partner, revoked_at__isnull=True).update(
                revoked_at=timezone.now()
            )
            _, raw_key = api_key_issue(
                name="demo",
                # Every scope an agency's key can hold, so each example in the guide runs.
                scopes=[
                    Scope.APPLICATIONS_READ,
                    Scope.APPLICATIONS_WRITE,
                    Scope.EVIDENCE_WRITE,
                    Scope.WEBHOOKS_MANAGE,
                ],
                partner=partner,
            )
        company = SellerCompany.objects.get(memberships__user__username=SELLER_A)
        logins = {
            "seller_owner": {
                "login": SELLER_A,
                "password": DEMO_PASSWORD,
                "company": company.legal_name,
            },
            "second_seller_owner": {"login": SELLER_B, "password": DEMO_PASSWORD},
            "reviewer": {"login": REVIEWER, "password": DEMO_PASSWORD},
            "senior_reviewer": {"login": SENIOR, "password": DEMO_PASSWORD},
            "program_manager": {"login": MANAGER, "password": DEMO_PASSWORD},
            "admin": {"login": ADMIN, "password": DEMO_PASSWORD, "url": "/admin/"},
            "partner_api_key": {
                "partner": PARTNER,
                "key": raw_key,
                "acts_for_company_id": company.pk,
            },
        }
        self.stdout.write(json.dumps(logins, indent=2))

    def _create_people(self):
        User = get_user_model()
        company_a = company_register(
            legal_name="Shenzhen Bright Lamp Technology Co., Ltd.",
            country="CN",
            registration_number="91440300MA5FABCD1Q",
            owner_email=SELLER_A,
            owner_password=DEMO_PASSWORD,
            owner_name="Li Wei",
            identity_status="verified",
            category_codes=("lighting-appliances",),
        )
        company_b = company_register(
            legal_name="Ningbo Harbor Housewares Co., Ltd.",
            country="CN",
            registration_number="91330201MA2CG7QK42",
            owner_email=SELLER_B,
            owner_password=DEMO_PASSWORD,
            owner_name="Chen Jing",
            identity_status="verified",
            category_codes=("kitchenware",),
        )
        _demo_tiers(company_a, company_b)
        reviewer_create(email=REVIEWER, password=DEMO_PASSWORD, name="Ana Reviewer")
        reviewer_create(email=SENIOR, password=DEMO_PASSWORD, name="Sam Senior", senior=True)
        reviewer_create(
            email=MANAGER, password=DEMO_PASSWORD, name="Mia Manager", senior=True, manager=True
        )
        User.objects.create_superuser(username=ADMIN, email=ADMIN, password=DEMO_PASSWORD)
        _demo_queues()
        partner = partner_create(name=PARTNER, contact_email="api@silkroad-brands.example")
        owner = User.objects.get(username=SELLER_A)
        actor = actor_for_user(owner)
        partner_grant_issue(partner=partner, company=company_a, actor=actor)
        factory = Facility.objects.create(
            company=company_a,
            manufacturer_name="Bright Lamp Dongguan Factory",
            country="CN",
            ownership=Facility.Ownership.OWN,
            monthly_capacity_units=120_000,
        )
        Certification.objects.create(
            facility=factory,
            standard="ISO 9001:2015",
            number="CN-QMS-2025-0417",
            issuer="China Quality Certification Centre",
            scope="Design and manufacture of LED lamps and fittings",
            expires_on=date(timezone.localdate().year + 2, 12, 31),
        )
        program = Program.objects.get(slug="thousand-class")
        lighting = Category.objects.get(code="lighting-appliances")
        for brand, office, number, submit in (
            ("LUMIBRIGHT", "USPTO", "78123456", True),
            ("BRIGHTLAMP", "EUIPO", "018500001", False),
        ):
            application = application_create(
                actor=actor,
                company_id=company_a.pk,
                program_id=program.pk,
                brand_name=brand,
                brand_native_name="",
                trademark=TrademarkInput(
                    office=office,
                    number=number,
                    registration_status="registered",
                    mark_type="word",
                    nice_classes=[11],
                    owner_name=company_a.legal_name,
                    expires_on=date(timezone.localdate().year + 8, 6, 30),
                ),
                category_ids=[lighting.pk],
                evidence=[
                    EvidenceInput("product_photo", _demo_photo(brand)),
                    EvidenceInput(
                        "trademark_certificate",
                        _demo_certificate(brand, office, number, company_a.legal_name),
                    ),
                ],
            )
            if submit:
                application_transition(application_id=application.pk, action="submit", actor=actor)


def _demo_tiers(company_a: SellerCompany, company_b: SellerCompany) -> None:
    """The indicators the marketplace reported, then the month's tiering run, so each demo
    seller's tier comes with its score, its parts and its rank like a real one."""
    today = timezone.localdate()
    _report(company_a, today, "0.0030", 62, 0, "0.9700", 35)
    _report(company_b, today, "0.0060", 35, 1, "0.9200")
    # Last reported ten weeks ago: stale, so it earns nothing (the portal shows it missing).
    company_indicators_update(
        actor=MARKETPLACE,
        company_id=company_b.pk,
        values={"overseas_stock_days": 40},
        as_of=today - timedelta(days=70),
    )
    for number in range(OTHER_SELLERS):
        city = OTHER_CITIES[number % len(OTHER_CITIES)]
        trade = OTHER_TRADES[number // len(OTHER_CITIES)]
        body = f"91330100MA2CD{number:04d}"
        company = company_register(
            legal_name=f"{city} {trade} Co., Ltd.",
            country="CN",
            registration_number=body + uscc.calc_check_digit(body),
            owner_email=f"owner@seller-{number + 1:02d}.demo.example",
            # Nobody logs in as them in the demo.
            owner_password=None,
            identity_status="verified",
        )
        _report(
            company,
            today,
            f"{Decimal('0.0040') + Decimal('0.0005') * number}",
            55 - 2 * number,
            number % 3,
            f"{Decimal('0.9500') - Decimal('0.0040') * number}",
            30 - number,
        )
    tiering_run(today=today)


def _report(company, on: date, dispute_rate, nps, complaints, on_time, stock_days=None) -> None:
    values = {
        "quality_dispute_rate": Decimal(dispute_rate),
        "nps": nps,
        "infringement_complaints": complaints,
        "on_time_delivery_rate": Decimal(on_time),
    }
    if stock_days is not None:
        values["overseas_stock_days"] = stock_days
    company_indicators_update(actor=MARKETPLACE, company_id=company.pk, values=values, as_of=on)


def _demo_queues() -> None:
    """A claim-next queue for every category and one for senior review, led by the seniors."""
    people = {
        email: get_user_model().objects.get(username=email) for email in (REVIEWER, SENIOR, MANAGER)
    }
    general = ReviewQueue.objects.create(name="General", sla_business_days=3)
    senior = ReviewQueue.objects.create(
        name="Senior review", risk_level=ReviewQueue.RiskLevel.SENIOR, sla_business_days=2
    )
    for queue, members, lead in (
        (general, (REVIEWER, SENIOR, MANAGER), SENIOR),
        (senior, (SENIOR, MANAGER), MANAGER),
    ):
        for email in members:
            QueueMembership.objects.create(
                queue=queue, reviewer=people[email], is_lead=email == lead
            )


def _demo_photo(brand: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (250, 200, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile(f"{brand.lower()}-packaging.png", buffer.getvalue(), "image/png")


OFFICE_NAMES = {
    "USPTO": "United States Patent and Trademark Office",
    "EUIPO": "European Union Intellectual Property Office",
}


def _demo_certificate(brand: str, office: str, number: str, owner: str) -> SimpleUploadedFile:
    """A one-page certificate with a text layer, so the demo's documents read as they should."""
    lines = (
        OFFICE_NAMES[office],
        f"Mark: {brand}",
        f"Registration No. {number}",
        f"Owner: {owner}",
        "Int. Cl.: 11",
    )
    text = " ".join(
        f"BT /F1 12 Tf 72 {720 - 30 * row} Td ({line}) Tj ET" for row, line in enumerate(lines)
    ).encode()
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    buffer = io.BytesIO()
    buffer.write(b"%PDF-1.4\n")
    offsets = []
    for index, body in enumerate(bodies, start=1):
        offsets.append(buffer.tell())
        buffer.write(b"%d 0 obj\n" % index + body + b"\nendobj\n")
    table = buffer.tell()
    buffer.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1))
    buffer.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    buffer.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, table)
    )
    name = f"{brand.lower()}-{office.lower()}-{number}.pdf"
    return SimpleUploadedFile(name, buffer.getvalue(), "application/pdf")
