"""What a document says against what the seller told us: per field, agree or not, and why.

Numbers agree when equal once spaces, hyphens and the office's own padding are set aside; names
once case, punctuation, full-width forms and the company's legal form ("Co., Ltd.", "有限公司")
are; dates when the document is in force on the reference day. A disagreement names the
document, the field, what the document says and what it should say, in plain translatable words.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

from django.db.models.fields.files import FieldFile
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_noop, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc

from brandprogram.phrases import Phrase
from sellers.documents.reader import TEXT_LAYER
from sellers.documents.reading import FIELDS_BY_KIND, ReadField, Reading, Status
from sellers.models import AuthorizationLink, Certification, Evidence, SellerCompany
from sellers.names import normalize_company_name
from sellers.services.evidence import stored_type
from sellers.validators import display_trademark_number

# Below this the engine was unsure of the characters: a disagreement is worth a look, not a
# failure.
LOW_CONFIDENCE = 0.6

FIELD_LABELS = {
    "office": _("office"),
    "registration_number": _("registration number"),
    "mark": _("mark"),
    "owner": _("owner"),
    "nice_classes": _("Nice classes"),
    "registration_date": _("registration date"),
    "valid_until": _("valid until"),
    "uscc": _("Unified Social Credit Code"),
    "legal_name": _("legal name"),
    "legal_representative": _("legal representative"),
    "established_on": _("established on"),
    "business_scope": _("business scope"),
    "grantor": _("grantor"),
    "grantee": _("grantee"),
    "brand": pgettext_lazy("document field", "brand"),
    "products": _("products"),
    "territory": _("territory"),
    "channel": _("sales channel"),
    "valid_from": _("valid from"),
    "certificate_number": _("certificate number"),
    "holder": _("holder"),
    "standard": _("standard"),
}


def normalize_number(value: str, office: str = "") -> str:
    """A number as the issuer means it: no spaces, hyphens or dots, "第…号" and USPTO's
    zero-padding to seven digits set aside."""
    text = re.sub(r"[\s\-.,/]", "", unicodedata.normalize("NFKC", value or "")).upper()
    text = text.removeprefix("第").removesuffix("号")
    if office == "USPTO" and len(text) < 8:
        text = text.lstrip("0")
    return text


def normalize_mark(value: str) -> str:
    """A mark's words: exact up to case and full-width forms, so "FUTURE POWER" is not
    "FUTUREPOWER"."""
    return " ".join(unicodedata.normalize("NFKC", value or "").casefold().split())


def normalize_classes(value) -> tuple[int, ...]:
    if isinstance(value, str):
        value = re.findall(r"\d+", unicodedata.normalize("NFKC", value))
    return tuple(sorted({int(item) for item in value}))


def parse_date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


@dataclass(frozen=True)
class Comparison:
    """One field of a document beside what the application says."""

    name: str
    read: ReadField | None
    expected: str
    # None when there is nothing to compare (the field was not read, or nothing was typed).
    agrees: bool | None
    # "fail" or "warn" for a disagreement, "" otherwise.
    severity: str = ""
    # Why it disagrees when the plain "should read" does not say it (an expired document).
    reason: Phrase | str = ""

    @property
    def label(self) -> Promise:
        return FIELD_LABELS.get(self.name, self.name)

    @property
    def unsure(self) -> bool:
        return self.read is not None and self.read.confidence < LOW_CONFIDENCE


@dataclass(frozen=True)
class Row:
    """A field as shown to people: the comparison, and the registry's value where one is held."""

    comparison: Comparison
    registry: str = ""
    registry_agrees: bool | None = None

    @property
    def disagrees(self) -> bool:
        return self.comparison.agrees is False or self.registry_agrees is False

    @property
    def page(self) -> int | None:
        """The page the field was read on, from 1; None when it was not read."""
        read = self.comparison.read
        return None if read is None or read.box is None else read.box.page

    @property
    def outline(self) -> dict | None:
        """Where the field was read on its page, in percent of the page, for a preview."""
        if self.page is None:
            return None
        box = self.comparison.read.box
        return {
            "x": f"{box.x0 * 100:.2f}",
            "y": f"{box.y0 * 100:.2f}",
            "width": f"{(box.x1 - box.x0) * 100:.2f}",
            "height": f"{(box.y1 - box.y0) * 100:.2f}",
        }


@dataclass(frozen=True)
class Document:
    """A file whose contents are read: an evidence file, the business licence a company
    uploaded when it signed up, or the signed letter of one link of an authorization chain;
    or a facility's certificate, whose pages are only looked at."""

    kind: str
    file_name: str
    content_type: str
    # The hash of the file as it is now: a reading of another hash is stale.
    sha256: str
    evidence: Evidence | None = None
    company: SellerCompany | None = None
    link: AuthorizationLink | None = None
    # A facility's certificate, whose pages reviewers look at; its contents are not read.
    certification: Certification | None = None

    @classmethod
    def of(cls, item: "Document | Evidence") -> "Document":
        return item if isinstance(item, Document) else cls.of_evidence(item)

    @classmethod
    def of_evidence(cls, evidence: Evidence) -> "Document":
        return cls(
            evidence.kind,
            evidence.original_name,
            evidence.detected_type,
            evidence.sha256,
            evidence=evidence,
        )

    @classmethod
    def of_licence(cls, company: SellerCompany) -> "Document":
        return cls(
            Evidence.Kind.BUSINESS_LICENCE,
            company.business_licence_name or company.business_licence.name.rsplit("/", 1)[-1],
            company.business_licence_type,
            company.business_licence_sha256,
            company=company,
        )

    @classmethod
    def of_letter(cls, link: AuthorizationLink) -> "Document":
        # Letters stored before their name was kept go by the name they were stored under.
        name = link.letter_name or link.letter.name.rsplit("/", 1)[-1]
        return cls(
            Evidence.Kind.AUTHORIZATION_LETTER,
            name,
            link.letter_type,
            link.letter_sha256,
            link=link,
        )

    @classmethod
    def of_certification(cls, certification: Certification) -> "Document":
        return cls(
            Evidence.Kind.QUALITY_CERTIFICATE,
            f"{certification.standard} {certification.number}",
            stored_type(certification.file.name) or "",
            certification.file_sha256,
            certification=certification,
        )

    @property
    def owner(self) -> dict:
        """The owner of its ``DocumentReading``, as keyword arguments for a lookup."""
        if self.evidence is not None:
            return {"evidence": self.evidence}
        if self.company is not None:
            return {"company": self.company}
        if self.certification is not None:
            return {"certification": self.certification}
        return {"authorization_link": self.link}

    @property
    def file(self) -> FieldFile:
        if self.evidence is not None:
            return self.evidence.file
        if self.company is not None:
            return self.company.business_licence
        if self.certification is not None:
            return self.certification.file
        return self.link.letter

    @property
    def owner_key(self) -> tuple[str, int]:
        """(``DocumentReading`` field, id) of the owner, as ``DocumentReading.owner_key``."""
        ((field_name, owner),) = self.owner.items()
        return field_name, owner.pk

    @property
    def key(self) -> str:
        """Unique among an application's documents: the page anchor of its reading panel."""
        if self.evidence is not None:
            return f"evidence-{self.evidence.pk}"
        if self.company is not None:
            return f"licence-{self.company.pk}"
        if self.certification is not None:
            return f"certificate-{self.certification.pk}"
        return f"letter-{self.link.pk}"

    @property
    def kind_phrase(self) -> Phrase:
        if self.company is not None:
            return Phrase(gettext_noop("Business licence uploaded at sign-up"))
        if self.link is not None:
            return Phrase(
                gettext_noop("Signed letter of authorization link %(number)s"),
                number=self.link.position,
            )
        return Phrase.label(Evidence.Kind(self.kind).label)

    @property
    def kind_label(self) -> str:
        return str(self.kind_phrase)

    @property
    def name(self) -> Phrase:
        """How findings and pages name the document: what it is and the file's name, in the
        reader's language when it is shown (a screening finding keeps it as a phrase)."""
        return Phrase("%(kind)s “%(file)s”", kind=self.kind_phrase, file=self.file_name)


@dataclass(frozen=True)
class Figure:
    """A picture of one page with the fields read on it."""

    page: int
    url: str
    rows: list[Row]


@dataclass
class DocumentCheck:
    """One document, what was read from it and how that compares."""

    document: Document
    # None while the file has not been read.
    reading: Reading | None
    rows: list[Row] = field(default_factory=list)
    disagreements: list = field(default_factory=list)
    # The pictures of a PDF's pages, page 1 first, set by the page that shows them: a field read
    # on page 3 is outlined on page 3's picture.
    page_urls: tuple[str, ...] = ()

    def figures(self, first_page: str = "") -> list[Figure]:
        """The pages to show with their outlines: the first, and each further page a field was
        read on. Without ``page_urls`` only ``first_page`` is known (a photo as uploaded), with
        the fields read on it."""
        urls = self.page_urls or ((first_page,) if first_page else ())
        pages = sorted({1} | {row.page for row in self.rows if row.page})
        return [
            Figure(page, urls[page - 1], [row for row in self.rows if row.page == page])
            for page in pages
            if page <= len(urls)
        ]

    @property
    def evidence(self) -> Evidence | None:
        return self.document.evidence

    @property
    def pending(self) -> bool:
        return self.reading is None

    @property
    def unreadable(self) -> bool:
        return self.reading is not None and self.reading.status == Status.UNREADABLE


@dataclass(frozen=True)
class Disagreement:
    # The document's name (Document.name).
    document: Phrase | str
    field: str
    says: str
    should_say: str
    severity: str
    reason: Phrase | str = ""

    @property
    def label(self) -> Promise:
        return FIELD_LABELS.get(self.field, self.field)

    @property
    def phrase(self) -> Phrase:
        """What is wrong, as a phrase: pages show it in the reader's language, and the
        document-contents check stores it to be read in each reviewer's."""
        if isinstance(self.reason, Phrase):
            return self.reason
        if self.reason:
            return Phrase(self.reason)
        return Phrase(
            gettext_noop(
                "%(document)s: the %(field)s reads “%(says)s” but should read “%(should)s”."
            ),
            document=self.document,
            field=Phrase.label(self.label),
            says=self.says,
            should=self.should_say,
        )

    def __str__(self) -> str:
        return str(self.phrase)


def _compare(document, name, read, expected, agree) -> Comparison:
    if read is None or not read.value.strip() or not expected:
        return Comparison(name, read, expected, None)
    verdict = agree(read.value, expected)
    if verdict is None:
        reason = Phrase(
            gettext_noop(
                "%(document)s: the %(field)s “%(says)s” is written in another script than "
                "“%(should)s”; compare them by hand."
            ),
            document=document,
            field=FIELD_LABELS[name],
            says=read.value,
            should=expected,
        )
        return Comparison(name, read, expected, False, "warn", reason)
    if verdict:
        return Comparison(name, read, expected, True)
    severity = "warn" if read.confidence < LOW_CONFIDENCE else "fail"
    return Comparison(name, read, expected, False, severity)


def _in_force(document, name, read, today: datetime.date, *, until: bool) -> Comparison:
    """A validity date: the document must be in force on ``today``."""
    if read is None:
        return Comparison(name, None, "", None)
    day = parse_date(read.value)
    expected = gettext("in force on %(day)s") % {"day": today.isoformat()}
    if day is None:
        return Comparison(name, read, expected, None)
    if (day >= today) if until else (day <= today):
        return Comparison(name, read, expected, True)
    reason = Phrase(
        gettext_noop("%(document)s: it expired on %(day)s.")
        if until
        else gettext_noop("%(document)s: it is valid only from %(day)s."),
        # As the document and the reading show it, beside the other values read.
        document=document,
        day=day.isoformat(),
    )
    severity = "warn" if read.confidence < LOW_CONFIDENCE else "fail"
    return Comparison(name, read, expected, False, severity, reason)


def _link_date(document, name, read, entered: datetime.date, today) -> Comparison:
    """A date of a link's own letter: the date the link was entered with, and in force."""
    entered_text = entered.isoformat()
    if read is not None and parse_date(read.value) not in {None, entered}:
        severity = "warn" if read.confidence < LOW_CONFIDENCE else "fail"
        return Comparison(name, read, entered_text, False, severity)
    return _in_force(document, name, read, today, until=name == "valid_until")


def _has_han(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def _names_agree(read: str, expected: str) -> bool | None:
    """Equal names agree; a Chinese name beside a Latin one (a licence printed in Chinese, a
    company registered with us in English) cannot be told apart here: None."""
    read, expected = normalize_company_name(read), normalize_company_name(expected)
    if read == expected:
        return True
    return None if _has_han(read) != _has_han(expected) else False


def _any_name_agrees(read: str, expected: str) -> bool | None:
    verdicts = [_names_agree(read, name) for name in expected.split(" / ")]
    if True in verdicts:
        return True
    return None if None in verdicts else False


def compare_reading(
    item: Document | Evidence, reading: Reading, *, today: datetime.date
) -> list[Comparison]:
    """Every field the document's kind carries, beside the value entered for it."""
    document = Document.of(item)
    if reading.status != Status.READ or document.kind not in FIELDS_BY_KIND:
        return []
    compare = _COMPARERS[document.kind]
    rows = compare(document, reading, today, document.name)
    seen = {row.name for row in rows}
    rows += [
        Comparison(name, reading.field(name), "", None)
        for name in FIELDS_BY_KIND[document.kind]
        if name not in seen
    ]
    order = FIELDS_BY_KIND[document.kind]
    return sorted(rows, key=lambda row: order.index(row.name))


def disagreements(item: Document | Evidence, reading: Reading, *, today: datetime.date) -> list:
    return check_document(item, reading, today=today).disagreements


def check_document(
    item: Document | Evidence, reading: Reading | None, *, today: datetime.date
) -> DocumentCheck:
    document = Document.of(item)
    check = DocumentCheck(document, reading)
    if reading is None:
        return check
    for comparison in compare_reading(document, reading, today=today):
        check.rows.append(Row(comparison))
        if comparison.agrees is False:
            check.disagreements.append(
                Disagreement(
                    document.name,
                    comparison.name,
                    comparison.read.value,
                    comparison.expected,
                    comparison.severity,
                    comparison.reason,
                )
            )
    return check


def _trademark_certificate(source: Document, reading, today, document):
    application = source.evidence.application
    mark = application.trademark
    office = mark.office
    brand = application.brand
    marks = " / ".join(name for name in (brand.name, brand.native_name) if name)
    return [
        _compare(
            document,
            "office",
            reading.field("office"),
            office,
            lambda read, typed: normalize_number(read) == normalize_number(typed),
        ),
        _compare(
            document,
            "registration_number",
            reading.field("registration_number"),
            display_trademark_number(office, mark.number),
            lambda read, typed: normalize_number(read, office) == normalize_number(typed, office),
        ),
        _compare(
            document,
            "mark",
            reading.field("mark"),
            marks,
            lambda read, typed: (
                normalize_mark(read) in {normalize_mark(name) for name in typed.split(" / ")}
            ),
        ),
        _compare(document, "owner", reading.field("owner"), mark.owner_name, _names_agree),
        _compare(
            document,
            "nice_classes",
            reading.field("nice_classes"),
            ", ".join(str(number) for number in normalize_classes(mark.nice_classes)),
            lambda read, typed: set(normalize_classes(typed)) <= set(normalize_classes(read)),
        ),
        _in_force(document, "valid_until", reading.field("valid_until"), today, until=True),
    ]


def _credit_code(document, read: ReadField | None, reading: Reading, typed: str) -> Comparison:
    """The licence's code beside the one the company gave, and valid by its check character.

    The file's own text printing an invalid code is a forgery or a typo: a failure. Read by OCR it
    is more likely misread: worth a look by hand."""
    if read is None or not typed or uscc.is_valid(read.value):
        return _compare(
            document,
            "uscc",
            read,
            typed,
            lambda read, typed: normalize_number(read) == normalize_number(typed),
        )
    reason = Phrase(
        gettext_noop(
            "%(document)s: the Unified Social Credit Code reads “%(says)s”, which is no valid "
            "code: its check character does not match the other 17."
        ),
        document=document,
        says=read.value,
    )
    severity = "fail" if reading.source == TEXT_LAYER else "warn"
    return Comparison("uscc", read, typed, False, severity, reason)


def _business_licence(source: Document, reading, today, document):
    company = source.company or source.evidence.application.company
    return [
        _credit_code(document, reading.field("uscc"), reading, company.registration_number),
        _compare(
            document, "legal_name", reading.field("legal_name"), company.legal_name, _names_agree
        ),
    ]


def matching_link(evidence: Evidence, reading: Reading) -> AuthorizationLink | None:
    """The link of the chain a letter is about: the one whose parties it names, else the one
    that reaches the seller."""
    links = list(evidence.application.trademark.authorization_links.all())
    grantor, grantee = reading.field("grantor"), reading.field("grantee")
    for link in links:
        if (
            grantee
            and grantor
            and _names_agree(grantee.value, link.grantee_name)
            and _names_agree(grantor.value, link.grantor_name)
        ):
            return link
    for link in reversed(links):
        if grantee and _names_agree(grantee.value, link.grantee_name):
            return link
    return links[-1] if links else None


def _authorization_letter(source: Document, reading, today, document):
    if source.link is not None:
        # A link's own letter speaks of that link, whatever parties it names.
        link = source.link
        brand = link.trademark.brand
        owner, seller = link.trademark.owner_name, brand.company.legal_name
    else:
        application = source.evidence.application
        link = matching_link(source.evidence, reading)
        brand = application.brand
        owner, seller = application.trademark.owner_name, application.company.legal_name
    marks = " / ".join(name for name in (brand.name, brand.native_name) if name)
    rows = [
        _compare(
            document,
            "brand",
            reading.field("brand"),
            marks,
            lambda read, typed: (
                normalize_mark(read) in {normalize_mark(name) for name in typed.split(" / ")}
            ),
        ),
        *(
            _link_date(document, name, reading.field(name), getattr(source.link, name), today)
            if source.link is not None
            else _in_force(document, name, reading.field(name), today, until=name == "valid_until")
            for name in ("valid_from", "valid_until")
        ),
    ]
    if link is None:
        # Without a chain the letter can only be the owner's to the seller itself.
        return [
            *rows,
            _compare(
                document,
                "grantor",
                reading.field("grantor"),
                owner,
                _names_agree,
            ),
            _compare(document, "grantee", reading.field("grantee"), seller, _names_agree),
        ]
    return [
        *rows,
        _compare(document, "grantor", reading.field("grantor"), link.grantor_name, _names_agree),
        _compare(document, "grantee", reading.field("grantee"), link.grantee_name, _names_agree),
    ]


def company_certifications(application) -> list[Certification]:
    """The certifications of the application's company, read once per application object: the
    evidence files of one application share it, so a page or a check comparing many
    certificates asks once."""
    cached = getattr(application, "_company_certifications", None)
    if cached is None:
        cached = list(
            Certification.objects.filter(facility__company_id=application.company_id)
            .select_related("facility")
            .order_by("pk")
        )
        application._company_certifications = cached
    return cached


def matching_certification(evidence: Evidence, reading: Reading) -> Certification | None:
    number = reading.field("certificate_number")
    if number is not None:
        for certification in company_certifications(evidence.application):
            if normalize_number(number.value) == normalize_number(certification.number):
                return certification
    return None


def _certificate(source: Document, reading, today, document):
    evidence = source.evidence
    application = evidence.application
    certification = matching_certification(evidence, reading)
    if certification is None:
        numbers = (item.number for item in company_certifications(application))
        expected_number = ", ".join(numbers)
        holders = application.company.legal_name
    else:
        expected_number = certification.number
        holders = f"{certification.facility.manufacturer_name} / {application.company.legal_name}"
    return [
        _compare(
            document,
            "certificate_number",
            reading.field("certificate_number"),
            expected_number,
            lambda read, typed: normalize_number(read) == normalize_number(typed),
        ),
        _compare(document, "holder", reading.field("holder"), holders, _any_name_agrees),
        _in_force(document, "valid_until", reading.field("valid_until"), today, until=True),
    ]


_COMPARERS = {
    "trademark_certificate": _trademark_certificate,
    "business_licence": _business_licence,
    "authorization_letter": _authorization_letter,
    "quality_certificate": _certificate,
    "test_report": _certificate,
}
