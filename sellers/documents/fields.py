"""Which field of which kind of document is found where: one table per kind, Chinese and English
wording side by side, tried in order until one gives a value.

Most fields follow a printed label ("注册人", "Grantee:"); a value runs to the end of its piece of
text, the end of the line or the next label, whichever comes first. The rest are found by their own
shape (a credit code, a 第…号 number, the issuing office's name).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from sellers.documents import values
from sellers.documents.layout import PIECE_GAP, Layout
from sellers.documents.reading import ReadField


@dataclass(frozen=True)
class Found:
    value: str
    start: int
    end: int


CJK = re.compile(r"[\u4e00-\u9fff]")
# An extractor looks at the whole document text and returns the value with where it stands.
Extractor = Callable[[Layout], Found | None]
_LABELS: list[str] = []


def _label_pattern(label: str) -> str:
    """CJK labels are often printed with spaces between characters (名    称); English labels may
    wrap differently. Both are matched whatever the spacing."""
    if CJK.search(label):
        return r"\s*".join(re.escape(character) for character in label.replace(" ", ""))
    return r"\s+".join(re.escape(part) for part in label.split())


def _separator(label: str) -> str:
    """What must stand between a label and its value. OCR often runs a CJK label into its value
    (名称深圳市…), so nothing is needed there, unless the label is given with its colon because
    the bare word also begins a title (商标 in 商标注册证)."""
    if label.endswith(":"):
        return r"\s*:\s*"
    if CJK.search(label):
        return r"\s*:?\s*"
    return r"(?:\s*:\s*|\s+)"


def _labelled(labels: tuple[str, ...]) -> str:
    return "|".join(
        rf"(?:{_label_pattern(label.removesuffix(':'))}){_separator(label)}" for label in labels
    )


@cache
def _next_label() -> str:
    labels = sorted(_LABELS, key=len, reverse=True)
    return "|".join(_label_pattern(label) for label in labels)


def after(*labels: str, parse: Callable[[str], str | None] = values.plain, value: str = r".+?"):
    """The value printed after one of ``labels`` (and an optional colon)."""
    _LABELS.extend(label.removesuffix(":") for label in labels)

    @cache
    def pattern() -> re.Pattern:
        # Compiled on first use, once every table has registered its labels.
        return re.compile(
            rf"(?<![A-Za-z])(?:{_labelled(labels)})(?P<value>{value})"
            rf"(?={re.escape(PIECE_GAP)}|\n|$|\s*(?:{_next_label()})\s*:)",
            re.IGNORECASE,
        )

    def extract(layout: Layout) -> Found | None:
        for match in pattern().finditer(layout.text):
            parsed = parse(match["value"])
            if parsed:
                return Found(parsed, match.start("value"), match.end("value"))
        return None

    return extract


def matching(pattern: str, parse: Callable[[str], str | None] = values.plain, flags=0):
    """The group ``value`` of the first match of ``pattern`` that parses."""
    compiled = re.compile(pattern, flags)

    def extract(layout: Layout) -> Found | None:
        for match in compiled.finditer(layout.text):
            parsed = parse(match["value"])
            if parsed:
                return Found(parsed, match.start("value"), match.end("value"))
        return None

    return extract


def period(*labels: str, end: bool, day_first: bool = True):
    """One end of a period printed as "label 自 A 至 B" or "label: A to B"."""
    _LABELS.extend(labels)
    pattern = re.compile(
        rf"(?:{_labelled(labels)})(?:自|from)?\s*(?P<start>{values.DATE})\s*"
        rf"(?:至|到|to|until|till|[-~\u2013\u2014])\s*(?P<end>{values.DATE})",
        re.IGNORECASE,
    )
    group = "end" if end else "start"

    def extract(layout: Layout) -> Found | None:
        for match in pattern.finditer(layout.text):
            parsed = values.iso_date(match[group], day_first=day_first)
            if parsed:
                return Found(parsed, match.start(group), match.end(group))
        return None

    return extract


def dated(*labels: str, day_first: bool = True):
    return after(
        *labels,
        value=values.DATE,
        parse=lambda text: values.iso_date(text, day_first=day_first),
    )


def all_classes(layout: Layout) -> Found | None:
    """Nice classes wherever the certificate lists them: 第9类, Int. Cl.: 9, 25, CLASS 25: …"""
    pattern = re.compile(
        r"第\s*(?P<a>\d{1,2})\s*类"
        r"|Int(?:ernational)?\.?\s*Cl(?:ass(?:es)?)?\.?\s*:?\s*(?P<b>\d{1,2}(?:\s*[,、;]\s*\d{1,2})*)"
        r"|(?:Nice\s+)?Class(?:es)?\s*:?\s*(?P<c>\d{1,2}(?:\s*[,、;]\s*\d{1,2})*)",
        re.IGNORECASE,
    )
    matches = list(pattern.finditer(layout.text))
    if not matches:
        return None
    parsed = values.nice_classes([match[0] for match in matches])
    if not parsed:
        return None
    return Found(parsed, matches[0].start(), matches[0].end())


def office(layout: Layout) -> Found | None:
    for name, pattern in OFFICES:
        match = re.search(pattern, layout.text, re.IGNORECASE)
        if match:
            return Found(name, match.start(), match.end())
    return None


def ten_years_after(registered: Extractor) -> Extractor:
    """A registration that prints no end date runs ten years from the day it was registered
    (USPTO and EUIPO terms), ending the day before the anniversary."""

    def extract(layout: Layout) -> Found | None:
        found = registered(layout)
        if found is None:
            return None
        start = date.fromisoformat(found.value)
        try:
            anniversary = start.replace(year=start.year + 10)
        except ValueError:
            anniversary = start.replace(year=start.year + 10, day=28)
        return Found((anniversary - timedelta(days=1)).isoformat(), found.start, found.end)

    return extract


LABELLED_CREDIT_CODE = after(
    "统一社会信用代码",
    "Unified Social Credit Code",
    "Credit Code",
    "USCC",
    value=r"[0-9A-Z][0-9A-Z \-]{16,24}[0-9A-Z]",
    parse=values.credit_code,
)
ANY_CREDIT_CODE = matching(r"(?<![0-9A-Z])(?P<value>[0-9A-Z]{18})(?![0-9A-Z])", values.credit_code)


OFFICES = (
    ("CNIPA", r"国\s*家\s*知\s*识\s*产\s*权\s*局|商\s*标\s*局|商\s*标\s*注\s*册\s*证|CNIPA"),
    ("USPTO", r"United\s+States\s+Patent\s+and\s+Trademark\s+Office|USPTO"),
    ("EUIPO", r"European\s+Union\s+Intellectual\s+Property\s+Office|EUIPO"),
)

CNIPA_REGISTERED = period("注册有效期限", "有效期限", end=False)
US_REGISTERED = dated("Registered", "Registration date", "Date of registration", day_first=False)
EU_REGISTERED = dated("Date of registration", "Registration date")

TABLES: dict[str, dict[str, tuple[Extractor, ...]]] = {
    "trademark_certificate": {
        "office": (office,),
        "registration_number": (
            matching(r"(?P<value>第\s*\d[\d\s]{2,12}\s*号)", values.compact_number),
            after(
                "注册号",
                "Reg. No.",
                "Registration No.",
                "Registration number",
                "Trade mark No.",
                "EUTM No.",
                value=r"[\dW][\d ,]{2,12}\d",
                parse=values.compact_number,
            ),
        ),
        "mark": (after("商标:", "Mark", "Trade mark", "Word mark"),),
        "owner": (after("注册人", "Owner", "Registrant", "Proprietor", "Holder"),),
        "nice_classes": (all_classes,),
        "registration_date": (
            dated("注册日期"),
            CNIPA_REGISTERED,
            US_REGISTERED,
            EU_REGISTERED,
        ),
        "valid_until": (
            dated("有效期至"),
            period("注册有效期限", "有效期限", end=True),
            dated("Expiry date", "Date of expiry", "Expires", "Valid until"),
            ten_years_after(US_REGISTERED),
            ten_years_after(EU_REGISTERED),
        ),
    },
    "business_licence": {
        "uscc": (LABELLED_CREDIT_CODE, ANY_CREDIT_CODE),
        "legal_name": (after("名称", "Name", "Company name", "Enterprise name"),),
        "legal_representative": (after("法定代表人", "负责人", "经营者", "Legal representative"),),
        "established_on": (
            dated(
                "成立日期",
                "Date of establishment",
                "Date of incorporation",
                "Established on",
                "Established",
            ),
        ),
        "business_scope": (after("经营范围", "Business scope", "Scope of business"),),
    },
    "authorization_letter": {
        "grantor": (after("授权方", "授权人", "Grantor", "Authorizer", "Licensor"),),
        "grantee": (after("被授权方", "被授权人", "Grantee", "Authorized party", "Licensee"),),
        "brand": (after("授权品牌", "品牌", "Brand", "Trademark"),),
        "products": (after("授权产品", "产品", "Products", "Goods"),),
        "territory": (after("授权区域", "授权地域", "区域", "Territory", "Region"),),
        "channel": (after("销售渠道", "授权渠道", "渠道", "Channel", "Sales channel"),),
        "valid_from": (
            period(
                "授权期限", "有效期限", "有效期", "Term", "Validity", "Valid", "Period", end=False
            ),
            dated("生效日期", "Valid from", "Effective from", "Effective date"),
        ),
        "valid_until": (
            period(
                "授权期限", "有效期限", "有效期", "Term", "Validity", "Valid", "Period", end=True
            ),
            dated("有效期至", "截止日期", "Valid until", "Expiry date", "Expires"),
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
            value=r"[A-Z0-9][A-Z0-9 ./:\-]{2,40}[A-Z0-9]",
            parse=lambda text: re.sub(r"\s+", "", text),
        ),
    ),
    "holder": (
        after(
            "持证人",
            "获证组织",
            "证书持有人",
            "委托单位",
            "申请人",
            "委托方",
            "Certificate holder",
            "Holder",
            "Applicant",
            "Client",
            "Organization",
            "Manufacturer",
        ),
    ),
    "standard": (
        after(
            "认证依据",
            "检测依据",
            "检验依据",
            "依据标准",
            "标准",
            "Standard",
            "Standards",
            "Test standard",
            "Test standards",
            "Applicable standard",
            "Applied standards",
        ),
    ),
    "valid_until": (
        dated("有效期至", "有效期截止", "Valid until", "Expiry date", "Date of expiry", "Expires"),
        period("有效期", "Validity", "Valid", end=True),
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
        box, confidence = layout.place(found.start, found.end)
        read.append(ReadField(name=name, value=found.value, box=box, confidence=confidence))
    return tuple(read)
