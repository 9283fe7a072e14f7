"""Indicators from 学籍 (pupils on roll): 在园/在校 counts, 毛入园率/毛入学率, 公办/普惠 shares of 在园幼儿,
巩固率 (cohort), 大班额 (class sizes), 大校额 (school sizes) and the 教育经费 figures (total, and per pupil
on roll).

On roll (在校) = status 在籍 or 转入, as everywhere in the registry.
"""

from __future__ import annotations

from collections.abc import Collection

import polars as pl

from edubrain.core.indicators.catalogue import ALL_LEVELS, AREA_LEVELS
from edubrain.core.indicators.inputs import (
    GRADUATED,
    ON_ROLL,
    OUTPUT,
    PUBLIC,
    TRANSFERRED_IN,
    TRANSFERRED_OUT,
    IndicatorInputs,
    empty,
)
from edubrain.core.indicators.rollup import (
    finish,
    missing_enrolment_notes,
    rollup,
    school_grid,
    sum_facts,
)
from edubrain.core.places.class_size import (
    CLASS_SIZE_EXCLUDED_TYPES,
    SchoolSizeOptions,
    classify_classes,
    in_class_size_scope,
    school_size,
)
from edubrain.core.stages import (
    COMPLETE_SECONDARY,
    JUNIOR,
    JUNIOR_SCHOOL,
    NINE_YEAR,
    PRESCHOOL,
    PRIMARY,
    PRIMARY_SCHOOL,
    SCHOOL_TYPES,
    SENIOR,
    TWELVE_YEAR,
    VOCATIONAL,
    school_system_grades,
)

PRESCHOOL_GRADES = ("01", "02", "03")
COMPULSORY_GRADES = ("11", "12", "13", "14", "15", "16", "21", "22", "23", "24")
SENIOR_GRADES = ("31", "32", "33")
# 大校额: 义务教育段在校生 above these (优质均衡 G4).
SCHOOL_SIZE_LIMITS: dict[str, int] = {
    PRIMARY_SCHOOL: 2000,
    JUNIOR_SCHOOL: 2000,
    COMPLETE_SECONDARY: 2000,
    NINE_YEAR: 2500,
    TWELVE_YEAR: 2500,
}


def types_teaching(*stages: str) -> list[str]:
    """办学类型 that teach any of the stages."""
    return [t for t, (_, taught) in SCHOOL_TYPES.items() if set(taught) & set(stages)]


def pupils(
    inputs: IndicatorInputs, grades: Collection[str], statuses: Collection[str] = ON_ROLL
) -> pl.DataFrame:
    """学籍 counts of the grades and statuses, with the school's type, ownership and 普惠 flag."""
    schools = inputs.schools.select("org_unit_id", "school_type", "ownership", "is_puhui")
    return inputs.enrolments.filter(
        pl.col("grade_code").is_in(list(grades)) & pl.col("status").is_in(list(statuses))
    ).join(schools, on="org_unit_id", how="inner")


# code → (grades, school types counted, note when there are none)
_COUNTS: dict[str, tuple[tuple[str, ...], list[str], str]] = {
    "preschool_enrolment": (PRESCHOOL_GRADES, types_teaching(PRESCHOOL), "无在园幼儿"),
    "compulsory_enrolment": (COMPULSORY_GRADES, types_teaching(PRIMARY, JUNIOR), "无义务教育在校生"),
    "upper_secondary_enrolment": (SENIOR_GRADES, types_teaching(SENIOR), "无高中阶段在校生"),
    "vocational_enrolment": (SENIOR_GRADES, [VOCATIONAL], "无中职在校生"),
}


def enrolment_counts(inputs: IndicatorInputs) -> pl.DataFrame:
    """在园人数, 义务教育/高中阶段/中职在校生 (万人; numerator = persons) for county, 镇/街道 and school."""
    missing = missing_enrolment_notes(inputs)
    parts = []
    for code, (grades, types, none) in _COUNTS.items():
        rows = pupils(inputs, grades).filter(pl.col("school_type").is_in(types))
        counted = sum_facts(rows, pl.col("n"), pl.col("n"))
        rolled = rollup(inputs, counted, school_grid(inputs, types), ALL_LEVELS)
        parts.append(finish(code, rolled, empty_note=none, factor=1e-4, count=True, missing=missing))
    return pl.concat(parts)


def area_population(inputs: IndicatorInputs, ages: range) -> pl.DataFrame:
    """Population of the given single years of age per area and year (org_unit_id, year, den); an area
    counts only when every age is given. The county's own figure, else the sum of its 镇/街道."""
    wanted = inputs.population.filter(pl.col("age").is_in(list(ages)))
    per_area = (
        wanted.group_by("org_unit_id", "year")
        .agg(pl.col("population").sum().cast(pl.Float64).alias("den"), pl.col("age").n_unique().alias("ages"))
        .filter(pl.col("ages") == len(ages))
        .drop("ages")
    )
    county = per_area.filter(pl.col("org_unit_id") == inputs.county_id)
    from_towns = (
        per_area.filter(pl.col("org_unit_id").is_in(list(inputs.towns)))
        .group_by("year")
        .agg(pl.col("den").sum())
        .join(county.select("year"), on="year", how="anti")
        .select(pl.lit(inputs.county_id, dtype=pl.Int64).alias("org_unit_id"), "year", "den")
    )
    return pl.concat([per_area.filter(pl.col("org_unit_id") != inputs.county_id), county, from_towns])


# code → (grades, school types, ages, age label)
_GROSS: dict[str, tuple[tuple[str, ...], list[str], range, str]] = {
    "preschool_gross_rate": (PRESCHOOL_GRADES, types_teaching(PRESCHOOL), range(3, 6), "3—5岁"),
    "upper_secondary_gross_rate": (SENIOR_GRADES, types_teaching(SENIOR), range(15, 18), "15—17岁"),
}


def gross_rates(inputs: IndicatorInputs) -> pl.DataFrame:
    """毛入园率 and 高中阶段毛入学率: pupils of the stage (any age) / population of the stage's ages × 100,
    for the county and every 镇/街道 with population data."""
    missing = missing_enrolment_notes(inputs)
    parts = []
    for code, (grades, types, ages, label) in _GROSS.items():
        counted = sum_facts(pupils(inputs, grades), pl.col("n"), pl.col("n"))
        rolled = rollup(inputs, counted, school_grid(inputs, types), AREA_LEVELS).drop("den")
        rows = rolled.join(area_population(inputs, ages), on=["org_unit_id", "year"], how="left")
        parts.append(finish(code, rows, empty_note=f"缺少{label}人口数据", factor=100.0, missing=missing))
    return pl.concat(parts)


def kindergarten_shares(inputs: IndicatorInputs) -> pl.DataFrame:
    """公办园在园幼儿占比 and 普惠性幼儿园覆盖率 (公办 + 普惠性民办) of all 在园幼儿, county and 镇/街道."""
    missing = missing_enrolment_notes(inputs)
    types = types_teaching(PRESCHOOL)
    rows = pupils(inputs, PRESCHOOL_GRADES)
    public = pl.col("ownership") == PUBLIC
    numerators = {
        "public_kindergarten_share": public,
        "inclusive_kindergarten_coverage": public | pl.col("is_puhui").fill_null(False),
    }
    parts = []
    for code, which in numerators.items():
        counted = sum_facts(rows, pl.when(which).then(pl.col("n")).otherwise(0), pl.col("n"))
        rolled = rollup(inputs, counted, school_grid(inputs, types), AREA_LEVELS)
        parts.append(finish(code, rolled, empty_note="无在园幼儿", factor=100.0, missing=missing))
    return pl.concat(parts)


def cohort_retention(
    inputs: IndicatorInputs, code: str, sequence: tuple[str, ...], types: Collection[str], entry: str
) -> pl.DataFrame:
    """巩固率 of the cohort that reaches the last grade of ``sequence`` in year Y, having started in its first
    grade in Y − (len − 1): final grade (在籍, 转入, 毕业) / (first grade on roll + later 转入 − later 转出)
    × 100. Every record is credited to the school it belongs to, so the sums roll up."""
    span = len(sequence) - 1
    positions = pl.DataFrame(
        {"grade_code": list(sequence), "pos": list(range(len(sequence)))},
        schema={"grade_code": pl.String(), "pos": pl.Int64()},
    )
    rows = inputs.enrolments.join(positions, on="grade_code", how="inner").with_columns(
        (pl.col("year") + span - pl.col("pos")).alias("year")
    )
    first, later, status, n = pl.col("pos") == 0, pl.col("pos") > 0, pl.col("status"), pl.col("n")
    den = (
        pl.when(first & status.is_in(list(ON_ROLL)))
        .then(n)
        .when(later & (status == TRANSFERRED_IN))
        .then(n)
        .when(later & (status == TRANSFERRED_OUT))
        .then(-n)
        .otherwise(0)
    )
    num = pl.when((pl.col("pos") == span) & status.is_in([*ON_ROLL, GRADUATED])).then(n).otherwise(0)
    rolled = rollup(inputs, sum_facts(rows, num, den), school_grid(inputs, types), AREA_LEVELS)
    have = inputs.enrolment_years()
    missing = {}
    for y in inputs.years:
        gaps = [t for t in range(y - span, y + 1) if t not in have]
        if gaps:
            missing[y] = (
                f"缺少{gaps[0]}学年学籍数据（需{y - span}—{y}学年连续学籍，{y - span}学年{entry}起算）"
            )
    return finish(code, rolled, empty_note="无可追踪的学生", factor=100.0, missing=missing)


def retention_rates(inputs: IndicatorInputs) -> pl.DataFrame:
    """九年义务教育巩固率 (一年级 → 初中毕业年级) and 初中巩固率 (初一 → 初中毕业年级) under the 学制."""
    grades = school_system_grades(inputs.school_system)
    nine = grades[PRIMARY] + grades[JUNIOR]
    return pl.concat(
        [
            cohort_retention(
                inputs, "compulsory_retention_rate", nine, types_teaching(PRIMARY, JUNIOR), "一年级"
            ),
            cohort_retention(inputs, "junior_retention_rate", grades[JUNIOR], types_teaching(JUNIOR), "初一"),
        ]
    )


def class_sizes(inputs: IndicatorInputs) -> pl.DataFrame:
    """大班额 (≥ 56) and 超大班额 (≥ 66) class counts of 小学、初中、普通高中 classes, per class size — the
    classes and flags of ``core.places`` (``in_class_size_scope``, ``classify_classes``), as on the 班额
    page."""
    types = [t for t in SCHOOL_TYPES if t not in CLASS_SIZE_EXCLUDED_TYPES]
    classes = classify_classes(
        inputs.classes.join(
            inputs.schools.select("org_unit_id", "school_type"), on="org_unit_id", how="inner"
        ).filter(in_class_size_scope())
    )
    have = set(inputs.classes["year"].unique().to_list())
    missing = {y: f"缺少{y}学年班级数据" for y in inputs.years if y not in have}
    parts = []
    for code, flag in (
        ("large_class_count", "large_class"),
        ("super_large_class_count", "super_large_class"),
    ):
        counted = sum_facts(classes, pl.col(flag).fill_null(False).cast(pl.Int64), pl.lit(1))
        rolled = rollup(inputs, counted, school_grid(inputs, types), ALL_LEVELS)
        parts.append(finish(code, rolled, empty_note="无班级数据", count=True, missing=missing))
    return pl.concat(parts)


def oversized_schools(inputs: IndicatorInputs) -> pl.DataFrame:
    """大校额学校数: schools whose 义务教育段 on-roll pupils exceed their type's limit (2000 / 2500) — the
    ``core.places.school_size`` test, as on the 班额 page."""
    per_school = (
        pupils(inputs, COMPULSORY_GRADES)
        .group_by("org_unit_id", "school_type", "year")
        .agg(pl.col("n").sum().alias("pupils"))
        .pipe(school_size, SchoolSizeOptions(limits=SCHOOL_SIZE_LIMITS))
        .filter(pl.col("size_limit").is_not_null())
    )
    counted = sum_facts(per_school, pl.col("over_size_limit").cast(pl.Int64), pl.col("pupils") > 0)
    rolled = rollup(inputs, counted, school_grid(inputs, list(SCHOOL_SIZE_LIMITS)), ALL_LEVELS)
    missing = missing_enrolment_notes(inputs)
    return finish(
        "oversized_school_count", rolled, empty_note="无义务教育在校生", count=True, missing=missing
    )


def expenditure(inputs: IndicatorInputs) -> pl.DataFrame:
    """一般公共预算教育支出 (万元) and 生均 (元 per on-roll pupil of every level), county only."""
    budget = (
        inputs.finance.filter(pl.col("org_unit_id") == inputs.county_id)
        .group_by("year")
        .agg(pl.col("general_budget").sum().alias("budget"), pl.len().alias("reported"))
    )
    enrolled = inputs.enrolments.filter(
        pl.col("status").is_in(list(ON_ROLL))
        & pl.col("org_unit_id").is_in(inputs.schools["org_unit_id"].to_list())
    )
    on_roll = enrolled.group_by("year").agg(pl.col("n").sum().cast(pl.Float64).alias("pupils"))
    base = inputs.year_frame.join(budget, on="year", how="left").join(on_roll, on="year", how="left")
    county = pl.lit(inputs.county_id, dtype=pl.Int64).alias("org_unit_id")
    no_budget = {y: f"缺少{y}年教育经费数据" for y in inputs.years if y not in set(budget["year"].to_list())}
    total = base.select(county, "year", pl.col("budget").alias("num"), pl.col("reported").alias("den"))
    per_pupil = base.select(
        county, "year", pl.col("budget").alias("num"), pl.col("pupils").fill_null(0.0).alias("den")
    )
    missing_pupils = {**missing_enrolment_notes(inputs), **no_budget}
    if base.height == 0:
        return empty(OUTPUT)
    return pl.concat(
        [
            finish(
                "education_expenditure",
                total,
                empty_note="缺少教育经费数据",
                factor=1e-4,
                count=True,
                missing=no_budget,
            ),
            finish("per_pupil_expenditure", per_pupil, empty_note="无在校学生", missing=missing_pupils),
        ]
    )
