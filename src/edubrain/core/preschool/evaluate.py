"""学前教育普及普惠 (universal and affordable preschool) per unit — 镇/街道 or the county — against the
national thresholds of 《县域学前教育普及普惠督导评估办法》 (standards.md §2) and the plan's own stricter
targets.

Indicators (value = numerator / denominator × factor):

- 学前三年毛入园率 = 在园幼儿数 (all ages) / 3–5 岁人口 × 100 (§2.1, §3.1): national ≥ 85 %, plan ≥ 99 % (plan
  Table 1, 预期性).
- 普惠性幼儿园覆盖率 = (公办园 + 普惠性民办园在园幼儿) / 全部在园幼儿 × 100: national ≥ 80 %, plan ≥ 90 %.
- 公办园在园幼儿占比 = 公办园在园幼儿 / 全部在园幼儿 × 100: national ≥ 50 %, plan ≥ 65 %.
- §2.2 (◐, provincial/county restatements labelled "国家标准"): 在园幼儿 / 专任教师 ≤ 15, 班额达标率 ≥ 85 %,
  园长和专任教师持证上岗率 = 100 %; and (⚠) 在园幼儿 / 教职工 ≤ 7 (the laxer end of 1 : 5–1 : 7).
- Plan targets only: 省一类以上幼儿园占比 ≥ 60 %, 幼儿教师专科及以上学历占比 ≥ 85 %.

A missing input gives a null value with status 不可评估 and the reason, never a silent 0; so does a zero
denominator. Pass/fail compares numerator × factor with threshold × denominator, so a value exactly at the
threshold passes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

__all__ = [
    "INPUT_COLUMNS",
    "INDICATORS",
    "OUTPUT_COLUMNS",
    "PreschoolOptions",
    "STATUSES",
    "add_total",
    "evaluate_preschool",
    "preschool_verdict",
]

PASS, FAIL, UNASSESSED = "达标", "未达标", "不可评估"
STATUSES = (PASS, FAIL, UNASSESSED)
NATIONAL, PLAN = "national", "plan"
LEVEL_LABELS = {NATIONAL: "国家标准", PLAN: "规划目标"}

# Input column → its Chinese name (used in reasons).
INPUT_COLUMNS: dict[str, str] = {
    "enrolled": "在园幼儿数",
    "population_3_5": "3–5岁人口数",
    "public_enrolled": "公办园在园幼儿数",
    "puhui_private_enrolled": "普惠性民办园在园幼儿数",
    "teachers": "专任教师数",
    "staff": "教职工数",
    "classes": "班级数",
    "standard_classes": "班额达标班级数",
    "heads_and_teachers": "园长和专任教师数",
    "certified_heads_and_teachers": "持证上岗的园长和专任教师数",
    "kindergartens": "幼儿园数",
    "provincial_class1_kindergartens": "省一类以上幼儿园数",
    "college_teachers": "专科及以上学历专任教师数",
}

OUTPUT_COLUMNS = (
    "indicator",
    "indicator_name",
    "level",
    "level_label",
    "numerator",
    "denominator",
    "value",
    "value_unit",
    "comparison",
    "threshold",
    "status",
    "reason",
    "basis",
)

_OFFICIAL = "《县域学前教育普及普惠督导评估办法》"
_RESTATED = "普及普惠督导评估地方细则（待核实）"
_PLAN = "沂源县教育事业发展“十四五”规划"


@dataclass(frozen=True)
class Indicator:
    """``numerator``: input columns summed; ``at_least``: True for "≥ threshold", False for "≤"."""

    code: str
    name: str
    numerator: tuple[str, ...]
    denominator: str
    factor: float
    value_unit: str
    at_least: bool = True


INDICATORS: dict[str, Indicator] = {
    i.code: i
    for i in (
        Indicator("gross_enrolment_rate", "学前三年毛入园率", ("enrolled",), "population_3_5", 100, "%"),
        Indicator(
            "puhui_coverage",
            "普惠性幼儿园覆盖率",
            ("public_enrolled", "puhui_private_enrolled"),
            "enrolled",
            100,
            "%",
        ),
        Indicator("public_share", "公办园在园幼儿占比", ("public_enrolled",), "enrolled", 100, "%"),
        Indicator(
            "children_per_teacher", "在园幼儿与专任教师比", ("enrolled",), "teachers", 1, "人/专任教师", False
        ),
        Indicator("children_per_staff", "在园幼儿与教职工比", ("enrolled",), "staff", 1, "人/教职工", False),
        Indicator("class_standard_rate", "班额达标率", ("standard_classes",), "classes", 100, "%"),
        Indicator(
            "certification_rate",
            "园长、专任教师持证上岗率",
            ("certified_heads_and_teachers",),
            "heads_and_teachers",
            100,
            "%",
        ),
        Indicator(
            "provincial_class1_share",
            "省一类以上幼儿园占比",
            ("provincial_class1_kindergartens",),
            "kindergartens",
            100,
            "%",
        ),
        Indicator(
            "college_teacher_share",
            "幼儿教师专科及以上学历占比",
            ("college_teachers",),
            "teachers",
            100,
            "%",
        ),
    )
}


@dataclass(frozen=True)
class PreschoolOptions:
    """Thresholds; ``None`` leaves a check out. ``national_*``: the 办法 (§2.1 ✅) and its §2.2 restatements
    (◐; ``max_children_per_staff`` ⚠ from 《幼儿园教职工配备标准(暂行)》); ``plan_*``: the 沂源 plan."""

    national_gross_enrolment_rate: float | None = 85.0
    national_puhui_coverage: float | None = 80.0
    national_public_share: float | None = 50.0
    max_children_per_teacher: float | None = 15.0
    max_children_per_staff: float | None = 7.0
    class_standard_rate: float | None = 85.0
    certification_rate: float | None = 100.0
    plan_gross_enrolment_rate: float | None = 99.0
    plan_puhui_coverage: float | None = 90.0
    plan_public_share: float | None = 65.0
    plan_provincial_class1_share: float | None = 60.0
    plan_college_teacher_share: float | None = 85.0

    def checks(self) -> list[tuple[str, str, float, str]]:
        """(indicator code, level, threshold, basis) of every check that is on."""
        rows = [
            ("gross_enrolment_rate", NATIONAL, self.national_gross_enrolment_rate, _OFFICIAL),
            ("puhui_coverage", NATIONAL, self.national_puhui_coverage, _OFFICIAL),
            ("public_share", NATIONAL, self.national_public_share, _OFFICIAL),
            ("children_per_teacher", NATIONAL, self.max_children_per_teacher, _RESTATED),
            (
                "children_per_staff",
                NATIONAL,
                self.max_children_per_staff,
                "《幼儿园教职工配备标准（暂行）》（待核实）",
            ),
            ("class_standard_rate", NATIONAL, self.class_standard_rate, _RESTATED),
            ("certification_rate", NATIONAL, self.certification_rate, _RESTATED),
            ("gross_enrolment_rate", PLAN, self.plan_gross_enrolment_rate, _PLAN),
            ("puhui_coverage", PLAN, self.plan_puhui_coverage, _PLAN),
            ("public_share", PLAN, self.plan_public_share, _PLAN),
            ("provincial_class1_share", PLAN, self.plan_provincial_class1_share, _PLAN),
            ("college_teacher_share", PLAN, self.plan_college_teacher_share, _PLAN),
        ]
        return [(code, level, float(t), basis) for code, level, t, basis in rows if t is not None]


def _with_inputs(units: pl.DataFrame) -> pl.DataFrame:
    """Every input column present, as Float64 (absent ones all null)."""
    return units.with_columns(
        (pl.col(c) if c in units.columns else pl.lit(None)).cast(pl.Float64).alias(c) for c in INPUT_COLUMNS
    )


def _missing_reason(columns: Sequence[str]) -> pl.Expr:
    """ "缺少X、Y" naming the null inputs, or null when none is."""
    parts = [pl.when(pl.col(c).is_null()).then(pl.lit(INPUT_COLUMNS[c])) for c in columns]
    text = pl.concat_str(parts, separator="、", ignore_nulls=True)
    return pl.when(text != "").then(pl.concat_str(pl.lit("缺少"), text))


def _evaluate(
    frame: pl.DataFrame, keys: list[str], code: str, level: str, threshold: float, basis: str
) -> pl.DataFrame:
    ind = INDICATORS[code]
    num = pl.sum_horizontal(*ind.numerator)
    num = pl.when(pl.any_horizontal(*(pl.col(c).is_null() for c in ind.numerator))).then(None).otherwise(num)
    den = pl.col(ind.denominator)
    scaled = num * ind.factor
    reason = (
        pl.when(num.is_null() | den.is_null())
        .then(_missing_reason([*ind.numerator, ind.denominator]))
        .when(den == 0)
        .then(pl.lit(f"{INPUT_COLUMNS[ind.denominator]}为0，无法计算"))
    )
    meets = scaled >= threshold * den if ind.at_least else scaled <= threshold * den
    return frame.select(
        *keys,
        pl.lit(code).alias("indicator"),
        pl.lit(ind.name).alias("indicator_name"),
        pl.lit(level).alias("level"),
        pl.lit(LEVEL_LABELS[level]).alias("level_label"),
        num.alias("numerator"),
        den.alias("denominator"),
        pl.when(den != 0).then((scaled / den).round(2)).alias("value"),
        pl.lit(ind.value_unit).alias("value_unit"),
        pl.lit("≥" if ind.at_least else "≤").alias("comparison"),
        pl.lit(threshold).alias("threshold"),
        pl.when(reason.is_not_null())
        .then(pl.lit(UNASSESSED))
        .when(meets)
        .then(pl.lit(PASS))
        .otherwise(pl.lit(FAIL))
        .alias("status"),
        reason.alias("reason"),
        pl.lit(basis).alias("basis"),
    )


def evaluate_preschool(
    units: pl.DataFrame, by: Sequence[str] = ("unit",), options: PreschoolOptions | None = None
) -> pl.DataFrame:
    """One row per unit (the ``by`` columns, e.g. ``unit`` or ``unit``, ``year``) and check.

    Input columns (counts; any may be absent or null): ``INPUT_COLUMNS`` — ``enrolled`` (在园幼儿数),
    ``population_3_5`` (3–5 岁人口), ``public_enrolled``, ``puhui_private_enrolled``, ``teachers`` (专任教师),
    ``staff`` (教职工), ``classes``, ``standard_classes`` (班额达标, see ``places.class_size_summary``),
    ``heads_and_teachers``, ``certified_heads_and_teachers``, ``kindergartens``,
    ``provincial_class1_kindergartens``, ``college_teachers``.

    Output columns: the ``by`` columns then ``OUTPUT_COLUMNS`` — ``indicator`` (code), ``indicator_name``,
    ``level`` (national/plan), ``level_label`` (国家标准/规划目标), ``numerator``, ``denominator``, ``value``
    (two places; null when not computable), ``value_unit``, ``comparison`` (≥/≤), ``threshold``, ``status``
    (达标/未达标/不可评估), ``reason`` (why 不可评估), ``basis`` (the document behind the threshold).
    """
    o = options or PreschoolOptions()
    keys = list(by)
    frame = _with_inputs(units).with_row_index("__unit_row")
    parts = [
        _evaluate(frame, [*keys, "__unit_row"], code, level, t, basis) for code, level, t, basis in o.checks()
    ]
    # unit by unit in input order, each unit's checks in ``PreschoolOptions.checks`` order
    ordered = pl.concat(parts, how="vertical").sort("__unit_row", maintain_order=True)
    return ordered.select(*keys, *OUTPUT_COLUMNS)


def add_total(
    units: pl.DataFrame, *, unit: str = "unit", label: str = "全县", by: Sequence[str] = ()
) -> pl.DataFrame:
    """``units`` plus a total row per group of ``by`` (e.g. year) with ``unit`` = ``label``: each input column
    summed over the units, null when any unit lacks it (a county figure is never silently short). Use it
    only when the units partition the county (the 3–5 岁人口 of the towns add up to the county's)."""
    frame = _with_inputs(units)
    present = [c for c in INPUT_COLUMNS if c in units.columns]
    sums = [pl.when(pl.col(c).null_count() == 0).then(pl.col(c).sum()).alias(c) for c in present]
    keys = list(by)
    total = (
        frame.group_by(keys, maintain_order=True).agg(sums) if keys else frame.select(sums)
    ).with_columns(pl.lit(label).cast(frame.schema[unit]).alias(unit))
    cast = units.with_columns(pl.col(c).cast(pl.Float64) for c in present)
    return pl.concat([cast, total], how="diagonal")


def preschool_verdict(evaluated: pl.DataFrame, by: Sequence[str] = ("unit",)) -> pl.DataFrame:
    """Per unit and level: ``checks``, ``passed``, ``failed``, ``unassessed`` and ``status`` — 未达标 when any
    check failed, else 不可评估 when any could not be assessed, else 达标."""
    keys = [*by, "level", "level_label"]
    status = pl.col("status")
    return (
        evaluated.group_by(keys, maintain_order=True)
        .agg(
            pl.len().cast(pl.Int64).alias("checks"),
            (status == PASS).sum().cast(pl.Int64).alias("passed"),
            (status == FAIL).sum().cast(pl.Int64).alias("failed"),
            (status == UNASSESSED).sum().cast(pl.Int64).alias("unassessed"),
        )
        .with_columns(
            pl.when(pl.col("failed") > 0)
            .then(pl.lit(FAIL))
            .when(pl.col("unassessed") > 0)
            .then(pl.lit(UNASSESSED))
            .otherwise(pl.lit(PASS))
            .alias("status")
        )
    )
