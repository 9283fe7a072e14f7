"""填报周期 (reporting periods): the periods of a reporting frequency within a year, their Chinese names,
start and end dates and the report deadline (报送期限 = period end + ``due_days``).

Frequencies (the values of ``work.models.Frequency``): ``monthly`` (index 1–12, "2026年5月"),
``quarterly`` (1–4, "2026年第3季度"), ``half`` (1–2, "2026年上半年"/"2026年下半年") and ``yearly``
(index 1, "2026年度"). Pure Python, no Django.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from edubrain.core.errors import CoreError

__all__ = [
    "FREQUENCIES",
    "Period",
    "PeriodError",
    "current_period",
    "period",
    "period_count",
    "periods",
]

FREQUENCIES: dict[str, int] = {"monthly": 12, "quarterly": 4, "half": 2, "yearly": 1}
"""Frequency → number of periods in a year."""

FREQUENCY_LABELS = {"monthly": "月度", "quarterly": "季度", "half": "半年", "yearly": "年度"}
MIN_YEAR, MAX_YEAR = 2000, 2100


class PeriodError(CoreError):
    """A frequency, year or period index that does not exist (codes ``period.frequency``,
    ``period.year``, ``period.index``, ``period.due_days``)."""


@dataclass(frozen=True)
class Period:
    """One reporting period: ``index`` within ``year`` (1-based), first and last day, and the due date."""

    frequency: str
    year: int
    index: int
    name: str
    start: dt.date
    end: dt.date
    due_on: dt.date


def period_count(frequency: str) -> int:
    """How many periods of ``frequency`` a year has; a ``PeriodError`` for an unknown frequency."""
    if frequency not in FREQUENCIES:
        known = "、".join(f"{k}（{v}）" for k, v in FREQUENCY_LABELS.items())
        raise PeriodError("period.frequency", f"填报频次“{frequency}”无效，应为：{known}")
    return FREQUENCIES[frequency]


def _name(frequency: str, year: int, index: int) -> str:
    if frequency == "monthly":
        return f"{year}年{index}月"
    if frequency == "quarterly":
        return f"{year}年第{index}季度"
    if frequency == "half":
        return f"{year}年{'上' if index == 1 else '下'}半年"
    return f"{year}年度"


def period(frequency: str, year: int, index: int = 1, due_days: int = 10) -> Period:
    """The ``index``-th period of ``frequency`` in ``year``; due ``due_days`` days after its last day."""
    count = period_count(frequency)
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError("period.year", f"年份“{year}”无效，应为 {MIN_YEAR}–{MAX_YEAR} 之间的整数")
    if not isinstance(index, int) or not 1 <= index <= count:
        label = FREQUENCY_LABELS[frequency]
        raise PeriodError("period.index", f"{label}填报的期次“{index}”无效，应为 1–{count}")
    if not isinstance(due_days, int) or due_days < 0:
        raise PeriodError("period.due_days", f"报送期限天数“{due_days}”无效，应为不小于 0 的整数")
    months = 12 // count
    first_month = (index - 1) * months + 1
    last_month = first_month + months - 1
    start = dt.date(year, first_month, 1)
    end = dt.date(year, last_month, calendar.monthrange(year, last_month)[1])
    return Period(
        frequency=frequency,
        year=year,
        index=index,
        name=_name(frequency, year, index),
        start=start,
        end=end,
        due_on=end + dt.timedelta(days=due_days),
    )


def periods(frequency: str, year: int, due_days: int = 10) -> list[Period]:
    """Every period of ``frequency`` in ``year``, in order."""
    return [period(frequency, year, i, due_days) for i in range(1, period_count(frequency) + 1)]


def current_period(frequency: str, today: dt.date, due_days: int = 10) -> Period:
    """The period of ``frequency`` that contains ``today``."""
    count = period_count(frequency)
    index = (today.month - 1) // (12 // count) + 1
    return period(frequency, today.year, index, due_days)
