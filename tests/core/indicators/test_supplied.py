"""Values read from registered figures: 平均受教育年限, 体质健康 rates, 省一类以上幼儿园占比, 千兆到校."""

from __future__ import annotations

import polars as pl
import pytest

from edubrain.core.indicators.inputs import IndicatorInputs
from edubrain.core.indicators.supplied import (
    first_class_kindergartens,
    fitness_rates,
    gigabit_schools,
    schooling_years,
)

COUNTY, TOWN_A, TOWN_B = 1, 10, 20
SCHOOLS = pl.DataFrame(
    {
        "org_unit_id": [101, 102, 103, 104, 201, 202, 401],
        "town_id": [TOWN_A, TOWN_A, TOWN_B, TOWN_B, TOWN_A, TOWN_B, TOWN_A],
        "school_type": ["kindergarten"] * 4 + ["primary", "junior", "vocational"],
        "rating": ["prov_model", "prov_1", "prov_2", "", "", "", ""],
        "founded_year": [None, None, None, 2025, None, None, None],
    }
)


def table(frame):
    return {
        (r["indicator"], r["org_unit_id"], r["year"]): (
            r["value"],
            r["numerator"],
            r["denominator"],
            r["note"],
        )
        for r in frame.to_dicts()
    }


def test_schooling_years_as_supplied():
    schooling = pl.DataFrame(
        {"org_unit_id": [COUNTY, TOWN_A, 999], "year": [2024, 2024, 2024], "years": [11.95, 12.6, 9.0]}
    )
    got = table(schooling_years(IndicatorInputs(COUNTY, (2023, 2024), (TOWN_A, TOWN_B), schooling=schooling)))
    assert got[("adult_schooling_years", COUNTY, 2024)] == (11.95, 11.95, None, "")
    assert got[("adult_schooling_years", TOWN_A, 2024)][0] == 12.6
    assert got[("adult_schooling_years", COUNTY, 2023)] == (
        None,
        None,
        None,
        "缺少统计局提供的平均受教育年限",
    )
    assert ("adult_schooling_years", TOWN_B, 2024) not in got and (
        "adult_schooling_years",
        999,
        2024,
    ) not in got


def test_fitness_rates_are_passed_through_for_the_county_only():
    module = pl.DataFrame(
        {
            "indicator": ["fitness_excellent_good_rate", "fitness_pass_rate", "fitness_pass_rate", "other"],
            "org_unit_id": [COUNTY, 201, 777, COUNTY],
            "year": [2024, 2024, 2024, 2024],
            "value": [57.1, None, 90.0, 1.0],
            "numerator": [4, 0, 9, 1],
            "denominator": [7, 0, 10, 1],
        }
    )
    bundle = IndicatorInputs(COUNTY, (2024,), (TOWN_A,), schools=SCHOOLS, module_values=module)
    got = table(fitness_rates(bundle))
    assert got == {
        ("fitness_excellent_good_rate", COUNTY, 2024): (57.1, 4.0, 7.0, ""),
        ("fitness_pass_rate", 201, 2024): (None, 0.0, 0.0, "无实测学生"),
    }


def test_first_class_kindergartens_by_number_open_in_the_year():
    got = table(
        first_class_kindergartens(IndicatorInputs(COUNTY, (2024, 2025), (TOWN_A, TOWN_B), schools=SCHOOLS))
    )
    assert got[("first_class_kindergarten_share", COUNTY, 2024)] == (pytest.approx(200 / 3), 2.0, 3.0, "")
    assert got[("first_class_kindergarten_share", COUNTY, 2025)][:3] == (50.0, 2.0, 4.0)  # 104 opens in 2025
    assert got[("first_class_kindergarten_share", TOWN_A, 2024)][:3] == (100.0, 2.0, 2.0)
    assert got[("first_class_kindergarten_share", TOWN_B, 2024)][:3] == (0.0, 0.0, 1.0)
    assert ("first_class_kindergarten_share", 101, 2024) not in got


def test_gigabit_share_of_reporting_schools():
    facilities = pl.DataFrame(
        {"org_unit_id": [201, 202, 401, 101], "year": [2024] * 4, "broadband_mbps": [1000, 999, 1000, 1000]}
    )
    bundle = IndicatorInputs(COUNTY, (2023, 2024), (TOWN_A, TOWN_B), schools=SCHOOLS, facilities=facilities)
    got = table(gigabit_schools(bundle))
    assert got[("gigabit_school_share", COUNTY, 2024)] == (50.0, 1.0, 2.0, "")  # 中职 and 幼儿园 not counted
    assert got[("gigabit_school_share", TOWN_B, 2024)][:3] == (0.0, 0.0, 1.0)
    assert got[("gigabit_school_share", COUNTY, 2023)] == (None, None, None, "缺少2023年办学条件数据")
