"""报送状态: slot states at the deadline's boundary, colours, the task roll-up and the unit summary."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from edubrain.core.work.progress import COLOURS, slot_states, task_status, unit_summary

DUE = dt.date(2026, 7, 10)


def frame(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema={
            "task": pl.Int64,
            "org_unit": pl.Int64,
            "cycle_start": pl.Date,
            "status": pl.String,
            "due_on": pl.Date,
            "first_submitted_on": pl.Date,
        },
        orient="row",
    )


def one(status: str, first: dt.date | None, today: dt.date) -> dict:
    return slot_states(frame([(1, 1, dt.date(2026, 1, 1), status, DUE, first)]), today).row(0, named=True)


@pytest.mark.parametrize(
    ("today", "state", "colour"),
    [
        (DUE - dt.timedelta(days=1), "pending", "grey"),
        (DUE, "pending", "grey"),  # the due day itself is not late
        (DUE + dt.timedelta(days=1), "missing", "red"),
    ],
)
def test_unsubmitted_slot_at_the_deadline(today, state, colour):
    for status in ("pending", "draft"):
        row = one(status, None, today)
        assert (row["state"], row["colour"], row["late"]) == (state, colour, False)


@pytest.mark.parametrize(
    ("first", "late"),
    [(DUE - dt.timedelta(days=1), False), (DUE, False), (DUE + dt.timedelta(days=1), True)],
)
def test_late_submission_flag_at_the_deadline(first, late):
    row = one("submitted", first, DUE + dt.timedelta(days=30))
    assert row["state"] == "submitted" and row["state_label"] == "待审核"
    assert row["late"] is late
    assert row["colour"] == ("orange" if late else "blue")


def test_colours_of_each_state():
    today = DUE + dt.timedelta(days=5)
    assert one("accepted", DUE, today)["colour"] == "green"
    assert one("accepted", DUE, today)["colour_hex"] == COLOURS["green"]
    assert one("accepted", DUE + dt.timedelta(days=2), today)["colour"] == "orange"
    returned = one("returned", DUE, today)
    assert (returned["state_label"], returned["colour"]) == ("已退回", "orange")
    assert one("pending", None, today)["state_label"] == "逾期未报"


def test_missing_columns_are_refused():
    with pytest.raises(ValueError, match="first_submitted_on"):
        slot_states(pl.DataFrame({"status": ["pending"], "due_on": [DUE]}), DUE)


def test_task_colour_is_the_worst_slot_of_the_latest_cycle():
    old, new = dt.date(2025, 7, 1), dt.date(2026, 1, 1)
    today = DUE + dt.timedelta(days=1)
    states = slot_states(
        frame(
            [
                (1, 1, old, "pending", dt.date(2025, 1, 10), None),  # old cycle missing: ignored
                (1, 1, new, "accepted", DUE, DUE),
                (1, 2, new, "submitted", DUE, DUE),
                (2, 1, new, "accepted", DUE, DUE),
                (2, 2, new, "pending", DUE, None),  # missing: red
                (3, 1, new, "returned", DUE, DUE),
                (3, 2, new, "submitted", DUE, DUE),
            ]
        ),
        today,
    )
    tasks = {r["task"]: r for r in task_status(states).iter_rows(named=True)}
    assert (tasks[1]["colour"], tasks[1]["slots"], tasks[1]["accepted"]) == ("blue", 2, 1)
    assert (tasks[2]["colour"], tasks[2]["state_label"]) == ("red", "逾期未报")
    assert tasks[3]["colour"] == "orange"


def test_a_task_keeps_its_last_news_while_the_new_cycle_is_not_yet_due():
    old, new = dt.date(2026, 1, 1), dt.date(2026, 7, 1)
    later = DUE + dt.timedelta(days=180)
    today = DUE + dt.timedelta(days=1)  # the old cycle is past due, the new one is not
    rows = [
        (1, 1, old, "accepted", DUE, DUE),
        (1, 1, new, "pending", later, None),  # not yet due: no news
        (2, 1, old, "pending", DUE, None),  # missed in the old cycle
        (2, 1, new, "draft", later, None),
        (3, 1, old, "accepted", DUE, DUE),
        (3, 1, new, "submitted", later, DUE),  # reported early in the new cycle: that is the news
        (3, 2, new, "pending", later, None),
        (4, 1, new, "pending", later, None),  # only a new cycle: shown as it is
    ]
    tasks = {r["task"]: r for r in task_status(slot_states(frame(rows), today)).iter_rows(named=True)}
    assert (tasks[1]["state"], tasks[1]["colour"]) == ("accepted", "green")
    assert (tasks[2]["state"], tasks[2]["colour"]) == ("missing", "red")
    assert (tasks[3]["state"], tasks[3]["slots"]) == ("pending", 2)  # worst slot of the new cycle
    assert (tasks[4]["state"], tasks[4]["colour"]) == ("pending", "grey")
    # the day the new cycle falls due passes, its unreported slots become news
    overdue = {
        r["task"]: r
        for r in task_status(slot_states(frame(rows), later + dt.timedelta(days=1))).iter_rows(named=True)
    }
    assert overdue[1]["state"] == "missing" and overdue[4]["state"] == "missing"


def test_task_status_of_nothing_is_empty():
    states = slot_states(frame([]), DUE)
    assert task_status(states).height == 0


def test_unit_summary_counts_and_on_time_rate():
    start = dt.date(2026, 1, 1)
    today = DUE + dt.timedelta(days=1)
    states = slot_states(
        frame(
            [
                (1, 7, start, "accepted", DUE, DUE),  # on time
                (2, 7, start, "submitted", DUE, DUE + dt.timedelta(days=1)),  # late
                (3, 7, start, "returned", DUE, DUE - dt.timedelta(days=3)),  # on time, returned
                (4, 7, start, "draft", DUE, None),  # missing
                (1, 8, start, "pending", dt.date(2026, 8, 1), None),  # not yet due: not settled
            ]
        ),
        today,
    )
    rows = {r["org_unit"]: r for r in unit_summary(states).iter_rows(named=True)}
    a = rows[7]
    assert (a["expected"], a["filed"], a["accepted"], a["submitted"], a["returned"]) == (4, 3, 1, 1, 1)
    assert (a["missing"], a["late"], a["on_time"], a["settled"]) == (1, 1, 2, 4)
    assert a["on_time_rate"] == 50.0
    b = rows[8]
    assert (b["expected"], b["missing"], b["settled"], b["on_time_rate"]) == (1, 0, 0, 0.0)


def test_on_time_rate_counts_a_submission_on_the_due_day():
    start = dt.date(2026, 1, 1)
    states = slot_states(
        frame(
            [
                (1, 7, start, "accepted", DUE, DUE - dt.timedelta(days=1)),
                (2, 7, start, "accepted", DUE, DUE),
                (3, 7, start, "accepted", DUE, DUE + dt.timedelta(days=1)),
            ]
        ),
        DUE + dt.timedelta(days=5),
    )
    row = unit_summary(states).row(0, named=True)
    assert (row["on_time"], row["late"], row["on_time_rate"]) == (2, 1, 66.7)
