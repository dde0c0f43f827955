"""The brand name is not confusable with a well-known mark or another brand in the program:
look-alike letters, digits for letters, Chinese written in pinyin, or the same sound."""

import heapq
import re
import unicodedata
from typing import NamedTuple

from django.db import connection
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_noop as _
from rapidfuzz.distance.Levenshtein import distance
from rapidfuzz.fuzz import ratio

from brandprogram.phrases import Items, Phrase, in_english
from reviews.checks.base import Finding
from reviews.models import ReferenceMark
from reviews.similarity import (
    SHORT_NAME,
    SOUND_ALIKE_RATIO,
    SYMBOLS_READ_AS_LETTERS,
    Match,
    compare,
    skeleton,
    sound_key,
    word_skeletons,
)
from reviews.similarity.edits import ALIKE_LETTERS
from reviews.similarity.hidden import hidden_characters, visible_forms
from reviews.similarity.trigrams import Keep, similar_skeletons
from sellers.names import same_company_test

CODE = "brand_similarity"
TITLE = gettext_lazy("Look-alike brand names")
QUICK = True
SHOWN = 5
# What each compared mark is, in findings.
KINDS = {
    ReferenceMark.Kind.WELL_KNOWN: _("well-known mark"),
    ReferenceMark.Kind.PROGRAM_BRAND: _("brand in the program"),
}
WORD_BREAK = re.compile(r"[\W_]+")
# Skeleton letters read alike, as reviews.similarity.spelling writes them, in one translate:
# cheap enough for every candidate, close enough for a prefilter ("kokakola" for "cocacola").
SOUND_FOLD = str.maketrans({"c": "k", "q": "k", "z": "s", "x": "ks"})
# compare() rounds rapidfuzz's ratio before it holds it against SOUND_ALIKE_RATIO: 69.5 is 70.
ALIKE_CUTOFF = SOUND_ALIKE_RATIO - 0.5
# Trigram similarity of skeletons (pg_trgm's %) that brings a program brand in as a candidate.
# Confusable names score above it (tests/reviews/similarity/brand_pairs.py); at PostgreSQL's
# default of 0.3, common pinyin syllables bring thousands of candidates from a registry-sized
# table.
CANDIDATE_SIMILARITY = 0.45
# The candidates, in one round trip: with client-side binding the two statements go as one
# simple query, which runs in one transaction, and the threshold is local to it (or to the
# caller's transaction when one is open). Written out: compiling the ORM's equivalent took
# half a millisecond a search. The skeletons looked up (hundreds for a common pinyin name) go
# as one string, split on the spaces no skeleton holds: quoting each as an array element on
# the client took some 5 microseconds apiece.
SEARCH_SQL = """
    SELECT set_config('pg_trgm.similarity_threshold', %(threshold)s, true);
    SELECT name, owner, kind, source, list_version, skeleton
    FROM reviews_referencemark
    WHERE kind = %(well_known)s
        OR skeleton = ANY(string_to_array(%(words)s, ' '))
        OR skeleton %% ANY(%(keys)s)
        OR sound_key = ANY(%(sounds)s)
"""
# The same with the trigram index file (reviews.similarity.trigrams) in place: the skeletons
# it found, and those of marks with the sound keys, come from the covering index on skeleton
# without reading the table; only marks added since the file was built are compared with %
# and the sound keys, in id order. The first statement also names the table's file node: a
# table emptied or rewritten since the file was built is searched as above. A mark two parts
# find comes twice, and is read once (the selected columns include the mark's unique key): a
# UNION would sort thousands of rows by six text columns, in the database's collation, for it.
INDEXED_SQL = """
    SELECT set_config('pg_trgm.similarity_threshold', %(threshold)s, true),
        pg_relation_filenode('reviews_referencemark'::regclass);
    SELECT name, owner, kind, source, list_version, skeleton
    FROM reviews_referencemark WHERE kind = %(well_known)s
    UNION ALL
    SELECT name, owner, kind, source, list_version, skeleton
    FROM reviews_referencemark WHERE skeleton = ANY(string_to_array(%(words)s, ' '))
    UNION ALL
    SELECT name, owner, kind, source, list_version, skeleton
    FROM reviews_referencemark
    WHERE skeleton = ANY(string_to_array(%(sounding)s, ' ')) AND sound_key = ANY(%(sounds)s)
    UNION ALL
    SELECT name, owner, kind, source, list_version, skeleton
    FROM reviews_referencemark
    WHERE id > %(through)s AND (skeleton %% ANY(%(keys)s) OR sound_key = ANY(%(sounds)s))
"""


class Mark(NamedTuple):
    """The columns of a reference mark that the search and the finding read: a search goes
    through thousands of marks, and model instances would cost more than comparing them."""

    name: str
    owner: str
    kind: str
    source: str
    list_version: str
    skeleton: str


# Where the search reads each column in a row: a Mark is made only for the rows it returns.
NAME, OWNER, KIND, SOURCE, VERSION, SKELETON = map(
    Mark._fields.index, ("name", "owner", "kind", "source", "list_version", "skeleton")
)


class Search(NamedTuple):
    """What one search found: the size and version of the well-known list it compared the
    names with, the marks they are confusable with, closest first (all of them, or as many
    as were asked for), and how many there are."""

    well_known: int
    version: str
    matches: list[tuple[Match, Mark]]
    count: int


def _closest(pair: tuple[Match, tuple]) -> tuple:
    # Among marks of the same name and score, the well-known one is shown first, then by
    # owner and where it comes from: the order the marks were read in is no order.
    match, row = pair
    well_known = row[KIND] == ReferenceMark.Kind.WELL_KNOWN
    return -match.score, row[NAME], not well_known, row[OWNER], row[SOURCE], row[VERSION]


def similar_marks_find(
    names: list[str], *, applicant: str = "", shown: int | None = None
) -> Search:
    """The reference marks confusable with any of ``names``, leaving out marks owned by the
    company ``applicant`` names, the ``shown`` closest (all without it): the check and the
    operators' similar_marks command both ask this, so an operator sees what the check would
    flag. A common pinyin name matches thousands of marks; the check shows a few and counts
    the rest."""
    worth_comparing = _Prefilter(names)
    candidates = _candidates(names, worth_comparing.by_skeleton())
    well_known = [row for row in candidates if row[KIND] == ReferenceMark.Kind.WELL_KNOWN]
    own = same_company_test(applicant) if applicant else None
    matches = []
    # Marks of one name compare alike, whoever owns them; among millions, many share one.
    compared = {}
    for row in candidates:
        name = row[NAME]
        if name not in compared:
            compared[name] = worth_comparing(name, row[SKELETON]) and max(
                (m for m in (compare(each, name) for each in names) if m),
                key=lambda m: m.score,
                default=None,
            )
        best = compared[name]
        # The owner's name is compared only for marks that match, the fewer.
        if best and (own is None or not own(row[OWNER])):
            matches.append((best, row))
    closest = (
        sorted(matches, key=_closest)
        if shown is None
        else heapq.nsmallest(shown, matches, key=_closest)
    )
    # The list is loaded whole, with one version (load_reference_marks).
    version = well_known[0][VERSION] if well_known else ""
    return Search(
        len(well_known),
        version,
        [(match, Mark._make(row)) for match, row in closest],
        len(matches),
    )


def run(application):
    names = [n for n in (application.brand.name, application.brand.native_name) if n.strip()]
    search = similar_marks_find(names, applicant=application.company.legal_name, shown=SHOWN)
    if not search.well_known:
        return Finding(
            "unverifiable",
            Phrase(
                _("The list of well-known marks is not loaded; run manage.py load_reference_marks.")
            ),
            {"brand": names},
            source=Phrase(_("well-known marks list")),
            data_version="none",
        )
    shown = search.matches
    hidden = {name: hidden_characters(name) for name in names if hidden_characters(name)}
    evidence = {
        "brand": names,
        "skeleton": [skeleton(name) for name in names],
        "hidden_characters": hidden,
        "closest": [
            {
                "mark": mark.name,
                "owner": mark.owner,
                "kind": mark.kind,
                "score": match.score,
                "why": [in_english([reason]) for reason in match.reasons],
                "source": mark.source,
            }
            for match, mark in shown
        ],
    }
    source = Phrase(
        _("well-known marks list and program brands (%(count)s marks)"),
        count=search.well_known,
    )
    # Characters that do not show change what reviewers and shoppers read without showing
    # why, and the seller portal refuses them: a name holding them was not typed there.
    hidden_notes = [
        Phrase(
            _("“%(name)s” holds characters that do not show: %(characters)s."),
            name=name,
            characters=_described(codes),
        )
        for name, codes in hidden.items()
    ]
    if not shown:
        return Finding(
            "warn" if hidden else "pass",
            [
                Phrase(
                    _(
                        "“%(name)s” is not confusable with any of the well-known marks or the "
                        "brands already in the program."
                    ),
                    name=names[0],
                ),
                *hidden_notes,
            ],
            evidence,
            source=source,
            data_version=search.version,
        )
    lines = [
        Phrase(
            _("“%(mark)s” (%(kind)s, %(owner)s): score %(score)s, %(reasons)s."),
            mark=mark.name,
            kind=Phrase(KINDS.get(mark.kind, mark.kind)),
            owner=mark.owner,
            score=match.score,
            reasons=Items(match.reasons, join="semicolon"),
        )
        for match, mark in shown
    ]
    famous = any(mark.kind == ReferenceMark.Kind.WELL_KNOWN for _match, mark in shown)
    return Finding(
        "fail" if famous else "warn",
        [
            Phrase(
                _("“%(name)s” is close to %(count)s mark(s) owned by others."),
                name=names[0],
                count=search.count,
            ),
            *lines,
            *hidden_notes,
        ],
        evidence,
        source=source,
        data_version=search.version,
    )


def _described(codes: list[str]) -> str:
    return ", ".join(
        f"{code} {unicodedata.name(chr(int(code[2:], 16)), '')}".strip() for code in codes
    )


class _Prefilter:
    """A cheap test, on the stored skeleton, that a mark might match one of the names.

    compare() matches only names that read the same, contain the mark as words, are one
    letter from it, or whose skeletons are at least SOUND_ALIKE_RATIO alike (once sound-alike
    spellings are read as one); with thousands of candidates its full normalization (pinyin
    above all) would dominate the search. Names with symbols that the skeleton reads as
    letters always go to compare().
    """

    def __init__(self, names: list[str]) -> None:
        forms = [form for name in names for form in visible_forms(name)]
        self.keys = {skeleton(form) for form in forms}
        self.long_keys = [key for key in self.keys if len(key) > SHORT_NAME]
        self.folded_keys = [key.translate(SOUND_FOLD) for key in self.long_keys]
        self.every_mark = any(SYMBOLS_READ_AS_LETTERS & set(name) for name in names)
        self.name_words = [words for words in map(word_skeletons, forms) if len(words) > 1]
        self.most_words = max(map(len, self.name_words), default=0)

    def __call__(self, name: str, mark_skeleton: str) -> bool:
        """Whether the mark of ``name``, whose stored skeleton is ``mark_skeleton``, is worth
        comparing."""
        if self.every_mark or not SYMBOLS_READ_AS_LETTERS.isdisjoint(name):
            return True
        if self.skeleton_alike(mark_skeleton):
            return True
        return len(mark_skeleton) > SHORT_NAME and bool(self.name_words) and self._contained(name)

    def skeleton_alike(self, mark_skeleton: str) -> bool:
        """The tests on the skeleton alone."""
        if mark_skeleton in self.keys:
            return True
        # One letter from the mark once spelled as it sounds, which may add one more ("Vanz").
        # With the cutoff rapidfuzz gives up early on skeletons too far apart.
        if any(distance(key, mark_skeleton, score_cutoff=2) <= 2 for key in self.keys):
            return True
        if len(mark_skeleton) <= SHORT_NAME:
            return False
        if any(ratio(key, mark_skeleton, score_cutoff=ALIKE_CUTOFF) for key in self.long_keys):
            return True
        folded = mark_skeleton.translate(SOUND_FOLD)
        return any(ratio(key, folded, score_cutoff=ALIKE_CUTOFF) for key in self.folded_keys)

    def by_skeleton(self) -> Keep | None:
        """What a mark's skeleton alone decides, so marks that fail it need not be read: for
        marks with no symbol read as a letter in their names, and where the names have several
        words, whose names have at least as many (none of those is among the names' words) or
        are one plain word (among them when its skeleton is); None when a symbol in the names
        makes every mark worth comparing."""
        if self.every_mark:
            return None
        if not self.name_words:
            return Keep(self.skeleton_alike, 1)
        words = {word for outer in self.name_words for word in outer}
        return Keep(lambda key: key in words or self.skeleton_alike(key), self.most_words)

    def _contained(self, name: str) -> bool:
        if len([word for word in WORD_BREAK.split(name) if word]) >= self.most_words:
            return False
        words = word_skeletons(name)
        size = len(words)
        return any(
            0 < size < len(outer) and any(
                outer[start : start + size] == words for start in range(len(outer) - size + 1)
            )
            for outer in self.name_words
        )  # fmt: skip


def _one_letter_away(key: str) -> list[str]:
    """Skeletons of short marks that ``key`` is one counterfeit edit of: the mark with a letter
    added (or doubled) is ``key`` less one letter; swapped or look-alike letters swap back."""
    shorter = [key[:at] + key[at + 1 :] for at in range(len(key))]
    swapped = [key[:at] + key[at + 1] + key[at] + key[at + 2 :] for at in range(len(key) - 1)]
    alike = [
        key[:at] + other + key[at + 1 :]
        for at, letter in enumerate(key)
        for pair in ALIKE_LETTERS
        if letter in pair
        for other in pair - {letter}
    ]
    return [word for word in dict.fromkeys(shorter + swapped + alike) if len(word) >= 3]


def _candidates(names: list[str], keep: Keep | None) -> list[tuple]:
    """The whole well-known list, and the program brands that may match the names, as rows
    of Mark's columns; with the trigram index file, only marks ``keep`` keeps.

    The well-known list (a few hundred) is compared whole: the index must never be the reason
    a famous mark is missed. Both come in one query.
    """
    if connection.vendor != "postgresql":
        # No trigram index outside PostgreSQL; the list is small enough to read whole.
        return list(ReferenceMark.objects.values_list(*Mark._fields))
    words, keys, sounds = [], [], []
    # A name is looked up as stored and as displayed ("\u202eEKIN" shows as "NIKE").
    for name in [form for each in names for form in visible_forms(each)]:
        key = skeleton(name)
        # Whole words catch a mark inside a longer name ("Samsung Home Lighting"), which
        # trigram similarity to the whole name may miss.
        words += [key, *word_skeletons(name)]
        if len(key) <= SHORT_NAME + 1:
            # The few skeletons a short name is one edit of go to the B-tree index too.
            words += _one_letter_away(key)
        if len(key) > SHORT_NAME:
            # Short names match only when they read the same (compare()); the index would
            # bring every mark sharing a trigram with them.
            keys.append(key)
        if sound_key(name):
            sounds.append(sound_key(name))
    params = {
        "threshold": str(CANDIDATE_SIMILARITY),
        "well_known": ReferenceMark.Kind.WELL_KNOWN.value,
        "words": " ".join(words),
        "keys": keys,
        "sounds": sounds,
    }
    indexed = similar_skeletons(keys, sounds, CANDIDATE_SIMILARITY, keep)
    with connection.cursor() as cursor:
        if indexed is not None:
            found = {
                "words": " ".join(words + indexed.skeletons),
                "sounding": " ".join(indexed.sounding),
                "through": indexed.through_id,
            }
            cursor.execute(INDEXED_SQL, params | found)
            if cursor.fetchone()[1] == indexed.filenode:
                cursor.nextset()
                return list(dict.fromkeys(cursor.fetchall()))
        cursor.execute(SEARCH_SQL, params)
        cursor.nextset()
        return cursor.fetchall()
