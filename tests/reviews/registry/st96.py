"""Real TSDR case-status answers (ST.96 XML) kept under data/tsdr/, as the USPTO served them."""

from pathlib import Path

TSDR_ANSWERS = Path(__file__).resolve().parent / "data" / "tsdr"


def tsdr_answer(case: str) -> bytes:
    """The answer saved for a case: "rn2178784" (by registration) or "sn87881347" (by serial)."""
    return (TSDR_ANSWERS / f"{case}.xml").read_bytes()
