"""The similarity search at scale: what it skips before the full comparison loses no match."""

import pytest

from reviews.checks import brand_similarity
from reviews.models import ReferenceMark
from reviews.similarity import SOUND_ALIKE_RATIO, compare, skeleton, sound_key
from reviews.similarity.labelled import CONFUSABLE, DISTINCT
from tests.sellers.factories import ApplicationFactory


def _mark(name: str, owner: str = "") -> ReferenceMark:
    return ReferenceMark(
        kind=ReferenceMark.Kind.PROGRAM_BRAND,
        name=name,
        owner=owner or f"Holder of {name}",
        source="test",
        list_version="test",
        skeleton=skeleton(name),
        sound_key=sound_key(name),
    )


@pytest.mark.parametrize(("brand", "mark"), CONFUSABLE + DISTINCT)
def test_every_pair_compare_matches_passes_the_prefilter(brand, mark):
    kept = brand_similarity._Prefilter([brand])(mark, skeleton(mark))

    assert kept or compare(brand, mark) is None


def test_a_mark_compare_rounds_up_to_sound_alike_passes_the_prefilter():
    # Spelled 69.6 of 100 alike, which compare() rounds to 70, and sounding the same.
    assert compare("Harbolum", "Harboooooooolum").score == SOUND_ALIKE_RATIO

    assert brand_similarity._Prefilter(["Harbolum"])("Harboooooooolum", "harboooooooolum")


def test_the_prefilter_skips_names_that_share_only_letters():
    worth_comparing = brand_similarity._Prefilter(["Keebrem"])

    skipped = [
        name
        for name in ("Zouhifeexo", "Breesheazemex", "Kemberly")
        if not worth_comparing(name, skeleton(name))
    ]
    assert skipped == ["Zouhifeexo", "Breesheazemex", "Kemberly"]
    assert worth_comparing("Keebrem", skeleton("Keebrem"))
    assert worth_comparing("K33brem", skeleton("K33brem"))


def test_the_check_finds_a_lookalike_among_many_program_brands(seller_a):
    decoys = [f"{stem}{suffix}" for stem in ("Harbor", "Harper", "Lux", "Harb") for suffix in
              ("lite", "ware", "home", "max", "one", "ora")]  # fmt: skip
    ReferenceMark.objects.bulk_create([_mark(name) for name in [*decoys, "Harborlux"]])
    application = ApplicationFactory(company=seller_a.company, brand__name="Harb0lux")

    finding = brand_similarity.run(application)

    assert finding.outcome == "warn"
    closest = [item["mark"] for item in finding.evidence["closest"]]
    assert closest[0] == "Harborlux"
    assert all(compare("Harb0lux", name) for name in closest)


def test_the_check_shows_the_closest_of_many_matches_and_counts_them_all(seller_a):
    # The same name held by many owners, and names a letter or two away.
    ReferenceMark.objects.bulk_create(
        [_mark(name) for name in ("Harbolux", "Harbrlux", "Harbourlux")]
        + [_mark("Harborlux", owner=f"Holder {n}") for n in (4, 1, 3, 2)]
    )
    application = ApplicationFactory(company=seller_a.company, brand__name="Harb0lux")

    finding = brand_similarity.run(application)

    everything = brand_similarity.similar_marks_find(
        ["Harb0lux"], applicant=seller_a.company.legal_name
    )
    assert (everything.count, len(everything.matches)) == (7, 7)
    assert [(item["mark"], item["owner"]) for item in finding.evidence["closest"]] == [
        (mark.name, mark.owner) for _match, mark in everything.matches[: brand_similarity.SHOWN]
    ]
    assert [item["owner"] for item in finding.evidence["closest"][1:5]] == [
        "Holder 1", "Holder 2", "Holder 3", "Holder 4"
    ]  # fmt: skip
    assert "is close to 7 mark(s) owned by others" in finding.explanation


def test_the_check_finds_a_short_program_brand_one_letter_away(seller_a):
    # Neither the trigram index (short names are not looked up in it) nor the sound key
    # ("SBR" against "SRB") brings "Zorb" in.
    ReferenceMark.objects.bulk_create([_mark(name) for name in ("Zorb", "Zoba", "Borz", "Zebra")])
    application = ApplicationFactory(company=seller_a.company, brand__name="Zobr")

    finding = brand_similarity.run(application)

    assert (finding.outcome, [item["mark"] for item in finding.evidence["closest"]]) == (
        "warn",
        ["Zorb"],
    )


def test_the_check_names_hidden_characters_in_the_brand(seller_a):
    application = ApplicationFactory(company=seller_a.company, brand__name="\u202eEKIN")

    finding = brand_similarity.run(application)

    assert finding.outcome == "fail"
    assert finding.evidence["hidden_characters"] == {"\u202eEKIN": ["U+202E"]}
    assert finding.explanation.endswith(
        "“\u202eEKIN” holds characters that do not show: U+202E RIGHT-TO-LEFT OVERRIDE."
    )
    assert finding.evidence["closest"][0]["why"][0] == (
        "displayed as “NIKE”: direction controls reverse the stored letters"
    )


def test_hidden_characters_alone_make_the_check_warn(seller_a):
    application = ApplicationFactory(company=seller_a.company, brand__name="Lumi\u200bbright")

    finding = brand_similarity.run(application)

    assert (finding.outcome, finding.evidence["closest"]) == ("warn", [])
    assert finding.explanation == (
        "“Lumi\u200bbright” is not confusable with any of the well-known marks or the brands "
        "already in the program. “Lumi\u200bbright” holds characters that do not show: "
        "U+200B ZERO WIDTH SPACE."
    )
