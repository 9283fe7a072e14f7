"""重点项目进度: milestone delay at, before and after the planned day; project state, spend rate, progress
and timeline rows."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from edubrain.core.work import schedule as sc

TODAY = dt.date(2025, 6, 10)
D = dt.date


def milestones(*rows: tuple[int, str, dt.date, dt.date | None]) -> pl.DataFrame:
    return pl.DataFrame(
        [dict(zip(("project", "name", "planned_on", "done_on"), r, strict=True)) for r in rows],
        schema=sc.MILESTONE_SCHEMA,
    )


def tracks(*rows: dict[str, object]) -> pl.DataFrame:
    base = {"status": "building", "start_on": None, "end_on": None, "finished_on": None}
    full = [{**base, "budget": None, "spent": None, **r} for r in rows]
    return pl.DataFrame(full, schema=sc.TRACK_SCHEMA)


@pytest.mark.parametrize(
    ("planned", "done", "expected"),
    [
        (TODAY, None, 0),  # the planned day itself is not late
        (TODAY - dt.timedelta(days=1), None, 1),  # the day after is
        (TODAY + dt.timedelta(days=1), None, 0),  # still ahead
        (D(2025, 5, 1), D(2025, 5, 1), 0),  # done on the day
        (D(2025, 5, 1), D(2025, 5, 2), 1),  # done one day late
        (D(2025, 5, 1), D(2025, 4, 20), 0),  # done early
        (D(2025, 5, 1), D(2025, 5, 11), 10),  # done late: done_on - planned_on, not today
    ],
)
def test_milestone_delay_boundaries(planned, done, expected):
    assert sc.delay_days(planned, done, TODAY) == expected
    frame = sc.milestone_delays(milestones((1, "开工", planned, done)), TODAY)
    assert frame["delay_days"].to_list() == [expected]
    assert frame["late"].to_list() == [expected > 0]


def test_project_on_track_until_the_day_after_a_milestone():
    ms = milestones((1, "开工", TODAY, None), (1, "竣工", D(2026, 1, 1), None))
    on_day = sc.project_schedule(tracks({"project": 1}), ms, TODAY).row(0, named=True)
    assert (on_day["state"], on_day["state_label"], on_day["delay_days"]) == ("on_track", "正常", 0)
    after = sc.project_schedule(tracks({"project": 1}), ms, TODAY + dt.timedelta(days=1)).row(0, named=True)
    assert (after["state"], after["state_label"], after["delay_days"]) == ("late", "滞后", 1)
    assert after["late_milestones"] == 1
    assert (after["next_milestone"], after["next_on"]) == ("开工", TODAY)


def test_end_date_passed_while_not_done_is_late_even_without_milestones():
    empty = milestones()
    at_end = sc.project_schedule(tracks({"project": 1, "end_on": TODAY}), empty, TODAY).row(0, named=True)
    assert at_end["state"] == "on_track" and at_end["delay_days"] == 0
    day_after = TODAY + dt.timedelta(days=1)
    past = sc.project_schedule(tracks({"project": 1, "end_on": TODAY}), empty, day_after).row(0, named=True)
    assert past["state"] == "late" and past["delay_days"] == 1
    assert past["milestones"] == 0 and past["progress"] == 0.0


def test_done_project_is_done_with_its_late_finish_counted():
    t = tracks(
        {"project": 1, "status": "done", "end_on": D(2025, 3, 1), "finished_on": D(2025, 3, 4)},
        {"project": 2, "status": "done", "end_on": D(2025, 3, 1), "finished_on": D(2025, 3, 1)},
    )
    rows = sc.project_schedule(t, milestones(), TODAY).sort("project").to_dicts()
    assert [r["state"] for r in rows] == ["done", "done"]
    assert [r["delay_days"] for r in rows] == [3, 0]  # finished_on - end_on, not today - end_on
    assert [r["progress"] for r in rows] == [1.0, 1.0]


def test_a_milestone_done_late_is_history_not_a_delay_now():
    late_done = milestones((1, "开工", D(2025, 5, 1), D(2025, 5, 20)), (1, "竣工", D(2026, 1, 1), None))
    row = sc.project_schedule(tracks({"project": 1}), late_done, TODAY).row(0, named=True)
    assert (row["state"], row["delay_days"], row["late_milestones"], row["overdue_milestones"]) == (
        "on_track",
        19,
        1,
        0,
    )
    # the next milestone passes its planned day undone: behind again, from the day after
    on_day = sc.project_schedule(tracks({"project": 1}), late_done, D(2026, 1, 1)).row(0, named=True)
    after = sc.project_schedule(tracks({"project": 1}), late_done, D(2026, 1, 2)).row(0, named=True)
    assert on_day["state"] == "on_track" and (after["state"], after["overdue_milestones"]) == ("late", 1)


def test_largest_of_milestone_and_end_delay():
    ms = milestones((1, "开工", D(2025, 6, 1), D(2025, 6, 5)))  # 4 days late
    t = tracks({"project": 1, "end_on": D(2025, 6, 8)})  # 2 days past on TODAY
    row = sc.project_schedule(t, ms, TODAY).row(0, named=True)
    assert (row["milestone_delay"], row["end_delay"], row["delay_days"]) == (4, 2, 4)


@pytest.mark.parametrize(
    ("spent", "budget", "rate", "over"),
    [
        (50.0, 100.0, 0.5, False),
        (100.0, 100.0, 1.0, False),  # exactly the budget: not over
        (100.01, 100.0, 1.0001, True),  # just over: 超概算
        (None, 100.0, 0.0, False),
        (10.0, None, None, False),  # no budget: no rate
        (10.0, 0.0, None, True),  # a zero budget gives no rate; any spend exceeds it
    ],
)
def test_spend_rate_and_over_budget(spent, budget, rate, over):
    row = sc.project_schedule(
        tracks({"project": 1, "spent": spent, "budget": budget}), milestones(), TODAY
    ).row(0, named=True)
    if rate is None:
        assert row["spend_rate"] is None and sc.spend_rate(spent, budget) is None
    else:
        assert row["spend_rate"] == pytest.approx(rate)
        assert sc.spend_rate(spent, budget) == pytest.approx(rate)
    assert row["over_budget"] is over


def test_progress_and_timeline_rows():
    ms = milestones(
        (1, "立项", D(2025, 1, 1), D(2025, 1, 1)),
        (1, "开工", D(2025, 3, 1), None),
        (2, "立项", D(2025, 2, 1), None),
    )
    t = tracks(
        {"project": 1, "start_on": D(2025, 1, 1), "end_on": D(2025, 12, 31)},
        {"project": 2},  # no dates of its own: the milestones span it
        {"project": 3},  # no dates at all: not on the timeline
    )
    sched = sc.project_schedule(t, ms, TODAY).sort("project")
    assert sched["progress"].to_list() == [0.5, 0.0, 0.0]
    gantt = sc.gantt_rows(sched).to_dicts()
    assert [g["project"] for g in gantt] == [1, 2]
    assert (gantt[0]["start"], gantt[0]["end"]) == (D(2025, 1, 1), D(2025, 12, 31))
    assert gantt[0]["actual_end"] == D(2025, 7, 2)  # half of 364 days
    assert (gantt[1]["start"], gantt[1]["end"], gantt[1]["actual_end"]) == (D(2025, 2, 1),) * 3


def test_decimal_year():
    assert sc.decimal_year(D(2025, 1, 1)) == 2025.0
    assert sc.decimal_year(D(2024, 7, 2)) == pytest.approx(2024.5, abs=0.001)  # leap year, day 183 of 366
    assert sc.decimal_year(D(2025, 12, 31)) < 2026.0
