"""填报周期: names, first and last days, deadlines and refusals of every frequency."""

from __future__ import annotations

import datetime as dt

import pytest

from edubrain.core.work.periods import PeriodError, current_period, period, period_count, periods


def test_half_years_cover_the_year_and_fall_due_ten_days_after_their_end():
    first, second = periods("half", 2026)
    assert (first.name, first.start, first.end) == ("2026年上半年", dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    assert first.due_on == dt.date(2026, 7, 10)
    assert (second.name, second.start, second.end) == (
        "2026年下半年",
        dt.date(2026, 7, 1),
        dt.date(2026, 12, 31),
    )
    assert second.due_on == dt.date(2027, 1, 10)


def test_quarter_names_and_bounds():
    q3 = period("quarterly", 2026, 3)
    assert (q3.name, q3.start, q3.end) == ("2026年第3季度", dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    assert [p.end.month for p in periods("quarterly", 2026)] == [3, 6, 9, 12]


def test_months_know_february_of_a_leap_year():
    feb = period("monthly", 2028, 2)
    assert (feb.name, feb.end) == ("2028年2月", dt.date(2028, 2, 29))
    assert period("monthly", 2026, 2).end == dt.date(2026, 2, 28)
    may = period("monthly", 2026, 5, due_days=0)
    assert (may.name, may.start, may.end, may.due_on) == (
        "2026年5月",
        dt.date(2026, 5, 1),
        dt.date(2026, 5, 31),
        dt.date(2026, 5, 31),
    )


def test_a_year():
    year = period("yearly", 2026, 1, due_days=15)
    assert (year.name, year.start, year.end, year.due_on) == (
        "2026年度",
        dt.date(2026, 1, 1),
        dt.date(2026, 12, 31),
        dt.date(2027, 1, 15),
    )


def test_period_counts():
    assert [period_count(f) for f in ("monthly", "quarterly", "half", "yearly")] == [12, 4, 2, 1]


@pytest.mark.parametrize(
    ("frequency", "year", "index", "due", "code"),
    [
        ("weekly", 2026, 1, 10, "period.frequency"),
        ("half", 2026, 0, 10, "period.index"),
        ("half", 2026, 3, 10, "period.index"),
        ("quarterly", 2026, 5, 10, "period.index"),
        ("monthly", 2026, 13, 10, "period.index"),
        ("yearly", 2026, 2, 10, "period.index"),
        ("half", 1999, 1, 10, "period.year"),
        ("half", 2101, 1, 10, "period.year"),
        ("half", 2026, 1, -1, "period.due_days"),
    ],
)
def test_refusals(frequency, year, index, due, code):
    with pytest.raises(PeriodError) as exc:
        period(frequency, year, index, due)
    assert exc.value.code == code
    assert "应为" in exc.value.message


def test_edges_of_the_index_are_accepted():
    assert period("monthly", 2026, 12).end == dt.date(2026, 12, 31)
    assert period("half", 2000, 1).start == dt.date(2000, 1, 1)
    assert period("half", 2100, 2).end == dt.date(2100, 12, 31)


def test_current_period_on_its_first_and_last_days():
    assert current_period("half", dt.date(2026, 6, 30)).index == 1
    assert current_period("half", dt.date(2026, 7, 1)).index == 2
    assert current_period("quarterly", dt.date(2026, 10, 1)).name == "2026年第4季度"
    assert current_period("monthly", dt.date(2026, 12, 31)).name == "2026年12月"
