"""Values as printed turned into the shapes of FIELDS_BY_KIND: ISO dates, compact numbers, Nice
classes, Unified Social Credit Codes repaired with their check character."""

import re
from datetime import date

from stdnum.cn import uscc

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
MONTH = r"[A-Za-z]{3,9}\.?"
# Every way the documents print a day: 2021年03月14日, 2021-03-14, 14/03/2021, Aug. 17, 2021,
# 17 August 2021. OCR sometimes drops the 日, puts spaces inside or reads a comma as a full stop.
DATE = (
    r"(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日?"
    r"|\d{4}\s*[-./]\s*\d{1,2}\s*[-./]\s*\d{1,2}"
    r"|\d{1,2}\s*[-./]\s*\d{1,2}\s*[-./]\s*\d{4}"
    rf"|{MONTH}\s*\d{{1,2}}\s*[,.]?\s*\d{{4}}"
    rf"|\d{{1,2}}\s*{MONTH}\s*[,.]?\s*\d{{4}})"
)
_NUMBERS = re.compile(r"\d+")
_WORD = re.compile(r"[A-Za-z]+")
# OCR's usual confusions inside a code of digits and capitals, read one way and meant the other.
CONFUSIONS = {
    "0": "ODQ",
    "O": "0",
    "D": "0",
    "Q": "0",
    "1": "IL",
    "I": "1",
    "L": "1",
    "2": "Z",
    "Z": "2",
    "5": "S",
    "S": "5",
    "8": "B",
    "B": "8",
    "6": "G",
    "G": "6",
    "U": "V",
    "V": "U",
}
# Letters a credit code never contains (GB 32100-2015 leaves out I, O, S, V and Z).
USCC_NEVER = str.maketrans({"I": "1", "O": "0", "S": "5", "Z": "2", "V": "U"})
# Separators a value never ends with, ASCII and full width. Full stops stay: "Co., Ltd."
TRAILING = " ,;:\uff0c\uff1b\uff1a\u3001"
# Chinese typesetting puts full-width punctuation next to Chinese characters; OCR reads either.
# OCR runs English words together after punctuation ("Co.,Ltd."); a space follows it in print.
SPACE_AFTER = re.compile(r"(?<=[A-Za-z.)])([,;:])(?=[A-Za-z(])")
# How every Chinese company ends its English name, whatever OCR made of the comma and spaces.
COMPANY_SUFFIX = re.compile(r"\bCo\s*[.,]+\s*Ltd\b")
# Standards print a space between the body's letters and the number (GB 4943.1, ISO 9001:2015).
STANDARD_NUMBER = re.compile(r"\b(GB/T|GB|QB/T|ISO|IEC|EN|UL|ASTM|ANSI)\s*(?=\d)")
# European standards adopt international ones under a double name (EN ISO, EN IEC).
ADOPTED_STANDARD = re.compile(r"\b(EN|BS|DIN)\s*(?=ISO|IEC)")
FULL_WIDTH_PUNCTUATION = {",": "\uff0c", ";": "\uff1b", ":": "\uff1a", "(": "\uff08", ")": "\uff09"}
ASCII_PUNCTUATION_BY_CJK = re.compile(
    r"(?<=[\u4e00-\u9fff\uff09])\s*[,;:()]\s*|\s*[,;:()]\s*(?=[\u4e00-\u9fff\uff08])"
)


def plain(text: str) -> str | None:
    """The value with Chinese punctuation as Chinese documents print it, trimmed of separators
    and of a bracket left open or closed by where the value was cut."""
    value = ASCII_PUNCTUATION_BY_CJK.sub(
        lambda match: FULL_WIDTH_PUNCTUATION[match[0].strip()], text.strip()
    )
    value = COMPANY_SUFFIX.sub("Co., Ltd", SPACE_AFTER.sub(r"\1 ", value))
    value = value.strip(TRAILING)
    if value.endswith(("(", "\uff08")):
        value = value[:-1].rstrip(TRAILING)
    return value or None


def standard(text: str) -> str | None:
    value = plain(text)
    return value and STANDARD_NUMBER.sub(r"\1 ", ADOPTED_STANDARD.sub(r"\1 ", value))


def compact_number(text: str) -> str | None:
    """A registration or certificate number without the spaces, commas and 第…号 around it."""
    value = re.sub(r"[\s,\uff0c]", "", text).removeprefix("第").removesuffix("号")
    return value.upper() or None


def iso_date(text: str, *, day_first: bool = True) -> str | None:
    """The printed day as YYYY-MM-DD. Numbers alone (03/04/2021) are read day first unless the
    issuer writes month first (the USPTO); a part over 12 settles it either way."""
    numbers = [int(number) for number in _NUMBERS.findall(text)]
    words = [MONTHS.get(word.lower()) for word in _WORD.findall(text)]
    months = [month for month in words if month]
    try:
        if months and len(numbers) == 2:
            day_number, year = (numbers[0], numbers[1]) if numbers[1] > 31 else numbers[::-1]
            return date(year, months[0], day_number).isoformat()
        if len(numbers) != 3:
            return None
        if numbers[0] > 31:
            year, month, day_number = numbers
        else:
            first, second, year = numbers
            if first > 12 or (day_first and second <= 12):
                day_number, month = first, second
            else:
                month, day_number = first, second
        return date(year, month, day_number).isoformat()
    except ValueError:
        return None


def nice_classes(texts: list[str]) -> str | None:
    """Classes 1 to 45 from every place the document lists them, ascending, joined by commas."""
    classes = {
        int(number) for text in texts for number in _NUMBERS.findall(text) if 1 <= int(number) <= 45
    }
    return ",".join(str(number) for number in sorted(classes)) or None


def labelled_credit_code(text: str) -> str | None:
    """The code printed beside its label: a valid or repaired one as ``credit_code`` reads it,
    else its 18 characters as printed, check character failing. Kept so the comparison can say
    so: an invalid code on a licence is a forgery, a typo or a misread, never nothing to compare."""
    read = re.sub(r"[\s\-]", "", text).upper().translate(USCC_NEVER)
    return credit_code(read) or (read if len(read) == 18 and read.isalnum() else None)


def credit_code(text: str) -> str | None:
    """A valid Unified Social Credit Code from what was read. Letters the code never uses are
    read as the digits they look like; when the check character still fails, the one change of a
    commonly confused character that makes it pass is taken, provided it is the only one."""
    read = re.sub(r"[\s\-]", "", text).upper().translate(USCC_NEVER)
    if len(read) != 18:
        return None
    if uscc.is_valid(read):
        return read
    repairs = {
        candidate
        for position, character in enumerate(read)
        for replacement in CONFUSIONS.get(character, "")
        if uscc.is_valid(candidate := read[:position] + replacement + read[position + 1 :])
    }
    return repairs.pop() if len(repairs) == 1 else None
