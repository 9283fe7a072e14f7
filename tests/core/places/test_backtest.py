"""Backtest of the 学位预警 forecast on a synthetic two-zone series, errors computed by hand."""

from __future__ import annotations

import polars as pl
import pytest

from edubrain.core.errors import CoreError
from edubrain.core.places import ForecastOptions, PlaceData, backtest


def series() -> PlaceData:
    # Zone A: births 2010–2013 = 100; grade 1 of 2016–2018 = 100, 90, 110 → r1 = (1.0 + 0.9 + 1.1) / 3 = 1.0
    #   forecast 2019 = births 2013 (100) × 1.0 = 100; actual 80 → error +20, +25 %
    # Zone B: births 50, 50, 50, 40; grade 1 = 50, 50, 50 → r1 = 1.0
    #   forecast 2019 = 40; actual 50 → error −10, −20 %
    # MAPE = (25 + 20) / 2 = 22.5
    births = pl.DataFrame(
        {
            "zone": ["A"] * 5 + ["B"] * 5,
            "year": [2010, 2011, 2012, 2013, 2014] * 2,
            "births": [100, 100, 100, 100, 999, 50, 50, 50, 40, 999],
        }
    )
    grade1 = {"A": [100, 90, 110, 80], "B": [50, 50, 50, 50]}
    enrolment = pl.DataFrame(
        [
            (z, y, "11", p)
            for z, counts in grade1.items()
            for y, p in zip(range(2016, 2020), counts, strict=True)
        ],
        schema=["zone", "year", "grade_code", "pupils"],
        orient="row",
    )
    return PlaceData(births=births, enrolment=enrolment)


def test_backtest_errors_and_mape_by_hand():
    out = backtest(series(), 2018, 2019)
    assert out["zone"].to_list() == ["A", "B"]
    assert out["forecast"].to_list() == pytest.approx([100, 40])
    assert out["actual"].to_list() == pytest.approx([80, 50])
    assert out["error"].to_list() == pytest.approx([20, -10])
    assert out["pct_error"].to_list() == pytest.approx([25, -20])
    assert out["abs_pct_error"].to_list() == pytest.approx([25, 20])
    assert out["mape"].to_list() == pytest.approx([22.5, 22.5])
    assert set(out["measure"]) == {"entrants"} and set(out["stage"]) == {"primary"}


def test_backtest_two_years_ahead_uses_only_data_up_to_origin():
    # origin 2017: A's ratios 1.0, 0.9 → 0.95; forecast 2019 = 100 × 0.95 = 95, actual 80 → 18.75 %
    #              B's 1.0, 1.0 → forecast 40, actual 50 → −20 %; MAPE 19.375
    out = backtest(series(), 2017, 2019)
    assert out["forecast"].to_list() == pytest.approx([95, 40])
    assert out["pct_error"].to_list() == pytest.approx([18.75, -20])
    assert out["mape"][0] == pytest.approx(19.375)


def test_backtest_zero_actual_and_missing_zone():
    data = series()
    enrolment = data.enrolment.with_columns(
        pupils=pl.when((pl.col("zone") == "B") & (pl.col("year") == 2019)).then(0).otherwise(pl.col("pupils"))
    )
    out = backtest(PlaceData(data.births, enrolment), 2018, 2019)
    assert out["pct_error"].to_list() == pytest.approx([25, None])
    assert out["mape"][0] == pytest.approx(25)  # B has no percentage error to average
    only_a = enrolment.filter(~((pl.col("zone") == "B") & (pl.col("year") == 2019)))
    out = backtest(PlaceData(data.births, only_a), 2018, 2019)
    assert out.filter(pl.col("zone") == "B")["actual"].to_list() == [None]


def test_backtest_enrolment_measure():
    out = backtest(series(), 2018, 2019, ForecastOptions(), measure="enrolment")
    # only grade 1 is on record, so the other grades are unknown and both stage totals are null — never a
    # silent partial sum
    assert out["forecast"].to_list() == [None, None]
    assert out["actual"].to_list() == [None, None]
    assert out["mape"].to_list() == [None, None]


def test_backtest_target_must_follow_origin():
    with pytest.raises(CoreError):
        backtest(series(), 2019, 2019)


def test_backtest_enrolment_measure_full_grades():
    # every primary grade 100 in 2017 and 2018, births 100 → all ratios 1.0, forecast 2019 = 600;
    # actual 2019 = 6 × 120 = 720 → error −120, −16.666… %
    grades = ["11", "12", "13", "14", "15", "16"]
    rows = [("A", y, g, 100) for y in (2017, 2018) for g in grades] + [("A", 2019, g, 120) for g in grades]
    enrolment = pl.DataFrame(rows, schema=["zone", "year", "grade_code", "pupils"], orient="row")
    births = pl.DataFrame({"zone": ["A"] * 3, "year": [2011, 2012, 2013], "births": [100, 100, 100]})
    out = backtest(PlaceData(births, enrolment), 2018, 2019, measure="enrolment").row(0, named=True)
    assert (out["forecast"], out["actual"], out["error"]) == (pytest.approx(600), 720, pytest.approx(-120))
    assert out["pct_error"] == pytest.approx(-100 / 6)
    assert out["mape"] == pytest.approx(100 / 6)
