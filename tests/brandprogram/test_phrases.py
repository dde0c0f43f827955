"""Phrases: stored as a message id and parameters, written out in the reader's language."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext_lazy, gettext_noop, pgettext_lazy

from brandprogram.phrases import (
    Date,
    InEachLanguage,
    Items,
    Number,
    Percent,
    Phrase,
    explained,
    in_english,
    render_all,
)
from sellers.models import Evidence, SellerCompany

# Chinese text uses full-width punctuation; RUF001 would have it replaced by ASCII.
# ruff: noqa: RUF001


@pytest.fixture(autouse=True, scope="module")
def _compiled_catalog():
    # The catalogue is compiled by `make test`; compile it here too for a bare pytest run.
    call_command("compilemessages", "--ignore=.venv", verbosity=0)


def _in(language: str, phrases) -> str:
    stored = json.loads(json.dumps([phrase.to_json() for phrase in phrases]))
    with translation.override(language):
        return render_all(stored)


def test_a_phrase_is_stored_as_json_and_read_in_each_language():
    phrase = Phrase(
        gettext_noop("The mark expired on %(day)s."), day=Date(datetime.date(2026, 3, 4))
    )

    assert phrase.to_json() == {
        "msg": "The mark expired on %(day)s.",
        "params": {"day": {"date": "2026-03-04"}},
    }
    assert _in("en", [phrase]) == "The mark expired on March 4, 2026."
    assert _in("zh-hans", [phrase]) == "该商标已于 2026年3月4日 过期。"


def test_labels_are_stored_by_their_message_id_and_context():
    status = Phrase.label(SellerCompany.IdentityStatus.UNVERIFIED.label)
    kind = Phrase.label(Evidence.Kind.TRADEMARK_CERTIFICATE.label)
    with_context = Phrase.label(pgettext_lazy("document field", "brand"))

    assert (status.to_json(), kind.to_json(), with_context.to_json()) == (
        {"msg": "Not verified"},
        {"msg": "Trademark certificate"},
        {"msg": "brand", "ctx": "document field"},
    )
    assert _in("zh-hans", [status, kind]) == "未验证 商标注册证"


def test_nested_phrases_lists_numbers_and_percentages_are_written_the_readers_way():
    phrase = Phrase(
        gettext_noop("Required evidence is missing: %(kinds)s."),
        kinds=Items(
            [
                Evidence.Kind.TRADEMARK_CERTIFICATE.label,
                Phrase.label(Evidence.Kind.BUSINESS_LICENCE.label),
            ]
        ),
    )
    rate = Phrase(
        gettext_noop("Quality disputes %(rate)s (limit %(limit)s)."),
        rate=Percent(Decimal("0.0125")),
        limit=Percent(Decimal("0.01")),
    )
    size = Phrase("%(limit)s", limit=Number(40_000_000))

    assert _in("en", [phrase, rate, size]) == (
        "Required evidence is missing: Trademark certificate, Business licence. "
        "Quality disputes 1.25% (limit 1.00%). 40,000,000"
    )
    # After a full-width stop the next sentence follows without a space.
    assert _in("zh-hans", [phrase, rate]) == (
        "缺少必需的证明材料：商标注册证、营业执照。质量纠纷率 1.25%（上限 1.00%）。"
    )


def test_a_list_joined_with_or_reads_naturally_in_both_languages():
    phrase = Phrase(
        gettext_noop("The application does not give %(missing)s; it cannot be checked."),
        missing=Items(
            [
                Phrase(gettext_noop("the company registration number")),
                Phrase(gettext_noop("the trademark number")),
            ],
            join="or",
        ),
    )

    assert _in("en", [phrase]) == (
        "The application does not give the company registration number or the trademark "
        "number; it cannot be checked."
    )
    assert _in("zh-hans", [phrase]) == "申请未提供公司注册号或商标号，无法检查。"


def test_text_only_other_code_can_word_is_kept_in_every_language():
    phrase = Phrase(
        gettext_noop("Registration number: %(problem)s"),
        problem=InEachLanguage(lambda: gettext_lazy("Enter the company registration number.")),
    )

    assert _in("en", [phrase]) == "Registration number: Enter the company registration number."
    assert _in("zh-hans", [phrase]).startswith("注册号：")
    assert "Enter" not in _in("zh-hans", [phrase])


def test_names_and_numbers_are_data_and_stay_as_given():
    phrase = Phrase(
        gettext_noop("%(office)s has no trademark numbered %(number)s."),
        office="USPTO",
        number="78123456",
    )

    assert _in("zh-hans", [phrase]) == "USPTO 没有编号为 78123456 的商标。"


def test_english_is_kept_beside_the_phrases_whatever_the_active_language():
    phrase = Phrase(gettext_noop("The company's identity is verified."))

    with translation.override("zh-hans"):
        english = in_english([phrase])

    assert english == "The company's identity is verified."


def test_a_verdict_stored_before_phrases_reads_as_its_text():
    with translation.override("zh-hans"):
        assert explained([], "Stored before phrases were kept.") == (
            "Stored before phrases were kept."
        )
        assert explained(None, "Plain text of a deployment's own check.") == (
            "Plain text of a deployment's own check."
        )


def test_a_translation_that_does_not_fit_its_parameters_falls_back_to_english(monkeypatch):
    # A catalogue written by hand may name a parameter the message lacks.
    monkeypatch.setattr("brandprogram.phrases.gettext", lambda message: "%(missing)s 个")
    stored = Phrase(gettext_noop("Main categories: %(names)s."), names="Lighting").to_json()

    assert render_all([stored]) == "Main categories: Lighting."


def test_a_parameter_that_is_not_json_is_refused():
    with pytest.raises(TypeError, match="JSON-able"):
        Phrase(gettext_noop("Main categories: %(names)s."), names=object())
    with pytest.raises(TypeError, match="Date"):
        Phrase(gettext_noop("The mark expired on %(day)s."), day=datetime.datetime.now())
