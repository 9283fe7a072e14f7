"""体质测试成绩 of the demo county: the session's county (fixture ``demo``: seed 7, scale 0.04) in the
database, and the full-scale plan (``full_plan``) for the county figures the demo is calibrated to."""

from __future__ import annotations

import polars as pl
import pytest
from django.db import connection

from edubrain.base.audit import AuditLog
from edubrain.base.frames import queryset_frame
from edubrain.core.fitness.items import HEIGHT, INPUT_COLUMNS, MEASURED_ITEMS, WEIGHT
from edubrain.core.fitness.standard import standard_2014
from edubrain.demo.generator import DEMO_USERS, build_demo, county_code
from edubrain.demo.plan import make_plan
from edubrain.demo.plan_students import ON_ROLL
from edubrain.demo.reset import delete_demo
from edubrain.demo.writer import score_fitness
from edubrain.fitness.models import FitnessMeasurement
from edubrain.fitness.services import RAW_FIELDS, SCORE_FIELDS, score_rows
from edubrain.registry.models import Enrollment, SchoolYear, Student
from edubrain.vision.models import VisionScreening

GOOD = ("优秀", "良好")
FAILED = "不及格"
RAW_VALUES = list(INPUT_COLUMNS)


def county_rows(county) -> pl.DataFrame:
    """Every stored measurement of the county's schools, with the pupil's sex and the 学年 start year."""
    qs = FitnessMeasurement.objects.filter(school__org_unit__path__startswith=county.path).order_by("id")
    fields = ["id", "student_id", "school_id", "school_year__start_year", "class_name", *RAW_FIELDS]
    frame = queryset_frame(qs, [*fields, "student__sex", *SCORE_FIELDS])
    return frame.rename({"student__sex": "sex", "school_year__start_year": "school_year"})


def rates(scored: pl.DataFrame, by: str | list[str]) -> pl.DataFrame:
    """优良率 and 合格率 over scored rows (免测 and 缺项 rows are out of the denominators)."""
    return (
        scored.filter(pl.col("status") == "scored")
        .group_by(by)
        .agg(
            n=pl.len(),
            good=pl.col("rating").is_in(GOOD).mean(),
            passed=(pl.col("rating") != FAILED).mean(),
        )
        .sort(by)
    )


@pytest.fixture(scope="module")
def full_scored(full_plan) -> pl.DataFrame:
    """The full-scale plan's measurements scored as the writer scores them."""
    return score_fitness(full_plan.frames["fitness"]).rename({"_sex": "sex"})


# --- the session's county in the database ------------------------------------------------------------------


def test_stored_scores_equal_a_fresh_scoring(demo):
    rows = county_rows(demo.county)
    assert rows.height > 5000
    assert set(rows["status"]) == {"scored", "exempt", "incomplete"}  # never 数据有误
    fresh = score_rows(rows.drop(SCORE_FIELDS))
    for field in SCORE_FIELDS:
        assert rows[field].equals(fresh[field]), field
    scored = rows.filter(pl.col("status") == "scored")
    assert scored.select(pl.col("total_score").is_not_null().all() & (pl.col("rating") != "").all()).item()


def test_one_row_per_on_roll_enrolment_in_grades_1_to_12(demo, small_plan):
    rows = county_rows(demo.county)
    assert rows.height == small_plan.frames["fitness"].height
    assert not rows.select(pl.struct("student_id", "school_year").is_duplicated().any()).item()
    assert set(rows["grade_code"]) == {*(f"1{g}" for g in range(1, 7)), "21", "22", "23", "31", "32", "33"}
    assert sorted(set(rows["school_year"])) == list(range(2020, 2026))
    enrolled = (
        small_plan.enrolment_view()
        .filter(pl.col("status").is_in(ON_ROLL) & ~pl.col("grade_code").str.starts_with("0"))
        .height
    )
    assert rows.height == enrolled


def test_rows_match_the_pupils_enrolment_and_class_name(demo):
    sample = (
        FitnessMeasurement.objects.filter(school__org_unit__path__startswith=demo.county.path)
        .select_related("school_year")
        .order_by("id")[::97]
    )
    assert len(sample) > 50
    for m in sample:
        e = Enrollment.objects.select_related("school_class").get(
            student_id=m.student_id, school_year_id=m.school_year_id, status__in=ON_ROLL
        )
        assert m.school_id == e.school_class.school_id
        assert m.grade_code == e.school_class.grade_code
        assert m.class_name == e.school_class.display_name  # e.g. 三年级(2)班
        m.full_clean()


def test_only_the_items_of_the_grade_and_sex_are_filled(demo):
    rows = county_rows(demo.county).filter(~pl.col("exempt"))
    std = standard_2014()
    assert rows.select(
        pl.col(HEIGHT.column).is_not_null().all() & pl.col(WEIGHT.column).is_not_null().all()
    ).item()
    for (grade, sex), part in rows.group_by(["grade_code", "sex"]):
        taken = std.items[std.group(grade, sex)]
        columns = [i.column for i in MEASURED_ITEMS if i.key in taken]
        others = [i.column for i in MEASURED_ITEMS if i.key not in taken]
        assert part.select(pl.all_horizontal(pl.col(c).is_null() for c in others).all()).item(), (grade, sex)
        missing = part.select(
            "status", pl.sum_horizontal(pl.col(c).is_null().cast(pl.Int64) for c in columns).alias("missing")
        )
        assert missing.filter(pl.col("status") == "scored")["missing"].max() == 0
        assert set(missing.filter(pl.col("status") == "incomplete")["missing"]) <= {1}  # one item missing


def test_exempt_and_incomplete_shares(demo):
    rows = county_rows(demo.county)
    exempt = rows.filter(pl.col("exempt"))
    assert 0 < exempt.height <= 0.015 * rows.height
    assert exempt.select(pl.all_horizontal(pl.col(c).is_null() for c in RAW_VALUES).all()).item()
    assert set(exempt["status"]) == {"exempt"} and set(exempt["remark"]) == {"免测"}
    assert rows.filter(~pl.col("exempt"))["status"].ne("exempt").all()
    incomplete = rows.filter(pl.col("status") == "incomplete").height
    assert 0.002 * rows.height <= incomplete <= 0.03 * rows.height


def test_county_rates_rise_within_the_targets(demo):
    by_year = rates(county_rows(demo.county), "school_year")
    assert by_year["school_year"].to_list() == list(range(2020, 2026))
    good, passed = by_year["good"].to_list(), by_year["passed"].to_list()
    assert 0.40 <= good[0] <= 0.50 and 0.48 <= good[-1] <= 0.585 and good[-1] - good[0] >= 0.04
    assert 0.85 <= passed[0] <= 0.925 and 0.915 <= passed[-1] <= 0.975 and passed[-1] > passed[0]


def test_stored_raw_values_are_the_plans(demo, small_plan):
    rows = county_rows(demo.county)
    plan = small_plan.frames["fitness"]
    shift = rows["student_id"] - plan["student_id"]
    assert shift.n_unique() == 1  # the same pupils, in the same order, ids moved past existing rows
    columns = ["school_year", "grade_code", "class_name", "exempt", *RAW_VALUES]
    stored = rows.select(*(pl.col(c).cast(pl.Float64) if c in RAW_VALUES else pl.col(c) for c in columns))
    planned = plan.select(*(pl.col(c).cast(pl.Float64) if c in RAW_VALUES else pl.col(c) for c in columns))
    assert stored.equals(planned)
    assert (rows["sex"] == plan["_sex"]).all()


def test_fitness_writes_are_audited(demo):
    logged = AuditLog.objects.filter(action=AuditLog.Action.BULK, model="fitness.FitnessMeasurement")
    assert logged.exists()


# --- the plan: determinism and full-scale figures --------------------------------------------------------


def test_same_seed_same_fitness_rows(small_plan):
    again = make_plan(seed=7, scale=0.04).frames["fitness"]
    assert again.equals(small_plan.frames["fitness"])
    other = make_plan(seed=8, scale=0.04).frames["fitness"]
    assert not other.select(RAW_VALUES).equals(small_plan.frames["fitness"].select(RAW_VALUES))


def test_full_scale_county_rates_per_year(full_scored):
    by_year = rates(full_scored, "school_year")
    good, passed = by_year["good"].to_list(), by_year["passed"].to_list()
    assert good == sorted(good) and passed == sorted(passed)
    assert 0.44 <= good[0] <= 0.46 and 0.53 <= good[-1] < 0.55  # just under the plan's 55 % target
    assert 0.88 <= passed[0] <= 0.90 and 0.935 <= passed[-1] < 0.95  # plan target 95 %
    steps = [b - a for a, b in zip(good, good[1:], strict=False)]
    assert all(0.01 <= s <= 0.03 for s in steps), steps


def test_full_scale_grades_sexes_and_schools_differ(full_scored):
    stage = full_scored.with_columns(pl.col("grade_code").str.slice(0, 1).alias("stage"))
    by_stage = dict(rates(stage, "stage").select("stage", "good").iter_rows())
    assert by_stage["1"] > by_stage["2"] > by_stage["3"] >= 0.35  # higher grades somewhat worse
    by_sex = dict(rates(full_scored, "sex").select("sex", "good").iter_rows())
    assert 0.005 <= abs(by_sex["F"] - by_sex["M"]) <= 0.06
    for year in (2020, 2025):
        schools = rates(full_scored.filter(pl.col("school_year") == year), "school_id").filter(
            pl.col("n") >= 100
        )
        assert schools.height >= 20
        assert (schools["good"] > 0.60).sum() >= 2 and (schools["good"] < 0.40).sum() >= 2, year


def test_full_scale_body_shape_and_values_are_realistic(full_scored):
    measured = full_scored.filter(~pl.col("exempt"))
    bands = measured["bmi_band"].value_counts(normalize=True)
    share = dict(bands.iter_rows())
    assert 0.15 <= share["超重"] + share["肥胖"] <= 0.21
    assert 0.03 <= share["低体重"] <= 0.08
    assert 0.002 <= full_scored["exempt"].mean() <= 0.007
    grade_1 = measured.filter(pl.col("grade_code") == "11")
    grade_12 = measured.filter(pl.col("grade_code") == "33")
    assert 115 <= grade_1[HEIGHT.column].median() <= 130
    assert 160 <= grade_12.filter(pl.col("sex") == "M")[HEIGHT.column].median() <= 178
    assert 150 <= grade_12.filter(pl.col("sex") == "F")[HEIGHT.column].median() <= 166
    # boys' 1000 m of 高三 around 4 minutes, pull-ups a handful
    boys = grade_12.filter(pl.col("sex") == "M")
    assert 220 <= boys["run_1000m_s"].median() <= 280
    assert 3 <= boys["pullups"].median() <= 12


# --- reset -----------------------------------------------------------------------------------------------


def _screen_a_pupil(county) -> Student:
    student = Student.objects.filter(school__org_unit__path__startswith=county.path).order_by("id").first()
    VisionScreening.objects.create(
        student=student, school_year=SchoolYear.objects.get(start_year=2025), school=student.school
    )
    return student


def test_delete_demo_removes_fitness_and_vision_rows(demo):
    student = _screen_a_pupil(demo.county)
    counts = delete_demo(county_code(), list(DEMO_USERS))
    assert counts["fitness"] >= 5000 and counts["vision"] >= 1
    connection.check_constraints()  # nothing left pointing at a deleted pupil or school
    assert not FitnessMeasurement.objects.filter(student_id=student.id).exists()
    assert not VisionScreening.objects.filter(student_id=student.id).exists()


def test_reset_rebuild_with_fitness_rows_present(demo):
    student = _screen_a_pupil(demo.county)
    result = build_demo(seed=3, scale=0.02, reset=True)
    connection.check_constraints()
    # the hand-made screening (no date) is gone; the rebuilt demo screens its pupils (ids may be reused)
    assert not VisionScreening.objects.filter(student_id=student.id, screened_on__isnull=True).exists()
    rows = county_rows(result.county)
    assert rows.height == result.plan.frames["fitness"].height == result.counts["fitness"] > 0
