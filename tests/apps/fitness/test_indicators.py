"""Plan indicators 优良率 and 合格率 per county, 镇/街道 and school: values, numerators, denominators and
scope."""

from __future__ import annotations

import polars as pl

from edubrain.fitness.indicators import EXCELLENT_GOOD, INDICATORS, PASS, SCHEMA, indicator_values


def table(frame: pl.DataFrame) -> dict[tuple[int, int, str], tuple[float | None, int, int]]:
    return {(r["org_unit_id"], r["year"], r["indicator"]): (r["value"], r["numerator"], r["denominator"])
            for r in frame.to_dicts()}


def test_metadata():
    eg, ps = INDICATORS[EXCELLENT_GOOD], INDICATORS[PASS]
    assert (eg.code, eg.name, eg.unit, eg.target, eg.target_year, eg.comparator) == (
        "fitness_excellent_good_rate", "学生体质健康优良率", "%", 55, 2025, ">=")
    assert (ps.code, ps.target, ps.comparator) == ("fitness_pass_rate", 95, ">=")
    assert eg.reached(55.0) is True and eg.reached(54.9) is False and eg.reached(None) is None
    assert "免测" in eg.denominator


def test_values_for_county_towns_and_schools(fit):
    frame = indicator_values(fit.users.admin, [2025])
    assert frame.schema == pl.Schema(SCHEMA)
    values = table(frame)
    assert values[(fit.county.pk, 2025, EXCELLENT_GOOD)] == (57.1, 4, 7)
    assert values[(fit.county.pk, 2025, PASS)] == (71.4, 5, 7)
    assert values[(fit.town_a.pk, 2025, EXCELLENT_GOOD)] == (50.0, 3, 6)
    assert values[(fit.town_b.pk, 2025, PASS)] == (100.0, 1, 1)
    assert values[(fit.primary.org_unit_id, 2025, EXCELLENT_GOOD)] == (50.0, 2, 4)  # 免测 s5 not counted
    assert values[(fit.nine.org_unit_id, 2025, PASS)] == (50.0, 1, 2)
    assert values[(fit.junior.org_unit_id, 2025, PASS)] == (100.0, 1, 1)  # 缺项 and 数据有误 not counted
    units = {k[0] for k in values}
    assert units == {fit.county.pk, fit.town_a.pk, fit.town_b.pk, fit.primary.org_unit_id,
                     fit.nine.org_unit_id, fit.junior.org_unit_id}
    assert len(frame) == 2 * len(units)


def test_every_year_by_default(fit):
    values = table(indicator_values(fit.users.admin))
    assert values[(fit.county.pk, 2024, EXCELLENT_GOOD)] == (40.0, 2, 5)
    assert values[(fit.county.pk, 2024, PASS)] == (80.0, 4, 5)


def test_without_a_user_every_county_is_included(fit, demo):
    frame = indicator_values(years=[2025])
    values = table(frame)
    assert values[(fit.county.pk, 2025, EXCELLENT_GOOD)] == (57.1, 4, 7)
    assert (demo.county.pk, 2025, EXCELLENT_GOOD) in values


def test_scope_of_a_school_administrator(fit):
    values = table(indicator_values(fit.users.primary))
    assert {k[0] for k in values} == {fit.primary.org_unit_id}  # never a county figure built from one school
    assert values[(fit.primary.org_unit_id, 2024, EXCELLENT_GOOD)] == (40.0, 2, 5)


def test_a_unit_without_tested_pupils_has_a_null_value(fit):
    from edubrain.fitness.models import FitnessMeasurement

    FitnessMeasurement.objects.filter(school=fit.junior).update(status="exempt", total_score=None, rating="")
    values = table(indicator_values(fit.users.admin, [2025]))
    assert values[(fit.junior.org_unit_id, 2025, PASS)] == (None, 0, 0)
    assert values[(fit.town_b.pk, 2025, EXCELLENT_GOOD)] == (None, 0, 0)


def test_no_data(fit):
    assert indicator_values(fit.users.admin, [2019]).height == 0
