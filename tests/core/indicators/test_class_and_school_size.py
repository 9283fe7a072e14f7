"""大班额 (≥ 56) and 超大班额 (≥ 66) by actual class size at 55/56/65/66, and 大校额 at 2000/2001 and
2500/2501."""

from __future__ import annotations

import polars as pl

from edubrain.core.indicators.enrolment import class_sizes, oversized_schools
from edubrain.core.indicators.inputs import IndicatorInputs

COUNTY, TOWN_A, TOWN_B = 1, 10, 20
SCHOOLS = pl.DataFrame(
    {
        "org_unit_id": [101, 201, 202, 301, 401, 501, 601],
        "town_id": [TOWN_A, TOWN_A, TOWN_B, TOWN_B, TOWN_A, TOWN_B, TOWN_B],
        "school_type": [
            "kindergarten",
            "primary",
            "nine_year",
            "junior",
            "vocational",
            "senior_high",
            "special",
        ],
    }
)


def table(frame):
    return {(r["indicator"], r["org_unit_id"], r["year"]): (r["value"], r["note"]) for r in frame.to_dicts()}


def sizes(rows, years=(2024,)):
    classes = pl.DataFrame(rows, schema=["org_unit_id", "year", "grade_code", "size"], orient="row")
    return table(
        class_sizes(IndicatorInputs(COUNTY, years, (TOWN_A, TOWN_B), schools=SCHOOLS, classes=classes))
    )


CLASSES = [
    (201, 2024, "11", 55),
    (201, 2024, "12", 56),
    (201, 2024, "13", 65),
    (201, 2024, "14", 66),
    (202, 2024, "21", 70),
    (202, 2024, "22", 45),
    (501, 2024, "31", 66),  # 普通高中 counts
    (101, 2024, "01", 80),  # 幼儿园: not counted
    (401, 2024, "31", 90),  # 中职: not counted
    (601, 2024, "03", 60),  # a special school's 学前 class: not counted
]


def test_thresholds_55_56_65_66():
    got = sizes(CLASSES)
    assert got[("large_class_count", 201, 2024)] == (3.0, "")  # 56, 65, 66
    assert got[("super_large_class_count", 201, 2024)] == (1.0, "")  # 66
    assert got[("large_class_count", 202, 2024)] == (1.0, "")
    assert got[("large_class_count", TOWN_B, 2024)] == (2.0, "")  # 202's 70 and 501's 66
    assert got[("large_class_count", COUNTY, 2024)] == (5.0, "")
    assert got[("super_large_class_count", COUNTY, 2024)] == (3.0, "")


def test_schools_without_classes_and_years_without_class_data():
    got = sizes(CLASSES, years=(2023, 2024))
    assert got[("large_class_count", 301, 2024)] == (None, "无班级数据")
    assert got[("large_class_count", COUNTY, 2023)] == (None, "缺少2023学年班级数据")
    assert ("large_class_count", 101, 2024) not in got and ("large_class_count", 401, 2024) not in got
    assert got[("super_large_class_count", 601, 2024)] == (None, "无班级数据")


def oversized(rows):
    enrolments = pl.DataFrame(rows, schema=["org_unit_id", "year", "grade_code", "status", "n"], orient="row")
    bundle = IndicatorInputs(COUNTY, (2024,), (TOWN_A, TOWN_B), schools=SCHOOLS, enrolments=enrolments)
    return table(oversized_schools(bundle))


def test_school_size_limits_2000_and_2500():
    got = oversized(
        [
            (201, 2024, "11", "enrolled", 1999),
            (201, 2024, "12", "in", 1),
            (202, 2024, "11", "enrolled", 2500),
            (301, 2024, "21", "enrolled", 2001),
        ]
    )
    assert got[("oversized_school_count", 201, 2024)] == (0.0, "")  # 2000: within the limit
    assert got[("oversized_school_count", 202, 2024)] == (0.0, "")  # 九年一贯制 2500
    assert got[("oversized_school_count", 301, 2024)] == (1.0, "")
    assert got[("oversized_school_count", COUNTY, 2024)] == (1.0, "")
    more = oversized([(201, 2024, "11", "enrolled", 2001), (202, 2024, "21", "enrolled", 2501)])
    assert more[("oversized_school_count", COUNTY, 2024)] == (2.0, "")
    assert more[("oversized_school_count", 301, 2024)] == (None, "无义务教育在校生")
    assert ("oversized_school_count", 601, 2024) not in more  # 特教学校 are not judged by size
