"""Fitness statistics (core.fitness.stats) on small hand-computed frames: counts, denominators, rates,
rounding, item rates, histogram bins, 毕业成绩 and the change from the previous year."""

from __future__ import annotations

import polars as pl
import pytest

from edubrain.core.fitness import stats


def rows(*records: tuple[str, str, str | None, float | None]) -> pl.DataFrame:
    """(group, status, rating, total_score) rows."""
    return pl.DataFrame(
        records, schema={"g": pl.String, "status": pl.String, "rating": pl.String, "total_score": pl.Float64},
        orient="row",
    )


SCHOOL = rows(
    ("a", "scored", "优秀", 95.0),
    ("a", "scored", "良好", 85.0),
    ("a", "scored", "及格", 70.0),
    ("a", "scored", "不及格", 50.0),
    ("a", "exempt", None, None),
    ("a", "incomplete", None, None),
    ("a", "invalid", None, None),
    ("b", "scored", "良好", 80.0),
    ("b", "scored", "及格", 61.0),
    ("b", "scored", "及格", 60.0),
)


def one(frame: pl.DataFrame, **where: str) -> dict:
    for key, value in where.items():
        frame = frame.filter(pl.col(key) == value)
    assert frame.height == 1
    return frame.to_dicts()[0]


def test_counts_and_rates_per_group():
    a = one(stats.summarise(SCHOOL, "g"), g="a")
    assert (a["records"], a["tested"], a["exempt"], a["incomplete"], a["invalid"]) == (7, 4, 1, 1, 1)
    assert (a["excellent"], a["good"], a["passed"], a["failed"]) == (1, 1, 1, 1)
    # denominators are the 4 tested pupils: 免测, 缺项 and 数据有误 are not in them
    assert a["excellent_rate"] == 25.0
    assert a["good_rate"] == 25.0
    assert a["excellent_good_rate"] == 50.0
    assert a["pass_rate"] == 75.0
    assert a["mean_score"] == 75.0  # (95 + 85 + 70 + 50) / 4


def test_rates_round_half_up_to_a_tenth():
    b = one(stats.summarise(SCHOOL, "g"), g="b")
    assert b["excellent_good_rate"] == 33.3  # 1/3
    assert b["pass_rate"] == 100.0
    assert b["mean_score"] == 67.0  # 201 / 3
    two_of_three = rows(
        ("x", "scored", "良好", 80.0), ("x", "scored", "优秀", 90.0), ("x", "scored", "及格", 60.05)
    )
    assert one(stats.summarise(two_of_three, "g"), g="x")["excellent_good_rate"] == 66.7
    eighths = rows(*[("y", "scored", "良好" if i < 1 else "及格", 80.0) for i in range(8)])
    assert one(stats.summarise(eighths, "g"), g="y")["good_rate"] == 12.5  # 12.5 exactly, not 12.4


def test_everything_without_by():
    total = stats.summarise(SCHOOL)
    assert total.height == 1
    row = total.to_dicts()[0]
    assert (row["records"], row["tested"]) == (10, 7)
    assert row["excellent_good_rate"] == 42.9  # 3/7
    assert row["pass_rate"] == 85.7  # 6/7


def test_no_tested_rows_gives_null_rates_not_errors():
    only_exempt = rows(("c", "exempt", None, None), ("c", "incomplete", None, None))
    c = one(stats.summarise(only_exempt, "g"), g="c")
    assert (c["records"], c["tested"], c["exempt"]) == (2, 0, 1)
    for key in stats.RATE_COLUMNS:
        assert c[key] is None, key
    empty = stats.summarise(only_exempt.clear(), "g")
    assert empty.height == 0


def test_exempt_pupils_never_change_the_rates():
    with_exempt = pl.concat([SCHOOL, rows(*[("b", "exempt", None, None)] * 5)])
    before, after = one(stats.summarise(SCHOOL, "g"), g="b"), one(stats.summarise(with_exempt, "g"), g="b")
    assert after["exempt"] == 5 and after["records"] == before["records"] + 5
    for key in stats.RATE_COLUMNS:
        assert after[key] == before[key]


def test_pre_counted_cells_give_the_same_figures():
    cells = (
        SCHOOL.with_columns(
            pl.when(pl.col("status") == "scored").then(pl.col("total_score")).alias("total_sum")
        )
        .group_by("g", "status", "rating")
        .agg(pl.len().alias("n"), pl.col("total_sum").sum())
    )
    per_row = stats.summarise(SCHOOL, "g")
    counted = stats.summarise(cells, "g")
    assert counted.to_dicts() == per_row.to_dicts()
    with pytest.raises(ValueError):
        stats.summarise(cells.drop("total_sum"), "g")


def test_expected_and_missing():
    summary = stats.summarise(SCHOOL, "g")
    expected = pl.DataFrame({"g": ["a", "a", "b", "c"], "expected": [5, 4, 2, 6]})
    out = stats.add_expected(summary, expected, "g")
    a, b, c = (one(out, g=k) for k in "abc")
    assert (a["expected"], a["missing"]) == (9, 2)  # 7 records of 9 on roll
    assert (b["expected"], b["missing"]) == (2, 0)  # more records than on roll: never negative
    assert (c["records"], c["tested"], c["expected"], c["missing"]) == (0, 0, 6, 6)
    assert c["pass_rate"] is None
    total = stats.add_expected(stats.summarise(SCHOOL), expected)
    assert total.to_dicts()[0]["expected"] == 17 and total.to_dicts()[0]["missing"] == 7


def scores(**columns: list[int | None]) -> pl.DataFrame:
    return pl.DataFrame(columns)


def test_item_rates_weakest_first():
    frame = scores(
        g=["a"] * 4,
        status=["scored", "scored", "incomplete", "exempt"],
        run_50m_score=[100, 60, 50, 100],
        pull_up_score=[10, 0, None, 100],
        bmi_score=[100, 80, 100, None],
        rope_skip_1min_score=[None, None, None, None],
    )
    out = stats.item_rates(frame, "g")
    assert out["item"].to_list() == ["pull_up", "run_50m", "bmi"]  # 跳绳 untested: no row
    pull, run, bmi = out.to_dicts()
    assert (pull["item_name"], pull["tested"], pull["pass_rate"], pull["mean_score"]) == (
        "引体向上", 2, 0.0, 5.0)
    # the 缺项 row's measured item counts; the 免测 row does not
    assert (run["tested"], run["pass_rate"], run["excellent_rate"], run["mean_score"]) == (
        3, 66.7, 33.3, 70.0)
    assert (bmi["tested"], bmi["pass_rate"], bmi["excellent_rate"]) == (3, 100.0, 66.7)


def test_item_thresholds_at_60_and_90():
    frame = scores(run_50m_score=[59, 60, 89, 90])
    row = stats.item_rates(frame).to_dicts()[0]
    assert (row["passed"], row["excellent"]) == (3, 1)


def test_item_rates_from_database_counts():
    counts = pl.DataFrame({
        "item": ["run_50m", "run_50m", "bmi"], "tested": [2, 1, 0], "score_sum": [160.0, 40.0, 0.0],
        "passed": [2, 0, 0], "excellent": [1, 0, 0],
    })
    out = stats.item_rates(counts)
    assert out["item"].to_list() == ["run_50m"]
    assert out.to_dicts()[0]["pass_rate"] == 66.7
    assert out.to_dicts()[0]["mean_score"] == 66.7


def test_distribution_bins():
    frame = rows(
        ("a", "scored", "不及格", 0.0), ("a", "scored", "不及格", 59.94), ("a", "scored", "及格", 59.95),
        ("a", "scored", "及格", 69.9), ("a", "scored", "优秀", 100.0), ("a", "scored", "优秀", 118.5),
        ("a", "exempt", None, None),
    )
    out = stats.distribution(frame, "g")
    assert out["bin"].to_list() == list(range(0, 101, 10))  # every bin, zeros included
    counts = dict(zip(out["bin"], out["n"], strict=True))
    assert counts[0] == 1 and counts[50] == 1
    assert counts[60] == 2  # 59.95 rounds to 60.0, as the rating does
    assert counts[100] == 2  # 100 and above share the top bin
    assert sum(counts.values()) == 6
    labels = dict(zip(out["bin"], out["label"], strict=True))
    assert labels[60] == "60–69.9" and labels[100] == "100分及以上"
    assert dict(zip(out["bin"], out["share"], strict=True))[60] == 33.3


def test_distribution_of_counted_bins():
    counted = pl.DataFrame({"total_score": [60.0, 90.0], "n": [3, 1]})
    out = stats.distribution(counted)
    assert dict(zip(out["bin"], out["n"], strict=True))[60] == 3
    assert out["n"].sum() == 4


def history(*records: tuple[int, int, str, float | None]) -> pl.DataFrame:
    return pl.DataFrame(records, schema={"student_id": pl.Int64, "year": pl.Int64, "status": pl.String,
                                         "total_score": pl.Float64}, orient="row")


def test_graduation_score_half_final_half_mean_of_others():
    out = stats.graduation_scores(history(
        (1, 2021, "scored", 80.0), (1, 2022, "scored", 70.0), (1, 2023, "scored", 90.0),
    )).to_dicts()[0]
    assert out["final_year"] == 2023 and out["others_mean"] == 75.0
    assert out["graduation_score"] == 82.5 and out["rating"] == "良好"
    assert out["status"] == "scored" and out["remark"] is None


def test_graduation_rounds_half_up_and_rates_on_the_rounded_score():
    # 0.5 × 89.9 + 0.5 × 90.0 = 89.95 → 90.0 → 优秀
    out = stats.graduation_scores(history((1, 2022, "scored", 90.0), (1, 2023, "scored", 89.9))).to_dicts()[0]
    assert out["graduation_score"] == 90.0 and out["rating"] == "优秀"


def test_graduation_one_year_only_is_that_years_total():
    out = stats.graduation_scores(history((2, 2023, "scored", 77.77))).to_dicts()[0]
    assert out["graduation_score"] == 77.8 and out["rating"] == "及格"
    assert out["others_mean"] is None and "仅一个学年" in out["remark"]


def test_graduation_years_without_a_total():
    out = stats.graduation_scores(history(
        (3, 2021, "exempt", None), (3, 2022, "scored", 60.0), (3, 2023, "scored", 80.0),
        (4, 2022, "scored", 70.0), (4, 2023, "exempt", None),
        (5, 2022, "scored", 70.0), (5, 2023, "incomplete", None),
    ))
    s3, s4, s5 = out.to_dicts()
    assert s3["graduation_score"] == 70.0 and s3["scored_years"] == 2  # the 免测 year is left out of the mean
    assert s4["graduation_score"] is None and s4["status"] == "exempt" and s4["remark"] == "免测"
    assert s5["graduation_score"] is None and s5["status"] == "incomplete" and s5["rating"] is None


def test_year_change_against_the_previous_year():
    summary = pl.DataFrame({
        "g": ["a", "a", "a", "b"], "year": [2022, 2023, 2025, 2023],
        "pass_rate": [90.0, 92.5, 95.0, None], "tested": [10, 12, 8, 0],
    })
    out = stats.year_change(summary, "g")
    changes = {(r["g"], r["year"]): (r["pass_rate_change"], r["tested_change"]) for r in out.to_dicts()}
    assert changes[("a", 2022)] == (None, None)
    assert changes[("a", 2023)] == (2.5, 2)
    assert changes[("a", 2025)] == (None, None)  # 2024 missing: no change rather than a two-year gap
    assert changes[("b", 2023)] == (None, None)
    overall = stats.year_change(summary.filter(pl.col("g") == "a").drop("g"))
    assert overall.filter(pl.col("year") == 2023)["pass_rate_change"].item() == 2.5


def test_year_change_rounds_float_noise():
    summary = pl.DataFrame({"year": [2022, 2023], "mean_score": [70.1, 70.3]})
    assert stats.year_change(summary)["mean_score_change"].to_list() == [None, 0.2]


def test_database_counts_give_the_same_figures():
    per_row = stats.summarise(SCHOOL, "g")
    counts = per_row.select("g", *stats.COUNT_COLUMNS).with_columns(
        pl.when(pl.col("g") == "a").then(300.0).otherwise(201.0).alias("total_sum")
    )
    zeros = counts.with_columns(pl.col(c) * 0 for c in (*stats.COUNT_COLUMNS, "total_sum"))
    halves = pl.concat([counts, zeros])
    assert stats.summarise(halves, "g").to_dicts() == per_row.to_dicts()
