"""Gap amounts in natural units and what-if (before/after) for the 资源配置 test."""

from __future__ import annotations

import pytest

from edubrain.core.balance.cv import evaluate
from edubrain.core.balance.gap import Move, gaps, what_if

from .schools import frame, school
from .test_cv import L6, cv_row, s11_rows


def test_gap_of_section_11_school_d() -> None:
    # D: 150 pupils, 1300 元 per pupil; (2000 − 1300) × 150 = 105,000 元
    out = gaps(evaluate(frame(*s11_rows())).schools)
    assert out.select("学校标识码", "指标", "单位", "现值", "标准值", "缺口").to_dicts() == [
        {"学校标识码": "D", "指标": L6, "单位": "元", "现值": 1300.0, "标准值": 2000.0, "缺口": 105_000.0}
    ]  # B (1800) is below 2000 too but passes the school rule, so it is not listed by default
    everyone = gaps(evaluate(frame(*s11_rows())).schools, failing_only=False)
    assert everyone["学校标识码"].to_list() == ["B", "D"]
    assert everyone["缺口"].to_list() == [160_000, 105_000]  # (2000 − 1800) × 800


def test_gaps_round_teachers_and_rooms_up() -> None:
    # 950 pupils: L1 needs 4.2 × 9.5 = 39.9 teachers, has 38 → 1.9 → 2 persons
    # L2 needs 1.0 × 9.5 = 9.5, has 5 → 4.5 → 5 persons
    # L4 needs 4.5 × 950 = 4275 m², has 4000 → 275 m²
    # L7 needs 2.3 × 9.5 = 21.85 rooms, has 20 → 1.85 → 2 rooms
    row = school(
        "g",
        "小学",
        950,
        高于规定学历教师数=38,
        县级以上骨干教师数=5,
        教学及辅助用房面积=4000,
        网络多媒体教室数=20,
    )
    out = gaps(evaluate(frame(row)).schools)
    got = dict(zip(out["指标"].to_list(), out["缺口"].to_list(), strict=True))
    assert got == {
        "每百名学生拥有高于规定学历教师数": 2,
        "每百名学生拥有县级以上骨干教师数": 5,
        "生均教学及辅助用房面积": 275,
        "每百名学生拥有网络多媒体教室数": 2,
    }


def test_an_exact_whole_gap_is_not_rounded_past_itself() -> None:
    # 500 pupils, L1 4.2 × 5 = 21 teachers needed (4.2 × 500 / 100 = 21.000000000000004 in binary), has 18 → 3
    # L2 at 0.5 (below the 85 % floor) makes the school fail so it is listed
    row = school("h", "小学", 500, 高于规定学历教师数=18, 县级以上骨干教师数=2.5)
    out = gaps(evaluate(frame(row)).schools)
    got = dict(zip(out["指标"].to_list(), out["缺口"].to_list(), strict=True))
    assert got["每百名学生拥有高于规定学历教师数"] == 3
    assert got["每百名学生拥有县级以上骨干教师数"] == 3  # 5 − 2.5 = 2.5 → 3


def test_what_if_closing_the_gap_of_d() -> None:
    before = evaluate(frame(*s11_rows()))
    after = what_if(frame(*s11_rows()), {"D": {"教学仪器设备值": 300_000}})
    row = cv_row(after.cvs, "小学", L6)
    # county 5,880,000 / 2510 = 2342.63; CV recomputed by hand = 0.2047
    assert row["县均值"] == pytest.approx(5_880_000 / 2510)
    assert round(row["差异系数"], 4) == 0.2047
    assert row["差异系数"] < cv_row(before.cvs, "小学", L6)["差异系数"]
    assert after.schools["是否达标"].to_list() == ["是"] * 5
    assert before.schools["是否达标"][3] == "否"


def test_what_if_moving_pupils_evens_out_the_schools() -> None:
    # A 3000 元, B 1000 元 per pupil, 1000 pupils each: x̄ 2000, S 1000, CV 0.5.
    # Move 200 pupils from B to A: A 1200 pupils → 2500, B 800 → 1250; x̄ 2000;
    # S² = 0.6 × 500² + 0.4 × 750² = 375,000; CV = sqrt(375,000) / 2000 = 0.30619
    rows = frame(school("A", 教学仪器设备值=3_000_000), school("B", 教学仪器设备值=1_000_000))
    before = cv_row(evaluate(rows).cvs, "小学", L6)["差异系数"]
    after = what_if(rows, {}, move=Move("B", "A", 200))
    assert before == pytest.approx(0.5)
    assert cv_row(after.cvs, "小学", L6)["差异系数"] == pytest.approx(375_000**0.5 / 2000)
    assert after.schools["在校生数"].to_list() == [1200, 800]
    assert after.schools[L6].to_list() == pytest.approx([2500, 1250])


def test_what_if_change_by_stage_of_a_split_school() -> None:
    rows = frame(school("x", "小学", 教学仪器设备值=1_000_000), school("x", "初中", 教学仪器设备值=1_000_000))
    after = what_if(rows, {"x/初中": {"教学仪器设备值": 3_000_000}})
    assert after.schools[L6].to_list() == pytest.approx([1000, 3000])
