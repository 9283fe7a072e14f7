"""The issue's bad input: a school with zero pupils (reported, not divided), a school without 办学条件 (listed
as 不可评估, not dropped, and the 差异系数 it blocks is 不可评估), a 九年一贯制 school without pupils to split
its shared stock by."""

from __future__ import annotations

import pytest

from edubrain.balance import inputs
from edubrain.core.balance import evaluate
from factories import SchoolFactory

from .conftest import facility, pupils, teacher


@pytest.fixture
def bad(bal):
    empty = SchoolFactory(town=bal.town_a, name="无学生小学", school_type="primary", code="3910000011")
    facility(empty, 50, 50, 5000, 1)
    teacher(empty, "college")
    unfurnished = SchoolFactory(
        town=bal.town_b, name="无办学条件初中", school_type="junior", code="3910000012"
    )
    pupils(unfurnished, bal.year, "22", 2)
    teacher(unfurnished, "bachelor")
    unsplit = SchoolFactory(town=bal.town_b, name="无学生九年制", school_type="nine_year", code="3910000013")
    facility(unsplit, 80, 80, 8000, 2)
    return evaluate(inputs.compulsory_inputs(bal.users.admin, bal.county, 2024))


def school(result, code, stage):
    found = result.schools.filter((result.schools["学校标识码"] == code) & (result.schools["学段"] == stage))
    assert found.height == 1, (code, stage)
    return found.to_dicts()[0]


def test_zero_pupils_reported_not_divided(bad):
    row = school(bad, "3910000011", "小学")
    assert row["是否达标"] == "不可评估"
    assert "在校生数为0" in row["备注"]
    assert row["生均教学及辅助用房面积"] is None
    # no weight in the 小学 差异系数: it is blocked by the unsplit 九年制 school only, not by this one
    cv = bad.cvs.filter(
        (bad.cvs["学段"] == "小学") & (bad.cvs["指标"] == "生均教学及辅助用房面积")
    ).to_dicts()[0]
    assert "无学生九年制" in cv["备注"] and "无学生小学" not in cv["备注"]


def test_missing_facility_is_listed_not_dropped(bad):
    row = school(bad, "3910000012", "初中")
    assert row["是否达标"] == "不可评估"
    assert "缺少数据" in row["备注"] and "教学及辅助用房面积" in row["备注"]
    cv = bad.cvs.filter(
        (bad.cvs["学段"] == "初中") & (bad.cvs["指标"] == "生均教学及辅助用房面积")
    ).to_dicts()[0]
    assert cv["是否达标"] == "不可评估" and "无办学条件初中" in cv["备注"]
    # its teacher counts are known: the teachers' 差异系数 is blocked by the unsplit 九年制 only
    teachers = bad.cvs.filter(
        (bad.cvs["学段"] == "初中") & (bad.cvs["指标"] == "每百名学生拥有高于规定学历教师数")
    )
    assert "无办学条件初中" not in teachers.to_dicts()[0]["备注"]


def test_nine_year_school_without_stage_pupils(bad):
    for stage in ("小学", "初中"):
        row = school(bad, "3910000013", stage)
        assert row["是否达标"] == "不可评估"
        assert "无法拆分共用资源" in row["备注"]
