"""Brand names compared for confusion: how a name looks, and how it sounds.

``skeleton`` reduces a name to what a shopper sees: Unicode look-alikes read as the Latin
letters they imitate (Cyrillic small a, U+0430, as "a"), Chinese characters as their pinyin,
digits as the letters they stand in for, case, spaces and punctuation gone. ``compare`` scores
two names on their skeletons with rapidfuzz and their sound with a metaphone key, reads
spellings that sound alike ("-tek" for "-tech") as one, catches single-letter edits of short
and medium marks that are not ordinary words, and says why.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import jellyfish
from confusable_homoglyphs import confusables
from django.utils.translation import gettext_noop as _
from rapidfuzz.fuzz import ratio

from brandprogram.phrases import Phrase
from reviews.similarity.edits import common_words, counterfeit_edit, single_edit
from reviews.similarity.hidden import visible_forms, without_hidden
from sellers.names import ASCII_NOT_ALNUM

# Digits and signs standing in for letters, after case folding. "1", "|" and "!" stand for
# "i", which the skeleton then reads as "l" like the real "i": the three are drawn alike in
# most fonts.
STAND_INS = str.maketrans(
    {"0": "o", "1": "i", "|": "i", "!": "i", "3": "e", "4": "a", "@": "a", "5": "s",
     "$": "s", "7": "t", "8": "b"}
)  # fmt: skip
# The signs among them, which normalization drops: a name holding one reads as letters its
# skeleton alone does not show.
SYMBOLS_READ_AS_LETTERS = frozenset("|!@$")
# ASCII names have no look-alikes, accents, widths or Chinese to undo, and no hidden
# characters: lower-cased, one translate of their bytes gives their letters (or their normal
# form). Most names are ASCII, and a search reads thousands; a str translate, which looks each
# character up in a dict, takes several times as long.
_ASCII_STAND_INS = bytes.maketrans(bytes(STAND_INS), "".join(STAND_INS.values()).encode())
_ASCII_NOT_ALPHA = bytes(code for code in range(128) if not chr(code).isalpha())
_ASCII_NOT_LETTERS = bytes(
    code for code in range(128)
    if not chr(code).isalnum() and chr(code) not in SYMBOLS_READ_AS_LETTERS
)  # fmt: skip
# Letter pairs that read as one letter at a glance ("rn" as "m", "vv" as "w").
LOOKALIKE_PAIRS = (("rn", "m"), ("vv", "w"))
# Spellings pronounced alike, each written one way: "Logitek" is "Logitech" said aloud,
# "Fotoshop" is "Photoshop". In this order: "tech" before "ck" and "c"; "x" becomes "ks" and
# "c" before e, i, y becomes "s", so "Roleks", "Rolex" and "Rolecs" spell one word.
SOUND_SPELLINGS = (
    (re.compile(r"tech"), "tek"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"c[kq]|q"), "k"),
    (re.compile(r"x"), "ks"),
    (re.compile(r"z"), "s"),
    (re.compile(r"c(?=[eiy])"), "s"),
    (re.compile(r"c"), "k"),
)
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
SIMILAR_RATIO = 85
# Names that sound alike need this much written likeness too, or "Kia" would match "Key".
SOUND_ALIKE_RATIO = 70
# At this length a name's letters are too few for rapidfuzz's ratio: it matches when it
# reads the same, or by the edits counterfeiters make (reviews.similarity.edits).
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


def dictionaries_load() -> None:
    """pypinyin's dictionaries loaded now, for a process that will compare Chinese names
    (a screening worker), rather than at the first of them."""
    _pinyin("中")


# A search compares one name with thousands of marks: its own forms are computed once.
@lru_cache(maxsize=16384)
def normalize(name: str) -> str:
    """Case, width, accents, spaces and punctuation removed; Chinese as pinyin."""
    if name.isascii():
        return name.lower().encode().translate(None, ASCII_NOT_ALNUM).decode()
    return _normalized(name)


def _normalized(name: str) -> str:
    text = _pinyin(unicodedata.normalize("NFKC", name).casefold())
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return "".join(c for c in text if c.isalnum())


@lru_cache(maxsize=16384)
def _letters(name: str) -> str:
    """Letters as a shopper reads them: look-alikes, Chinese as pinyin, digits for letters."""
    if name.isascii():
        return name.lower().encode().translate(_ASCII_STAND_INS, _ASCII_NOT_LETTERS).decode()
    return _read(name)


def _read(name: str) -> str:
    text = unicodedata.normalize("NFKC", without_hidden(name))
    text = _pinyin("".join(_latin_lookalike(c) for c in text).casefold())
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    kept = "".join(c for c in text if c.isalnum() or c in SYMBOLS_READ_AS_LETTERS)
    return kept.translate(STAND_INS)


def _shape(letters: str) -> str:
    text = letters.replace("i", "l")
    for pair, letter in LOOKALIKE_PAIRS:
        text = text.replace(pair, letter)
    return text


@lru_cache(maxsize=16384)
def skeleton(name: str) -> str:
    return _shape(_letters(name))


@lru_cache(maxsize=16384)
def spelling(name: str) -> str:
    """The skeleton with sound-alike spellings written one way ("logltek" for "Logitech")."""
    text = _letters(name)
    for pattern, written in SOUND_SPELLINGS:
        text = pattern.sub(written, text)
    return _shape(text)


@lru_cache(maxsize=16384)
def word_skeletons(name: str) -> tuple[str, ...]:
    words = re.split(r"[\W_]+", unicodedata.normalize("NFKC", without_hidden(name)))
    return tuple(key for key in (skeleton(word) for word in words) if key)


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
    if name.isascii():
        letters = name.lower().encode().translate(None, _ASCII_NOT_ALPHA).decode()
    else:
        letters = _sounded_letters(name)
    return jellyfish.metaphone(letters) if letters else ""


def _sounded_letters(name: str) -> str:
    # Look-alike letters count as what they imitate: "Nikon" with a Cyrillic i sounds as "Nikon".
    text = normalize("".join(_latin_lookalike(c) for c in unicodedata.normalize("NFKC", name)))
    return "".join(c for c in text if c.isascii() and c.isalpha())


@dataclass(frozen=True)
class Match:
    score: int
    # Why, as phrases (brandprogram.phrases): the check stores them, readers read them in
    # their own language.
    reasons: tuple[Phrase, ...]


def compare(brand: str, mark: str) -> Match | None:
    """How confusable two names are, or None when they are not.

    A brand name is read as stored and, when bidirectional controls reorder it, as displayed:
    "\u202eEKIN" is stored as "EKIN" and shown to shoppers as "NIKE".
    """
    mark = without_hidden(mark)
    plain, *shown = visible_forms(brand)
    best = _compare(plain, mark)
    for form in shown:
        match = _compare(form, mark)
        if match is not None and (best is None or match.score > best.score):
            reason = Phrase(
                _("displayed as “%(form)s”: direction controls reverse the stored letters"),
                form=form,
            )
            best = Match(match.score, (reason, *match.reasons))
    return best


def _compare(brand: str, mark: str) -> Match | None:
    brand_skeleton, mark_skeleton = skeleton(brand), skeleton(mark)
    if not brand_skeleton or not mark_skeleton:
        return None
    if normalize(brand) == normalize(mark):
        return Match(
            100, (Phrase(_("the same name once case, spacing and punctuation are ignored")),)
        )
    if brand_skeleton == mark_skeleton:
        return Match(
            100,
            (
                Phrase(
                    _(
                        "reads as the same letters (“%(brand)s” looks like “%(brand_letters)s”, "
                        "“%(mark)s” like “%(mark_letters)s”)"
                    ),
                    brand=brand,
                    brand_letters=brand_skeleton,
                    mark=mark,
                    mark_letters=mark_skeleton,
                ),
            ),
        )
    if len(mark_skeleton) > SHORT_NAME and _contains_words(brand, mark):
        return Match(
            90, (Phrase(_("contains the mark as a word of its own (“%(mark)s”)"), mark=mark),)
        )
    word = normalize(brand)
    ordinary = word in common_words()
    if ordinary:
        # An ordinary word one letter from the mark is read as that word ("Papers", not
        # "Pampers"; "Brain", not "Braun"), unless the letter is doubled, which keeps the
        # mark's shape whole ("Channel" for "Chanel").
        edit = single_edit(word, normalize(mark))
        if edit is not None and edit.kind != "doubled":
            return None
    score = round(ratio(brand_skeleton, mark_skeleton))
    if min(len(brand_skeleton), len(mark_skeleton)) > SHORT_NAME:
        match = _looks_or_sounds_alike(brand, mark, score)
        if match is not None:
            return match
    brand_spelling, mark_spelling = spelling(brand), spelling(mark)
    # An ordinary word spelled as a mark sounds ("Craft" for "Kraft") is that word.
    if brand_spelling == mark_spelling and not ordinary:
        return Match(
            score,
            (
                Phrase(
                    _("written as it sounds: “%(brand)s” and “%(mark)s” both read “%(spelled)s”"),
                    brand=brand,
                    mark=mark,
                    spelled=mark_spelling,
                ),
            ),
        )
    edit = counterfeit_edit(brand_spelling, mark_spelling, word)
    if edit is not None:
        # Told in the letters as typed when they show the edit ("z" for "x", not the spelled
        # "s" for "ks").
        shown = single_edit(word, normalize(mark)) or edit
        return Match(
            score,
            (
                Phrase(
                    _("one letter away from “%(mark)s”: %(edit)s"),
                    mark=mark,
                    edit=shown.describe(),
                ),
            ),
        )
    return None


def _looks_or_sounds_alike(brand: str, mark: str, score: int) -> Match | None:
    same_sound = sound_key(brand) != "" and sound_key(brand) == sound_key(mark)
    if score >= SIMILAR_RATIO:
        reasons = [Phrase(_("spelled almost the same (similarity %(score)s of 100)"), score=score)]
        if same_sound:
            reasons.append(Phrase(_("and sounds the same (key %(key)s)"), key=sound_key(brand)))
        return Match(score, tuple(reasons))
    if same_sound and score >= SOUND_ALIKE_RATIO:
        return Match(
            score,
            (
                Phrase(
                    _("sounds the same (key %(key)s) and is spelled alike (%(score)s of 100)"),
                    key=sound_key(brand),
                    score=score,
                ),
            ),
        )
    return None
