"""Rolling facts up the org tree and turning them into indicator rows.

A formula states its *facts*: per school and year a numerator ``num`` and a denominator ``den`` (for a
count indicator ``den`` counts the records the count is taken over, so "no records" can be told from "0").
``rollup`` sums them for the schools, their 镇/街道 and the county — numerators and denominators first, the
division last, so a county rate is Σ numerators / Σ denominators, never a mean of school rates — and
``finish`` divides, attaching a Chinese ``note`` wherever no value can be given.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import polars as pl

from edubrain.core.indicators.catalogue import COUNTY, SCHOOL, TOWN
from edubrain.core.indicators.inputs import OUTPUT, IndicatorInputs, empty

FACTS = {"org_unit_id": pl.Int64(), "year": pl.Int64(), "num": pl.Float64(), "den": pl.Float64()}


def open_in_year() -> pl.Expr:
    """The school is open in the 学年 ``year`` (founded on or before it, not yet closed)."""
    return (pl.col("founded_year").is_null() | (pl.col("founded_year") <= pl.col("year"))) & (
        pl.col("closed_year").is_null() | (pl.col("closed_year") > pl.col("year"))
    )


def school_grid(inputs: IndicatorInputs, types: Collection[str]) -> pl.DataFrame:
    """(org_unit_id, year) of every school of the given 办学类型 open in each of the years."""
    schools = inputs.schools.filter(pl.col("school_type").is_in(list(types)))
    return schools.join(inputs.year_frame, how="cross").filter(open_in_year()).select("org_unit_id", "year")


def sum_facts(frame: pl.DataFrame, num: pl.Expr, den: pl.Expr) -> pl.DataFrame:
    """Per school and year: Σ ``num`` and Σ ``den`` over the rows of ``frame``."""
    return (
        frame.group_by("org_unit_id", "year")
        .agg(num.sum().cast(pl.Float64).alias("num"), den.sum().cast(pl.Float64).alias("den"))
        .select(list(FACTS))
    )


def rollup(
    inputs: IndicatorInputs,
    school_facts: pl.DataFrame,
    grid: pl.DataFrame,
    levels: Collection[str],
) -> pl.DataFrame:
    """Numerators and denominators of the schools (every (school, year) of ``grid`` or with facts), of each
    镇/街道 having such a school that year, and of the county for every year; columns ``level``,
    org_unit_id, year, num, den."""
    years = inputs.year_frame
    summed = school_facts.filter(pl.col("year").is_in(list(inputs.years))).pipe(
        lambda f: f.group_by("org_unit_id", "year").agg(pl.col("num").sum(), pl.col("den").sum())
    )
    towns = inputs.schools.select("org_unit_id", "town_id")
    schools = (
        grid.select("org_unit_id", "year")
        .join(summed, on=["org_unit_id", "year"], how="full", coalesce=True)
        .join(towns, on="org_unit_id", how="inner")  # facts of schools outside the county are dropped
        .with_columns(pl.col("num").fill_null(0.0), pl.col("den").fill_null(0.0))
    )
    parts: list[pl.DataFrame] = []
    if SCHOOL in levels:
        parts.append(schools.select(pl.lit(SCHOOL).alias("level"), "org_unit_id", "year", "num", "den"))
    if TOWN in levels:
        by_town = schools.filter(pl.col("town_id").is_not_null()).group_by("town_id", "year")
        parts.append(
            by_town.agg(pl.col("num").sum(), pl.col("den").sum()).select(
                pl.lit(TOWN).alias("level"), pl.col("town_id").alias("org_unit_id"), "year", "num", "den"
            )
        )
    if COUNTY in levels:
        county = years.join(
            schools.group_by("year").agg(pl.col("num").sum(), pl.col("den").sum()), on="year", how="left"
        )
        parts.append(
            county.select(
                pl.lit(COUNTY).alias("level"),
                pl.lit(inputs.county_id, dtype=pl.Int64).alias("org_unit_id"),
                "year",
                pl.col("num").fill_null(0.0),
                pl.col("den").fill_null(0.0),
            )
        )
    if not parts:
        return pl.DataFrame(schema={"level": pl.String(), **FACTS})
    return pl.concat(parts, how="vertical_relaxed")


def missing_enrolment_notes(inputs: IndicatorInputs) -> dict[int, str]:
    have = inputs.enrolment_years()
    return {y: f"缺少{y}学年学籍数据" for y in inputs.years if y not in have}


def finish(
    code: str,
    rows: pl.DataFrame,
    *,
    empty_note: str,
    factor: float = 1.0,
    count: bool = False,
    missing: Mapping[int, str] | None = None,
) -> pl.DataFrame:
    """Indicator rows from rolled-up ``num``/``den``: a rate is ``factor`` × num / den, a count
    ``factor`` × num (its ``den`` only tells whether there were records). Without a denominator (0 or null)
    the value is null with ``empty_note``; in a year listed in ``missing`` the value, numerator and
    denominator are null with that year's note."""
    if rows.height == 0:
        return empty(OUTPUT)
    has = pl.col("den").is_not_null() & (pl.col("den") > 0)
    value = pl.col("num") * factor if count else pl.col("num") / pl.col("den") * factor
    frame = rows.with_columns(pl.lit(None, dtype=pl.String).alias("missing"))
    if missing:
        frame = rows.join(year_notes_frame(missing), on="year", how="left")
    gap = pl.col("missing").is_not_null()
    return frame.select(
        pl.lit(code).alias("indicator"),
        pl.col("org_unit_id").cast(pl.Int64),
        pl.col("year").cast(pl.Int64),
        pl.when(has & ~gap).then(value).cast(pl.Float64).alias("value"),
        pl.when(~gap).then(pl.col("num")).cast(pl.Float64).alias("numerator"),
        (pl.lit(None) if count else pl.when(~gap).then(pl.col("den"))).cast(pl.Float64).alias("denominator"),
        pl.when(gap)
        .then(pl.col("missing"))
        .when(has)
        .then(pl.lit(""))
        .otherwise(pl.lit(empty_note))
        .cast(pl.String)
        .alias("note"),
    )


def year_notes_frame(notes: Mapping[int, str]) -> pl.DataFrame:
    return pl.DataFrame(
        {"year": list(notes), "missing": list(notes.values())},
        schema={"year": pl.Int64(), "missing": pl.String()},
    )
