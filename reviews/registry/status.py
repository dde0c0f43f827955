"""USPTO status codes read as live, pending or dead, and a registration's current term."""

from datetime import date

from dateutil.relativedelta import relativedelta

REGISTERED, PENDING, DEAD, UNKNOWN = "registered", "pending", "dead", "unknown"

# A US registration runs ten years from its registration date and is renewed ten years at a time.
TERM = relativedelta(years=10)


def uspto_state(code: str) -> str:
    try:
        number = int(code)
    except (TypeError, ValueError):
        return UNKNOWN
    if number in (700, 800) or 701 <= number <= 703:
        return REGISTERED
    if 630 <= number <= 688:
        return PENDING
    if 600 <= number <= 609 or 710 <= number <= 716 or number == 900:
        return DEAD
    return UNKNOWN


def uspto_term_end(
    *, registration_date: date | None, renewal_date: date | None, state: str
) -> date | None:
    """The end of the term a live registration is in: ten years from its last renewal, which
    starts a new term, or from its registration when it was never renewed."""
    if state != REGISTERED or registration_date is None:
        return None
    return (renewal_date or registration_date) + TERM
