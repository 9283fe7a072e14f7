"""The seven indicators per school (standards.md §1.2) and the pass rule (§1.3): every threshold at, just
above and just below, for both stages; 6 of 7 met and the rest ≥ 85 %; zero pupils; missing data."""

from __future__ import annotations

import pytest

from edubrain.core.balance.indicators import INDICATORS, BalanceOptions, school_values

from .schools import frame, school

NAMES = [i.name for i in INDICATORS]

# (stage, indicator name, resource column, R at the threshold, just above, just below) for 1000 pupils:
# x = 100·R/1000 for the 每百名 indicators, R/1000 for the 生均 ones.
CASES = [
    ("小学", "每百名学生拥有高于规定学历教师数", "高于规定学历教师数", 42, 43, 41),  # 4.2
    ("小学", "每百名学生拥有县级以上骨干教师数", "县级以上骨干教师数", 10, 11, 9),  # 1.0
    ("小学", "每百名学生拥有体育、艺术(美术、音乐)专任教师数", "体育艺术专任教师数", 9, 10, 8),  # 0.9
    ("小学", "生均教学及辅助用房面积", "教学及辅助用房面积", 4500, 4501, 4499),  # 4.5 m²
    ("小学", "生均体育运动场馆面积", "体育运动场馆面积", 7500, 7501, 7499),  # 7.5 m²
    ("小学", "生均教学仪器设备值", "教学仪器设备值", 2_000_000, 2_000_001, 1_999_999),  # 2000 元
    ("小学", "每百名学生拥有网络多媒体教室数", "网络多媒体教室数", 23, 24, 22),  # 2.3 间
    ("初中", "每百名学生拥有高于规定学历教师数", "高于规定学历教师数", 53, 54, 52),  # 5.3
    ("初中", "每百名学生拥有县级以上骨干教师数", "县级以上骨干教师数", 10, 11, 9),  # 1.0
    ("初中", "每百名学生拥有体育、艺术(美术、音乐)专任教师数", "体育艺术专任教师数", 9, 10, 8),  # 0.9
    ("初中", "生均教学及辅助用房面积", "教学及辅助用房面积", 5800, 5801, 5799),  # 5.8 m²
    ("初中", "生均体育运动场馆面积", "体育运动场馆面积", 10200, 10201, 10199),  # 10.2 m²
    ("初中", "生均教学仪器设备值", "教学仪器设备值", 2_500_000, 2_500_001, 2_499_999),  # 2500 元
    ("初中", "每百名学生拥有网络多媒体教室数", "网络多媒体教室数", 24, 25, 23),  # 2.4 间
]


def test_the_seven_indicators_in_order_with_their_chinese_names_and_factors() -> None:
    assert NAMES == [
        "每百名学生拥有高于规定学历教师数",
        "每百名学生拥有县级以上骨干教师数",
        "每百名学生拥有体育、艺术(美术、音乐)专任教师数",
        "生均教学及辅助用房面积",
        "生均体育运动场馆面积",
        "生均教学仪器设备值",
        "每百名学生拥有网络多媒体教室数",
    ]
    assert [i.factor for i in INDICATORS] == [100, 100, 100, 1, 1, 1, 100]
    assert [(i.primary, i.junior) for i in INDICATORS] == [
        (4.2, 5.3), (1.0, 1.0), (0.9, 0.9), (4.5, 5.8), (7.5, 10.2), (2000, 2500), (2.3, 2.4)
    ]  # fmt: skip


@pytest.mark.parametrize(("stage", "name", "column", "at", "above", "below"), CASES)
def test_threshold_at_just_above_and_just_below(
    stage: str, name: str, column: str, at: float, above: float, below: float
) -> None:
    rows = [
        school(f"{stage}{k}", stage, 1000, **{column: r})
        for k, r in (("at", at), ("up", above), ("dn", below))
    ]
    out = school_values(frame(*rows))
    met = out[f"{name}达标"].to_list()
    assert met == [True, True, False]
    factor = 100 if name.startswith("每百名") else 1
    assert out[name].to_list() == pytest.approx(
        [factor * at / 1000, factor * above / 1000, factor * below / 1000]
    )
    # every other indicator is comfortably met: 7, 7 and 6 met; the one below is within 85 %, so all pass
    assert out["达标指标数"].to_list() == [7, 7, 6]
    assert out["是否达标"].to_list() == ["是", "是", "是"]


def _l6(rows: list[dict]) -> list[str]:
    return school_values(frame(*rows))["是否达标"].to_list()


def test_six_met_and_the_seventh_at_exactly_85_percent_passes() -> None:
    # 小学 L6 2000 元 × 0.85 = 1700 元 per pupil → 1,700,000 元 for 1000 pupils
    # 小学 L7 2.3 × 0.85 = 1.955 rooms per 100 → 19.55 rooms for 1000 pupils
    # (0.85 × 2.3 is 1.9549999999999998 in binary: the floor must still hold)
    # 初中 L1 5.3 × 0.85 = 4.505 per 100 → 45.05 teachers for 1000 pupils
    rows = [
        school("a", 教学仪器设备值=1_700_000),
        school("b", 网络多媒体教室数=19.55),
        school("c", "初中", 高于规定学历教师数=45.05),
    ]
    out = school_values(frame(*rows))
    assert out["达标指标数"].to_list() == [6, 6, 6]
    assert out["是否达标"].to_list() == ["是", "是", "是"]


def test_six_met_and_the_seventh_at_84_99_percent_fails() -> None:
    # 0.8499 × 2000 × 1000 = 1,699,800 元; 0.8499 × 2.3 × 10 = 19.5477 rooms
    assert _l6([school("a", 教学仪器设备值=1_699_800), school("b", 网络多媒体教室数=19.5477)]) == ["否", "否"]


def test_five_met_fails_even_when_the_other_two_are_above_85_percent() -> None:
    # L6 1800 元 (90 %) and L7 2.07 rooms per 100 (90 %): 5 met
    out = school_values(frame(school("a", 教学仪器设备值=1_800_000, 网络多媒体教室数=20.7)))
    assert out["达标指标数"].to_list() == [5]
    assert out["是否达标"].to_list() == ["否"]


def test_the_rule_is_configurable() -> None:
    strict = BalanceOptions(min_met=7)
    out = school_values(frame(school("a", 教学仪器设备值=1_900_000)), strict)
    assert out["是否达标"].to_list() == ["否"]
    raised = BalanceOptions(thresholds=(("L6", "小学", 2600.0),))
    out = school_values(frame(school("a")), raised)  # 2500 < 2600 but ≥ 85 %
    assert out["生均教学仪器设备值达标"].to_list() == [False]
    assert out["是否达标"].to_list() == ["是"]


def test_zero_or_missing_pupils_is_not_evaluable_without_dividing() -> None:
    out = school_values(frame(school("z", pupils=0, 教学仪器设备值=500_000), school("n", pupils=None)))
    assert out["是否达标"].to_list() == ["不可评估", "不可评估"]
    assert out["生均教学仪器设备值"].to_list() == [None, None]
    assert out["达标指标数"].to_list() == [None, None]
    notes = out["备注"].to_list()
    assert "在校生数为0" in notes[0]
    assert "缺少在校生数" in notes[1]


def test_missing_resources_are_named_and_the_school_is_kept() -> None:
    rows = [school("a"), school("m", 教学仪器设备值=None, 网络多媒体教室数=None)]
    out = school_values(frame(*rows))
    assert out.height == 2
    assert out["是否达标"].to_list() == ["是", "不可评估"]
    assert out["备注"][1] == "缺少数据：教学仪器设备值、网络多媒体教室数"
    # the indicators that can be computed still are: 50 teachers / 1000 pupils × 100 = 5.0
    assert out["每百名学生拥有高于规定学历教师数"][1] == pytest.approx(5.0)
    assert out["生均教学仪器设备值"][1] is None


def test_an_absent_column_makes_every_school_not_evaluable() -> None:
    out = school_values(frame(school("a"), school("b")).drop("体育运动场馆面积"))
    assert out["是否达标"].to_list() == ["不可评估", "不可评估"]
    assert all("体育运动场馆面积" in n for n in out["备注"].to_list())


def test_an_unknown_stage_is_reported_not_evaluated() -> None:
    out = school_values(frame(school("h", "高中")))
    assert out["是否达标"].to_list() == ["不可评估"]
    assert "学段“高中”" in out["备注"][0]


def test_a_repeated_school_and_stage_is_flagged() -> None:
    out = school_values(frame(school("a"), school("a"), school("a", "初中")))
    notes = out["备注"].to_list()
    assert "重复" in notes[0] and "重复" in notes[1]
    assert notes[2] is None


def test_why_a_school_fails_is_said_in_the_note() -> None:
    # L6 1300 元 (65 % of 2000: below the floor), 6 met; L6 and L7 at 90 %: 5 met
    out = school_values(
        frame(
            school("d", 教学仪器设备值=1_300_000),
            school("f", 教学仪器设备值=1_800_000, 网络多媒体教室数=20.7),
        )
    )
    assert out["备注"].to_list() == [
        "未达标：低于标准值的85%：生均教学仪器设备值",
        "未达标：仅 5 项达标（至少需 6 项）",
    ]
