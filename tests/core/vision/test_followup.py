"""预警随访 rules: which screenings warn (level ≥ min_level, or a rise since the previous screening) and which
warning a pupil's live follow-up is for."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from edubrain.core.vision.followup import FollowUpOptions, live_warnings, screening_warnings

D = dt.date


def frame(rows: list[tuple[int, int, dt.date | None, int | None]]) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema={
            "student": pl.Int64, "screening": pl.Int64, "screened_on": pl.Date, "warning_level": pl.Int64
        },
        orient="row",
    )


def by_screening(out: pl.DataFrame) -> dict[int, dict[str, object]]:
    return {r["screening"]: r for r in out.iter_rows(named=True)}


@pytest.mark.parametrize(("level", "min_level", "warn"), [
    (0, 1, False), (1, 1, True), (3, 1, True),
    (1, 2, False), (2, 2, True), (3, 2, True),
    (2, 3, False), (3, 3, True),
])
def test_first_screening_warns_from_the_minimum_level(level, min_level, warn):
    out = screening_warnings(frame([(1, 10, D(2024, 10, 1), level)]), FollowUpOptions(min_level=min_level))
    row = out.row(0, named=True)
    assert row["warn"] is warn
    assert row["previous_level"] is None and row["rose"] is False
    assert row["reason"] == f"预警{level}级"


def test_a_rise_warns_even_below_the_minimum_level():
    out = screening_warnings(
        frame([(1, 10, D(2023, 10, 1), 0), (1, 11, D(2024, 10, 1), 1), (1, 12, D(2025, 4, 1), 1)]),
        FollowUpOptions(min_level=2),
    )
    rows = by_screening(out)
    assert rows[11]["rose"] is True and rows[11]["warn"] is True
    assert rows[11]["reason"] == "预警1级（较上次0级上升）"
    # same level again: no rise, and below the minimum level
    assert rows[12]["rose"] is False and rows[12]["warn"] is False
    assert rows[12]["previous_level"] == 1


def test_a_fall_is_not_a_rise():
    rows = by_screening(screening_warnings(frame([(1, 1, D(2024, 1, 1), 3), (1, 2, D(2025, 1, 1), 2)])))
    assert rows[2]["rose"] is False and rows[2]["previous_level"] == 3
    assert rows[2]["warn"] is True  # level 2 ≥ 1


def test_order_is_by_date_not_by_input_order_and_pupils_do_not_mix():
    out = screening_warnings(frame([
        (2, 5, D(2025, 3, 1), 2),
        (1, 3, D(2025, 3, 1), 2),
        (1, 4, D(2024, 3, 1), 0),
        (2, 6, D(2024, 3, 1), 3),
    ]))
    rows = by_screening(out)
    assert rows[3]["previous_level"] == 0 and rows[3]["rose"] is True
    assert rows[5]["previous_level"] == 3 and rows[5]["rose"] is False
    assert rows[4]["previous_level"] is None and rows[6]["previous_level"] is None
    assert out["student"].to_list() == [1, 1, 2, 2]


def test_unclassified_screenings_are_skipped_without_breaking_the_sequence():
    rows = by_screening(screening_warnings(frame([
        (1, 1, D(2023, 1, 1), 1), (1, 2, D(2024, 1, 1), None), (1, 3, D(2025, 1, 1), 2),
    ])))
    assert set(rows) == {1, 3}
    assert rows[3]["previous_level"] == 1 and rows[3]["rose"] is True


def test_same_day_screenings_are_ordered_by_id():
    rows = by_screening(screening_warnings(frame([(1, 8, D(2025, 1, 1), 2), (1, 7, D(2025, 1, 1), 1)])))
    assert rows[8]["previous_level"] == 1 and rows[8]["rose"] is True


def test_live_warning_is_the_latest_warning_screening_of_each_pupil():
    w = screening_warnings(frame([
        (1, 1, D(2023, 1, 1), 2), (1, 2, D(2024, 1, 1), 1), (1, 3, D(2025, 1, 1), 0),
        (2, 4, D(2025, 1, 1), 0),
        (3, 5, D(2024, 1, 1), 0), (3, 6, D(2025, 1, 1), 1),
    ]))
    live = {r["student"]: r["screening"] for r in live_warnings(w).iter_rows(named=True)}
    # pupil 1: the 2025 screening (level 0) does not warn, the 2024 one does; pupil 2 never warns
    assert live == {1: 2, 3: 6}


def test_missing_columns_and_bad_options_are_refused():
    with pytest.raises(ValueError, match="warning_level"):
        screening_warnings(pl.DataFrame({"student": [1], "screening": [1], "screened_on": [D(2025, 1, 1)]}))
    for bad in (0, 4):
        with pytest.raises(ValueError):
            FollowUpOptions(min_level=bad)
    with pytest.raises(ValueError):
        FollowUpOptions(due_days=0)
