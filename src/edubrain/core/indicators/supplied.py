"""Indicators read from registered figures rather than counted from pupils or teachers: 平均受教育年限 (from
the statistics bureau), 体质健康 优良率/合格率 (computed by the fitness module), 省一类以上幼儿园占比 (the
kindergartens' registered rating) and 千兆到校 (办学条件 bandwidth)."""

from __future__ import annotations

import polars as pl

from edubrain.core.indicators.catalogue import AREA_LEVELS
from edubrain.core.indicators.inputs import FIRST_CLASS_RATINGS, OUTPUT, IndicatorInputs, empty
from edubrain.core.indicators.rollup import finish, rollup, school_grid, sum_facts
from edubrain.core.stages import KINDERGARTEN, SCHOOL_TYPES, VOCATIONAL

FITNESS_CODES = ("fitness_excellent_good_rate", "fitness_pass_rate")
GIGABIT_MBPS = 1000
GIGABIT_TYPES = [t for t in SCHOOL_TYPES if t not in (KINDERGARTEN, VOCATIONAL)]


def schooling_years(inputs: IndicatorInputs) -> pl.DataFrame:
    """劳动年龄人口平均受教育年限 as supplied: the county every year (null when not supplied), each
    镇/街道 for the years it was supplied."""
    supplied = inputs.schooling.filter(pl.col("years").is_not_null()).select("org_unit_id", "year", "years")
    county = inputs.year_frame.join(
        supplied.filter(pl.col("org_unit_id") == inputs.county_id).drop("org_unit_id"), on="year", how="left"
    ).with_columns(pl.lit(inputs.county_id, dtype=pl.Int64).alias("org_unit_id"))
    towns = supplied.filter(
        pl.col("org_unit_id").is_in(list(inputs.towns)) & pl.col("year").is_in(list(inputs.years))
    )
    rows = pl.concat([county.select("org_unit_id", "year", "years"), towns])
    if rows.height == 0:
        return empty(OUTPUT)
    return rows.select(
        pl.lit("adult_schooling_years").alias("indicator"),
        pl.col("org_unit_id").cast(pl.Int64),
        pl.col("year").cast(pl.Int64),
        pl.col("years").cast(pl.Float64).alias("value"),
        pl.col("years").cast(pl.Float64).alias("numerator"),
        pl.lit(None, dtype=pl.Float64).alias("denominator"),
        pl.when(pl.col("years").is_null())
        .then(pl.lit("缺少统计局提供的平均受教育年限"))
        .otherwise(pl.lit(""))
        .alias("note"),
    )


def fitness_rates(inputs: IndicatorInputs) -> pl.DataFrame:
    """优良率 and 合格率 as the fitness module computed them, for the county's own units and years."""
    rows = inputs.module_values.filter(
        pl.col("indicator").is_in(list(FITNESS_CODES))
        & pl.col("org_unit_id").is_in(list(inputs.unit_ids()))
        & pl.col("year").is_in(list(inputs.years))
    )
    return rows.select(
        "indicator",
        "org_unit_id",
        "year",
        "value",
        "numerator",
        "denominator",
        pl.when(pl.col("value").is_null()).then(pl.lit("无实测学生")).otherwise(pl.lit("")).alias("note"),
    )


def first_class_kindergartens(inputs: IndicatorInputs) -> pl.DataFrame:
    """省一类以上 (省级示范、省一类) kindergartens / kindergartens open in the year × 100, by number."""
    grid = school_grid(inputs, [KINDERGARTEN]).join(
        inputs.schools.select("org_unit_id", "rating"), on="org_unit_id", how="left"
    )
    facts = sum_facts(grid, pl.col("rating").is_in(list(FIRST_CLASS_RATINGS)).fill_null(False), pl.lit(1))
    rolled = rollup(inputs, facts, grid, AREA_LEVELS)
    return finish("first_class_kindergarten_share", rolled, empty_note="无开办的幼儿园", factor=100.0)


def gigabit_schools(inputs: IndicatorInputs) -> pl.DataFrame:
    """中小学 with 出口带宽 ≥ 1000 Mbps / 中小学 with a 办学条件 record that year × 100."""
    facilities = inputs.facilities.join(
        inputs.schools.select("org_unit_id", "school_type"), on="org_unit_id", how="inner"
    ).filter(pl.col("school_type").is_in(GIGABIT_TYPES))
    facts = sum_facts(facilities, (pl.col("broadband_mbps") >= GIGABIT_MBPS).fill_null(False), pl.lit(1))
    rolled = rollup(inputs, facts, school_grid(inputs, GIGABIT_TYPES), AREA_LEVELS)
    have = set(inputs.facilities["year"].unique().to_list())
    missing = {y: f"缺少{y}年办学条件数据" for y in inputs.years if y not in have}
    return finish("gigabit_school_share", rolled, empty_note="无办学条件登记", factor=100.0, missing=missing)
