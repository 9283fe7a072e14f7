"""The indicator formulas, one function per indicator family, and what each value was computed from.

    compute(inputs, codes=None)     every computed indicator (or those in ``codes``) for the county, its
                                    镇/街道 and schools and every year of the bundle: a long frame
                                    indicator, org_unit_id, year, value, numerator, denominator, note
    provenance(inputs, codes=None)  indicator, year, provenance ("学籍 2024学年 4.3万条；常住人口 2024")
    COMPUTED_CODES                  the codes ``compute`` produces (the catalogue's ``computed`` ones)

A value is null, with a Chinese ``note``, wherever it cannot be computed (no pupils, no population data, a
year without 学籍) — never 0 and never an exception. Everything is vectorised over the bundle's frames.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

import polars as pl

from edubrain.core.indicators import enrolment, staff, supplied, vision
from edubrain.core.indicators.inputs import OUTPUT, IndicatorInputs, conform
from edubrain.core.stages import JUNIOR, KINDERGARTEN, school_system_grades

Formula = Callable[[IndicatorInputs], pl.DataFrame]

# (codes, formula, data sources named in the provenance)
FAMILIES: tuple[tuple[tuple[str, ...], Formula, tuple[str, ...]], ...] = (
    (
        ("preschool_enrolment", "compulsory_enrolment", "upper_secondary_enrolment", "vocational_enrolment"),
        enrolment.enrolment_counts,
        ("enrolment",),
    ),
    (
        ("preschool_gross_rate", "upper_secondary_gross_rate"),
        enrolment.gross_rates,
        ("enrolment", "population"),
    ),
    (
        ("public_kindergarten_share", "inclusive_kindergarten_coverage"),
        enrolment.kindergarten_shares,
        ("enrolment",),
    ),
    (("compulsory_retention_rate", "junior_retention_rate"), enrolment.retention_rates, ("cohort",)),
    (("large_class_count", "super_large_class_count"), enrolment.class_sizes, ("classes",)),
    (("oversized_school_count",), enrolment.oversized_schools, ("enrolment",)),
    (("education_expenditure", "per_pupil_expenditure"), enrolment.expenditure, ("finance", "enrolment")),
    (
        (
            "preschool_teacher_major_share",
            "preschool_teacher_college_share",
            "compulsory_teacher_bachelor_share",
            "senior_teacher_master_share",
            "vocational_dual_teacher_share",
        ),
        staff.teacher_shares,
        ("staff",),
    ),
    (("urban_rural_bachelor_ratio",), staff.urban_rural_ratio, ("staff",)),
    (("adult_schooling_years",), supplied.schooling_years, ("schooling",)),
    (supplied.FITNESS_CODES, supplied.fitness_rates, ("fitness",)),
    (("first_class_kindergarten_share",), supplied.first_class_kindergartens, ("schools",)),
    (("gigabit_school_share",), supplied.gigabit_schools, ("facilities",)),
    (vision.MYOPIA_CODES, vision.myopia_rate, ("vision",)),
)
COMPUTED_CODES: tuple[str, ...] = tuple(code for codes, _, _ in FAMILIES for code in codes)
# Sources a single indicator of a family does not use.
_NOT_USED = {"education_expenditure": ("enrolment",)}


def compute(inputs: IndicatorInputs, codes: Collection[str] | None = None) -> pl.DataFrame:
    """Every computed indicator (or only ``codes``) for every org unit and year of the bundle."""
    wanted = set(COMPUTED_CODES if codes is None else codes)
    parts = [conform(formula(inputs), OUTPUT) for family, formula, _ in FAMILIES if wanted & set(family)]
    if not parts:
        return pl.DataFrame(schema=OUTPUT)
    frame = pl.concat(parts).filter(pl.col("indicator").is_in(list(wanted)))
    return frame.sort("indicator", "year", "org_unit_id")


def _count(n: float) -> str:
    return f"{n / 10000:.1f}万" if n >= 10000 else f"{n:,.0f}"


def _per_year(frame: pl.DataFrame, value: pl.Expr) -> dict[int, float]:
    if frame.height == 0:
        return {}
    rows = frame.group_by("year").agg(value.alias("v")).iter_rows()
    return {int(y): float(v or 0) for y, v in rows}


def _sources(frame: pl.DataFrame) -> dict[int, str]:
    if frame.height == 0:
        return {}
    rows = (
        frame.group_by("year").agg(pl.col("source").drop_nulls().unique().sort().str.join("、")).iter_rows()
    )
    return {int(y): str(s) for y, s in rows}


def _describers(inputs: IndicatorInputs) -> dict[str, Callable[[int], str]]:
    """source name → year → a short Chinese description of the data used."""
    records = _per_year(inputs.enrolments, pl.col("n").sum())
    teachers = _per_year(staff.active_teachers(inputs), pl.col("n").sum())
    classes = _per_year(inputs.classes, pl.len())
    facilities = _per_year(inputs.facilities, pl.len())
    budget = _per_year(inputs.finance.filter(pl.col("org_unit_id") == inputs.county_id), pl.len())
    population = _sources(inputs.population)
    schooling = _sources(inputs.schooling.filter(pl.col("org_unit_id") == inputs.county_id))
    tested = _per_year(
        inputs.module_values.filter(
            (pl.col("indicator") == supplied.FITNESS_CODES[0]) & (pl.col("org_unit_id") == inputs.county_id)
        ),
        pl.col("denominator").sum(),
    )
    screened = _per_year(inputs.screenings, pl.col("n").sum())
    kindergartens = inputs.schools.filter(pl.col("school_type") == KINDERGARTEN).height
    spans = school_system_grades(inputs.school_system)
    junior_span = len(spans[JUNIOR]) - 1

    def enrolled(y: int) -> str:
        return f"学籍 {y}学年 {_count(records[y])}条" if records.get(y) else f"学籍 {y}学年：无"

    def cohort(y: int) -> str:
        return f"学籍 {y - 8}—{y}学年按届追踪（初中 {y - junior_span}—{y}学年）"

    def with_source(label: str, sources: dict[int, str], y: int) -> str:
        return f"{label} {y}（{sources[y] or '未注明来源'}）" if y in sources else f"{label} {y}：无"

    return {
        "enrolment": enrolled,
        "cohort": cohort,
        "population": lambda y: with_source("常住人口", population, y),
        "staff": lambda y: f"专任教师 {_count(teachers.get(y, 0))}人（{y}学年在职）",
        "classes": lambda y: f"班级 {y}学年 {_count(classes.get(y, 0))}个",
        "finance": lambda y: f"教育经费 {y}年" if budget.get(y) else f"教育经费 {y}年：无",
        "schooling": lambda y: with_source("平均受教育年限", schooling, y),
        "fitness": lambda y: f"体质健康测试 {y}学年 实测{_count(tested.get(y, 0))}人",
        "schools": lambda y: f"学校登记 幼儿园{kindergartens}所（当前等级）",
        "facilities": lambda y: f"办学条件 {y}年 {_count(facilities.get(y, 0))}所",
        "vision": lambda y: f"视力筛查 {y}学年 有效筛查{_count(screened.get(y, 0))}人",
    }


def provenance(inputs: IndicatorInputs, codes: Collection[str] | None = None) -> pl.DataFrame:
    """indicator, year, provenance: the data each computed value of the year was computed from."""
    wanted = set(COMPUTED_CODES if codes is None else codes)
    describe = _describers(inputs)
    rows: list[tuple[str, int, str]] = []
    for family, _, sources in FAMILIES:
        for code in family:
            if code not in wanted:
                continue
            used = [s for s in sources if s not in _NOT_USED.get(code, ())]
            rows += [(code, y, "；".join(describe[s](y) for s in used)[:300]) for y in inputs.years]
    return pl.DataFrame(
        rows, schema={"indicator": pl.String(), "year": pl.Int64(), "provenance": pl.String()}, orient="row"
    )
