"""填报 read side: the cycles a user may see with their counts, a cycle's board (per unit, per slot), the
task tree with each task's latest colour, and one task's reports.

Scoping: reports always come from ``ProgressReport.objects.visible_to(user)`` — a 责任单位 reporter sees
only their own unit's slots. Cycles and tasks belong to a plan; a user reads those of the plans
``plans.dashboard.plans_for`` gives them (the bureau's own; for a unit below, the adopted plans above it).
States and colours come from the pure ``core.work.progress`` over one frame per page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
from django.db.models import QuerySet
from django.db.models.functions import TruncDate
from django.http import Http404
from django.urls import reverse

from edubrain.base.orgtree import OrgUnit
from edubrain.core.work import progress as wp
from edubrain.plans.dashboard import plans_for, task_tree
from edubrain.plans.models import Plan, PlanTask, TaskUnit
from edubrain.registry.models import ResponsibleUnit
from edubrain.work.access import is_bureau, own_unit
from edubrain.work.models import ProgressReport, ReportingCycle

SLOT_FIELDS = (
    "id",
    "cycle_id",
    "task_id",
    "org_unit_id",
    "role",
    "status",
    "cycle__due_on",
    "cycle__period_start",
    "first_on",
)
SLOT_SCHEMA = {
    "id": pl.Int64,
    "cycle": pl.Int64,
    "task": pl.Int64,
    "org_unit": pl.Int64,
    "role": pl.String,
    "status": pl.String,
    "due_on": pl.Date,
    "cycle_start": pl.Date,
    "first_submitted_on": pl.Date,
}
STATE_FILTERS = {**wp.STATE_LABELS, "late": "逾期报送"}


def reports_for(user: Any) -> QuerySet[ProgressReport]:
    return ProgressReport.objects.visible_to(user)


def cycles_for(user: Any, plan: Plan | None = None) -> QuerySet[ReportingCycle]:
    qs = ReportingCycle.objects.filter(plan__in=plans_for(user)).select_related("plan")
    if plan is not None:
        qs = qs.filter(plan=plan)
    return qs.order_by("-period_start", "-id")


def cycle_or_404(user: Any, pk: int) -> ReportingCycle:
    cycle = cycles_for(user).filter(pk=pk).first()
    if cycle is None:
        raise Http404("没有该填报周期，或您无权查看")
    return cycle


def task_or_404(user: Any, pk: int) -> PlanTask:
    task = PlanTask.objects.filter(pk=pk, plan__in=plans_for(user)).select_related("plan", "section").first()
    if task is None:
        raise Http404("没有该任务，或您无权查看")
    unit = own_unit(user)
    if unit is not None and not is_bureau(user):
        mine = TaskUnit.objects.filter(task=task, unit__org_unit=unit).exists()
        if not mine and not reports_for(user).filter(task=task).exists():
            raise Http404("该任务不由您的单位承担")
    return task


def slot_frame(qs: QuerySet[ProgressReport], today: dt.date) -> pl.DataFrame:
    """The slots of ``qs`` with their state, lateness and colour (``core.work.progress.slot_states``)."""
    rows = list(qs.annotate(first_on=TruncDate("first_submitted_at")).values_list(*SLOT_FIELDS))
    frame = pl.DataFrame(rows, schema=SLOT_SCHEMA, orient="row")
    return wp.slot_states(frame, today)


def _summary_dict(frame: pl.DataFrame, key: str) -> dict[int, dict[str, Any]]:
    if frame.height == 0:
        return {}
    return {r.pop(key): r for r in wp.unit_summary(frame, key).iter_rows(named=True)}


EMPTY_COUNTS = {
    "expected": 0,
    "filed": 0,
    "accepted": 0,
    "submitted": 0,
    "returned": 0,
    "missing": 0,
    "late": 0,
    "on_time_rate": None,
}


def cycle_rows(user: Any, cycles: QuerySet[ReportingCycle], today: dt.date) -> list[dict[str, Any]]:
    """Each cycle with the counts of the slots the user sees (应报/已报/通过/退回/逾期未报/按时率)."""
    cycles = list(cycles)
    frame = slot_frame(reports_for(user).filter(cycle__in=cycles), today)
    counts = _summary_dict(frame, "cycle")
    return [
        {"cycle": c, "url": reverse("work:cycle", args=[c.pk]), **EMPTY_COUNTS, **counts.get(c.pk, {})}
        for c in cycles
    ]


def _names(ids: list[int]) -> dict[int, str]:
    return dict(OrgUnit.objects.filter(pk__in=ids).values_list("pk", "name"))


def board(
    user: Any, cycle: ReportingCycle, today: dt.date, state: str = "", unit: int | None = None
) -> dict[str, Any]:
    """The cycle's board: per-unit rows (counts, late flag) and the slot table, filtered by state/unit."""
    qs = reports_for(user).filter(cycle=cycle)
    frame = slot_frame(qs, today)
    units = _names(frame["org_unit"].unique().to_list())
    unit_rows = unit_table(frame, units)
    unit_rows.sort(key=lambda r: (-r["missing"], -r["late"], r["name"]))
    shown = frame
    if state == "late":
        shown = shown.filter(pl.col("late"))
    elif state in wp.STATE_LABELS:
        shown = shown.filter(pl.col("state") == state)
    if unit:
        shown = shown.filter(pl.col("org_unit") == unit)
    tasks = {t.pk: t for t in PlanTask.objects.filter(pk__in=shown["task"].unique().to_list())}
    slots = [
        {
            **r,
            "url": reverse("work:report", args=[r["id"]]),
            "task_code": tasks[r["task"]].code,
            "task_title": tasks[r["task"]].title,
            "task_order": tasks[r["task"]].order,
            "unit_name": units.get(r["org_unit"], ""),
            "lead": r["role"] == TaskUnit.Role.LEAD,
        }
        for r in shown.iter_rows(named=True)
    ]
    slots.sort(key=lambda r: (r["task_order"], not r["lead"], r["unit_name"]))
    return {"units": unit_rows, "slots": slots, "totals": totals(frame), "state_counts": _state_counts(frame)}


def unit_table(frame: pl.DataFrame, names: dict[int, str] | None = None) -> list[dict[str, Any]]:
    """Per 责任单位 of a slot frame: the counts of ``core.work.progress.unit_summary`` with the unit's name
    and a flag for units with missing or late reports (the board, the overview and its chart)."""
    if frame.height == 0:
        return []
    names = names if names is not None else _names(frame["org_unit"].unique().to_list())
    return [
        {**r, "name": names.get(r["org_unit"], ""), "flag": bool(r["missing"] or r["late"])}
        for r in wp.unit_summary(frame, "org_unit").iter_rows(named=True)
    ]


def totals(frame: pl.DataFrame) -> dict[str, Any]:
    """The counts of ``unit_summary`` over every slot of the frame."""
    return _summary_dict(frame.with_columns(pl.lit(0).alias("all")), "all").get(0, dict(EMPTY_COUNTS))


def _state_counts(frame: pl.DataFrame) -> dict[str, int]:
    counts = {k: 0 for k in STATE_FILTERS}
    for state, n in frame.group_by("state").len().iter_rows():
        counts[state] = n
    counts["late"] = int(frame["late"].sum()) if frame.height else 0
    return counts


def unit_filter_options(user: Any, plan: Plan) -> list[dict[str, Any]]:
    """The 责任单位 (OrgUnit id, name) a page can filter by: the plan's linked ones the user sees."""
    qs = ResponsibleUnit.objects.visible_to(user).filter(org_unit__path__startswith=plan.org_unit.path)
    return [{"id": oid, "name": name} for oid, name in qs.values_list("org_unit_id", "name")]


def tree(
    user: Any, plan: Plan, today: dt.date, cycle: ReportingCycle | None = None, unit: int | None = None
) -> list[dict[str, Any]]:
    """The plan's task tree; each task with ``colour``/``state_label`` of its worst slot in the latest cycle
    (or ``cycle``) and ``org_units`` (OrgUnit ids of its linked units). A reporter sees only their tasks;
    ``unit`` keeps the tasks of one 责任单位."""
    qs = reports_for(user).filter(cycle__plan=plan)
    if cycle is not None:
        qs = qs.filter(cycle=cycle)
    if unit:
        qs = qs.filter(org_unit_id=unit)
    status = {r["task"]: r for r in wp.task_status(slot_frame(qs, today)).iter_rows(named=True)}
    org_of = dict(
        ResponsibleUnit.objects.filter(org_unit__path__startswith=plan.org_unit.path).values_list(
            "pk", "org_unit_id"
        )
    )
    keep: int | None = unit
    mine = own_unit(user)
    if mine is not None and not is_bureau(user):
        keep = mine.pk

    def walk(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out = []
        for node in nodes:
            tasks = []
            for t in node["tasks"]:
                ids = [org_of.get(u["unit_id"]) for u in t["units"]]
                if keep and keep not in ids:
                    continue
                s = status.get(t["id"])
                tasks.append(
                    {
                        **t,
                        "url": reverse("work:task", args=[t["id"]]),
                        "units": [{**u, "org_unit": org_of.get(u["unit_id"])} for u in t["units"]],
                        "colour": s["colour_hex"] if s else wp.COLOURS["grey"],
                        "state_label": s["state_label"] if s else "未发起填报",
                        "accepted": s["accepted"] if s else 0,
                        "slots": s["slots"] if s else 0,
                    }
                )
            children = walk(node["children"])
            if tasks or children:
                out.append({**node, "tasks": tasks, "children": children})
        return out

    return walk(task_tree(plan))


def task_reports(user: Any, task: PlanTask, today: dt.date) -> list[dict[str, Any]]:
    """The task's reports the user sees, newest cycle first, with state and colour."""
    qs = reports_for(user).filter(task=task)
    frame = slot_frame(qs, today)
    extra = {r.pk: r for r in qs.select_related("cycle", "org_unit")}
    rows = [
        {**r, "report": extra[r["id"]], "url": reverse("work:report", args=[r["id"]])}
        for r in frame.iter_rows(named=True)
    ]
    rows.sort(
        key=lambda r: (
            -r["cycle_start"].toordinal(),
            r["role"] != TaskUnit.Role.LEAD,
            r["report"].org_unit.name,
        )
    )
    return rows


def report_state(report: ProgressReport, today: dt.date) -> dict[str, Any]:
    """The one report's state, lateness and colour."""
    frame = slot_frame(ProgressReport.objects.filter(pk=report.pk), today)
    return frame.row(0, named=True)
