"""Vectorised normalisers: every format real files contain."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from edubrain.core.ids import id_check_digit
from edubrain.core.io.normalise import (
    fullwidth_to_halfwidth,
    id_number_precision_lost,
    normalise_header,
    parse_bool,
    parse_date,
    parse_duration,
    parse_number,
    parse_sex,
)


def run(fn, values):
    return pl.DataFrame({"x": values}, schema={"x": pl.String}).select(fn(pl.col("x"))).to_series().to_list()


def test_fullwidth_to_halfwidth():
    assert run(
        fullwidth_to_halfwidth, ["１２３ＡＢｃ", "１７２．５", "１，２３４", "－５", "a\u3000b", None]
    ) == [
        "123ABc",
        "172.5",
        "1,234",
        "-5",
        "a b",
        None,
    ]


def test_normalise_header_removes_blanks_and_fullwidth():
    assert normalise_header(" 身 高\n（cm） ") == "身高(cm)"
    assert normalise_header("学籍号") == "学籍号"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("男", "M"),
        ("女", "F"),
        ("1", "M"),
        ("2", "F"),
        ("M", "M"),
        ("f", "F"),
        ("male", "M"),
        ("Female", "F"),
        ("男性", "M"),
        ("女性", "F"),
        (" 男 ", "M"),
        ("１", "M"),
        ("3", None),
        ("未知", None),
        (None, None),
    ],
)
def test_parse_sex(raw, expected):
    assert run(parse_sex, [raw]) == [expected]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("42248", dt.date(2015, 9, 1)),
        ("42248.5", dt.date(2015, 9, 1)),
        ("2015-09-01", dt.date(2015, 9, 1)),
        ("2015/9/1", dt.date(2015, 9, 1)),
        ("2015.9.1", dt.date(2015, 9, 1)),
        ("2015年9月1日", dt.date(2015, 9, 1)),
        ("2015年09月01", dt.date(2015, 9, 1)),
        ("20150901", dt.date(2015, 9, 1)),
        ("2015-09-01T08:30:00", dt.date(2015, 9, 1)),
        ("2015-09-01 08:30:00", dt.date(2015, 9, 1)),
        ("2015/9/1 0:00", dt.date(2015, 9, 1)),
        ("２０１５－０９－０１", dt.date(2015, 9, 1)),
        ("2015-02-30", None),
        ("20151301", None),
        ("2015", None),
        ("明天", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_date(raw, expected):
    assert run(parse_date, [raw]) == [expected]


@given(st.dates(min_value=dt.date(1927, 5, 19), max_value=dt.date(2099, 12, 31)))
def test_parse_date_excel_serial_round_trip(day):
    serial = (day - dt.date(1899, 12, 30)).days
    assert (
        run(parse_date, [str(serial), day.strftime("%Y%m%d"), f"{day.year}年{day.month}月{day.day}日"])
        == [day] * 3
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("3'40\"", 220.0),
        ("3′40″", 220.0),
        ("3:40", 220.0),
        ("3分40秒", 220.0),
        ("3'40", 220.0),
        ("3分", 180.0),
        ("3’40”", 220.0),
        ("3'40''", 220.0),
        ("0:03:40", 220.0),
        ("220", 220.0),
        ("8.5", 8.5),
        ("8.5秒", 8.5),
        ("3'05.5\"", 185.5),
        ("３'４０\"", 220.0),
        ("3'75\"", None),
        ("abc", None),
        (None, None),
    ],
)
def test_parse_duration(raw, expected):
    assert run(parse_duration, [raw]) == [expected]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("172cm", 172.0),
        ("65.5 kg", 65.5),
        ("1,234", 1234.0),
        ("１７２", 172.0),
        ("172", 172.0),
        ("-3", -3.0),
        (".5", 0.5),
        ("1.5万", 15000.0),
        ("172 厘米", 172.0),
        ("约172", None),
        ("12-15", None),
        ("abc", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_number(raw, expected):
    assert run(parse_number, [raw]) == [expected]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("是", True),
        ("否", False),
        ("Y", True),
        ("n", False),
        ("1", True),
        ("0", False),
        ("有", True),
        ("无", False),
        ("true", True),
        ("FALSE", False),
        ("也许", None),
        (None, None),
    ],
)
def test_parse_bool(raw, expected):
    assert run(parse_bool, [raw]) == [expected]


def _id(first17: str) -> str:
    return first17 + id_check_digit(first17)


def test_id_number_precision_lost():
    good = _id("37032320090101100")
    values = [
        "3.70323E+17",
        "3.70323200901011e+17",
        "3.70323200901011e17",
        "370323200901011000.0",
        "370323200901011000",
        good,
        good.lower(),
        "12345",
        None,
    ]
    assert run(id_number_precision_lost, values) == [True, True, True, True, True, False, False, False, False]


def test_id_ending_in_000_with_valid_check_digit_is_not_flagged():
    # find a real ID whose last three characters are "000" (sequence 00, sex digit 0, check digit 0)
    first = next(
        f"3703232009{m:02d}{d:02d}000"
        for m in range(1, 13)
        for d in range(1, 29)
        if id_check_digit(f"3703232009{m:02d}{d:02d}000") == "0"
    )
    assert run(id_number_precision_lost, [first + "0"]) == [False]


@given(st.integers(min_value=10**17, max_value=10**18 - 1))
def test_any_18_digit_number_through_a_float_is_flagged(number):
    assert run(id_number_precision_lost, [repr(float(number))]) == [True]
