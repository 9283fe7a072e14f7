"""The seven 资源配置 indicators of 县域义务教育优质均衡 and the per-school test (standards.md §1.2–1.3).

For one school and stage with P = 在校生数 and R = the resource, x = c · R / P (c = 100 for the 每百名
indicators). A school meets the resource test when at least 6 of the 7 values reach their thresholds and
every one of the rest is at least 85 % of its threshold (◐: the rule, the L4–L7 thresholds and the 85 %
are options of ``BalanceOptions``). ``school_values`` computes all of it in one vectorised pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import polars as pl

__all__ = [
    "DEFAULT_OPTIONS",
    "ERROR",
    "INDICATORS",
    "MET_COUNT",
    "NOTE",
    "NOT_EVALUABLE",
    "PASSED",
    "PUPILS",
    "BalanceOptions",
    "Indicator",
    "school_values",
]

SCHOOL_ID = "学校标识码"
SCHOOL_NAME = "学校名称"
STAGE = "学段"
PUPILS = "在校生数"
MET_COUNT = "达标指标数"
PASSED = "是否达标"
NOTE = "备注"
#: Internal column: the reason a row cannot be evaluated at all (set by ``split``), else null.
ERROR = "__error__"
PRIMARY = "小学"
JUNIOR = "初中"
STAGES = (PRIMARY, JUNIOR)
YES, NO, NOT_EVALUABLE = "是", "否", "不可评估"
#: Relative tolerance for binary floating point only (0.85 × 2.3 is 1.9549999999999998): values are
#: compared unrounded, so a value equal to its threshold on paper meets it.
FLOAT_TOLERANCE = 1e-9

Kind = Literal["teachers", "area", "money", "rooms"]


@dataclass(frozen=True)
class Indicator:
    """One indicator: ``resource`` is the input column holding R; ``factor`` is c."""

    key: str
    name: str
    resource: str
    unit: str
    kind: Kind
    factor: float
    primary: float
    junior: float

    @property
    def met_column(self) -> str:
        return f"{self.name}达标"


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "L1", "每百名学生拥有高于规定学历教师数", "高于规定学历教师数", "人", "teachers", 100.0, 4.2, 5.3
    ),
    Indicator(
        "L2", "每百名学生拥有县级以上骨干教师数", "县级以上骨干教师数", "人", "teachers", 100.0, 1.0, 1.0
    ),
    Indicator(
        "L3",
        "每百名学生拥有体育、艺术(美术、音乐)专任教师数",
        "体育艺术专任教师数",
        "人",
        "teachers",
        100.0,
        0.9,
        0.9,
    ),
    Indicator("L4", "生均教学及辅助用房面积", "教学及辅助用房面积", "m²", "area", 1.0, 4.5, 5.8),
    Indicator("L5", "生均体育运动场馆面积", "体育运动场馆面积", "m²", "area", 1.0, 7.5, 10.2),
    Indicator("L6", "生均教学仪器设备值", "教学仪器设备值", "元", "money", 1.0, 2000.0, 2500.0),
    Indicator("L7", "每百名学生拥有网络多媒体教室数", "网络多媒体教室数", "间", "rooms", 100.0, 2.3, 2.4),
)
INDICATOR_BY_KEY = {i.key: i for i in INDICATORS}
RESOURCE_COLUMNS = tuple(i.resource for i in INDICATORS)


@dataclass(frozen=True)
class BalanceOptions:
    """Choices the reference marks ◐/⚠, with its defaults.

    ``min_met`` / ``floor_share``: the school passes with at least ``min_met`` of 7 met and every other one
    ≥ ``floor_share`` × threshold (§1.3 ◐). ``thresholds``: overrides as (key, 学段, value), e.g.
    ``(("L6", "小学", 2200.0),)`` (L4–L7 are ◐). ``primary_cv_limit`` / ``junior_cv_limit``: 差异系数 limits
    per indicator (§1.4 ◐). ``near_limit``: a CV within ± this of its limit is flagged (§1.4 ⚠).
    ``stage_weights``: pupils of 小学 : 初中 : 高中 when splitting shared stock of 一贯制 and 完全中学
    schools (§1.5 ⚠: 1 : 1.1 : 1.32, which gives 完全中学 初中 share B / (B + 1.2·C)).
    ``split_teachers``: a 一贯制 row whose teacher counts are not given per stage has them split by the
    same weights (noted in 备注); False marks such a school not evaluable instead (§1.5 ⚠).
    """

    min_met: int = 6
    floor_share: float = 0.85
    thresholds: tuple[tuple[str, str, float], ...] = ()
    primary_cv_limit: float = 0.50
    junior_cv_limit: float = 0.45
    near_limit: float = 0.005
    stage_weights: tuple[float, float, float] = (1.0, 1.1, 1.32)
    split_teachers: bool = True

    def threshold(self, indicator: Indicator, stage: str) -> float:
        for key, st, value in self.thresholds:
            if key == indicator.key and st == stage:
                return value
        return indicator.primary if stage == PRIMARY else indicator.junior

    def cv_limit(self, stage: str) -> float:
        return self.primary_cv_limit if stage == PRIMARY else self.junior_cv_limit


DEFAULT_OPTIONS = BalanceOptions()


def at_least(value: pl.Expr, bound: pl.Expr) -> pl.Expr:
    """value ≥ bound, unrounded, up to binary floating-point noise."""
    return value >= bound * (1.0 - FLOAT_TOLERANCE)


def threshold_expr(indicator: Indicator, options: BalanceOptions) -> pl.Expr:
    stage = pl.col(STAGE)
    return (
        pl.when(stage == PRIMARY)
        .then(pl.lit(options.threshold(indicator, PRIMARY)))
        .when(stage == JUNIOR)
        .then(pl.lit(options.threshold(indicator, JUNIOR)))
        .otherwise(None)
    )


def prepare(frame: pl.DataFrame) -> pl.DataFrame:
    """Add absent optional columns (as null) and cast the numbers to Float64."""
    missing = [
        pl.lit(None, dtype=pl.Float64).alias(c) for c in (PUPILS, *RESOURCE_COLUMNS) if c not in frame.columns
    ]
    texts = [pl.lit(None, dtype=pl.String).alias(c) for c in (SCHOOL_ID, SCHOOL_NAME, STAGE, NOTE, ERROR)]
    out = frame.with_columns([e for e in texts if e.meta.output_name() not in frame.columns] + missing)
    return out.with_columns(pl.col(PUPILS, *RESOURCE_COLUMNS).cast(pl.Float64, strict=False))


def _join_reasons(parts: list[pl.Expr]) -> pl.Expr:
    joined = pl.concat_str(parts, separator="；", ignore_nulls=True)
    return pl.when(joined == "").then(None).otherwise(joined)


def _reasons() -> pl.Expr:
    """Why a row cannot be evaluated, in Chinese; null when it can."""
    pupils, stage = pl.col(PUPILS), pl.col(STAGE)
    absent = pl.concat_str(
        [pl.when(pl.col(i.resource).is_null()).then(pl.lit(i.resource)) for i in INDICATORS],
        separator="、",
        ignore_nulls=True,
    )
    negative = pl.concat_str(
        [pl.when(pl.col(i.resource) < 0).then(pl.lit(i.resource)) for i in INDICATORS],
        separator="、",
        ignore_nulls=True,
    )
    valid_stage = stage.is_in(STAGES).fill_null(False)
    return _join_reasons(
        [
            pl.col(ERROR),
            pl.when(pl.col(ERROR).is_null() & ~valid_stage).then(
                pl.format("学段“{}”不是小学或初中，未评估", stage.fill_null(""))
            ),
            pl.when(pl.col(ERROR).is_null() & pupils.is_null()).then(pl.lit("缺少在校生数，无法计算")),
            pl.when(pupils == 0).then(pl.lit("在校生数为0，无法计算生均和每百名学生指标")),
            pl.when(pupils < 0).then(pl.lit("在校生数为负数")),
            pl.when(pl.col(ERROR).is_null() & (absent != "")).then(pl.format("缺少数据：{}", absent)),
            pl.when(negative != "").then(pl.format("数值为负：{}", negative)),
        ]
    )


def school_values(frame: pl.DataFrame, options: BalanceOptions = DEFAULT_OPTIONS) -> pl.DataFrame:
    """One row per school and stage in (学校标识码, 学校名称, 学段 小学/初中, 在校生数 and the seven
    resource columns; numbers or null) → the same rows with, per indicator, its value (column named by the
    indicator's Chinese name, null when it cannot be computed) and ``<name>达标`` (bool), then 达标指标数,
    是否达标 (是/否/不可评估) and 备注. Rows that cannot be evaluated stay, with the reason in 备注; the
    internal ``__error__`` column is kept for the 差异系数."""
    df = prepare(frame)
    reason = _reasons()
    df = df.with_columns(reason.alias("__reason__"))
    evaluable = pl.col("__reason__").is_null()
    value_exprs: list[pl.Expr] = []
    met_exprs: list[pl.Expr] = []
    ratio_exprs: list[pl.Expr] = []
    below_floor: list[pl.Expr] = []
    for ind in INDICATORS:
        resource = pl.col(ind.resource)
        ok = (pl.col(PUPILS) > 0) & pl.col(STAGE).is_in(STAGES) & (resource >= 0) & pl.col(ERROR).is_null()
        value = pl.when(ok).then(ind.factor * resource / pl.col(PUPILS))
        value_exprs.append(value.alias(ind.name))
        threshold = threshold_expr(ind, options)
        met_exprs.append(at_least(pl.col(ind.name), threshold).alias(ind.met_column))
        floor_ok = at_least(pl.col(ind.name), threshold * options.floor_share)
        ratio_exprs.append(floor_ok)
        below_floor.append(pl.when(~floor_ok).then(pl.lit(ind.name)))
    df = df.with_columns(value_exprs).with_columns(met_exprs)
    met_count = pl.sum_horizontal([pl.col(i.met_column).cast(pl.Int64) for i in INDICATORS])
    above_floor = pl.all_horizontal(ratio_exprs)
    passed = (met_count >= options.min_met) & above_floor
    duplicate = pl.col(SCHOOL_ID).is_not_null() & (pl.len().over(SCHOOL_ID, STAGE) > 1)
    warning = pl.when(duplicate).then(pl.lit("同一学校标识码和学段有多行，请核对是否重复填报"))
    floor_text = pl.concat_str(below_floor, separator="、", ignore_nulls=True)
    failed = evaluable & ~passed
    why = _join_reasons(
        [
            pl.when(failed & (met_count < options.min_met)).then(
                pl.format(f"未达标：仅 {{}} 项达标（至少需 {options.min_met} 项）", met_count)
            ),
            pl.when(failed & (floor_text != "")).then(
                pl.format(f"未达标：低于标准值的{options.floor_share * 100:g}%：{{}}", floor_text)
            ),
        ]
    )
    note = _join_reasons([pl.col(NOTE), warning, pl.col("__reason__"), why])
    return df.with_columns(
        pl.when(evaluable).then(met_count).otherwise(None).alias(MET_COUNT),
        pl.when(~evaluable)
        .then(pl.lit(NOT_EVALUABLE))
        .when(passed)
        .then(pl.lit(YES))
        .otherwise(pl.lit(NO))
        .alias(PASSED),
        note.alias(NOTE),
    ).drop("__reason__")
