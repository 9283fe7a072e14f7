"""重点项目进度 (key-project schedule): milestone delays, a project's state (正常 / 滞后 / 已完工), spend rate
and the rows of the Gantt-style timeline — pure polars, no Django.

Rules (the tests in tests/core/work pin every boundary):

- **milestone delay** (里程碑延误天数): a milestone done late is late by ``done_on - planned_on``; one not
  done whose planned day has passed is late by ``today - planned_on``. The planned day itself is not late
  (delay 0), the day after is (delay 1). Done early or on time: 0.
- **project delay**: the largest milestone delay, or — when the planned completion ``end_on`` has passed —
  the days since ``end_on`` (not finished) or ``finished_on - end_on`` (finished late), whichever is larger.
- **state** (进度状态): 已完工 when the project's status is ``done``; otherwise 滞后 when it is behind
  *now* — a milestone not done whose planned day has passed, or ``end_on`` passed — else 正常 (a milestone
  done late stays in ``delay_days`` but no longer makes the project 滞后 once it is done).
- **spend rate** (投资完成率): ``spent / budget``; None without a (positive) budget. Spending more than the
  budget is allowed and flagged 超概算.
- **progress** (实际进度): 1 when done, else the share of milestones done (0 without milestones).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

DONE_STATUS = "done"
DONE, LATE, ON_TRACK = "done", "late", "on_track"
STATE_LABELS = {DONE: "已完工", LATE: "滞后", ON_TRACK: "正常"}

MILESTONE_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "project": pl.Int64,
    "name": pl.String,
    "planned_on": pl.Date,
    "done_on": pl.Date,
}
TRACK_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "project": pl.Int64,
    "status": pl.String,
    "start_on": pl.Date,
    "end_on": pl.Date,
    "finished_on": pl.Date,
    "budget": pl.Float64,
    "spent": pl.Float64,
}


def _days(later: pl.Expr, earlier: pl.Expr) -> pl.Expr:
    return (later - earlier).dt.total_days()


def delay_days(planned_on: dt.date, done_on: dt.date | None, today: dt.date) -> int:
    """One milestone's delay in days (the scalar form of ``milestone_delays``)."""
    until = done_on if done_on is not None else today
    return max((until - planned_on).days, 0)


def spend_rate(spent: float | None, budget: float | None) -> float | None:
    """投资完成率: spent / budget; None without a positive budget (spent missing counts as 0)."""
    if budget is None or budget <= 0:
        return None
    return (spent or 0.0) / budget


def milestone_delays(milestones: pl.DataFrame, today: dt.date) -> pl.DataFrame:
    """Add ``delay_days`` (Int64, 0 when not late) and ``late`` (bool) to milestone rows
    (``planned_on``, ``done_on``)."""
    until = pl.coalesce(pl.col("done_on"), pl.lit(today, dtype=pl.Date))
    delay = pl.max_horizontal(_days(until, pl.col("planned_on")), pl.lit(0)).cast(pl.Int64)
    return milestones.with_columns(delay.alias("delay_days")).with_columns(
        (pl.col("delay_days") > 0).alias("late")
    )


def _milestone_summary(milestones: pl.DataFrame, today: dt.date) -> pl.DataFrame:
    rows = milestone_delays(milestones.cast(MILESTONE_SCHEMA, strict=False), today)  # type: ignore[arg-type]
    pending = pl.col("done_on").is_null()
    by_next = pl.col("planned_on").filter(pending)
    return rows.group_by("project").agg(
        pl.len().cast(pl.Int64).alias("milestones"),
        pl.col("done_on").is_not_null().sum().cast(pl.Int64).alias("milestones_done"),
        pl.col("late").sum().cast(pl.Int64).alias("late_milestones"),
        (pl.col("late") & pending).sum().cast(pl.Int64).alias("overdue_milestones"),
        pl.col("delay_days").max().alias("milestone_delay"),
        pl.col("planned_on").min().alias("first_planned"),
        pl.col("planned_on").max().alias("last_planned"),
        pl.col("name").filter(pending).sort_by(by_next).first().alias("next_milestone"),
        by_next.min().alias("next_on"),
    )


def project_schedule(tracks: pl.DataFrame, milestones: pl.DataFrame, today: dt.date) -> pl.DataFrame:
    """One row per project of ``tracks`` (columns of ``TRACK_SCHEMA``; a project without a track row may
    carry nulls) with its milestone counts, ``delay_days``, ``state`` (done / late / on_track),
    ``spend_rate``, ``over_budget``, ``progress`` and the timeline's ``start``, ``end`` and ``actual_end``."""
    base = tracks.cast(TRACK_SCHEMA, strict=False)  # type: ignore[arg-type]
    summary = _milestone_summary(milestones.select(list(MILESTONE_SCHEMA)), today)
    frame = base.join(summary, on="project", how="left").with_columns(
        pl.col(
            "milestones", "milestones_done", "late_milestones", "overdue_milestones", "milestone_delay"
        ).fill_null(0)
    )
    done = pl.col("status") == DONE_STATUS
    today_lit = pl.lit(today, dtype=pl.Date)
    end_until = pl.when(done).then(pl.col("finished_on")).otherwise(today_lit)
    end_delay = pl.max_horizontal(_days(end_until, pl.col("end_on")), pl.lit(0)).fill_null(0)
    progress = (
        pl.when(done)
        .then(1.0)
        .when(pl.col("milestones") > 0)
        .then(pl.col("milestones_done") / pl.col("milestones"))
        .otherwise(0.0)
    )
    budget_ok = pl.col("budget").is_not_null() & (pl.col("budget") > 0)
    frame = frame.with_columns(
        end_delay.cast(pl.Int64).alias("end_delay"),
        progress.alias("progress"),
        pl.when(budget_ok)
        .then(pl.col("spent").fill_null(0.0) / pl.col("budget"))
        .otherwise(None)
        .alias("spend_rate"),
        (pl.col("budget").is_not_null() & (pl.col("spent").fill_null(0.0) > pl.col("budget")))
        .fill_null(False)
        .alias("over_budget"),
        pl.coalesce(pl.col("start_on"), pl.col("first_planned")).alias("start"),
        pl.coalesce(pl.col("end_on"), pl.col("last_planned")).alias("end"),
    )
    frame = frame.with_columns(
        pl.max_horizontal("milestone_delay", "end_delay").cast(pl.Int64).alias("delay_days"),
    ).with_columns(
        pl.when(done)
        .then(pl.lit(DONE))
        .when((pl.col("overdue_milestones") > 0) | (pl.col("end_delay") > 0))
        .then(pl.lit(LATE))
        .otherwise(pl.lit(ON_TRACK))
        .alias("state"),
    )
    return frame.with_columns(
        pl.col("state").replace_strict(STATE_LABELS, return_dtype=pl.String).alias("state_label"),
        _actual_end().alias("actual_end"),
    ).drop("first_planned", "last_planned")


def _actual_end() -> pl.Expr:
    """Where the actual-progress bar ends: the finish day when done, else start + progress × duration."""
    span = _days(pl.col("end"), pl.col("start"))
    partial = pl.col("start") + pl.duration(days=(span * pl.col("progress")).round(0).cast(pl.Int64))
    done = pl.col("status") == DONE_STATUS
    return (
        pl.when(done & pl.col("finished_on").is_not_null())
        .then(pl.col("finished_on"))
        .when(pl.col("start").is_not_null() & pl.col("end").is_not_null())
        .then(partial)
        .otherwise(None)
    )


def decimal_year(day: dt.date) -> float:
    """A date as a year with a fraction (2025-07-02 → 2025.5): the timeline's value axis."""
    first = dt.date(day.year, 1, 1)
    length = (dt.date(day.year + 1, 1, 1) - first).days
    return round(day.year + (day - first).days / length, 4)


def gantt_rows(schedule: pl.DataFrame) -> pl.DataFrame:
    """The timeline rows of projects with both a start and an end: ``project``, ``start``, ``end``,
    ``actual_end``, ``progress`` and ``state``, in the schedule's order."""
    return schedule.filter(pl.col("start").is_not_null() & pl.col("end").is_not_null()).select(
        "project", "start", "end", "actual_end", "progress", "state"
    )
