"""Characters a reviewer cannot see: Unicode format characters (category Cf).

Bidirectional controls and zero-width characters change how a name is displayed, or split it
where nothing shows, without changing what a reader sees as its letters. A name written
"\\u202eEKIN" (a right-to-left override, then E, K, I, N) is displayed as "NIKE".
"""

from functools import lru_cache

from sellers.text import hidden_characters, is_hidden

__all__ = ["displayed", "hidden_characters", "visible_forms", "without_hidden"]

RIGHT_TO_LEFT_OVERRIDE = "\u202e"
# What ends an override's reach: its own pop (PDF), the pop of every isolate (PDI), or a
# new override or embedding that starts another run.
OVERRIDE_ENDS = frozenset("\u202c\u2069\u202a\u202b\u202d")


def without_hidden(text: str) -> str:
    # Format characters are never printable: most names, all printable, skip the scan (a
    # search does this for thousands of marks).
    if text.isprintable():
        return text
    return "".join(c for c in text if not is_hidden(c))


def displayed(text: str) -> str:
    """The letters in the order a reader sees them, format characters gone.

    A right-to-left override lays the letters after it out right to left until its run ends,
    so they read reversed. Isolates and the other controls keep Latin letters in their order,
    and only the override is undone; the text around the run keeps its place, which is how
    a left-to-right paragraph shows it.
    """
    shown, run, in_override = [], [], False
    for char in text:
        if char == RIGHT_TO_LEFT_OVERRIDE:
            shown += reversed(run)
            run, in_override = [], True
        elif char in OVERRIDE_ENDS and in_override:
            shown += reversed(run)
            run, in_override = [], False
        elif not is_hidden(char):
            (run if in_override else shown).append(char)
    shown += reversed(run)
    return "".join(shown)


@lru_cache(maxsize=4096)
def visible_forms(text: str) -> tuple[str, ...]:
    """The name as stored with its format characters dropped, and as displayed when an
    override reorders it: a reviewer reads the second, a search engine the first."""
    plain, shown = without_hidden(text), displayed(text)
    return (plain,) if shown == plain else (plain, shown)
