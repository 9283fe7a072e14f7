"""报送状态 (report states): the state and colour of each report slot and the roll-ups per task and unit.

A slot's state, given its stored ``status`` (pending / draft / submitted / returned / accepted), its
``due_on`` (报送期限), the date it was first submitted and ``today``:

- ``accepted`` 已通过 (green), ``submitted`` 待审核 (blue), ``returned`` 已退回 (orange);
- not submitted (pending or draft): ``missing`` 逾期未报 (red) once ``today`` is after ``due_on`` —
  the due day itself is not late — else ``pending`` 待填报 (grey);
- ``late`` 逾期报送: first submitted after ``due_on`` (a submission on the due day is on time); a late
  submission that is waiting or accepted shows orange.

A task's colour is its worst slot in the latest cycle (red → orange → grey → blue → green). Per unit:
应报 / 已报 / 通过 / 待审核 / 退回 / 逾期未报 / 逾期报送 and 按时报送率 = slots first submitted by the due
day ÷ 应报 (the definition of the 工作推进 overview; before the deadline it is still growing).

Pure polars, vectorised over frames; no Django.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

__all__ = [
    "COLOURS",
    "STATE_LABELS",
    "slot_states",
    "task_status",
    "unit_summary",
]

ACCEPTED, SUBMITTED, RETURNED, MISSING, PENDING = "accepted", "submitted", "returned", "missing", "pending"
STATE_LABELS = {
    ACCEPTED: "已通过",
    SUBMITTED: "待审核",
    RETURNED: "已退回",
    MISSING: "逾期未报",
    PENDING: "待填报",
}
COLOURS = {"green": "#2e8b57", "blue": "#2f6fb3", "orange": "#e07b00", "red": "#d5573b", "grey": "#8a96a3"}
COLOUR_RANK = {"green": 0, "blue": 1, "grey": 2, "orange": 3, "red": 4}
"""How bad a colour is: a task shows its worst slot."""
INPUT_COLUMNS = ("status", "due_on", "first_submitted_on")


def _check(frame: pl.DataFrame, columns: tuple[str, ...]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"missing columns: {', '.join(missing)}")


def slot_states(frame: pl.DataFrame, today: dt.date) -> pl.DataFrame:
    """``frame`` plus ``state``, ``state_label``, ``late`` (bool), ``colour`` (green/blue/orange/red/grey),
    ``colour_hex`` and ``rank`` (0 best … 4 worst). Needs ``status`` (str), ``due_on`` (Date) and
    ``first_submitted_on`` (Date, null until the first submission)."""
    _check(frame, INPUT_COLUMNS)
    status = pl.col("status")
    first = pl.col("first_submitted_on").cast(pl.Date)
    due = pl.col("due_on").cast(pl.Date)
    state = (
        pl.when(status == ACCEPTED)
        .then(pl.lit(ACCEPTED))
        .when(status == SUBMITTED)
        .then(pl.lit(SUBMITTED))
        .when(status == RETURNED)
        .then(pl.lit(RETURNED))
        .when(pl.lit(today) > due)
        .then(pl.lit(MISSING))
        .otherwise(pl.lit(PENDING))
    )
    late = (first.is_not_null() & (first > due)).fill_null(False)
    out = frame.with_columns(state.alias("state"), late.alias("late"))
    colour = (
        pl.when(pl.col("state") == MISSING)
        .then(pl.lit("red"))
        .when((pl.col("state") == RETURNED) | pl.col("late"))
        .then(pl.lit("orange"))
        .when(pl.col("state") == SUBMITTED)
        .then(pl.lit("blue"))
        .when(pl.col("state") == ACCEPTED)
        .then(pl.lit("green"))
        .otherwise(pl.lit("grey"))
    )
    return out.with_columns(
        pl.col("state").replace_strict(STATE_LABELS, return_dtype=pl.String).alias("state_label"),
        colour.alias("colour"),
    ).with_columns(
        pl.col("colour").replace_strict(COLOURS, return_dtype=pl.String).alias("colour_hex"),
        pl.col("colour").replace_strict(COLOUR_RANK, return_dtype=pl.Int8).alias("rank"),
    )


def task_status(states: pl.DataFrame, task: str = "task", cycle_order: str = "cycle_start") -> pl.DataFrame:
    """Per task: its worst slot in its latest cycle with news — ``task``, ``colour``, ``colour_hex``,
    ``state``, ``state_label``, ``slots`` and ``accepted`` (counts in that cycle). The latest cycle with
    news is the latest in which a slot of the task is more than 待填报 (reported, or missing its due date);
    a task whose newest cycle has only slots not yet due keeps showing the cycle before, and a task with
    nothing else shows its newest cycle. ``states`` is ``slot_states``' output with ``task`` and
    ``cycle_order`` (anything orderable: the cycle's start date)."""
    _check(states, (task, cycle_order, "rank", "state"))
    if states.height == 0:
        return pl.DataFrame(
            schema={
                task: states.schema[task],
                "colour": pl.String,
                "colour_hex": pl.String,
                "state": pl.String,
                "state_label": pl.String,
                "slots": pl.UInt32,
                "accepted": pl.UInt32,
            }
        )
    with_news = pl.when(pl.col("state") != PENDING).then(pl.col(cycle_order)).max().over(task)
    chosen = pl.coalesce(with_news, pl.col(cycle_order).max().over(task))
    latest = states.filter(pl.col(cycle_order) == chosen)
    return (
        latest.sort([task, "rank"], descending=[False, True])
        .group_by(task, maintain_order=True)
        .agg(
            pl.col("colour").first(),
            pl.col("colour_hex").first(),
            pl.col("state").first(),
            pl.col("state_label").first(),
            pl.len().alias("slots"),
            (pl.col("state") == ACCEPTED).sum().cast(pl.UInt32).alias("accepted"),
        )
    )


def unit_summary(states: pl.DataFrame, by: str | list[str] = "org_unit") -> pl.DataFrame:
    """Counts per ``by``: ``expected`` 应报, ``filed`` 已报 (submitted at least once), ``accepted`` 通过,
    ``submitted`` 待审核, ``returned`` 退回, ``missing`` 逾期未报, ``late`` 逾期报送, ``on_time`` and
    ``on_time_rate`` 按时报送率 (% of 应报, one decimal; null without slots); ``settled`` counts the slots
    whose outcome is known (submitted, or past their due date unsubmitted)."""
    keys = [by] if isinstance(by, str) else list(by)
    _check(states, (*keys, "state", "late", "first_submitted_on"))
    filed = pl.col("first_submitted_on").is_not_null()
    on_time = filed & ~pl.col("late")
    settled = filed | (pl.col("state") == MISSING)
    summary = states.group_by(keys, maintain_order=True).agg(
        pl.len().alias("expected"),
        filed.sum().alias("filed"),
        (pl.col("state") == ACCEPTED).sum().alias("accepted"),
        (pl.col("state") == SUBMITTED).sum().alias("submitted"),
        (pl.col("state") == RETURNED).sum().alias("returned"),
        (pl.col("state") == MISSING).sum().alias("missing"),
        pl.col("late").sum().alias("late"),
        on_time.sum().alias("on_time"),
        settled.sum().alias("settled"),
    )
    rate = (
        pl.when(pl.col("expected") > 0)
        .then((pl.col("on_time") * 100.0 / pl.col("expected")).round(1))
        .otherwise(None)
    )
    return summary.with_columns(rate.alias("on_time_rate"))
