"""manage.py similar_marks: what the brand-name check would flag, for operators."""

import io
import json

from django.core.management import call_command

from reviews.checks import brand_similarity
from reviews.models import ReferenceMark
from reviews.similarity import skeleton, sound_key
from tests.sellers.factories import ApplicationFactory


def _similar_marks(*names: str) -> list[dict]:
    out = io.StringIO()
    call_command("similar_marks", "--json", *names, stdout=out)
    return json.loads(out.getvalue())


def test_similar_marks_lists_the_marks_each_name_is_confusable_with(db):
    found = _similar_marks("Nikee", "Lumibright")

    assert found == [
        {
            "name": "Nikee",
            "matches": [
                {
                    "mark": "Nike",
                    "owner": "Nike Innovate C.V.",
                    "kind": "well_known",
                    "score": 89,
                    "reasons": ["one letter away from “Nike”: the letter “e” doubled"],
                }
            ],
        },
        {"name": "Lumibright", "matches": []},
    ]


def test_similar_marks_answers_what_the_check_flags(seller_a):
    ReferenceMark.objects.create(
        kind=ReferenceMark.Kind.PROGRAM_BRAND,
        name="Harborlux",
        owner="Ningbo Harbor Housewares Co., Ltd.",
        source="application #1",
        list_version="",
        skeleton=skeleton("Harborlux"),
        sound_key=sound_key("Harborlux"),
    )
    application = ApplicationFactory(company=seller_a.company, brand__name="Harb0lux")

    [found] = _similar_marks("Harb0lux")
    finding = brand_similarity.run(application)

    assert [(item["mark"], item["score"], item["reasons"]) for item in found["matches"]] == [
        (item["mark"], item["score"], item["why"]) for item in finding.evidence["closest"]
    ]
    assert [item["mark"] for item in found["matches"]] == ["Harborlux"]


def test_similar_marks_shows_a_name_reversed_by_a_direction_override(db):
    [found] = _similar_marks("\u202eEKIN")

    assert found["matches"][0]["mark"] == "Nike"
    assert found["matches"][0]["reasons"][0] == (
        "displayed as “NIKE”: direction controls reverse the stored letters"
    )


def test_similar_marks_prints_a_table_without_json(db):
    out = io.StringIO()

    call_command("similar_marks", "Pumma", "Lumibright", stdout=out)

    assert out.getvalue().splitlines() == [
        "'Pumma': 1 match(es)",
        "   89  Puma  (well_known, Puma SE)  one letter away from “Puma”: the letter “m” doubled",
        "'Lumibright': 0 match(es)",
    ]
