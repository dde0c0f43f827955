"""The Chinese catalogue, and the catalogued English a page still shows in Chinese."""

import ast
import functools
import re
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.pages import PASSWORD

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"

# Addresses, email addresses, file names and file types are data, even where they spell a
# catalogued word ("/applications/7/", "ana.reviewer@brand-program.example", "certificate.pdf",
# "application/pdf").
ADDRESSES_AND_FILES = re.compile(
    r"https?://\S+|[\w.+-]+@[\w.-]+|\S+\.(?:pdf|png|jpe?g|webp)\b"
    r"|\b(?:application|image)/[\w.+-]+"
)


def catalogue_entries(path: Path = CATALOGUE) -> dict[str, str]:
    """msgid -> msgstr of the .po file; "" where the page would show the English (fuzzy, empty)."""
    entries: dict[str, str] = {}
    current: dict[str, str] = {}
    key = None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = line.strip()
        if not line:
            msgid = current.get("msgid")
            # The same words under two contexts ("English" in the language menu, "English" the
            # language a message was written in): one kept English on purpose may show.
            if msgid and entries.get(msgid) != msgid:
                msgstr = current.get("msgstr", current.get("msgstr[0]", ""))
                entries[msgid] = "" if "fuzzy" in current.get("flags", "") else msgstr
            current, key = {}, None
            continue
        if line.startswith("#"):
            if line.startswith("#,"):
                current["flags"] = line
            continue
        if line.startswith('"'):
            current[key] += ast.literal_eval(line)
            continue
        key, _, value = line.partition(" ")
        current[key] = ast.literal_eval(value)
    return entries


class VisibleText(HTMLParser):
    """What a reader sees or hears: text, button values, placeholders, titles, labels."""

    ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._hidden += 1
        attributes = dict(attrs)
        self.parts += [attributes[name] for name in self.ATTRIBUTES if attributes.get(name)]
        if tag == "input" and attributes.get("type") in {"submit", "button"}:
            self.parts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(response) -> str:
    parser = VisibleText()
    parser.feed(response.content.decode())
    # Separate elements so that text never runs on from one into the next.
    return " | ".join(" ".join(part.split()) for part in parser.parts if part.strip())


def _literals(msgid: str) -> list[str]:
    """The msgid's words between its placeholders; a placeholder at either end matches
    anything there, so it is left out."""
    literals = re.split(r"%\(\w+\)[sd]|%[sd]", " ".join(msgid.split()))
    return [literal for literal in literals if literal.strip()]


def _pattern(literals: list[str]) -> re.Pattern:
    # A placeholder stands for a name, a number or a date, not for a page of text.
    body = ".{1,300}?".join(re.escape(literal) for literal in literals)
    # Whole words only, so that "Brand" is not found inside "BRANDNAME" or "brandy".
    return re.compile(rf"(?<![\w-]){body}(?![\w-])")


@functools.cache
def english_patterns() -> dict[str, tuple[list[str], re.Pattern]]:
    patterns = {}
    for msgid, msgstr in catalogue_entries().items():
        literals = _literals(msgid)
        # The same in both languages on purpose: "English" in the language menu.
        if msgstr != msgid and re.search(r"[A-Za-z]", "".join(literals)):
            patterns[msgid] = (literals, _pattern(literals))
    return patterns


def untranslated_on(response) -> list[str]:
    """Catalogued English texts found on the page."""
    return untranslated_in(visible_text(response))


def untranslated_in(text: str) -> list[str]:
    """Catalogued English texts found in ``text`` (a page's visible text, as a browser gives
    it or as ``visible_text`` reads it)."""
    text = ADDRESSES_AND_FILES.sub(" ", text)
    return sorted(
        msgid
        for msgid, (literals, pattern) in english_patterns().items()
        # Plain substring tests first: the pattern runs only where every word is on the page.
        if all(literal in text for literal in literals) and pattern.search(text)
    )


def chinese_client(user=None) -> Client:
    client = Client()
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    if user is not None:
        client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    return client
