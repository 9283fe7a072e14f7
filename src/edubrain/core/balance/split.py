"""Splitting the shared stock of 一贯制 and 完全中学 schools between stages (standards.md §1.1, §1.5 ◐/⚠).

A 九年一贯制 school counts as one 小学 and one 初中; the 初中 part of a 完全中学 or 十二年一贯制 school
counts as a 初中. Shared stock (教学及辅助用房面积, 体育运动场馆面积, 教学仪器设备值,
网络多媒体教室数) is split in proportion to weighted enrolment, by default
小学 : 初中 : 高中 = 1 : 1.1 : 1.32 per pupil (``BalanceOptions.stage_weights``):

    九年一贯制   小学 share = A / (A + 1.1·B),  初中 share = 1.1·B / (A + 1.1·B)
    完全中学     初中 share = 1.1·B / (1.1·B + 1.32·C) = B / (B + 1.2·C)
    十二年一贯制 share of stage s = w_s·n_s / (A + 1.1·B + 1.32·C)

with A, B, C = 小学在校生数, 初中在校生数, 高中在校生数. Teacher counts are taken per stage from the columns
小学高于规定学历教师数, 初中高于规定学历教师数, … when given; otherwise they are split by the same share
(noted in 备注) or, with ``split_teachers=False``, the school is not evaluated. A combined row without the
stage enrolments it needs becomes error rows (one per stage, reason in ``__error__``), never dropped.
"""

from __future__ import annotations

import polars as pl

from edubrain.core.balance.indicators import (
    DEFAULT_OPTIONS,
    ERROR,
    INDICATORS,
    JUNIOR,
    NOTE,
    PRIMARY,
    PUPILS,
    STAGE,
    BalanceOptions,
)

__all__ = ["COMBINED_STAGES", "STAGE_PUPILS", "split_combined", "stage_share"]

NINE_YEAR = "九年一贯制"
TWELVE_YEAR = "十二年一贯制"
COMPLETE_SECONDARY = "完全中学"
SENIOR = "高中"
#: Combined school type → (the stages whose pupils weigh in, the stages evaluated).
COMBINED_STAGES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    NINE_YEAR: ((PRIMARY, JUNIOR), (PRIMARY, JUNIOR)),
    TWELVE_YEAR: ((PRIMARY, JUNIOR, SENIOR), (PRIMARY, JUNIOR)),
    COMPLETE_SECONDARY: ((JUNIOR, SENIOR), (JUNIOR,)),
}
STAGE_PUPILS = {PRIMARY: "小学在校生数", JUNIOR: "初中在校生数", SENIOR: "高中在校生数"}
SHARED_COLUMNS = tuple(i.resource for i in INDICATORS if i.kind != "teachers")
TEACHER_COLUMNS = tuple(i.resource for i in INDICATORS if i.kind == "teachers")
ORDER = "__order__"


def stage_teacher_column(stage: str, column: str) -> str:
    """The per-stage teacher column of a combined row, e.g. 小学高于规定学历教师数."""
    return f"{stage}{column}"


def _num(frame: pl.DataFrame, column: str) -> pl.Expr:
    if column in frame.columns:
        return pl.col(column).cast(pl.Float64, strict=False)
    return pl.lit(None, dtype=pl.Float64)


def _weights_text(kind: str, weights: dict[str, float]) -> str:
    stages = COMBINED_STAGES[kind][0]
    return "：".join(stages) + " = " + "：".join(f"{weights[s]:g}" for s in stages)


def stage_share(
    frame: pl.DataFrame, kind: str, target: str, options: BalanceOptions = DEFAULT_OPTIONS
) -> pl.Expr:
    """The share of stage ``target`` in the shared stock of a ``kind`` (九年一贯制, …) row of ``frame``:
    w_target · n_target / Σ w_s · n_s over the stages that weigh in (null when a stage count is absent)."""
    weights = dict(zip((PRIMARY, JUNIOR, SENIOR), options.stage_weights, strict=True))
    counted = COMBINED_STAGES[kind][0]
    enrol = {s: _num(frame, STAGE_PUPILS[s]) for s in counted}
    weighted = pl.sum_horizontal([weights[s] * enrol[s] for s in counted])
    return weights[target] * enrol[target] / weighted


def _stage_rows(frame: pl.DataFrame, kind: str, target: str, options: BalanceOptions) -> pl.DataFrame:
    weights = dict(zip((PRIMARY, JUNIOR, SENIOR), options.stage_weights, strict=True))
    counted = COMBINED_STAGES[kind][0]
    rows = frame.filter(pl.col(STAGE) == kind)
    enrol = {s: _num(rows, STAGE_PUPILS[s]) for s in counted}
    weighted = pl.sum_horizontal([weights[s] * enrol[s] for s in counted])
    share = stage_share(rows, kind, target, options)
    absent = pl.concat_str(
        [pl.when(enrol[s].is_null()).then(pl.lit(STAGE_PUPILS[s])) for s in counted],
        separator="、",
        ignore_nulls=True,
    )
    error = (
        pl.when(absent != "")
        .then(
            pl.format(
                f"{kind}学校须分别填写{'、'.join(STAGE_PUPILS[s] for s in counted)}，缺少：{{}}，未评估",
                absent,
            )
        )
        .when(pl.any_horizontal([enrol[s] < 0 for s in counted]))
        .then(pl.lit(f"{kind}学校的分学段在校生数为负数，未评估"))
        .when(weighted == 0)
        .then(pl.lit(f"{kind}学校各学段在校生数均为0，无法拆分共用资源，未评估"))
    )
    note = pl.format(
        f"由{kind}学校按加权学生数（{_weights_text(kind, weights)}）拆分共用资源，{target}份额 {{}}",
        share.round(4),
    )
    teacher_exprs: list[pl.Expr] = []
    unsplit_teachers: list[pl.Expr] = []
    for column in TEACHER_COLUMNS:
        own = _num(rows, stage_teacher_column(target, column))
        teacher_exprs.append(
            pl.when(own.is_not_null())
            .then(own)
            .when(pl.lit(options.split_teachers))
            .then(_num(rows, column) * share)
            .alias(column)
        )
        unsplit_teachers.append(own.is_null() & _num(rows, column).is_not_null())
    any_unsplit = pl.any_horizontal(unsplit_teachers)
    teacher_note = (
        pl.lit("教师数未分学段填写，已按同一份额拆分")
        if options.split_teachers
        else pl.lit(f"教师数未分学段填写（应填{target}…教师数列），未评估")
    )
    error = error.when(any_unsplit & pl.lit(not options.split_teachers)).then(teacher_note)
    return rows.with_columns(
        pl.lit(target).alias(STAGE),
        error.alias(ERROR),
        pl.when(error.is_null()).then(enrol[target]).alias(PUPILS),
        *[pl.when(error.is_null()).then(_num(rows, c) * share).alias(c) for c in SHARED_COLUMNS],
        *[e.alias(e.meta.output_name()) for e in teacher_exprs],
        pl.when(error.is_null())
        .then(
            pl.concat_str(
                [pl.col(NOTE), note, pl.when(any_unsplit).then(teacher_note)],
                separator="；",
                ignore_nulls=True,
            )
        )
        .otherwise(pl.col(NOTE))
        .alias(NOTE),
    ).with_columns(pl.when(pl.col(ERROR).is_null()).then(pl.col(c)).alias(c) for c in TEACHER_COLUMNS)


def split_combined(frame: pl.DataFrame, options: BalanceOptions = DEFAULT_OPTIONS) -> pl.DataFrame:
    """Rows with 学段 小学/初中 (or anything else) pass through; each 九年一贯制, 十二年一贯制 or 完全中学 row
    becomes one row per evaluated stage with its pupils, its share of the shared stock and its teachers.
    Adds ``__error__`` (null when fine) and keeps the input order (a combined school's stages in a row)."""
    df = frame.with_row_index(ORDER)
    if NOTE not in df.columns:
        df = df.with_columns(pl.lit(None, dtype=pl.String).alias(NOTE))
    for c in (PUPILS, *SHARED_COLUMNS, *TEACHER_COLUMNS):
        if c in df.columns:
            df = df.with_columns(pl.col(c).cast(pl.Float64, strict=False))
    df = df.with_columns(pl.lit(None, dtype=pl.String).alias(ERROR))
    parts = [df.filter(~pl.col(STAGE).is_in(list(COMBINED_STAGES)).fill_null(True))]
    for kind, (_, evaluated) in COMBINED_STAGES.items():
        if df.filter(pl.col(STAGE) == kind).height:
            parts.extend(_stage_rows(df, kind, target, options) for target in evaluated)
    out = pl.concat(parts, how="diagonal_relaxed")
    stage_rank = pl.col(STAGE).replace_strict({PRIMARY: 0, JUNIOR: 1}, default=2, return_dtype=pl.Int64)
    return out.sort(ORDER, stage_rank, maintain_order=True).drop(ORDER)
