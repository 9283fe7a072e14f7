"""视力筛查 of the demo county: the session's county (fixture ``demo``: seed 7, scale 0.04) in the database,
and the full-scale plan (``full_plan``) for the county rates the demo is calibrated to."""

from __future__ import annotations

import polars as pl
import pytest

from edubrain.base.frames import queryset_frame
from edubrain.demo.plan_students import ON_ROLL
from edubrain.demo.writer import classify_vision
from edubrain.plans.compute import recompute
from edubrain.plans.models import IndicatorValue
from edubrain.vision.models import VisionScreening
from edubrain.vision.services import CLASS_FIELDS, RAW_FIELDS, classify_rows

GRADES = ("11", "12", "13", "14", "15", "16", "21", "22", "23", "31", "32", "33")


def county_rows(county) -> pl.DataFrame:
    """Every stored screening of the county's schools, with the pupil's birth date, grade and 学年."""
    qs = VisionScreening.objects.filter(school__org_unit__path__startswith=county.path).order_by("id")
    fields = ["id", "student_id", "school_id", "school_year__start_year", *RAW_FIELDS, *CLASS_FIELDS]
    frame = queryset_frame(qs, [*fields, "student__birth_date"])
    return frame.rename({"student__birth_date": "birth_date", "school_year__start_year": "school_year"})


def with_grades(rows: pl.DataFrame, plan) -> pl.DataFrame:
    """The grade of each row's pupil in that 学年 (from the plan's on-roll enrolments)."""
    grades = (
        plan.enrolment_view()
        .filter(pl.col("status").is_in(ON_ROLL))
        .select("student_id", "school_year", "grade_code")
        .unique(["student_id", "school_year"])
    )
    base = rows["student_id"].min() - plan.frames["vision"]["student_id"].min()
    return rows.with_columns((pl.col("student_id") - base).alias("_local")).join(
        grades.rename({"student_id": "_local"}), on=["_local", "school_year"], how="left"
    )


@pytest.fixture(scope="module")
def full_classified(full_plan) -> pl.DataFrame:
    return classify_vision(full_plan.frames["vision"])


# --- the session's county in the database ------------------------------------------------------------------


def test_stored_classification_equals_a_fresh_classify_rows(demo):
    rows = county_rows(demo.county)
    assert rows.height > 5000
    assert set(rows["status"]) == {"classified"}
    fresh = classify_rows(rows.drop(CLASS_FIELDS))
    for field in CLASS_FIELDS:
        assert rows[field].equals(fresh[field]), field


def test_one_screening_per_on_roll_pupil_of_grades_1_to_12_per_year(demo, small_plan):
    rows = county_rows(demo.county)
    assert rows.height == small_plan.frames["vision"].height
    assert not rows.select(pl.struct("student_id", "school_year").is_duplicated().any()).item()
    assert sorted(set(rows["school_year"])) == list(range(2020, 2026))
    assert rows["screened_on"].dt.month().is_in([9, 10, 11]).all()
    assert (rows["screened_on"].dt.year() == rows["school_year"]).all()
    sample = VisionScreening.objects.filter(school__org_unit__path__startswith=demo.county.path)[::211]
    for v in sample:
        v.full_clean()


def test_prevalence_by_grade_at_small_scale(demo, small_plan):
    rows = with_grades(county_rows(demo.county), small_plan)
    assert set(rows["grade_code"]) == set(GRADES)
    by_grade = dict(rows.group_by("grade_code").agg(pl.col("myopia").mean()).iter_rows())
    assert 0.07 <= by_grade["11"] <= 0.25
    assert 0.68 <= by_grade["33"] <= 0.90
    primary = [by_grade[g] for g in GRADES[:6]]
    assert primary == sorted(primary)
    assert by_grade["23"] > by_grade["16"] and by_grade["33"] > by_grade["23"]


def test_correction_and_degrees(demo):
    rows = county_rows(demo.county)
    myopic = rows.filter(pl.col("myopia"))
    wearing = myopic["correction"].is_in(["glasses", "orthok"]).mean()
    assert 0.4 <= wearing <= 0.85
    assert 0 < (myopic["correction"] == "orthok").mean() <= 0.06
    # glasses go to SE-myopic pupils; a few under 6 are not 筛查性近视 (acuity cut 4.9 below age 6)
    assert rows.filter(~pl.col("myopia"))["correction"].ne("").mean() <= 0.005
    assert set(myopic["degree"]) == {"低度", "中度", "高度"}
    assert rows["left_acuity"].min() >= 4.0 and rows["right_acuity"].max() <= 5.3


def test_myopia_rate_is_recomputed_from_the_demo(demo):
    recompute(demo.county, [2024, 2025])
    rows = county_rows(demo.county).filter(pl.col("school_year") == 2025)
    stored = IndicatorValue.objects.get(indicator__code="myopia_rate", org_unit=demo.county, year=2025)
    assert stored.numerator == rows["myopia"].sum() and stored.denominator == rows.height
    assert stored.value == pytest.approx(100 * rows["myopia"].mean())
    schools = IndicatorValue.objects.filter(
        indicator__code="myopia_rate",
        year=2025,
        org_unit__kind="school",
        org_unit__path__startswith=demo.county.path,
    )
    assert schools.count() == rows["school_id"].n_unique()


# --- the full-scale plan -----------------------------------------------------------------------------------


def test_full_scale_prevalence_rises_with_grade(full_plan, full_classified):
    rows = full_classified
    by_grade = dict(rows.group_by("_grade_code").agg(pl.col("myopia").mean()).iter_rows())
    assert 0.12 <= by_grade["11"] <= 0.18 and 0.76 <= by_grade["33"] <= 0.84
    assert [by_grade[g] for g in GRADES] == sorted(by_grade[g] for g in GRADES)
    high = rows.filter(pl.col("_grade_code") == "33")["degree"].eq("高度").mean()
    assert 0.04 <= high <= 0.15


def test_full_scale_county_rate_falls_about_one_point_a_year(full_classified):
    by_year = full_classified.group_by("school_year").agg(pl.col("myopia").mean() * 100).sort("school_year")
    rates = by_year["myopia"].to_list()
    steps = [b - a for a, b in zip(rates, rates[1:], strict=False)]
    assert 45 <= rates[0] <= 58 and all(-1.6 <= s <= -0.4 for s in steps), rates


def test_full_scale_some_schools_meet_the_yearly_decline_and_some_do_not(full_classified):
    by_school = (
        full_classified.filter(pl.col("school_year").is_in([2024, 2025]))
        .group_by("school_id", "school_year")
        .agg(pl.col("myopia").mean() * 100, pl.len())
        .filter(pl.col("len") >= 100)
        .pivot("school_year", index="school_id", values="myopia")
        .drop_nulls()
    )
    change = by_school["2025"] - by_school["2024"]
    assert (change <= -1).mean() >= 0.2 and (change > -1).mean() >= 0.2


def test_pupils_rarely_reverse(full_classified):
    ordered = full_classified.sort("student_id", "school_year").select(
        "student_id", "myopia", pl.col("myopia").shift(1).over("student_id").alias("before")
    )
    was = ordered.filter(pl.col("before"))
    assert (~was["myopia"]).mean() <= 0.03
