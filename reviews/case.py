"""The whole case as the workspace shows it, top to bottom: the company and its verification,
the trademark beside the registry's record, the authorization chain link by link with what each
letter says and its pages, the facilities and their certificates' pages, every evidence file's
pages, and the screening with what needs a look first.

Read-only, and a fixed number of queries whatever the number of links, facilities and files:
everything comes from a handful of list queries (see the workspace's query-count test).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext

from reviews.checks import enabled_checks, trademark_registry
from reviews.checks.document_contents import registry_record
from reviews.models import CompanyVerification, RegistryMark
from sellers.documents.matching import (
    Document,
    DocumentCheck,
    normalize_classes,
    normalize_mark,
    normalize_number,
)
from sellers.documents.pages import MAX_PAGES
from sellers.documents.preview import page_count
from sellers.models import AuthorizationLink, Evidence, Facility, SellerCompany, Trademark
from sellers.names import normalize_company_name
from sellers.portal.files import page_owner
from sellers.uscc import entity_type
from sellers.validators import display_trademark_number

# Screening results in the order a reviewer acts on them: what failed or warns, then what
# could not be judged, then what passed (folded away).
OUTCOME_ORDER = {"fail": 0, "warn": 1, "unverifiable": 2, "error": 3, "pass": 4}


@dataclass(frozen=True)
class Pages:
    """The pictures of a document's pages, for the previews and the in-page viewer."""

    # What the viewer calls the document: "Test report: report.pdf".
    title: str
    # Keeps one document's pages together in the viewer (its previous and next page).
    group: str
    urls: tuple[str, ...]
    # All of the file's pages, of which at most MAX_PAGES are shown; 0 if it does not open.
    total: int

    @property
    def more(self) -> int:
        """Pages past the ones shown."""
        return max(0, self.total - len(self.urls))


def document_pages(document: Document, *, known: int = 0) -> Pages:
    """``known`` is the page count a reading already holds; otherwise the file is counted."""
    total = known or page_count(
        document.file, sha256=document.sha256, detected_type=document.content_type
    )
    owner, pk = page_owner(document)
    urls = tuple(
        reverse("reviews:document_page", args=[owner, pk, number])
        for number in range(1, min(total, MAX_PAGES) + 1)
    )
    return Pages(
        title=f"{document.kind_label}: {document.file_name}",
        group=f"{owner}-{pk}",
        urls=urls,
        total=total,
    )


def pages_outlined(check: DocumentCheck | None, document: Document) -> Pages:
    """The document's pages; a PDF's reading is outlined on the picture of the page each field
    was read on (a photo's on the photo as uploaded, which its page picture is not)."""
    known = check.reading.page_count if check is not None and check.reading is not None else 0
    pages = document_pages(document, known=known)
    if check is not None and document.content_type == "application/pdf":
        check.page_urls = pages.urls
    return pages


def readings_by_key(checks: list[DocumentCheck]) -> dict[str, DocumentCheck]:
    return {check.document.key: check for check in checks}


# --- The company ---


@dataclass(frozen=True)
class CompanyProfile:
    company: SellerCompany
    # What a Chinese code's first characters say the entity is ("a company"), else "".
    entity: str
    # The latest verification request (the open one if any), for the link to its case page.
    verification: CompanyVerification | None
    licence: DocumentCheck | None
    licence_pages: Pages | None
    licence_preview: str


def company_profile(company: SellerCompany, checks: dict[str, DocumentCheck]) -> CompanyProfile:
    verification = (
        CompanyVerification.objects.filter(company=company)
        .order_by(F("closed_at").desc(nulls_first=True), "-requested_at", "-pk")
        .first()
    )
    licence = checks.get(f"licence-{company.pk}")
    pages = None if licence is None else pages_outlined(licence, licence.document)
    return CompanyProfile(
        company=company,
        entity=entity_type(company.registration_number) if company.country.code == "CN" else "",
        verification=verification,
        licence=licence,
        licence_pages=pages,
        licence_preview=pages.urls[0] if pages and pages.urls else "",
    )


# --- The trademark beside the registry ---


@dataclass(frozen=True)
class RegistryRow:
    label: str
    entered: str
    registry: str
    # None when one side is missing and nothing can be compared.
    agrees: bool | None


@dataclass(frozen=True)
class RegistryView:
    rows: list[RegistryRow]
    # Where the record comes from: "USPTO TSDR", "verified by hand"… and its data version.
    source: str
    data_version: str
    status_text: str
    correspondent_changed_on: str


def _agree(entered: str, registry: str, normalize) -> bool | None:
    if not entered or not registry:
        return None
    return normalize(entered) == normalize(registry)


def trademark_registry_view(application, results) -> RegistryView | None:
    """The record the latest registry check used (a live register, a local copy or a reviewer's
    look-up by hand); without one, the local copy of the office's register if it holds the
    mark. None when no record is known."""
    record = next(
        (
            result.evidence.get("registry_record")
            for result in results
            if result.check_code == trademark_registry.CODE
        ),
        None,
    )
    if record is None:
        found = registry_record(application)
        record = None if found is None else found.as_evidence()
    if not record:
        return None
    mark = application.trademark
    brand = application.brand
    registry_number = record.get("number") or record.get("serial") or ""
    registry_office = record.get("office") or ""
    classes = ", ".join(str(number) for number in record.get("nice_classes") or [])
    state = record.get("status_state") or ""
    # Registered and pending read as the application's own statuses do; the register's other
    # states (dead, not understood) in its own words.
    states = dict(RegistryMark.State.choices) | dict(Trademark.RegistrationStatus.choices)
    rows = [
        RegistryRow(
            gettext("Mark"),
            brand.name,
            record.get("mark_literal") or "",
            _agree(brand.name, record.get("mark_literal") or "", normalize_mark),
        ),
        RegistryRow(
            gettext("Office and number"),
            f"{mark.office} {mark.display_number}",
            f"{registry_office} {display_trademark_number(registry_office, registry_number)}"
            if registry_number
            else "",
            _agree(
                mark.number,
                registry_number,
                lambda value: normalize_number(value, mark.office),
            ),
        ),
        RegistryRow(
            gettext("Owner on record"),
            mark.owner_name,
            record.get("owner_name") or "",
            _agree(mark.owner_name, record.get("owner_name") or "", normalize_company_name),
        ),
        RegistryRow(
            gettext("Nice classes"),
            ", ".join(str(number) for number in mark.nice_classes),
            classes,
            _agree(
                ", ".join(str(number) for number in mark.nice_classes),
                classes,
                normalize_classes,
            ),
        ),
        RegistryRow(
            gettext("Status"),
            mark.get_registration_status_display(),
            str(states.get(state, state)),
            None
            if state in ("", RegistryMark.State.UNKNOWN)
            else state == mark.registration_status,
        ),
        RegistryRow(
            gettext("Expires on"),
            mark.expires_on.isoformat() if mark.expires_on else "",
            record.get("expires_on") or "",
            _agree(
                mark.expires_on.isoformat() if mark.expires_on else "",
                record.get("expires_on") or "",
                str,
            ),
        ),
        RegistryRow(
            gettext("Correspondent"),
            mark.correspondent_email,
            record.get("correspondent_email") or "",
            _agree(mark.correspondent_email, record.get("correspondent_email") or "", str.lower),
        ),
    ]
    return RegistryView(
        rows=rows,
        source=record.get("source") or "",
        data_version=record.get("data_version") or "",
        status_text=" · ".join(
            part for part in (record.get("status_code"), record.get("status_text")) if part
        ),
        correspondent_changed_on=record.get("correspondent_email_changed_on") or "",
    )


# --- The authorization chain ---


@dataclass(frozen=True)
class ChainLink:
    link: AuthorizationLink
    # The grantor this link should name: the owner on record, or the previous link's grantee.
    expected_grantor: str
    joins: bool
    # "in_force", "expired" or "not_yet".
    validity: str
    letter: DocumentCheck | None
    letter_pages: Pages | None
    letter_preview: str


@dataclass
class Chain:
    owner_name: str
    links: list[ChainLink] = field(default_factory=list)
    # The last grantee is the applying company (or there is no chain to reach it).
    reaches_seller: bool = True


def _validity(link: AuthorizationLink, today: datetime.date) -> str:
    if today < link.valid_from:
        return "not_yet"
    if today > link.valid_until:
        return "expired"
    return "in_force"


def authorization_chain(
    application, checks: dict[str, DocumentCheck], *, today: datetime.date
) -> Chain:
    mark = application.trademark
    chain = Chain(owner_name=mark.owner_name)
    links = list(
        AuthorizationLink.objects.filter(trademark_id=mark.pk).select_related(
            "trademark__brand__company"
        )
    )
    grantor = mark.owner_name
    for link in links:
        letter = checks.get(f"letter-{link.pk}")
        pages = None
        if link.letter:
            pages = pages_outlined(letter, letter.document if letter else Document.of_letter(link))
        chain.links.append(
            ChainLink(
                link=link,
                expected_grantor=grantor,
                joins=normalize_company_name(link.grantor_name) == normalize_company_name(grantor),
                validity=_validity(link, today),
                letter=letter,
                letter_pages=pages,
                letter_preview=pages.urls[0] if pages and pages.urls else "",
            )
        )
        grantor = link.grantee_name
    if links:
        chain.reaches_seller = normalize_company_name(
            links[-1].grantee_name
        ) == normalize_company_name(application.company.legal_name)
    return chain


# --- Facilities and certificates ---


def facilities(company: SellerCompany, *, today: datetime.date) -> list[Facility]:
    """The company's facilities, each certificate marked ``expired`` when its date has passed
    and, when a file was given, with the ``pages`` of that file for the case's viewer."""
    found = list(Facility.objects.filter(company=company).prefetch_related("certifications"))
    for facility in found:
        for certification in facility.certifications.all():
            certification.expired = (
                certification.expires_on is not None and certification.expires_on < today
            )
            certification.pages = (
                document_pages(Document.of_certification(certification))
                if certification.file
                else None
            )
    return found


# --- Evidence previews ---


@dataclass(frozen=True)
class EvidencePreview:
    evidence: Evidence
    pages: Pages
    # What was read from it, for the kinds whose contents are read.
    reading: DocumentCheck | None
    reading_preview: str


def evidence_previews(
    evidence: list[Evidence], checks: dict[str, DocumentCheck]
) -> list[EvidencePreview]:
    previews = []
    for item in evidence:
        reading = checks.get(f"evidence-{item.pk}")
        pages = pages_outlined(reading, Document.of_evidence(item))
        if reading is not None and item.detected_type.startswith("image/"):
            # The outlines sit on the image as uploaded, the way the reader saw it.
            preview = reverse("reviews:evidence_preview", args=[item.pk])
        else:
            preview = pages.urls[0] if pages.urls else ""
        previews.append(EvidencePreview(item, pages, reading, preview))
    return previews


# --- Screening ---


@dataclass(frozen=True)
class Screening:
    # Failing and warning checks first, then those that could not be judged.
    attention: list
    passed: list


def screening_in_order(results: list) -> Screening:
    modules = {check.CODE: index for index, check in enumerate(enabled_checks())}
    ordered = sorted(
        results,
        key=lambda result: (
            OUTCOME_ORDER.get(result.outcome, len(OUTCOME_ORDER)),
            modules.get(result.check_code, len(modules)),
            result.check_code,
        ),
    )
    return Screening(
        attention=[result for result in ordered if result.outcome != "pass"],
        passed=[result for result in ordered if result.outcome == "pass"],
    )
