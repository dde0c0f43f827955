"""The reviewers' search across applications: by company (legal name, registration number),
brand (name, native-script name), trademark number and reference number, narrowed by status,
queue, tier, category and risk band.

Identifiers typed whole (a reference, a USCC or other registration number, a trademark number)
are exact matches and come first; numbers are not matched in part. Names are matched loosely:
on PostgreSQL with full-text search and trigram similarity, served by the GIN indexes of
sellers' migration 0023, so a typo still finds the company; on the embedded SQLite default by
substring.

Every read goes through sellers.access's rule (Door.STAFF): the companies a reviewer declared
a conflict with are in no result and no count.
"""

import datetime
import re
from dataclasses import dataclass

from django.contrib.postgres.lookups import TrigramSimilar, TrigramWordSimilar
from django.contrib.postgres.search import SearchQuery, SearchVector, TrigramWordSimilarity
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Case,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Greatest

from reviews.models import QueueItem, ReviewQueue
from reviews.templatetags.reviews_display import RISK_HIGH, RISK_MEDIUM
from sellers.access import Door, visible
from sellers.actors import Actor
from sellers.models import Application, Brand, Category, SellerCompany, Trademark
from sellers.models.application import REFERENCE_PREFIX

RESULTS_PER_PAGE = 25
# "TCB-2026-000123", also typed in lower case, with spaces or without the dashes.
REFERENCE = re.compile(rf"^{REFERENCE_PREFIX}\s*-?\s*(\d{{4}})\s*-?\s*(\d{{1,12}})$", re.IGNORECASE)
# Trademark numbers are kept without spaces and commas, and CNIPA's without "第…号"
# (sellers.validators.normalize_trademark_number).
TRADEMARK_NOISE = re.compile(r"[\s,]|^第|号$")
# What the page reads of each result: the row's columns and nothing else.
RESULT_FIELDS = (
    "status", "risk_score", "submitted_at", "created_at",
    "company__legal_name", "company__registration_number", "company__tier",
    "brand__name", "brand__native_name",
    "trademark__office", "trademark__number",
)  # fmt: skip
# Names typed as full-text search words: every word must appear, in any order.
NAME_DOCUMENT = SearchVector("legal_name", config="simple")


class RiskBand:
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    NONE = "none"


RISK_BANDS = {
    RiskBand.HIGH: Q(risk_score__gte=RISK_HIGH),
    RiskBand.MEDIUM: Q(risk_score__gte=RISK_MEDIUM, risk_score__lt=RISK_HIGH),
    RiskBand.LOW: Q(risk_score__lt=RISK_MEDIUM),
    RiskBand.NONE: Q(risk_score__isnull=True),
}


@dataclass(frozen=True)
class Filters:
    status: str = ""
    queue: ReviewQueue | None = None
    tier: str = ""
    category: Category | None = None
    risk: str = ""


def application_only_match(*, actor: Actor, text: str, filters: Filters) -> int | None:
    """The application an identifier typed whole names, when it names exactly one of those
    the reviewer may see (and the filters keep), for the page to open it directly."""
    exact = _exact_match(" ".join(text.split()))
    if exact is None:
        return None
    found = list(_candidates(actor, filters).filter(exact).values_list("pk", flat=True)[:2])
    return found[0] if len(found) == 1 else None


def application_search_page(*, actor: Actor, text: str, filters: Filters, page_number) -> Page:
    """One page of the applications the reviewer may see that match ``text`` and the filters:
    exact matches first, then the closest names; every one, newest first, when ``text`` is
    empty. A page number past the end (or not a number) gives the last (or first) page."""
    text = " ".join(text.split())
    applications = _candidates(actor, filters)
    if text:
        exact = _exact_match(text) or Q(pk__in=[])
        applications = applications.filter(_name_match(text) | exact).annotate(
            exact=Case(When(exact, then=Value(True)), default=Value(False)),
            closeness=_closeness(text),
        )
        order = ("-exact", "-closeness", "-pk")
    else:
        order = ("-pk",)
    rows = (
        applications.select_related("company", "brand", "trademark")
        .only(*RESULT_FIELDS)
        .annotate(queue_name=_open_queue_name())
        .order_by(*order)
    )
    return Paginator(rows, RESULTS_PER_PAGE).get_page(page_number)


def _candidates(actor: Actor, filters: Filters) -> QuerySet:
    return _filtered(visible(Application.objects.all(), actor, doors=Door.STAFF), filters)


def _filtered(applications: QuerySet, filters: Filters) -> QuerySet:
    if filters.status:
        applications = applications.filter(status=filters.status)
    if filters.tier:
        applications = applications.filter(company__tier=filters.tier)
    if filters.risk:
        applications = applications.filter(RISK_BANDS[filters.risk])
    if filters.queue is not None:
        open_items = QueueItem.objects.open().filter(
            application=OuterRef("pk"), queue=filters.queue
        )
        applications = applications.filter(Exists(open_items))
    if filters.category is not None:
        # Exists rather than a join: an application is one row whatever its categories.
        chosen = Application.categories.through.objects.filter(
            application_id=OuterRef("pk"), category=filters.category
        )
        applications = applications.filter(Exists(chosen))
    return applications


def _exact_match(text: str) -> Q | None:
    """The applications ``text`` names by an identifier typed whole: its reference, its
    company's registration number (a USCC), its trademark's number. None when ``text`` cannot
    be one (no digit in it, or spaces between words)."""
    if not any(c.isdigit() for c in text):
        return None
    reference = REFERENCE.match(text)
    if reference:
        year, pk = int(reference[1]), int(reference[2])
        start = datetime.datetime(year, 1, 1, tzinfo=datetime.UTC)
        return Q(pk=pk, created_at__gte=start, created_at__lt=start.replace(year=year + 1))
    if " " in text.strip(" ,"):
        return None
    number = TRADEMARK_NOISE.sub("", text.upper())
    # USPTO numbers are kept without the zeros older ones are printed with.
    numbers = {number, number.lstrip("0")} - {""}
    # Subqueries on the numbers' own indexes, before the applications.
    companies = SellerCompany.objects.filter(registration_number=text.upper()).values("pk")
    trademarks = Trademark.objects.filter(number__in=numbers).values("pk")
    return Q(company__in=companies) | Q(trademark__in=trademarks)


def _name_match(text: str) -> Q:
    if connection.vendor == "postgresql":
        return _name_match_postgresql(text)
    return _name_match_portable(text)


def _name_match_postgresql(text: str) -> Q:
    """Names close to ``text``: each lookup is one the GIN indexes serve (pg_trgm's % and %>,
    the full-text @@), in subqueries on the companies and brands before the applications."""
    companies = SellerCompany.objects.alias(name_document=NAME_DOCUMENT).filter(
        _similar("legal_name", text)
        | Q(name_document=SearchQuery(text, config="simple", search_type="websearch"))
    )
    brands = Brand.objects.filter(
        _similar("name", text)
        | _similar("native_name", text)
        # A name in Chinese characters is one "word" to pg_trgm: one or two characters of it
        # make too few trigrams to be similar.
        | Q(native_name__contains=text)
    )
    return Q(company__in=companies.values("pk")) | Q(brand__in=brands.values("pk"))


def _similar(field: str, text: str) -> Q:
    """``field`` similar to ``text`` as a whole (pg_trgm's %, above 0.3) or holding a word
    like it ("lantren" in "Qilin Lantern Works"; %>, above 0.6)."""
    return Q(TrigramSimilar(F(field), text)) | Q(TrigramWordSimilar(F(field), text))


def _name_match_portable(text: str) -> Q:
    """Names holding ``text`` (SQLite has no trigrams; its LIKE ignores the case of ASCII
    letters only). Numbers match typed whole, as on PostgreSQL."""
    return (
        Q(company__legal_name__icontains=text)
        | Q(brand__name__icontains=text)
        | Q(brand__native_name__icontains=text)
    )


def _closeness(text: str):
    """How close the closest of the application's names is to ``text``, 0 to 1 (on SQLite,
    where names match by substring, all are equally close)."""
    if connection.vendor != "postgresql":
        return Value(0.0)
    return Greatest(
        TrigramWordSimilarity(Value(text), "company__legal_name"),
        TrigramWordSimilarity(Value(text), "brand__name"),
        TrigramWordSimilarity(Value(text), "brand__native_name"),
    )


def _open_queue_name() -> Subquery:
    items = QueueItem.objects.open().filter(application=OuterRef("pk"))
    return Subquery(items.order_by("-entered_at").values("queue__name")[:1])
