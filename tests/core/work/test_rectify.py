"""整改 rules: default deadlines by severity, overdue at the deadline's boundary (the due day itself is on
time, the next day is late), a late fix, and the statistics against hand counts."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from edubrain.core.errors import CoreError
from edubrain.core.work.rectify import (
    default_deadline,
    finding_overdue_days,
    finding_states,
    statistics,
)

D = dt.date(2026, 3, 10)  # the deadline of the boundary cases


def frame(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema={
            "unit": pl.Utf8,
            "status": pl.Utf8,
            "severity": pl.Utf8,
            "deadline": pl.Date,
            "fixed_on": pl.Date,
        },
        orient="row",
    )


def test_default_deadline_by_severity_and_configured_days():
    found = dt.date(2026, 3, 1)
    assert default_deadline("minor", found) == dt.date(2026, 3, 31)
    assert default_deadline("major", found) == dt.date(2026, 3, 16)
    assert default_deadline("serious", found) == dt.date(2026, 3, 8)
    assert default_deadline("serious", found, {"serious": 3}) == dt.date(2026, 3, 4)
    with pytest.raises(CoreError, match="严重程度"):
        default_deadline("fatal", found)


@pytest.mark.parametrize(
    ("today", "days", "overdue"),
    [(D - dt.timedelta(days=1), 0, False), (D, 0, False), (D + dt.timedelta(days=1), 1, True)],
)
@pytest.mark.parametrize("status", ["open", "reopened"])
def test_open_finding_is_overdue_from_the_day_after_the_deadline(status, today, days, overdue):
    states = finding_states(frame([("a", status, "minor", D, None)]), today)
    assert states["overdue_days"].to_list() == [days]
    assert states["overdue"].to_list() == [overdue]
    assert finding_overdue_days(status, D, None, today) == days


@pytest.mark.parametrize(
    ("fixed_on", "days", "late"),
    [(D - dt.timedelta(days=1), 0, False), (D, 0, False), (D + dt.timedelta(days=2), 2, True)],
)
@pytest.mark.parametrize("status", ["fixed", "closed"])
def test_a_fix_after_the_deadline_is_a_late_fix(status, fixed_on, days, late):
    today = D + dt.timedelta(days=40)  # long after: a reported fix no longer grows overdue
    states = finding_states(frame([("a", status, "major", D, fixed_on)]), today)
    assert states["overdue_days"].to_list() == [days]
    assert states["late_fix"].to_list() == [late]
    assert states["overdue"].to_list() == [False]
    assert states["on_time"].to_list() == [status == "closed" and not late]
    assert finding_overdue_days(status, D, fixed_on, today) == days


def test_statistics_per_unit_against_hand_counts():
    today = D + dt.timedelta(days=5)
    rows = [
        ("甲校", "closed", "minor", D, D),  # on time
        ("甲校", "closed", "serious", D, D + dt.timedelta(days=1)),  # late fix
        ("甲校", "open", "major", D, None),  # overdue 5
        ("甲校", "fixed", "minor", D + dt.timedelta(days=9), D),  # waiting for 复查
        ("乙校", "reopened", "serious", today, None),  # due today: not overdue
        ("乙校", "open", "serious", D, None),  # overdue
    ]
    stats = {r["unit"]: r for r in statistics(frame(rows), ["unit"], today).to_dicts()}
    a, b = stats["甲校"], stats["乙校"]
    assert (a["findings"], a["minor"], a["major"], a["serious"]) == (4, 2, 1, 1)
    assert (a["closed"], a["open"], a["fixed"], a["overdue"], a["late_fix"], a["on_time"]) == (
        2,
        2,
        1,
        1,
        1,
        1,
    )
    assert a["closed_rate"] == 50.0 and a["on_time_rate"] == 25.0
    assert (b["findings"], b["serious"], b["closed"], b["open"], b["overdue"]) == (2, 2, 0, 2, 1)
    assert b["closed_rate"] == 0.0 and b["on_time_rate"] == 0.0
    total = statistics(frame(rows), [], today).to_dicts()
    assert len(total) == 1 and total[0]["findings"] == 6 and total[0]["overdue"] == 2
    assert total[0]["closed_rate"] == pytest.approx(33.3)


def test_statistics_of_no_findings_has_no_rate():
    total = statistics(frame([]), [], D).to_dicts()
    assert total[0]["findings"] == 0 and total[0]["closed_rate"] is None
    assert statistics(frame([]), ["unit"], D).height == 0


def test_missing_columns_are_refused():
    with pytest.raises(ValueError, match="fixed_on"):
        finding_states(pl.DataFrame({"status": ["open"], "severity": ["minor"], "deadline": [D]}), D)
