"""Characters nobody sees: Unicode format characters (category Cf), and control characters.

Bidirectional controls reorder how a name is displayed ("\\u202eEKIN" shows as "NIKE") and
zero-width characters split or join it where nothing shows. Sellers' input refuses them
(sellers.validators); reviewers' pages and checks show the ones already stored (reviews).

Control characters (category Cc: line breaks, tabs, NUL and the rest) have no place in a name,
which is one line of text; a line break in one ends up in mail subjects, where it is refused.
"""

import unicodedata


def is_hidden(char: str) -> bool:
    return unicodedata.category(char) == "Cf"


def hidden_characters(text: str) -> list[str]:
    """The format characters in ``text``, as code points (“U+202E”), in order, once each."""
    return list(dict.fromkeys(f"U+{ord(c):04X}" for c in text if is_hidden(c)))


def control_characters(text: str) -> list[str]:
    """The control characters in ``text``, as code points (“U+000A”), in order, once each."""
    return list(dict.fromkeys(f"U+{ord(c):04X}" for c in text if unicodedata.category(c) == "Cc"))
