"""整改 (rectification) rules: the default deadline by severity, each finding's overdue state, and the
statistics per school/unit and per 督导轮次.

A finding (督导发现问题) is ``open`` (待整改), ``fixed`` (已整改待复查), ``reopened`` (复查未通过) or
``closed`` (已销号). The deadline day itself is still on time; the day after is overdue:

- an open or reopened finding past its deadline is **逾期** by ``today - deadline`` days;
- a fix reported after the deadline (``fixed_on > deadline``) is **逾期整改** by ``fixed_on - deadline``
  days, whether it is waiting for the 复查 or already closed;
- 整改完成率 = closed / all findings; 按期整改率 = findings closed with the fix reported on or before the
  deadline / all findings (in per cent, one decimal; null when there are no findings).

Pure polars, no Django: ``edubrain.work.supervision_queries`` feeds the stored findings in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import polars as pl

from edubrain.core.errors import CoreError

__all__ = [
    "DEFAULT_DAYS",
    "SEVERITIES",
    "default_deadline",
    "finding_overdue_days",
    "finding_states",
    "statistics",
]

SEVERITIES = ("minor", "major", "serious")
DEFAULT_DAYS: dict[str, int] = {"minor": 30, "major": 15, "serious": 7}
OPEN = ("open", "reopened")
INPUT_COLUMNS = ("status", "severity", "deadline", "fixed_on")


def default_deadline(severity: str, found_on: dt.date, days: Mapping[str, int] | None = None) -> dt.date:
    """整改期限 by severity: ``found_on`` + the severity's days (一般 30, 较重 15, 严重 7 by default)."""
    table = dict(DEFAULT_DAYS, **(days or {}))
    if severity not in table:
        raise CoreError("rectify.severity", f"严重程度“{severity}”无效，应为：一般、较重或严重")
    return found_on + dt.timedelta(days=int(table[severity]))


def finding_overdue_days(status: str, deadline: dt.date, fixed_on: dt.date | None, today: dt.date) -> int:
    """逾期天数 of one finding (0 when on time) — the scalar form of ``finding_states``."""
    if status in OPEN:
        return max((today - deadline).days, 0)
    if fixed_on is not None:
        return max((fixed_on - deadline).days, 0)
    return 0


def finding_states(findings: pl.DataFrame, today: dt.date) -> pl.DataFrame:
    """The input plus ``overdue_days`` (Int64, 0 when on time), ``overdue`` (still open past the deadline),
    ``late_fix`` (fix reported after the deadline) and ``on_time`` (closed, fix reported in time).

    ``findings`` has ``status``, ``severity``, ``deadline`` (Date) and ``fixed_on`` (Date, null until the
    fix is reported)."""
    missing = [c for c in INPUT_COLUMNS if c not in findings.columns]
    if missing:
        raise ValueError(f"missing columns: {', '.join(missing)}")
    deadline = pl.col("deadline").cast(pl.Date)
    fixed_on = pl.col("fixed_on").cast(pl.Date)
    is_open = pl.col("status").is_in(list(OPEN))
    open_days = (pl.lit(today, dtype=pl.Date) - deadline).dt.total_days()
    fix_days = (fixed_on - deadline).dt.total_days()
    days = pl.when(is_open).then(open_days).otherwise(fix_days.fill_null(0)).clip(lower_bound=0)
    late_fix = (~is_open & fixed_on.is_not_null() & (fixed_on > deadline)).fill_null(False)
    return findings.with_columns(
        days.cast(pl.Int64).alias("overdue_days"),
        (is_open & (open_days > 0)).alias("overdue"),
        late_fix.alias("late_fix"),
        ((pl.col("status") == "closed") & fixed_on.is_not_null() & (fixed_on <= deadline))
        .fill_null(False)
        .alias("on_time"),
    )


def _rate(part: str) -> pl.Expr:
    return (
        pl.when(pl.col("findings") > 0)
        .then((pl.col(part) * 100.0 / pl.col("findings")).round(1))
        .otherwise(None)
        .alias(f"{part}_rate")
    )


def statistics(findings: pl.DataFrame, by: Sequence[str], today: dt.date) -> pl.DataFrame:
    """Per group of ``by`` (e.g. ``["org_unit"]`` or ``["inspection"]``; ``[]`` for one total row):
    ``findings``, ``minor``/``major``/``serious``, ``closed``, ``open`` (not yet closed), ``fixed``
    (waiting for the 复查), ``overdue``, ``late_fix``, ``on_time``, ``closed_rate`` (整改完成率 %) and
    ``on_time_rate`` (按期整改率 %)."""
    states = finding_states(findings, today)
    counts = [
        pl.len().cast(pl.Int64).alias("findings"),
        *[(pl.col("severity") == s).sum().cast(pl.Int64).alias(s) for s in SEVERITIES],
        (pl.col("status") == "closed").sum().cast(pl.Int64).alias("closed"),
        (pl.col("status") != "closed").sum().cast(pl.Int64).alias("open"),
        (pl.col("status") == "fixed").sum().cast(pl.Int64).alias("fixed"),
        pl.col("overdue").sum().cast(pl.Int64).alias("overdue"),
        pl.col("late_fix").sum().cast(pl.Int64).alias("late_fix"),
        pl.col("on_time").sum().cast(pl.Int64).alias("on_time"),
    ]
    table = states.group_by(list(by), maintain_order=True).agg(counts) if by else states.select(counts)
    return table.with_columns(_rate("closed"), _rate("on_time"))
