"""Headline figures (首页概况) on hand-made frames."""

from __future__ import annotations

import polars as pl

from edubrain.core.figures import headline, schools_by_type, students_by_stage


def enrolments(rows: list[tuple[str, str]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={"grade_code": pl.String, "school_type": pl.String}, orient="row")


def schools(types: list[str]) -> pl.DataFrame:
    return pl.DataFrame({"school_type": types}, schema={"school_type": pl.String})


def test_headline_counts_each_stage() -> None:
    frame = enrolments(
        [
            ("01", "kindergarten"),
            ("03", "kindergarten"),
            ("11", "primary"),
            ("16", "primary"),
            ("21", "junior"),
            ("24", "junior"),
            ("31", "senior_high"),
            ("33", "complete_secondary"),
            ("31", "vocational"),
            ("32", "vocational"),
            ("33", "vocational"),
            ("12", "special"),
        ]
    )
    result = headline(frame, schools(["primary", "vocational", "kindergarten"]), 42)
    assert result == {
        "schools": 3,
        "kindergarten": 2,
        "compulsory": 5,
        "upper_secondary": 5,
        "vocational": 3,
        "teachers": 42,
    }


def test_vocational_is_counted_inside_upper_secondary() -> None:
    only_vocational = headline(enrolments([("31", "vocational")]), schools([]), 0)
    assert only_vocational["upper_secondary"] == 1
    assert only_vocational["vocational"] == 1
    general = headline(enrolments([("31", "senior_high")]), schools([]), 0)
    assert (general["upper_secondary"], general["vocational"]) == (1, 0)


def test_unknown_grades_count_nowhere() -> None:
    result = headline(enrolments([("99", "primary"), ("11", "primary")]), schools([]), 0)
    assert result["compulsory"] == 1
    assert result["kindergarten"] + result["upper_secondary"] == 0


def test_empty_frames_with_schema() -> None:
    result = headline(enrolments([]), schools([]), 0)
    assert result == {
        "schools": 0,
        "kindergarten": 0,
        "compulsory": 0,
        "upper_secondary": 0,
        "vocational": 0,
        "teachers": 0,
    }


def test_empty_frames_without_schema() -> None:
    result = headline(pl.DataFrame(), pl.DataFrame(), 5)
    assert result["teachers"] == 5
    assert result["compulsory"] == 0
    assert schools_by_type(pl.DataFrame()) == {}


def test_students_by_stage() -> None:
    frame = enrolments([("11", "primary"), ("12", "primary"), ("31", "vocational")])
    result = dict(students_by_stage(frame).iter_rows())
    assert result == {"primary": 2, "senior": 1}
    assert students_by_stage(enrolments([])).height == 0


def test_schools_by_type() -> None:
    assert schools_by_type(schools(["primary", "primary", "kindergarten"])) == {
        "primary": 2,
        "kindergarten": 1,
    }
    assert schools_by_type(schools([])) == {}


def test_pre_counted_groups_equal_one_row_per_student() -> None:
    rows = [("01", "kindergarten")] * 3 + [("11", "primary")] * 5 + [("31", "vocational")] * 2 + [
        ("32", "senior_high")
    ] * 4
    per_student = enrolments(rows)
    grouped = per_student.group_by("grade_code", "school_type").agg(pl.len().alias("students"))
    assert grouped.height == 4
    expected = {"schools": 0, "kindergarten": 3, "compulsory": 5, "upper_secondary": 6, "vocational": 2,
                "teachers": 0}
    assert headline(grouped, schools([]), 0) == headline(per_student, schools([]), 0) == expected
    by_stage = dict(students_by_stage(grouped).iter_rows())
    assert by_stage == {"preschool": 3, "primary": 5, "senior": 6}
