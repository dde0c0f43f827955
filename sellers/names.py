"""Company names compared the way a person would: one rule for every comparison of names (a
document against the application, the registry's owner against the applicant).

Full-width forms, case, accents, punctuation and spacing do not make two names different, and
neither does the legal form at the end ("Co., Ltd.", "Company Limited", "Inc.", "LLC", "GmbH",
"有限公司"): "Shenzhen Bright Lamp Co., Ltd." and "SHENZHEN BRIGHT LAMP COMPANY LIMITED" are one
company. Everything else, one letter included, does.
"""

import re
import unicodedata

# Legal forms set aside at the end of a name, longest first so that "股份有限公司" goes whole
# rather than leaving "股份", and "company limited" before "limited". Latin forms are written as
# the lower-cased name reads once punctuation is gone ("co., ltd." as "co ltd").
LEGAL_FORMS = (
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "gesellschaft mit beschrankter haftung",
    "company limited",
    "co ltd",
    "co limited",
    "corporation",
    "incorporated",
    "limited",
    "company",
    "corp",
    "gmbh",
    "llc",
    "ltd",
    "inc",
    "co",
    "ag",
    "sa",
)


def normalize_company_name(name: str) -> str:
    """The name reduced to what tells companies apart; equal results mean the same company."""
    text = unicodedata.normalize("NFKC", name or "").casefold().replace("&", " and ")
    # Strip accents so "Söhne" and "SOHNE" agree; recomposed so other scripts stay as written.
    decomposed = unicodedata.normalize("NFKD", text)
    text = unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )
    text = " ".join(re.sub(r"[^\w\s]|_", " ", text).split())
    changed = True
    while changed:
        changed = False
        for form in LEGAL_FORMS:
            # Latin forms end on a word boundary; Chinese ones are written without a space.
            cut = text.removesuffix(form)
            if cut != text and (not form.isascii() or cut == "" or cut.endswith(" ")):
                text, changed = cut.rstrip(), True
                break
    return text.replace(" ", "")
