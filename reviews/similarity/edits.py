"""One-letter edits of a mark, and which of them a counterfeiter's name is made of.

A name one letter away from a famous mark ("Rolax", "Nikee", "Pumma") is the most common
counterfeit spelling, yet at four to six letters one changed letter moves rapidfuzz's ratio
below the threshold. Counting every one-letter edit would flag ordinary words ("Nine" against
"Nike", "Logo" against "Lego", "Love" against "Dove"), so an edit counts only in the shapes
counterfeiters use, and never when the name is an ordinary English word.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import gettext_noop as _

from brandprogram.phrases import Phrase

COMMON_WORDS_FILE = Path(__file__).resolve().parent.parent / "data" / "common_words.txt"
# At three letters a mark is mostly an acronym ("JBL", "Kia"): only a doubled letter keeps its
# shape ("Kiaa"). Up to SHORT_MARK letters the changed letter must look or sound like the one
# it replaces; longer marks keep their identity through any edit that keeps the first letter.
# Past MEDIUM_MARK letters rapidfuzz's ratio already catches one edit.
SHORT_MARK = 4
MEDIUM_MARK = 8
# Letters a shopper reads or hears as each other (after the skeleton, which already reads
# "1", "i" and "l" as one): a shape ("m"/"n", "u"/"v"/"w") or a sound ("c"/"k"/"q", "s"/"z",
# "i"/"y" as in "Nyke"). Not vowels for vowels: "Sany" and "Sony" are two real brands.
ALIKE_LETTERS = frozenset(
    frozenset(pair) for pair in ("ly", "uv", "vw", "mn", "ck", "kq", "cq", "sz", "gq")
)


@dataclass(frozen=True)
class Edit:
    kind: str  # "doubled", "added", "removed", "changed", "swapped"
    at: int
    letters: str

    def describe(self) -> Phrase:
        if self.kind == "changed":
            return Phrase(
                _("“%(written)s” written for “%(meant)s”"),
                written=self.letters[0],
                meant=self.letters[1],
            )
        if self.kind == "swapped":
            return Phrase(_("the letters “%(letters)s” swapped"), letters=self.letters)
        done = {
            "doubled": _("the letter “%(letters)s” doubled"),
            "added": _("the letter “%(letters)s” added"),
            "removed": _("the letter “%(letters)s” left out"),
        }[self.kind]
        return Phrase(done, letters=self.letters)


@cache
def common_words() -> frozenset[str]:
    lines = COMMON_WORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def single_edit(name: str, mark: str) -> Edit | None:
    """The one edit that turns ``mark`` into ``name``, or None when it takes none or more."""
    if name == mark or abs(len(name) - len(mark)) > 1:
        return None
    start = next((i for i, (a, b) in enumerate(zip(name, mark, strict=False)) if a != b), None)
    start = min(len(name), len(mark)) if start is None else start
    if len(name) == len(mark) + 1 and name[start + 1 :] == mark[start:]:
        doubled = name[start] in (name[start - 1 : start] + mark[start : start + 1])
        return Edit("doubled" if doubled else "added", start, name[start])
    if len(name) + 1 == len(mark) and name[start:] == mark[start + 1 :]:
        return Edit("removed", start, mark[start])
    if len(name) == len(mark):
        if name[start + 1 :] == mark[start + 1 :]:
            return Edit("changed", start, name[start] + mark[start])
        if name[start : start + 2] == mark[start : start + 2][::-1] and (
            name[start + 2 :] == mark[start + 2 :]
        ):
            return Edit("swapped", start, mark[start : start + 2])
    return None


def counterfeit_edit(name_key: str, mark_key: str, name_word: str) -> Edit | None:
    """The edit, when it is one a counterfeiter makes of a mark this long.

    ``name_key`` and ``mark_key`` are the spellings compared (skeletons), ``name_word`` the
    name as plain letters, looked up among common words: a shopper who reads an ordinary
    word reads that word, not the mark.
    """
    edit = single_edit(name_key, mark_key)
    if edit is None or len(mark_key) > MEDIUM_MARK or len(mark_key) < 3:
        return None
    # A doubled letter leaves the mark's shape whole, which is why "Sonny" passes the eye as
    # "Sony" even though it is a name; at three letters it is the only edit that does.
    if edit.kind == "doubled":
        return edit
    if len(mark_key) < SHORT_MARK or name_word in common_words():
        return None
    # Shoppers read a name from its first letter: a different first letter is a different
    # name unless the letters are read alike. Three letters left of a four-letter mark are
    # too few to carry it.
    alike = edit.kind == "changed" and frozenset(edit.letters) in ALIKE_LETTERS
    if (edit.at == 0 and not alike) or (len(mark_key) <= SHORT_MARK and edit.kind == "removed"):
        return None
    if len(mark_key) <= SHORT_MARK and edit.kind == "changed" and not alike:
        return None
    return edit
