"""Acuity conversions both ways over the whole table of standards.md §5.1."""

from __future__ import annotations

import polars as pl
import pytest

from edubrain.core.vision.acuity import PRINTED_DECIMAL, to_decimal, to_five_point

# (5-point L, printed decimal V, exact 10^(L−5) to three places) — standards.md §5.1
TABLE = [
    (4.0, 0.1, 0.100), (4.1, 0.12, 0.126), (4.2, 0.15, 0.158), (4.3, 0.2, 0.200), (4.4, 0.25, 0.251),
    (4.5, 0.3, 0.316), (4.6, 0.4, 0.398), (4.7, 0.5, 0.501), (4.8, 0.6, 0.631), (4.9, 0.8, 0.794),
    (5.0, 1.0, 1.000), (5.1, 1.2, 1.259), (5.2, 1.5, 1.585), (5.3, 2.0, 1.995),
]  # fmt: skip


def convert(values: list[float], expr: pl.Expr) -> list[float | None]:
    return pl.DataFrame({"v": values}, schema={"v": pl.Float64}).select(expr.alias("out"))["out"].to_list()


def test_table_is_the_reference_table():
    assert {five: printed for five, printed, _ in TABLE} == PRINTED_DECIMAL


@pytest.mark.parametrize(("five", "printed", "exact"), TABLE)
def test_decimal_to_five_point(five, printed, exact):
    assert convert([printed, exact], to_five_point(pl.col("v"))) == [five, five]


@pytest.mark.parametrize(("five", "printed", "exact"), TABLE)
def test_five_point_to_decimal(five, printed, exact):
    assert convert([five], to_decimal(pl.col("v"))) == [printed]
    assert convert([five], to_decimal(pl.col("v"), printed=False))[0] == pytest.approx(exact, abs=5e-4)
    # and back again
    assert convert(convert([five], to_decimal(pl.col("v"))), to_five_point(pl.col("v"))) == [five]


def test_off_table_values():
    # 0.7 is not printed on the chart: 5 + lg 0.7 = 4.845 → 4.8 (§5.1); 0 and negatives have no logarithm
    assert convert([0.7, 0.0, -1.0, 0.01], to_five_point(pl.col("v"))) == [4.8, None, None, 3.0]
    # lines below the table (3.0–3.9) and values between lines: the exact value, three places
    assert convert([3.0, 3.9, 4.85], to_decimal(pl.col("v"))) == [0.01, 0.079, 0.708]
    assert convert([None], to_decimal(pl.col("v"))) == [None]
