"""The demo county adopts its own "十四五" plan when it is built (demo/plan_load.py): tasks with their
责任单位 linked to the county's registry units, targets linked to indicators, key projects, and indicator
values computed for the dashboard. A reset deletes the plan and the values with the county."""

from __future__ import annotations

import io

from django.core.management import call_command

from edubrain.demo.generator import county_code
from edubrain.plans.models import IndicatorValue, Plan, PlanTarget, TaskUnit
from edubrain.registry.models import ResponsibleUnit


def demo_plan(demo) -> Plan:
    return Plan.objects.get(org_unit=demo.county, status=Plan.Status.ADOPTED)


def test_the_demo_county_has_adopted_its_plan(demo):
    plan = demo_plan(demo)
    assert plan.title == "沂源县教育事业发展“十四五”规划"
    assert (plan.doc_number, plan.issuer, plan.start_year, plan.end_year) == (
        "源政字〔2023〕36号",
        "沂源县人民政府",
        2021,
        2025,
    )
    assert plan.created_by == demo.users["admin"] and plan.adopted_at is not None
    assert plan.parsed["tasks"] and plan.source_name.endswith(".txt")


def test_tasks_and_their_units_linked_to_the_registry(demo):
    plan = demo_plan(demo)
    assert plan.tasks.count() == 45
    first = plan.tasks.get(code="二.(一).1")
    assert first.title == "构建全学段一体化思政工作体系" and first.section.code == "二.(一)"
    units = list(TaskUnit.objects.filter(task=first).order_by("order").select_related("unit"))
    assert [(u.name, u.role) for u in units] == [
        ("县委教育工委", "lead"),
        ("县委宣传部", "co"),
        ("团县委", "co"),
    ]
    registry = set(ResponsibleUnit.objects.filter(county=demo.county).values_list("pk", flat=True))
    all_units = TaskUnit.objects.filter(task__plan=plan)
    assert all_units.exists() and not all_units.filter(unit__isnull=True).exists()
    assert set(all_units.values_list("unit_id", flat=True)) == registry  # each of the 33 units has tasks


def test_targets_linked_to_indicators(demo):
    plan = demo_plan(demo)
    targets = PlanTarget.objects.filter(plan=plan).select_related("indicator", "task")
    by_code = {t.indicator.code: t for t in targets if t.indicator_id}
    assert by_code["preschool_gross_rate"].baseline == 99.0 and by_code["preschool_gross_rate"].target == 99.0
    assert (
        by_code["compulsory_enrolment"].category == "义务教育"
        and by_code["compulsory_enrolment"].target == 4.5
    )
    good = by_code["fitness_excellent_good_rate"]
    assert (good.target, good.target_year, good.task.code) == (55, 2025, "二.(一).4")
    assert by_code["myopia_rate"].comparator == "decrease_by"
    assert by_code["public_kindergarten_share"].target == 65
    assert len(by_code) >= 20


def test_key_projects(demo):
    plan = demo_plan(demo)
    assert plan.projects.count() == 18
    assert plan.projects.get(number=1).name.startswith("幼儿园建设与")


def test_indicator_values_for_the_dashboard(demo):
    values = IndicatorValue.objects.filter(org_unit=demo.county, source="computed")
    good = values.filter(indicator__code="fitness_excellent_good_rate", year=2025).get()
    assert good.value is not None and 40 < good.value < 70
    assert values.filter(indicator__code="compulsory_enrolment", value__isnull=False).exists()


def test_reset_deletes_the_plan_and_the_values_then_rebuilds(demo):
    old = demo_plan(demo).pk
    old_values = list(IndicatorValue.objects.filter(org_unit=demo.county).values_list("pk", flat=True)[:50])
    call_command("demo", "--reset", "--seed", "3", "--scale", "0.02", stdout=io.StringIO())
    assert not Plan.objects.filter(pk=old).exists()
    assert old_values and not IndicatorValue.objects.filter(pk__in=old_values).exists()
    plans = Plan.objects.filter(org_unit__division_code=county_code())
    assert plans.count() == 1 and plans.get().status == Plan.Status.ADOPTED
    assert IndicatorValue.objects.filter(org_unit=plans.get().org_unit).exists()
