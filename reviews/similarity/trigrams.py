"""The reference marks' skeletons, indexed by trigram in a file every process maps.

At ten million marks PostgreSQL's trigram index answers ``skeleton % key`` slowly for common
pinyin skeletons: tens of thousands of rows match the index's trigram count, and each is read
from the table to be checked again. This index holds each distinct skeleton once, with its
trigrams as pg_trgm takes them, and finds the skeletons whose pg_trgm similarity to a key
reaches the threshold by prefix filtering: a skeleton of m trigrams that similar shares at
least k of the key's q trigrams (k grows with m), so it is in the posting list of at least one
of the key's q - k + 1 rarest trigrams among skeletons of its size. Only those lists are read
for each size; the candidates' shared trigrams are then counted and the similarity computed as
pg_trgm computes it (in single precision), so the skeletons found are the ones ``%`` would
find.

The file is written whole by ``index_build`` (``manage.py similarity_index_build``) and
replaced atomically; readers map it (numpy memmap), so worker processes on one machine share
its pages. It records the largest mark id it holds: marks added since are searched with
``%`` by the caller, so a new program brand is found at once. It also records which table it
was built from (database and file node): a truncated or rewritten table, or another database,
makes it unusable, and the caller falls back to the trigram index. So does a file written in
another format (by an earlier version, until the nightly build replaces it) or one that cannot
be read.

The file also notes, for each skeleton, the fewest words a name of its marks may be read as
(WORDS_ below): a caller that can tell from a skeleton alone that its marks cannot match leaves
out only the skeletons whose names say nothing more, for a name of so many words.
"""

import json
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from math import ceil, floor
from pathlib import Path
from typing import NamedTuple

import numpy as np
from django.conf import settings
from django.db import connection, transaction

from reviews.similarity import SYMBOLS_READ_AS_LETTERS

logger = logging.getLogger(__name__)

# The format's name and version: a file of another is not read.
MAGIC = b"BPTRGM02"
# The fewest words a name of a skeleton's marks may be read as, one byte a skeleton: none for
# a name with a sign the skeleton reads as a letter ("$" as "s"), which may match whatever its
# skeleton; one for a name beyond ASCII, or of one ASCII word with signs of other kinds about
# it; the count of words of other ASCII names; WORDS_PLAIN for a name of ASCII letters and
# digits alone, one word that is its skeleton.
WORDS_SIGNED = 0
WORDS_PLAIN = 255
PLAIN = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
# Each skeleton once, in order, with the sound keys of its marks and the fewest words of their
# names. Written out where a regular expression's ranges or a character class could depend on
# the database's collation: a name is ASCII when it has as many bytes as characters, and its
# words are the runs of the plain characters (as reviews.similarity splits ASCII).
BUILD_SQL = """
    SELECT skeleton, sound_key, min(CASE
        WHEN name LIKE ANY(%(signs)s) THEN %(signed)s
        WHEN octet_length(name) <> char_length(name) THEN 1
        WHEN translate(name, %(plain)s, '') = '' THEN %(plain_word)s
        ELSE greatest(1, cardinality(array_remove(regexp_split_to_array(name, %(breaks)s), '')))
    END)
    FROM reviews_referencemark GROUP BY skeleton, sound_key ORDER BY skeleton, sound_key
"""
# Skeletons read in a batch when the file is built: the trigram arrays of a batch are a few
# hundred megabytes at most.
BATCH = 500_000
# Code points take 21 bits; a trigram is three of them in one unsigned 64-bit code.
BITS = 21
# pg_trgm pads each word with two blanks in front and one behind.
BLANK = ord(" ")
ALIGN = 64
# A list holding at most this share of the skeletons of a size is read for that size whether
# prefix filtering needs it or not; longer ones are looked up for the candidates left.
SPARSE_LIST = 32
BUILD_WORK_MEM = "256MB"
# How long a build waits for marks being written to commit (a screening's program brand).
LOCK_TIMEOUT = "10s"


def trigram_codes(word: str) -> list[int]:
    """pg_trgm's trigrams of one word (a skeleton: letters and digits only), as codes.

    pg_trgm stores a trigram of multibyte characters as a 3-byte hash of it; this keeps the
    characters, so two trigrams pg_trgm would (rarely) confuse stay apart here.
    """
    if not word:
        return []
    points = [BLANK, BLANK, *map(ord, word), BLANK]
    return sorted(
        {(points[i] << 2 * BITS) | (points[i + 1] << BITS) | points[i + 2]
         for i in range(len(points) - 2)}
    )  # fmt: skip


def _batch_codes(words: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The trigram codes of every word in a batch: (word row, code) pairs, each pair once."""
    text = np.array(words, dtype=str)
    width = text.dtype.itemsize // 4
    points = text.view(np.uint32).reshape(len(words), width)
    lengths = np.char.str_len(text)
    padded = np.zeros((len(words), width + 3), dtype=np.uint64)
    padded[:, :2] = BLANK
    padded[:, 2 : width + 2] = points
    padded[np.arange(len(words)), lengths + 2] = BLANK
    codes = (padded[:, :-2] << 2 * BITS) | (padded[:, 1:-1] << BITS) | padded[:, 2:]
    # A word of n characters has n + 1 trigrams; an empty one has none.
    valid = (np.arange(width + 1)[None, :] <= lengths[:, None]) & (lengths[:, None] > 0)
    rows = np.broadcast_to(np.arange(len(words))[:, None], codes.shape)[valid]
    codes = codes[valid]
    order = np.lexsort((codes, rows))
    rows, codes = rows[order], codes[order]
    first = np.ones(len(codes), dtype=bool)
    first[1:] = (rows[1:] != rows[:-1]) | (codes[1:] != codes[:-1])
    return rows[first], codes[first]


@dataclass(frozen=True)
class Built:
    path: Path
    skeletons: int
    trigrams: int
    through_id: int
    seconds: float
    # This process's own share (PostgreSQL's reading and sorting is in `seconds` only).
    cpu_seconds: float
    bytes: int


def index_build(path: Path | None = None) -> Built:
    """Index every distinct skeleton of the marks table into ``path`` (written beside it, then
    moved over it, so readers never see half a file)."""
    started, cpu_started = time.perf_counter(), time.process_time()
    path = Path(path or settings.SIMILARITY_INDEX_PATH)
    with transaction.atomic(), connection.cursor() as cursor:
        # Marks being inserted hold ROW EXCLUSIVE until they commit; SHARE waits for them,
        # so every id up to the largest seen here is committed and read by the next snapshot.
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [LOCK_TIMEOUT])
        cursor.execute("LOCK TABLE reviews_referencemark IN SHARE MODE")
        cursor.execute("SELECT coalesce(max(id), 0) FROM reviews_referencemark")
        through_id = cursor.fetchone()[0]
        identity = _identity(cursor)
    skeletons, rows, codes, sounds, sounded, fewest = [], [], [], [], [], []
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Room to sort the distinct pairs in memory when no index gives their order.
            cursor.execute("SELECT set_config('work_mem', %s, true)", [BUILD_WORK_MEM])
        cursor = connection.chunked_cursor()
        cursor.execute(
            BUILD_SQL,
            {
                "signs": [f"%{sign}%" for sign in sorted(SYMBOLS_READ_AS_LETTERS)],
                "signed": WORDS_SIGNED,
                "plain": PLAIN,
                "plain_word": WORDS_PLAIN,
                "breaks": f"[^{PLAIN}]+",
            },
        )
        last = None
        while batch := cursor.fetchmany(BATCH):
            new = []
            for word, sound, words in batch:
                if word != last:
                    new.append(word)
                    fewest.append(words)
                    last = word
                else:
                    fewest[-1] = min(fewest[-1], words)
                sounds.append(sound)
                sounded.append(len(skeletons) + len(new) - 1)
            if not new:
                continue
            batch_rows, batch_codes = _batch_codes(new)
            rows.append(batch_rows.astype(np.int32) + len(skeletons))
            codes.append(batch_codes)
            skeletons += new
        cursor.close()
    arrays = _arrays(skeletons, rows, codes, sounds, sounded, fewest)
    meta = {"through_id": through_id, "identity": identity, "built_at": time.time()}
    written = _write(path, meta, arrays)
    return Built(
        path,
        len(arrays["sizes"]),
        len(arrays["vocabulary"]),
        through_id,
        round(time.perf_counter() - started, 3),
        round(time.process_time() - cpu_started, 3),
        written,
    )


def _arrays(
    skeletons: list[str], rows: list, codes: list, sounds: list, sounded: list, fewest: list
) -> dict:
    """The file's arrays from the distinct skeletons in order, their trigram codes in batches
    ((skeleton row, code) pairs), each mark's sound key with its skeleton's row, and what each
    skeleton's marks' names may be read as the fewest words of (WORDS_)."""
    rows = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int32)
    codes = np.concatenate(codes) if codes else np.zeros(0, dtype=np.uint64)
    # Skeletons numbered by their trigram count: a search reads only the range of sizes that
    # can reach the threshold.
    sizes = np.bincount(rows, minlength=len(skeletons)).astype(np.int32)
    by_size = np.argsort(sizes, kind="stable")
    number = np.empty(len(skeletons), dtype=np.int32)
    number[by_size] = np.arange(len(skeletons), dtype=np.int32)
    rows = number[rows]
    sounds, sound_starts, sounded = _sound_map(sounds, number[np.array(sounded, dtype=np.int64)])
    fewest = np.array(fewest, dtype=np.uint8)[by_size]
    sizes = sizes[by_size]
    skeletons = [skeletons[i] for i in by_size.tolist()]
    del by_size, number
    size_starts_at, size_starts = np.unique(sizes, return_index=True)
    # Postings by trigram, each list in id order: one sort of (trigram, id) pairs as numbers.
    vocabulary, trigram = np.unique(codes, return_inverse=True)
    del codes
    pairs = trigram.astype(np.int64) * len(skeletons) + rows
    del trigram, rows
    pairs.sort()
    starts = np.searchsorted(pairs, np.arange(len(vocabulary) + 1, dtype=np.int64) * len(skeletons))
    postings = (pairs % max(1, len(skeletons))).astype(np.int32)
    del pairs
    encoded = [word.encode() for word in skeletons]
    text_starts = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(word) for word in encoded], out=text_starts[1:])
    return {
        "vocabulary": vocabulary.astype(np.uint64),
        "starts": starts,
        "postings": postings.astype(np.int32),
        "sizes": sizes,
        "size_starts_at": size_starts_at.astype(np.int32),
        "size_starts": np.append(size_starts, len(skeletons)).astype(np.int64),
        "text_starts": text_starts,
        "text": np.frombuffer(b"".join(encoded), dtype=np.uint8),
        "sounds": sounds,
        "sound_starts": sound_starts,
        "sounded": sounded,
        "words": fewest,
    }


def _sound_map(sounds: list[str], ids: np.ndarray) -> tuple[np.ndarray, ...]:
    """Sound keys (sorted, as fixed-width bytes) and, for each, the ids of the skeletons of
    marks with that sound."""
    keys = np.array([sound.encode() for sound in sounds] or [b""], dtype=bytes)[: len(sounds)]
    order = np.lexsort((ids, keys))
    keys, ids = keys[order], ids[order]
    unique, starts = np.unique(keys, return_index=True)
    return unique, np.append(starts, len(keys)).astype(np.int64), ids.astype(np.int32)


def _identity(cursor) -> dict:
    """What the file is built from: a TRUNCATE or VACUUM FULL gives the table a new file
    node, and ids start again."""
    cursor.execute(
        "SELECT current_database(), pg_relation_filenode('reviews_referencemark'::regclass)"
    )
    database, filenode = cursor.fetchone()
    return {"database": database, "filenode": int(filenode)}


def _write(path: Path, meta: dict, arrays: dict[str, np.ndarray]) -> int:
    layout, offset = {}, 0
    for name, array in arrays.items():
        layout[name] = {"dtype": array.dtype.str, "length": len(array), "offset": offset}
        offset += -(-array.nbytes // ALIGN) * ALIGN
    header = json.dumps({**meta, "arrays": layout}).encode()
    start = -(-(len(MAGIC) + 8 + len(header)) // ALIGN) * ALIGN
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    with partial.open("wb") as stream:
        stream.write(MAGIC + len(header).to_bytes(8, "little") + header)
        for name, array in arrays.items():
            stream.seek(start + layout[name]["offset"])
            stream.write(np.ascontiguousarray(array).tobytes())
        stream.truncate(start + offset)
        stream.flush()
        os.fsync(stream.fileno())
    os.replace(partial, path)
    return start + offset


def least_shared(q: int, sizes: np.ndarray, threshold: float) -> np.ndarray:
    """For skeletons of each of ``sizes`` trigrams, the fewest of a key's ``q`` trigrams they
    must share to reach ``threshold`` as pg_trgm computes similarity; q + 1 where none do."""
    shared = np.arange(1, q + 1)
    m = np.asarray(sizes, dtype=np.int64)[:, None]
    similarity = shared.astype(np.float32) / (q + m - shared).astype(np.float32)
    reach = (similarity.astype(np.float64) >= threshold) & (shared <= m)
    return np.where(reach.any(axis=1), reach.argmax(axis=1) + 1, q + 1)


class TrigramIndex:
    """One index file, mapped read-only."""

    def __init__(self, path: Path) -> None:
        with path.open("rb") as stream:
            if stream.read(len(MAGIC)) != MAGIC:
                raise ValueError(f"{path}: not a trigram index in this version's format")
            size = int.from_bytes(stream.read(8), "little")
            header = json.loads(stream.read(size))
        start = -(-(len(MAGIC) + 8 + size) // ALIGN) * ALIGN
        self.through_id: int = header["through_id"]
        self.identity: dict = header["identity"]
        self.built_at: float = header["built_at"]
        arrays = {}
        for name, place in header["arrays"].items():
            # Plain arrays over the mapping: memmap's own indexing costs microseconds a call.
            arrays[name] = (
                np.memmap(path, dtype=np.dtype(place["dtype"]), mode="r",
                          offset=start + place["offset"], shape=(place["length"],)
                          ).view(np.ndarray)
                if place["length"] else np.zeros(0, dtype=np.dtype(place["dtype"]))
            )  # fmt: skip
        self.vocabulary = arrays["vocabulary"]
        self.starts = arrays["starts"]
        self.postings = arrays["postings"]
        self.sizes = arrays["sizes"]
        # The first id of each trigram count present, and that count: ids go by count.
        self.size_starts = arrays["size_starts"]
        self.size_starts_at = arrays["size_starts_at"]
        self.text_starts = arrays["text_starts"]
        self.text = arrays["text"]
        self.sounds = arrays["sounds"]
        self.sound_starts = arrays["sound_starts"]
        self.sounded = arrays["sounded"]
        # By skeleton id: the fewest words its marks' names may be read as (WORDS_).
        self.words = arrays["words"]

    def _places(self, codes: list[int], bounds: np.ndarray) -> np.ndarray:
        """For each trigram, where in ``postings`` its list reaches each of ``bounds`` (ids);
        a trigram no skeleton holds has an empty list."""
        codes = np.array(codes, dtype=np.uint64)
        at = np.searchsorted(self.vocabulary, codes) % len(self.vocabulary)
        known = self.vocabulary[at] == codes
        begins = np.where(known, self.starts[at], 0).tolist()
        ends = np.where(known, self.starts[at + 1], 0).tolist()
        return np.array(
            [begin + np.searchsorted(self.postings[begin:end], bounds)
             for begin, end in zip(begins, ends, strict=True)]
        )  # fmt: skip

    def similar(self, key: str, threshold: float) -> np.ndarray:
        """Ids of the skeletons whose pg_trgm similarity to ``key`` is at least ``threshold``."""
        codes = trigram_codes(key)
        q = len(codes)
        none = np.zeros(0, dtype=np.int32)
        if not q:
            return none
        # similarity = c / (q + m - c) <= min(q, m) / max(q, m) bounds the skeleton's own
        # count m (the small allowances keep a product like 0.45 * 20 from rounding past 9);
        # within the bounds, each m needs its own count of shared trigrams.
        low = int(np.searchsorted(self.size_starts_at, max(1, ceil(threshold * q - 1e-9))))
        high = int(np.searchsorted(self.size_starts_at, floor(q / threshold + 1e-9) + 1))
        needed = least_shared(q, self.size_starts_at[low:high], threshold)
        fits = np.flatnonzero(needed <= q)
        if not len(fits):
            return none
        needed = needed[fits[0] : fits[-1] + 1]
        # Ids go by trigram count: the skeletons of each size are one range of ids.
        bounds = self.size_starts[low + fits[0] : low + fits[-1] + 2]
        at = self._places(codes, bounds)
        lengths = np.diff(at, axis=1)
        # Prefix filtering, size by size: a skeleton sharing c of the key's q trigrams is in
        # one of any q - c + 1 of their lists, so only the shortest that many are read for
        # each size (fewer for bigger skeletons, which need more in common). Lists sparse
        # among a size's ids are read too: they are cheap, and the more lists are counted,
        # the fewer candidates are left to look up in the others.
        rank = np.argsort(np.argsort(lengths, axis=0, kind="stable"), axis=0, kind="stable")
        read = (rank <= q - needed) | (lengths * SPARSE_LIST <= np.diff(bounds))
        # Enough in common to reach the size's count with every list left unread.
        done = read.sum(axis=0)
        candidates, shared = self._counted(at, read, bounds, np.maximum(needed - q + done, 1))
        size = np.searchsorted(bounds, candidates, side="right") - 1
        need, done = needed[size], done[size]
        # The other lists are looked up for the candidates, shortest first; a candidate
        # that can no longer reach its count is dropped at once.
        for j in np.argsort(lengths.sum(axis=1), kind="stable").tolist():
            looked = ~read[j][size]
            if not looked.any():
                continue
            posting = self.postings[at[j, 0] : at[j, -1]]
            if len(posting):
                wanted = candidates[looked]
                place = np.searchsorted(posting, wanted)
                place[place == len(posting)] = 0
                shared[looked] += posting[place] == wanted
            done += looked
            enough = shared + q - done >= need
            if not enough.all():
                candidates, shared, size, need, done = (
                    candidates[enough],
                    shared[enough],
                    size[enough],
                    need[enough],
                    done[enough],
                )
        sizes = self.sizes[candidates]
        # As pg_trgm: count / (len1 + len2 - count) in single precision, compared in double.
        similarity = shared.astype(np.float32) / (q + sizes - shared).astype(np.float32)
        return candidates[similarity.astype(np.float64) >= threshold]

    def _counted(
        self, at: np.ndarray, read: np.ndarray, bounds: np.ndarray, least: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """The ids in at least ``least`` (by size) of the parts of the lists that are read
        (``read``: list by size), and in how many of them each is: counted in an array over
        the range of ids, which costs less than sorting them even when they are few."""
        parts = []
        for places, sizes in zip(at, read, strict=True):
            # The sizes a list is read for, as runs of consecutive sizes.
            edges = np.flatnonzero(np.diff(sizes, prepend=False, append=False))
            runs = places[edges].reshape(-1, 2).tolist()
            parts += [self.postings[begin:end] for begin, end in runs]
        first, last = int(bounds[0]), int(bounds[-1])
        counts = np.zeros(last - first, dtype=np.uint8 if len(at) < 256 else np.uint16)
        for part in parts:
            counts[part - first] += 1
        found = [
            np.flatnonzero(counts[begin - first : end - first] >= count) + begin
            for begin, end, count in zip(
                bounds[:-1].tolist(), bounds[1:].tolist(), least.tolist(), strict=True
            )
        ]
        candidates = np.concatenate(found).astype(np.int32)
        return candidates, counts[candidates - first].astype(np.int32)

    def sounding(self, sound: str) -> np.ndarray:
        """Ids of the skeletons of marks whose sound key is ``sound``."""
        key = sound.encode()
        at = int(np.searchsorted(self.sounds, key))
        if at == len(self.sounds) or self.sounds[at] != key:
            return self.sounded[:0]
        return self.sounded[int(self.sound_starts[at]) : int(self.sound_starts[at + 1])]

    def skeletons(self, ids: np.ndarray) -> list[str]:
        text, starts = self.text, self.text_starts
        return [bytes(text[int(starts[i]) : int(starts[i + 1])]).decode() for i in ids.tolist()]

    def kept(self, ids: np.ndarray, keep: "Keep | None") -> list[str]:
        """The skeletons of ``ids`` that ``keep`` keeps, and those with names of fewer words
        than it judges whatever it says."""
        words = self.skeletons(ids)
        if keep is None:
            return words
        whole = (self.words[ids] < keep.words).tolist()
        return [word for word, fewer in zip(words, whole, strict=True) if fewer or keep.test(word)]


class Keep(NamedTuple):
    """A test of skeletons, for the marks whose names may be read as no fewer than ``words``
    words (WORDS_)."""

    test: Callable[[str], bool]
    words: int


@dataclass(frozen=True)
class Found:
    """Among the indexed marks: the skeletons similar to the keys, and those of marks with
    the sound keys; the largest id indexed (marks above it are searched without the file) and
    the table's file node when it was built."""

    skeletons: list[str]
    sounding: list[str]
    through_id: int
    filenode: int


def similar_skeletons(
    keys: list[str],
    sounds: list[str],
    threshold: float,
    keep: Keep | None = None,
) -> Found | None:
    """The indexed skeletons ``%`` would find for any of ``keys``, and those of marks with any
    of ``sounds``, less those ``keep`` turns down; None without a usable index (none built,
    built from another database, or not readable)."""
    index = _opened()
    if index is None:
        return None
    none = np.zeros(0, dtype=np.int32)
    similar = np.unique(np.concatenate([none, *(index.similar(key, threshold) for key in keys)]))
    sounding = np.unique(np.concatenate([none, *map(index.sounding, sounds)]))
    return Found(
        index.kept(similar, keep),
        index.kept(sounding, keep),
        index.through_id,
        index.identity["filenode"],
    )


def _opened() -> "TrigramIndex | None":
    if connection.vendor != "postgresql":
        return None
    path = Path(settings.SIMILARITY_INDEX_PATH)
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    try:
        index = _open(str(path), stat.st_ino, stat.st_mtime_ns)
    except (OSError, ValueError):
        # The search goes on with PostgreSQL's trigram index; the nightly build writes the
        # file again.
        logger.warning("similarity index file %s unusable", path, exc_info=True)
        return None
    if index.identity["database"] != connection.settings_dict["NAME"]:
        return None
    return index


@lru_cache(maxsize=2)
def _open(path: str, inode: int, modified: int) -> TrigramIndex:
    # Keyed by inode and time: a rebuilt file (a new inode) is opened again, and the old
    # mapping goes once no search holds it.
    return TrigramIndex(Path(path))
