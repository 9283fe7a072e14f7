"""班额 against §4.1 standards and §4.2 bands, 校额 against §4.3 limits, and the per-year summary."""

from __future__ import annotations

import polars as pl
import pytest

from edubrain.core.places import (
    ClassSizeOptions,
    SchoolSizeOptions,
    class_size_summary,
    classify_classes,
    school_size,
)


def one(grade: str | int, size: int | None) -> dict[str, object]:
    frame = pl.DataFrame({"grade_code": [grade], "size": [size]}, schema_overrides={"size": pl.Int64})
    return classify_classes(frame).row(0, named=True)


# (grade code, standard) per §4.1: 小班 25, 中班 30, 大班 35, 小学 45, 初中 50, 高中 50
STANDARDS = [("01", 25), ("02", 30), ("03", 35), ("11", 45), ("16", 45), ("21", 50), ("24", 50), ("33", 50)]


@pytest.mark.parametrize(("grade", "standard"), STANDARDS)
def test_standard_at_below_and_above(grade, standard):
    assert one(grade, standard - 1)["over_standard"] is False
    assert one(grade, standard)["over_standard"] is False
    assert one(grade, standard + 1)["over_standard"] is True
    assert one(grade, standard)["standard_size"] == standard


def test_stage_from_grade_code_and_integer_codes():
    assert one("11", 40)["stage"] == "primary"
    assert one(21, 40)["stage"] == "junior"
    assert one(1, 20)["stage"] == "preschool"  # 1 → "01" 小班
    assert one(1, 20)["standard_size"] == 25
    assert one("31", 40)["stage_label"] == "高中阶段"


@pytest.mark.parametrize(
    ("size", "band", "large", "super_large"),
    [
        (35, "35人及以下", False, False),
        (36, "正常班额", False, False),
        (45, "正常班额", False, False),
        (46, "偏大班额", False, False),
        (55, "偏大班额", False, False),
        (56, "大班额", True, False),
        (57, "大班额", True, False),
        (65, "大班额", True, False),
        (66, "超大班额", True, True),
        (67, "超大班额", True, True),
    ],
)
@pytest.mark.parametrize("grade", ["11", "21", "32"])
def test_bands_for_each_stage(grade, size, band, large, super_large):
    r = one(grade, size)
    assert (r["size_band"], r["large_class"], r["super_large_class"]) == (band, large, super_large)


def test_unknown_grade_and_missing_size_are_null_not_false():
    r = one("99", 70)
    assert r["stage"] is None and r["standard_size"] is None and r["over_standard"] is None
    assert r["large_class"] is True  # the 56/66 bands need no stage
    r = one("11", None)
    assert r["over_standard"] is None and r["large_class"] is None and r["size_band"] is None


def test_standard_size_column_and_options_override():
    frame = pl.DataFrame({"grade_code": ["11", "11"], "size": [31, 31], "standard_size": [30, None]})
    assert classify_classes(frame)["over_standard"].to_list() == [True, False]
    rural = ClassSizeOptions(standards={"11": 40, "primary": 45, "junior": 45})
    out = classify_classes(pl.DataFrame({"grade_code": ["11", "12", "21"], "size": [41, 41, 46]}), rural)
    assert out["standard_size"].to_list() == [40, 45, 45]
    assert out["over_standard"].to_list() == [True, False, True]


def test_summary_per_year_and_stage():
    classes = pl.DataFrame(
        {
            "year": [2024, 2024, 2024, 2024, 2025, 2025, 2025],
            "grade_code": ["11", "12", "13", "21", "11", "12", "21"],
            "size": [45, 46, 56, 66, 40, None, 50],
        }
    )
    out = class_size_summary(classes, by=["year", "stage"])
    rows = {(r["year"], r["stage"]): r for r in out.iter_rows(named=True)}
    p24 = rows[(2024, "primary")]
    # 45 ok, 46 and 56 over 45; 56 is 大班额
    assert (p24["classes"], p24["over_standard_classes"], p24["within_standard_classes"]) == (3, 2, 1)
    assert (p24["large_classes"], p24["super_large_classes"], p24["pupils"]) == (1, 0, 147)
    assert p24["over_standard_share"] == 66.67 and p24["large_share"] == 33.33
    assert p24["within_standard_share"] == 33.33 and p24["average_size"] == 49.0
    j24 = rows[(2024, "junior")]
    assert (j24["large_classes"], j24["super_large_classes"], j24["super_large_share"]) == (1, 1, 100.0)
    p25 = rows[(2025, "primary")]
    # a class without a size counts as a class but not in any share's denominator
    assert (p25["classes"], p25["sized_classes"], p25["assessed_classes"]) == (2, 1, 1)
    assert p25["over_standard_share"] == 0.0 and p25["large_share"] == 0.0
    assert list(out["year"]) == [2024, 2024, 2025, 2025]


def test_summary_overall_and_group_without_sizes():
    classes = pl.DataFrame({"unit": ["a", "b"], "grade_code": ["11", "11"], "size": [60, None]})
    overall = class_size_summary(classes, by=()).row(0, named=True)
    assert (overall["classes"], overall["large_classes"], overall["large_share"]) == (2, 1, 100.0)
    b = class_size_summary(classes, by=["unit"]).row(1, named=True)
    assert b["large_share"] is None and b["over_standard_share"] is None


@pytest.mark.parametrize(
    ("school_type", "pupils", "over", "excess"),
    [
        ("primary", 1999, False, 0),
        ("primary", 2000, False, 0),
        ("primary", 2001, True, 1),
        ("junior", 2001, True, 1),
        ("nine_year", 2499, False, 0),
        ("nine_year", 2500, False, 0),
        ("nine_year", 2501, True, 1),
        ("twelve_year", 2501, True, 1),
    ],
)
def test_school_size_limits(school_type, pupils, over, excess):
    r = school_size(pl.DataFrame({"school_type": [school_type], "pupils": [pupils]})).row(0, named=True)
    assert (r["over_size_limit"], r["size_excess"]) == (over, excess)


def test_school_without_limit_or_pupils_and_class_limits():
    frame = pl.DataFrame(
        {
            "school_type": ["kindergarten", "primary", "primary", "primary", "nine_year"],
            "pupils": [3000, None, 100, 100, 100],
            "classes": [10, 30, 30, 31, 46],
        }
    )
    out = school_size(frame)
    assert out["size_limit"].to_list() == [None, 2000, 2000, 2000, 2500]
    assert out["over_size_limit"].to_list() == [None, None, False, False, False]
    assert out["size_excess"].to_list() == [None, None, 0, 0, 0]
    assert out["over_class_limit"].to_list() == [None, False, False, True, True]
    custom = school_size(frame.head(3), SchoolSizeOptions(limits={"kindergarten": 360}))
    assert custom["over_size_limit"].to_list() == [True, None, None]
