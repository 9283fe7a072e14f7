"""The plan's totals follow Table 1 of the plan (2020 within 3%, 2025 near the 2025 targets)."""

from __future__ import annotations

import pytest

from edubrain.demo.targets import STAGE_TOTALS, TEACHER_TARGETS

TABLE1_2020 = {"kindergarten": 17_000, "compulsory": 39_000, "upper_secondary": 13_700, "vocational": 3_100}
TABLE1_2025 = {"kindergarten": 11_000, "compulsory": 45_000, "upper_secondary": 13_000, "vocational": 3_400}


@pytest.mark.parametrize("stage", sorted(TABLE1_2020))
def test_2020_totals_within_3_percent_of_table_1(full_plan, stage):
    got = full_plan.headline(2020)[stage]
    assert abs(got - TABLE1_2020[stage]) <= 0.03 * TABLE1_2020[stage], (stage, got)


@pytest.mark.parametrize("stage", sorted(TABLE1_2025))
def test_2025_totals_near_2025_targets(full_plan, stage):
    got = full_plan.headline(2025)[stage]
    assert abs(got - TABLE1_2025[stage]) <= 0.03 * TABLE1_2025[stage], (stage, got)


def test_targets_module_matches_table_1():
    assert {k: v[0] for k, v in STAGE_TOTALS.items()} == TABLE1_2020
    assert {k: v[1] for k, v in STAGE_TOTALS.items()} == TABLE1_2025


def test_totals_move_year_by_year_toward_2025(full_plan):
    series = [full_plan.headline(y) for y in range(2020, 2026)]
    kg = [h["kindergarten"] for h in series]
    cmp = [h["compulsory"] for h in series]
    voc = [h["vocational"] for h in series]
    assert kg == sorted(kg, reverse=True) and kg[0] > kg[-1]
    assert cmp == sorted(cmp) and cmp[0] < cmp[-1]
    assert voc == sorted(voc) and voc[0] < voc[-1]


@pytest.mark.parametrize("year,index", [(2020, 0), (2025, 1)])
def test_teacher_qualification_shares_near_table_1(full_plan, year, index):
    shares = full_plan.teacher_shares(year)
    for key, pair in TEACHER_TARGETS.items():
        tolerance = 0.02 if key == "urban_rural_ratio" else 0.015
        assert shares[key] == pytest.approx(pair[index], abs=tolerance), (year, key, shares[key])


def test_teacher_shares_improve_over_the_period(full_plan):
    first, last = full_plan.teacher_shares(2020), full_plan.teacher_shares(2025)
    assert last["preschool_major"] > first["preschool_major"]
    assert last["dual_qualified"] > first["dual_qualified"]
    assert last["urban_rural_ratio"] < first["urban_rural_ratio"]


def test_pupil_teacher_ratios_are_plausible(full_plan):
    h = full_plan.headline(2020)
    pupils = h["kindergarten"] + h["compulsory"] + h["upper_secondary"]
    assert 10 < pupils / h["teachers"] < 18
