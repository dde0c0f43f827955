"""Printed values turned into the shapes of FIELDS_BY_KIND, without the OCR engine."""

import pytest
from stdnum.cn import uscc

from sellers.documents import values

# A valid code (GB 32100-2015), its check character computed here rather than copied.
BODY = "91440300MA5F2B7K3"
CODE = BODY + uscc.calc_check_digit(BODY)


def test_credit_code_read_right_is_kept_and_spaces_are_dropped():
    assert values.credit_code(CODE) == CODE
    assert values.credit_code(f"{CODE[:6]} {CODE[6:12]} {CODE[12:]}") == CODE


def test_letters_a_credit_code_never_uses_are_read_as_the_digits_they_look_like():
    misread = CODE.replace("0", "O")

    assert misread != CODE
    assert values.credit_code(misread) == CODE


@pytest.mark.parametrize(
    ("position", "misread"),
    [(1, "L"), (4, "D"), (7, "Q"), (13, "8")],
)
def test_one_confused_character_is_repaired_by_the_check_character(position, misread):
    read = CODE[:position] + misread + CODE[position + 1 :]

    assert not uscc.is_valid(read)
    assert values.credit_code(read) == CODE


def test_a_misread_two_repairs_would_make_valid_is_not_guessed():
    # L read as 1: putting the L back passes the check, and so does reading the 8 as a B.
    read = "914403003NL61TJ89A"

    assert uscc.is_valid("914403003NL6LTJ89A")
    assert uscc.is_valid("914403003NL61TJB9A")
    assert values.credit_code(read) is None


def test_a_credit_code_two_characters_off_is_not_guessed():
    wrong = CODE[:4] + "7" + CODE[5:9] + "X" + CODE[10:]

    assert not uscc.is_valid(wrong)
    assert values.credit_code(wrong) is None
    assert values.credit_code(CODE[:-1]) is None


def test_a_labelled_code_failing_its_check_is_kept_as_printed_to_be_compared():
    forged = CODE[:-1] + ("1" if CODE[-1] == "0" else "0")

    assert values.labelled_credit_code(CODE.replace("0", "O")) == CODE
    assert values.labelled_credit_code(f"{forged[:9]} {forged[9:]}") == forged
    # Unlabelled, 18 characters failing the check are no code at all.
    assert values.credit_code(forged) is None
    assert values.labelled_credit_code(CODE[:-1]) is None


@pytest.mark.parametrize(
    ("printed", "day_first", "iso"),
    [
        ("2021年03月14日", True, "2021-03-14"),
        ("2021 年 3 月 4 日", True, "2021-03-04"),
        ("Aug. 17, 2021", False, "2021-08-17"),
        ("Sep.28.2031", False, "2031-09-28"),
        ("17 August 2021", True, "2021-08-17"),
        ("3June 2025", True, "2025-06-03"),
        ("05/02/2024", True, "2024-02-05"),
        ("05/02/2024", False, "2024-05-02"),
        ("25/02/2024", False, "2024-02-25"),
        ("2021-02-30", True, None),
    ],
)
def test_dates_become_iso(printed, day_first, iso):
    assert values.iso_date(printed, day_first=day_first) == iso


def test_nice_classes_are_gathered_ascending_without_duplicates():
    assert values.nice_classes(["第25类", "第9类、第25类", "Int. Cl.: 35, 9"]) == "9,25,35"
    assert values.nice_classes(["第99类"]) is None


def test_chinese_values_get_chinese_punctuation_and_english_ones_their_spaces():
    assert values.plain("一般项目:耳机销售;货物进出口(依法经营)") == (
        "一般项目\uff1a耳机销售\uff1b货物进出口\uff08依法经营\uff09"
    )
    assert values.plain("Shenzhen Ruihe Footwear Co.Ltd.") == "Shenzhen Ruihe Footwear Co., Ltd."
    assert values.plain("sale of shoes;import of goods") == "sale of shoes; import of goods"
    assert values.plain("Shenzhen Co..Ltd.") == "Shenzhen Co., Ltd."
    assert values.standard("GB/T 19001-2016/ISO9001:2015") == "GB/T 19001-2016/ISO 9001:2015"
    assert values.standard("ENIEC62368-1:2020+A11:2020") == "EN IEC 62368-1:2020+A11:2020"
