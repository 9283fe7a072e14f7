"""One pupil or one class: the pupils of a class with their measurement, a pupil's history across years,
and the 毕业成绩 of the pupil's stage."""

from __future__ import annotations

from typing import Any

import polars as pl

from edubrain.core.fitness import stats
from edubrain.core.stages import school_system_grades
from edubrain.fitness.models import FitnessMeasurement
from edubrain.fitness.queries import STAGE_NAMES, Selection, enrolments, stage_of
from edubrain.registry.models_org import school_system


def class_students(user: Any, sel: Selection, year: int) -> list[dict[str, Any]]:
    """The pupils of a class or grade in the year with their measurement (or none): one query over the
    enrolments, one over the measurements."""
    qs = enrolments(user, sel, year).select_related("student", "school_class").order_by(
        "school_class__grade_code", "school_class__number", "student__student_number"
    )
    enrolled = list(qs.values(
        "student_id", "student__name", "student__student_number", "student__sex", "school_class_id",
        "school_class__grade_code", "school_class__number", "school_class__name",
    ))
    found = {
        m.student_id: m for m in FitnessMeasurement.objects.visible_to(user).filter(
            school_year__start_year=year, student_id__in=[e["student_id"] for e in enrolled]
        )
    }
    return [{**e, "measurement": found.get(e["student_id"])} for e in enrolled]


def student_history(user: Any, student_id: int) -> list[FitnessMeasurement]:
    """A student's visible measurements, oldest year first."""
    return list(
        FitnessMeasurement.objects.visible_to(user).filter(student_id=student_id)
        .select_related("school_year", "school").order_by("school_year__start_year")
    )


def graduation(history: list[FitnessMeasurement]) -> dict[str, Any] | None:
    """毕业成绩 of the stage (小学/初中/高中) of the student's latest measurement, from that stage's years
    only (None with fewer than two years in it). ``stage_name`` names the stage; ``final`` tells whether the
    latest year is the stage's last grade (otherwise the score is provisional)."""
    if not history:
        return None
    stage = stage_of(history[-1].grade_code)
    in_stage = [m for m in history if stage_of(m.grade_code) == stage]  # one pupil's few years
    if len(in_stage) < 2:
        return None
    frame = pl.DataFrame(
        {
            "student_id": [m.student_id for m in in_stage],
            "year": [m.school_year.start_year for m in in_stage],
            "status": [m.status for m in in_stage],
            "total_score": [None if m.total_score is None else float(m.total_score) for m in in_stage],
        },
        schema={"student_id": pl.Int64, "year": pl.Int64, "status": pl.String, "total_score": pl.Float64},
    )
    rows = stats.graduation_scores(frame).to_dicts()
    if not rows:
        return None
    grades = school_system_grades(school_system()).get(stage or "", ())
    final = bool(grades) and history[-1].grade_code == grades[-1]
    return {**rows[0], "stage": stage, "stage_name": STAGE_NAMES.get(stage or "", ""), "final": final}
