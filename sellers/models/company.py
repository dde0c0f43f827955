from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class SellerCompany(models.Model):
    class IdentityStatus(models.TextChoices):
        UNVERIFIED = "unverified", _("Not verified")
        PENDING = "pending", _("Verification pending")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Verification failed")

    class Tier(models.TextChoices):
        GOLD = "gold", _("Gold")
        SILVER = "silver", _("Silver")
        STANDARD = "standard", _("Standard")

    legal_name = models.CharField(_("legal name"), max_length=255)
    country = CountryField(_("country"))
    registration_number = models.CharField(
        _("registration number"),
        max_length=64,
        help_text=_(
            "Unified Social Credit Code for Chinese companies, the company number elsewhere."
        ),
    )
    identity_status = models.CharField(
        _("identity verification"),
        max_length=16,
        choices=IdentityStatus.choices,
        default=IdentityStatus.UNVERIFIED,
    )
    # Why a reviewer refused the identity, as the seller reads it on the company profile.
    identity_note = models.TextField(_("verification note"), blank=True)
    tier = models.CharField(_("tier"), max_length=16, choices=Tier.choices, default=Tier.STANDARD)
    quality_dispute_rate = models.DecimalField(
        _("quality-dispute rate"),
        max_digits=5,
        decimal_places=4,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Share of orders with a product-quality dispute, 0 to 1."),
    )
    nps = models.SmallIntegerField(
        _("buyer NPS"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-100), MaxValueValidator(100)],
    )
    on_time_delivery_rate = models.DecimalField(
        _("on-time delivery rate"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    infringement_complaints = models.PositiveIntegerField(
        _("open infringement complaints"), default=0
    )
    overseas_stock_days = models.PositiveSmallIntegerField(
        _("overseas warehouse stock (days of sales)"), null=True, blank=True
    )
    # {"indicator": "YYYY-MM-DD"}: the day each indicator was last measured, whether or not its
    # value changed, so that the monthly tiering can tell a fresh figure from a stale one.
    indicators_measured_on = models.JSONField(_("indicators measured on"), default=dict)
    # The business licence uploaded at sign-up, kept like an evidence file: stored under a
    # random name, typed and hashed from its bytes.
    business_licence = models.FileField(
        _("business licence"), upload_to="licences/%Y/%m/", blank=True
    )
    business_licence_name = models.CharField(
        _("business licence file name"), max_length=255, blank=True
    )
    business_licence_sha256 = models.CharField(
        _("business licence SHA-256"), max_length=64, blank=True
    )
    business_licence_type = models.CharField(_("business licence type"), max_length=100, blank=True)
    main_categories = models.ManyToManyField(
        "sellers.Category", verbose_name=_("main categories"), blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["legal_name"]
        verbose_name = _("seller company")
        verbose_name_plural = _("seller companies")
        constraints = [
            models.UniqueConstraint(
                fields=["country", "registration_number"], name="company_unique_registration"
            ),
        ]
        indexes = [
            # The reviewers' search finds a company by the number alone, whatever its country.
            models.Index(fields=["registration_number"], name="company_registration_number"),
        ]

    def __str__(self) -> str:
        return self.legal_name


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        STAFF = "staff", _("Staff")

    company = models.ForeignKey(SellerCompany, on_delete=models.CASCADE, related_name="memberships")
    # A person works for one seller company; a second company means a second login.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, default=Role.STAFF)
    # The portal language the person last logged in with; their emails are written in it.
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint(
                fields=["company"],
                condition=models.Q(role="owner"),
                name="membership_one_owner_per_company",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.company})"


class ConflictOfInterest(models.Model):
    """A platform reviewer's declared link to a seller company (worked there, family, shares).

    While it stands the reviewer neither sees nor decides that company's applications; the
    workflow refuses, whichever page or API the action came through.
    """

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.CASCADE,
        related_name="conflicts_of_interest",
    )
    company = models.ForeignKey(
        SellerCompany,
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="conflicts_of_interest",
    )
    reason = models.CharField(_("link to the company"), max_length=255)
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["-declared_at", "-pk"]
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(
                fields=["reviewer", "company"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="conflict_one_standing_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} - {self.company}"


class StaffInvitation(models.Model):
    """An invitation mailed to a colleague; pending until accepted or cancelled."""

    company = models.ForeignKey(SellerCompany, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))
    role = models.CharField(
        _("role"), max_length=8, choices=Membership.Role.choices, default=Membership.Role.STAFF
    )
    sent_at = models.DateTimeField(_("sent at"))
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("staff invitation")
        verbose_name_plural = _("staff invitations")
        indexes = [models.Index(fields=["company", "email"])]

    def __str__(self) -> str:
        return f"{self.email} ({self.company})"
