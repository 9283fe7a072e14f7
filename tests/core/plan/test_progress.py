"""Progress against a plan target (``edubrain.core.plan.progress``): path, forecast, status and sentence.

The level examples use numbers that are exact in binary so each boundary is hit exactly: 双师型 60 % (2020)
→ ≥ 85 % (2025) puts the path at 75 in 2023 and the small margin at 5 (20 % of the planned 25 points); two
observations (2022, 2023) put the forecast at 2023 + 2 × slope. 近视率-like 60 → ≤ 50 puts the path at 54 in
2023 and the margin at 2.
"""

from __future__ import annotations

import math

import pytest

from edubrain.core.errors import CoreError
from edubrain.core.plan.progress import (
    ACHIEVED,
    AT_RISK,
    NO_DATA,
    OFF_TRACK,
    ON_TRACK,
    STATUS_LABELS,
    STATUS_RULE,
    STATUS_RULES,
    STATUSES,
    TargetSpec,
    assess,
    fmt,
    linear_forecast,
    margin,
    meets,
    planned_path,
    satisfied,
    target_text,
    yearly_checks,
)

AT_LEAST = TargetSpec(">=", 85, 2025, 60, 2020, "%")
AT_MOST = TargetSpec("<=", 50, 2025, 60, 2020, "%")
NO_BASELINE = TargetSpec(">=", 55, 2025, unit="%")
MYOPIA = TargetSpec("decrease_by", 1, 2025, unit="%")
MYOPIA_WITH_BASE = TargetSpec("decrease_by", 1, 2025, 60, 2020, "%")
NEVER_LESS = TargetSpec("increase_by", 0, 2025, unit="万元")


def status(spec: TargetSpec, observed: dict[int, float | None]) -> str:
    return assess(spec, observed).status


# ---------------------------------------------------------------- the path


def test_path_is_the_straight_line_from_baseline_to_target():
    path = planned_path(AT_LEAST)
    assert path == {2020: 60, 2021: 65, 2022: 70, 2023: 75, 2024: 80, 2025: 85}


def test_path_starts_at_the_first_observation_without_a_baseline():
    path = planned_path(NO_BASELINE, {2021: 45.0, 2022: 47.0, 2023: None})
    assert path[2021] == 45 and path[2025] == 55 and path[2023] == pytest.approx(50)


def test_path_is_empty_without_a_start_or_a_target_year():
    assert planned_path(NO_BASELINE) == {}
    assert planned_path(TargetSpec(">=", 55, None, 40, 2020)) == {}
    assert planned_path(TargetSpec(">=", 55, 2025, 40, 2025)) == {2025: 55}


def test_yearly_path_moves_by_the_yearly_amount():
    assert planned_path(MYOPIA_WITH_BASE) == {2020: 60, 2021: 59, 2022: 58, 2023: 57, 2024: 56, 2025: 55}
    assert planned_path(NEVER_LESS, {2021: 100.0, 2023: 90.0}) == {y: 100 for y in range(2021, 2026)}
    assert planned_path(TargetSpec("decrease_by", 1, None), {2021: 50.0, 2023: 47.0}) == {
        2021: 50,
        2022: 49,
        2023: 48,
    }


# ---------------------------------------------------------------- the forecast


def test_forecast_is_the_least_squares_line():
    forecast = linear_forecast({2021: 1.0, 2022: 2.0, 2023: 2.0, 2024: 4.0}, 2025, "%")
    # x̄ = 2022.5, ȳ = 2.25, slope = Σ(dx·dy)/Σdx² = 4.5 / 5 = 0.9
    assert forecast.slope == pytest.approx(0.9)
    assert forecast.value == pytest.approx(2.25 + 0.9 * 2.5)
    assert forecast.at(2022) == pytest.approx(2.25 - 0.45)
    assert (forecast.points, forecast.first_year, forecast.last_year) == (4, 2021, 2024)
    assert "最小二乘" in forecast.method and "2021—2024年4个年度值" in forecast.method
    assert "每年+0.9个百分点" in forecast.method and "外推至2025年" in forecast.method


def test_forecast_needs_two_years():
    assert linear_forecast({2023: 50.0}, 2025) is None
    assert linear_forecast({2023: 50.0, 2024: None}, 2025) is None
    assert linear_forecast({}, 2025) is None
    assert linear_forecast({2022: 50.0, 2023: float("nan"), 2024: 52.0}, 2025).value == pytest.approx(53)


def test_one_observation_gives_no_forecast():
    progress = assess(AT_LEAST, {2023: 76.0})
    assert progress.forecast is None and progress.status == ON_TRACK
    assert "仅一年数据" in progress.explanation


# ---------------------------------------------------------------- level targets, >=


def test_achieved_at_the_target_and_not_just_below():
    assert status(AT_LEAST, {2022: 70.0, 2023: 85.0}) == ACHIEVED
    assert status(AT_LEAST, {2022: 70.0, 2023: 84.999}) != ACHIEVED
    assert status(AT_LEAST, {2021: 90.0, 2022: 84.0}) != ACHIEVED  # the latest value counts


def test_on_track_on_the_path_with_the_forecast_at_the_target():
    progress = assess(AT_LEAST, {2022: 70.0, 2023: 75.0})  # path 75, forecast 85
    assert progress.status == ON_TRACK and progress.on_path is True
    assert progress.forecast.value == pytest.approx(85)
    assert progress.explanation == (
        "2023年为75%，达到计划路径（2023年应为75%），按趋势预测2025年为85%，能够实现目标（2025年≥85%）。"
    )


def test_just_behind_the_path_with_the_forecast_met_is_at_risk():
    progress = assess(AT_LEAST, {2022: 69.9, 2023: 74.95})  # forecast 85.05
    assert progress.on_path is False and progress.status == AT_RISK
    assert "落后于计划路径" in progress.explanation and "但按趋势预测" in progress.explanation


def test_on_the_path_missing_by_the_margin_is_at_risk_beyond_it_off_track():
    assert margin(AT_LEAST, 60) == 5
    exactly = assess(AT_LEAST, {2022: 72.5, 2023: 75.0})  # forecast 80: 5 short
    assert exactly.forecast.value == 80 and exactly.status == AT_RISK
    assert "但按趋势预测2025年为80%，距目标（2025年≥85%）差5个百分点" in exactly.explanation
    assert status(AT_LEAST, {2022: 72.6, 2023: 75.0}) == OFF_TRACK  # forecast 79.8: 5.2 short


def test_behind_the_path_and_missing_is_off_track_even_by_a_little():
    assert status(AT_LEAST, {2022: 70.0, 2023: 74.9}) == OFF_TRACK  # forecast 84.7


def test_forecast_just_short_of_the_target_while_on_the_path_is_at_risk():
    assert status(AT_LEAST, {2022: 70.1, 2023: 75.0}) == AT_RISK  # forecast 84.8


def test_one_observation_uses_the_path_only():
    assert status(AT_LEAST, {2023: 75.0}) == ON_TRACK
    assert status(AT_LEAST, {2023: 74.9}) == AT_RISK


def test_one_observation_without_a_baseline_cannot_be_judged():
    progress = assess(NO_BASELINE, {2023: 50.0})
    assert progress.status == NO_DATA and progress.latest == 50 and progress.latest_year == 2023
    assert "无法判断" in progress.explanation


def test_without_a_baseline_the_first_observation_starts_the_path():
    # path 45 (2021) → 55 (2025): 2024 at 52.5
    assert status(NO_BASELINE, {2021: 45.0, 2022: 47.0, 2023: 49.0, 2024: 51.0}) == OFF_TRACK
    assert status(NO_BASELINE, {2021: 50.0, 2022: 52.0, 2023: 53.7, 2024: 54.2}) == ON_TRACK


def test_target_year_reached_without_the_target_is_off_track():
    progress = assess(AT_LEAST, {2024: 84.0, 2025: 84.9})
    assert progress.status == OFF_TRACK and progress.explanation.startswith("目标年2025年为84.9%")


def test_years_outside_the_plan_period_are_not_judged():
    assert status(AT_LEAST, {2019: 90.0}) == NO_DATA
    assert status(AT_LEAST, {2024: 80.0, 2026: 70.0}) == ON_TRACK  # 2026 is after the target year


def test_no_data_and_unquantified_targets():
    assert status(AT_LEAST, {}) == NO_DATA
    assert status(AT_LEAST, {2022: None, 2023: float("nan")}) == NO_DATA
    progress = assess(TargetSpec(">=", None, 2025), {2023: 50.0})
    assert progress.status == NO_DATA and "未给出数值" in progress.explanation


def test_no_target_year_is_achieved_or_at_risk():
    spec = TargetSpec(">=", 55, None, unit="%")
    assert status(spec, {2023: 56.0}) == ACHIEVED
    progress = assess(spec, {2022: 50.0, 2023: 54.0})
    assert progress.status == AT_RISK and "未规定年份" in progress.explanation


# ---------------------------------------------------------------- level targets, <= and =


def test_at_most_boundaries():
    assert margin(AT_MOST, 60) == 2
    assert status(AT_MOST, {2022: 52.0, 2023: 50.0}) == ACHIEVED
    assert status(AT_MOST, {2022: 52.0, 2023: 50.01}) != ACHIEVED
    assert status(AT_MOST, {2022: 56.0, 2023: 54.0}) == ON_TRACK  # path 54, forecast 50
    assert status(AT_MOST, {2022: 57.0, 2023: 54.5}) == AT_RISK  # behind, forecast 49.5
    assert status(AT_MOST, {2022: 55.0, 2023: 54.0}) == AT_RISK  # on the path, forecast 52: 2 over
    assert status(AT_MOST, {2022: 54.5, 2023: 54.0}) == OFF_TRACK  # forecast 53: 3 over
    assert status(AT_MOST, {2022: 55.0, 2023: 55.0}) == OFF_TRACK  # behind, forecast 55


def test_equal_targets_allow_two_percent():
    spec = TargetSpec("=", 100, 2025, 120, 2020)
    assert satisfied(spec, 102) and satisfied(spec, 98)
    assert not satisfied(spec, 102.5) and not satisfied(spec, 97.5)
    assert status(spec, {2022: 110.0, 2023: 101.0}) == ACHIEVED
    progress = assess(spec, {2022: 116.0, 2023: 112.0})  # path 108, forecast 104: 4 away
    assert progress.status == OFF_TRACK and "差4" in progress.explanation
    assert status(spec, {2022: 112.0, 2023: 108.0}) == ON_TRACK  # path 108, forecast 100


def test_margin_floor_when_the_plan_foresees_no_change():
    spec = TargetSpec(">=", 99, 2025, 99, 2020, "%")
    assert margin(spec, 99) == pytest.approx(0.99)
    assert margin(NO_BASELINE, None) == pytest.approx(0.55)


# ---------------------------------------------------------------- yearly targets


def test_yearly_decrease_at_exactly_one_point_is_met():
    checks = yearly_checks(MYOPIA, {2021: 60.0, 2022: 59.0, 2023: 58.01})
    assert [(c.year, c.previous_year, c.met) for c in checks] == [(2022, 2021, True), (2023, 2022, False)]
    assert checks[0].change == -1 and checks[0].required == -1


def test_yearly_missing_year_requires_the_change_of_both_years():
    assert [c.met for c in yearly_checks(MYOPIA, {2021: 60.0, 2023: 58.0})] == [True]
    checks = yearly_checks(MYOPIA, {2021: 60.0, 2022: None, 2023: 58.1})
    assert [(c.year, c.previous_year, c.required, c.met) for c in checks] == [(2023, 2021, -2, False)]
    assert "中间1年无数据" in assess(MYOPIA, {2021: 60.0, 2023: 58.1}).explanation


def test_yearly_baseline_stands_in_for_an_unobserved_baseline_year():
    checks = yearly_checks(MYOPIA_WITH_BASE, {2021: 59.0})
    assert [(c.previous_year, c.previous, c.met) for c in checks] == [(2020, 60, True)]
    observed = yearly_checks(MYOPIA_WITH_BASE, {2020: 62.0, 2021: 61.5})  # the observation wins
    assert [(c.previous, c.met) for c in observed] == [(62, False)]


def test_yearly_on_track_and_achieved():
    progress = assess(MYOPIA, {2021: 60.0, 2022: 58.5, 2023: 57.2})
    assert progress.status == ON_TRACK and progress.missed_years == []
    assert progress.explanation == "2021—2023年逐年比较，每年均降低不少于1个百分点。"
    done = assess(MYOPIA, {2020 + i: 60.0 - i for i in range(6)})
    assert done.status == ACHIEVED and "目标已达成" in done.explanation


def test_yearly_earlier_miss_with_the_latest_met_is_at_risk():
    progress = assess(MYOPIA, {2021: 60.0, 2022: 59.5, 2023: 57.2})
    assert progress.status == AT_RISK and progress.missed_years == [2022]
    assert progress.explanation == (
        "2022年未降低不少于1个百分点（2022年比2021年降低0.5个百分点），但2023年已降低不少于1个百分点。"
    )


def test_yearly_latest_miss_with_the_cumulative_change_on_the_path_is_at_risk():
    progress = assess(MYOPIA, {2021: 60.0, 2022: 57.0, 2023: 57.5})  # path 58 in 2023
    assert progress.status == AT_RISK and progress.on_path is True
    assert "累计变化不落后于计划路径（2023年应不高于58%）" in progress.explanation


def test_yearly_latest_miss_behind_the_path_is_off_track():
    progress = assess(MYOPIA, {2021: 60.0, 2022: 58.0, 2023: 58.3})
    assert progress.status == OFF_TRACK and progress.on_path is False
    assert progress.explanation == (
        "2023年未降低不少于1个百分点（2023年比2022年上升0.3个百分点），累计变化落后于计划路径（2023年应不高于58%）。"
    )
    assert status(MYOPIA, {2021: 60.0, 2022: 58.0, 2023: 58.0}) == AT_RISK  # 持平 but exactly on the path


def test_yearly_any_miss_when_the_period_is_over_is_off_track():
    observed = {2021: 60.0, 2022: 59.5, 2023: 58.0, 2024: 57.0, 2025: 56.0}
    progress = assess(MYOPIA, observed)
    assert progress.status == OFF_TRACK and progress.explanation.startswith("规划期内2022年未降低")


def test_yearly_needs_two_years():
    assert status(MYOPIA, {2023: 50.0}) == NO_DATA
    assert status(MYOPIA, {}) == NO_DATA
    assert "至少需要两个年份" in assess(MYOPIA, {2023: 50.0}).explanation
    assert status(MYOPIA_WITH_BASE, {2021: 59.0}) == ON_TRACK  # the baseline makes the second year


def test_never_less_allows_equal_and_flags_a_fall():
    assert status(NEVER_LESS, {2021: 100.0, 2022: 100.0, 2023: 120.0}) == ON_TRACK
    progress = assess(NEVER_LESS, {2021: 100.0, 2022: 120.0, 2023: 119.0})
    assert progress.status == AT_RISK  # still above the flat path from 2021
    assert progress.explanation.startswith("2023年比上一年减少（2023年比2022年降低1万元）")
    assert status(NEVER_LESS, {2021: 100.0, 2022: 99.0}) == OFF_TRACK


def test_yearly_increase_by_an_amount():
    spec = TargetSpec("increase_by", 2, 2025)
    assert [c.met for c in yearly_checks(spec, {2021: 10.0, 2022: 12.0, 2023: 13.99})] == [True, False]


def test_yearly_forecast_is_drawn_from_observations_only():
    progress = assess(MYOPIA_WITH_BASE, {2021: 59.0, 2022: 58.0})
    assert progress.forecast is not None and progress.forecast.first_year == 2021
    assert progress.forecast.value == pytest.approx(55)


# ---------------------------------------------------------------- texts and validation


def test_target_texts():
    assert target_text(AT_LEAST) == "≥85%（2025年）"
    assert target_text(AT_LEAST, with_year=False) == "≥85%"
    assert target_text(TargetSpec("<=", 1.02, 2025)) == "≤1.02（2025年）"
    assert target_text(TargetSpec("=", 1.1, 2025, unit="万人")) == "≈1.1万人（2025年）"
    assert target_text(MYOPIA) == "每年降低不少于1个百分点"
    assert target_text(NEVER_LESS) == "逐年只增不减"
    assert target_text(TargetSpec("increase_by", 5, 2025, unit="万元")) == "每年提高不少于5万元"
    assert target_text(TargetSpec(">=", None)) == "未量化"


def test_numbers_are_written_as_the_plan_writes_them():
    assert [fmt(55.0), fmt(1.37), fmt(0.5), fmt(83.8333), fmt(-0.001)] == ["55", "1.37", "0.5", "83.83", "0"]


def test_the_rule_names_every_status():
    assert [s for s, _, _ in STATUS_RULES] == list(STATUSES)
    for label in STATUS_LABELS.values():
        assert label in STATUS_RULE
    assert "最小二乘" in STATUS_RULE and "20%" in STATUS_RULE and "逐年" in STATUS_RULE


def test_every_status_has_a_sentence():
    cases = [
        (AT_LEAST, {2022: 70.0, 2023: 85.0}),
        (AT_LEAST, {2022: 70.0, 2023: 75.0}),
        (AT_LEAST, {2022: 72.5, 2023: 75.0}),
        (AT_LEAST, {2022: 72.0, 2023: 74.0}),
        (AT_LEAST, {}),
    ]
    seen = {assess(spec, observed).status: assess(spec, observed).explanation for spec, observed in cases}
    assert set(seen) == set(STATUSES)
    assert all(text.endswith("。") and not math.isnan(len(text)) for text in seen.values())


def test_bad_targets_are_refused_in_chinese():
    with pytest.raises(CoreError) as err:
        TargetSpec(">", 1)
    assert err.value.code == "plan.comparator" and "未知的目标比较方式" in err.value.message
    with pytest.raises(CoreError):
        TargetSpec("decrease_by", -1)


# ---------------------------------------------------------------- as published; path and forecast always


def test_values_are_judged_as_published():
    spec = TargetSpec(">=", 18, 2025, 16, 2020, "%", decimals=1)
    assert status(spec, {2024: 17.5, 2025: 17.95}) == ACHIEVED  # published 18.0
    assert status(spec, {2024: 17.5, 2025: 17.94}) == OFF_TRACK  # published 17.9
    assert status(TargetSpec(">=", 18, 2025, 16, 2020, "%"), {2025: 17.95}) == OFF_TRACK  # unrounded


def test_meets_judges_each_value_as_published():
    spec = TargetSpec(">=", 55, 2025, unit="%", decimals=1)
    assert meets(spec, [55.0, 54.95, 54.94, None]) == [True, True, False, None]
    assert meets(TargetSpec("<=", 50, 2025), [50.0, 50.01]) == [True, False]
    assert meets(MYOPIA, [50.0]) == [None]


def test_path_and_forecast_come_with_every_judged_status():
    achieved = assess(AT_LEAST, {2022: 70.0, 2023: 85.0})
    assert achieved.path[2023] == 75 and achieved.forecast.value == pytest.approx(115)
    late = assess(AT_LEAST, {2024: 80.0, 2025: 84.0})
    assert late.status == OFF_TRACK and late.path[2025] == 85 and late.forecast is None  # nothing to foresee
