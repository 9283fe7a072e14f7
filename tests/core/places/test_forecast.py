"""学位预警 cohort forecast (§7) on a one-zone dataset worked by hand, scenarios, warning cut points, and
missing or zero inputs."""

from __future__ import annotations

import polars as pl
import pytest

from edubrain.core.errors import CoreError
from edubrain.core.places import ForecastOptions, PlaceData, Scenario, forecast_places, method_text

GRADES = ["11", "12", "13", "14", "15", "16", "21", "22", "23"]
# 在校生 per grade, 2020–2022. Hand-computed ratios (mean of the two observed transitions):
#   11→12: 95/95 = 1.0, 108/120 = 0.9 → 0.95;  12→13 … 15→16: 1.0;  16→21 (r7): 90/100, 100/100 → 0.95;
#   21→22: 1.0;  22→23: 98/100, 98/100 → 0.98.
ENROLMENT = {
    2020: [95, 100, 100, 100, 100, 100, 100, 100, 100],
    2021: [120, 95, 100, 100, 100, 100, 90, 100, 98],
    2022: [99, 108, 95, 100, 100, 100, 100, 90, 98],
}
# births 2014–2016 against grade-1 of 2020–2022: 95/100, 120/120, 99/110 → r1 = (0.95 + 1.0 + 0.9) / 3 = 0.95
BIRTHS = {2014: 100, 2015: 120, 2016: 110, 2017: 100, 2018: 90, 2019: 80}
CAPACITY = pl.DataFrame(
    {
        "zone": ["Z", "Z"],
        "stage": ["primary", "junior"],
        "entry_places": [100, 95],
        "total_places": [600, 300],
    }
)


def data(**changes: object) -> PlaceData:
    rows = [("Z", y, g, p) for y, counts in ENROLMENT.items() for g, p in zip(GRADES, counts, strict=True)]
    enrolment = pl.DataFrame(rows, schema=["zone", "year", "grade_code", "pupils"], orient="row")
    births = pl.DataFrame(
        {"zone": ["Z"] * len(BIRTHS), "year": list(BIRTHS), "births": list(BIRTHS.values())}
    )
    base = {"births": births, "enrolment": enrolment, "capacity": CAPACITY}
    return PlaceData(**{**base, **changes})  # type: ignore[arg-type]


def rows(frame: pl.DataFrame) -> dict[tuple[int, str], dict[str, object]]:
    return {(r["year"], r["stage"]): r for r in frame.iter_rows(named=True)}


def test_forecast_worked_by_hand():
    out = rows(forecast_places(data(), ForecastOptions(years=3)))
    assert sorted(out) == [(y, s) for y in (2023, 2024, 2025) for s in ("junior", "primary")]
    p23, j23 = out[(2023, "primary")], out[(2023, "junior")]
    # E1(2023) = births 2017 (100) × 0.95
    assert p23["intake_rate"] == pytest.approx(0.95)
    assert p23["births"] == 100 and p23["births_source"] == "已知"
    assert p23["entrants"] == pytest.approx(95)
    # 2023 grades: 95, 99×0.95=94.05, 108, 95, 100, 100
    assert p23["enrolment"] == pytest.approx(592.05)
    # E7(2023) = G6(2022) 100 × 0.95; junior: 95, 100×1, 90×0.98=88.2
    assert j23["intake_rate"] == pytest.approx(0.95)
    assert j23["entrants"] == pytest.approx(95)
    assert j23["enrolment"] == pytest.approx(283.2)
    assert j23["births"] is None
    # 2024: 90×0.95=85.5, 95×0.95=90.25, 94.05, 108, 95, 100; junior 95, 95, 100×0.98=98
    assert out[(2024, "primary")]["entrants"] == pytest.approx(85.5)
    assert out[(2024, "primary")]["enrolment"] == pytest.approx(572.8)
    assert out[(2024, "junior")]["enrolment"] == pytest.approx(288)
    # 2025: 80×0.95=76, 85.5×0.95=81.225, 90.25, 94.05, 108, 95; junior 100×0.95=95, 95, 95×0.98=93.1
    assert out[(2025, "primary")]["entrants"] == pytest.approx(76)
    assert out[(2025, "primary")]["enrolment"] == pytest.approx(544.525)
    assert out[(2025, "junior")]["enrolment"] == pytest.approx(283.1)


def test_capacity_ratios_and_warnings():
    out = rows(forecast_places(data(), ForecastOptions(years=3)))
    p23, j23 = out[(2023, "primary")], out[(2023, "junior")]
    assert p23["entry_ratio"] == pytest.approx(95.0) and p23["warning"] == "黄色"
    assert p23["total_ratio"] == pytest.approx(98.675) and p23["seat_warning"] == "黄色"
    assert j23["entry_ratio"] == pytest.approx(100.0) and j23["warning"] == "红色"  # 100 % belongs to red
    assert j23["total_ratio"] == pytest.approx(94.4) and j23["seat_warning"] == "黄色"
    assert out[(2024, "primary")]["warning"] == "绿色"  # 85.5 %
    assert p23["warning_reason"] is None and p23["stage_label"] == "小学" and p23["scenario"] == "基准"
    assert "队列比率法" in p23["method"]


def test_average_years_option():
    # k = 1: only 2022's ratios — r1 = 99/110 = 0.9, 11→12 = 0.9, r7 = 1.0
    out = rows(forecast_places(data(), ForecastOptions(years=1, average_years=1)))
    assert out[(2023, "primary")]["entrants"] == pytest.approx(90)
    assert out[(2023, "primary")]["enrolment"] == pytest.approx(90 + 99 * 0.9 + 108 + 95 + 100 + 100)
    assert out[(2023, "junior")]["entrants"] == pytest.approx(100)


def test_unknown_births_carry_last_or_projection():
    out = rows(forecast_places(data(), ForecastOptions(years=4)))
    p26 = out[(2026, "primary")]
    assert (p26["births"], p26["births_source"]) == (80, "沿用末年")  # births 2020 unknown → 2019's 80
    assert p26["entrants"] == pytest.approx(76)
    assert out[(2026, "junior")]["entrants"] == pytest.approx(95 * 0.95)  # G6(2025) = 95
    projection = pl.DataFrame({"zone": ["Z"], "year": [2020], "births": [60]})
    opts = ForecastOptions(years=4, unknown_births="projection")
    p26 = rows(forecast_places(data(birth_projection=projection), opts))[(2026, "primary")]
    assert (p26["births"], p26["births_source"], p26["entrants"]) == (60, "预测", pytest.approx(57))
    p26 = rows(forecast_places(data(), opts))[(2026, "primary")]
    assert (p26["births"], p26["births_source"], p26["entrants"]) == (None, "缺失", None)
    assert p26["enrolment"] is None
    assert (p26["warning"], p26["warning_reason"]) == ("不可评估", "缺少出生人口或入学比率，无法预测新生数")


def test_scenario_extra_entrants():
    base = rows(forecast_places(data(), ForecastOptions(years=2)))
    extra = rows(
        forecast_places(data(), ForecastOptions(years=2), Scenario(name="新区入住", extra_entrants=10))
    )
    assert extra[(2023, "primary")]["entrants"] == pytest.approx(95 + 10)
    assert extra[(2023, "primary")]["enrolment"] == pytest.approx(592.05 + 10)
    # the 10 move up to grade 2 at the 11→12 ratio 0.95, and 10 more enter
    assert extra[(2024, "primary")]["enrolment"] == pytest.approx(572.8 + 10 + 9.5)
    assert extra[(2023, "primary")]["warning"] == "红色"  # 105 % of 100 places
    assert extra[(2023, "primary")]["seat_warning"] == "红色"  # 602.05 of 600
    assert extra[(2023, "junior")]["enrolment"] == base[(2023, "junior")]["enrolment"]
    assert extra[(2023, "primary")]["scenario"] == "新区入住"
    assert "一年级新增迁入10人" in extra[(2023, "primary")]["method"]


def test_scenario_entry_rate_and_junior_extra():
    out = rows(forecast_places(data(), ForecastOptions(years=2), Scenario(entry_rate_change_pct=10)))
    assert out[(2023, "primary")]["intake_rate"] == pytest.approx(1.045)
    assert out[(2023, "primary")]["entrants"] == pytest.approx(104.5)
    assert out[(2024, "primary")]["entrants"] == pytest.approx(94.05)
    out = rows(forecast_places(data(), ForecastOptions(years=2), Scenario(extra_junior_entrants=5)))
    assert out[(2023, "junior")]["entrants"] == pytest.approx(100)
    assert out[(2024, "junior")]["enrolment"] == pytest.approx(288 + 5 + 5)
    assert out[(2024, "primary")]["enrolment"] == pytest.approx(572.8)


def test_supplied_junior_entry_ratio():
    ratios = pl.DataFrame({"zone": ["Z"], "ratio": [0.5]})
    out = rows(forecast_places(data(junior_entry_ratios=ratios), ForecastOptions(years=1)))
    assert out[(2023, "junior")]["entrants"] == pytest.approx(50)
    assert out[(2023, "junior")]["intake_rate"] == pytest.approx(0.5)


def test_separate_entrants_frame():
    # 新生 differ from grade-1 enrolment: 100/100, 120/120, 110/110 → r1 = 1.0
    entrants = pl.DataFrame({"zone": ["Z"] * 3, "year": [2020, 2021, 2022], "entrants": [100, 120, 110]})
    out = rows(forecast_places(data(entrants=entrants), ForecastOptions(years=1)))
    assert out[(2023, "primary")]["entrants"] == pytest.approx(100)


def flat(entrants_per_birth: float, entry_places: float) -> dict[str, object]:
    """r1 = entrants_per_birth, births 100 → forecast entrants 100 × r1 against ``entry_places``."""
    births = pl.DataFrame({"zone": ["Q"] * 3, "year": [2014, 2015, 2016], "births": [100, 100, 100]})
    enrolment = pl.DataFrame(
        {
            "zone": ["Q", "Q"],
            "year": [2020, 2021],
            "grade_code": ["11", "11"],
            "pupils": [100 * entrants_per_birth] * 2,
        }
    )
    capacity = pl.DataFrame(
        {"zone": ["Q"], "stage": ["primary"], "entry_places": [entry_places], "total_places": [1000]}
    )
    out = forecast_places(PlaceData(births, enrolment, capacity), ForecastOptions(years=1))
    return out.filter(pl.col("stage") == "primary").row(0, named=True)


@pytest.mark.parametrize(
    ("places", "level"),
    [(100.01, "绿色"), (100, "黄色"), (99.99, "黄色")],  # 90 entrants: 89.99 %, 90 %, 90.01 %
)
def test_yellow_cut_point(places, level):
    assert flat(0.9, places)["warning"] == level


@pytest.mark.parametrize(
    ("places", "level"),
    [(90.01, "黄色"), (90, "红色"), (89.99, "红色")],  # 90 entrants: 99.99 %, 100 %, 100.01 %
)
def test_red_cut_point(places, level):
    assert flat(0.9, places)["warning"] == level


def test_cut_points_are_options():
    births = pl.DataFrame({"zone": ["Q", "Q"], "year": [2014, 2015], "births": [100, 100]})
    enrolment = pl.DataFrame({"zone": ["Q"], "year": [2020], "grade_code": ["11"], "pupils": [80]})
    capacity = pl.DataFrame(
        {"zone": ["Q"], "stage": ["primary"], "entry_places": [100], "total_places": [100]}
    )
    opts = ForecastOptions(years=1, yellow_from=80, red_from=95)
    out = forecast_places(PlaceData(births, enrolment, capacity), opts).row(0, named=True)
    assert (out["entry_ratio"], out["warning"]) == (pytest.approx(80), "黄色")
    assert "80%（含）至95%为黄色预警" in out["method"]


def test_missing_and_zero_capacity():
    no_capacity = rows(forecast_places(data(capacity=None), ForecastOptions(years=1)))[(2023, "primary")]
    assert no_capacity["entry_ratio"] is None
    assert (no_capacity["warning"], no_capacity["warning_reason"]) == ("不可评估", "缺少招生计划数")
    zero = CAPACITY.with_columns(entry_places=pl.lit(0), total_places=pl.lit(0))
    out = rows(forecast_places(data(capacity=zero), ForecastOptions(years=1)))[(2023, "primary")]
    assert out["entry_ratio"] is None and out["total_ratio"] is None
    assert (out["warning"], out["warning_reason"], out["seat_warning"]) == (
        "不可评估",
        "招生计划数为0",
        "不可评估",
    )
    assert out["seat_warning_reason"] == "学位总数为0"
    assert no_capacity["seat_warning_reason"] == "缺少学位总数"


def test_capacity_by_year():
    capacity = pl.DataFrame(
        {"zone": ["Z"], "year": [2024], "stage": ["primary"], "entry_places": [171], "total_places": [600]}
    )
    out = rows(forecast_places(data(capacity=capacity), ForecastOptions(years=2)))
    assert out[(2023, "primary")]["entry_places"] is None
    assert out[(2024, "primary")]["entry_ratio"] == pytest.approx(50)  # 85.5 of 171


def test_zone_without_births_gets_nulls_not_zero():
    enrolment = data().enrolment.vstack(
        pl.DataFrame({"zone": ["Y"], "year": [2022], "grade_code": ["11"], "pupils": [50]})
    )
    out = forecast_places(data(enrolment=enrolment), ForecastOptions(years=1))
    y = out.filter(pl.col("zone") == "Y")
    assert y["entrants"].to_list() == [None, None]
    assert y["enrolment"].to_list() == [None, None]
    assert y["warning"].to_list() == ["不可评估", "不可评估"]


def test_zero_births_year_is_no_observation():
    births = data().births.with_columns(
        births=pl.when(pl.col("year") == 2014).then(0).otherwise(pl.col("births"))
    )
    # 2020's ratio drops out: r1 = (1.0 + 0.9) / 2
    out = rows(forecast_places(data(births=births), ForecastOptions(years=1)))
    assert out[(2023, "primary")]["intake_rate"] == pytest.approx(0.95)
    births = births.with_columns(births=pl.when(pl.col("year") == 2016).then(0).otherwise(pl.col("births")))
    out = rows(forecast_places(data(births=births), ForecastOptions(years=1)))
    assert out[(2023, "primary")]["intake_rate"] == pytest.approx(1.0)


def test_five_four_system():
    rows_ = [("Z", 2022, g, 100) for g in ["11", "12", "13", "14", "15", "21", "22", "23", "24"]]
    rows_ += [("Z", 2021, g, 100) for g in ["11", "12", "13", "14", "15", "21", "22", "23", "24"]]
    enrolment = pl.DataFrame(rows_, schema=["zone", "year", "grade_code", "pupils"], orient="row")
    births = pl.DataFrame({"zone": ["Z"] * 3, "year": [2015, 2016, 2017], "births": [100, 100, 100]})
    out = rows(forecast_places(PlaceData(births, enrolment), ForecastOptions(years=1, system="5-4")))
    assert out[(2023, "primary")]["enrolment"] == pytest.approx(500)
    assert out[(2023, "junior")]["enrolment"] == pytest.approx(400)
    assert "上年5年级在校生" in out[(2023, "junior")]["method"]


def test_bad_inputs_raise():
    with pytest.raises(CoreError):
        forecast_places(data(enrolment=pl.DataFrame({"zone": ["Z"], "year": [2020]})))
    with pytest.raises(CoreError):
        forecast_places(data(), ForecastOptions(years=0))


def test_method_text_names_the_choices():
    text = method_text(ForecastOptions(unknown_births="projection"), Scenario(entry_rate_change_pct=-5))
    assert "出生人口预测数" in text and "入学比率降低5%" in text
