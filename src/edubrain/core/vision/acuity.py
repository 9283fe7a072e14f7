"""Acuity scales (standards.md §5.1, GB 11533 标准对数视力表): the 5-point record L and decimal acuity V.

    L = 5 + log10(V)          V = 10^(L − 5)

Decimal → 5-point: ``round(5 + log10(V), 1)`` (0.7 → 4.8). 5-point → decimal: the value printed on the
chart for the lines 4.0–5.3 (0.126 is printed 0.12, 0.398 is printed 0.4 — no single rounding rule gives
the printed column, so it is a table); other lines get the exact value to three decimals, or pass
``printed=False`` for the exact value everywhere.
"""

from __future__ import annotations

import polars as pl

__all__ = ["FIVE_POINT_MAX", "FIVE_POINT_MIN", "PRINTED_DECIMAL", "to_decimal", "to_five_point"]

#: 5-point line → decimal as printed on the chart (standards.md §5.1 table).
PRINTED_DECIMAL: dict[float, float] = {
    4.0: 0.1,
    4.1: 0.12,
    4.2: 0.15,
    4.3: 0.2,
    4.4: 0.25,
    4.5: 0.3,
    4.6: 0.4,
    4.7: 0.5,
    4.8: 0.6,
    4.9: 0.8,
    5.0: 1.0,
    5.1: 1.2,
    5.2: 1.5,
    5.3: 2.0,
}
#: The chart's range of lines (§5.1: "about 3.0–5.3").
FIVE_POINT_MIN = 3.0
FIVE_POINT_MAX = 5.3


def to_five_point(decimal: pl.Expr) -> pl.Expr:
    """Decimal acuity → 5-point record, one place. Values ≤ 0 give null (no logarithm)."""
    return pl.when(decimal > 0).then((5 + decimal.log10()).round(1))


def to_decimal(five_point: pl.Expr, *, printed: bool = True) -> pl.Expr:
    """5-point record → decimal acuity: the printed chart value for 4.0–5.3 (else exact, three places);
    ``printed=False``: the exact 10^(L − 5)."""
    exact = pl.lit(10.0).pow(five_point - 5)
    if not printed:
        return exact
    tenths = (five_point * 10).round(0).cast(pl.Int64, strict=False)
    on_line = (five_point * 10 - tenths).abs() < 1e-6
    table = {round(k * 10): v for k, v in PRINTED_DECIMAL.items()}
    looked_up = tenths.replace_strict(table, default=None, return_dtype=pl.Float64)
    return pl.when(on_line & looked_up.is_not_null()).then(looked_up).otherwise(exact.round(3))
