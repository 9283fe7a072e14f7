"""School-level figures over classified screenings (standards.md §5.5 (b), §5.6).

``myopia_rate(classified, by)``: 总体近视率 = pupils with 筛查性近视 in at least one eye / pupils validly
screened × 100 (invalid rows are out of the denominator), with the high-myopia share.

``school_colour(rates)``: the Beijing three-colour school warning (§5.5 (b)) applied, as the reference
proposes, to 总体近视率: the change in percentage points from last year — Ⅰ级 黄色 +1 to +3, Ⅱ级 橙色 above +3
to +5, Ⅲ级 红色 above +5 (the reference does not say which side owns +3 and +5; here the upper band starts
just above them ⚠) — and the plan's yearly target, a fall of at least 1 percentage point (§5.6, the 沂源
plan; the national 方案 asks 0.5 outside high-prevalence provinces).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

__all__ = ["COLOURS", "SchoolColourOptions", "myopia_rate", "school_colour"]

COLOURS = ("无", "黄色", "橙色", "红色")


@dataclass(frozen=True)
class SchoolColourOptions:
    """``cuts``: rises (percentage points) from which level 1 (inclusive), 2 and 3 (strictly above) apply;
    ``yearly_decline``: the fall (points) that meets the plan target."""

    cuts: tuple[float, float, float] = (1.0, 3.0, 5.0)
    yearly_decline: float = 1.0


def myopia_rate(classified: pl.DataFrame, by: Sequence[str] = ()) -> pl.DataFrame:
    """Per group of ``by`` (or overall): ``screened`` (valid rows), ``myopic``, ``high_myopia``, ``rate``
    and ``high_rate`` (percent, two places; null for a group without valid rows). ``classified`` carries
    ``classify_frame``'s ``status``, ``myopia`` and ``degree`` beside the ``by`` columns."""
    valid = pl.col("status") == "classified"
    aggs = [
        valid.sum().cast(pl.Int64).alias("screened"),
        (valid & pl.col("myopia")).sum().cast(pl.Int64).alias("myopic"),
        (valid & (pl.col("degree") == "高度")).sum().cast(pl.Int64).alias("high_myopia"),
    ]
    grouped = classified.group_by(list(by), maintain_order=True).agg(aggs) if by else classified.select(aggs)
    share = pl.when(pl.col("screened") > 0)
    return grouped.with_columns(
        share.then((pl.col("myopic") * 100 / pl.col("screened")).round(2)).alias("rate"),
        share.then((pl.col("high_myopia") * 100 / pl.col("screened")).round(2)).alias("high_rate"),
    )


def school_colour(
    rates: pl.DataFrame,
    *,
    rate: str = "rate",
    previous: str = "previous_rate",
    options: SchoolColourOptions | None = None,
) -> pl.DataFrame:
    """``rates`` plus ``rate_change`` (points), ``colour_level`` (0–3), ``colour`` (无/黄色/橙色/红色) and
    ``target_met`` (fell by at least the yearly decline). Without last year's rate all four are null."""
    o = options or SchoolColourOptions()
    change = (pl.col(rate).cast(pl.Float64) - pl.col(previous).cast(pl.Float64)).round(6)
    y, r2, r3 = o.cuts
    level = (
        pl.when(change.is_null())
        .then(pl.lit(None, pl.Int8))
        .when(change > r3)
        .then(pl.lit(3, pl.Int8))
        .when(change > r2)
        .then(pl.lit(2, pl.Int8))
        .when(change >= y)
        .then(pl.lit(1, pl.Int8))
        .otherwise(pl.lit(0, pl.Int8))
    )
    return rates.with_columns(
        change.alias("rate_change"),
        level.alias("colour_level"),
        level.replace_strict(dict(enumerate(COLOURS)), default=None, return_dtype=pl.String).alias("colour"),
        (change <= -o.yearly_decline).alias("target_met"),
    )
