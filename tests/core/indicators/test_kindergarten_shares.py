"""公办园在园幼儿占比 and 普惠性幼儿园覆盖率 (§2.1), county and 镇/街道, pooled over pupils."""

from __future__ import annotations

import polars as pl
import pytest

from edubrain.core.indicators.enrolment import kindergarten_shares
from edubrain.core.indicators.inputs import IndicatorInputs

COUNTY, TOWN_A, TOWN_B = 1, 10, 20


def compute(enrolment_rows, years=(2024,)):
    schools = pl.DataFrame(
        {
            "org_unit_id": [101, 102, 103, 104, 501],
            "town_id": [TOWN_A, TOWN_A, TOWN_B, TOWN_B, TOWN_B],
            "school_type": ["kindergarten"] * 4 + ["special"],
            "ownership": ["public", "private", "private", "private", "public"],
            "is_puhui": [True, True, False, None, None],
        }
    )
    enrolments = pl.DataFrame(
        enrolment_rows, schema=["org_unit_id", "year", "grade_code", "status", "n"], orient="row"
    )
    bundle = IndicatorInputs(COUNTY, years, (TOWN_A, TOWN_B), schools=schools, enrolments=enrolments)
    return {
        (r["indicator"], r["org_unit_id"], r["year"]): (
            r["value"],
            r["numerator"],
            r["denominator"],
            r["note"],
        )
        for r in kindergarten_shares(bundle).to_dicts()
    }


ROWS = [
    (101, 2024, "01", "enrolled", 600),  # 公办
    (102, 2024, "02", "enrolled", 200),  # 普惠性民办
    (103, 2024, "03", "in", 150),  # 非普惠民办
    (104, 2024, "01", "enrolled", 40),  # 民办, 普惠 not stated → not 普惠
    (501, 2024, "03", "enrolled", 10),  # 特教学校学前部: 公办
    (103, 2024, "02", "out", 99),
]


def test_public_and_inclusive_shares():
    got = compute(ROWS)
    assert got[("public_kindergarten_share", COUNTY, 2024)] == (
        pytest.approx(610 / 1000 * 100),
        610.0,
        1000.0,
        "",
    )
    assert got[("inclusive_kindergarten_coverage", COUNTY, 2024)][:3] == (81.0, 810.0, 1000.0)
    assert got[("public_kindergarten_share", TOWN_A, 2024)][:3] == (75.0, 600.0, 800.0)
    assert got[("inclusive_kindergarten_coverage", TOWN_B, 2024)][:3] == (pytest.approx(5.0), 10.0, 200.0)
    assert ("public_kindergarten_share", 101, 2024) not in got  # not published per school


def test_no_pupils_gives_null_and_note():
    got = compute([(101, 2024, "01", "out", 5)])
    assert got[("public_kindergarten_share", COUNTY, 2024)] == (None, 0.0, 0.0, "无在园幼儿")
