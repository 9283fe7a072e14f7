"""Fixtures for the plan-monitoring dashboard, pages and API tests (import the fixtures you use).

A county of our own beside the session's demo county: 测试监测县 (379941), with stored indicator values
written directly (the indicator engine is tested on its own):

    监测镇甲  监测小学甲 (school admin ``mon_school``), 监测小学乙
    监测镇乙  监测初中丙, 监测幼儿园丁 (优良率 null: 无实测学生)
    县监测财政局 (责任单位, reporter ``mon_reporter``)

The adopted plan (2021—2025) has six targets, one for every status, for the county:

    1 优良率 ≥55 (2025, no baseline, task 二.(一).1)  50 / 52 / 53.7 / 54.2 (2021—2024)   on_track
    2 合格率 ≥95                                        89 / 90 / 91 / 92                     off_track
    3 近视率 每年降低不少于1个百分点                     60 / 58.5 / 57.2 / 56                 on_track
    4 双师型 60 (2020) → ≥85 (2025)                     72.5 / 75 (2022—2023; 2023 manual)    at_risk
    5 义务教育在校生 3.9 (2020) → ≥4.5万人              4.6 (2024)                            achieved
    6 劳动年龄人口平均受教育年限 (no indicator)                                                 no_data

优良率 2024 below the county: 镇甲 56, 镇乙 51; 小学甲 58 (2023: 57), 小学乙 53.5, 初中丙 51, 幼儿园丁 null.
近视率 2024: 小学甲 40, 小学乙 45. 在校生 2024: 小学甲 0.12万人.
A draft plan of the same county and an adopted plan of another county (测试他县, 379942) are there too.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone

from edubrain.accounts.models import ApiToken, Role
from edubrain.core.indicators.catalogue import CATALOGUE
from edubrain.plans.models import (
    Indicator,
    IndicatorValue,
    KeyProject,
    Plan,
    PlanSection,
    PlanTarget,
    PlanTask,
    TaskUnit,
)
from factories import CountyFactory, ResponsibleUnitFactory, SchoolFactory, TownFactory, UserFactory

REGION, OTHER_REGION = "379941", "379942"
CODES = {
    "good": "fitness_excellent_good_rate",
    "pass": "fitness_pass_rate",
    "myopia": "myopia_rate",
    "dual": "vocational_dual_teacher_share",
    "pupils": "compulsory_enrolment",
}


def indicator(code: str) -> Indicator:
    d = CATALOGUE[code]
    row, _ = Indicator.objects.get_or_create(
        code=code,
        defaults={
            "name": d.name,
            "unit": d.unit,
            "decimals": d.decimals,
            "higher_is_better": d.higher_is_better,
            "kind": d.kind,
            "numerator": d.numerator,
            "denominator": d.denominator,
        },
    )
    return row


def values(ind: Indicator, unit, series: dict[int, float | None], **extra) -> list[IndicatorValue]:
    return [
        IndicatorValue(
            indicator=ind,
            org_unit=unit,
            year=year,
            value=value,
            computed_at=timezone.now(),
            provenance=extra.get("provenance", "测试数据"),
            note=extra.get("note", ""),
            source=extra.get("source", IndicatorValue.Source.COMPUTED),
            entered_by=extra.get("entered_by"),
        )
        for year, value in series.items()
    ]


def build_plan(county, title: str, status: str = Plan.Status.ADOPTED, **fields) -> Plan:
    return Plan.objects.create(
        org_unit=county,
        title=title,
        start_year=2021,
        end_year=2025,
        status=status,
        adopted_at=timezone.now() if status == Plan.Status.ADOPTED else None,
        **fields,
    )


def build_world() -> SimpleNamespace:
    county = CountyFactory(division_code=REGION, name="测试监测县")
    town_a = TownFactory(parent=county, name="监测镇甲", division_code=f"{REGION}001")
    town_b = TownFactory(parent=county, name="监测镇乙", division_code=f"{REGION}002")
    primary_a = SchoolFactory(town=town_a, name="监测小学甲")
    primary_b = SchoolFactory(town=town_a, name="监测小学乙")
    junior = SchoolFactory(town=town_b, name="监测初中丙", school_type="junior")
    kindergarten = SchoolFactory(town=town_b, name="监测幼儿园丁", school_type="kindergarten")
    other = CountyFactory(division_code=OTHER_REGION, name="测试他县")
    finance = ResponsibleUnitFactory(county=county, name="县监测财政局")

    users = SimpleNamespace(
        admin=UserFactory(username="mon_admin", role=Role.BUREAU_ADMIN, org_unit=county),
        staff=UserFactory(username="mon_staff", role=Role.BUREAU_STAFF, org_unit=county),
        leader=UserFactory(username="mon_leader", role=Role.LEADER, org_unit=county),
        school=UserFactory(username="mon_school", role=Role.SCHOOL_ADMIN, org_unit=primary_a.org_unit),
        other=UserFactory(username="mon_other", role=Role.BUREAU_ADMIN, org_unit=other),
        reporter=UserFactory(username="mon_reporter", role=Role.UNIT_REPORTER, org_unit=finance.org_unit),
    )

    plan = build_plan(
        county,
        "测试监测县教育事业发展“十四五”规划",
        issuer="测试监测县人民政府",
        doc_number="测政字〔2022〕9号",
    )
    draft = build_plan(county, "测试监测县学前教育行动计划", status=Plan.Status.DRAFT)
    foreign = build_plan(other, "测试他县教育事业发展“十四五”规划")

    PlanSection.objects.create(plan=plan, code="一", title="总体要求", order=1)
    tasks_section = PlanSection.objects.create(plan=plan, code="二", title="重点任务", order=2)
    moral = PlanSection.objects.create(
        plan=plan, parent=tasks_section, code="二.(一)", title="立德树人", order=3
    )
    fitness_task = PlanTask.objects.create(
        plan=plan,
        section=moral,
        code="二.(一).1",
        title="加强学生体质健康管理",
        text="到2025年学生体质健康测试优良率、合格率达到55%、95%以上。",
        order=1,
    )
    PlanTask.objects.create(plan=plan, section=moral, code="二.(一).2", title="加强劳动教育", order=2)
    TaskUnit.objects.create(task=fitness_task, name="县卫生健康局", role=TaskUnit.Role.CO, order=1)
    TaskUnit.objects.create(task=fitness_task, name="县教育和体育局", role=TaskUnit.Role.LEAD, order=0)
    TaskUnit.objects.create(task=fitness_task, name="县市场监管局", role=TaskUnit.Role.CO, order=2)
    KeyProject.objects.create(plan=plan, number=2, name="学校建设工程", content="新建、改扩建中小学校舍。")
    KeyProject.objects.create(plan=plan, number=1, name="教育信息化工程", content="建设智慧教育平台。")

    ind = {key: indicator(code) for key, code in CODES.items()}

    def target(order, name, key, comparator, value, **extra):
        return PlanTarget.objects.create(
            plan=plan,
            order=order,
            indicator_name=name,
            indicator=ind.get(key),
            comparator=comparator,
            target=value,
            target_year=extra.pop("target_year", 2025),
            **extra,
        )

    targets = SimpleNamespace(
        good=target(
            1,
            "学生体质健康测试优良率",
            "good",
            ">=",
            55,
            unit="%",
            task=fitness_task,
            source="到2025年学生体质健康测试优良率、合格率达到55%、95%以上",
        ),
        passed=target(2, "学生体质健康测试合格率", "pass", ">=", 95, unit="%", task=fitness_task),
        myopia=target(
            3, "总体近视率", "myopia", "decrease_by", 1, unit="%", target_year=None, task=fitness_task
        ),
        dual=target(
            4,
            "中职院校“双师型”教师占专任专业教师比例",
            "dual",
            ">=",
            85,
            unit="%",
            category="教师队伍",
            baseline=60,
            baseline_year=2020,
            nature="预期性",
        ),
        pupils=target(
            5,
            "在校生",
            "pupils",
            ">=",
            4.5,
            unit="万人",
            category="义务教育",
            baseline=3.9,
            baseline_year=2020,
            nature="预期性",
        ),
        schooling=target(6, "劳动年龄人口平均受教育年限", None, ">=", 11.5, unit="年", category="人力资源"),
    )
    PlanTarget.objects.create(
        plan=foreign,
        order=1,
        indicator_name="学生体质健康测试优良率",
        indicator=ind["good"],
        comparator=">=",
        target=55,
        target_year=2025,
        unit="%",
    )

    rows = [
        *values(ind["good"], county, {2021: 50, 2022: 52, 2023: 53.7, 2024: 54.2}),
        *values(ind["pass"], county, {2021: 89, 2022: 90, 2023: 91, 2024: 92}),
        *values(ind["myopia"], county, {2021: 60, 2022: 58.5, 2023: 57.2, 2024: 56}),
        *values(ind["dual"], county, {2022: 72.5}),
        *values(
            ind["dual"],
            county,
            {2023: 75},
            source=IndicatorValue.Source.MANUAL,
            entered_by=users.admin,
            provenance="人工填报：县教育和体育局",
            note="按职业学校上报",
        ),
        *values(ind["pupils"], county, {2024: 4.6}),
        *values(ind["good"], town_a, {2024: 56}),
        *values(ind["good"], town_b, {2024: 51}),
        *values(ind["good"], primary_a.org_unit, {2023: 57, 2024: 58}, provenance="体质测试成绩 2024学年"),
        *values(ind["good"], primary_b.org_unit, {2024: 53.5}),
        *values(ind["good"], junior.org_unit, {2024: 51}),
        *values(ind["good"], kindergarten.org_unit, {2024: None}, note="无实测学生"),
        *values(ind["myopia"], primary_a.org_unit, {2024: 40}),
        *values(ind["myopia"], primary_b.org_unit, {2024: 45}),
        *values(ind["pupils"], primary_a.org_unit, {2024: 0.12}),
        *values(ind["good"], other, {2024: 60}),
    ]
    IndicatorValue.objects.bulk_create(rows)
    return SimpleNamespace(
        county=county,
        town_a=town_a,
        town_b=town_b,
        primary_a=primary_a,
        primary_b=primary_b,
        junior=junior,
        kindergarten=kindergarten,
        other=other,
        users=users,
        plan=plan,
        draft=draft,
        foreign=foreign,
        targets=targets,
        indicators=SimpleNamespace(**ind),
        fitness_task=fitness_task,
    )


@pytest.fixture
def world(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world()


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def api_client(user) -> Client:
    _, key = ApiToken.issue(user, name="规划监测测试")
    return Client(headers={"Authorization": f"Bearer {key}"})


def get_json(client: Client, url: str, expect: int = 200, **params):
    response = client.get(url, params)
    assert response.status_code == expect, response.content.decode()
    return response.json()
