import datetime
import itertools

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from stdnum.cn import uscc

from sellers.actors import MANAGER_GROUP, REVIEWER_GROUP, SENIOR_REVIEWER_GROUP
from sellers.models import (
    Application,
    Brand,
    Category,
    Evidence,
    Membership,
    PartnerOrganization,
    Program,
    SellerCompany,
    Status,
    Trademark,
)
from tests.files import png_bytes

_uscc_serial = itertools.count(1)


def valid_uscc() -> str:
    body = f"91440300{next(_uscc_serial):09d}"[:17]
    return body + uscc.calc_check_digit(body)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}@example.com")
    email = factory.SelfAttribute("username")
    password = factory.django.Password("correct-horse-battery")


class ReviewerFactory(UserFactory):
    """A reviewer; ``senior=True`` for a senior reviewer, ``manager=True`` for a program manager."""

    username = factory.Sequence(lambda n: f"reviewer{n}@brand-program.example")

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def senior(self, create, extracted, **kwargs):
        names = [REVIEWER_GROUP, SENIOR_REVIEWER_GROUP] if extracted else [REVIEWER_GROUP]
        for name in names:
            self.groups.add(Group.objects.get_or_create(name=name)[0])

    @factory.post_generation
    def manager(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get_or_create(name=MANAGER_GROUP)[0])


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("code",)

    code = "lighting-appliances"
    name = "Lighting and household appliances"
    nice_classes = [11]


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program
        django_get_or_create = ("slug",)

    slug = "thousand-class"
    name = "Thousand-Class Brand Program"
    capacity = 1000
    opens_on = datetime.date(2026, 1, 1)


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SellerCompany

    legal_name = factory.Sequence(lambda n: f"Shenzhen Example {n} Technology Co., Ltd.")
    country = "CN"
    registration_number = factory.LazyFunction(valid_uscc)
    identity_status = SellerCompany.IdentityStatus.VERIFIED


class OwnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    company = factory.SubFactory(CompanyFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.OWNER


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brand

    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"BRIGHTLAMP{n}")


class TrademarkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trademark

    brand = factory.SubFactory(BrandFactory)
    office = Trademark.Office.USPTO
    number = factory.Sequence(lambda n: f"{78000000 + n}")
    registration_status = Trademark.RegistrationStatus.REGISTERED
    mark_type = Trademark.MarkType.WORD
    nice_classes = [11]
    owner_name = factory.SelfAttribute("brand.company.legal_name")
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=3650))


def _submitted(status, **fields):
    """A state past the seller's submission, which stamps ``submitted_at``.

    ``decided_at`` stays with the tests that need it: stamped here, every decided application
    would count as an instant decision in the decision-time figures.
    """
    return factory.Trait(status=status, submitted_at=factory.LazyFunction(timezone.now), **fields)


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A draft, or with a trait such as ``in_review=True`` the state the workflow leaves it in."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    class Params:
        submitted = _submitted(Status.SUBMITTED)
        screening = _submitted(Status.SCREENING)
        awaiting_review = _submitted(Status.AWAITING_REVIEW)
        in_review = _submitted(Status.IN_REVIEW, assignee=factory.SubFactory(ReviewerFactory))
        changes_requested = _submitted(Status.CHANGES_REQUESTED)
        approved = _submitted(Status.APPROVED)
        waitlisted = _submitted(Status.WAITLISTED)
        suspended = _submitted(Status.SUSPENDED)

    company = factory.SubFactory(CompanyFactory)
    program = factory.SubFactory(ProgramFactory)
    brand = factory.SubFactory(BrandFactory, company=factory.SelfAttribute("..company"))
    trademark = factory.SubFactory(TrademarkFactory, brand=factory.SelfAttribute("..brand"))
    status = Status.DRAFT

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        self.categories.set(extracted or [CategoryFactory()])

    @factory.post_generation
    def with_evidence(self, create, extracted, **kwargs):
        if extracted is not False:
            EvidenceFactory(application=self)


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    application = factory.SubFactory(ApplicationFactory, with_evidence=False)
    kind = Evidence.Kind.PRODUCT_PHOTO
    file = factory.django.FileField(filename="photo.png", data=png_bytes())
    original_name = "photo.png"
    sha256 = "0" * 64
    size = 100
    detected_type = "image/png"


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerOrganization

    name = factory.Sequence(lambda n: f"Partner Agency {n}")
    contact_email = factory.Sequence(lambda n: f"api{n}@agency.example")
