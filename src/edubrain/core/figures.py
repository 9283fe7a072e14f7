"""Headline figures (首页概况) from frames: schools by type, students by stage, full-time teachers.

Inputs are plain polars frames so the same function serves the home page, the CLI and the API.
"""

from __future__ import annotations

from typing import TypedDict

import polars as pl

from edubrain.core.stages import GRADE_BY_CODE, JUNIOR, PRESCHOOL, PRIMARY, SENIOR, VOCATIONAL


class Headline(TypedDict):
    schools: int
    kindergarten: int
    compulsory: int
    upper_secondary: int
    vocational: int
    teachers: int


_STAGE_OF_GRADE = pl.DataFrame(
    {"grade_code": list(GRADE_BY_CODE), "stage": [g.stage for g in GRADE_BY_CODE.values()]},
    schema={"grade_code": pl.String, "stage": pl.String},
)


def _with_stage(enrolments: pl.DataFrame) -> pl.DataFrame:
    """Add ``stage`` by grade code and a ``students`` weight (1 per row unless the frame is pre-counted);
    tolerates empty frames without a schema (columns typed as Null)."""
    frame = enrolments.select(
        pl.col("students").cast(pl.Int64)
        if "students" in enrolments.columns
        else pl.lit(1, dtype=pl.Int64).alias("students"),
        pl.col("grade_code").cast(pl.String)
        if "grade_code" in enrolments.columns
        else pl.lit(None, dtype=pl.String).alias("grade_code"),
        pl.col("school_type").cast(pl.String)
        if "school_type" in enrolments.columns
        else pl.lit(None, dtype=pl.String).alias("school_type"),
    )
    return frame.join(_STAGE_OF_GRADE, on="grade_code", how="left")


def students_by_stage(enrolments: pl.DataFrame) -> pl.DataFrame:
    """Count enrolled students per stage; vocational (中职) counted apart inside 高中阶段.

    ``enrolments`` has one row per student in the year with columns ``grade_code`` and ``school_type``.
    Returns columns ``stage`` and ``students``.
    """
    joined = _with_stage(enrolments)
    return joined.group_by("stage").agg(pl.col("students").sum()).sort("stage")


def headline(enrolments: pl.DataFrame, schools: pl.DataFrame, teachers: int) -> Headline:
    """The figures the home page shows for one school year.

    ``enrolments``: ``grade_code``, ``school_type`` — one row per enrolled student, or one row per group with
    its count in ``students`` (as a database GROUP BY returns it);
    ``schools``: one row per school open that year (``school_type``).
    """
    joined = _with_stage(enrolments)
    stage, n = pl.col("stage"), pl.col("students")
    counts = joined.select(
        kindergarten=n.filter(stage == PRESCHOOL).sum(),
        compulsory=n.filter(stage.is_in([PRIMARY, JUNIOR])).sum(),
        upper_secondary=n.filter(stage == SENIOR).sum(),
        vocational=n.filter((stage == SENIOR) & (pl.col("school_type") == VOCATIONAL)).sum(),
    ).row(0, named=True)
    return Headline(
        schools=schools.height,
        kindergarten=int(counts["kindergarten"] or 0),
        compulsory=int(counts["compulsory"] or 0),
        upper_secondary=int(counts["upper_secondary"] or 0),
        vocational=int(counts["vocational"] or 0),
        teachers=int(teachers),
    )


def schools_by_type(schools: pl.DataFrame) -> dict[str, int]:
    """School counts keyed by 办学类型 code."""
    if schools.is_empty() or "school_type" not in schools.columns:
        return {}
    rows = schools.group_by("school_type").agg(pl.len().alias("n")).iter_rows()
    return {str(t): int(n) for t, n in rows}
