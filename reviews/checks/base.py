"""What a check returns."""

from dataclasses import dataclass, field

OUTCOME_POINTS = {"pass": 0, "warn": 15, "unverifiable": 10, "fail": 50, "error": 10}


@dataclass(frozen=True)
class Finding:
    outcome: str
    explanation: str
    evidence: dict = field(default_factory=dict)
    source: str = "application data"
    data_version: str = "1"

    @property
    def score(self) -> int:
        return OUTCOME_POINTS[self.outcome]
