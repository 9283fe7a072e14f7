"""Gap analysis and what-if for the 资源配置 test.

``gaps``: for each failing school and each indicator below its threshold, how much resource is missing:
(T − x) · P / c = T · P / c − R in natural units — teachers (人) and 网络多媒体教室 (间) rounded up to
whole ones, m² and 元 rounded up to two decimals. ``what_if``: change school figures (and optionally move
pupils between two schools) and evaluate again, so a caller can show before and after.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from edubrain.core.balance.cv import Evaluation, evaluate
from edubrain.core.balance.indicators import (
    DEFAULT_OPTIONS,
    INDICATORS,
    JUNIOR,
    NO,
    PASSED,
    PRIMARY,
    PUPILS,
    SCHOOL_ID,
    SCHOOL_NAME,
    STAGE,
    BalanceOptions,
    threshold_expr,
)
from edubrain.core.balance.split import COMBINED_STAGES, STAGE_PUPILS

__all__ = ["GAP_COLUMNS", "Move", "gaps", "what_if"]

GAP_COLUMNS = (SCHOOL_ID, SCHOOL_NAME, STAGE, "指标", "单位", "现值", "标准值", "缺口")
#: Rounding noise allowed before rounding up (so 21.000000000000004 teachers is 21, not 22).
_NOISE_DIGITS = 6


def _round_up(expr: pl.Expr, whole: bool) -> pl.Expr:
    clean = expr.round(_NOISE_DIGITS)
    if whole:
        return clean.ceil()
    return (clean * 100).round(_NOISE_DIGITS).ceil() / 100


def gaps(
    schools: pl.DataFrame, options: BalanceOptions = DEFAULT_OPTIONS, *, failing_only: bool = True
) -> pl.DataFrame:
    """``schools``: the output of ``school_values``. One row per (failing) school and indicator below its
    threshold: 学校标识码, 学校名称, 学段, 指标, 单位, 现值, 标准值 and 缺口 (the resource to add)."""
    rows = schools.filter(pl.col(PASSED) == NO) if failing_only else schools
    parts = []
    for ind in INDICATORS:
        threshold = threshold_expr(ind, options)
        value = pl.col(ind.name)
        missing = threshold * pl.col(PUPILS) / ind.factor - pl.col(ind.resource)
        whole = ind.kind in ("teachers", "rooms")
        parts.append(
            rows.filter(value < threshold * (1 - 1e-9)).select(
                SCHOOL_ID,
                SCHOOL_NAME,
                STAGE,
                pl.lit(ind.name).alias("指标"),
                pl.lit(ind.unit).alias("单位"),
                value.alias("现值"),
                threshold.alias("标准值"),
                _round_up(missing, whole).alias("缺口"),
            )
        )
    if not parts:
        return pl.DataFrame(schema=dict.fromkeys(GAP_COLUMNS, pl.String))
    return pl.concat(parts, how="vertical_relaxed").sort(SCHOOL_ID, STAGE, maintain_order=True)


@dataclass(frozen=True)
class Move:
    """Move ``pupils`` pupils of ``stage`` (小学/初中) from school ``source`` to school ``target``."""

    source: str
    target: str
    pupils: float
    stage: str | None = None


Change = Mapping[str, Mapping[str, float | None]]


def _apply_changes(frame: pl.DataFrame, changes: Change) -> pl.DataFrame:
    """``changes``: school id, or "id/学段" for one stage row of it → column → new value."""
    exprs = []
    columns = {c for cols in changes.values() for c in cols}
    for column in sorted(columns):
        current = pl.col(column) if column in frame.columns else pl.lit(None, dtype=pl.Float64)
        expr = current.cast(pl.Float64, strict=False)
        for key, cols in changes.items():
            if column not in cols:
                continue
            school, _, stage = key.partition("/")
            hit = pl.col(SCHOOL_ID) == school
            if stage:
                hit = hit & (pl.col(STAGE) == stage)
            expr = pl.when(hit).then(pl.lit(cols[column], dtype=pl.Float64)).otherwise(expr)
        exprs.append(expr.alias(column))
    return frame.with_columns(exprs)


def _apply_move(frame: pl.DataFrame, move: Move) -> pl.DataFrame:
    """Change 在校生数 of a 小学/初中 row, or the stage enrolment of a combined row (and its total)."""
    stage = move.stage
    if stage is None:
        found = frame.filter(pl.col(SCHOOL_ID).is_in([move.source, move.target]))["学段"].unique().to_list()
        stages = {s for s in found if s in (PRIMARY, JUNIOR)}
        if len(stages) != 1 or any(s in COMBINED_STAGES for s in found):
            raise ValueError("move.stage is needed when the schools do not share exactly one stage")
        stage = stages.pop()
    delta = (
        pl.when(pl.col(SCHOOL_ID) == move.source)
        .then(pl.lit(-move.pupils))
        .when(pl.col(SCHOOL_ID) == move.target)
        .then(pl.lit(move.pupils))
        .otherwise(pl.lit(0.0))
    )
    own = pl.col(STAGE) == stage
    combined = pl.col(STAGE).is_in(list(COMBINED_STAGES))
    out = frame.with_columns(
        pl.when(own | combined).then(pl.col(PUPILS).cast(pl.Float64) + delta).otherwise(pl.col(PUPILS))
    )
    column = STAGE_PUPILS[stage]
    if column in out.columns:
        out = out.with_columns(
            pl.when(combined)
            .then(pl.col(column).cast(pl.Float64) + delta)
            .otherwise(pl.col(column))
            .alias(column)
        )
    return out


def what_if(
    frame: pl.DataFrame,
    changes: Change,
    *,
    move: Move | None = None,
    options: BalanceOptions = DEFAULT_OPTIONS,
) -> Evaluation:
    """Evaluate ``frame`` (the input rows, before splitting) with ``changes`` applied — school id (or
    "id/学段") → column → new value — and ``move`` done; returns the new schools and 差异系数."""
    changed = _apply_changes(frame, changes) if changes else frame
    if move is not None:
        changed = _apply_move(changed, move)
    return evaluate(changed, options)
