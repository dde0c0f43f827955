"""What a check returns, and the one exception a check raises for a fault worth retrying."""

from dataclasses import dataclass, field

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


@dataclass(frozen=True)
class Finding:
    outcome: str
    explanation: str
    evidence: dict = field(default_factory=dict)
    source: str = "application data"
    data_version: str = "1"
    flags: tuple[str, ...] = ()

    @property
    def score(self) -> int:
        return OUTCOME_POINTS[self.outcome]
