"""The input rows assembled from the registry, against hand counts (see conftest), and the evaluation of
those rows against hand-computed values."""

from __future__ import annotations

import math

import pytest

from edubrain.balance import inputs, queries
from edubrain.core.balance import evaluate

SHARE_P, SHARE_J = 2 / 5.3, 3.3 / 5.3  # 九年一贯制: 2 小学 and 3 初中 pupils, weights 1 : 1.1


def rows(bal):
    frame = inputs.compulsory_inputs(bal.users.admin, bal.county, 2024)
    return {r["学校标识码"]: r for r in frame.to_dicts()}


def test_one_row_per_open_compulsory_school(bal):
    got = rows(bal)
    assert sorted(got) == ["3910000001", "3910000002", "3910000003"]  # no kindergarten, no closed school
    assert [got[c]["学段"] for c in sorted(got)] == ["小学", "小学", "九年一贯制"]


def test_primary_school_counts(bal):
    p1 = rows(bal)["3910000001"]
    # 4 on roll (the 转出 pupil is not); teachers a and b only (c left, the 行政人员 is no 专任教师)
    assert p1["在校生数"] == 4
    assert (p1["高于规定学历教师数"], p1["县级以上骨干教师数"], p1["体育艺术专任教师数"]) == (1, 1, 1)
    assert (p1["教学及辅助用房面积"], p1["体育运动场馆面积"]) == (20, 40)
    assert (p1["教学仪器设备值"], p1["网络多媒体教室数"]) == (10000, 1)
    assert p1["镇/街道"] == "均衡镇甲" and p1["locality"] == "rural"


def test_nine_year_school_gives_both_stages_and_splits_teachers(bal):
    n1 = rows(bal)["3910000003"]
    assert (n1["小学在校生数"], n1["初中在校生数"], n1["在校生数"]) == (2, 3, 5)
    # 小学: 专科及以上 = e, f, g (3); 初中: 本科及以上 = e, g (2); 骨干 = e; 体育艺术 = e (音乐), g (美术)
    assert n1["小学高于规定学历教师数"] == pytest.approx(3 * SHARE_P)
    assert n1["初中高于规定学历教师数"] == pytest.approx(2 * SHARE_J)
    assert n1["小学县级以上骨干教师数"] == pytest.approx(1 * SHARE_P)
    assert n1["初中体育艺术专任教师数"] == pytest.approx(2 * SHARE_J)
    assert "未登记教师任教学段" in n1["备注"]


def test_evaluation_matches_hand_computed_values(bal):
    result = evaluate(inputs.compulsory_inputs(bal.users.admin, bal.county, 2024)).schools
    by = {(r["学校标识码"], r["学段"]): r for r in result.to_dicts()}
    p1 = by[("3910000001", "小学")]
    assert p1["每百名学生拥有高于规定学历教师数"] == pytest.approx(25.0)  # 100 × 1 / 4
    assert p1["生均教学及辅助用房面积"] == pytest.approx(5.0)  # 20 / 4
    assert p1["生均教学仪器设备值"] == pytest.approx(2500.0)
    assert p1["是否达标"] == "是" and p1["达标指标数"] == 7
    n1p = by[("3910000003", "小学")]
    assert n1p["在校生数"] == 2
    assert n1p["每百名学生拥有高于规定学历教师数"] == pytest.approx(100 * 3 * SHARE_P / 2)
    assert n1p["生均教学及辅助用房面积"] == pytest.approx(100 * SHARE_P / 2)
    n1j = by[("3910000003", "初中")]
    assert n1j["生均体育运动场馆面积"] == pytest.approx(200 * SHARE_J / 3)
    p2 = by[("3910000002", "小学")]
    # 6 ㎡ / 2 = 3 < 4.5 × 0.85 and 2 teachers' worth of indicators at 0: fails
    assert p2["生均教学及辅助用房面积"] == pytest.approx(3.0)
    assert p2["是否达标"] == "否"


def test_primary_cv_is_pupil_weighted(bal):
    cvs = evaluate(inputs.compulsory_inputs(bal.users.admin, bal.county, 2024)).cvs
    row = cvs.filter((cvs["学段"] == "小学") & (cvs["指标"] == "生均教学及辅助用房面积")).to_dicts()[0]
    pupils = [4, 2, 2]
    values = [20 / 4, 6 / 2, 100 * SHARE_P / 2]
    mean = sum(p * x for p, x in zip(pupils, values, strict=True)) / 8
    sd = math.sqrt(sum(p / 8 * (x - mean) ** 2 for p, x in zip(pupils, values, strict=True)))
    assert row["县均值"] == pytest.approx(mean)
    assert row["差异系数"] == pytest.approx(sd / mean)


def test_gaps_of_the_failing_school(bal):
    sel = queries.Selection(bal.county)
    result = queries.balance(bal.users.admin, sel, 2024)
    gaps = {r["指标"]: r for r in result.gaps.filter(result.gaps["学校标识码"] == "3910000002").to_dicts()}
    # 4.5 ㎡ × 2 pupils − 6 ㎡ = 3 ㎡; 骨干: 1.0 × 2 / 100 − 0 → 1 teacher (rounded up)
    assert gaps["生均教学及辅助用房面积"]["缺口"] == pytest.approx(3.0)
    assert gaps["每百名学生拥有县级以上骨干教师数"]["缺口"] == 1
    closed = queries.closed_gaps(result)
    assert closed is not None
    assert closed.schools.filter(closed.schools["学校标识码"] == "3910000002")["是否达标"].to_list() == ["是"]
