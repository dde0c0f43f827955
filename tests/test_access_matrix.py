"""Every door of the project, tried by every persona: routes by roles.

Every URL pattern (walked from the resolver) and every operation of the published API
description is called by nine personas with company A's objects in its address. ``ROUTES`` says
for each route name who gets in; a route that is not in it fails the suite, so a new door is
classified the day it is added. Whoever is refused gets 404, 403, 401 or the login page, and no
answer to a persona who may not see company A (anonymous, company B, the conflicted reviewer and
manager, the partner whose grant was revoked) carries anything of company A.

The people, keys and objects are built once for the module; every request runs in a savepoint
that is rolled back, so each persona finds the same world whatever the one before it did.
"""

import copy
import datetime
import hashlib
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from reviews.attachment_scans import message_attachments_scan
from reviews.models import (
    CheckResult,
    CompanyVerification,
    RecertificationCase,
    RecertificationRun,
    RegistryVerification,
)
from reviews.services import conflict_declare, reviewer_key_issue
from sellers.actors import actor_for_user
from sellers.models import (
    ApplicationDraft,
    AuthorizationLink,
    Certification,
    Facility,
    Membership,
    SellerCompany,
    StaffInvitation,
    Status,
    WebhookDelivery,
    WebhookEndpoint,
)
from sellers.portal.files import SALT
from sellers.services.api_keys import api_key_issue
from sellers.services.messages import application_message_post
from sellers.services.notifications import staff_notification_send
from sellers.services.partners import partner_grant_issue, partner_grant_revoke
from tests.files import pdf_bytes, png_bytes
from tests.reviews.factories import ReviewQueueFactory
from tests.reviews.queues.queue_support import screened
from tests.sellers.factories import (
    CategoryFactory,
    OwnerFactory,
    PartnerFactory,
    ProgramFactory,
    ReviewerFactory,
    UserFactory,
)

ROLES = (
    "anonymous",
    "owner_a",
    "member_b",
    "reviewer",
    "conflicted_reviewer",
    "manager",
    "conflicted_manager",
    "partner_a",
    "partner_revoked",
)
# Personas who must never read anything of company A, on any page or in any answer.
BLIND = ("anonymous", "member_b", "conflicted_reviewer", "conflicted_manager", "partner_revoked")
CONFLICTED = ("conflicted_reviewer", "conflicted_manager")
KEY_SCOPES = ["applications:read", "applications:write", "evidence:write", "webhooks:manage"]
# Only partner organisations may read the program's roster.
PARTNER_KEY_SCOPES = [*KEY_SCOPES, "roster:read"]
MEDIA_HOST = "evidence.brand-program.test"

OK, LOGIN = "ok", "login"
REFUSALS = {401, 403, 404, 405}


def _access(default, **roles) -> dict:
    return {role: roles.get(role, default) for role in ROLES}


# Pages. Partners hold an API key only, which no page accepts: they are sent to log in.
PUBLIC = _access(OK)
NOBODY = _access(404)
_NO_SESSION = {"anonymous": LOGIN, "partner_a": LOGIN, "partner_revoked": LOGIN}
SELLER_PAGE = _access(404, **_NO_SESSION, owner_a=OK, member_b=OK)
SELLER_A = _access(404, **_NO_SESSION, owner_a=OK)
STAFF_PAGE = _access(OK, **_NO_SESSION, owner_a=404, member_b=404)
STAFF_A = {**STAFF_PAGE, "conflicted_reviewer": 404, "conflicted_manager": 404}
MANAGER_PAGE = {**STAFF_PAGE, "reviewer": 403, "conflicted_reviewer": 403}
EVIDENCE_A = {**STAFF_A, "owner_a": OK}
OWN_CONFLICT = _access(404, **_NO_SESSION, conflicted_reviewer=OK)

# The APIs. Reviewers' keys carry the review scope only; partner and seller keys never do.
_NO_KEY = {"anonymous": 401}
_REVIEW_KEYS = ("reviewer", "conflicted_reviewer", "manager", "conflicted_manager")
PARTNER_API = _access(OK, **_NO_KEY, **dict.fromkeys(_REVIEW_KEYS, 403))
PARTNER_API_A = {**PARTNER_API, "member_b": 404, "partner_revoked": 404}
# Partner A's own webhook endpoint and its delivery about company A's application.
PARTNER_A_ONLY = {**PARTNER_API, "owner_a": 404, "member_b": 404, "partner_revoked": 404}
REVIEW_API = _access(403, **_NO_KEY, **dict.fromkeys(_REVIEW_KEYS, OK))
REVIEW_API_A = {**REVIEW_API, "conflicted_reviewer": 404, "conflicted_manager": 404}
MARKETPLACE_ONLY = _access(403, **_NO_KEY)
# The roster is the same for every partner, whatever its grants; company A has nothing on it.
ROSTER_API = _access(403, **_NO_KEY, partner_a=OK, partner_revoked=OK)


@dataclass(frozen=True)
class Route:
    """Who gets in; the address's arguments (names of ``World`` attributes); the methods tried
    (None: those the API description lists); whether the answer shows company A's data to
    those let in who may see it; the host it is served on; whether the page names the
    companies a conflicted persona declared a link to (company A's name, and nothing else)."""

    access: dict
    args: dict | None = None
    methods: tuple[str, ...] | None = ("GET",)
    shows_a: bool = False
    host: str | None = None
    names_declared: bool = False


def _a(**args) -> dict:
    return args


class Text(str):
    """An address argument given as it is, rather than the name of a ``World`` attribute."""


APPLICATION = _a(pk="application")
ROUTES = {
    # Health, monitoring and the API description: no company data behind them.
    "healthz": Route(PUBLIC),
    "readyz": Route(PUBLIC),
    # Without METRICS_TOKEN the endpoint does not exist for anybody.
    "metrics": Route(NOBODY),
    "api-schema": Route(PUBLIC),
    "api-docs": Route(PUBLIC),
    # Accounts.
    "login": Route(PUBLIC, methods=("GET", "POST")),
    "logout": Route(_access(LOGIN), methods=("POST",)),
    "set_language": Route(PUBLIC, methods=("POST",)),
    # Visitors read the front page; everybody else is sent on to their own start page.
    "home": Route(PUBLIC),
    "sign_up": Route(PUBLIC, methods=("GET", "POST")),
    "sign_up_sent": Route(PUBLIC),
    "sign_up_resend": Route(PUBLIC, methods=("GET", "POST")),
    "account_confirm": Route(PUBLIC, _a(uidb64=Text("bm9ib2R5"), token=Text("no-such-token"))),
    "team_join": Route(PUBLIC, _a(token=Text("no-such-token")), methods=("GET", "POST")),
    "password_reset": Route(PUBLIC, methods=("GET", "POST")),
    "password_reset_done": Route(PUBLIC),
    "password_reset_confirm": Route(
        PUBLIC, _a(uidb64=Text("bm9ib2R5"), token=Text("no-such-token"))
    ),
    "password_reset_complete": Route(PUBLIC),
    # The signed evidence link, on the media host: the signature is the permission, given
    # to the owner of company A here; who holds the link does not matter.
    "evidence_file": Route(PUBLIC, _a(token="owner_a_link"), shows_a=False, host=MEDIA_HOST),
    # The seller portal.
    "portal:dashboard": Route(SELLER_PAGE),
    "portal:application_new": Route(SELLER_PAGE, methods=("GET", "POST")),
    "portal:wizard_start": Route(SELLER_PAGE, methods=("GET", "POST")),
    "portal:wizard_resume": Route(SELLER_A, _a(pk="draft")),
    "portal:wizard_step": Route(
        SELLER_A, _a(pk="draft", step="step"), methods=("GET", "POST"), shows_a=True
    ),
    "portal:wizard_trademark_check": Route(SELLER_A, _a(pk="draft")),
    "portal:application_detail": Route(SELLER_A, APPLICATION, shows_a=True),
    "portal:application_action": Route(SELLER_A, APPLICATION, methods=("POST",)),
    "portal:evidence_create": Route(SELLER_A, APPLICATION, methods=("POST",)),
    "portal:evidence_download": Route(EVIDENCE_A, _a(pk="evidence")),
    "portal:message_create": Route(SELLER_A, APPLICATION, methods=("POST",)),
    # A file sent in company A's conversation: its members and the reviewers who may see it.
    "portal:message_attachment_download": Route(EVIDENCE_A, _a(pk="message_attachment")),
    "portal:evidence_reading": Route(SELLER_A, _a(pk="evidence")),
    "portal:evidence_replace": Route(SELLER_A, _a(pk="evidence"), methods=("POST",)),
    "portal:evidence_remove": Route(SELLER_A, _a(pk="evidence"), methods=("POST",)),
    "portal:licence_reading": Route(SELLER_A, _a(pk="company")),
    "portal:letter_reading": Route(SELLER_A, _a(pk="letter_link")),
    "portal:trademark_control": Route(SELLER_A, _a(pk="trademark"), shows_a=True),
    "portal:trademark_control_send": Route(SELLER_A, _a(pk="trademark"), methods=("POST",)),
    "portal:trademark_control_confirm": Route(SELLER_A, _a(pk="trademark"), methods=("POST",)),
    "portal:notifications": Route(SELLER_PAGE),
    "portal:company": Route(SELLER_PAGE),
    "portal:company_identity": Route(SELLER_PAGE, methods=("POST",)),
    "portal:company_licence": Route(SELLER_PAGE, methods=("POST",)),
    "portal:company_categories": Route(SELLER_PAGE, methods=("POST",)),
    "portal:team": Route(SELLER_PAGE),
    "portal:team_invite": Route(SELLER_PAGE, methods=("POST",)),
    "portal:team_remove": Route(SELLER_A, _a(pk="membership"), methods=("POST",)),
    "portal:team_transfer": Route(SELLER_A, _a(pk="membership"), methods=("POST",)),
    "portal:team_invitation_resend": Route(SELLER_A, _a(pk="invitation"), methods=("POST",)),
    "portal:team_invitation_cancel": Route(SELLER_A, _a(pk="invitation"), methods=("POST",)),
    "portal:partners": Route(SELLER_PAGE),
    "portal:tier": Route(SELLER_PAGE),
    "portal:partner_grant": Route(SELLER_PAGE, methods=("POST",)),
    "portal:partner_grant_confirm": Route(SELLER_PAGE),
    "portal:partner_revoke": Route(SELLER_A, _a(pk="grant"), methods=("POST",)),
    # The reviewer workspace.
    "reviews:queue": Route(STAFF_PAGE, shows_a=True),
    # Without a query, every application the reviewer may see, newest first.
    "reviews:search": Route(STAFF_PAGE, shows_a=True),
    "reviews:claim_next": Route(STAFF_PAGE, _a(queue_id="queue"), methods=("POST",)),
    "reviews:assign": Route(STAFF_PAGE, _a(queue_id="queue"), methods=("POST",)),
    # The page lists the companies the reviewer declared a link to, by name.
    "reviews:conflicts": Route(STAFF_PAGE, methods=("GET", "POST"), names_declared=True),
    "reviews:conflict_withdraw": Route(OWN_CONFLICT, _a(pk="conflict"), methods=("POST",)),
    "reviews:workspace": Route(STAFF_A, APPLICATION, methods=("GET", "POST"), shows_a=True),
    "reviews:claim": Route(STAFF_A, APPLICATION, methods=("POST",)),
    "reviews:message_create": Route(STAFF_A, APPLICATION, methods=("POST",)),
    "reviews:rerun": Route(STAFF_A, APPLICATION, methods=("POST",)),
    "reviews:verify_by_hand": Route(STAFF_A, APPLICATION, methods=("POST",)),
    "reviews:verification_capture": Route(STAFF_A, _a(pk="verification")),
    "reviews:confirmations": Route(STAFF_PAGE),
    # Each staff member's own inbox: the reviewer's and the manager's hold an entry about
    # company A, the conflicted reviewer's one from before the conflict, kept from them now.
    "reviews:notifications": Route(STAFF_PAGE, methods=("GET", "POST"), shows_a=True),
    "reviews:staged": Route(MANAGER_PAGE, methods=("GET", "POST"), shows_a=True),
    "reviews:evidence_preview": Route(STAFF_A, _a(pk="evidence")),
    # The signed letter of a link in company A's authorization chain.
    "reviews:letter_file": Route(STAFF_A, _a(pk="letter_link")),
    # The certificate file of one of company A's facilities.
    "reviews:certification_file": Route(STAFF_A, _a(pk="certification")),
    # A page of company A's signed letter, rendered as a picture.
    "reviews:document_page": Route(
        STAFF_A, _a(owner=Text("letter"), pk="letter_link", page=Text("1"))
    ),
    "reviews:recertification_list": Route(STAFF_PAGE, shows_a=True),
    "reviews:identity_queue": Route(STAFF_PAGE, shows_a=True),
    "reviews:identity_case": Route(
        STAFF_A, _a(pk="company_verification"), methods=("GET", "POST"), shows_a=True
    ),
    "reviews:identity_licence": Route(STAFF_A, _a(pk="company")),
    "reviews:recertification_case": Route(
        STAFF_A, _a(pk="case"), methods=("GET", "POST"), shows_a=True
    ),
    "reviews:dashboard": Route(MANAGER_PAGE),
    "reviews:dashboard_csv": Route(MANAGER_PAGE, _a(table=Text("status"))),
    "reviews:roster_csv": Route(MANAGER_PAGE),
    # The partner API (methods from the API description).
    "api:application-list": Route(PARTNER_API, methods=None, shows_a=True),
    "api:application-detail": Route(PARTNER_API_A, APPLICATION, methods=None, shows_a=True),
    "api:application-events": Route(PARTNER_API_A, APPLICATION, methods=None),
    "api:application-evidence": Route(PARTNER_API_A, APPLICATION, methods=None),
    "api:application-messages": Route(PARTNER_API_A, APPLICATION, methods=None),
    "api:application-message-attachment": Route(
        PARTNER_API_A,
        _a(pk="application", message_id="message", attachment_id="message_attachment"),
        methods=None,
    ),
    "api:application-evidence-item": Route(
        PARTNER_API_A, _a(pk="application", evidence_id="evidence"), methods=None
    ),
    "api:application-evidence-replace": Route(
        PARTNER_API_A, _a(pk="application", evidence_id="evidence"), methods=None
    ),
    "api:application-submit": Route(PARTNER_API_A, APPLICATION, methods=None),
    "api:application-resubmit": Route(PARTNER_API_A, APPLICATION, methods=None),
    "api:application-withdraw": Route(PARTNER_API_A, APPLICATION, methods=None),
    "api-application-screening": Route(PARTNER_API_A, APPLICATION, methods=None),
    "api:brand-list": Route(PARTNER_API, methods=None, shows_a=True),
    "api:brand-detail": Route(PARTNER_API_A, _a(pk="brand"), methods=None, shows_a=True),
    "api:trademark-list": Route(PARTNER_API, methods=None, shows_a=True),
    "api:trademark-detail": Route(PARTNER_API_A, _a(pk="trademark"), methods=None, shows_a=True),
    "api:trademark-verification-code": Route(PARTNER_API_A, _a(pk="trademark"), methods=None),
    "api:trademark-verification-code-confirm": Route(
        PARTNER_API_A, _a(pk="trademark"), methods=None
    ),
    "api:facility-list": Route(PARTNER_API, methods=None, shows_a=True),
    "api:facility-detail": Route(PARTNER_API_A, _a(pk="facility"), methods=None, shows_a=True),
    "api:grant-list": Route(PARTNER_API, methods=None),
    "api:webhook-list": Route(PARTNER_API, methods=None),
    "api:webhook-detail": Route(PARTNER_A_ONLY, _a(pk="endpoint"), methods=None),
    "api:webhook-ping": Route(PARTNER_A_ONLY, _a(pk="endpoint"), methods=None),
    "api:webhook-rotate-secret": Route(PARTNER_A_ONLY, _a(pk="endpoint"), methods=None),
    "api:webhook-delivery-list": Route(PARTNER_API, methods=None),
    "api:webhook-delivery-detail": Route(
        PARTNER_A_ONLY, _a(pk="delivery"), methods=None, shows_a=True
    ),
    "api:webhook-delivery-redeliver": Route(PARTNER_A_ONLY, _a(pk="delivery"), methods=None),
    "api:category-list": Route(PARTNER_API, methods=None),
    "api:seller-indicators": Route(MARKETPLACE_ONLY, _a(pk="company"), methods=None),
    "api:seller-indicator-history": Route(MARKETPLACE_ONLY, _a(pk="company"), methods=None),
    "api:roster-list": Route(ROSTER_API, methods=None),
    # The reviewer API.
    "review-api:queue-list": Route(REVIEW_API, methods=None),
    "review-api:queue-items": Route(REVIEW_API, _a(pk="queue"), methods=None, shows_a=True),
    "review-api:queue-claim-next": Route(REVIEW_API, _a(pk="queue"), methods=None),
    "review-api:application-decide": Route(REVIEW_API_A, APPLICATION, methods=None),
}
# The admin is for operators (is_staff); none of the personas is one. Its own login page
# and logout are open to all; every other admin address sends everybody to that login.
ADMIN_OPEN = {"admin:login", "admin:logout"}
ADMIN_FILL = {"app_label": "sellers", "object_id": "1", "content_type_id": "1", "id": "1"}


class World:
    """Company A's objects, the strings that give company A away, and a client per persona."""


def _routes() -> list[tuple[str, object]]:
    """(name with namespaces, pattern) of every URL pattern of the project."""
    found = []

    def walk(resolver, namespace):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry, inner)
            elif isinstance(entry, URLPattern):
                found.append((f"{namespace}{entry.name}", entry))

    walk(get_resolver(), "")
    return found


@cache
def _schema_operations() -> tuple[tuple[str, str], ...]:
    schema = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    return tuple(
        (method.upper(), path) for path, item in schema["paths"].items() for method in item
    )


def _build_world() -> World:
    world = World()
    program = ProgramFactory()
    category = CategoryFactory()
    queue = ReviewQueueFactory(name="Lighting", categories=[category])
    seller_a = OwnerFactory(
        company__legal_name="Qilin Lantern Works Co., Ltd.", user__username="owner@qilin.example"
    )
    owner_a, company_a = seller_a.user, seller_a.company
    seller_b = OwnerFactory(
        company__legal_name="Ningbo Harbor Housewares Co., Ltd.",
        user__username="owner@harbor.example",
    )
    owner_b, company_b = seller_b.user, seller_b.company
    reviewer = ReviewerFactory(username="ana@brand-program.example")
    conflicted_reviewer = ReviewerFactory(username="cid@brand-program.example")
    manager = ReviewerFactory(username="mia@brand-program.example", senior=True, manager=True)
    conflicted_manager = ReviewerFactory(
        username="max@brand-program.example", senior=True, manager=True
    )
    for person in (reviewer, conflicted_reviewer):
        queue.memberships.create(reviewer=person)
    world.conflict = conflict_declare(
        actor=actor_for_user(conflicted_reviewer), company=company_a, reason="Former employee"
    ).pk
    conflict_declare(
        actor=actor_for_user(conflicted_manager), company=company_a, reason="Cousin is a director"
    )

    # Waiting for review in the queue: on the queue page, in the workspace, in the API.
    application = screened(
        company=company_a,
        program=program,
        categories=[category],
        brand__name="ZEPHYRLAMP",
        trademark__number="90817263",
    )
    # A decision staged for release, and a re-certification case: the manager's and the
    # reviewers' other lists.
    staged = screened(
        company=company_a, program=program, categories=[category], brand__name="ZEPHYRGLOW"
    )
    staged.status = Status.STAGED_APPROVED
    staged.save(update_fields=["status"])
    run = RecertificationRun.objects.create(application=staged, period=datetime.date(2026, 11, 1))
    world.case = RecertificationCase.objects.create(run=run, application=staged).pk

    world.application = application.pk
    # Company B's application, whose evidence check found the same file at company A.
    application_b = screened(
        company=company_b, program=program, categories=[category], brand__name="HARBORPOT"
    )
    CheckResult.objects.create(
        run=application_b.screening_runs.get(),
        check_code="evidence_forensics",
        outcome=CheckResult.Outcome.FAIL,
        score=40,
        explanation=f"photo.png is byte for byte a file another company submitted "
        f"({company_a.legal_name}), for its brand ZEPHYRLAMP.",
        evidence={"also_submitted_by": [company_a.legal_name]},
        source="forensics",
        data_version="1",
        duration_ms=5,
    )
    world.application_b = application_b.pk
    world.evidence = application.evidence.get().pk
    message = application_message_post(
        actor=actor_for_user(owner_a),
        application_id=application.pk,
        body="Our factory audit is attached.",
        attachments=[SimpleUploadedFile("audit.png", png_bytes())],
    )
    # Scanned here rather than by the task, which this module's broker never runs: a file is
    # handed out once its scan found it clean.
    message_attachments_scan(message_id=message.pk)
    world.message = message.pk
    world.message_attachment = message.attachments.get().pk
    for person in (reviewer, manager, conflicted_reviewer):
        staff_notification_send(
            user=person,
            event=message.event,
            subject="Seller message: ZEPHYRLAMP",
            body=f"{company_a.legal_name} wrote: Our factory audit is attached.",
        )
    world.trademark = application.trademark_id
    # The sign-up licence and a signed letter of the chain: documents read outside the evidence.
    company_a.business_licence.save("licence.pdf", ContentFile(pdf_bytes()), save=False)
    company_a.business_licence_name = "licence.pdf"
    company_a.business_licence_type = "application/pdf"
    company_a.business_licence_sha256 = "1" * 64
    company_a.save()
    link = AuthorizationLink(
        trademark=application.trademark,
        position=1,
        grantor_name="Zephyr Holdings Ltd.",
        grantee_name=company_a.legal_name,
        product_scope="Lamps",
        territory="China",
        valid_from=datetime.date(2026, 1, 1),
        valid_until=datetime.date(2028, 12, 31),
        letter_name="letter.pdf",
        letter_sha256="2" * 64,
        letter_type="application/pdf",
    )
    link.letter.save("letter.pdf", ContentFile(pdf_bytes()), save=False)
    link.save()
    world.letter_link = link.pk
    world.brand = application.brand_id
    world.company = company_a.pk
    company_a.business_licence = ContentFile(pdf_bytes(), name="licence.pdf")
    company_a.business_licence_name = "licence.pdf"
    company_a.business_licence_type = "application/pdf"
    company_a.save()
    world.company_verification = CompanyVerification.objects.create(
        company=company_a,
        legal_name=company_a.legal_name,
        registration_number=company_a.registration_number,
        licence_sha256="0" * 64,
        requested_at=timezone.now(),
        due_at=timezone.now() + datetime.timedelta(days=2),
    ).pk
    world.queue = queue.pk
    facility = Facility.objects.create(
        company=company_a,
        manufacturer_name="Hidden Kiln Factory",
        country="CN",
        ownership=Facility.Ownership.OWN,
    )
    world.facility = facility.pk
    certification = Certification(
        facility=facility, standard="ISO 9001", number="QK-9001-77", issuer="CQC"
    )
    certification.file.save("stored.pdf", ContentFile(pdf_bytes()), save=False)
    certification.file_sha256 = hashlib.sha256(pdf_bytes()).hexdigest()
    certification.save()
    world.certification = certification.pk
    world.draft = ApplicationDraft.objects.create(
        company=company_a,
        step=ApplicationDraft.Step.TRADEMARK,
        brand=application.brand,
        trademark=application.trademark,
    ).pk
    world.step = ApplicationDraft.Step.BRAND.value
    world.membership = Membership.objects.create(
        company=company_a,
        user=UserFactory(username="clerk@qilin.example"),
        role=Membership.Role.STAFF,
    ).pk
    world.invitation = StaffInvitation.objects.create(
        company=company_a,
        email="new.clerk@qilin.example",
        sent_at=timezone.now(),
        expires_at=timezone.now() + datetime.timedelta(days=7),
    ).pk
    world.verification = RegistryVerification.objects.create(
        trademark=application.trademark,
        application=application,
        office="USPTO",
        number="90817263",
        owner_name=company_a.legal_name,
        status=RegistryVerification.Status.REGISTERED,
        search_url="https://tsdr.uspto.gov/",
        capture=ContentFile(png_bytes(), name="capture.png"),
        capture_name="capture.png",
        capture_type="image/png",
        capture_sha256="0" * 64,
        capture_size=len(png_bytes()),
        verified_by=reviewer,
    ).pk

    owner_actor = actor_for_user(owner_a)
    agency = PartnerFactory(name="Silk Road Brand Services")
    world.grant = partner_grant_issue(partner=agency, company=company_a, actor=owner_actor).pk
    endpoint = WebhookEndpoint.objects.create(
        partner=agency,
        url="https://hooks.silk-road.example/in",
        event_types=["application.admitted"],
    )
    world.endpoint = endpoint.pk
    world.delivery = _delivery(endpoint, application, "msg_zephyr_agency").pk
    # The agency whose grant company A withdrew keeps its endpoint and the deliveries it had.
    former = PartnerFactory(name="Former Agency")
    former_grant = partner_grant_issue(partner=former, company=company_a, actor=owner_actor)
    former_endpoint = WebhookEndpoint.objects.create(
        partner=former, url="https://hooks.former.example/in", event_types=["application.admitted"]
    )
    _delivery(former_endpoint, application, "msg_zephyr_former")
    partner_grant_revoke(actor=owner_actor, grant_id=former_grant.pk)

    world.owner_a_link = signing.dumps(
        {"evidence": world.evidence, "attachment": True, "user": owner_a.pk}, salt=SALT
    )
    world.secrets = [
        company_a.legal_name,
        "ZEPHYR",
        "90817263",
        "Hidden Kiln Factory",
        "msg_zephyr",
        "qilin.example",
    ]
    keys = {
        "owner_a": api_key_issue(name="erp", scopes=KEY_SCOPES, company=company_a)[1],
        "member_b": api_key_issue(name="erp", scopes=KEY_SCOPES, company=company_b)[1],
        "partner_a": api_key_issue(name="agency", scopes=PARTNER_KEY_SCOPES, partner=agency)[1],
        "partner_revoked": api_key_issue(name="old", scopes=PARTNER_KEY_SCOPES, partner=former)[1],
    }
    people = {
        "owner_a": owner_a,
        "member_b": owner_b,
        "reviewer": reviewer,
        "conflicted_reviewer": conflicted_reviewer,
        "manager": manager,
        "conflicted_manager": conflicted_manager,
    }
    for role, person in people.items():
        if role not in keys:
            keys[role] = reviewer_key_issue(email=person.username, name="tool")[1]
    world.people = people
    world.clients = {}
    for role in ROLES:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {keys[role]}"} if role in keys else {}
        client = Client(**headers)
        if role in people:
            client.force_login(people[role])
        world.clients[role] = client
    return world


def _delivery(endpoint, application, event_id: str) -> WebhookDelivery:
    return WebhookDelivery.objects.create(
        endpoint=endpoint,
        application=application,
        event_id=event_id,
        event_type="application.admitted",
        body='{"type":"application.admitted","data":{"brand":"ZEPHYRLAMP"}}',
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("matrix-media")
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=hashers),
        transaction.atomic(),
    ):
        built = _build_world()
        built.media = media
        yield built
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _world_settings(world, settings, db):
    settings.MEDIA_ROOT = world.media
    settings.MEDIA_HOST = MEDIA_HOST
    settings.ALLOWED_HOSTS = ["testserver", MEDIA_HOST]
    settings.API_RATE_LIMIT = "100000/minute"


def _address(name: str, route: Route, world: World) -> str:
    arguments = {
        key: value if isinstance(value, Text) else getattr(world, value)
        for key, value in (route.args or {}).items()
    }
    return reverse(name, kwargs=arguments)


def _outcome(response) -> object:
    if response.status_code == 302 and urlsplit(response["Location"]).path in (
        reverse("login"),
        reverse("admin:login"),
    ):
        return LOGIN
    return response.status_code if response.status_code in REFUSALS else OK


def _body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def _call(world: World, role: str, method: str, url: str, host: str | None):
    """One request in a savepoint that is rolled back: what the persona changed is undone,
    and the persona's client (its session cookie) is left as it was."""
    # One client per persona: a new one would load the middleware again for every request.
    client = world.clients[role]
    cookies = copy.deepcopy(client.cookies)
    extra = {"HTTP_HOST": host} if host else {}
    with transaction.atomic():
        if method in ("POST", "PUT", "PATCH") and url.startswith("/api/"):
            response = client.generic(method, url, "{}", "application/json", **extra)
        else:
            response = client.generic(method, url, **extra)
        body = _body(response)
        transaction.set_rollback(True)
    client.cookies = cookies
    return response, body


def _methods(name: str, route: Route) -> list[str]:
    if route.methods is not None:
        return list(route.methods)
    return sorted(method for method, path in _schema_operations() if _resolved_name(path) == name)


def _resolved_name(path: str) -> str:
    for parameter in ("{id}", "{evidence_id}", "{message_id}", "{attachment_id}"):
        path = path.replace(parameter, "1")
    return resolve(path).view_name


def test_every_url_pattern_is_in_the_matrix():
    names = {name for name, _pattern in _routes()}
    unclassified = sorted(
        name for name in names if name not in ROUTES and not name.startswith("admin:")
    )
    stale = sorted(set(ROUTES) - names)

    assert unclassified == [], (
        f"URL patterns with no row in ROUTES of {__name__}: {unclassified}. Say who may open "
        "each (and which of company A's objects fills its address) before it ships."
    )
    assert stale == [], f"ROUTES names patterns that no longer exist: {stale}"


def test_every_api_operation_is_in_the_matrix(db):
    names = {(method, _resolved_name(path)) for method, path in _schema_operations()}
    unclassified = sorted(name for _method, name in names if name not in ROUTES)
    without_methods = sorted(
        name
        for name, route in ROUTES.items()
        if route.methods is None and not any(routed == name for _method, routed in names)
    )

    assert unclassified == [], f"API operations with no row in ROUTES: {unclassified}"
    assert without_methods == [], f"API routes the description does not list: {without_methods}"


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_route_answers_each_persona_as_the_matrix_says(name, world):
    route = ROUTES[name]
    url = _address(name, route, world)
    methods = _methods(name, route)
    expected, answered, leaks, hidden = {}, {}, [], []
    for method in methods:
        for role in ROLES:
            response, body = _call(world, role, method, url, route.host)
            expected[(method, role)] = route.access[role]
            answered[(method, role)] = _outcome(response)
            shown = [secret for secret in world.secrets if secret in body]
            if route.names_declared and role in CONFLICTED:
                shown = [secret for secret in shown if secret != world.secrets[0]]
            if role in BLIND and shown:
                leaks.append((method, role, response.status_code, shown))
            sees_a = role not in BLIND and route.access[role] == OK
            if route.shows_a and method == "GET" and sees_a and not shown:
                hidden.append((method, role, response.status_code))

    assert methods, f"{name}: no method to try"
    assert answered == expected
    assert leaks == [], f"{name} shows company A's data to personas who may not see it"
    assert hidden == [], f"{name} does not show company A's data to personas who may see it"


@pytest.mark.parametrize("owner", ["letter", "certificate"])
def test_the_pages_of_a_letter_and_a_certificate_answer_as_the_case_does(owner, world):
    """Every document's pictures go through the one page route: each kind of document behind
    it is tried by every persona, as the route's own row is with a letter. Those let in are
    sent to the picture on the media host."""
    pk = world.letter_link if owner == "letter" else world.certification
    url = reverse("reviews:document_page", args=[owner, pk, 1])
    answered, pictures = {}, {}
    for role in ROLES:
        response, _body = _call(world, role, "GET", url, None)
        answered[role] = _outcome(response)
        if answered[role] == OK:
            link = urlsplit(response["Location"])
            picture = Client().get(link.path, HTTP_HOST=link.netloc)
            pictures[role] = (link.netloc, picture["Content-Type"])

    assert answered == STAFF_A
    assert pictures == dict.fromkeys(("reviewer", "manager"), (MEDIA_HOST, "image/png"))


def test_the_admin_turns_every_persona_away(world):
    answered = {}
    for name, pattern in _routes():
        if not name.startswith("admin:") or name in ADMIN_OPEN:
            continue
        if pattern.name is None:
            # The admin's catch-all for addresses it does not know.
            url = reverse("admin:index") + "no-such-page/"
        else:
            arguments = {key: ADMIN_FILL[key] for key in pattern.pattern.regex.groupindex}
            url = reverse(name, kwargs=arguments)
        # The admin lets in operators (is_staff) only, and none of the personas is one: every
        # persona meets the same check, so two of them suffice beyond the front page.
        roles = ROLES if name == "admin:index" else ("owner_a", "manager")
        for role in roles:
            response, body = _call(world, role, "GET", url, None)
            shown = [secret for secret in world.secrets if secret in body]
            answered[(name, role)] = (_outcome(response), shown)

    assert answered
    assert answered == dict.fromkeys(answered, (LOGIN, []))


def test_a_signed_link_closes_once_its_holder_declares_a_conflict(world):
    """The link was handed out while the reviewer could see company A; the media host asks the
    rule again when it is used, so a conflict declared since closes it."""
    client = world.clients["reviewer"]
    link = urlsplit(
        client.get(reverse("reviews:evidence_preview", args=[world.evidence]))["Location"]
    )
    before = Client().get(link.path, HTTP_HOST=link.netloc)
    with transaction.atomic():
        conflict_declare(
            actor=actor_for_user(world.people["reviewer"]),
            company=SellerCompany.objects.get(pk=world.company),
            reason="Joined the board",
        )
        after = Client().get(link.path, HTTP_HOST=link.netloc)
        transaction.set_rollback(True)

    assert link.netloc == MEDIA_HOST
    assert before.status_code == 200
    assert b"".join(before.streaming_content) == png_bytes()
    assert after.status_code == 404


def test_another_companys_workspace_withholds_company_a_from_the_conflicted(world):
    """A check on company B's application found company A's file: reviewers read whose, those
    who declared a conflict with company A read that it was a company they are kept from."""
    url = reverse("reviews:workspace", args=[world.application_b])
    shown = {}
    for role in ("reviewer", "manager", *CONFLICTED):
        response, body = _call(world, role, "GET", url, None)
        shown[role] = (response.status_code, [s for s in world.secrets if s in body])

    assert shown == {
        "reviewer": (200, [world.secrets[0], "ZEPHYR"]),
        "manager": (200, [world.secrets[0], "ZEPHYR"]),
        "conflicted_reviewer": (200, []),
        "conflicted_manager": (200, []),
    }
