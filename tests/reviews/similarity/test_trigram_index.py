"""The marks' trigram index file: it finds what pg_trgm's % finds, and marks added since it
was built are found at once."""

import io
import json

import numpy as np
import pytest
from django.core.management import call_command
from django.db import connection

from bench.names import NameMaker
from reviews.checks import brand_similarity
from reviews.models import ReferenceMark
from reviews.screening.runs import screening_start
from reviews.similarity import SYMBOLS_READ_AS_LETTERS, skeleton, sound_key, trigrams
from reviews.similarity.labelled import CONFUSABLE, DISTINCT
from reviews.similarity.trigrams import TrigramIndex, index_build, least_shared, similar_skeletons
from reviews.tasks import similarity_index_build
from sellers.workflow.transition import application_transition
from tests.sellers.factories import ApplicationFactory

THRESHOLD = brand_similarity.CANDIDATE_SIMILARITY


def _marks(names) -> None:
    ReferenceMark.objects.bulk_create(
        ReferenceMark(
            kind=ReferenceMark.Kind.PROGRAM_BRAND, name=name, owner=f"Holder of {name}",
            source="test", list_version="test", skeleton=skeleton(name), sound_key=sound_key(name),
        )
        for name in dict.fromkeys(names)
    )  # fmt: skip


def _pg_trgm(key: str, threshold: float = THRESHOLD) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.similarity_threshold', %s, true); "
            "SELECT DISTINCT skeleton FROM reviews_referencemark WHERE skeleton %% %s",
            [str(threshold), key],
        )
        cursor.nextset()
        return {row[0] for row in cursor.fetchall()}


def _searches(names: list[str], settings) -> list:
    """Each name searched with the file, then with PostgreSQL's trigram index alone."""
    indexed = [brand_similarity.similar_marks_find([name]) for name in names]
    settings.SIMILARITY_INDEX_PATH = settings.SIMILARITY_INDEX_PATH.with_name("none.trgm")
    return indexed, [brand_similarity.similar_marks_find([name]) for name in names]


def test_the_file_finds_the_skeletons_pg_trgm_finds(db, settings):
    maker = NameMaker(7)
    made = [maker.name() for _ in range(3000)]
    _marks(made)
    index_build()
    index = TrigramIndex(settings.SIMILARITY_INDEX_PATH)
    keys = [key for key in map(skeleton, made[:400]) if len(key) > 4]

    found = {key: set(index.skeletons(index.similar(key, THRESHOLD))) for key in keys}

    assert found == {key: _pg_trgm(key) for key in keys}
    # Similarity exactly at the threshold, which pg_trgm's single precision leaves out (9 / 20
    # is 0.44999999 as a float4): of the key's 19 trigrams, "abcdefghj" shares 9 of its 10,
    # "abcdefghjk" 10 of its 11.
    _marks(["abcdefghj", "abcdefghjk"])
    index_build()
    index = TrigramIndex(settings.SIMILARITY_INDEX_PATH)
    key = "abcdefghjkmnopqrst"
    found = set(index.skeletons(index.similar(key, THRESHOLD)))
    assert (found, _pg_trgm(key)) == ({"abcdefghjk"}, {"abcdefghjk"})


# Every list read, only the prefix filter's read and the rest looked up, and the service's mix.
@pytest.mark.parametrize("sparse_list", [10**9, 1, trigrams.SPARSE_LIST])
@pytest.mark.parametrize("threshold", [0.3, 0.6])
def test_the_file_finds_what_pg_trgm_finds_at_any_threshold_however_lists_are_read(
    db, settings, monkeypatch, threshold, sparse_list
):
    monkeypatch.setattr(trigrams, "SPARSE_LIST", sparse_list)
    maker = NameMaker(11)
    made = [maker.name() for _ in range(1500)]
    _marks(made)
    index_build()
    index = TrigramIndex(settings.SIMILARITY_INDEX_PATH)
    keys = [key for key in map(skeleton, made[:150]) if key]

    found = {key: set(index.skeletons(index.similar(key, threshold))) for key in keys}

    assert found == {key: _pg_trgm(key, threshold) for key in keys}


def test_the_shared_trigrams_each_size_needs_are_counted_as_pg_trgm_computes():
    # Of 19 trigrams, a skeleton of 10 sharing 9 is at 9 / 20, below 0.45 in single precision
    # (0.44999999): it needs 10, as one of 11 does (9 / 21 is too few, 10 / 20 enough).
    assert least_shared(19, [10, 11, 22, 42], 0.45).tolist() == [10, 10, 13, 19]
    # Exactly at the threshold where single precision holds it: 1 / 2.
    assert least_shared(2, [2, 4], 0.5).tolist() == [2, 2]
    # No count of shared trigrams brings 20 to 4 trigrams' 0.45.
    assert least_shared(4, [20], 0.45).tolist() == [5]


def test_the_check_finds_the_same_marks_with_the_file_on_the_labelled_pairs(db, settings):
    _marks(mark for _brand, mark in CONFUSABLE + DISTINCT)
    index_build()
    brands = list(dict.fromkeys(brand for brand, _mark in CONFUSABLE + DISTINCT))
    assert similar_skeletons([skeleton(brands[0])], [], THRESHOLD) is not None

    indexed, searched = _searches(brands, settings)

    assert indexed == searched
    assert sum(len(search.matches) for search in indexed) >= len(CONFUSABLE)


def test_a_program_brand_added_after_the_build_is_found_at_once(seller_a, seller_b, settings):
    _marks(["Harborline", "Lumibright"])
    built = index_build()
    first = ApplicationFactory(company=seller_b.company, brand__name="Harborlux")
    application_transition(application_id=first.pk, action="submit", actor=seller_b.actor)
    screening_start(application_id=first.pk)
    added = ReferenceMark.objects.get(name="Harborlux")

    search = brand_similarity.similar_marks_find(["Harb0lux"])

    assert added.pk > built.through_id
    assert "harborlux" not in similar_skeletons(["harb0lux"], [], THRESHOLD).skeletons
    assert [mark.name for _match, mark in search.matches] == ["Harborlux"]
    # Built again, the file holds it.
    again = index_build()
    assert again.through_id == added.pk
    assert similar_skeletons(["harbolux"], [], THRESHOLD).skeletons == ["harborlux"]
    assert [
        mark.name for _match, mark in brand_similarity.similar_marks_find(["Harb0lux"]).matches
    ] == ["Harborlux"]


def test_a_table_emptied_since_the_build_is_searched_without_the_file(db, settings):
    _marks(["Harborline", "Lumibright"])
    index_build()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE reviews_referencemark RESTART IDENTITY")
    # Ids start again: the new mark's id is below the largest the file holds.
    _marks(["Harborlux"])

    search = brand_similarity.similar_marks_find(["Harb0lux"])

    assert [mark.name for _match, mark in search.matches] == ["Harborlux"]


def test_similarity_index_build_writes_the_file_and_says_what_it_holds(db, settings):
    _marks(["Harborlux", "Harborline", "Lumibright"])
    out = io.StringIO()

    call_command("similarity_index_build", stdout=out)

    summary = json.loads(out.getvalue())
    assert summary | {"bytes": 0, "seconds": 0, "trigrams": 0} == {
        "path": str(settings.SIMILARITY_INDEX_PATH),
        "skeletons": ReferenceMark.objects.values("skeleton").distinct().count(),
        "trigrams": 0,
        "through_id": ReferenceMark.objects.order_by("-pk").first().pk,
        "bytes": 0,
        "seconds": 0,
    }
    assert settings.SIMILARITY_INDEX_PATH.stat().st_size == summary["bytes"]
    assert similar_skeletons(["harbolux"], [], THRESHOLD).skeletons == ["harborlux"]


def test_a_mark_that_only_sounds_alike_comes_through_the_file(db, settings):
    _marks(["Lumibright", "Lumiere Home", "Brightly"])
    index_build()

    found = similar_skeletons(["lumeebrlte"], ["LMBRT"], THRESHOLD)
    search = brand_similarity.similar_marks_find(["Lumeebrite"])

    # Too few trigrams in common for %: the sound key brings it.
    assert (found.skeletons, found.sounding) == ([], ["lumlbrlght"])
    assert [mark.name for _match, mark in search.matches] == ["Lumibright"]


def test_the_nightly_task_writes_the_file(db, settings):
    _marks(["Harborlux"])

    similarity_index_build()

    assert similar_skeletons(["harbolux"], [], THRESHOLD).skeletons == ["harborlux"]


def test_marks_whose_skeletons_cannot_match_are_not_read(db, settings):
    # All four are similar enough for %; the long run of o's is spelled too far from
    # "Harbolum" to match, but a sign in a name reads as a letter its skeleton does not show.
    _marks(["Harborlum", "Harbooooooooolum", "Harbooooooooolum$", "Harb@ooooooooolum"])
    index_build()
    prefilter = brand_similarity._Prefilter(["Harbolum"])

    everything = similar_skeletons(["harbolum"], [], THRESHOLD)
    kept = similar_skeletons(["harbolum"], [], THRESHOLD, prefilter.by_skeleton())
    rows = brand_similarity._candidates(["Harbolum"], prefilter.by_skeleton())

    assert sorted(everything.skeletons) == [
        "harbaooooooooolum", "harbooooooooolum", "harbooooooooolums", "harborlum"
    ]  # fmt: skip
    assert sorted(kept.skeletons) == ["harbaooooooooolum", "harbooooooooolums", "harborlum"]
    assert sorted(
        row[brand_similarity.NAME]
        for row in rows
        if row[brand_similarity.KIND] == ReferenceMark.Kind.PROGRAM_BRAND
    ) == [
        "Harb@ooooooooolum", "Harbooooooooolum$", "Harborlum"
    ]  # fmt: skip
    indexed, searched = _searches(["Harbolum"], settings)
    assert indexed == searched
    assert [mark.name for _match, mark in indexed[0].matches] == ["Harborlum"]


def test_for_names_of_several_words_only_plain_marks_are_judged_by_skeleton(db, settings):
    # "Harbo" is one of the name's words. A name of two words is not among two, and of the
    # three spelled too far from "Harbo Lum", only the one word with a full stop may be a
    # word that is not its skeleton.
    _marks(["Harborlum", "Harbooooooooolum", "Harbooooooooolum X", "Harbooooooooolumz.", "Harbo"])
    index_build()
    keep = brand_similarity._Prefilter(["Harbo Lum"]).by_skeleton()

    kept = similar_skeletons(["harbolum"], [], THRESHOLD, keep)

    assert sorted(kept.skeletons) == ["harbo", "harbooooooooolumz", "harborlum"]
    indexed, searched = _searches(["Harbo Lum"], settings)
    assert indexed == searched
    assert [mark.name for _match, mark in indexed[0].matches] == ["Harborlum", "Harbo"]


def test_a_symbol_in_the_name_reads_every_similar_mark():
    # "$" reads as a letter: any mark may be spelled as the name reads.
    assert brand_similarity._Prefilter(["Harb$lum"]).by_skeleton() is None


def test_a_file_in_another_format_is_searched_without(db, settings, caplog):
    _marks(["Harborlux", "Harborline"])
    index_build()
    path = settings.SIMILARITY_INDEX_PATH
    written = path.read_bytes()
    path.write_bytes(b"BPTRGM01" + written[len(trigrams.MAGIC) :])

    search = brand_similarity.similar_marks_find(["Harb0lux"])

    assert similar_skeletons(["harbolux"], [], THRESHOLD) is None
    assert [mark.name for _match, mark in search.matches] == ["Harborlux"]
    assert "unusable" in caplog.text


def test_the_file_counts_the_words_of_names_as_the_check_splits_them(db, settings):
    maker = NameMaker(13)
    made = [maker.name() for _ in range(2000)]
    made += ["Harbo-Lum", "Harbo_Lum", "  Lum  ", "A.B.C", "Lum!", "Lum\tHome", "Lum.", "Lüm",
             "Harbo Lum Home", "Harbolum", "$tar Lum", "L|um"]  # fmt: skip
    _marks(made)
    index_build()
    index = TrigramIndex(settings.SIMILARITY_INDEX_PATH)

    def fewest(name: str) -> int:
        if SYMBOLS_READ_AS_LETTERS & set(name):
            return trigrams.WORDS_SIGNED
        if not name.isascii():
            return 1
        if set(name) <= set(trigrams.PLAIN):
            return trigrams.WORDS_PLAIN
        return max(1, len([word for word in brand_similarity.WORD_BREAK.split(name) if word]))

    expected = {}
    # The well-known list is in the table too.
    for name, key in ReferenceMark.objects.values_list("name", "skeleton"):
        expected[key] = min(expected.get(key, trigrams.WORDS_PLAIN), fewest(name))
    ids = np.arange(len(index.sizes))
    found = dict(zip(index.skeletons(ids), index.words[ids].tolist(), strict=True))
    assert found == expected
    assert {found[skeleton(name)] for name in ("Harbo-Lum", "Lum.", "Lüm", "L|um")} == {0, 1, 2}
