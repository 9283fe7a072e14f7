"""一般公共预算教育支出 (万元) and 生均 (元 per pupil on roll, every level), county only."""

from __future__ import annotations

import polars as pl
import pytest

from edubrain.core.indicators.enrolment import expenditure
from edubrain.core.indicators.inputs import IndicatorInputs

COUNTY, TOWN = 1, 10


def compute(finance_rows, enrolment_rows, years=(2024,)):
    schools = pl.DataFrame(
        {"org_unit_id": [101, 201], "town_id": [TOWN, TOWN], "school_type": ["kindergarten", "primary"]}
    )
    bundle = IndicatorInputs(
        COUNTY,
        years,
        (TOWN,),
        schools=schools,
        finance=pl.DataFrame(finance_rows, schema=["org_unit_id", "year", "general_budget"], orient="row"),
        enrolments=pl.DataFrame(
            enrolment_rows, schema=["org_unit_id", "year", "grade_code", "status", "n"], orient="row"
        ),
    )
    return {
        (r["indicator"], r["org_unit_id"], r["year"]): (
            r["value"],
            r["numerator"],
            r["denominator"],
            r["note"],
        )
        for r in expenditure(bundle).to_dicts()
    }


PUPILS = [(101, 2024, "01", "enrolled", 300), (201, 2024, "11", "in", 700), (201, 2024, "12", "out", 50)]


def test_total_and_per_pupil():
    got = compute([(COUNTY, 2024, 12_500_000.0), (TOWN, 2024, 1.0)], PUPILS)
    assert got[("education_expenditure", COUNTY, 2024)] == (1250.0, 12_500_000.0, None, "")
    assert got[("per_pupil_expenditure", COUNTY, 2024)] == (pytest.approx(12_500.0), 12_500_000.0, 1000.0, "")
    assert {k[1] for k in got} == {COUNTY}


def test_missing_finance_or_pupils():
    got = compute([(COUNTY, 2024, 1_000_000.0)], PUPILS, years=(2023, 2024, 2025))
    assert got[("education_expenditure", COUNTY, 2023)] == (None, None, None, "缺少2023年教育经费数据")
    assert got[("per_pupil_expenditure", COUNTY, 2023)][3] == "缺少2023年教育经费数据"
    assert got[("per_pupil_expenditure", COUNTY, 2025)][0] is None
    no_pupils = compute([(COUNTY, 2024, 1_000_000.0)], [(201, 2024, "11", "out", 3)])
    assert no_pupils[("per_pupil_expenditure", COUNTY, 2024)] == (None, 1_000_000.0, 0.0, "无在校学生")
