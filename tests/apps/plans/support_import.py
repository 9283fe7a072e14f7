"""Fixtures for the plan import, adoption and manual-value tests (import the fixtures you use).

A small area of our own beside the session's demo county: 测试规划县 (379931) under the demo's city, with a
town, a school and three 责任单位 whose names no other county uses (ResponsibleUnit names are unique):

    县委测规工委   县测规教育局   县测规财政局

Users (plan_*): admin (教育局管理员), staff (教育局工作人员), leader (领导), school (学校管理员), all with
the test password. ``small_plan()`` is a hand-written plan JSON following the contract, with a task whose
责任单位 are written as another document would write them (中共测试规划县委测规工委,
测试规划县测规教育局) and one that matches nothing (县不存在局).
"""

from __future__ import annotations

import copy
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

from edubrain.accounts.models import Role
from edubrain.base.orgtree import OrgKind, OrgUnit
from factories import (
    PASSWORD,
    CountyFactory,
    ResponsibleUnitFactory,
    SchoolFactory,
    TownFactory,
    UserFactory,
)

REGION = "379931"
UNIT_NAMES = ("县委测规工委", "县测规教育局", "县测规财政局")

SMALL_PLAN: dict[str, Any] = {
    "title": "测试规划县教育事业发展“十四五”规划",
    "issuer": "测试规划县人民政府",
    "doc_number": "测政字〔2023〕1号",
    "period": [2021, 2025],
    "sections": [
        {
            "code": "一",
            "title": "总体要求",
            "children": [{"code": "一.(一)", "title": "发展目标", "children": []}],
        },
        {
            "code": "二",
            "title": "重点任务",
            "children": [
                {"code": "二.(一)", "title": "全面落实立德树人根本任务", "children": []},
                {"code": "二.(二)", "title": "构建高质量发展教育体系", "children": []},
            ],
        },
    ],
    "tasks": [
        {
            "code": "二.(一).1",
            "title": "加强学生体质健康管理",
            "text": "到2025年学生体质健康测试优良率、合格率达到55%、95%以上。"
            "（责任单位：县测规教育局、县测规财政局）",
            "units": ["县测规教育局", "县测规财政局"],
        },
        {
            "code": "二.(一).2",
            "title": "构建全学段一体化思政工作体系",
            "text": "……（责任单位：中共测试规划县委测规工委、测试规划县测规教育局、县不存在局）",
            "units": ["中共测试规划县委测规工委", "测试规划县测规教育局", "县不存在局"],
        },
        {
            "code": "二.(二).1",
            "title": "发展普及普惠安全优质的学前教育",
            "text": "全县公办幼儿园在园幼儿占比达到65%以上。",
            "units": ["县测规教育局"],
        },
    ],
    "targets": [
        {
            "indicator": "学前三年毛入园率",
            "category": "学前教育",
            "unit": "%",
            "baseline_year": 2020,
            "baseline": 99.0,
            "target_year": 2025,
            "target": 99.0,
            "comparator": ">=",
            "nature": "预期性",
            "task_code": None,
            "source": "表1 学前教育 学前三年毛入园率（%） 99.0 99.0 预期性",
        },
        {
            "indicator": "在校生",
            "category": "义务教育",
            "unit": "万人",
            "baseline_year": 2020,
            "baseline": 3.9,
            "target_year": 2025,
            "target": 4.5,
            "comparator": ">=",
            "nature": "预期性",
            "task_code": None,
            "source": "表1 义务教育 在校生（万人） 3.9 4.5 预期性",
        },
        {
            "indicator": "学生体质健康测试优良率",
            "unit": "%",
            "baseline_year": None,
            "baseline": None,
            "target_year": 2025,
            "target": 55,
            "comparator": ">=",
            "nature": None,
            "task_code": "二.(一).1",
            "source": "到2025年学生体质健康测试优良率、合格率达到55%、95%以上",
        },
        {
            "indicator": "公办幼儿园在园幼儿占比",
            "unit": "%",
            "baseline_year": None,
            "baseline": None,
            "target_year": 2025,
            "target": 65,
            "comparator": ">=",
            "nature": None,
            "task_code": "二.(二).1",
            "source": "全县公办幼儿园在园幼儿占比达到65%以上",
        },
        {
            "indicator": "一项目录里没有的指标",
            "unit": "个",
            "baseline_year": None,
            "baseline": None,
            "target_year": 2025,
            "target": 10,
            "comparator": ">=",
            "nature": None,
            "task_code": "二.(一).2",
            "source": "评选10个一项目录里没有的指标",
        },
    ],
    "projects": [
        {"number": 1, "name": "幼儿园建设与提升工程", "content": "新建测试幼儿园。"},
        {"number": 2, "name": "特色高中建设行动", "content": "启动特色高中建设。"},
    ],
    "unparsed": [{"text": "（此件公开发布）", "reason": "不是规划内容"}],
}


def small_plan() -> dict[str, Any]:
    """A fresh copy of the hand-written plan JSON (tests may change it)."""
    return copy.deepcopy(SMALL_PLAN)


def demo_city() -> OrgUnit:
    return OrgUnit.objects.get(
        kind=OrgKind.CITY, children__kind=OrgKind.COUNTY, children__division_code="370323"
    )


@pytest.fixture
def area(db, fast_passwords):
    """测试规划县 with its 责任单位, a town, a school and the plan_* users."""
    county = CountyFactory(division_code=REGION, name="测试规划县", parent=demo_city())
    town = TownFactory(parent=county, name="测规镇", division_code=f"{REGION}101")
    school = SchoolFactory(town=town, name="测规小学", code="3799310001")
    units = {name: ResponsibleUnitFactory(name=name, county=county) for name in UNIT_NAMES}
    users = SimpleNamespace(
        admin=UserFactory(username="plan_admin", role=Role.BUREAU_ADMIN, org_unit=county),
        staff=UserFactory(username="plan_staff", role=Role.BUREAU_STAFF, org_unit=county),
        leader=UserFactory(username="plan_leader", role=Role.LEADER, org_unit=county),
        school=UserFactory(username="plan_school", role=Role.SCHOOL_ADMIN, org_unit=school.org_unit),
    )
    return SimpleNamespace(county=county, town=town, school=school, units=units, users=users)


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def client_for(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def review_post(plan, user, action="save", **changes) -> dict[str, str]:
    """The review page's POST data as the browser would send it unchanged, then ``changes``
    (``{"targets-0-target": "99.5", …}``) applied; ``action`` is "save" or "adopt"."""
    from edubrain.plans.forms import review_forms

    data: dict[str, str] = {"action": action}
    for form_or_set in review_forms(plan, user).values():
        forms = getattr(form_or_set, "forms", None)
        if forms is None:
            forms = [form_or_set]
        else:
            management = form_or_set.management_form
            for name in management.fields:
                data[management[name].html_name] = str(management[name].value())
        for form in forms:
            for name in form.fields:
                if name == "DELETE":
                    continue
                value = form[name].value()
                data[form[name].html_name] = "" if value is None else str(value)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data
