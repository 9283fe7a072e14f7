"""School types × grades (stages.grade_allowed) and 学制 (6-3 / 5-4)."""

from __future__ import annotations

import pytest

from edubrain.core.stages import (
    GRADES,
    SCHOOL_TYPES,
    grade_allowed,
    grade_stage,
    school_system_grades,
)

P, J, S, K = "primary", "junior", "senior", "preschool"
EXPECTED_STAGES = {
    "kindergarten": {K},
    "primary": {P},
    "junior": {J},
    "nine_year": {P, J},
    "twelve_year": {P, J, S},
    "complete_secondary": {J, S},
    "senior_high": {S},
    "vocational": {S},
    "special": {K, P, J, S},
}


def test_every_school_type_is_covered() -> None:
    assert set(SCHOOL_TYPES) == set(EXPECTED_STAGES)


@pytest.mark.parametrize("school_type", sorted(EXPECTED_STAGES))
@pytest.mark.parametrize("grade", [g.code for g in GRADES])
def test_grade_allowed_every_type_and_grade(school_type: str, grade: str) -> None:
    assert grade_allowed(school_type, grade) == (grade_stage(grade) in EXPECTED_STAGES[school_type])


def test_primary_school_examples() -> None:
    assert grade_allowed("primary", "11")
    assert grade_allowed("primary", "16")
    assert not grade_allowed("primary", "31")  # 高一 in a 小学
    assert not grade_allowed("primary", "03")
    assert not grade_allowed("senior_high", "23")


@pytest.mark.parametrize(
    ("school_type", "grade"), [("primary", "17"), ("primary", "00"), ("nope", "11"), ("primary", "")]
)
def test_unknown_codes_never_allowed(school_type: str, grade: str) -> None:
    assert not grade_allowed(school_type, grade)


def test_six_three() -> None:
    grades = school_system_grades("6-3")
    assert grades["primary"] == ("11", "12", "13", "14", "15", "16")
    assert grades["junior"] == ("21", "22", "23")
    assert grades["preschool"] == ("01", "02", "03")
    assert grades["senior"] == ("31", "32", "33")
    assert sum(len(v) for k, v in grades.items() if k in (P, J)) == 9


def test_five_four() -> None:
    grades = school_system_grades("5-4")
    assert grades["primary"] == ("11", "12", "13", "14", "15")
    assert grades["junior"] == ("21", "22", "23", "24")
    assert sum(len(v) for k, v in grades.items() if k in (P, J)) == 9


def test_unknown_system() -> None:
    with pytest.raises(ValueError, match="未知学制"):
        school_system_grades("6-4")


def test_grade_allowed_under_a_system() -> None:
    assert grade_allowed("primary", "16", "6-3")
    assert not grade_allowed("primary", "16", "5-4")
    assert not grade_allowed("junior", "24", "6-3")
    assert grade_allowed("junior", "24", "5-4")
    assert grade_allowed("junior", "24")  # without a system every junior grade code is allowed
    assert grade_allowed("nine_year", "24", "5-4")
    assert not grade_allowed("primary", "24", "5-4")


def test_grade_orders_are_increasing() -> None:
    orders = [g.order for g in GRADES]
    assert orders == sorted(orders)
    assert len(set(g.code for g in GRADES)) == len(GRADES)
