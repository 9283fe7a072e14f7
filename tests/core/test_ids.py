"""GB 11643 身份证号, 学校标识码, 行政区划代码 and 学籍号 validators, scalar and vectorised."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edubrain.core.errors import CoreError
from edubrain.core.ids import (
    ID_CHECK_CODES,
    id_birth_date,
    id_check_digit,
    id_number_valid_expr,
    id_sex,
    is_valid_id_number,
    mask_id_expr,
    mask_id_number,
    mask_name,
    validate_division_code,
    validate_id_number,
    validate_school_code,
    validate_student_number,
)

TODAY = dt.date(2025, 6, 30)


def with_check(first17: str) -> str:
    return first17 + id_check_digit(first17)


def first17_with_remainder(remainder: int) -> str:
    """Vary the sequence number (positions 15–17) until the weighted sum has the wanted remainder."""
    for seq in range(1000):
        first17 = f"37032320100101{seq:03d}"
        if (
            sum(
                int(c) * w
                for c, w in zip(first17, (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2), strict=True)
            )
            % 11
            == remainder
        ):
            return first17
    raise AssertionError("no sequence number gives this remainder")


@pytest.mark.parametrize("remainder", range(11))
def test_every_check_character_is_accepted(remainder: int) -> None:
    first17 = first17_with_remainder(remainder)
    number = first17 + ID_CHECK_CODES[remainder]
    assert id_check_digit(first17) == ID_CHECK_CODES[remainder]
    assert validate_id_number(number, TODAY) == number


def test_check_characters_cover_x() -> None:
    assert set(ID_CHECK_CODES) == set("0123456789X")
    assert ID_CHECK_CODES[2] == "X"


def test_known_published_example() -> None:
    # The worked example of GB 11643-1999: 11010519491231002X.
    assert validate_id_number("11010519491231002X", TODAY) == "11010519491231002X"
    assert id_sex("11010519491231002X") == "女"
    assert id_birth_date("11010519491231002X") == dt.date(1949, 12, 31)


@pytest.mark.parametrize("remainder", range(11))
def test_every_wrong_check_character_is_refused(remainder: int) -> None:
    first17 = first17_with_remainder(remainder)
    for wrong in set(ID_CHECK_CODES) - {ID_CHECK_CODES[remainder]}:
        with pytest.raises(CoreError) as err:
            validate_id_number(first17 + wrong, TODAY)
        assert err.value.code == "id.checksum"
        assert f"最后一位应为{ID_CHECK_CODES[remainder]}" in err.value.message


def test_lowercase_x_is_normalised() -> None:
    number = first17_with_remainder(2) + "x"
    assert validate_id_number(number, TODAY).endswith("X")
    assert validate_id_number(f"  {number} ", TODAY) == number.upper()


@pytest.mark.parametrize("length", [17, 19])
def test_wrong_length_is_refused(length: int) -> None:
    number = with_check("37032320100101001")
    value = number[:17] if length == 17 else number + "1"
    with pytest.raises(CoreError) as err:
        validate_id_number(value, TODAY)
    assert err.value.code == "id.format"
    assert "18位" in err.value.message


def test_full_width_digits_are_refused() -> None:
    number = with_check("37032320100101001")
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in number)
    assert not is_valid_id_number(full_width, TODAY)


@pytest.mark.parametrize("birth", ["20100230", "20101301", "20100100", "20230229"])
def test_impossible_dates_are_refused(birth: str) -> None:
    number = with_check(f"370323{birth}001")
    with pytest.raises(CoreError) as err:
        validate_id_number(number, TODAY)
    assert err.value.code == "id.birth"
    assert birth in err.value.message


def test_leap_day_is_a_real_date() -> None:
    assert is_valid_id_number(with_check("37032320200229001"), TODAY)


def test_birth_date_today_allowed_tomorrow_refused() -> None:
    assert is_valid_id_number(with_check(f"370323{TODAY:%Y%m%d}001"), TODAY)
    tomorrow = TODAY + dt.timedelta(days=1)
    with pytest.raises(CoreError) as err:
        validate_id_number(with_check(f"370323{tomorrow:%Y%m%d}001"), TODAY)
    assert err.value.code == "id.birth"


def test_birth_year_before_1900_refused() -> None:
    assert is_valid_id_number(with_check("37032319000101001"), TODAY)
    assert not is_valid_id_number(with_check("37032318991231001"), TODAY)


def test_sex_from_17th_digit() -> None:
    assert id_sex(with_check("37032320100101001")) == "男"
    assert id_sex(with_check("37032320100101002")) == "女"


# --- the vectorised expression agrees with the scalar validator -------------------------------------


def _frame_valid(values: list[str | None]) -> list[bool]:
    frame = pl.DataFrame({"id": values}, schema={"id": pl.String})
    return frame.select(id_number_valid_expr("id", TODAY)).to_series().to_list()


def test_expression_on_hand_picked_values() -> None:
    good = with_check("37032320100101001")
    values = [
        good,
        good[:17] + ("0" if good[17] != "0" else "1"),
        good.lower(),
        f" {good} ",
        good[:17],
        good + "1",
        with_check("37032320100230001"),
        with_check(f"370323{TODAY + dt.timedelta(days=1):%Y%m%d}001"),
        with_check("37032318991231001"),
        "",
        None,
        "37032320100101001Y",
    ]
    expected = [v is not None and is_valid_id_number(v, TODAY) for v in values]
    assert _frame_valid(values) == expected
    assert expected[:3] == [True, False, True]


_digits = st.text(alphabet="0123456789", min_size=17, max_size=17)
_dated = st.builds(
    lambda d, seq: f"370323{d:%Y%m%d}{seq:03d}",
    st.dates(min_value=dt.date(1890, 1, 1), max_value=dt.date(2030, 12, 31)),
    st.integers(0, 999),
)
_candidates = st.one_of(
    st.builds(lambda f: with_check(f), _dated),  # valid checksum, date sometimes out of range
    st.builds(lambda f, c: f + c, _dated, st.sampled_from(list(ID_CHECK_CODES) + ["x"])),
    st.builds(lambda f, c: f + c, _digits, st.sampled_from(list(ID_CHECK_CODES))),
    st.text(alphabet="0123456789Xx ", min_size=0, max_size=20),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_candidates, min_size=1, max_size=60))
def test_expression_agrees_with_scalar(values: list[str]) -> None:
    assert _frame_valid(list(values)) == [is_valid_id_number(v, TODAY) for v in values]


# --- masking --------------------------------------------------------------------------------------


def test_mask_id_number_forms() -> None:
    assert mask_id_number("370323201001011234") == "3703**********1234"
    assert mask_id_number("123456789") == "1234*6789"
    assert mask_id_number("12345678") == "********"
    assert mask_id_number("1") == "*"
    assert mask_id_number("") == ""
    assert mask_id_number(None) == ""


def test_mask_id_expression_matches_scalar() -> None:
    values = ["370323201001011234", "123456789", "12345678", "1", "", None, "G370323201001011234"]
    frame = pl.DataFrame({"id": values}, schema={"id": pl.String})
    masked = frame.select(mask_id_expr("id")).to_series().to_list()
    assert masked == [mask_id_number(v) for v in values]


def test_mask_name() -> None:
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_name("") == ""
    assert mask_name(None) == ""


# --- other codes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("313700000", False),
        ("3137000001", True),
        ("31370000011", False),
        ("313700000A", False),
        (" 3137000001 ", True),
    ],
)
def test_school_code_is_ten_digits(value: str, ok: bool) -> None:
    if ok:
        assert validate_school_code(value) == value.strip()
    else:
        with pytest.raises(CoreError, match="学校标识码.*应为10位数字"):
            validate_school_code(value)


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("37032", False),
        ("370323", True),
        ("3703231", False),
        ("37032310", False),
        ("370323100", True),
        ("3703231000", False),
        ("37032310020", False),
        ("370323100201", True),
        ("3703231002011", False),
        ("37032A", False),
    ],
)
def test_division_code_lengths(value: str, ok: bool) -> None:
    if ok:
        assert validate_division_code(value) == value
    else:
        with pytest.raises(CoreError) as err:
            validate_division_code(value)
        assert err.value.code == "division.format"


def test_student_number_forms() -> None:
    number = with_check("37032320100101001")
    assert validate_student_number(f"g{number}") == f"G{number}"
    assert validate_student_number("L" + "1" * 18) == "L" + "1" * 18
    assert validate_student_number("J" + "A1" * 9) == "J" + "A1" * 9


@pytest.mark.parametrize("value", ["G12345", "X" + "1" * 18, "L" + "1" * 17, "L" + "1" * 19, "1" * 19])
def test_student_number_bad_format(value: str) -> None:
    with pytest.raises(CoreError) as err:
        validate_student_number(value)
    assert err.value.code == "xjh.format"


def test_student_number_with_bad_id_inside() -> None:
    number = with_check("37032320100101001")
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    with pytest.raises(CoreError) as err:
        validate_student_number(f"G{wrong}")
    assert err.value.code == "xjh.id"
    assert "校验位错误" in err.value.message
