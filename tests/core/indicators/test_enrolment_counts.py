"""在园人数 and 在校生 (万人): on-roll statuses only, the right grades and school types, rows for county,
镇/街道 and school, null + note for a school without pupils or a year without 学籍."""

from __future__ import annotations

import polars as pl
import pytest

from edubrain.core.indicators.enrolment import enrolment_counts
from edubrain.core.indicators.inputs import IndicatorInputs

COUNTY, TOWN_A, TOWN_B = 1, 10, 20
SCHOOLS = pl.DataFrame(
    {
        "org_unit_id": [101, 102, 201, 202, 401, 501, 601],
        "town_id": [TOWN_A, TOWN_B, TOWN_A, TOWN_B, TOWN_A, TOWN_B, TOWN_B],
        "school_type": [
            "kindergarten",
            "kindergarten",
            "primary",
            "nine_year",
            "vocational",
            "special",
            "senior_high",
        ],
    }
)


def enrolments(rows):
    return pl.DataFrame(rows, schema=["org_unit_id", "year", "grade_code", "status", "n"], orient="row")


def compute(rows, years=(2024,)):
    bundle = IndicatorInputs(COUNTY, years, (TOWN_A, TOWN_B), schools=SCHOOLS, enrolments=enrolments(rows))
    frame = enrolment_counts(bundle)
    return {
        (r["indicator"], r["org_unit_id"], r["year"]): (r["value"], r["numerator"], r["note"])
        for r in frame.to_dicts()
    }


ROWS = [
    (101, 2024, "01", "enrolled", 100),
    (101, 2024, "03", "in", 20),
    (101, 2024, "02", "out", 7),  # 转出: not on roll
    (102, 2024, "02", "suspended", 3),  # 休学 only: no pupil on roll
    (501, 2024, "03", "enrolled", 5),  # 特教学校学前部
    (201, 2024, "11", "enrolled", 300),
    (202, 2024, "16", "enrolled", 200),
    (202, 2024, "21", "enrolled", 150),
    (202, 2024, "23", "graduated", 40),  # 毕业: not on roll
    (501, 2024, "14", "enrolled", 10),
    (401, 2024, "31", "enrolled", 500),
    (601, 2024, "32", "enrolled", 800),
    (501, 2024, "31", "dropped", 2),
]


def test_counts_for_county_towns_and_schools():
    got = compute(ROWS)
    assert got[("preschool_enrolment", COUNTY, 2024)] == (pytest.approx(0.0125), 125.0, "")
    assert got[("preschool_enrolment", TOWN_A, 2024)][1] == 120.0
    assert got[("preschool_enrolment", TOWN_B, 2024)][1] == 5.0  # the special school's 学前部
    assert got[("preschool_enrolment", 101, 2024)][1] == 120.0
    assert got[("compulsory_enrolment", COUNTY, 2024)] == (pytest.approx(0.066), 660.0, "")
    assert got[("compulsory_enrolment", 202, 2024)][1] == 350.0
    assert got[("upper_secondary_enrolment", COUNTY, 2024)][1] == 1300.0
    assert got[("vocational_enrolment", COUNTY, 2024)][1] == 500.0
    assert got[("vocational_enrolment", TOWN_A, 2024)][1] == 500.0


def test_a_school_without_pupils_on_roll_is_null_with_a_note():
    got = compute(ROWS)
    assert got[("preschool_enrolment", 102, 2024)] == (None, 0.0, "无在园幼儿")
    assert got[("upper_secondary_enrolment", 501, 2024)] == (None, 0.0, "无高中阶段在校生")


def test_indicators_only_for_schools_that_teach_the_stage():
    got = compute(ROWS)
    assert ("compulsory_enrolment", 101, 2024) not in got  # a kindergarten
    assert ("vocational_enrolment", 601, 2024) not in got  # 普通高中
    assert ("vocational_enrolment", TOWN_B, 2024) not in got  # no 中职 in that 镇


def test_a_year_without_any_enrolment_is_null_with_its_note():
    got = compute(ROWS, years=(2023, 2024))
    assert got[("compulsory_enrolment", COUNTY, 2023)] == (None, None, "缺少2023学年学籍数据")
    assert got[("compulsory_enrolment", 201, 2023)] == (None, None, "缺少2023学年学籍数据")
    assert got[("compulsory_enrolment", COUNTY, 2024)][1] == 660.0
