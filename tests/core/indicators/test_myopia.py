"""总体近视率 (standards.md §5.6) on hand-made frames: pupils screening as myopic ÷ pupils validly screened ×
100, summed up the tree before dividing."""

from __future__ import annotations

import polars as pl
import pytest

from edubrain.core.indicators.catalogue import CATALOGUE_LIST
from edubrain.core.indicators.formulas import COMPUTED_CODES, compute, provenance
from edubrain.core.indicators.inputs import IndicatorInputs
from edubrain.core.indicators.vision import myopia_rate

COUNTY, TOWN_A, TOWN_B = 1, 10, 20
SCHOOLS = pl.DataFrame(
    {
        "org_unit_id": [201, 202, 203],
        "town_id": [TOWN_A, TOWN_A, TOWN_B],
        "school_type": ["primary", "junior", "senior_high"],
    }
)
# (school, year, myopia, pupils)
CELLS = [
    (201, 2024, True, 30),
    (201, 2024, False, 70),
    (202, 2024, True, 60),
    (202, 2024, False, 40),
    (203, 2024, True, 8),
    (203, 2024, False, 2),
    (201, 2025, True, 28),
    (201, 2025, False, 72),
    (202, 2025, False, 50),
    (999, 2025, True, 100),  # a school outside the county
]


def inputs(cells=CELLS, years=(2024, 2025, 2026)):
    frame = pl.DataFrame(cells, schema=["org_unit_id", "year", "myopia", "n"], orient="row")
    return IndicatorInputs(COUNTY, years, (TOWN_A, TOWN_B), schools=SCHOOLS, screenings=frame)


def values(frame):
    return {
        (r["org_unit_id"], r["year"]): (r["value"], r["numerator"], r["denominator"], r["note"])
        for r in frame.to_dicts()
    }


def test_rate_per_school_town_and_county():
    got = values(myopia_rate(inputs()))
    assert got[(201, 2024)] == (30.0, 30, 100, "")
    assert got[(202, 2024)] == (60.0, 60, 100, "")
    assert got[(TOWN_A, 2024)] == (45.0, 90, 200, "")
    assert got[(TOWN_B, 2024)] == (80.0, 8, 10, "")
    assert got[(COUNTY, 2024)] == pytest.approx((98 / 210 * 100, 98, 210, ""))
    assert got[(202, 2025)] == (0.0, 0, 50, "")
    assert got[(COUNTY, 2025)] == pytest.approx((28 / 150 * 100, 28, 150, ""))
    assert (999, 2025) not in got and (203, 2025) not in got and (TOWN_B, 2025) not in got
    value, num, den, note = got[(COUNTY, 2026)]
    assert value is None and den == 0 and note == "无有效视力筛查数据"


def test_yearly_change_is_a_difference_of_rates():
    got = values(myopia_rate(inputs()))
    assert got[(201, 2025)][0] - got[(201, 2024)][0] == pytest.approx(-2.0)  # 30 % → 28 %: met (≤ −1)


def test_no_screenings_at_all():
    got = values(myopia_rate(inputs(cells=[], years=(2025,))))
    assert got == {(COUNTY, 2025): (None, 0.0, 0.0, "无有效视力筛查数据")}


def test_catalogue_entry_is_computed_and_in_the_engine():
    entry = next(d for d in CATALOGUE_LIST if d.code == "myopia_rate")
    assert entry.kind == "computed" and not entry.higher_is_better
    assert "myopia_rate" in COMPUTED_CODES and "school" in entry.levels
    frame = compute(inputs(), ["myopia_rate"])
    assert set(frame["indicator"]) == {"myopia_rate"} and frame.height == len(values(myopia_rate(inputs())))
    text = provenance(inputs(), ["myopia_rate"]).filter(pl.col("year") == 2024)["provenance"].item()
    assert text == "视力筛查 2024学年 有效筛查210人"
