"""Read-only questions about applications that more than one page asks."""

import datetime
import statistics
from dataclasses import dataclass

from django.db import connection
from django.db.models import OuterRef, Prefetch, Q, QuerySet, StringAgg, Subquery, Value
from django.utils import timezone

from sellers.documents.matching import Document, DocumentCheck, check_document
from sellers.documents.reading import FIELDS_BY_KIND, Reading
from sellers.models import (
    Application,
    AuthorizationLink,
    DocumentReading,
    Evidence,
    SellerCompany,
    TrademarkVerificationCode,
)
from sellers.signals import suspension_deadline_lookup

DECISION_WINDOW = datetime.timedelta(days=90)
# Below this many decisions one unusually slow or quick case would set the figure.
MIN_DECISIONS_FOR_ESTIMATE = 5


@dataclass(frozen=True)
class DecisionTimeEstimate:
    median: datetime.timedelta
    decisions: int

    @property
    def median_days(self) -> int:
        """Whole days, rounded; a decision within half a day reads as one day, not zero."""
        return max(1, round(self.median / datetime.timedelta(days=1)))


def decision_time_estimate(*, program_id: int) -> DecisionTimeEstimate | None:
    """How long the program's recent decisions took from submission; None with too few."""
    since = timezone.now() - DECISION_WINDOW
    durations = [
        decided_at - submitted_at
        for submitted_at, decided_at in Application.objects.filter(
            program_id=program_id,
            decided_at__gte=since,
            submitted_at__isnull=False,
        ).values_list("submitted_at", "decided_at")
    ]
    if len(durations) < MIN_DECISIONS_FOR_ESTIMATE:
        return None
    return DecisionTimeEstimate(median=statistics.median(durations), decisions=len(durations))


def suspension_deadline(*, application_id: int) -> datetime.date | None:
    """The date by which the seller must resolve a suspension, if the suspension set one."""
    answers = suspension_deadline_lookup.send(sender=Application, application_id=application_id)
    return next((deadline for _, deadline in answers if deadline is not None), None)


# Entries on one page of an inbox: a phone screen's scroll or two.
INBOX_PAGE = 50


@dataclass
class InboxPage:
    entries: list
    # The ``before`` of the next page's address; None on the last page.
    older: int | None


def inbox_page(entries: QuerySet, *, before: str = "") -> InboxPage:
    """One page of ``entries`` (one person's notifications), newest first; ``before`` (an
    entry id from the address) starts after that entry. An id that is not among ``entries``
    gives the first page, so another person's id reveals nothing."""
    if before.isdigit() and (
        since := entries.filter(pk=int(before)).values_list("created_at", flat=True).first()
    ):
        entries = entries.filter(Q(created_at__lt=since) | Q(created_at=since, pk__lt=before))
    rows = list(entries.order_by("-created_at", "-pk")[: INBOX_PAGE + 1])
    return InboxPage(rows[:INBOX_PAGE], rows[INBOX_PAGE - 1].pk if len(rows) > INBOX_PAGE else None)


def record_control_verified_at(trademark: str = "") -> Subquery:
    """When a code mailed to the correspondent on the trademark's registry record was last
    confirmed for its current office and number; None if never. ``trademark`` is the path
    from the rows annotated to the trademark ("" for trademarks, "trademark__" for
    applications)."""
    verified = TrademarkVerificationCode.objects.filter(
        trademark=OuterRef(f"{trademark}pk"),
        office=OuterRef(f"{trademark}office"),
        number=OuterRef(f"{trademark}number"),
        verified_at__isnull=False,
    ).order_by("-verified_at")
    return Subquery(verified.values("verified_at")[:1])


def with_category_codes(applications: QuerySet) -> QuerySet:
    """The applications with their categories' codes, in the categories' order (by name), as
    ``category_codes``: a comma-separated text read with each row, or None without categories.

    Where the database cannot order an aggregate (SQLite before 3.44), the categories are read
    in a query of their own instead and ``category_codes`` is left out.
    """
    if not connection.features.supports_aggregate_order_by_clause:
        return applications.prefetch_related("categories")
    codes = (
        Application.categories.through.objects.filter(application_id=OuterRef("pk"))
        .order_by()
        .values("application_id")
        # Codes are slugs: they hold no comma.
        .annotate(
            codes=StringAgg("category__code", Value(","), order_by=("category__name", "category"))
        )
        .values("codes")
    )
    return applications.annotate(category_codes=Subquery(codes))


# Where prefetch_current_evidence() leaves an application's current files.
CURRENT_EVIDENCE = "current_evidence"


def prefetch_current_evidence() -> Prefetch:
    """For ``prefetch_related``: each application's current evidence, read with it, for
    callers such as screening that ask ``current_evidence`` many times."""
    return Prefetch("evidence", queryset=Evidence.objects.current(), to_attr=CURRENT_EVIDENCE)


def current_evidence(application: Application) -> list[Evidence]:
    """The files the application stands on now, never those replaced or removed: from the
    rows prefetched with it, else read now."""
    prefetched = getattr(application, CURRENT_EVIDENCE, None)
    if prefetched is not None:
        return prefetched
    return list(application.evidence.current())


def readable_evidence(application: Application) -> list[Evidence]:
    return [item for item in current_evidence(application) if item.kind in FIELDS_BY_KIND]


def licence_document(company: SellerCompany) -> Document | None:
    """The business licence the company signed up with, if it uploaded one."""
    return Document.of_licence(company) if company.business_licence else None


def letter_documents(links) -> list[Document]:
    """The signed letters of these authorization links, in the chain's order."""
    return [Document.of_letter(link) for link in links if link.letter]


def application_documents(application: Application) -> list[Document]:
    """Every document of the application whose contents are read: its evidence, the company's
    sign-up licence and the letters of the trademark's authorization chain."""
    licence = licence_document(application.company)
    links = AuthorizationLink.objects.filter(trademark_id=application.trademark_id).select_related(
        "trademark__brand__company"
    )
    return [
        *(Document.of_evidence(item) for item in readable_evidence(application)),
        *([licence] if licence else []),
        *letter_documents(links),
    ]


def document_readings(documents: list[Document]) -> dict[str, Reading]:
    """The reading of each document's file as it is now, by ``Document.key``; documents not
    read yet are absent."""
    by_owner = {item.owner_key: item for item in documents}
    lookup = Q(pk__in=[])
    for field, pk in by_owner:
        lookup |= Q(**{f"{field}_id": pk})
    found = {}
    for row in DocumentReading.objects.filter(lookup):
        document = by_owner[row.owner_key]
        if document.sha256 and row.sha256 == document.sha256:
            found[document.key] = Reading.from_json(row.data)
    return found


def documents_read(documents: list[Document], *, today: datetime.date) -> list[DocumentCheck]:
    """Each document with what was read from it, beside what the seller entered."""
    readings = document_readings(documents)
    return [check_document(item, readings.get(item.key), today=today) for item in documents]


def documents_checked(application: Application, *, today: datetime.date) -> list[DocumentCheck]:
    """The evidence step's documents: each readable evidence file and the company's sign-up
    licence, with what was read from it beside what the seller entered."""
    licence = licence_document(application.company)
    documents = [Document.of_evidence(item) for item in readable_evidence(application)]
    return documents_read([*documents, *([licence] if licence else [])], today=today)
