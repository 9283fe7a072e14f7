"""总体近视率 (§5.6) and the school-level colour warning, scheme (b) of §5.5, at its boundaries."""

from __future__ import annotations

import polars as pl
import pytest

from edubrain.core.vision import myopia_rate, school_colour
from edubrain.core.vision.school import SchoolColourOptions


def classified() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "school": ["A", "A", "A", "A", "B", "C"],
            "status": ["classified", "classified", "classified", "invalid", "classified", "invalid"],
            "myopia": [True, False, True, None, False, None],
            "degree": ["高度", "无", "低度", None, "无", None],
        }
    )


def test_overall_rate_leaves_invalid_rows_out():
    r = myopia_rate(classified()).row(0, named=True)
    assert r == {"screened": 4, "myopic": 2, "high_myopia": 1, "rate": 50.0, "high_rate": 25.0}


def test_rate_by_school_and_a_school_without_valid_rows():
    out = myopia_rate(classified(), ["school"]).sort("school")
    assert out["screened"].to_list() == [3, 1, 0]
    assert out["rate"].to_list() == [66.67, 0.0, None]


@pytest.mark.parametrize(
    ("previous", "rate", "level", "colour", "met"),
    [
        (30.0, 30.99, 0, "无", False), (30.0, 31.0, 1, "黄色", False), (30.0, 33.0, 1, "黄色", False),
        (30.0, 33.01, 2, "橙色", False), (30.0, 35.0, 2, "橙色", False), (30.0, 35.01, 3, "红色", False),
        (30.0, 29.01, 0, "无", False), (30.0, 29.0, 0, "无", True), (30.0, 25.0, 0, "无", True),
        (None, 25.0, None, None, None),
    ],
)  # fmt: skip
def test_school_colour_boundaries(previous, rate, level, colour, met):
    schema = {"rate": pl.Float64, "previous_rate": pl.Float64}
    frame = pl.DataFrame({"rate": [rate], "previous_rate": [previous]}, schema=schema)
    r = school_colour(frame).row(0, named=True)
    assert (r["colour_level"], r["colour"], r["target_met"]) == (level, colour, met)


def test_school_colour_settings_and_column_names():
    frame = pl.DataFrame({"now": [20.5], "before": [20.0]})
    r = school_colour(frame, rate="now", previous="before", options=SchoolColourOptions(cuts=(0.5, 1, 2)))
    assert r.row(0, named=True)["colour"] == "黄色"
    r = school_colour(pl.DataFrame({"rate": [19.5], "previous_rate": [20.0]}),
                      options=SchoolColourOptions(yearly_decline=0.5))  # fmt: skip
    assert r["target_met"][0] is True
