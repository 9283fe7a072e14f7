"""Shared helpers of the reporting tests (no tests here): the demo plan, users, and a cycle opened in a year
the demo never uses (2030), so the tests never collide with demo cycles."""

from __future__ import annotations

import pytest

from edubrain.plans.models import Plan, TaskUnit
from edubrain.work import reporting
from edubrain.work.models import ProgressReport

YEAR = 2030


@pytest.fixture
def world(demo):
    users = demo.users
    plan = Plan.objects.filter(org_unit=users["admin"].org_unit, status=Plan.Status.ADOPTED).first()
    assert plan is not None, "the demo county has an adopted plan"
    return {"plan": plan, **users}


def linked_slots(plan: Plan) -> set[tuple[int, int]]:
    return set(
        TaskUnit.objects.filter(task__plan=plan, unit__isnull=False).values_list(
            "task_id", "unit__org_unit_id"
        )
    )


def open_half(world, index: int = 1, **kwargs):
    return reporting.open_cycle(world["plan"], world["admin"], "half", YEAR, index, **kwargs)


def reporter_slot(world, cycle) -> ProgressReport:
    unit = world["reporter"].org_unit
    slot = ProgressReport.objects.filter(cycle=cycle, org_unit=unit).order_by("task__order").first()
    assert slot is not None, "the demo reporter's unit has tasks in the plan"
    return slot


FILLED = {
    "narrative": "已完成年度预算安排，资金已拨付到位。",
    "percent": "60",
    "milestone": "资金拨付",
    "figures": "拨付 1200 万元",
    "problems": "无",
    "contact": "张三 0533-1234567",
}
