"""Brand names compared for confusion: how a name looks, and how it sounds.

``skeleton`` reduces a name to what a shopper sees: Unicode look-alikes read as the Latin
letters they imitate (Cyrillic small a, U+0430, as "a"), Chinese characters as their pinyin,
digits as the letters they stand in for, case, spaces and punctuation gone. ``compare`` scores
two names on their skeletons with rapidfuzz and their sound with a metaphone key, and says why.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import jellyfish
from confusable_homoglyphs import confusables
from rapidfuzz.fuzz import ratio

# Characters standing in for letters, after case folding. "i" joins "1" and "l" because the
# three are drawn alike in most fonts.
LOOKALIKE_SWAPS = str.maketrans(
    {"0": "o", "1": "l", "i": "l", "|": "l", "!": "l", "3": "e", "4": "a", "@": "a",
     "5": "s", "$": "s", "7": "t", "8": "b"}
)  # fmt: skip
# Letter pairs that read as one letter at a glance ("rn" as "m", "vv" as "w").
LOOKALIKE_PAIRS = (("rn", "m"), ("vv", "w"))
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
SIMILAR_RATIO = 85
# Names that sound alike need this much written likeness too, or "Kia" would match "Key".
SOUND_ALIKE_RATIO = 70
# At this length one changed letter is a different word; only identical skeletons match.
SHORT_NAME = 4


@lru_cache(maxsize=4096)
def _latin_lookalike(char: str) -> str:
    if char.isascii():
        return char
    found = confusables.is_confusable(char, greedy=True, preferred_aliases=["latin"])
    for entry in found or ():
        for glyph in entry["homoglyphs"]:
            if glyph["c"].isascii() and glyph["c"].isalnum():
                return glyph["c"]
    return char


@lru_cache(maxsize=65536)
def _pinyin(text: str) -> str:
    # Cached: one comparison converts the same mark three times (skeleton, normalized form,
    # sound), and a search compares thousands of marks, many of them Chinese.
    if not CJK.search(text):
        return text
    # Loading pypinyin's dictionaries takes a third of a second; only Chinese names need them.
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(text))


# A search compares one name with thousands of marks: its own forms are computed once.
@lru_cache(maxsize=16384)
def normalize(name: str) -> str:
    """Case, width, accents, spaces and punctuation removed; Chinese as pinyin."""
    text = _pinyin(unicodedata.normalize("NFKC", name).casefold())
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return "".join(c for c in text if c.isalnum())


@lru_cache(maxsize=16384)
def skeleton(name: str) -> str:
    text = unicodedata.normalize("NFKC", name)
    text = _pinyin("".join(_latin_lookalike(c) for c in text).casefold())
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = "".join(c for c in text if c.isalnum() or c in "|!@$").translate(LOOKALIKE_SWAPS)
    for pair, letter in LOOKALIKE_PAIRS:
        text = text.replace(pair, letter)
    return text


def word_skeletons(name: str) -> list[str]:
    words = re.split(r"[\W_]+", unicodedata.normalize("NFKC", name))
    return [key for key in (skeleton(word) for word in words) if key]


def _contains_words(brand: str, mark: str) -> bool:
    brand_words = word_skeletons(brand)
    # A one-word brand contains no mark as a word of its own; the mark's words, not needed,
    # would cost a skeleton per word of every candidate.
    if len(brand_words) < 2:
        return False
    mark_words = word_skeletons(mark)
    size = len(mark_words)
    return 0 < size < len(brand_words) and any(
        brand_words[start : start + size] == mark_words
        for start in range(len(brand_words) - size + 1)
    )


@lru_cache(maxsize=16384)
def sound_key(name: str) -> str:
    # Look-alike letters count as what they imitate: "Nikon" with a Cyrillic i sounds as "Nikon".
    text = normalize("".join(_latin_lookalike(c) for c in unicodedata.normalize("NFKC", name)))
    letters = "".join(c for c in text if c.isascii() and c.isalpha())
    return jellyfish.metaphone(letters) if letters else ""


@dataclass(frozen=True)
class Match:
    score: int
    reasons: tuple[str, ...]


def compare(brand: str, mark: str) -> Match | None:
    """How confusable two names are, or None when they are not."""
    brand_skeleton, mark_skeleton = skeleton(brand), skeleton(mark)
    if not brand_skeleton or not mark_skeleton:
        return None
    if normalize(brand) == normalize(mark):
        return Match(100, ("the same name once case, spacing and punctuation are ignored",))
    if brand_skeleton == mark_skeleton:
        return Match(
            100,
            (
                f"reads as the same letters (“{brand}” looks like “{brand_skeleton}”, "
                f"“{mark}” like “{mark_skeleton}”)",
            ),
        )
    if len(mark_skeleton) > SHORT_NAME and _contains_words(brand, mark):
        return Match(90, (f"contains the mark as a word of its own (“{mark}”)",))
    if min(len(brand_skeleton), len(mark_skeleton)) <= SHORT_NAME:
        return None
    score = round(ratio(brand_skeleton, mark_skeleton))
    same_sound = sound_key(brand) != "" and sound_key(brand) == sound_key(mark)
    if score >= SIMILAR_RATIO:
        reasons = [f"spelled almost the same (similarity {score} of 100)"]
        if same_sound:
            reasons.append(f"and sounds the same (key {sound_key(brand)})")
        return Match(score, tuple(reasons))
    if same_sound and score >= SOUND_ALIKE_RATIO:
        return Match(
            score,
            (f"sounds the same (key {sound_key(brand)}) and is spelled alike ({score} of 100)",),
        )
    return None
