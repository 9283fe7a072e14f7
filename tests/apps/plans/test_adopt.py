"""Adopting a plan: the JSON becomes sections, tasks with 责任单位, targets linked to indicators, projects."""

from __future__ import annotations

import pytest

from edubrain.plans.adopt import adopt, create_draft, unit_key
from edubrain.plans.models import Indicator, KeyProject, Plan, PlanSection, PlanTarget, PlanTask, TaskUnit

from . import support_import as support
from .support_import import small_plan

area, fast_passwords = support.area, support.fast_passwords  # fixtures


@pytest.fixture
def adopted(area):
    plan = create_draft(small_plan(), county=area.county, user=area.users.admin, source_name="测试规划.txt")
    return adopt(plan, user=area.users.admin)


def test_draft_stores_the_json_and_writes_no_rows(area):
    plan = create_draft(small_plan(), county=area.county, user=area.users.admin, source_name="测试规划.txt")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT and plan.adopted_at is None
    assert plan.parsed == small_plan()
    assert plan.unparsed == [{"text": "（此件公开发布）", "reason": "不是规划内容"}]
    assert (plan.title, plan.doc_number, plan.start_year, plan.end_year) == (
        "测试规划县教育事业发展“十四五”规划",
        "测政字〔2023〕1号",
        2021,
        2025,
    )
    assert plan.created_by == area.users.admin and plan.source_name == "测试规划.txt"
    assert not plan.sections.exists() and not plan.tasks.exists() and not plan.targets.exists()


def test_adopt_builds_the_section_tree(adopted):
    assert adopted.status == Plan.Status.ADOPTED and adopted.adopted_at is not None
    sections = {s.code: s for s in PlanSection.objects.filter(plan=adopted)}
    assert set(sections) == {"一", "一.(一)", "二", "二.(一)", "二.(二)"}
    assert sections["二.(一)"].parent == sections["二"] and sections["二"].parent is None
    assert sections["二.(二)"].title == "构建高质量发展教育体系"
    assert [s.code for s in PlanSection.objects.filter(plan=adopted).order_by("order")] == [
        "一",
        "一.(一)",
        "二",
        "二.(一)",
        "二.(二)",
    ]


def test_tasks_sit_in_their_sections_in_order(adopted):
    tasks = list(PlanTask.objects.filter(plan=adopted).order_by("order"))
    assert [t.code for t in tasks] == ["二.(一).1", "二.(一).2", "二.(二).1"]
    assert [t.section.code for t in tasks] == ["二.(一)", "二.(一)", "二.(二)"]
    assert tasks[0].text.startswith("到2025年")


def test_units_lead_first_and_linked_to_the_registry(adopted, area):
    task = PlanTask.objects.get(plan=adopted, code="二.(一).2")
    units = list(TaskUnit.objects.filter(task=task).order_by("order"))
    assert [(u.name, u.role) for u in units] == [
        ("中共测试规划县委测规工委", "lead"),
        ("测试规划县测规教育局", "co"),
        ("县不存在局", "co"),
    ]
    # written differently from the registry, still the same unit; an unknown name stays name-only
    assert units[0].unit == area.units["县委测规工委"]
    assert units[1].unit == area.units["县测规教育局"]
    assert units[2].unit is None
    first = TaskUnit.objects.filter(task__plan=adopted, task__code="二.(一).1").order_by("order")
    assert [u.unit for u in first] == [area.units["县测规教育局"], area.units["县测规财政局"]]


def test_units_written_as_one_text_are_split(area):
    data = small_plan()
    data["tasks"][2]["units"] = ["县测规教育局、县测规财政局，县测规教育局"]
    plan = adopt(create_draft(data, county=area.county))
    names = TaskUnit.objects.filter(task__plan=plan, task__code="二.(二).1").order_by("order")
    assert [u.name for u in names] == ["县测规教育局", "县测规财政局"]


def test_units_of_another_county_are_not_linked(area, demo):
    data = small_plan()
    data["tasks"][0]["units"] = ["县财政局"]  # a demo county unit, not one of 测试规划县
    plan = adopt(create_draft(data, county=area.county))
    assert TaskUnit.objects.get(task__plan=plan, task__code="二.(一).1").unit is None


def test_unit_key_normalises_conservatively():
    area = "沂源县"
    assert unit_key("中共沂源县委教育工委", area) == unit_key("县委教育工委", area)
    assert unit_key("沂源县教育和体育局", area) == unit_key("县教育和体育局", area)
    assert unit_key("沂源县人民政府办公室", area) == unit_key("县政府办公室", area)
    assert unit_key("团沂源县委", area) == unit_key("团县委", area)
    assert unit_key(" 县 财政局 ", area) == unit_key("县财政局", area)
    assert unit_key("县委办公室", area) != unit_key("县政府办公室", area)
    assert unit_key("县财政局", area) != unit_key("县发展改革局", area)
    assert unit_key("淄博市教育局", area) != unit_key("县教育局", area)  # another area's bureau
    assert unit_key("市教育局", area) != unit_key("县教育局", area)


def test_targets_linked_to_catalogue_indicators(adopted):
    targets = {
        t.indicator_name: t for t in PlanTarget.objects.filter(plan=adopted).select_related("indicator")
    }
    assert targets["学前三年毛入园率"].indicator.code == "preschool_gross_rate"
    assert targets["在校生"].indicator.code == "compulsory_enrolment"  # 类别 义务教育 + 在校生
    assert targets["学生体质健康测试优良率"].indicator.code == "fitness_excellent_good_rate"
    assert targets["公办幼儿园在园幼儿占比"].indicator.code == "public_kindergarten_share"
    assert targets["一项目录里没有的指标"].indicator is None
    t = targets["在校生"]
    assert (
        t.category,
        t.unit,
        t.baseline_year,
        t.baseline,
        t.target_year,
        t.target,
        t.comparator,
        t.nature,
    ) == ("义务教育", "万人", 2020, 3.9, 2025, 4.5, ">=", "预期性")
    assert targets["学生体质健康测试优良率"].task.code == "二.(一).1"
    assert targets["学生体质健康测试优良率"].nature == ""
    assert Indicator.objects.get(code="preschool_gross_rate").name == "学前三年毛入园率"


def test_reviewer_choice_of_indicator_wins(area):
    data = small_plan()
    data["targets"][4]["indicator_code"] = "large_class_count"
    data["targets"][0]["indicator_code"] = ""  # explicitly none
    plan = adopt(create_draft(data, county=area.county))
    by_name = {t.indicator_name: t for t in PlanTarget.objects.filter(plan=plan)}
    assert by_name["一项目录里没有的指标"].indicator.code == "large_class_count"
    assert by_name["学前三年毛入园率"].indicator is None


def test_key_projects(adopted):
    projects = list(KeyProject.objects.filter(plan=adopted).order_by("number"))
    assert [(p.number, p.name) for p in projects] == [(1, "幼儿园建设与提升工程"), (2, "特色高中建设行动")]


def test_adopt_with_corrections_stores_them(adopted):
    data = small_plan()
    data["title"] = "测试规划县教育事业发展“十四五”规划（修订）"
    again = adopt(adopted, data)
    again.refresh_from_db()
    assert again.title.endswith("（修订）") and again.parsed["title"].endswith("（修订）")


def test_the_demo_countys_units_written_the_long_way(demo):
    """中共沂源县委教育工委 is the registry's 县委教育工委; 沂源县教育和体育局 is 县教育和体育局."""
    data = small_plan()
    data["tasks"][0]["units"] = ["中共沂源县委教育工委", "沂源县教育和体育局", "沂源县人民政府教育督导委员会"]
    plan = adopt(create_draft(data, county=demo.county))
    units = TaskUnit.objects.filter(task__plan=plan, task__code="二.(一).1").order_by("order")
    assert [u.unit.name for u in units] == ["县委教育工委", "县教育和体育局", "县政府教育督导委员会"]
