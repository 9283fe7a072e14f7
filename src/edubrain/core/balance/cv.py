"""差异系数: the pupil-weighted coefficient of variation per 学段 and indicator (standards.md §1.4, §11).

For one stage and indicator over the schools i with P_i > 0:

    x̄ = Σ P_i·x_i / Σ P_i = c · Σ R_i / Σ P_i          (县均值: total resource / total pupils)
    S  = sqrt( Σ (P_i / P) · (x_i − x̄)² )              (pupil-weighted population s.d.)
    CV = S / x̄,  limit 0.50 小学 / 0.45 初中 for every indicator (◐, ``BalanceOptions``)

A school with 0 pupils has no value and no weight and is left out. A school whose value is unknown
(missing resource or pupils, or an unsplit 一贯制 row) makes the CV 不可评估 — dropping it would change P
and x̄ — and the row names the schools. Compared unrounded; within ±0.005 of the limit is flagged (⚠).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from edubrain.core.balance.indicators import (
    DEFAULT_OPTIONS,
    ERROR,
    INDICATORS,
    NO,
    NOT_EVALUABLE,
    PUPILS,
    SCHOOL_ID,
    SCHOOL_NAME,
    STAGE,
    STAGES,
    YES,
    BalanceOptions,
    school_values,
)
from edubrain.core.balance.split import split_combined

__all__ = ["CV_COLUMNS", "Evaluation", "difference_coefficients", "evaluate"]

INDICATOR = "指标"
MEAN = "县均值"
SD = "标准差"
CV = "差异系数"
LIMIT = "限值"
NEAR = "接近限值"
SCHOOLS = "学校数"
CV_NOTE = "备注"
CV_COLUMNS = (STAGE, INDICATOR, MEAN, CV, LIMIT, "是否达标", CV_NOTE)


def _long(schools: pl.DataFrame) -> pl.DataFrame:
    """One row per school, stage and indicator: pupils, value and whether it blocks the CV."""
    df = schools.filter(pl.col(STAGE).is_in(STAGES).fill_null(False))
    label = pl.format("{}（{}）", pl.col(SCHOOL_NAME).fill_null(""), pl.col(SCHOOL_ID).fill_null(""))
    parts = []
    for order, ind in enumerate(INDICATORS):
        pupils, value = pl.col(PUPILS), pl.col(ind.name)
        parts.append(
            df.select(
                pl.col(STAGE),
                pl.lit(order).alias("__k__"),
                pl.lit(ind.name).alias(INDICATOR),
                pupils.alias("p"),
                value.alias("x"),
                (pupils > 0).fill_null(False).alias("counted"),
                label.alias("label"),
                (
                    pl.col(ERROR).is_not_null()
                    | pupils.is_null()
                    | (pupils < 0)
                    | ((pupils > 0) & value.is_null())
                )
                .fill_null(True)
                .alias("blocking"),
            )
        )
    return pl.concat(parts)


def difference_coefficients(schools: pl.DataFrame, options: BalanceOptions = DEFAULT_OPTIONS) -> pl.DataFrame:
    """``schools``: the output of ``school_values``. One row per stage present and indicator, stages in the
    order 小学, 初中: 学段, 指标, 县均值, 标准差, 差异系数, 限值, 是否达标 (是/否/不可评估), 接近限值 (bool),
    学校数 (schools with pupils) and 备注 (which schools make it 不可评估, or the near-limit warning)."""
    long = _long(schools)
    ok = pl.col("counted") & ~pl.col("blocking")
    w = pl.col("p").filter(ok)
    x = pl.col("x").filter(ok)
    grouped = long.group_by(STAGE, "__k__", INDICATOR).agg(
        ((w * x).sum() / w.sum()).alias(MEAN),
        w.sum().alias("__p__"),
        ok.sum().alias(SCHOOLS),
        pl.col("label").filter(pl.col("blocking")).alias("__blocked__"),
    )
    detail = long.join(grouped.select(STAGE, "__k__", MEAN, "__p__"), on=[STAGE, "__k__"])
    spread = (
        detail.filter(ok)
        .group_by(STAGE, "__k__")
        .agg(((pl.col("p") / pl.col("__p__") * (pl.col("x") - pl.col(MEAN)) ** 2).sum().sqrt()).alias(SD))
    )
    stage_limit = pl.col(STAGE).replace_strict(
        {s: options.cv_limit(s) for s in STAGES}, return_dtype=pl.Float64
    )
    blocked = pl.col("__blocked__").list.len() > 0
    no_mean = pl.col(MEAN).is_null() | (pl.col(MEAN) == 0)
    cv = pl.when(blocked | no_mean).then(None).otherwise(pl.col(SD) / pl.col(MEAN))
    out = (
        grouped.join(spread, on=[STAGE, "__k__"], how="left")
        .with_columns(cv.alias(CV), stage_limit.alias(LIMIT))
        .with_columns(
            pl.when(blocked).then(None).otherwise(pl.col(MEAN)).alias(MEAN),
            pl.when(blocked).then(None).otherwise(pl.col(SD)).alias(SD),
            pl.when(pl.col(CV).is_null())
            .then(pl.lit(NOT_EVALUABLE))
            .when(pl.col(CV) <= pl.col(LIMIT))
            .then(pl.lit(YES))
            .otherwise(pl.lit(NO))
            .alias("是否达标"),
            ((pl.col(CV) - pl.col(LIMIT)).abs() <= options.near_limit).alias(NEAR),
        )
    )
    note = (
        pl.when(blocked)
        .then(
            pl.format("以下学校该指标不可评估，差异系数暂不计算：{}", pl.col("__blocked__").list.join("、"))
        )
        .when(pl.col("__p__").fill_null(0) == 0)
        .then(pl.lit("该学段没有在校生数大于0的学校"))
        .when(no_mean)
        .then(pl.lit("县均值为0，差异系数无意义"))
        .when(pl.col(NEAR))
        .then(pl.format("接近限值（相差不超过{}），请复核数据", pl.lit(f"{options.near_limit:g}")))
    )
    stage_rank = pl.col(STAGE).replace_strict({s: i for i, s in enumerate(STAGES)}, return_dtype=pl.Int64)
    return (
        out.with_columns(note.alias(CV_NOTE), pl.col(SD).fill_nan(None))
        .sort(stage_rank, "__k__")
        .select(STAGE, INDICATOR, MEAN, SD, CV, LIMIT, "是否达标", NEAR, SCHOOLS, CV_NOTE)
    )


@dataclass(frozen=True)
class Evaluation:
    """``schools``: per school and stage (``school_values``); ``cvs``: ``difference_coefficients``."""

    schools: pl.DataFrame
    cvs: pl.DataFrame


def evaluate(frame: pl.DataFrame, options: BalanceOptions = DEFAULT_OPTIONS) -> Evaluation:
    """The whole resource test: split 一贯制 rows, per-school values and pass, then the 差异系数."""
    schools = school_values(split_combined(frame, options), options)
    return Evaluation(schools, difference_coefficients(schools, options))
