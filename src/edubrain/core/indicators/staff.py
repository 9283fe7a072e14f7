"""Indicators of the 专任教师: qualification and 双师型 shares, and the 城市/农村 ratio of 本科以上 shares.

A teacher counts in 学年 Y when employed in it: joined_year ≤ Y and (no left_year or left_year > Y).
"""

from __future__ import annotations

import polars as pl

from edubrain.core.indicators.catalogue import ALL_LEVELS
from edubrain.core.indicators.inputs import OUTPUT, URBAN, IndicatorInputs, empty
from edubrain.core.indicators.rollup import finish, rollup, school_grid, sum_facts
from edubrain.core.stages import (
    JUNIOR_SCHOOL,
    KINDERGARTEN,
    NINE_YEAR,
    PRIMARY_SCHOOL,
    SENIOR_HIGH,
    VOCATIONAL,
)

COMPULSORY_TYPES = (PRIMARY_SCHOOL, JUNIOR_SCHOOL, NINE_YEAR)
UPPER_SECONDARY_TYPES = (SENIOR_HIGH, VOCATIONAL)
POSTGRAD, BACHELOR, COLLEGE = "postgrad", "bachelor", "college"


def active_teachers(inputs: IndicatorInputs) -> pl.DataFrame:
    """专任教师 counts per school and 学年 they are employed in, with the school's type and 城乡分类."""
    schools = inputs.schools.select("org_unit_id", "school_type", "locality")
    return (
        inputs.staff.join(inputs.year_frame, how="cross")
        .filter(
            (pl.col("joined_year") <= pl.col("year"))
            & (pl.col("left_year").is_null() | (pl.col("left_year") > pl.col("year")))
        )
        .join(schools, on="org_unit_id", how="inner")
        .with_columns(
            pl.col("preschool_major").fill_null(False),
            pl.col("dual_qualified").fill_null(False),
            pl.col("professional_course").fill_null(False),
        )
    )


_BACHELOR_UP = pl.col("education").is_in([BACHELOR, POSTGRAD])
# code → (school types, who is counted, numerator condition, note when nobody is counted)
_SHARES: dict[str, tuple[tuple[str, ...], pl.Expr, pl.Expr, str]] = {
    "preschool_teacher_major_share": (
        (KINDERGARTEN,),
        pl.lit(True),
        pl.col("preschool_major"),
        "无幼儿园专任教师",
    ),
    "preschool_teacher_college_share": (
        (KINDERGARTEN,),
        pl.lit(True),
        pl.col("education").is_in([COLLEGE, BACHELOR, POSTGRAD]),
        "无幼儿园专任教师",
    ),
    "compulsory_teacher_bachelor_share": (
        COMPULSORY_TYPES,
        pl.lit(True),
        _BACHELOR_UP,
        "无义务教育学校专任教师",
    ),
    "senior_teacher_master_share": (
        UPPER_SECONDARY_TYPES,
        pl.lit(True),
        pl.col("education") == POSTGRAD,
        "无高中阶段专任教师",
    ),
    "vocational_dual_teacher_share": (
        (VOCATIONAL,),
        pl.col("professional_course"),
        pl.col("dual_qualified"),
        "无中职专任专业课教师",
    ),
}


def teacher_shares(inputs: IndicatorInputs) -> pl.DataFrame:
    """Each share = teachers meeting the condition / teachers counted × 100, county, 镇/街道 and school."""
    teachers = active_teachers(inputs)
    parts = []
    for code, (types, counted, condition, none) in _SHARES.items():
        rows = teachers.filter(pl.col("school_type").is_in(list(types)) & counted)
        facts = sum_facts(rows, pl.when(condition).then(pl.col("n")).otherwise(0), pl.col("n"))
        rolled = rollup(inputs, facts, school_grid(inputs, types), ALL_LEVELS)
        parts.append(finish(code, rolled, empty_note=none, factor=100.0))
    return pl.concat(parts)


def urban_rural_ratio(inputs: IndicatorInputs) -> pl.DataFrame:
    """城市 (城区) 本科以上 share / 农村 (镇区 + 乡村) share of 义务教育学校 teachers, county only;
    numerator and denominator hold the two shares (%)."""
    teachers = active_teachers(inputs).filter(pl.col("school_type").is_in(list(COMPULSORY_TYPES)))
    urban = pl.col("locality") == URBAN
    n, degree = pl.col("n"), pl.when(_BACHELOR_UP).then(pl.col("n")).otherwise(0)
    sums = teachers.group_by("year").agg(
        pl.when(urban).then(degree).otherwise(0).sum().alias("u_num"),
        pl.when(urban).then(n).otherwise(0).sum().alias("u_den"),
        pl.when(~urban).then(degree).otherwise(0).sum().alias("r_num"),
        pl.when(~urban).then(n).otherwise(0).sum().alias("r_den"),
    )
    base = inputs.year_frame.join(sums, on="year", how="left").with_columns(
        pl.col(c).fill_null(0).cast(pl.Float64) for c in ("u_num", "u_den", "r_num", "r_den")
    )
    if base.height == 0:
        return empty(OUTPUT)
    urban_share = pl.when(pl.col("u_den") > 0).then(pl.col("u_num") / pl.col("u_den") * 100)
    rural_share = pl.when(pl.col("r_den") > 0).then(pl.col("r_num") / pl.col("r_den") * 100)
    note = (
        pl.when(pl.col("u_den") == 0)
        .then(pl.lit("无城区义务教育学校专任教师"))
        .when(pl.col("r_den") == 0)
        .then(pl.lit("无镇区、乡村义务教育学校专任教师"))
        .when(pl.col("r_num") == 0)
        .then(pl.lit("镇区、乡村学校本科以上学历比例为0"))
        .otherwise(pl.lit(""))
    )
    return base.with_columns(urban_share.alias("numerator"), rural_share.alias("denominator")).select(
        pl.lit("urban_rural_bachelor_ratio").alias("indicator"),
        pl.lit(inputs.county_id, dtype=pl.Int64).alias("org_unit_id"),
        pl.col("year").cast(pl.Int64),
        pl.when(pl.col("denominator") > 0)
        .then(pl.col("numerator") / pl.col("denominator"))
        .cast(pl.Float64)
        .alias("value"),
        pl.col("numerator").cast(pl.Float64),
        pl.col("denominator").cast(pl.Float64),
        note.alias("note"),
    )
