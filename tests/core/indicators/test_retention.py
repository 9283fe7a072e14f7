"""巩固率 by cohort: final grade (在籍, 转入, 毕业) / (entry grade on roll + later 转入 − later 转出) × 100,
under 六三制 and 五四制; null + note without continuous 学籍 years."""

from __future__ import annotations

import polars as pl
import pytest

from edubrain.core.indicators.enrolment import retention_rates
from edubrain.core.indicators.inputs import IndicatorInputs

COUNTY, TOWN_A, TOWN_B = 1, 10, 20
SCHOOLS = pl.DataFrame(
    {
        "org_unit_id": [201, 301, 302, 401],
        "town_id": [TOWN_A, TOWN_A, TOWN_B, TOWN_A],
        "school_type": ["primary", "junior", "junior", "kindergarten"],
    }
)


def compute(rows, years, system="6-3"):
    enrolments = pl.DataFrame(rows, schema=["org_unit_id", "year", "grade_code", "status", "n"], orient="row")
    bundle = IndicatorInputs(
        COUNTY, years, (TOWN_A, TOWN_B), schools=SCHOOLS, enrolments=enrolments, school_system=system
    )
    return {
        (r["indicator"], r["org_unit_id"], r["year"]): (
            r["value"],
            r["numerator"],
            r["denominator"],
            r["note"],
        )
        for r in retention_rates(bundle).to_dicts()
    }


JUNIOR = [
    (301, 2022, "21", "enrolled", 100),
    (301, 2022, "21", "in", 5),
    (301, 2022, "21", "out", 3),
    (301, 2023, "22", "enrolled", 99),
    (301, 2023, "22", "in", 4),
    (301, 2023, "22", "out", 6),
    (301, 2024, "23", "enrolled", 95),
    (301, 2024, "23", "in", 2),
    (301, 2024, "23", "graduated", 1),
    (301, 2024, "23", "out", 1),
    (301, 2024, "23", "dropped", 1),
    (302, 2022, "21", "enrolled", 50),
    (302, 2024, "23", "enrolled", 50),
]


def test_junior_retention_hand_computed():
    got = compute(JUNIOR, (2024,))
    # town A: num 95 + 2 + 1 = 98; den 100 + 5 (on roll in 初一) + 4 − 6 + 2 − 1 = 104
    assert got[("junior_retention_rate", TOWN_A, 2024)] == (pytest.approx(98 / 104 * 100), 98.0, 104.0, "")
    assert got[("junior_retention_rate", TOWN_B, 2024)][:3] == (100.0, 50.0, 50.0)
    assert got[("junior_retention_rate", COUNTY, 2024)][:3] == (pytest.approx(148 / 154 * 100), 148.0, 154.0)
    assert ("junior_retention_rate", 301, 2024) not in got  # county and 镇/街道 only


def test_without_continuous_years_the_rate_is_null_with_the_missing_year():
    got = compute(JUNIOR, (2023, 2024))
    assert got[("junior_retention_rate", COUNTY, 2023)] == (
        None,
        None,
        None,
        "缺少2021学年学籍数据（需2021—2023学年连续学籍，2021学年初一起算）",
    )
    value, _, _, note = got[("compulsory_retention_rate", COUNTY, 2024)]
    assert value is None and note.startswith("缺少2016学年学籍数据")


def test_nine_year_retention_follows_the_cohort_from_grade_one():
    rows = [(201, 2016, "11", "enrolled", 100)]
    rows += [(201, 2016 + k, f"1{k + 1}", "enrolled", 100) for k in range(1, 6)]
    rows += [
        (201, 2019, "14", "in", 3),
        (301, 2022, "21", "enrolled", 101),
        (301, 2023, "22", "out", 2),
        (301, 2023, "22", "enrolled", 99),
        (301, 2024, "23", "enrolled", 97),
    ]
    got = compute(rows, (2024,))
    assert got[("compulsory_retention_rate", COUNTY, 2024)][:3] == (
        pytest.approx(97 / 101 * 100),
        97.0,
        101.0,
    )


def test_five_four_system_uses_four_junior_grades():
    rows = [
        (301, 2021, "21", "enrolled", 80),
        (301, 2022, "22", "enrolled", 80),
        (301, 2023, "23", "enrolled", 80),
        (301, 2024, "24", "enrolled", 78),
        (301, 2024, "23", "enrolled", 999),
    ]
    got = compute(rows, (2024,), system="5-4")
    assert got[("junior_retention_rate", COUNTY, 2024)][:3] == (pytest.approx(97.5), 78.0, 80.0)
    six_three = compute(rows, (2024,))
    assert six_three[("junior_retention_rate", COUNTY, 2024)][:3] == (None, 999.0, 0.0)


def test_no_cohort_gives_null_and_note():
    rows = [
        (301, 2022, "22", "enrolled", 5),
        (301, 2023, "22", "enrolled", 5),
        (301, 2024, "22", "enrolled", 5),
    ]
    got = compute(rows, (2024,))
    assert got[("junior_retention_rate", COUNTY, 2024)] == (None, 0.0, 0.0, "无可追踪的学生")
