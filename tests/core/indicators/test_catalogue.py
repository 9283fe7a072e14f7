"""The catalogue: stable codes, complete definitions, kinds that match the formulas, name matching."""

from __future__ import annotations

import pytest

from edubrain.core.indicators.catalogue import (
    ALL_LEVELS,
    CALENDAR_YEAR,
    CATALOGUE,
    CATALOGUE_LIST,
    SCHOOL_YEAR,
    match_indicator,
)
from edubrain.core.indicators.formulas import COMPUTED_CODES

# The codes plans, targets and stored values already point at: they never change.
STABLE_CODES = {
    "preschool_enrolment",
    "preschool_gross_rate",
    "compulsory_enrolment",
    "compulsory_retention_rate",
    "upper_secondary_enrolment",
    "vocational_enrolment",
    "upper_secondary_gross_rate",
    "preschool_teacher_major_share",
    "compulsory_teacher_bachelor_share",
    "urban_rural_bachelor_ratio",
    "senior_teacher_master_share",
    "vocational_dual_teacher_share",
    "adult_schooling_years",
    "public_kindergarten_share",
    "inclusive_kindergarten_coverage",
    "first_class_kindergarten_share",
    "preschool_teacher_college_share",
    "fitness_excellent_good_rate",
    "fitness_pass_rate",
    "myopia_rate",
    "large_class_count",
    "super_large_class_count",
    "education_expenditure",
    "per_pupil_expenditure",
    "teacher_research_share",
    "research_backbone_share",
}


def test_every_existing_code_is_kept_and_codes_are_unique():
    assert set(CATALOGUE) >= STABLE_CODES
    assert len(CATALOGUE) == len(CATALOGUE_LIST)


def test_every_computed_indicator_has_a_formula_and_no_manual_one_has():
    computed = {d.code for d in CATALOGUE_LIST if d.kind == "computed"}
    assert computed == set(COMPUTED_CODES)
    assert len(COMPUTED_CODES) == len(set(COMPUTED_CODES))


def test_kinds_follow_the_data():
    kinds = {d.code: d.kind for d in CATALOGUE_LIST}
    # no data: 教科研 shares, teacher pay
    for code in ("teacher_research_share", "research_backbone_share", "teacher_pay_ratio"):
        assert kinds[code] == "manual", code
    assert kinds["myopia_rate"] == "computed"  # from the stored vision classification
    # supplied by the statistics bureau / registered ratings: computed from the registry
    assert kinds["adult_schooling_years"] == "computed"
    assert kinds["first_class_kindergarten_share"] == "computed"


@pytest.mark.parametrize("d", CATALOGUE_LIST, ids=lambda d: d.code)
def test_definitions_are_complete(d):
    assert d.kind in ("computed", "manual")
    assert d.definition and d.numerator, d.code
    assert len(d.numerator) <= 200 and len(d.denominator) <= 200  # Indicator model field lengths
    assert d.year_basis in (SCHOOL_YEAR, CALENDAR_YEAR)
    assert d.levels and set(d.levels) <= set(ALL_LEVELS)
    assert "口径" in d.definition or "年" in d.definition  # the year convention is stated
    assert "县" in d.definition  # the disaggregation is stated
    if d.unit == "%" and d.kind == "computed" and not d.code.startswith("adult"):
        assert d.denominator, d.code


def test_calendar_year_indicators():
    calendar = {d.code for d in CATALOGUE_LIST if d.year_basis == CALENDAR_YEAR}
    assert {"education_expenditure", "per_pupil_expenditure", "adult_schooling_years"} <= calendar
    assert "preschool_gross_rate" not in calendar


@pytest.mark.parametrize(
    "name,unit,category,code",
    [
        ("幼儿园在园人数（万人）", None, None, "preschool_enrolment"),
        ("巩固率（%）", "%", "义务教育", "compulsory_retention_rate"),
        ("在校生（万人）", "万人", "义务教育", "compulsory_enrolment"),
        ("在校生（万人）", "万人", "高中阶段教育", "upper_secondary_enrolment"),
        ("初中三年巩固率", "%", None, "junior_retention_rate"),
        ("全县公办幼儿园在园幼儿占比达到65%以上", "%", None, "public_kindergarten_share"),
        ("全县省一类以上幼儿园占比达到60%以上", "%", None, "first_class_kindergarten_share"),
        ("确保一般公共预算教育支出逐年只增不减", None, None, "education_expenditure"),
        ("按在校学生人数平均的一般公共预算教育支出逐年只增不减", None, None, "per_pupil_expenditure"),
        ("总体近视率每年降低不少于1个百分点", None, None, "myopia_rate"),
        ("千兆到校", None, None, "gigabit_school_share"),
        ("逐步减少大校额并降低班额", None, None, "oversized_school_count"),
    ],
)
def test_plan_wordings_match(name, unit, category, code):
    assert match_indicator(name, unit, category) == code
