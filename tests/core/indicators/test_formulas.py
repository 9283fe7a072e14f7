"""compute(): every computed indicator in one long frame, nulls with notes instead of errors on an empty
county, a filter by code; provenance(): what each year's values were computed from."""

from __future__ import annotations

import polars as pl

from edubrain.core.indicators.formulas import COMPUTED_CODES, compute, provenance
from edubrain.core.indicators.inputs import OUTPUT, IndicatorInputs

COUNTY, TOWN = 1, 10


def small_county():
    schools = pl.DataFrame(
        {
            "org_unit_id": [101, 201],
            "town_id": [TOWN, TOWN],
            "school_type": ["kindergarten", "primary"],
            "ownership": ["public", "public"],
        }
    )
    return IndicatorInputs(
        COUNTY,
        (2024,),
        (TOWN,),
        schools=schools,
        enrolments=pl.DataFrame(
            [(101, 2024, "01", "enrolled", 30), (201, 2024, "11", "enrolled", 12_345)],
            schema=["org_unit_id", "year", "grade_code", "status", "n"],
            orient="row",
        ),
        classes=pl.DataFrame({"org_unit_id": [201], "year": [2024], "grade_code": ["11"], "size": [57]}),
        staff=pl.DataFrame(
            {
                "org_unit_id": [101, 201],
                "joined_year": [2000, 2000],
                "education": ["college", "bachelor"],
                "n": [3, 4],
            }
        ),
        population=pl.DataFrame(
            {
                "org_unit_id": [COUNTY] * 3,
                "year": [2024] * 3,
                "age": [3, 4, 5],
                "population": [10, 10, 10],
                "source": ["统计局"] * 3,
            }
        ),
        finance=pl.DataFrame({"org_unit_id": [COUNTY], "year": [2024], "general_budget": [1e8]}),
    )


def test_an_empty_county_gives_null_values_with_notes_not_errors():
    frame = compute(IndicatorInputs(COUNTY, (2024,), (TOWN,)))
    assert frame.schema == pl.Schema(OUTPUT)
    county = frame.filter(pl.col("org_unit_id") == COUNTY)
    expected = set(COMPUTED_CODES) - {"fitness_excellent_good_rate", "fitness_pass_rate"}  # nothing passed in
    assert set(county["indicator"]) == expected
    assert county["value"].null_count() == county.height
    assert county.filter(pl.col("note") == "").height == 0


def test_a_small_county_and_the_code_filter():
    frame = compute(small_county())
    got = {(r["indicator"], r["org_unit_id"]): r["value"] for r in frame.to_dicts()}
    assert got[("preschool_gross_rate", COUNTY)] == 100.0
    assert got[("large_class_count", 201)] == 1.0
    assert got[("compulsory_teacher_bachelor_share", COUNTY)] == 100.0
    assert got[("per_pupil_expenditure", COUNTY)] == 1e8 / 12_375
    assert frame.select(pl.col("value").is_nan().any()).item() is False
    only = compute(small_county(), ["large_class_count"])
    assert set(only["indicator"]) == {"large_class_count"}


def test_provenance_names_the_data_used():
    texts = {(r["indicator"], r["year"]): r["provenance"] for r in provenance(small_county()).to_dicts()}
    assert texts[("preschool_gross_rate", 2024)] == "学籍 2024学年 1.2万条；常住人口 2024（统计局）"
    assert texts[("compulsory_enrolment", 2024)] == "学籍 2024学年 1.2万条"
    assert texts[("education_expenditure", 2024)] == "教育经费 2024年"
    assert texts[("per_pupil_expenditure", 2024)] == "教育经费 2024年；学籍 2024学年 1.2万条"
    assert texts[("compulsory_teacher_bachelor_share", 2024)] == "专任教师 7人（2024学年在职）"
    assert texts[("large_class_count", 2024)] == "班级 2024学年 1个"
    assert texts[("adult_schooling_years", 2024)] == "平均受教育年限 2024：无"
    assert texts[("compulsory_retention_rate", 2024)].startswith("学籍 2016—2024学年按届追踪")
    assert set(texts) == {(code, 2024) for code in COMPUTED_CODES}
    assert all(len(t) <= 300 for t in texts.values())
