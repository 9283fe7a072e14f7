"""Teacher shares (学前教育专业, 专科以上, 本科以上, 研究生, 双师型) of teachers employed in the 学年, and the
城市/农村 ratio of 本科以上 shares."""

from __future__ import annotations

import polars as pl
import pytest

from edubrain.core.indicators.inputs import IndicatorInputs
from edubrain.core.indicators.staff import teacher_shares, urban_rural_ratio

COUNTY, TOWN_A, TOWN_B = 1, 10, 20
SCHOOLS = pl.DataFrame(
    {
        "org_unit_id": [101, 102, 201, 202, 203, 401, 501, 601],
        "town_id": [TOWN_A, TOWN_B, TOWN_A, TOWN_B, TOWN_B, TOWN_A, TOWN_A, TOWN_B],
        "school_type": [
            "kindergarten",
            "kindergarten",
            "primary",
            "junior",
            "nine_year",
            "vocational",
            "senior_high",
            "complete_secondary",
        ],
        "locality": ["urban", "rural", "urban", "town", "rural", "urban", "urban", "town"],
    }
)
COLUMNS = [
    "org_unit_id",
    "joined_year",
    "left_year",
    "education",
    "preschool_major",
    "dual_qualified",
    "professional_course",
    "n",
]


def bundle(rows, years=(2024,)):
    staff = pl.DataFrame(rows, schema=COLUMNS, orient="row")
    return IndicatorInputs(COUNTY, years, (TOWN_A, TOWN_B), schools=SCHOOLS, staff=staff)


def shares(rows, years=(2024,)):
    return {
        (r["indicator"], r["org_unit_id"], r["year"]): (
            r["value"],
            r["numerator"],
            r["denominator"],
            r["note"],
        )
        for r in teacher_shares(bundle(rows, years)).to_dicts()
    }


ROWS = [
    (101, 2010, None, "bachelor", True, False, False, 6),
    (101, 2010, None, "high", False, False, False, 2),
    (101, 2024, None, "college", True, False, False, 1),  # joined this 学年: counted
    (101, 2010, 2024, "postgrad", True, False, False, 5),  # left at the start of 2024: not counted
    (101, 2025, None, "postgrad", True, False, False, 5),  # joins next year: not counted
    (102, 2015, None, "college", False, False, False, 1),
    (201, 2000, None, "bachelor", False, False, False, 9),
    (201, 2000, None, "college", False, False, False, 1),
    (202, 2000, None, "postgrad", False, False, False, 3),
    (202, 2000, None, "college", False, False, False, 1),
    (203, 2000, None, "bachelor", False, False, False, 4),
    (203, 2000, None, "high", False, False, False, 4),
    (401, 2000, None, "postgrad", False, True, True, 3),
    (401, 2000, None, "bachelor", False, False, True, 1),
    (401, 2000, None, "bachelor", False, True, False, 6),  # 双师型 but not a 专业课 teacher: not counted
    (501, 2000, None, "postgrad", False, False, False, 1),
    (501, 2000, None, "bachelor", False, False, False, 9),
    (601, 2000, None, "postgrad", False, False, False, 50),  # 完全中学: no 学段, not counted
]


def test_preschool_shares_count_teachers_employed_in_the_year():
    got = shares(ROWS)
    assert got[("preschool_teacher_major_share", 101, 2024)] == (pytest.approx(700 / 9), 7.0, 9.0, "")
    assert got[("preschool_teacher_major_share", COUNTY, 2024)][1:3] == (7.0, 10.0)
    assert got[("preschool_teacher_college_share", COUNTY, 2024)][:3] == (80.0, 8.0, 10.0)
    assert got[("preschool_teacher_college_share", TOWN_B, 2024)][:3] == (100.0, 1.0, 1.0)


def test_compulsory_bachelor_share_pools_schools():
    got = shares(ROWS)
    # primary 9/10, junior 3/4, nine-year 4/8 → county 16/22, not the mean of 90 %, 75 %, 50 %
    assert got[("compulsory_teacher_bachelor_share", COUNTY, 2024)][:3] == (
        pytest.approx(1600 / 22),
        16.0,
        22.0,
    )
    assert got[("compulsory_teacher_bachelor_share", TOWN_B, 2024)][:3] == (
        pytest.approx(700 / 12),
        7.0,
        12.0,
    )


def test_senior_and_dual_shares():
    got = shares(ROWS)
    assert got[("senior_teacher_master_share", COUNTY, 2024)][:3] == (pytest.approx(400 / 20), 4.0, 20.0)
    assert got[("vocational_dual_teacher_share", 401, 2024)][:3] == (75.0, 3.0, 4.0)
    assert ("vocational_dual_teacher_share", TOWN_B, 2024) not in got  # no 中职 there


def test_no_teachers_gives_null_and_note():
    got = shares(ROWS, years=(1999,))
    assert got[("preschool_teacher_major_share", COUNTY, 1999)] == (None, 0.0, 0.0, "无幼儿园专任教师")
    assert got[("vocational_dual_teacher_share", 401, 1999)] == (None, 0.0, 0.0, "无中职专任专业课教师")


def ratio(rows, years=(2024,)):
    return {
        r["year"]: (r["value"], r["numerator"], r["denominator"], r["note"])
        for r in urban_rural_ratio(bundle(rows, years)).to_dicts()
    }


def test_urban_rural_ratio_of_shares():
    got = ratio(ROWS)
    # 城区: primary 9/10 = 90 %; 农村 (镇区 + 乡村): junior 3/4 + nine-year 4/8 = 7/12
    urban, rural = 90.0, 700 / 12
    assert got[2024] == (pytest.approx(urban / rural), pytest.approx(urban), pytest.approx(rural), "")


def test_urban_rural_ratio_without_one_side():
    only_urban = [r for r in ROWS if r[0] == 201]
    assert ratio(only_urban)[2024] == (None, 90.0, None, "无镇区、乡村义务教育学校专任教师")
    no_degree = [
        (201, 2000, None, "bachelor", False, False, False, 2),
        (202, 2000, None, "college", False, False, False, 2),
    ]
    assert ratio(no_degree)[2024] == (None, 100.0, 0.0, "镇区、乡村学校本科以上学历比例为0")
    assert ratio([], years=(2024,))[2024][3] == "无城区义务教育学校专任教师"
