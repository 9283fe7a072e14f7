"""发起填报 and task assignment: slots per task and linked unit, due dates, notifications, every refusal,
and open cycles following a change of a task's 责任单位."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from edubrain.plans.models import Plan, PlanTask, TaskUnit
from edubrain.registry.models import ResponsibleUnit
from edubrain.work import reporting
from edubrain.work.models import Notification, ProgressReport, ReportingCycle

from . import test_reporting_support as support_reporting
from .test_reporting_support import YEAR, linked_slots, open_half

pytestmark = pytest.mark.django_db
world = support_reporting.world


def test_opening_creates_one_pending_slot_per_task_and_linked_unit(world):
    cycle = open_half(world, note="请如实填报")
    assert (cycle.name, cycle.period_start, cycle.period_end) == (
        f"{YEAR}年上半年",
        dt.date(YEAR, 1, 1),
        dt.date(YEAR, 6, 30),
    )
    assert cycle.due_on == dt.date(YEAR, 7, 10) and cycle.note == "请如实填报"
    slots = ProgressReport.objects.filter(cycle=cycle)
    assert set(slots.values_list("task_id", "org_unit_id")) == linked_slots(world["plan"])
    assert set(slots.values_list("status", flat=True)) == {"pending"}
    lead = TaskUnit.objects.filter(task__plan=world["plan"], unit__isnull=False, role="lead").first()
    assert slots.get(task=lead.task, org_unit=lead.unit.org_unit).role == "lead"


def test_reporters_are_notified_once_per_cycle(world):
    cycle = open_half(world)
    mine = Notification.objects.filter(user=world["reporter"], kind="slot", key=f"cycle-{cycle.pk}-slot")
    assert mine.count() == 1
    assert cycle.name in mine.get().title and mine.get().url == f"/work/cycles/{cycle.pk}/"
    assert not Notification.objects.filter(user=world["school"], key=f"cycle-{cycle.pk}-slot").exists()


def test_due_date_setting_and_override(world, settings):
    settings.EDUBRAIN = {**settings.EDUBRAIN, "WORK_REPORT_DUE_DAYS": 0}
    first = open_half(world, 1)
    assert first.due_on == dt.date(YEAR, 6, 30)
    second = open_half(world, 2, due_on=dt.date(YEAR, 7, 1))  # the period's first day: allowed
    assert second.due_on == dt.date(YEAR, 7, 1)


def test_due_date_before_the_period_is_refused(world):
    with pytest.raises(ValidationError, match="早于周期开始日期"):
        open_half(world, 2, due_on=dt.date(YEAR, 6, 30))
    assert not ReportingCycle.objects.filter(plan=world["plan"], period_start__year=YEAR).exists()


def test_the_same_period_twice_is_refused(world):
    open_half(world)
    with pytest.raises(ValidationError, match="已经发起"):
        open_half(world)
    assert ReportingCycle.objects.filter(plan=world["plan"], period_start__year=YEAR).count() == 1


@pytest.mark.parametrize(("frequency", "index"), [("half", 3), ("quarterly", 0), ("weekly", 1)])
def test_a_period_that_does_not_exist_is_refused(world, frequency, index):
    with pytest.raises(ValidationError, match="无效"):
        reporting.open_cycle(world["plan"], world["admin"], frequency, YEAR, index)


@pytest.mark.parametrize("who", ["reporter", "leader", "school"])
def test_only_the_bureau_opens_a_cycle(world, who):
    with pytest.raises(PermissionDenied):
        reporting.open_cycle(world["plan"], world[who], "half", YEAR, 1)
    assert not ReportingCycle.objects.filter(plan=world["plan"], period_start__year=YEAR).exists()


def test_staff_may_open_a_cycle(world):
    assert (
        reporting.open_cycle(world["plan"], world["staff"], "quarterly", YEAR, 4).name == f"{YEAR}年第4季度"
    )


def test_a_plan_without_linked_units_is_refused(world):
    empty = Plan.objects.create(org_unit=world["plan"].org_unit, title="无责任单位的规划", status="adopted")
    PlanTask.objects.create(plan=empty, code="1", title="任务一")
    with pytest.raises(ValidationError, match="还没有关联到责任单位"):
        reporting.open_cycle(empty, world["admin"], "half", YEAR, 1)
    assert not ReportingCycle.objects.filter(plan=empty).exists()


def test_close_cycle(world):
    cycle = open_half(world)
    with pytest.raises(PermissionDenied):
        reporting.close_cycle(cycle, world["reporter"])
    reporting.close_cycle(cycle, world["admin"])
    assert ReportingCycle.objects.get(pk=cycle.pk).status == "closed"
    with pytest.raises(ValidationError, match="已经结束"):
        reporting.close_cycle(cycle, world["admin"])


# ---------------------------------------------------------------- task assignment


def _units(world):
    return list(ResponsibleUnit.objects.filter(county=world["plan"].org_unit).order_by("pk"))


def test_setting_units_puts_the_lead_first_and_adds_slots_to_open_cycles(world):
    cycle = open_half(world)
    task = PlanTask.objects.filter(plan=world["plan"]).order_by("order").first()
    a, b, c = _units(world)[:3]
    reporting.set_task_units(task, world["admin"], b.pk, [a.pk, b.pk, c.pk, a.pk])
    rows = list(TaskUnit.objects.filter(task=task, unit__isnull=False).order_by("order"))
    assert [(r.unit_id, r.role) for r in rows] == [(b.pk, "lead"), (a.pk, "co"), (c.pk, "co")]
    slots = ProgressReport.objects.filter(cycle=cycle, task=task)
    assert dict(slots.values_list("org_unit_id", "role")) == {
        b.org_unit_id: "lead",
        a.org_unit_id: "co",
        c.org_unit_id: "co",
    }
    # dropping c removes its untouched slot; a becomes the lead
    reporting.set_task_units(task, world["admin"], a.pk, [])
    assert dict(slots.values_list("org_unit_id", "role")) == {a.org_unit_id: "lead"}


def test_a_removed_unit_keeps_a_slot_it_already_worked_on(world):
    cycle = open_half(world)
    task = PlanTask.objects.filter(plan=world["plan"]).order_by("order").first()
    a, b = _units(world)[:2]
    reporting.set_task_units(task, world["admin"], a.pk, [b.pk])
    ProgressReport.objects.filter(cycle=cycle, task=task, org_unit=b.org_unit).update(status="draft")
    reporting.set_task_units(task, world["admin"], a.pk, [])
    assert ProgressReport.objects.filter(cycle=cycle, task=task, org_unit=b.org_unit).exists()


def test_a_new_unit_of_an_open_cycle_is_notified(world):
    cycle = open_half(world)
    task = PlanTask.objects.filter(plan=world["plan"]).order_by("order").first()
    finance = world["reporter"].org_unit.responsible_unit
    other = next(u for u in _units(world) if u.pk != finance.pk)
    reporting.set_task_units(task, world["admin"], other.pk, [])
    Notification.objects.filter(user=world["reporter"]).delete()
    reporting.set_task_units(task, world["admin"], other.pk, [finance.pk])
    mine = Notification.objects.filter(user=world["reporter"], kind="slot", key=f"cycle-{cycle.pk}-slot")
    assert mine.count() == 1  # (and one for each other open cycle of the plan)
    assert ProgressReport.objects.filter(cycle=cycle, task=task, org_unit=finance.org_unit).exists()


def test_assignment_refusals(world):
    task = PlanTask.objects.filter(plan=world["plan"]).order_by("order").first()
    before = list(TaskUnit.objects.filter(task=task).values_list("name", "role", "unit_id"))
    with pytest.raises(ValidationError, match="请选择牵头单位"):
        reporting.set_task_units(task, world["admin"], None, [_units(world)[0].pk])
    with pytest.raises(ValidationError, match="不在"):
        reporting.set_task_units(task, world["admin"], 999_999_999, [])
    with pytest.raises(PermissionDenied):
        reporting.set_task_units(task, world["reporter"], _units(world)[0].pk, [])
    assert list(TaskUnit.objects.filter(task=task).values_list("name", "role", "unit_id")) == before
