"""The wall around a seller company's data: the one rule every door asks.

A company's applications, evidence, trademarks, drafts, webhooks and decisions are seen
through one of two doors:

- ``Door.SELLER``, acting for the company: its members, its own API keys, and the keys of a
  partner holding an active grant from it;
- ``Door.STAFF``, reviewing it: platform staff (reviewers and program managers), except for the
  companies they declared a conflict of interest with.

Nobody else sees anything of it. Pages, the partner and reviewer APIs, downloads, signed file
links, queues, staged decisions and the workflow narrow their reads (or check one company)
through the functions here, so a row behind the wall looks exactly like one that does not exist
(404). Which role a page needs (reviewer, manager) is the page's own decorator; whose data it
may show is this rule. A text about another company that names one behind the wall (a check
that found the same file or logo there) is shown with that name withheld.
"""

import re
from enum import Flag, auto

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext

from sellers.actors import Actor
from sellers.models import Brand, ConflictOfInterest, SellerCompany


class Door(Flag):
    SELLER = auto()
    STAFF = auto()


def _reach(actor: Actor, door: Door) -> tuple[frozenset[int] | None, frozenset[int]]:
    """(only these companies, or None for every company; minus these) through one door."""
    if door is Door.SELLER:
        return actor.company_ids, frozenset()
    if not actor.staff_roles:
        return frozenset(), frozenset()
    return None, actor.conflicted_company_ids


def _doors(doors: Door) -> list[Door]:
    return [door for door in Door if door in doors]


def may_see(actor: Actor, company_id: int, *, doors: Door) -> bool:
    """Whether the actor may see this company's data through any of ``doors``."""
    for door in _doors(doors):
        only, excluded = _reach(actor, door)
        if (only is None or company_id in only) and company_id not in excluded:
            return True
    return False


def visible_q(actor: Actor, *, doors: Door, company: str | None = "company") -> Q:
    """``may_see`` as a filter; ``company`` is the lookup path from the model to its company
    (``"brand__company"``), None for the companies themselves. Without a declared conflict the
    staff door joins nothing."""
    field = "pk" if company is None else f"{company}_id"
    # Starts from "no row": an empty Q would mean every row, and OR-ing onto it keeps it so.
    allowed = Q(pk__in=[])
    for door in _doors(doors):
        only, excluded = _reach(actor, door)
        through = Q() if only is None else Q(**{f"{field}__in": only})
        if excluded:
            through &= ~Q(**{f"{field}__in": excluded})
        if not through:
            return through
        allowed |= through
    return allowed


def visible(queryset: QuerySet, actor: Actor, *, doors: Door, company: str | None = "company"):
    """The rows of ``queryset`` whose company the actor may see through ``doors``."""
    return queryset.filter(visible_q(actor, doors=doors, company=company))


def visible_or_404(
    queryset: QuerySet, actor: Actor, *, doors: Door, company: str | None = "company", **lookup
):
    """The one row ``lookup`` names, if the actor may see its company; else 404."""
    return get_object_or_404(visible(queryset, actor, doors=doors, company=company), **lookup)


def staff_who_may_see(company_id: int, *, user: str = "pk") -> Exists:
    """The other way round from ``visible_q``: a filter on staff members (``user`` is the path
    from the model to the user's id) keeping those the staff door lets see this company, when
    work for it looks for a reviewer."""
    return ~Exists(
        ConflictOfInterest.objects.filter(
            reviewer_id=OuterRef(user), company_id=company_id, withdrawn_at__isnull=True
        )
    )


def withheld_names(actor: Actor) -> tuple[str, ...]:
    """The legal and brand names of the companies the actor declared a conflict with, longest
    first so that a brand inside a legal name goes with it; none (and no query) without one."""
    if not actor.conflicted_company_ids:
        return ()
    companies = actor.conflicted_company_ids
    names = {
        *SellerCompany.objects.filter(pk__in=companies).values_list("legal_name", flat=True),
        *Brand.objects.filter(company_id__in=companies).values_list("name", flat=True),
    }
    return tuple(sorted(filter(None, names), key=len, reverse=True))


def withhold(text: str, names: tuple[str, ...]) -> str:
    """``text`` with each of ``names`` (from ``withheld_names``) replaced, as whole words."""
    if not names:
        return text
    placeholder = gettext("[a company you declared a conflict with]")
    for name in names:
        pattern = rf"(?<!\w){re.escape(name)}(?!\w)"
        text = re.sub(pattern, lambda _found: placeholder, text, flags=re.IGNORECASE)
    return text
