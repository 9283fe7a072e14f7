"""Splitting 一贯制 and 完全中学 schools (standards.md §1.5), default weights 1 : 1.1 : 1.32, by hand."""

from __future__ import annotations

import pytest

from edubrain.core.balance.cv import evaluate
from edubrain.core.balance.indicators import BalanceOptions
from edubrain.core.balance.split import split_combined

from .schools import frame


def nine_year(**extra: object) -> dict:
    row: dict = {
        "学校标识码": "j9",
        "学校名称": "一贯制学校",
        "学段": "九年一贯制",
        "在校生数": 1000,
        "小学在校生数": 600,
        "初中在校生数": 400,
        "高于规定学历教师数": 54,
        "小学高于规定学历教师数": 30,
        "初中高于规定学历教师数": 24,
        "县级以上骨干教师数": 10,
        "体育艺术专任教师数": 10,
        "教学及辅助用房面积": 5200,
        "体育运动场馆面积": 10400,
        "教学仪器设备值": 2_600_000,
        "网络多媒体教室数": 26,
    }
    row.update(extra)
    return row


def test_nine_year_school_split_by_weighted_enrolment() -> None:
    # weighted pupils 600 + 1.1 × 400 = 1040; 小学 share 600/1040, 初中 share 440/1040
    out = split_combined(frame(nine_year()))
    assert out["学段"].to_list() == ["小学", "初中"]
    assert out["在校生数"].to_list() == [600, 400]
    assert out["教学仪器设备值"].to_list() == pytest.approx([1_500_000, 1_100_000])
    assert out["教学及辅助用房面积"].to_list() == pytest.approx([3000, 2200])
    assert out["网络多媒体教室数"].to_list() == pytest.approx([15, 11])
    # teachers given per stage are taken as they are, not split
    assert out["高于规定学历教师数"].to_list() == [30, 24]
    # teachers given only in total are split by the same share (and 备注 says so)
    assert out["县级以上骨干教师数"].to_list() == pytest.approx([10 * 600 / 1040, 10 * 440 / 1040])
    assert all("教师数未分学段填写" in n for n in out["备注"].to_list())
    assert "小学份额 0.5769" in out["备注"][0]


def test_split_school_values() -> None:
    schools = evaluate(frame(nine_year())).schools
    # 小学 1,500,000 / 600 = 2500 元; 初中 1,100,000 / 400 = 2750 元;
    # 小学 30/600×100 = 5.0; 初中 24/400×100 = 6.0
    assert schools["生均教学仪器设备值"].to_list() == pytest.approx([2500, 2750])
    assert schools["每百名学生拥有高于规定学历教师数"].to_list() == pytest.approx([5.0, 6.0])
    assert schools["学校标识码"].to_list() == ["j9", "j9"]


def test_configurable_weights() -> None:
    # equal weights: 小学 share 600/1000
    out = split_combined(frame(nine_year()), BalanceOptions(stage_weights=(1.0, 1.0, 1.0)))
    assert out["教学仪器设备值"].to_list() == pytest.approx([1_560_000, 1_040_000])


def test_complete_secondary_school_keeps_only_the_junior_share() -> None:
    # 初中 share = 500 / (500 + 1.2 × 500) = 1.1·500 / (1.1·500 + 1.32·500) = 0.4545…
    row = nine_year(
        学段="完全中学", 小学在校生数=None, 初中在校生数=500, 高中在校生数=500, 教学仪器设备值=2_200_000
    )
    out = split_combined(frame(row))
    assert out["学段"].to_list() == ["初中"]
    assert out["教学仪器设备值"].to_list() == pytest.approx([1_000_000])
    assert out["在校生数"].to_list() == [500]


def test_twelve_year_school() -> None:
    # weighted 600 + 1.1×400 + 1.32×500 = 1700; 小学 600/1700, 初中 440/1700 of 3,400,000 元
    row = nine_year(学段="十二年一贯制", 高中在校生数=500, 教学仪器设备值=3_400_000)
    out = split_combined(frame(row))
    assert out["学段"].to_list() == ["小学", "初中"]
    assert out["教学仪器设备值"].to_list() == pytest.approx([1_200_000, 880_000])


def test_nine_year_row_without_stage_enrolments_is_an_error_row_in_both_stages() -> None:
    row = nine_year(小学在校生数=None, 初中在校生数=None)
    result = evaluate(frame(row, {**nine_year(), "学校标识码": "ok", "学校名称": "另一校"}))
    bad = result.schools.filter(result.schools["学校标识码"] == "j9")
    assert bad["学段"].to_list() == ["小学", "初中"]
    assert bad["是否达标"].to_list() == ["不可评估", "不可评估"]
    assert "须分别填写小学在校生数、初中在校生数" in bad["备注"][0]
    # it was not silently dropped: both stages' 差异系数 are 不可评估 and name it
    assert set(result.cvs["是否达标"].to_list()) == {"不可评估"}
    assert all("一贯制学校（j9）" in n for n in result.cvs["备注"].to_list())


def test_teachers_without_stage_split_can_be_refused() -> None:
    out = evaluate(frame(nine_year()), BalanceOptions(split_teachers=False)).schools
    assert out["是否达标"].to_list() == ["不可评估", "不可评估"]
    assert "教师数未分学段填写" in out["备注"][0]
