"""Which field of which kind of document is found where: one table per kind, Chinese and English
wording side by side, tried in order until one gives a value.

Most fields follow a printed label ("注册人", "Grantee:"); a value runs to the end of its piece of
text, the end of the line or the next label, whichever comes first, and carries on over the lines
wrapped under it when the table allows. The rest are found by their own shape (a credit code, a
第…号 number, the issuing office's name, the mark printed large).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache

from sellers.documents import values
from sellers.documents.layout import PIECE_GAP, Layout
from sellers.documents.reading import ReadField

CJK = re.compile(r"[\u4e00-\u9fff]")
COLON = "[:\uff1a]"
LIST_SEPARATOR = "[,;\u3001\uff0c\uff1b]"


@dataclass(frozen=True)
class Found:
    value: str
    # Offsets in the layout's text of every stretch the value was read from.
    spans: tuple[tuple[int, int], ...]


# An extractor looks at the whole document text and returns the value with where it stands.
Extractor = Callable[[Layout], Found | None]
Parser = Callable[[str], str | None]
_LABELS: list[str] = []


def _label_pattern(label: str) -> str:
    """CJK labels are often printed with spaces between characters (名    称); English ones lose
    their spaces to OCR. Both are matched whatever the spacing."""
    if CJK.search(label):
        return r"\s*".join(re.escape(character) for character in label.replace(" ", ""))
    return r"(?<![A-Za-z])" + r"\s*".join(re.escape(part) for part in label.split())


def _separator(label: str) -> str:
    """What must stand between a label and its value. OCR often runs a CJK label into its value
    (名称深圳市…), so nothing is needed there, unless the label is given with its colon because
    the bare word also starts other wording (商标 in 商标注册证, 授权方 in 授权方(盖章))."""
    if label.endswith(":"):
        return rf"\s*{COLON}\s*"
    if CJK.search(label):
        return rf"\s*{COLON}?\s*"
    # OCR drops spaces in English too ("Legal RepresentativeCao Yu"): a capital or digit right
    # after the label still starts the value.
    return rf"(?:\s*{COLON}\s*|\s+|(?=[A-Z0-9]))"


def _labelled(labels: tuple[str, ...]) -> str:
    return "|".join(
        rf"(?:{_label_pattern(label.removesuffix(':'))}){_separator(label)}" for label in labels
    )


@cache
def _next_label() -> str:
    labels = sorted(set(_LABELS), key=len, reverse=True)
    return "|".join(_label_pattern(label) for label in labels)


def after(
    *labels: str,
    parse: Parser = values.plain,
    value: str = r".+?",
    wrapped: int = 0,
    ends: str = "",
):
    """The value printed after one of ``labels``, and up to ``wrapped`` lines carried on under
    it. Besides the end of its piece or line and the next label, the value ends where ``ends``
    matches."""
    _LABELS.extend(label.removesuffix(":") for label in labels)

    @cache
    def pattern() -> re.Pattern:
        # Compiled on first use, once every table has registered its labels.
        return re.compile(
            rf"(?:{_labelled(labels)})(?P<value>{value})"
            rf"(?={re.escape(PIECE_GAP)}|\n|$|\s*(?:{_next_label()})\s*{COLON}"
            rf"{'|' + ends if ends else ''})",
            re.IGNORECASE,
        )

    def extract(layout: Layout) -> Found | None:
        for match in pattern().finditer(layout.text):
            spans = [match.span("value")]
            for _ in range(wrapped):
                following = layout.continuation(spans[0][0], spans[-1][1])
                if following is None:
                    break
                spans.append(following)
            parsed = parse(_joined(layout.text, spans))
            if parsed:
                return Found(parsed, tuple(spans))
        return None

    return extract


def _starts_with_label(text: str) -> bool:
    return re.match(rf"(?:{_next_label()})\s*{COLON}?", text, re.IGNORECASE) is not None


def _joined(text: str, spans: list[tuple[int, int]]) -> str:
    """Wrapped lines put back together: Chinese wraps anywhere, English between words."""
    joined = ""
    for start, end in spans:
        part = text[start:end].strip()
        if joined and not (CJK.search(joined[-1]) or CJK.match(part)):
            joined += " "
        joined += part
    return joined


def matching(pattern: str, parse: Parser = values.plain, flags=0):
    """The group ``value`` of the first match of ``pattern`` that parses."""
    compiled = re.compile(pattern, flags)

    def extract(layout: Layout) -> Found | None:
        for match in compiled.finditer(layout.text):
            parsed = parse(match["value"])
            if parsed:
                return Found(parsed, (match.span("value"),))
        return None

    return extract


def period(*labels: str, end: bool, day_first: bool = True):
    """One end of a period printed as "label 自 A 起至 B 止" or "label: A to B"."""
    _LABELS.extend(labels)
    pattern = re.compile(
        rf"(?:{_labelled(labels)})(?:自|from)?\s*(?P<start>{values.DATE})\s*起?\s*"
        rf"(?:至|到|to|until|till|[-~\u2013\u2014])\s*(?P<end>{values.DATE})",
        re.IGNORECASE,
    )
    group = "end" if end else "start"

    def extract(layout: Layout) -> Found | None:
        for match in pattern.finditer(layout.text):
            parsed = values.iso_date(match[group], day_first=day_first)
            if parsed:
                return Found(parsed, (match.span(group),))
        return None

    return extract


def dated(*labels: str, day_first: bool = True):
    """A day after its label; the date's own shape says where it ends, even mid-sentence
    ("in force until Mar. 05, 2031, subject to...")."""
    return after(
        *labels,
        value=values.DATE,
        ends=r"(?!\d)",
        parse=lambda text: values.iso_date(text, day_first=day_first),
    )


def years_after(start: Extractor, years: int = 10) -> Extractor:
    """A term that is not printed: ``years`` from a printed day to its anniversary (the USPTO's
    ten years from registration, the EUIPO's from filing)."""

    def extract(layout: Layout) -> Found | None:
        found = start(layout)
        if found is None:
            return None
        day = date.fromisoformat(found.value)
        try:
            anniversary = day.replace(year=day.year + years)
        except ValueError:
            anniversary = day.replace(year=day.year + years, day=28)
        return Found(anniversary.isoformat(), found.spans)

    return extract


def all_classes(layout: Layout) -> Found | None:
    """Nice classes wherever the certificate lists them: 第9类、第25类, Int. Cl.: 9, 25, IN CLASS
    9, 25, Nice classes: 9, 25. The box is that of the first list, the numbers without label."""
    numbers = rf"\d{{1,2}}(?:\s*{LIST_SEPARATOR}\s*\d{{1,2}})*"
    pattern = re.compile(
        rf"(?P<cn>第\s*\d{{1,2}}\s*类)|(?:Int\.?\s*Cl\.?|\bClass(?:es)?)\s*{COLON}?\s*"
        rf"(?P<en>{numbers})",
        re.IGNORECASE,
    )
    matches = list(pattern.finditer(layout.text))
    parsed = values.nice_classes([match[0] for match in matches])
    if not parsed:
        return None
    first = matches[0]
    group = "cn" if first["cn"] else "en"
    line_end = layout.text.find("\n", first.end())
    spans = tuple(
        match.span(group)
        for match in matches
        if match[group] and (line_end < 0 or match.start() < line_end)
    )
    return Found(parsed, spans)


# Each office by the wording that names it, the office's own name first: the box then points
# at the name rather than at a title that only implies it.
OFFICES = (
    ("CNIPA", r"国\s*家\s*知\s*识\s*产\s*权\s*局"),
    ("USPTO", r"United\s*States\s*Patent\s*and\s*Trademark\s*Office"),
    ("EUIPO", r"European\s*Union\s*Intellectual\s*Property\s*Office"),
    ("CNIPA", r"商\s*标\s*局|商\s*标\s*注\s*册\s*证|CNIPA"),
    ("USPTO", r"USPTO"),
    ("EUIPO", r"EUIPO"),
)
# Wording printed large on certificates that is not the mark.
TITLES = re.compile(
    "|".join(pattern for _, pattern in OFFICES)
    + r"|United\s+States\s+of\s+America|Certificate|Registration|Trade\s*mark|注\s*册\s*证",
    re.IGNORECASE,
)


def office(layout: Layout) -> Found | None:
    for name, pattern in OFFICES:
        match = re.search(pattern, layout.text, re.IGNORECASE)
        if match:
            return Found(name, (match.span(),))
    return None


def printed_large(layout: Layout) -> Found | None:
    """The mark of a certificate that prints it without a label (CNIPA, USPTO): the tallest line
    in the top half of the first page that is neither a title nor a label with its value."""
    candidates = [
        (piece.height, start, end)
        for row in layout.rows
        for start, end, piece in row
        if piece.page == 1
        and piece.y1 < 0.5
        and len(layout.text[start:end]) <= 40
        and not TITLES.search(layout.text[start:end])
        and not _starts_with_label(layout.text[start:end])
        and not re.fullmatch(r"[\d\s,.第号]+", layout.text[start:end])
    ]
    if not candidates:
        return None
    _, start, end = max(candidates)
    parsed = values.plain(layout.text[start:end])
    return Found(parsed, ((start, end),)) if parsed else None


CNIPA_NUMBER = matching(r"(?P<value>第\s*\d[\d\s]{2,12}\s*号)", values.compact_number)
LABELLED_NUMBER = after(
    "注册号",
    "Reg. No.",
    "Registration No.",
    "Registration number",
    "EUTM number",
    "EUTM No.",
    "Trade mark No.",
    value=r"[\dW][\d ,]{2,12}\d",
    parse=values.compact_number,
)
US_REGISTERED = dated("Registered", day_first=False)
EU_REGISTERED = dated("Registration date", "Date of registration")
EU_FILED = dated("Filing date", "Date of filing")
# On a USPTO certificate the owner opens the paragraph under the register's name, its legal form
# or address following in brackets.
US_OWNER = matching(r"REGISTER\s*\n(?P<value>[^(\n]+?)\s*\(", values.plain)
LABELLED_CREDIT_CODE = after(
    "统一社会信用代码",
    "Unified Social Credit Code",
    "Credit Code",
    value=r"[0-9A-Za-z][0-9A-Za-z \-]{16,24}[0-9A-Za-z]",
    parse=values.credit_code,
)
# On licences the code may stand under its label rather than beside it.
ANY_CREDIT_CODE = matching(
    r"(?<![0-9A-Za-z])(?P<value>[0-9A-Za-z]{18})(?![0-9A-Za-z])", values.credit_code
)
# Last, the code beside its label or on the line under it (beside first) even when its check
# character fails: a licence that prints an invalid code is compared and found wanting, not
# passed over as unread. Anywhere else 18 letters and digits that fail the check are no code.
PRINTED_CREDIT_CODE = matching(
    r"(?:统一社会信用代码|Unified Social Credit Code|Credit Code)[^\n]*?(?:\n[^\n]*?)??"
    r"(?<![0-9A-Za-z])(?P<value>[0-9A-Za-z]{18})(?![0-9A-Za-z])",
    values.labelled_credit_code,
    re.IGNORECASE,
)

TABLES: dict[str, dict[str, tuple[Extractor, ...]]] = {
    "trademark_certificate": {
        "office": (office,),
        "registration_number": (CNIPA_NUMBER, LABELLED_NUMBER),
        "mark": (after("商标:", "Trade mark:", "Mark:", "Word mark:"), printed_large),
        "owner": (after("注册人", "Proprietor", "Owner:", "Registrant:", "Holder:"), US_OWNER),
        "nice_classes": (all_classes,),
        "registration_date": (
            dated("注册日期"),
            period("注册有效期限", end=False),
            US_REGISTERED,
            EU_REGISTERED,
        ),
        "valid_until": (
            dated("有效期至", "Expiry date", "Date of expiry", "Valid until", "in force until"),
            period("注册有效期限", end=True),
            years_after(US_REGISTERED),
            years_after(EU_FILED),
        ),
    },
    "business_licence": {
        "uscc": (LABELLED_CREDIT_CODE, ANY_CREDIT_CODE, PRINTED_CREDIT_CODE),
        "legal_name": (after("名称", "Name", "Company name", "Enterprise name"),),
        "legal_representative": (after("法定代表人", "负责人", "经营者", "Legal representative"),),
        "established_on": (
            dated("成立日期", "Date of establishment", "Date of incorporation", "Established"),
        ),
        "business_scope": (after("经营范围", "Business scope", "Scope of business", wrapped=6),),
    },
    "authorization_letter": {
        "grantor": (after("授权方:", "授权人:", "Grantor:", "Licensor:"),),
        "grantee": (after("被授权方", "被授权人", "Grantee:", "Licensee:"),),
        # The brand's registration number follows in brackets: Brand (Reg. No. 123).
        "brand": (after("授权品牌", "品牌:", "Brand:", ends=r"\s*[(\uff08]"),),
        "products": (after("授权产品", "产品:", "Products:", "Goods:", wrapped=2),),
        "territory": (after("授权地域", "授权区域", "Territory:", wrapped=2),),
        "channel": (after("授权渠道", "销售渠道", "Channel:", "Sales channel:", wrapped=2),),
        "valid_from": (
            period("授权期限", "有效期限", "Term:", "Validity:", end=False),
            dated("生效日期", "Valid from", "Effective from"),
        ),
        "valid_until": (
            period("授权期限", "有效期限", "Term:", "Validity:", end=True),
            dated("有效期至", "截止日期", "Valid until", "Expiry date"),
        ),
    },
}
QUALITY = {
    "certificate_number": (
        after(
            "证书编号",
            "报告编号",
            "Certificate No.",
            "Certificate number",
            "Report No.",
            "Report number",
            value=r"[A-Za-z0-9][A-Za-z0-9 ./\-]{2,40}[A-Za-z0-9]",
            parse=values.compact_number,
        ),
    ),
    "holder": (
        after(
            "组织名称",
            "委托人名称",
            "委托单位:",
            "持证人",
            "获证组织",
            "证书持有人",
            "申请人:",
            "Certificate holder",
            "Organization:",
            "Organisation:",
            "Applicant:",
            "Holder:",
            "Client:",
            wrapped=1,
        ),
    ),
    "standard": (
        after(
            "认证依据",
            "依据标准",
            "检测依据",
            "检验依据",
            "Test standard",
            "Standard:",
            "Standards:",
            "Applied standards",
            parse=values.standard,
            wrapped=1,
        ),
    ),
    "valid_until": (
        dated("有效期至", "有效期截止", "Valid until", "Expiry date", "Date of expiry"),
        period("有效期", "Validity:", end=True),
    ),
}
TABLES["quality_certificate"] = QUALITY
TABLES["test_report"] = QUALITY


def read_fields(kind: str, layout: Layout) -> tuple[ReadField, ...]:
    read = []
    for name, extractors in TABLES[kind].items():
        found = next((f for extract in extractors if (f := extract(layout))), None)
        if found is None:
            continue
        box, confidence = layout.place(found.spans)
        read.append(ReadField(name=name, value=found.value, box=box, confidence=confidence))
    return tuple(read)
