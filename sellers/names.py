"""Company names compared the way a person would: one rule for every comparison of names (a
document against the application, the registry's owner against the applicant).

Full-width forms, case, accents, punctuation and spacing do not make two names different, and
neither does the legal form at the end ("Co., Ltd.", "Company Limited", "Inc.", "LLC", "GmbH",
"有限公司"): "Shenzhen Bright Lamp Co., Ltd." and "SHENZHEN BRIGHT LAMP COMPANY LIMITED" are one
company. Everything else, one letter included, does.
"""

import re
import unicodedata
from collections.abc import Callable

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


# ASCII characters other than letters and digits, deleted in one translate (of bytes: a str
# translate looks each character up in a dict, several times slower).
ASCII_NOT_ALNUM = bytes(code for code in range(128) if not chr(code).isalnum())


def same_company_test(name: str) -> Callable[[str], bool]:
    """A test of other names against ``name``: true for those that normalize as it does.

    Made for comparing one name with thousands (the owners of the marks a brand name matches):
    an ASCII name normalizes to a prefix of its letters and digits, lower-cased, with "&" read
    as "and" (what normalization takes off is a legal form at the end), so one that does not
    start with ``name``'s normal form is told apart without normalizing it.
    """
    own = normalize_company_name(name)
    start = own.encode()

    def same(other: str) -> bool:
        if other.isascii():
            letters = other.lower().replace("&", "and").encode().translate(None, ASCII_NOT_ALNUM)
            if not letters.startswith(start):
                return False
        return normalize_company_name(other) == own

    return same
