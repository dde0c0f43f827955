"""Brand-name similarity: the scoring on labelled pairs, the check, and the reference list."""

import io
import json
import random

import jellyfish
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from reviews import similarity
from reviews.checks import brand_similarity
from reviews.models import ReferenceMark
from reviews.screening.runs import screening_start
from reviews.similarity import Match, compare, skeleton, sound_key, spelling
from reviews.similarity.labelled import CONFUSABLE, DISTINCT, labelled_scores
from reviews.similarity.marks import read_well_known
from sellers.workflow.transition import application_transition
from tests.sellers.factories import ApplicationFactory


def test_labelled_pairs_cover_enough_cases():
    pairs = CONFUSABLE + DISTINCT

    assert (len(pairs) >= 400, len(CONFUSABLE) >= 150, len(DISTINCT) >= 150) == (True,) * 3
    assert len(set(pairs)) == len(pairs)


def test_scoring_reaches_the_wanted_precision_and_recall():
    scores = labelled_scores()

    assert (scores.precision >= 0.97, scores.recall >= 0.97) == (True, True), scores


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("S\u0430msung", "samsung"),
        ("L0G1-TECH", "logltech"),
        ("Sarnsung", "samsung"),
        ("小米", "xlaoml"),
        ("\uff2e\uff29\uff2b\uff25", "nlke"),
    ],
)
def test_skeleton_reads_names_as_a_shopper_sees_them(name, expected):
    assert skeleton(name) == expected


def said(match: Match | None) -> tuple | None:
    """A match with its reasons in English words, as a reviewer reads them in English."""
    return None if match is None else (match.score, tuple(map(str, match.reasons)))


def test_short_names_match_when_they_read_the_same_or_double_a_letter():
    assert (compare("K1A", "Kia").score, said(compare("Kiaa", "Kia")), compare("Kid", "Kia")) == (
        100,
        (86, ("one letter away from “Kia”: the letter “a” doubled",)),
        None,
    )


@pytest.mark.parametrize(
    ("brand", "mark", "expected"),
    [
        ("Nikee", "Nike", (89, ("one letter away from “Nike”: the letter “e” doubled",))),
        ("Nikes", "Nike", (89, ("one letter away from “Nike”: the letter “s” added",))),
        ("Sonny", "Sony", (89, ("one letter away from “Sony”: the letter “n” doubled",))),
        ("Pumma", "Puma", (89, ("one letter away from “Puma”: the letter “m” doubled",))),
        ("Nyke", "Nike", (75, ("one letter away from “Nike”: “y” written for “i”",))),
        ("Nkie", "Nike", (75, ("one letter away from “Nike”: the letters “ik” swapped",))),
        ("Chamel", "Chanel", (83, ("one letter away from “Chanel”: “m” written for “n”",))),
        ("Rolez", "Rolex", (80, ("one letter away from “Rolex”: “z” written for “x”",))),
        ("Guci", "Gucci", (89, ("one letter away from “Gucci”: the letter “c” left out",))),
    ],
)
def test_one_letter_edits_of_short_and_medium_marks_match(brand, mark, expected):
    assert said(compare(brand, mark)) == expected


@pytest.mark.parametrize(
    ("brand", "mark"),
    [
        ("Nine", "Nike"), ("Mike", "Nike"), ("Logo", "Lego"), ("Love", "Dove"),
        ("Sofy", "Sony"), ("Sany", "Sony"), ("Tony", "Sony"), ("Fans", "Vans"),
        ("Papers", "Pampers"), ("Brain", "Braun"), ("Banker", "Anker"), ("Craft", "Kraft"),
        ("Nixon", "Nikon"), ("Van", "Vans"),
    ],
)  # fmt: skip
def test_ordinary_words_and_other_brands_one_letter_away_do_not_match(brand, mark):
    assert compare(brand, mark) is None


@pytest.mark.parametrize(
    ("brand", "mark", "spelled"),
    [
        ("Logitek", "Logitech", "logltek"),
        ("Vanz", "Vans", "vans"),
        ("Koka-Kola", "Coca-Cola", "kokakola"),
        ("Sisko", "Cisco", "slsko"),
    ],
)
def test_spellings_that_sound_alike_match(brand, mark, spelled):
    match = compare(brand, mark)

    assert said(match)[1] == (
        f"written as it sounds: “{brand}” and “{mark}” both read “{spelled}”",
    )
    assert spelling(brand) == spelling(mark) == spelled


def test_a_name_reversed_by_a_direction_override_matches_as_displayed():
    match = compare("\u202eEKIN", "Nike")

    assert said(match) == (
        100,
        (
            "displayed as “NIKE”: direction controls reverse the stored letters",
            "the same name once case, spacing and punctuation are ignored",
        ),
    )


@pytest.mark.parametrize(
    ("brand", "mark", "score"),
    [("Sam\u200bsung Home", "Samsung", 90), ("Ni\u200dke", "Nike", 100),
     ("\u2067Gucci\u2069", "Gucci", 100), ("Pra\u00adda", "Prada", 100)],
)  # fmt: skip
def test_zero_width_and_isolating_characters_are_ignored(brand, mark, score):
    assert compare(brand, mark).score == score


def test_sound_alike_names_say_so():
    match = compare("Huawai", "Huawei")

    assert said(match) == (
        83,
        ("sounds the same (key HW) and is spelled alike (83 of 100)",),
    )


def test_the_shipped_list_is_versioned_and_sourced():
    version, rows = read_well_known()

    assert version == "2026.12"
    assert len(rows) >= 200
    assert all(row["source"] and row["owner"] for row in rows)


def test_migrations_load_the_list_and_index_it(db):
    if connection.vendor != "postgresql":
        pytest.skip("the trigram index exists on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'reference_mark_skeleton_trgm'"
        )
        (definition,) = cursor.fetchone()

    assert "USING gin (skeleton gin_trgm_ops)" in definition
    assert ReferenceMark.objects.filter(kind="well_known").count() == len(read_well_known()[1])


def test_similarity_check_fails_a_famous_mark_in_disguise(seller_a):
    application = ApplicationFactory(company=seller_a.company, brand__name="\u0405amsung Home")

    finding = brand_similarity.run(application)

    assert (finding.outcome, finding.data_version) == ("fail", "2026.12")
    assert finding.explanation == (
        "“\u0405amsung Home” is close to 1 mark(s) owned by others. “Samsung” (well-known "
        "mark, Samsung Electronics Co., Ltd.): score 90, contains the mark as a word of its "
        "own (“Samsung”)."
    )
    assert finding.evidence["closest"][0] | {"why": None} == {
        "mark": "Samsung",
        "owner": "Samsung Electronics Co., Ltd.",
        "kind": "well_known",
        "score": 90,
        "why": None,
        "source": "WIPO Global Brand Database",
    }


def test_similarity_check_reads_the_chinese_name_too(seller_a):
    application = ApplicationFactory(
        company=seller_a.company, brand__name="Millet Home", brand__native_name="小米"
    )

    finding = brand_similarity.run(application)

    assert finding.outcome == "fail"
    assert finding.evidence["closest"][0]["mark"] == "Xiaomi"


def test_similarity_check_passes_an_original_name(seller_a):
    application = ApplicationFactory(company=seller_a.company, brand__name="Lumibright")

    finding = brand_similarity.run(application)

    assert (finding.outcome, finding.evidence["closest"]) == ("pass", [])


def test_the_owner_of_a_well_known_mark_may_use_it(seller_a):
    seller_a.company.legal_name = "Xiaomi Inc."
    seller_a.company.save()
    application = ApplicationFactory(company=seller_a.company, brand__name="Xiaomi")

    assert brand_similarity.run(application).outcome == "pass"


def test_a_brand_close_to_another_program_brand_warns(seller_a, seller_b):
    first = ApplicationFactory(company=seller_b.company, brand__name="Harborlux")
    application_transition(application_id=first.pk, action="submit", actor=seller_b.actor)
    screening_start(application_id=first.pk)
    application = ApplicationFactory(company=seller_a.company, brand__name="Harb0lux")

    finding = brand_similarity.run(application)

    assert finding.outcome == "warn"
    assert finding.evidence["closest"][0] | {"why": None} == {
        "mark": "Harborlux",
        "owner": "Ningbo Harbor Housewares Co., Ltd.",
        "kind": "program_brand",
        "score": 94,
        "why": None,
        "source": f"application #{first.pk}",
    }


def test_without_the_list_the_check_cannot_verify(seller_a):
    ReferenceMark.objects.filter(kind="well_known").delete()
    application = ApplicationFactory(company=seller_a.company)

    finding = brand_similarity.run(application)

    assert (finding.outcome, finding.explanation) == (
        "unverifiable",
        "The list of well-known marks is not loaded; run manage.py load_reference_marks.",
    )


def test_loading_a_new_list_version_replaces_the_old(db, tmp_path):
    path = tmp_path / "marks.csv"
    path.write_text(
        "# version: 2027.01\nmark,owner,source\nLumix,Panasonic Holdings Corporation,"
        "WIPO Global Brand Database\n",
        encoding="utf-8",
    )
    out = io.StringIO()

    call_command("load_reference_marks", str(path), stdout=out)

    assert json.loads(out.getvalue()) == {"loaded": 1, "version": "2027.01"}
    assert list(ReferenceMark.objects.filter(kind="well_known").values_list(
        "name", "list_version", "skeleton", "sound_key"
    )) == [("Lumix", "2027.01", "lumlx", sound_key("Lumix"))]  # fmt: skip


def test_a_list_without_a_version_is_refused(db, tmp_path):
    path = tmp_path / "marks.csv"
    path.write_text("mark,owner,source\nLumix,Panasonic,WIPO\n", encoding="utf-8")

    with pytest.raises(CommandError, match="no '# version:' line"):
        call_command("load_reference_marks", str(path), stdout=io.StringIO())
    assert ReferenceMark.objects.filter(kind="well_known").count() >= 200


def test_the_2026_12_list_migration_loads_the_new_marks_and_reverses_to_2026_11(db):
    # Inside the test's transaction: PostgreSQL rolls the schema steps back with the rows.
    _, rows = read_well_known()
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("reviews")

    executor.migrate([("reviews", "0011_registry_mark_details")])
    before = ReferenceMark.objects.filter(kind="well_known")
    reversed_marks = (before.count(), set(before.values_list("list_version", flat=True)))
    reversed_names = set(before.values_list("name", flat=True))
    MigrationExecutor(connection).migrate(latest)
    after = ReferenceMark.objects.filter(kind="well_known")

    assert reversed_marks == (len(rows) - 85, {"2026.11"})
    assert {"Michael Kors", "Lululemon", "Olaplex", "SanDisk"}.isdisjoint(reversed_names)
    assert (after.count(), set(after.values_list("list_version", flat=True))) == (
        len(rows),
        {"2026.12"},
    )
    assert after.filter(name="Lululemon", owner="Lululemon Athletica Canada Inc.").exists()


def test_ascii_names_read_as_the_full_reading_reads_them():
    pick = random.Random(3)  # noqa: S311 - test data, not cryptography
    names = ["".join(chr(pick.randrange(128)) for _ in range(pick.randint(0, 12)))
             for _ in range(20000)]  # fmt: skip
    names += ["Rolex", "L0g1tech", "$amsung", "C|!@n", "A_B-c d"]

    assert [similarity._letters(name) for name in names] == list(map(similarity._read, names))
    # The search sends the skeletons it looks up as one string split on spaces.
    assert not any(" " in similarity.skeleton(name) for name in [*names, "Xin Xiang 鑫 翔"])
    assert [similarity.normalize(name) for name in names] == list(
        map(similarity._normalized, names)
    )
    assert [similarity.sound_key(name) for name in names] == [
        jellyfish.metaphone(letters) if letters else ""
        for letters in map(similarity._sounded_letters, names)
    ]
