"""Re-adopting after corrections replaces the plan's rows (no duplicates, unchanged rows keep their ids);
a plan that does not validate writes nothing."""

from __future__ import annotations

import pytest

from edubrain.plans.adopt import PlanInvalid, adopt, create_draft
from edubrain.plans.models import KeyProject, Plan, PlanSection, PlanTarget, PlanTask, TaskUnit

from . import support_import as support
from .support_import import small_plan

area, fast_passwords = support.area, support.fast_passwords  # fixtures


def counts(plan):
    return (
        PlanSection.objects.filter(plan=plan).count(),
        PlanTask.objects.filter(plan=plan).count(),
        TaskUnit.objects.filter(task__plan=plan).count(),
        PlanTarget.objects.filter(plan=plan).count(),
        KeyProject.objects.filter(plan=plan).count(),
    )


def test_readopting_the_same_json_changes_nothing(area):
    plan = adopt(create_draft(small_plan(), county=area.county))
    before = counts(plan)
    ids = set(PlanTask.objects.filter(plan=plan).values_list("pk", flat=True))
    target_ids = set(PlanTarget.objects.filter(plan=plan).values_list("pk", flat=True))
    adopt(plan)
    assert counts(plan) == before == (5, 3, 6, 5, 2)
    assert set(PlanTask.objects.filter(plan=plan).values_list("pk", flat=True)) == ids
    assert set(PlanTarget.objects.filter(plan=plan).values_list("pk", flat=True)) == target_ids


def test_readopting_corrections_replaces_the_rows(area):
    plan = adopt(create_draft(small_plan(), county=area.county))
    data = small_plan()
    data["targets"][0]["target"] = 99.5
    del data["targets"][4]  # the unmatched target removed
    data["tasks"][2]["units"] = ["县测规财政局"]
    data["tasks"].pop(1)  # a task removed (and so is its target above)
    data["sections"][0]["children"] = []
    data["projects"].append({"number": 3, "name": "新项目", "content": ""})
    adopt(plan, data)
    assert counts(plan) == (4, 2, 3, 4, 3)
    assert PlanTarget.objects.get(plan=plan, indicator_name="学前三年毛入园率").target == 99.5
    assert not PlanTask.objects.filter(plan=plan, code="二.(一).2").exists()
    units = TaskUnit.objects.filter(task__plan=plan, task__code="二.(二).1")
    assert [(u.name, u.role) for u in units] == [("县测规财政局", "lead")]
    assert plan.parsed == data


def test_invalid_plan_lists_every_problem_in_chinese_and_writes_nothing(area):
    plan = create_draft(small_plan(), county=area.county)
    data = small_plan()
    data["targets"][1]["target"] = None
    data["targets"][2]["target"] = "五十五"
    data["tasks"][0]["code"] = ""
    data["targets"][3]["comparator"] = "大于"
    with pytest.raises(PlanInvalid) as caught:
        adopt(plan, data)
    errors = caught.value.errors
    assert "目标第 2 条（在校生）：缺少目标值（target）" in errors
    assert "目标第 3 条（学生体质健康测试优良率）：目标值“五十五”不是数字" in errors
    assert any(e.startswith("任务第 1 条") and "缺少编号" in e for e in errors)
    assert any("比较方式“大于”无效" in e for e in errors)
    assert caught.value.message.startswith("规划未能采用，请先修改以下问题")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT and plan.parsed == small_plan()
    assert counts(plan) == (0, 0, 0, 0, 0)


def test_invalid_corrections_leave_an_adopted_plan_as_it_was(area):
    plan = adopt(create_draft(small_plan(), county=area.county))
    before = counts(plan)
    data = small_plan()
    data["tasks"] = []  # targets now point at tasks that are gone
    data["period"] = None
    with pytest.raises(PlanInvalid) as caught:
        adopt(plan, data)
    assert "缺少规划期（period：起止年份，如 [2021, 2025]）" in caught.value.errors
    assert any("所属任务编号 二.(一).1 不在任务列表中" in e for e in caught.value.errors)
    plan.refresh_from_db()
    assert counts(plan) == before and plan.parsed == small_plan()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.update(title=""), "缺少规划名称（title）"),
        (lambda d: d.update(period=[2026, 2025]), "规划期起始年份 2026 晚于目标年份 2025"),
        (lambda d: d["tasks"].append(dict(d["tasks"][0])), "编号 二.(一).1 重复"),
        (lambda d: d["projects"].append({"number": 1, "name": "重复"}), "序号 1 重复"),
        (lambda d: d["targets"][0].update(nature="必须"), "属性“必须”无效"),
        (lambda d: d["targets"][0].update(indicator_code="no_such"), "指标代码 no_such 不在指标目录中"),
        (lambda d: d["targets"][0].update(indicator=""), "缺少指标名称"),
        (lambda d: d["targets"][0].update(target_year=99), "目标年份“99”不是有效年份"),
    ],
)
def test_each_rule(area, change, expected):
    data = small_plan()
    change(data)
    with pytest.raises(PlanInvalid) as caught:
        adopt(create_draft(data, county=area.county))
    assert any(expected in e for e in caught.value.errors), caught.value.errors


def test_a_draft_needs_a_json_object(area):
    with pytest.raises(PlanInvalid) as caught:
        create_draft({"tasks": "不是列表"}, county=area.county)
    assert caught.value.errors == ["“tasks”应为列表"]
