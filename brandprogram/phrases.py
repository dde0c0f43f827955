"""Sentences kept as their English message and parameters, and written out in the reader's
language when they are read.

A screening check runs once, in a worker that speaks no one's language, and its verdict is read
later by English and Chinese reviewers, by sellers and through the API. So it is stored as
phrases: a message id (the English format string, marked with ``gettext_noop`` so that
makemessages collects it) and JSON-able parameters. Parameters that need translating are
phrases themselves (a status, a category, a document kind); dates, percentages, large numbers
and lists are stored as values and formatted for the reader; names, numbers and file names are
data and stay as they are.

    Phrase(gettext_noop("The mark expired on %(day)s."), day=Date(mark.expires_on))

``str(phrase)`` renders it in the active language, so a phrase can go wherever a lazily
translated string goes; ``to_json()`` is the stored form and ``render_json`` renders it.
"""

import datetime
import logging
import re
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format, number_format
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext

logger = logging.getLogger(__name__)

# A sentence that ends in a full-width stop needs no space before the next one (Chinese).
_FULL_WIDTH_END = re.compile(r"[。！？；：）」』]$")  # noqa: RUF001


class Phrase:
    """A message id with its parameters, rendered in the active language by ``str()``."""

    __slots__ = ("context", "message", "params")

    def __init__(self, message: str, /, *, context: str = "", **params: Any) -> None:
        self.message = str(message)
        self.context = context
        self.params = {name: to_json(value) for name, value in params.items()}

    @classmethod
    def label(cls, label: Any) -> "Phrase":
        """The phrase of a lazily translated label (a model choice, a field label): its own
        message id and context, so it renders as the catalogue has it in any language."""
        if isinstance(label, Phrase):
            return label
        if isinstance(label, Promise):
            func, args = label.__reduce__()[1][:2]
            if func is pgettext and len(args) == 2:
                return cls(args[1], context=args[0])
            if func is gettext and len(args) == 1:
                return cls(args[0])
        # Not lazy (a label already in English, or data): shown through the catalogue too.
        return cls(str(label))

    def to_json(self) -> dict:
        data: dict = {"msg": self.message}
        if self.params:
            data["params"] = self.params
        if self.context:
            data["ctx"] = self.context
        return data

    @classmethod
    def from_json(cls, data: Mapping) -> "Phrase":
        phrase = cls(data["msg"], context=data.get("ctx", ""))
        phrase.params = dict(data.get("params", {}))
        return phrase

    def __str__(self) -> str:
        return render_json(self.to_json())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Phrase) and self.to_json() == other.to_json()

    def __hash__(self) -> int:
        return hash(repr(self))

    def __repr__(self) -> str:
        return f"Phrase({self.to_json()!r})"


class Date:
    """A day, written the reader's way ("Jan. 5, 2027", "2027年1月5日")."""

    def __init__(self, day: datetime.date) -> None:
        self.day = day

    def to_json(self) -> dict:
        return {"date": self.day.isoformat()}


class Percent:
    """A fraction (0.0123) shown as a percentage with ``places`` decimals ("1.23%")."""

    def __init__(self, fraction: Decimal | float, places: int = 2) -> None:
        self.fraction, self.places = fraction, places

    def to_json(self) -> dict:
        return {"percent": str(self.fraction), "places": self.places}


class Number:
    """A count large enough to want its thousands grouped ("40,000,000")."""

    def __init__(self, value: int) -> None:
        self.value = value

    def to_json(self) -> dict:
        return {"number": self.value}


class Items:
    """Several values in one sentence: "a, b, c" (``join="comma"``), "a, b or c" (``"or"``),
    "a; b" (``"semicolon"``), or phrases one after the other (``"sentences"``), each the
    reader's way."""

    JOINS = ("comma", "or", "semicolon", "sentences")

    def __init__(self, values: Iterable, join: str = "comma") -> None:
        if join not in self.JOINS:
            raise ValueError(f"join must be one of {self.JOINS}, not {join!r}")
        self.values, self.join = list(values), join

    def to_json(self) -> dict:
        return {"list": [to_json(value) for value in self.values], "join": self.join}


class InEachLanguage:
    """Text that only other code can word (a validator's message, already translated when it
    is raised): written once in each of the site's languages now, and read in the reader's."""

    def __init__(self, write: Callable[[], str]) -> None:
        texts = {}
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                texts[code] = str(write())
        self.texts = texts

    def to_json(self) -> dict:
        return {"text": self.texts}


def to_json(value: Any) -> Any:
    """A parameter's stored form."""
    if isinstance(value, (Phrase, Date, Percent, Number, Items, InEachLanguage)):
        return value.to_json()
    if isinstance(value, Promise):
        return Phrase.label(value).to_json()
    if isinstance(value, datetime.datetime):
        raise TypeError("store a moment as Date(day) of the day meant")
    if isinstance(value, datetime.date):
        return Date(value).to_json()
    if isinstance(value, Decimal):
        return str(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"a phrase parameter must be JSON-able, not {type(value).__name__}")


def render_json(data: Mapping) -> str:
    """A stored phrase in the active language."""
    message = data["msg"]
    context = data.get("ctx")
    wording = pgettext(context, message) if context else gettext(message)
    params = {name: _value(value) for name, value in data.get("params", {}).items()}
    if not params:
        return wording
    try:
        return wording % params
    except (KeyError, ValueError, TypeError):
        # A translation that names a parameter the message lacks must not hide the finding.
        logger.warning("translation of %r does not fit its parameters", message)
        return message % params


def render_all(phrases: Iterable[Mapping]) -> str:
    """Stored phrases as one text in the active language, sentence after sentence."""
    return _sentences(render_json(data) for data in phrases)


def explained(phrases: Iterable[Mapping] | Mapping | None, stored_text: str) -> str:
    """What stored phrases (a list, or one) say in the active language; for a verdict stored
    before phrases were kept, or a deployment's own check's plain text, the text kept."""
    if isinstance(phrases, Mapping):
        phrases = [phrases]
    phrases = [data for data in phrases or () if data]
    return render_all(phrases) if phrases else stored_text


def in_english(phrases: Iterable[Phrase]) -> str:
    """The English text kept beside the phrases, for the admin, search and logs."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_all(phrase.to_json() for phrase in phrases)


def _value(value: Any) -> str:
    if isinstance(value, Mapping):
        if "msg" in value:
            return render_json(value)
        if "date" in value:
            return date_format(datetime.date.fromisoformat(value["date"]), "DATE_FORMAT")
        if "percent" in value:
            places = value.get("places", 2)
            return number_format(Decimal(value["percent"]) * 100, places) + "%"
        if "number" in value:
            return number_format(value["number"], force_grouping=True)
        if "list" in value:
            return _joined([_value(item) for item in value["list"]], value.get("join", "comma"))
        if "text" in value:
            texts = value["text"]
            return texts.get(translation.get_language()) or texts.get(
                settings.LANGUAGE_CODE, next(iter(texts.values()), "")
            )
    return "" if value is None else str(value)


def _joined(values: list[str], join: str) -> str:
    if join == "sentences":
        return _sentences(values)
    if join == "semicolon":
        return pgettext("between clauses of a sentence", "; ").join(values)
    separator = pgettext("between items of a list", ", ")
    if join == "or" and len(values) > 1:
        return pgettext("the last two items of a list", "%(items)s or %(last)s") % {
            "items": separator.join(values[:-1]),
            "last": values[-1],
        }
    return separator.join(values)


def _sentences(sentences: Iterable[str]) -> str:
    text = ""
    for sentence in sentences:
        if text and sentence:
            text += "" if _FULL_WIDTH_END.search(text) else " "
        text += sentence
    return text
