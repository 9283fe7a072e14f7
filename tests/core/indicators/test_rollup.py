"""Roll-up: schools → 镇/街道 → county by summing numerators and denominators, then dividing; null + note
where there is nothing to divide by; only schools open in the year get rows."""

from __future__ import annotations

import polars as pl
import pytest

from edubrain.core.indicators.catalogue import ALL_LEVELS, AREA_LEVELS
from edubrain.core.indicators.inputs import OUTPUT, IndicatorInputs
from edubrain.core.indicators.rollup import finish, rollup, school_grid

COUNTY, TOWN_A, TOWN_B = 1, 10, 20


def inputs(**frames):
    schools = pl.DataFrame(
        {
            "org_unit_id": [101, 102, 103, 104],
            "town_id": [TOWN_A, TOWN_A, TOWN_B, TOWN_B],
            "school_type": ["primary", "primary", "primary", "kindergarten"],
            "founded_year": [None, None, 2024, None],
            "closed_year": [None, 2024, None, None],
        }
    )
    return IndicatorInputs(
        county_id=COUNTY, years=(2023, 2024), towns=(TOWN_A, TOWN_B), schools=schools, **frames
    )


def facts(rows):
    return pl.DataFrame(rows, schema=["org_unit_id", "year", "num", "den"], orient="row").with_columns(
        pl.col("num", "den").cast(pl.Float64)
    )


def table(frame):
    return {
        (r["org_unit_id"], r["year"]): (r["value"], r["numerator"], r["denominator"], r["note"])
        for r in frame.to_dicts()
    }


def test_grid_has_only_schools_of_the_types_open_in_the_year():
    grid = school_grid(inputs(), ["primary"])
    assert set(grid.iter_rows()) == {(101, 2023), (101, 2024), (102, 2023), (103, 2024)}  # 102 closed 2024


def test_county_is_sum_of_numerators_over_sum_of_denominators_not_mean_of_rates():
    bundle = inputs()
    rows = facts([(101, 2023, 1, 2), (102, 2023, 90, 100)])  # 50 % and 90 %: mean 70 %, pooled 89.2 %
    out = table(
        finish(
            "x",
            rollup(bundle, rows, school_grid(bundle, ["primary"]), ALL_LEVELS),
            empty_note="无",
            factor=100.0,
        )
    )
    assert out[(COUNTY, 2023)][:3] == (pytest.approx(91 / 102 * 100), 91.0, 102.0)
    assert out[(TOWN_A, 2023)][:3] == (pytest.approx(91 / 102 * 100), 91.0, 102.0)
    assert out[(101, 2023)][0] == 50.0 and out[(102, 2023)][0] == 90.0


def test_zero_denominator_gives_null_and_a_note_never_zero():
    bundle = inputs()
    rows = facts([(101, 2023, 3, 4)])
    out = table(
        finish(
            "x",
            rollup(bundle, rows, school_grid(bundle, ["primary"]), ALL_LEVELS),
            empty_note="无在校学生",
            factor=100.0,
        )
    )
    assert out[(102, 2023)] == (None, 0.0, 0.0, "无在校学生")  # open, no facts
    assert out[(COUNTY, 2024)] == (None, 0.0, 0.0, "无在校学生")  # a year without any facts
    assert out[(TOWN_B, 2024)] == (None, 0.0, 0.0, "无在校学生")  # 103 opened in 2024, no pupils
    assert (TOWN_B, 2023) not in out  # no school of the kind open in 2023 there
    assert out[(101, 2023)] == (75.0, 3.0, 4.0, "")


def test_levels_and_facts_of_closed_or_foreign_schools():
    bundle = inputs()
    rows = facts([(102, 2024, 5, 5), (999, 2023, 7, 7), (101, 2030, 1, 1)])
    rolled = rollup(bundle, rows, school_grid(bundle, ["primary"]), AREA_LEVELS)
    assert set(rolled["level"]) == {"county", "town"}
    out = table(finish("x", rolled, empty_note="无", count=True))
    assert out[(COUNTY, 2024)][:2] == (5.0, 5.0)  # a closed school that still has pupils is counted
    assert out[(COUNTY, 2023)][0] is None  # school 999 is not in the county; 2030 is not asked for
    assert {k[1] for k in out} == {2023, 2024}


def test_count_indicator_is_zero_with_records_and_null_without():
    bundle = inputs()
    rows = facts([(101, 2023, 0, 3)])  # three classes, none large
    out = table(
        finish(
            "x",
            rollup(bundle, rows, school_grid(bundle, ["primary"]), ALL_LEVELS),
            empty_note="无班级数据",
            count=True,
        )
    )
    assert out[(101, 2023)] == (0.0, 0.0, None, "")
    assert out[(102, 2023)] == (None, 0.0, None, "无班级数据")


def test_missing_years_null_everything_with_the_years_note():
    bundle = inputs()
    rows = facts([(101, 2023, 1, 1), (101, 2024, 1, 1)])
    out = finish(
        "x",
        rollup(bundle, rows, school_grid(bundle, ["primary"]), ALL_LEVELS),
        empty_note="无",
        missing={2024: "缺少2024学年学籍数据"},
    )
    assert out.schema == pl.Schema(OUTPUT)
    late = out.filter(pl.col("year") == 2024)
    assert late["value"].null_count() == late.height and late["numerator"].null_count() == late.height
    assert set(late["note"]) == {"缺少2024学年学籍数据"}
    assert table(out)[(COUNTY, 2023)] == (1.0, 1.0, 1.0, "")
