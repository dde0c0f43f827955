"""What a check returns, and the one exception a check raises for a fault worth retrying."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext_noop
from django_countries import countries

from brandprogram.phrases import Phrase, in_english

OUTCOME_POINTS = {"pass": 0, "warn": 15, "unverifiable": 10, "fail": 50, "error": 10}

# A finding carrying this flag says the application lacks something it cannot be judged
# without; screening may send such an application straight back to the seller.
MISSING_ESSENTIALS = "missing_essentials"
# A check made by hand that is too old, or no longer about the same thing: re-certification
# puts the brand in front of a reviewer as it does for a failure.
REVERIFY_DUE = "reverify_due"


class TransientCheckError(Exception):
    """A source the check needs failed in a way that may pass (an HTTP 503, a timeout).

    The check task retries with backoff; after the last attempt the check is recorded as
    "unverifiable" with this message as the reason.
    """


APPLICATION_DATA = Phrase(gettext_noop("application data"))


@dataclass(frozen=True)
class Finding:
    """A check's verdict. ``words`` and ``source`` are phrases (brandprogram.phrases), stored as
    such and read in each reader's language; a deployment's own check may give plain text,
    which is shown as written."""

    outcome: str
    words: str | Phrase | Sequence[Phrase]
    evidence: dict = field(default_factory=dict)
    source: str | Phrase = APPLICATION_DATA
    data_version: str = "1"
    flags: tuple[str, ...] = ()

    @property
    def score(self) -> int:
        return OUTCOME_POINTS[self.outcome]

    @property
    def phrases(self) -> tuple[Phrase, ...]:
        if isinstance(self.words, str):
            return ()
        return (self.words,) if isinstance(self.words, Phrase) else tuple(self.words)

    @property
    def explanation(self) -> str:
        """In English, as kept beside the phrases for the admin, search and logs."""
        return self.words if isinstance(self.words, str) else in_english(self.phrases)

    @property
    def source_text(self) -> str:
        return self.source if isinstance(self.source, str) else in_english([self.source])


def country_name(code: str) -> Phrase:
    """A country's name as a phrase: django-countries' catalogue names it in each language."""
    return Phrase.label(countries.countries.get(code, code))
