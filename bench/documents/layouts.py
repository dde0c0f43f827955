"""Where each document puts what it says, one function per kind of certificate or letter."""

from bench.documents.page import BLACK, BLUE, BROWN, GREY, RED, Page
from bench.documents.samples import Sample


def cnipa(sample: Sample) -> Page:
    p, extra = sample.printed, sample.extra
    page = Page("zh")
    page.frame(8, 1.2, BROWN)
    page.frame(11, 0.4, BROWN)
    page.text(105, 42, "商标注册证", 30, "serif_bold", "m")
    page.text(
        105, 56, f"第{p['registration_number']}号", 15, "serif", "m", field="registration_number"
    )
    page.rule(60, 66, 150, 66, 0.4, BROWN)
    page.text(105, 92, p["mark"], 30, "sans_bold", "m", field="mark")
    page.rule(60, 102, 150, 102, 0.4, BROWN)
    y = 122.0
    y = page.row(28, y, "注册人：", p["owner"], 12, field="owner")
    y = page.row(28, y, "注册地址：", extra["address"], 12)
    goods = f"{p['nice_classes']}：{extra['goods']}"
    y = page.row(28, y, "核定使用商品/服务：", goods, 12, field="nice_classes")
    y = page.row(28, y, "注册日期：", p["registration_date"], 12, field="registration_date")
    y = page.row(28, y, "有效期至：", p["valid_until"], 12, field="valid_until")
    page.wrapped(
        28, y + 6, 154,
        f"注册有效期限自{p['registration_date']}至{p['valid_until']}止。经审查，核准上述商标注册，"
        "特发此证。", 11,
    )  # fmt: skip
    page.text(150, 248, "局长签发", 12, "serif", "m")
    page.text(150, 262, p["office"], 13, "serif_bold", "m", field="office")
    page.seal(150, 250, 21, "国家知识产权局商标局", "商标注册专用章")
    return page


def uspto(sample: Sample) -> Page:
    p, extra = sample.printed, sample.extra
    page = Page("en")
    page.frame(9, 0.8, BLUE)
    page.text(105, 30, "United States of America", 20, "serif_bold", "m", BLUE)
    page.text(105, 40, p["office"], 13, "serif", "m", BLUE, field="office")
    page.rule(30, 46, 180, 46, 0.4, BLUE)
    page.text(105, 72, p["mark"], 28, "sans_bold", "m", field="mark")
    y = 96.0
    y = page.row(25, y, "Reg. No. ", p["registration_number"], 12, field="registration_number")
    y = page.row(25, y, "Registered ", p["registration_date"], 12, field="registration_date")
    y = page.row(25, y, "Int. Cl.: ", p["nice_classes"], 12, field="nice_classes")
    y = page.wrapped(25, y, 160, "TRADEMARK  PRINCIPAL REGISTER", 12) + 1.7
    y = page.wrapped(25, y + 4, 160, f"{p['owner']} ({extra['address']})", 11, field="owner")
    classes = "CLASSES" if "," in p["nice_classes"] else "CLASS"
    y = page.wrapped(
        25, y + 2, 160, f"FOR: {extra['goods']}, IN {classes} {p['nice_classes']}.", 11
    )
    y = page.wrapped(25, y + 2, 160, f"SER. NO. {extra['serial']}", 11)
    y = page.wrapped(
        25, y + 6, 160,
        f"This registration will remain in force until {p['valid_until']}, "
        "subject to the maintenance filings the Act requires.", 11, field="valid_until",
    )  # fmt: skip
    page.signature(120, 232, 55, 16, sample.render_seed)
    page.rule(115, 252, 185, 252, 0.3)
    page.text(150, 258, "Director of the", 9, "serif", "m", GREY)
    page.text(150, 263, p["office"], 9, "serif", "m", GREY)
    return page


def euipo(sample: Sample) -> Page:
    p, extra = sample.printed, sample.extra
    page = Page("en")
    page.frame(9, 0.8, BLUE)
    page.text(105, 30, p["office"], 14, "sans_bold", "m", BLUE, field="office")
    page.text(105, 48, "CERTIFICATE OF REGISTRATION", 20, "serif_bold", "m")
    page.wrapped(
        25, 62, 160,
        "This Certificate of Registration is hereby issued for the European Union trade mark "
        "identified below. The corresponding entries have been recorded in the Register.", 10,
    )  # fmt: skip
    y = 88.0
    y = page.row(
        25, y, "EUTM number:", p["registration_number"], 12, value_x=80, field="registration_number"
    )
    y = page.row(25, y, "Trade mark:", p["mark"], 12, value_x=80, field="mark")
    y = page.row(25, y, "Filing date:", extra["filed"], 12, value_x=80)
    y = page.row(
        25,
        y,
        "Registration date:",
        p["registration_date"],
        12,
        value_x=80,
        field="registration_date",
    )
    y = page.row(25, y, "Nice classes:", p["nice_classes"], 12, value_x=80, field="nice_classes")
    y = page.row(25, y, "Goods:", extra["goods"], 12, value_x=80)
    y = page.row(25, y, "Proprietor:", p["owner"], 12, value_x=80, field="owner")
    y = page.row(25, y, "Address:", extra["address"], 12, value_x=80)
    y = page.row(25, y, "Expiry date:", p["valid_until"], 12, value_x=80, field="valid_until")
    page.signature(118, 228, 55, 15, sample.render_seed)
    page.rule(112, 248, 185, 248, 0.3)
    page.text(148, 254, "The Executive Director", 9, "serif", "m", GREY)
    return page


def licence(sample: Sample) -> Page:
    p, extra = sample.printed, sample.extra
    zh = sample.language == "zh"
    page = Page(sample.language, width=297.0, height=210.0)
    page.frame(7, 1.4, RED if zh else BLACK)
    page.frame(10, 0.4, RED if zh else BLACK)
    if zh:
        page.text(148.5, 42, "营 业 执 照", 34, "serif_bold", "m")
        page.text(28, 62, "统一社会信用代码", 12, "sans", "l")
        page.text(28, 70, p["uscc"], 13, "sans", "l", field="uscc")
        labels = (
            "名称", "类型", "法定代表人", "经营范围", "注册资本", "成立日期", "营业期限", "住所",
        )  # fmt: skip
    else:
        page.text(148.5, 36, "BUSINESS LICENCE", 28, "serif_bold", "m")
        page.text(148.5, 45, "(Translation)", 11, "serif", "m", GREY)
        page.text(28, 62, "Unified Social Credit Code", 11, "sans", "l", GREY)
        page.text(28, 70, p["uscc"], 13, "sans", "l", field="uscc")
        labels = (
            "Name", "Type", "Legal Representative", "Business Scope", "Registered Capital",
            "Date of Establishment", "Term of Operation", "Domicile",
        )  # fmt: skip
    size = 11.0 if zh else 10.0
    left = 66 if zh else 72
    y = 86.0
    y = page.row(
        28, y, labels[0], p["legal_name"], size, value_x=left, width=140, field="legal_name"
    )
    y = page.row(28, y, labels[1], extra["type"], size, value_x=left, width=140)
    representative = p["legal_representative"]
    field = "legal_representative"
    y = page.row(28, y, labels[2], representative, size, value_x=left, width=140, field=field)
    scope = p["business_scope"]
    page.row(28, y, labels[3], scope, size, value_x=left, width=140, field="business_scope")
    y = 86.0
    y = page.row(175, y, labels[4], extra["capital"], size, value_x=218, width=100)
    established = p["established_on"]
    field = "established_on"
    y = page.row(175, y, labels[5], established, size, value_x=218, width=100, field=field)
    y = page.row(175, y, labels[6], extra["term"], size, value_x=218, width=100)
    page.row(175, y, labels[7], extra["address"], size, value_x=218, width=100)
    page.code(244, 24, 26, sample.render_seed)
    page.wrapped(
        236, 56, 42,
        "扫描二维码登录国家企业信用信息公示系统了解更多登记、备案、许可、监管信息" if zh
        else "Scan the code for the National Enterprise Credit Information Publicity System",
        6.5, "sans", leading=1.3,
    )  # fmt: skip
    page.text(230, 170, "登记机关" if zh else "Registration Authority", size, "sans", "m")
    page.text(230, 180, extra["authority"], size, "serif", "m")
    page.text(230, 190, extra["issued"], size, "serif", "m")
    page.seal(236, 176, 19, extra["seal"], "")
    return page


def letter(sample: Sample) -> Page:
    p, extra = sample.printed, sample.extra
    zh = sample.language == "zh"
    page = Page(sample.language)
    if zh:
        page.text(105, 36, "授 权 书", 24, "serif_bold", "m")
        rows = (
            ("授权方：", p["grantor"], "grantor"),
            ("地址：", extra["address"], ()),
            ("被授权方：", p["grantee"], "grantee"),
            (
                "授权品牌：",
                f"{p['brand']}（注册号：{extra['trademark']}，"
                f"第{extra['classes'].replace(',', '、')}类）",
                "brand",
            ),
            ("授权产品：", p["products"], "products"),
            ("授权地域：", p["territory"], "territory"),
            ("授权渠道：", p["channel"], "channel"),
            (
                "授权期限：",
                f"自{p['valid_from']}起至{p['valid_until']}止",
                ("valid_from", "valid_until"),
            ),
        )
        body = (
            f"兹授权{p['grantee']}在上述期限、地域和渠道内销售{p['brand']}品牌的{p['products']}，"
            "被授权方不得转授权。本授权书自授权方盖章之日起生效。"
        )
        signer = f"法定代表人：{extra['signatory']}（签字）"
        closing = ("授权方（盖章）：", p["grantor"], signer, p["valid_from"])
    else:
        page.text(105, 36, "LETTER OF AUTHORIZATION", 20, "serif_bold", "m")
        rows = (
            ("Grantor:", p["grantor"], "grantor"),
            ("Address:", extra["address"], ()),
            ("Grantee:", p["grantee"], "grantee"),
            (
                "Brand:",
                f"{p['brand']} (Reg. No. {extra['trademark']}, "
                f"Int. Cl. {extra['classes'].replace(',', ', ')})",
                "brand",
            ),
            ("Products:", p["products"], "products"),
            ("Territory:", p["territory"], "territory"),
            ("Channel:", p["channel"], "channel"),
            ("Valid from:", p["valid_from"], "valid_from"),
            ("Valid until:", p["valid_until"], "valid_until"),
        )
        body = (
            f"We, the grantor, hereby authorize the grantee to sell {p['products']} under the "
            f"brand {p['brand']} in the territory and through the channel named above. The "
            "grantee may not sub-license this authorization."
        )
        signer = f"Signed by {extra['signatory']}, legal representative"
        closing = ("Grantor (seal):", p["grantor"], signer, p["valid_from"])
    y = 60.0
    for label, value, field in rows:
        y = page.row(25, y, label, value, 12, value_x=60 if zh else 58, width=165, field=field)
    y = page.wrapped(25, y + 8, 160, body, 11.5)
    page.text(105, y + 22, closing[0], 11.5)
    page.text(105, y + 30, closing[1], 11.5)
    page.signature(108, y + 42, 40, 12, sample.render_seed)
    page.text(105, y + 60, closing[2], 11.5)
    page.text(105, y + 70, closing[3], 11.5)
    page.seal(150, y + 30, 20, extra["seal"], "")
    return page


def certificate(sample: Sample) -> Page:
    """ISO 9001, CCC and CE certificates and test reports share one plan with their own words."""
    p, extra = sample.printed, sample.extra
    zh = sample.language == "zh"
    page = Page(sample.language)
    words = WORDING[(sample.template, zh)]
    page.frame(10, 1.0, BLUE if sample.kind == "quality_certificate" else GREY)
    page.text(105, 34, extra["issuer"], 12, "sans_bold", "m", BLUE)
    page.text(105, 52, words["title"], 22 if zh else 18, "serif_bold", "m")
    if "subtitle" in words:
        page.text(105, 61, words["subtitle"], 11, "serif", "m", GREY)
    y = 82.0
    x_value = 62 if zh else 70
    number = p["certificate_number"]
    y = page.row(25, y, words["number"], number, 12, value_x=x_value, field="certificate_number")
    y = page.row(25, y, words["holder"], p["holder"], 12, value_x=x_value, field="holder")
    y = page.row(25, y, words["address"], extra["address"], 12, value_x=x_value)
    y = page.row(25, y, words["product"], extra["product"], 12, value_x=x_value)
    y = page.row(25, y, words["standard"], p["standard"], 12, value_x=x_value, field="standard")
    if "result" in words:
        y = page.row(25, y, words["result_label"], words["result"], 12, value_x=x_value)
    y = page.row(25, y, words["issued"], extra["issued"], 12, value_x=x_value)
    y = page.row(25, y, words["until"], p["valid_until"], 12, value_x=x_value, field="valid_until")
    page.wrapped(25, y + 8, 160, words["body"], 10.5, color=GREY)
    if sample.template == "ce":
        page.text(45, 250, "CE", 44, "sans_bold", "m")
    page.signature(125, 232, 50, 14, sample.render_seed)
    page.rule(120, 250, 185, 250, 0.3)
    page.text(152, 256, words["signer"], 10, "serif", "m", GREY)
    page.seal(150, 236, 20, extra["seal"], words["seal_below"])
    return page


WORDING = {
    ("iso9001", True): {
        "title": "质量管理体系认证证书", "number": "证书编号：", "holder": "组织名称：",
        "address": "注册地址：", "product": "认证范围：", "standard": "认证依据：",
        "issued": "发证日期：", "until": "有效期至：", "signer": "总经理",
        "body": "兹证明该组织的质量管理体系符合上述标准，适用于上述范围内产品的设计、生产和销售。"
        "本证书有效性须通过年度监督审核保持。",
        "seal_below": "认证专用章",
    },
    ("iso9001", False): {
        "title": "CERTIFICATE", "subtitle": "Quality Management System",
        "number": "Certificate No.:", "holder": "Organization:", "address": "Address:",
        "product": "Scope:", "standard": "Standard:", "issued": "Date of issue:",
        "until": "Valid until:", "signer": "General Manager",
        "body": "This is to certify that the quality management system of the organization above "
        "conforms to the standard named, for the design, manufacture and sale of the products in "
        "scope. Validity is subject to annual surveillance audits.",
        "seal_below": "",
    },
    ("ccc", True): {
        "title": "中国国家强制性产品认证证书", "subtitle": "CHINA COMPULSORY CERTIFICATE",
        "number": "证书编号：", "holder": "委托人名称：", "address": "委托人地址：",
        "product": "产品名称：", "standard": "依据标准：", "issued": "发证日期：",
        "until": "有效期至：", "signer": "主任",
        "body": "上述产品符合强制性产品认证实施规则的要求，特发此证。本证书的有效性依据发证机构的"
        "定期监督获得保持。",
        "seal_below": "认证专用章",
    },
    ("ce", False): {
        "title": "CERTIFICATE OF COMPLIANCE", "subtitle": "CE Marking",
        "number": "Certificate No.:", "holder": "Applicant:", "address": "Address:",
        "product": "Product:", "standard": "Test standard:", "issued": "Date of issue:",
        "until": "Valid until:", "signer": "Technical Manager",
        "body": "The samples of the product above were tested and found to comply with the "
        "standard named. The applicant may affix the CE marking after drawing up the EU "
        "declaration of conformity.",
        "seal_below": "",
    },
    ("report", True): {
        "title": "检验检测报告", "number": "报告编号：", "holder": "委托单位：",
        "address": "委托单位地址：", "product": "样品名称：", "standard": "检测依据：",
        "result_label": "检测结论：", "result": "所检项目符合标准要求", "issued": "签发日期：",
        "until": "报告有效期至：", "signer": "批准人",
        "body": "本报告仅对来样负责。未经本机构书面批准，不得部分复制本报告。",
        "seal_below": "检验检测专用章",
    },
    ("report", False): {
        "title": "TEST REPORT", "number": "Report No.:", "holder": "Applicant:",
        "address": "Address:", "product": "Sample:", "standard": "Test standard:",
        "result_label": "Conclusion:", "result": "PASS", "issued": "Date of issue:",
        "until": "Valid until:", "signer": "Approved by",
        "body": "The results relate only to the samples tested. This report shall not be "
        "reproduced except in full without the written approval of the laboratory.",
        "seal_below": "",
    },
}  # fmt: skip
LAYOUTS = {
    "cnipa": cnipa,
    "uspto": uspto,
    "euipo": euipo,
    "licence": licence,
    "letter": letter,
    "iso9001": certificate,
    "ccc": certificate,
    "ce": certificate,
    "report": certificate,
}


def layout(sample: Sample) -> Page:
    return LAYOUTS[sample.template](sample)
