"""Company names compared the way a person would: case, punctuation and legal-form spellings
("Co., Ltd.", "Company Limited", "Inc.", "Incorporated") do not make two names different."""

import re
import unicodedata

# Applied in order to the lower-cased, punctuation-free name, whole words only.
LEGAL_FORMS = (
    (r"company limited", "co ltd"),
    (r"limited", "ltd"),
    (r"company", "co"),
    (r"incorporated", "inc"),
    (r"corporation", "corp"),
    (r"gesellschaft mit beschrankter haftung", "gmbh"),
)


def normalize_company_name(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).casefold().replace("&", " and ")
    # Strip accents so "Beschränkter" and "beschrankter" agree.
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = re.sub(r"[^\w\s]", " ", text)
    text = " ".join(text.split())
    for pattern, replacement in LEGAL_FORMS:
        text = re.sub(rf"\b{pattern}\b", replacement, text)
    return text
