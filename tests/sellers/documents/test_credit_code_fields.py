"""Where a licence's credit code is taken from when its check character fails: beside its label,
else on the line under it; never from 18 letters and digits elsewhere on the page."""

import pytest
from stdnum.cn import uscc

from sellers.documents.fields import read_fields
from sellers.documents.layout import Layout, Piece

BODY = "91441900KW6P1CX71"
VALID = BODY + uscc.calc_check_digit(BODY)
# The check character changed: no code at all, as a forger or a typo would print it.
FORGED = BODY + ("1" if VALID[-1] == "0" else "0")


def _page(*lines: str) -> Layout:
    """Each line a piece of its own, one under another on page 1."""
    return Layout(
        [
            Piece(text, 1, 0.1, 0.1 + 0.05 * row, 0.6, 0.13 + 0.05 * row, 1.0)
            for row, text in enumerate(lines)
        ]
    )


def _code(layout: Layout) -> str | None:
    found = {field.name: field.value for field in read_fields("business_licence", layout)}
    return found.get("uscc")


@pytest.mark.parametrize(
    ("lines", "code"),
    [
        (("Unified Social Credit Code  Publicity System", FORGED, "Name  Bright Lamp"), FORGED),
        (("统一社会信用代码", FORGED), FORGED),
        (("Credit Code: " + FORGED, "ABCDEFGHJKLMNPQRTU"), FORGED),
        # A valid code anywhere wins over a failing one under the label.
        (("Unified Social Credit Code", FORGED, "Ref " + VALID), VALID),
        (("Business licence", "Ref " + FORGED), None),
    ],
)
def test_a_code_failing_its_check_is_read_only_beside_or_under_its_label(lines, code):
    assert not uscc.is_valid(FORGED)
    assert _code(_page(*lines)) == code
