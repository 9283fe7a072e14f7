"""The pupil-weighted 差异系数 (standards.md §1.4) with the worked examples of §11 and §1.4 reproduced, the
unweighted CV shown to differ, zero pupils left out, missing data making the row 不可评估."""

from __future__ import annotations

import math

import pytest

from edubrain.core.balance.cv import difference_coefficients, evaluate
from edubrain.core.balance.indicators import school_values

from .schools import frame, school

L6 = "生均教学仪器设备值"

# §11: five 小学, 教学仪器设备值 (元) and pupils; every other resource in proportion to pupils (CV 0)
S11 = [
    ("A", 1200, 3_000_000),
    ("B", 800, 1_440_000),
    ("C", 300, 900_000),
    ("D", 150, 195_000),
    ("E", 60, 240_000),
]


def s11_rows() -> list[dict]:
    return [school(sid, "小学", p, 教学仪器设备值=r) for sid, p, r in S11]


def cv_row(cvs, stage: str, name: str) -> dict:  # type: ignore[no-untyped-def]
    rows = cvs.filter((cvs["学段"] == stage) & (cvs["指标"] == name)).to_dicts()
    assert len(rows) == 1
    return rows[0]


def test_section_11_worked_example() -> None:
    result = evaluate(frame(*s11_rows()))
    row = cv_row(result.cvs, "小学", L6)
    assert row["县均值"] == pytest.approx(5_775_000 / 2510)  # 2300.797
    assert row["县均值"] == pytest.approx(2300.797, abs=1e-3)
    assert row["标准差"] == pytest.approx(534.990, abs=1e-3)
    assert round(row["差异系数"], 4) == 0.2325
    assert row["限值"] == 0.50
    assert row["是否达标"] == "是"
    assert row["学校数"] == 5
    # A, C, E meet 2000; B (1800) is below but above 1700 and passes; D (1300) is below the floor
    schools = result.schools
    assert schools[f"{L6}达标"].to_list() == [True, False, True, False, True]
    assert schools["是否达标"].to_list() == ["是", "是", "是", "否", "是"]
    # the other six indicators are the same in every school: CV 0
    others = result.cvs.filter(result.cvs["指标"] != L6)
    assert others["差异系数"].to_list() == pytest.approx([0.0] * 6, abs=1e-12)


def test_section_11_unweighted_cv_differs() -> None:
    values = [r / p for _, p, r in S11]  # 2500, 1800, 3000, 1300, 4000
    mean = sum(values) / 5
    assert mean == pytest.approx(2520)
    unweighted = math.sqrt(sum((v - mean) ** 2 for v in values) / 5) / mean
    assert round(unweighted, 4) == 0.3734
    weighted = cv_row(evaluate(frame(*s11_rows())).cvs, "小学", L6)["差异系数"]
    assert abs(weighted - unweighted) > 0.1


def test_section_1_4_worked_example_books_per_pupil() -> None:
    # 生均图书册数 of five 小学 (pupils 45/37/89/76/55, books 279/137/935/160/402):
    # a 生均 indicator with c = 1,
    # put into the 教学仪器设备值 column — the computation is the same
    data = [(45, 279), (37, 137), (89, 935), (76, 160), (55, 402)]
    rows = [school(f"s{k}", "小学", p, 教学仪器设备值=b) for k, (p, b) in enumerate(data)]
    row = cv_row(evaluate(frame(*rows)).cvs, "小学", L6)
    assert row["县均值"] == pytest.approx(1913 / 302)
    assert round(row["县均值"], 3) == 6.334
    assert round(row["标准差"], 3) == 3.264
    assert round(row["差异系数"], 3) == 0.515
    assert round(row["差异系数"], 2) == 0.52  # as printed
    assert row["是否达标"] == "否"  # 0.515 > 0.50
    values = [b / p for p, b in data]
    mean = sum(values) / 5
    unweighted = math.sqrt(sum((v - mean) ** 2 for v in values) / 5) / mean
    assert round(unweighted, 3) == 0.489  # would pass: the weighting flips the verdict


def test_per_100_indicator_county_value_and_cv() -> None:
    # L7 小学: 30 rooms / 1000 pupils and 10 rooms / 1000 pupils → x 3.0 and 1.0; x̄ = 100·40/2000 = 2.0;
    # S = sqrt(0.5·1 + 0.5·1) = 1; CV = 0.5 = the limit → passes (≤) and is flagged near the limit
    cvs = evaluate(frame(school("a", 网络多媒体教室数=30), school("b", 网络多媒体教室数=10))).cvs
    row = cv_row(cvs, "小学", "每百名学生拥有网络多媒体教室数")
    assert row["县均值"] == pytest.approx(2.0)
    assert row["差异系数"] == pytest.approx(0.5)
    assert row["是否达标"] == "是"
    assert row["接近限值"] is True
    assert "接近限值" in row["备注"]


def test_junior_limit_is_0_45() -> None:
    # 初中 L6: 3,500,000 and 1,500,000 元 for 1000 pupils each → 3500 / 1500, x̄ 2500, S 1000, CV 0.4 (≤ 0.45)
    # then 3,700,000 / 1,300,000 → 3700 / 1300, S 1200, CV 0.48 > 0.45
    ok = evaluate(
        frame(school("a", "初中", 教学仪器设备值=3_500_000), school("b", "初中", 教学仪器设备值=1_500_000))
    )
    bad = evaluate(
        frame(school("a", "初中", 教学仪器设备值=3_700_000), school("b", "初中", 教学仪器设备值=1_300_000))
    )
    ok_row, bad_row = cv_row(ok.cvs, "初中", L6), cv_row(bad.cvs, "初中", L6)
    assert (ok_row["差异系数"], ok_row["限值"], ok_row["是否达标"]) == (pytest.approx(0.4), 0.45, "是")
    assert (bad_row["差异系数"], bad_row["是否达标"], bad_row["接近限值"]) == (
        pytest.approx(0.48),
        "否",
        False,
    )


def test_a_school_with_zero_pupils_has_no_weight() -> None:
    # A 2500, B 1500 (1000 pupils each): x̄ 2000, S 500, CV 0.25; Z has 0 pupils and is left out
    rows = [school("a", 教学仪器设备值=2_500_000), school("b", 教学仪器设备值=1_500_000)]
    zero = school("z", pupils=0, 教学仪器设备值=9_000_000)
    row = cv_row(evaluate(frame(*rows, zero)).cvs, "小学", L6)
    assert row["差异系数"] == pytest.approx(0.25)
    assert row["县均值"] == pytest.approx(2000)
    assert row["学校数"] == 2


def test_a_missing_resource_makes_that_cv_not_evaluable_and_names_the_school() -> None:
    rows = [school("a", 教学仪器设备值=2_500_000), school("m", 教学仪器设备值=None)]
    cvs = evaluate(frame(*rows)).cvs
    row = cv_row(cvs, "小学", L6)
    assert row["差异系数"] is None
    assert row["县均值"] is None
    assert row["是否达标"] == "不可评估"
    assert "学校m（m）" in row["备注"]
    # the other indicators of the stage are still evaluated (both schools identical: CV 0)
    other = cv_row(cvs, "小学", "生均教学及辅助用房面积")
    assert other["差异系数"] == pytest.approx(0.0)
    assert other["是否达标"] == "是"


def test_stages_are_separate_and_ordered() -> None:
    cvs = difference_coefficients(school_values(frame(school("j", "初中"), school("p", "小学"))))
    assert cvs["学段"].to_list() == ["小学"] * 7 + ["初中"] * 7
    assert cvs["限值"].to_list() == [0.5] * 7 + [0.45] * 7
