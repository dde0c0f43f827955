"""Who is acting: a seller member, a partner's API key, a reviewer, or the system itself.

Every write takes an ``Actor`` so that rules (the workflow table, company scoping) and the audit
trail see the same identity whichever door the request came through.
"""

from dataclasses import dataclass, field, replace
from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser, Group
from django.db.models import BigIntegerField, CharField, QuerySet, Value
from django.utils.translation import gettext_noop

from brandprogram.db import CompiledOnce
from sellers.models import ConflictOfInterest, Membership, PartnerGrant


class Role(StrEnum):
    SELLER = "seller"
    REVIEWER = "reviewer"
    SENIOR_REVIEWER = "senior_reviewer"
    # Program managers watch the dashboard, define queues and release staged decisions.
    MANAGER = "manager"
    SYSTEM = "system"


# Platform staff roles are Django groups, so the admin can grant and withdraw them.
REVIEWER_GROUP = "Reviewers"
SENIOR_REVIEWER_GROUP = "Senior reviewers"
MANAGER_GROUP = "Program managers"


@dataclass(frozen=True)
class Actor:
    label: str
    user: AbstractBaseUser | None = None
    staff_roles: frozenset[Role] = frozenset()
    # Seller companies this actor may act for: a member's own company, or a partner's grants.
    company_ids: frozenset[int] = frozenset()
    partner_id: int | None = None
    api_key_id: int | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)
    # Seller companies this reviewer declared a link to: none of their applications for them.
    conflicted_company_ids: frozenset[int] = frozenset()

    @property
    def user_id(self) -> int | None:
        return self.user.pk if self.user is not None else None

    def acts_for(self, company_id: int) -> bool:
        return company_id in self.company_ids

    def roles_for(self, company_id: int) -> frozenset[Role]:
        roles = set(self.staff_roles)
        if self.acts_for(company_id):
            roles.add(Role.SELLER)
        return frozenset(roles)

    @property
    def is_reviewer(self) -> bool:
        return Role.REVIEWER in self.staff_roles

    @property
    def is_manager(self) -> bool:
        return Role.MANAGER in self.staff_roles


# The labels of the system's own actors are English in the history as stored, and shown in
# the reader's language (message ids, collected by makemessages).
SYSTEM = Actor(label=gettext_noop("Screening service"), staff_roles=frozenset({Role.SYSTEM}))


def actor_for_user(user: AbstractBaseUser) -> Actor:
    # Every page a person opens starts here: the groups, the companies they are a member of and
    # the conflicts they declared come in one round trip.
    group_names, company_ids, declared = set(), set(), set()
    for kind, name, company_id in _ACTOR_ROWS.rows(user_id=user.pk):
        if kind == "group":
            group_names.add(name)
        elif kind == "member":
            company_ids.add(company_id)
        else:
            declared.add(company_id)
    roles: set[Role] = set()
    if SENIOR_REVIEWER_GROUP in group_names:
        roles |= {Role.REVIEWER, Role.SENIOR_REVIEWER}
    elif REVIEWER_GROUP in group_names:
        roles.add(Role.REVIEWER)
    if MANAGER_GROUP in group_names:
        roles.add(Role.MANAGER)
    return Actor(
        label=user.get_full_name() or user.get_username(),
        user=user,
        staff_roles=frozenset(roles),
        company_ids=frozenset(company_ids),
        # Only staff are kept out of a company's applications.
        conflicted_company_ids=frozenset(declared) if roles else frozenset(),
    )


def _actor_rows(user_id: int) -> QuerySet:
    """(kind, group name, company id) rows: "group", "member" or "conflict"."""
    no_name = Value(None, output_field=CharField())
    no_company = Value(None, output_field=BigIntegerField())
    return (
        Group.objects.filter(user=user_id)
        .order_by()
        .values_list(Value("group"), "name", no_company)
        .union(
            Membership.objects.filter(user=user_id)
            .order_by()
            .values_list(Value("member"), no_name, "company_id"),
            ConflictOfInterest.objects.filter(reviewer=user_id, withdrawn_at__isnull=True)
            .order_by()
            .values_list(Value("conflict"), no_name, "company_id"),
            all=True,
        )
    )


# Compiling the union took longer than running it.
_ACTOR_ROWS = CompiledOnce(_actor_rows, user_id=-2_102_938_467)


def actor_for_api_key(api_key) -> Actor:
    """A partner key acts for the sellers with an active grant; a seller's key for its company;
    a reviewer's key as that reviewer, with the key's scopes."""
    if api_key.staff_user_id is not None:
        person = actor_for_user(api_key.staff_user)
        return replace(
            person,
            label=f"{person.label} (API key {api_key.prefix})",
            api_key_id=api_key.pk,
            scopes=frozenset(api_key.scopes),
        )
    if api_key.partner_id is not None:
        company_ids = frozenset(
            PartnerGrant.objects.filter(
                partner_id=api_key.partner_id, revoked_at__isnull=True
            ).values_list("company_id", flat=True)
        )
        label = f"{api_key.partner.name} (API key {api_key.prefix})"
    else:
        company_ids = frozenset({api_key.company_id})
        label = f"{api_key.company.legal_name} (API key {api_key.prefix})"
    return Actor(
        label=label,
        company_ids=company_ids,
        partner_id=api_key.partner_id,
        api_key_id=api_key.pk,
        scopes=frozenset(api_key.scopes),
    )
