"""Students, enrolments, classes and staff in the plan frames are valid and consistent."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from edubrain.core.ids import id_number_valid_expr
from edubrain.core.stages import grade_allowed, school_system_grades

# 6-3 学制: grade code → years since 小班 (01 → 0 … 33 → 14)
ORDER = {code: i for i, code in enumerate(c for stage in school_system_grades("6-3").values() for c in stage)}


@pytest.fixture(params=["small", "full"])
def plan(request, small_plan, full_plan):
    return small_plan if request.param == "small" else full_plan


def test_id_numbers_valid_and_unique(plan):
    students, staff = plan.frames["student"], plan.frames["staff"]
    ids = pl.concat([students.select("id_number"), staff.select("id_number")])
    assert ids.select(id_number_valid_expr("id_number").all()).item()
    assert ids["id_number"].n_unique() == ids.height
    assert students["student_number"].n_unique() == students.height
    assert (students["student_number"] == "G" + students["id_number"]).all()


def test_id_numbers_agree_with_birth_date_and_sex(plan):
    for frame in (plan.frames["student"], plan.frames["staff"]):
        birth = frame["id_number"].str.slice(6, 8).str.to_date("%Y%m%d")
        assert (birth == frame["birth_date"]).all()
        odd = frame["id_number"].str.slice(16, 1).cast(pl.Int32) % 2 == 1
        assert (odd == (frame["sex"] == "M")).all()


def test_class_grades_allowed_for_school_type(plan):
    types = dict(plan.frames["school"].select("id", "school_type").iter_rows())
    classes = plan.frames["school_class"]
    assert all(grade_allowed(types[s], g) for s, g in classes.select("school_id", "grade_code").iter_rows())
    assert classes.select("school_id", "school_year", "grade_code", "number").is_unique().all()


def test_no_student_in_two_classes_in_one_year(plan):
    e = plan.frames["enrollment"]
    assert e.select("student_id", "school_year").is_unique().all()
    classes = plan.frames["school_class"].select(
        pl.col("id").alias("school_class_id"), "school_year", pl.col("school_id").alias("class_school")
    )
    joined = e.join(classes, on="school_class_id", suffix="_class")
    assert (joined["school_year"] == joined["school_year_class"]).all()
    assert (joined["_school_id"] == joined["class_school"]).all()


def test_cohorts_advance_one_grade_a_year(full_plan):
    e = full_plan.frames["enrollment"].select(
        "student_id", "school_year", pl.col("_grade_code").replace_strict(ORDER).alias("k")
    )
    nxt = e.with_columns(pl.col("school_year") - 1).rename({"k": "k_next"})
    pairs = e.join(nxt, on=["student_id", "school_year"])
    assert pairs.height > 250_000  # most pupils are followed from year to year
    assert (pairs["k_next"] == pairs["k"] + 1).all()


def test_ages_fit_grades(plan):
    e = plan.frames["enrollment"].select("student_id", "school_year", "_grade_code")
    s = plan.frames["student"].select(pl.col("id").alias("student_id"), "birth_date")
    j = e.join(s, on="student_id").with_columns(
        age=(pl.date(pl.col("school_year"), 9, 1) - pl.col("birth_date")).dt.total_days() / 365.25,
        k=pl.col("_grade_code").replace_strict(ORDER),
    )
    assert ((j["age"] - j["k"]).is_between(2.9, 5.1)).all()


def test_statuses_mostly_enrolled_with_a_few_others(full_plan):
    counts = dict(full_plan.frames["enrollment"]["status"].value_counts().iter_rows())
    total = sum(counts.values())
    assert counts["enrolled"] / total > 0.97
    for status in ("in", "out", "suspended", "graduated"):
        assert 0 < counts[status] < 0.02 * total


def test_class_sizes(full_plan):
    sizes = full_plan.frames["enrollment"].group_by("school_class_id", "_grade_code", "_school_type").len()
    kg = sizes.filter(pl.col("_school_type") == "kindergarten")
    assert kg["len"].max() <= 35
    primary = sizes.filter(pl.col("_grade_code").str.starts_with("1") & (pl.col("_school_type") == "primary"))
    assert 35 <= primary["len"].median() <= 46
    assert (sizes["len"] >= 56).sum() > 20
    assert (sizes["len"] >= 66).sum() > 0
    assert (sizes["len"] < 25).sum() > 50  # small classes in village schools


def test_oversized_classes_decline(full_plan):
    sizes = full_plan.frames["enrollment"].group_by("school_class_id", "school_year").len()
    per_year = dict(sizes.filter(pl.col("len") >= 56).group_by("school_year").len().iter_rows())
    assert per_year[2020] > per_year.get(2025, 0)


def test_pupil_attributes(full_plan):
    s = full_plan.frames["student"]
    assert 0.9 < (s["ethnicity"] == "01").mean() < 1
    assert 0.01 < (s["hukou"] == "migrant").mean() < 0.15
    assert 0.01 < s["left_behind"].mean() < 0.15
    assert 0 < s["disability"].mean() < 0.03
    assert 0.02 < s["financial_difficulty"].mean() < 0.12
    assert 0.45 < (s["sex"] == "M").mean() < 0.58
    assert s["name"].str.len_chars().is_between(2, 4).all()


def test_staff_consistency(plan):
    staff = plan.frames["staff"]
    left = staff.filter(pl.col("left_year").is_not_null())
    assert (left["left_year"] > left["joined_year"]).all()
    assert set(staff["post"]) == {"teacher", "admin", "support", "worker"}
    assert (staff.filter(pl.col("dual_qualified"))["professional_course"]).all()
    types = dict(plan.frames["school"].select("id", "school_type").iter_rows())
    assert all(types[s] == "vocational" for s in staff.filter(pl.col("dual_qualified"))["school_id"])
    assert (staff["birth_date"] < dt.date(2004, 1, 1)).all()


def test_head_teachers_are_active_staff_of_the_school(plan):
    classes = plan.frames["school_class"].filter(pl.col("head_teacher_id").is_not_null())
    staff = plan.frames["staff"].select(
        pl.col("id").alias("head_teacher_id"),
        pl.col("school_id").alias("s"),
        "joined_year",
        "left_year",
        "post",
    )
    j = classes.join(staff, on="head_teacher_id")
    assert j.height == classes.height > 0.9 * plan.frames["school_class"].height
    assert (j["s"] == j["school_id"]).all() and (j["post"] == "teacher").all()
    active = (j["joined_year"] <= j["school_year"]) & (
        j["left_year"].is_null() | (j["left_year"] > j["school_year"])
    )
    assert active.all()
    assert classes.select("head_teacher_id", "school_year").is_unique().all()


def test_training_hours_per_active_year(plan):
    t = plan.frames["staff_training"]
    assert t.select("staff_id", "school_year").is_unique().all()
    assert t["hours"].is_between(0, 2000).all()
    assert 60 < t["hours"].mean() < 95
