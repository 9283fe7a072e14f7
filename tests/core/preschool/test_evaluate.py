"""普及普惠 indicators (§2.1, §2.2, plan targets): every threshold at, just above and just below, national and
plan; missing inputs and zero denominators."""

from __future__ import annotations

import polars as pl
import pytest

from edubrain.core.preschool import PreschoolOptions, add_total, evaluate_preschool, preschool_verdict


def check(inputs: dict[str, object], indicator: str, level: str = "national") -> dict[str, object]:
    frame = pl.DataFrame({"unit": ["镇A"], **{k: [v] for k, v in inputs.items()}})
    out = evaluate_preschool(frame).filter((pl.col("indicator") == indicator) & (pl.col("level") == level))
    assert out.height == 1
    return out.row(0, named=True)


# (indicator, level, inputs at the threshold with numerator n, comparison direction)
CASES = [
    # 毛入园率 = 在园 / 3–5 岁人口: national 85, plan 99
    ("gross_enrolment_rate", "national", lambda n: {"enrolled": n, "population_3_5": 10000}, 8500),
    ("gross_enrolment_rate", "plan", lambda n: {"enrolled": n, "population_3_5": 10000}, 9900),
    # 普惠覆盖率 = (公办 + 普惠民办) / 在园: national 80, plan 90
    (
        "puhui_coverage",
        "national",
        lambda n: {"enrolled": 10000, "public_enrolled": 5000, "puhui_private_enrolled": n - 5000},
        8000,
    ),
    (
        "puhui_coverage",
        "plan",
        lambda n: {"enrolled": 10000, "public_enrolled": 5000, "puhui_private_enrolled": n - 5000},
        9000,
    ),
    # 公办占比: national 50, plan 65
    ("public_share", "national", lambda n: {"enrolled": 10000, "public_enrolled": n}, 5000),
    ("public_share", "plan", lambda n: {"enrolled": 10000, "public_enrolled": n}, 6500),
    # §2.2: 班额达标率 ≥ 85, 持证上岗率 100
    ("class_standard_rate", "national", lambda n: {"classes": 1000, "standard_classes": n}, 850),
    # plan: 省一类以上 ≥ 60, 专科以上学历 ≥ 85
    (
        "provincial_class1_share",
        "plan",
        lambda n: {"kindergartens": 1000, "provincial_class1_kindergartens": n},
        600,
    ),
    ("college_teacher_share", "plan", lambda n: {"teachers": 1000, "college_teachers": n}, 850),
]


@pytest.mark.parametrize(("indicator", "level", "inputs", "at"), CASES)
def test_at_least_thresholds(indicator, level, inputs, at):
    assert check(inputs(at - 1), indicator, level)["status"] == "未达标"
    at_row = check(inputs(at), indicator, level)
    assert at_row["status"] == "达标"
    assert check(inputs(at + 1), indicator, level)["status"] == "达标"
    assert at_row["comparison"] == "≥"


def test_national_and_plan_thresholds_and_values():
    r = check({"enrolled": 8500, "population_3_5": 10000}, "gross_enrolment_rate")
    assert (r["value"], r["threshold"], r["value_unit"], r["level_label"]) == (85.0, 85.0, "%", "国家标准")
    assert check({"enrolled": 1, "public_enrolled": 1}, "public_share", "plan")["threshold"] == 65.0
    r = check({"enrolled": 1, "public_enrolled": 1, "puhui_private_enrolled": 0}, "puhui_coverage", "plan")
    assert (r["threshold"], r["level_label"]) == (90.0, "规划目标")


@pytest.mark.parametrize(
    ("indicator", "denominator", "limit"),
    [("children_per_teacher", "teachers", 15), ("children_per_staff", "staff", 7)],
)
def test_at_most_ratios(indicator, denominator, limit):
    at = {"enrolled": limit * 100, denominator: 100}
    assert check(at, indicator)["status"] == "达标"
    assert check(at, indicator)["value"] == limit
    assert check({**at, "enrolled": limit * 100 - 1}, indicator)["status"] == "达标"
    assert check({**at, "enrolled": limit * 100 + 1}, indicator)["status"] == "未达标"
    assert check(at, indicator)["comparison"] == "≤"


def test_certification_must_be_all():
    inputs = {"heads_and_teachers": 1000, "certified_heads_and_teachers": 1000}
    assert check(inputs, "certification_rate")["status"] == "达标"
    assert check({**inputs, "certified_heads_and_teachers": 999}, "certification_rate")["status"] == "未达标"


def test_exact_boundary_without_float_error():
    # 17 / 20 × 100 is 85.00000000000001 or 84.99999999999999 in floats depending on order; the check is exact
    assert check({"enrolled": 17, "population_3_5": 20}, "gross_enrolment_rate")["status"] == "达标"
    r = check({"enrolled": 7, "public_enrolled": 3.5}, "public_share")
    assert (r["value"], r["status"]) == (50.0, "达标")


def test_gross_rate_may_exceed_100():
    r = check({"enrolled": 1050, "population_3_5": 1000}, "gross_enrolment_rate")
    assert (r["value"], r["status"]) == (105.0, "达标")


def test_missing_column_null_value_and_zero_denominator():
    r = check({"population_3_5": 100}, "gross_enrolment_rate")
    assert (r["value"], r["status"], r["reason"]) == (None, "不可评估", "缺少在园幼儿数")
    r = check({"enrolled": None, "population_3_5": None}, "gross_enrolment_rate")
    assert (r["value"], r["reason"]) == (None, "缺少在园幼儿数、3–5岁人口数")
    r = check({"enrolled": 0, "population_3_5": 0}, "gross_enrolment_rate")
    assert (r["value"], r["status"], r["reason"]) == (None, "不可评估", "3–5岁人口数为0，无法计算")
    r = check({"enrolled": 10, "public_enrolled": 5}, "puhui_coverage")  # 普惠民办 unknown: no silent 0
    assert (r["numerator"], r["value"], r["reason"]) == (None, None, "缺少普惠性民办园在园幼儿数")
    r = check({"enrolled": 10, "public_enrolled": 5, "puhui_private_enrolled": 0}, "puhui_coverage")
    assert (r["numerator"], r["value"], r["status"]) == (5, 50.0, "未达标")


def test_options_change_and_drop_checks():
    frame = pl.DataFrame({"unit": ["镇A"], "enrolled": [88], "population_3_5": [100]})
    henan = PreschoolOptions(national_gross_enrolment_rate=90.0, plan_gross_enrolment_rate=None)
    out = evaluate_preschool(frame, options=henan).filter(pl.col("indicator") == "gross_enrolment_rate")
    assert out["level"].to_list() == ["national"]
    assert out["status"].to_list() == ["未达标"]
    assert evaluate_preschool(frame).height == 12  # 7 national/§2.2 checks + 5 plan targets


def test_order_and_columns():
    frame = pl.DataFrame({"unit": ["镇B", "镇A"], "year": [2025, 2025], "enrolled": [1, 2]})
    out = evaluate_preschool(frame, by=("unit", "year"))
    assert out["unit"].to_list()[:12] == ["镇B"] * 12
    assert out.columns[:3] == ["unit", "year", "indicator"]


def test_county_total_sums_units_and_keeps_nulls():
    units = pl.DataFrame(
        {
            "unit": ["镇A", "镇B"],
            "enrolled": [85, 80],
            "population_3_5": [100, 100],
            "public_enrolled": [60, None],
        }
    )
    with_total = add_total(units)
    county = with_total.filter(pl.col("unit") == "全县").row(0, named=True)
    assert (county["enrolled"], county["population_3_5"], county["public_enrolled"]) == (165, 200, None)
    out = evaluate_preschool(with_total).filter(pl.col("unit") == "全县")
    gross = out.filter((pl.col("indicator") == "gross_enrolment_rate") & (pl.col("level") == "national"))
    assert gross.row(0, named=True)["value"] == 82.5  # 165 / 200
    assert gross.row(0, named=True)["status"] == "未达标"
    public = out.filter(pl.col("indicator") == "public_share")
    assert set(public["status"]) == {"不可评估"}


def test_county_total_per_year():
    units = pl.DataFrame({"unit": ["a", "b", "a"], "year": [2024, 2024, 2025], "enrolled": [1, 2, 5]})
    totals = add_total(units, by=["year"]).filter(pl.col("unit") == "全县").sort("year")
    assert totals["enrolled"].to_list() == [3, 5]


def test_verdict_per_unit_and_level():
    frame = pl.DataFrame(
        {
            "unit": ["good", "bad"],
            "enrolled": [100, 100],
            "population_3_5": [100, 100],
            "public_enrolled": [70, 40],
            "puhui_private_enrolled": [25, 30],
            "teachers": [8, 8],
            "staff": [15, 15],
            "classes": [10, 10],
            "standard_classes": [10, 10],
            "heads_and_teachers": [10, 10],
            "certified_heads_and_teachers": [10, 10],
            "kindergartens": [5, 5],
            "provincial_class1_kindergartens": [3, 3],
        }
    )
    verdict = preschool_verdict(evaluate_preschool(frame))
    got = {
        (r["unit"], r["level"]): (r["passed"], r["failed"], r["unassessed"], r["status"])
        for r in verdict.iter_rows(named=True)
    }
    assert got[("good", "national")] == (7, 0, 0, "达标")
    # bad: 公办 40 % < 50 % fails; 普惠 70 % < 80 % fails
    assert got[("bad", "national")] == (5, 2, 0, "未达标")
    # good, plan: 毛入园率 100 ≥ 99, 普惠 95 ≥ 90, 公办 70 ≥ 65, 省一类 60 ≥ 60 pass; 学历 unknown
    assert got[("good", "plan")] == (4, 0, 1, "不可评估")
