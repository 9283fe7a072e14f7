"""体质测试 import scores every row by the 2014 standard; what the standard rules out is a row error naming
the column; 免测 rows are stored unscored; a blank 年级编号 falls back to the student's class."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from edubrain.core.fitness.scoring import score_frame
from edubrain.fitness.models import FitnessMeasurement
from edubrain.imports import services
from factories import EnrollmentFactory, SchoolClassFactory, SchoolYearFactory, StudentFactory

from .conftest import write_csv
from .test_datasets_fitness_vision import NATIONAL

pytestmark = pytest.mark.django_db

# 初一 layout of one student (columns of NATIONAL, 0-based)
JUNIOR_BOY = {9: "160", 10: "50", 11: "3000", 12: "7.5", 13: "10", 17: "220", 18: "10", 20: "3'35\""}
JUNIOR_GIRL = {9: "155", 10: "45", 11: "2500", 12: "8.6", 13: "15", 15: "50", 17: "180", 19: "3'20"}


def row(student, grade="21", values=None, extra=None):
    cells = [""] * (len(NATIONAL) + 1)
    cells[0], cells[3], cells[6] = grade, student.student_number, "1" if student.sex == "M" else "2"
    for i, v in {**(values or {}), **(extra or {})}.items():
        cells[i] = v
    return cells


def preview(tmp_path, rows, headers=NATIONAL, name="f.csv"):
    path = write_csv(tmp_path / name, [r[: len(headers)] for r in rows], headers=headers)
    return services.preview(services.create_batch(None, "fitness", path, name, options={"year": 2024}))


@pytest.fixture
def boy(school):
    return StudentFactory(school=school, sex="M", birth_date=dt.date(2011, 3, 1))


@pytest.fixture
def girl(school):
    return StudentFactory(school=school, sex="F", birth_date=dt.date(2011, 4, 1))


def test_stored_scores_equal_the_core(tmp_path, boy, girl):
    batch = preview(tmp_path, [row(boy, values=JUNIOR_BOY), row(girl, values=JUNIOR_GIRL)])
    assert (batch.new, batch.invalid) == (2, 0), batch.error_list()
    services.commit(batch, None)
    expected = score_frame(
        pl.DataFrame(
            {
                "grade": ["21", "21"],
                "sex": ["M", "F"],
                "height_cm": [160.0, 155.0],
                "weight_kg": [50.0, 45.0],
                "vital_capacity_ml": [3000.0, 2500.0],
                "sprint_50m_s": [7.5, 8.6],
                "sit_and_reach_cm": [10.0, 15.0],
                "standing_long_jump_cm": [220.0, 180.0],
                "pullups": [10.0, None],
                "situps_1min": [None, 50.0],
                "run_1000m_s": [215.0, None],
                "run_800m_s": [None, 200.0],
            }
        )
    )
    for student, want in zip((boy, girl), expected.iter_rows(named=True), strict=True):
        m = FitnessMeasurement.objects.get(student=student)
        assert m.status == "scored" and m.remark == ""
        assert float(m.total_score) == pytest.approx(want["total_score"])
        assert float(m.standard_score) == pytest.approx(want["standard_score"])
        assert (m.bonus, m.rating, float(m.bmi), m.bmi_band) == (
            want["bonus"],
            want["rating"],
            want["bmi"],
            want["bmi_band"],
        )
        assert m.run_50m_score == want["run_50m_score"] and m.pull_up_score == want["pull_up_score"]
    # 1000米 3'35" is 20 s under the 初一 100-point line (3'55"): +5 (附加分 table)
    assert FitnessMeasurement.objects.get(student=boy).run_1000m_bonus == 5


def test_item_the_grade_or_sex_does_not_take_is_a_row_error(tmp_path, boy, girl, school):
    pupil = StudentFactory(school=school, sex="M", birth_date=dt.date(2016, 3, 1))
    rows = [
        row(boy, values=JUNIOR_BOY, extra={19: "3'30"}),  # a boy with the girls' 800米
        row(girl, values=JUNIOR_GIRL, extra={18: "3"}),  # a girl with 引体向上
        row(pupil, "11", {9: "120", 10: "22", 11: "1200", 12: "10.5", 13: "8", 14: "100", 17: "110"}),
    ]
    batch = preview(tmp_path, rows)
    errors = {e["row"]: e for e in batch.error_list()}
    assert batch.new == 0 and set(errors) == {2, 3, 4}
    assert (errors[2]["column"], errors[2]["value"]) == ("800米跑", "3'30\"")
    assert errors[2]["message"] == "男生不测800米跑，请删除该值"
    assert errors[3]["column"] == "引体向上" and errors[3]["message"] == "女生不测引体向上，请删除该值"
    assert errors[4]["column"] == "立定跳远"
    assert "小学一年级（年级编号11）不测立定跳远" in errors[4]["message"]
    services.commit(batch, None, only_valid=True)
    assert not FitnessMeasurement.objects.filter(student__in=[boy, girl, pupil]).exists()


def test_exempt_and_incomplete_rows_are_stored_without_total(tmp_path, boy, girl):
    third = StudentFactory(school=boy.school, sex="F", birth_date=dt.date(2011, 5, 1))
    rows = [
        row(boy, extra={21: "是"}),
        row(girl, values={**JUNIOR_GIRL, 19: ""}),
        row(third, extra={9: "免测"}),
    ]
    batch = preview(tmp_path, rows, headers=[*NATIONAL, "免测"])
    assert (batch.new, batch.invalid) == (3, 0), batch.error_list()
    marked = FitnessMeasurement.objects.filter(student=third)
    assert not marked.exists()  # preview writes nothing
    services.commit(batch, None)
    exempt = FitnessMeasurement.objects.get(student=boy)
    assert (exempt.exempt, exempt.status, exempt.total_score, exempt.rating, exempt.remark) == (
        True,
        "exempt",
        None,
        "",
        "免测",
    )
    assert (marked.get().exempt, marked.get().status, marked.get().height_cm) == (True, "exempt", None)
    partial = FitnessMeasurement.objects.get(student=girl)
    assert (partial.status, partial.total_score, partial.rating) == ("incomplete", None, "")
    assert partial.remark == "缺测800米跑，不计总分" and partial.run_50m_score is not None


def test_blank_grade_uses_the_class_of_that_year_and_reimport_rescores(tmp_path, school, girl):
    klass = SchoolClassFactory(school=school, school_year=SchoolYearFactory(start_year=2024), grade_code="21")
    EnrollmentFactory(student=girl, school_class=klass)
    batch = preview(tmp_path, [row(girl, grade="", values=JUNIOR_GIRL)])
    assert (batch.new, batch.invalid) == (1, 0), batch.error_list()
    services.commit(batch, None)
    first = FitnessMeasurement.objects.get(student=girl)
    assert first.grade_code == "21" and first.status == "scored"
    # a slower 800米 on re-import: the row changes and its scores follow
    again = preview(tmp_path, [row(girl, grade="", values={**JUNIOR_GIRL, 19: "4'50"})], name="g.csv")
    assert (again.changed, again.new) == (1, 0)
    services.commit(again, None)
    second = FitnessMeasurement.objects.get(student=girl)
    assert second.run_800m_score < first.run_800m_score and second.total_score < first.total_score
