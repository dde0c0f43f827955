"""What each document says: its kind, language, look, file type, the true values and the defect."""

import random
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from stdnum.cn import uscc

from bench.documents.people import TRADES, Cast, Company

REFERENCE_DATE = date(2026, 12, 4)
KIND_PATTERN = (
    ("trademark_certificate", 6),
    ("business_licence", 4),
    ("authorization_letter", 4),
    ("quality_certificate", 3),
    ("test_report", 3),
)
EXTENSIONS = {"pdf_text": "pdf", "pdf_scan": "pdf", "png": "png", "jpeg": "jpg"}
# (file type, variant) in turn for each kind, so every kind comes in every shape.
SHAPES = (
    ("pdf_text", "scan"),
    ("jpeg", "photo"),
    ("png", "scan"),
    ("pdf_scan", "scan"),
    ("jpeg", "photo"),
    ("pdf_text", "scan"),
    ("png", "photo"),
    ("jpeg", "scan"),
    ("pdf_scan", "photo"),
    ("jpeg", "photo"),
)
DEFECTS_BY_KIND = {
    "trademark_certificate": ("other_number", "other_owner", "expired"),
    "business_licence": ("other_number", "other_owner"),
    "authorization_letter": ("other_owner", "expired"),
    "quality_certificate": ("other_number", "other_owner", "expired"),
    "test_report": ("other_number", "other_owner", "expired"),
}
# Written out rather than taken from the C library, whose month names follow the locale.
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
WRONG_SHARE = 0.15
UNREADABLE_SHARE = 0.05
TERRITORIES = (
    ("全球", "Worldwide"),
    ("美国", "United States"),
    ("欧盟", "European Union"),
    ("美国、英国、欧盟", "United States, United Kingdom, European Union"),
    ("日本", "Japan"),
)
CHANNELS = (
    ("跨境电商平台线上店铺", "online cross-border marketplace store"),
    ("跨境电子商务平台", "cross-border e-commerce marketplace"),
)
# A standard each line of business is tested against, as Chinese and as European labs cite it.
TEST_STANDARDS = {
    0: ("GB 4943.1-2022", "EN IEC 62368-1:2020+A11:2020"),
    1: ("GB 4943.1-2022", "EN IEC 62368-1:2020+A11:2020"),
    2: ("GB 18401-2010", "EN 14682:2014"),
    3: ("QB/T 4331-2012", "EN ISO 20347:2022"),
    4: ("GB 4806.9-2023", "EN 1186-1:2002"),
    5: ("GB 7000.1-2015", "EN 60598-1:2015+A1:2018"),
    6: ("QB/T 1333-2018", "EN 13432:2000"),
    7: ("GB/T 29665-2013", "EN ISO 22716:2007"),
    8: ("GB 6675.1-2014", "EN 71-1:2014+A1:2018"),
    9: ("GB/T 10357.1-2013", "EN 1335-1:2020"),
    10: ("GB 18401-2010", "EN ISO 6330:2021"),
    11: ("GB 28480-2012", "EN 1811:2023"),
}
OFFICE_NAMES = {
    "cnipa": "国家知识产权局",
    "uspto": "United States Patent and Trademark Office",
    "euipo": "European Union Intellectual Property Office",
}
TEMPLATES = {
    "business_licence": {"zh": ("licence",), "en": ("licence",)},
    "authorization_letter": {"zh": ("letter",), "en": ("letter",)},
    "quality_certificate": {"zh": ("iso9001", "ccc"), "en": ("iso9001", "ce")},
    "test_report": {"zh": ("report",), "en": ("report",)},
}
STREETS = (
    ("科技园路", "Keji Park Road"),
    ("创业大道", "Chuangye Avenue"),
    ("滨河路", "Binhe Road"),
    ("工业二路", "Gongye 2nd Road"),
    ("龙华大道", "Longhua Avenue"),
)
CAPITALS = (
    ("人民币壹佰万元整", "RMB 1,000,000"),
    ("人民币伍佰万元整", "RMB 5,000,000"),
    ("人民币贰佰万元整", "RMB 2,000,000"),
    ("人民币壹仟万元整", "RMB 10,000,000"),
)
# Letters that stand for a certification body or laboratory in its numbers.
ISSUER_CODES = ("RZT", "HXC", "ZLC", "BTQ", "JKC", "YNT")
ISSUER_WORDS = ("瑞标", "华信", "中联", "博通", "嘉康", "远诺")
ISSUER_EN = ("Ruibiao", "Huaxin", "Zhonglian", "Botong", "Jiakang", "Yuannuo")


@dataclass
class Sample:
    """One document: what it is, how it looks, what it says, and what is wrong with it."""

    name: str
    kind: str
    template: str
    language: str
    variant: str
    file_type: str
    # The true values, per sellers.documents.reading.FIELDS_BY_KIND; empty when unreadable.
    fields: dict[str, str]
    # Each field as drawn on the page (dates and numbers in the issuer's own style).
    printed: dict[str, str]
    defect: str | None
    # What the application or registry holds for the identifying fields.
    expected: dict[str, str]
    reference_date: str
    render_seed: int
    # Wording that is drawn but is no field: addresses, issuers, the goods, the seal's text.
    extra: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict:
        return asdict(self)


def zh_date(day: date) -> str:
    return f"{day.year}年{day.month:02d}月{day.day:02d}日"


def us_date(day: date) -> str:
    month = MONTHS[day.month - 1]
    short = month if month == "May" else f"{month[:3]}."
    return f"{short} {day.day:02d}, {day.year}"


def long_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def eu_date(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def plus_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def random_day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def credit_code(rng: random.Random, division: str) -> str:
    """An enterprise's Unified Social Credit Code (GB 32100-2015), check characters included."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "".join(rng.choice(alphabet) for _ in range(8))
    # The organisation code inside has its own check character (GB 11714).
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(char, 36) * weight for char, weight in zip(body, weights, strict=True))
    check = (11 - total % 11) % 11
    organisation = body + ("X" if check == 10 else str(check))
    partial = "91" + division + organisation
    return partial + uscc.calc_check_digit(partial)


@dataclass(frozen=True)
class Doc:
    fields: dict[str, str]
    printed: dict[str, str]
    expected: dict[str, str]
    extra: dict[str, str]


class Writer:
    """Draws the values of one document from one random stream."""

    def __init__(self, rng: random.Random, cast: Cast) -> None:
        self.rng = rng
        self.cast = cast

    def validity(self, defect: str | None, years: int) -> tuple[date, date]:
        """An issue date and an end date: still valid on the reference date unless expired."""
        if defect == "expired":
            end = random_day(
                self.rng, REFERENCE_DATE - timedelta(days=3 * 365), REFERENCE_DATE - timedelta(1)
            )
        else:
            end = random_day(
                self.rng, REFERENCE_DATE, REFERENCE_DATE + timedelta(days=years * 365 - 30)
            )
        return plus_years(end, -years) + timedelta(days=1), end

    def numbers(self, make, defect: str | None) -> tuple[str, str]:
        """The number the application expects and the one on the document."""
        expected = make()
        if defect != "other_number":
            return expected, expected
        while (other := make()) == expected:
            pass
        return expected, other

    def holder(self, defect: str | None, applicant: Company) -> Company:
        return self.cast.company(applicant.trade) if defect == "other_owner" else applicant

    def address(self, company: Company, language: str) -> str:
        street = self.rng.randrange(len(STREETS))
        number = self.rng.randrange(1, 400)
        if language == "zh":
            return f"{company.city_zh}市{STREETS[street][0]}{number}号"
        return f"No. {number} {STREETS[street][1]}, {company.city_en}, China"

    def trademark(self, template: str, defect: str | None, applicant: Company) -> Doc:
        rng = self.rng
        language = "zh" if template == "cnipa" else "en"
        mark = self.cast.brand()
        if template == "uspto":
            mark = mark.upper()
        extra_classes = rng.sample((9, 18, 21, 25, 35), rng.choice((0, 1, 1, 2)))
        classes = sorted({*TRADES[applicant.trade][3], *extra_classes})
        issued, end = self.validity(defect, 10)
        goods_zh, goods_en = TRADES[applicant.trade][2]
        if template == "cnipa":
            # The term is ten years from registration, ending the day before.
            registered = issued
            # Marks registered before about 2011 have seven-digit numbers, later ones eight.
            low, high = (1_000_000, 10_000_000) if rng.random() < 0.2 else (10_000_000, 80_000_000)
            make = lambda: str(rng.randrange(low, high))  # noqa: E731
            printed_dates = (zh_date(registered), zh_date(end))
            printed_classes = "、".join(f"第{nice}类" for nice in classes)
            extra = {"goods": goods_zh}
        elif template == "uspto":
            registered = issued - timedelta(days=1)
            make = lambda: str(rng.randrange(5_000_000, 8_000_000))  # noqa: E731
            printed_dates = (us_date(registered), us_date(end))
            printed_classes = ", ".join(str(nice) for nice in classes)
            extra = {"goods": goods_en, "serial": str(rng.randrange(88_000_000, 99_000_000))}
        else:
            # An EU trade mark runs ten years from its filing date.
            filed = issued - timedelta(days=1)
            registered = filed + timedelta(days=rng.randrange(95, 200))
            # Nine digits with leading zeros: recent marks 018…, older ones 010… to 017….
            low, high = (18_000_000, 19_000_000) if rng.random() < 0.7 else (10_000_000, 18_000_000)
            make = lambda: f"{rng.randrange(low, high):09d}"  # noqa: E731
            printed_dates = (eu_date(registered), eu_date(end))
            printed_classes = ", ".join(str(nice) for nice in classes)
            extra = {"goods": goods_en, "filed": eu_date(filed)}
        expected_number, number = self.numbers(make, defect)
        owner = self.holder(defect, applicant)
        extra["address"] = self.address(owner, language)
        fields = {
            "office": template.upper(),
            "registration_number": number,
            "mark": mark,
            "owner": owner.name(language),
            "nice_classes": ",".join(str(nice) for nice in classes),
            "registration_date": registered.isoformat(),
            "valid_until": end.isoformat(),
        }
        printed = {
            **fields,
            "office": OFFICE_NAMES[template],
            "registration_number": f"{int(number):,}" if template == "uspto" else number,
            "nice_classes": printed_classes,
            "registration_date": printed_dates[0],
            "valid_until": printed_dates[1],
        }
        expected = {
            "registration_number": expected_number,
            "mark": mark,
            "owner": applicant.name(language),
        }
        return Doc(fields, printed, expected, extra)

    def licence(self, language: str, defect: str | None, applicant: Company) -> Doc:
        rng = self.rng
        expected_code, code = self.numbers(lambda: credit_code(rng, applicant.division), defect)
        company = self.holder(defect, applicant)
        if company is not applicant:
            # Another company's licence carries that company's code too.
            code = credit_code(rng, company.division)
        representative = self.cast.person().name(language)
        established = random_day(rng, date(2008, 1, 1), date(2024, 12, 31))
        trade_zh, trade_en, (product_zh, product_en), _ = TRADES[company.trade]
        capital = rng.randrange(len(CAPITALS))
        if language == "zh":
            scope = (
                f"一般项目：{product_zh}的研发、生产与销售；{trade_zh}产品销售；货物进出口；"
                "技术进出口。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）"
            )
            printed_established = zh_date(established)
            extra = {
                "authority": f"{company.city_zh}市市场监督管理局",
                "capital": CAPITALS[capital][0],
                "type": "有限责任公司（自然人投资或控股）",
                "term": "长期",
            }
        else:
            scope = (
                f"General items: research, development, production and sale of {product_en}; "
                f"sale of {trade_en.lower()} products; import and export of goods and technology."
            )
            printed_established = long_date(established)
            extra = {
                "authority": f"{company.city_en} Administration for Market Regulation",
                "capital": CAPITALS[capital][1],
                "type": "Limited liability company (invested or controlled by natural persons)",
                "term": "Long-term",
            }
        issued = random_day(rng, max(established, date(2019, 1, 1)), date(2026, 6, 30))
        extra["issued"] = zh_date(issued) if language == "zh" else long_date(issued)
        # A translation shows the authority's seal as it is, in Chinese.
        extra["seal"] = f"{company.city_zh}市市场监督管理局"
        extra["address"] = self.address(company, language)
        fields = {
            "uscc": code,
            "legal_name": company.name(language),
            "legal_representative": representative,
            "established_on": established.isoformat(),
            "business_scope": scope,
        }
        printed = {**fields, "established_on": printed_established}
        expected = {"uscc": expected_code, "legal_name": applicant.name(language)}
        return Doc(fields, printed, expected, extra)

    def letter(self, language: str, defect: str | None, applicant: Company) -> Doc:
        rng = self.rng
        owner = self.cast.company(applicant.trade)
        grantor = self.cast.company(applicant.trade) if defect == "other_owner" else owner
        brand = self.cast.brand()
        start, end = self.validity(defect, rng.choice((1, 2, 3)))
        product = TRADES[applicant.trade][2][0 if language == "zh" else 1]
        territory = rng.choice(TERRITORIES)[0 if language == "zh" else 1]
        channel = rng.choice(CHANNELS)[0 if language == "zh" else 1]
        show = zh_date if language == "zh" else long_date
        fields = {
            "grantor": grantor.name(language),
            "grantee": applicant.name(language),
            "brand": brand,
            "products": product,
            "territory": territory,
            "channel": channel,
            "valid_from": start.isoformat(),
            "valid_until": end.isoformat(),
        }
        printed = {**fields, "valid_from": show(start), "valid_until": show(end)}
        expected = {
            "grantor": owner.name(language),
            "grantee": applicant.name(language),
            "brand": brand,
        }
        extra = {
            "signatory": self.cast.person().name(language),
            "trademark": str(rng.randrange(10_000_000, 80_000_000)),
            "classes": ",".join(str(nice) for nice in TRADES[applicant.trade][3]),
            "address": self.address(grantor, language),
            "seal": grantor.zh,
        }
        return Doc(fields, printed, expected, extra)

    def certificate(
        self, template: str, language: str, defect: str | None, applicant: Company
    ) -> Doc:
        rng = self.rng
        issuer = rng.randrange(len(ISSUER_CODES))
        code = ISSUER_CODES[issuer]
        years = {"iso9001": 3, "ccc": 5, "ce": 5, "report": 1}[template]
        issued, end = self.validity(defect, years)
        makers = {
            "iso9001": lambda: (
                f"{code}{issued:%y}Q{rng.randrange(10**4, 10**5)}R{rng.randrange(3)}M"
            ),
            "ccc": lambda: (
                f"{issued.year}01{rng.randrange(1, 13):02d}{rng.randrange(10**7, 10**8)}"
            ),
            "ce": lambda: f"{code}-{issued:%y%m}-{rng.randrange(1000, 10_000)}-CE",
            "report": lambda: f"{code}{issued:%y%m%d}{rng.randrange(1000, 10_000)}",
        }
        make = makers[template]
        expected_number, number = self.numbers(make, defect)
        holder = self.holder(defect, applicant)
        if template == "iso9001":
            standard = "GB/T 19001-2016/ISO 9001:2015" if language == "zh" else "ISO 9001:2015"
        else:
            # CCC certificates cite the Chinese standard, CE ones the European one.
            chinese = template == "ccc" or (template == "report" and language == "zh")
            standard = TEST_STANDARDS[applicant.trade][0 if chinese else 1]
        show = zh_date if language == "zh" else long_date
        if language == "zh":
            suffix = "检测技术有限公司" if template == "report" else "认证有限公司"
            issuer_name = f"{ISSUER_WORDS[issuer]}{suffix}"
        else:
            suffix = "Testing Technology" if template == "report" else "Certification"
            issuer_name = f"{ISSUER_EN[issuer]} {suffix} Co., Ltd."
        fields = {
            "certificate_number": number,
            "holder": holder.name(language),
            "standard": standard,
            "valid_until": end.isoformat(),
        }
        printed = {**fields, "valid_until": show(end)}
        expected = {"certificate_number": expected_number, "holder": applicant.name(language)}
        extra = {
            "issuer": issuer_name,
            # Seals are cut in Chinese whatever language the certificate is in.
            "seal": ISSUER_WORDS[issuer]
            + ("检测技术有限公司" if template == "report" else "认证有限公司"),
            "issued": show(issued),
            "product": TRADES[applicant.trade][2][0 if language == "zh" else 1],
            "address": self.address(holder, language),
        }
        return Doc(fields, printed, expected, extra)


def balanced(rng: random.Random, options: tuple, count: int) -> list:
    """Each option equally often (as far as ``count`` allows), in an order the seed decides."""
    chosen = [options[index % len(options)] for index in range(count)]
    rng.shuffle(chosen)
    return chosen


def plan(rng: random.Random, count: int) -> list[dict]:
    """Kind, template, language, shape and defect of each document, in the proportions above."""
    pattern = [kind for kind, weight in KIND_PATTERN for _ in range(weight)]
    rows = []
    for kind, _ in KIND_PATTERN:
        number = sum(1 for index in range(count) if pattern[index % len(pattern)] == kind)
        shapes = balanced(rng, SHAPES, number)
        if kind == "trademark_certificate":
            templates = balanced(rng, ("cnipa", "cnipa", "uspto", "euipo"), number)
            languages = ["zh" if template == "cnipa" else "en" for template in templates]
        else:
            languages = balanced(rng, ("zh", "en"), number)
            templates = [TEMPLATES[kind][language] for language in languages]
            templates = [
                options[index // 2 % len(options)] for index, options in enumerate(templates)
            ]
        for shape, template, language in zip(shapes, templates, languages, strict=True):
            rows.append(
                {
                    "kind": kind,
                    "template": template,
                    "language": language,
                    "file_type": shape[0],
                    "variant": shape[1],
                    "defect": None,
                }
            )
    images = [row for row in rows if row["file_type"] != "pdf_text"]
    for row in rng.sample(images, min(len(images), round(count * UNREADABLE_SHARE))):
        row["defect"] = "unreadable"
    sound = [row for row in rows if row["defect"] is None]
    turns = dict.fromkeys(DEFECTS_BY_KIND, 0)
    for row in rng.sample(sound, min(len(sound), round(count * WRONG_SHARE))):
        defects = DEFECTS_BY_KIND[row["kind"]]
        row["defect"] = defects[turns[row["kind"]] % len(defects)]
        turns[row["kind"]] += 1
    rng.shuffle(rows)
    return rows


def generate(seed: int = 1, count: int = 240) -> list[Sample]:
    """The documents of one seed: the same seed gives the same documents, every time."""
    rng = random.Random(seed)
    cast = Cast(random.Random(rng.randrange(2**32)))
    writer = Writer(random.Random(rng.randrange(2**32)), cast)
    samples = []
    for index, row in enumerate(plan(rng, count)):
        kind, template, language = row["kind"], row["template"], row["language"]
        defect = row["defect"]
        applicant = cast.company()
        drawn_defect = None if defect == "unreadable" else defect
        if kind == "trademark_certificate":
            doc = writer.trademark(template, drawn_defect, applicant)
        elif kind == "business_licence":
            doc = writer.licence(language, drawn_defect, applicant)
        elif kind == "authorization_letter":
            doc = writer.letter(language, drawn_defect, applicant)
        else:
            doc = writer.certificate(template, language, drawn_defect, applicant)
        extra = dict(doc.extra)
        if defect == "unreadable":
            extra["unreadable"] = rng.choice(("blank", "blurred"))
        samples.append(
            Sample(
                name=f"{index:04d}_{kind}_{language}.{EXTENSIONS[row['file_type']]}",
                kind=kind,
                template=template,
                language=language,
                variant=row["variant"],
                file_type=row["file_type"],
                # Nothing on an unreadable page can be read, whatever was printed on it.
                fields={} if defect == "unreadable" else doc.fields,
                printed=doc.printed,
                defect=defect,
                expected=doc.expected,
                reference_date=REFERENCE_DATE.isoformat(),
                render_seed=rng.randrange(2**32),
                extra=extra,
            )
        )
    return samples
