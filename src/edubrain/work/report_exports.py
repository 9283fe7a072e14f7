"""填报 exports: the 任务进展台账 of a cycle (xlsx, ``core.io.writers``) and the one-page summary of a
责任单位's tasks (A4 PDF through ``base.pdf``). Both read only the reports the user may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
from django.http import Http404
from django.utils import timezone

from edubrain.base.orgtree import OrgKind, OrgUnit
from edubrain.base.pdf import render_pdf
from edubrain.core.io.writers import table_bytes
from edubrain.plans.models import TaskUnit
from edubrain.work import report_queries as rq
from edubrain.work.models import ProgressReport, ReportingCycle

LEDGER_COLUMNS = [
    "任务编号",
    "任务",
    "责任单位",
    "角色",
    "状态",
    "完成进度",
    "工作进展",
    "报送时间",
    "是否逾期",
    "审核意见",
]
PDF_MAX_ROWS = 40  # one-line rows that fit one A4 page
EXCERPT = 23  # characters of the narrative that fit its column on one line


def _local(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _late_text(state: str, late: bool) -> str:
    if state == "missing":
        return "逾期未报"
    return "逾期报送" if late else "否"


def ledger_frame(user: Any, cycle: ReportingCycle, today: dt.date) -> pl.DataFrame:
    """任务进展台账: one row per slot of ``cycle`` the user sees, in task order, lead first."""
    qs = rq.reports_for(user).filter(cycle=cycle)
    states = rq.slot_frame(qs, today).select("id", "state", "state_label", "late")
    details = list(
        qs.order_by("task__order", "-role", "org_unit__sort_order", "org_unit__name").values_list(
            "id",
            "task__code",
            "task__title",
            "org_unit__name",
            "role",
            "percent",
            "narrative",
            "submitted_at",
            "review_comment",
        )
    )
    frame = pl.DataFrame(
        [
            (
                i,
                code,
                title,
                unit,
                "牵头" if role == TaskUnit.Role.LEAD else "配合",
                "" if pct is None else f"{pct}%",
                narrative,
                _local(at),
                comment,
            )
            for i, code, title, unit, role, pct, narrative, at, comment in details
        ],
        schema={
            "id": pl.Int64,
            "任务编号": pl.String,
            "任务": pl.String,
            "责任单位": pl.String,
            "角色": pl.String,
            "完成进度": pl.String,
            "工作进展": pl.String,
            "报送时间": pl.String,
            "审核意见": pl.String,
        },
        orient="row",
    )
    joined = frame.join(states, on="id", how="left", maintain_order="left")
    late = (
        pl.when(pl.col("state") == "missing")
        .then(pl.lit("逾期未报"))
        .when(pl.col("late"))
        .then(pl.lit("逾期报送"))
        .otherwise(pl.lit("否"))
    )
    return joined.with_columns(pl.col("state_label").alias("状态"), late.alias("是否逾期")).select(
        LEDGER_COLUMNS
    )


def ledger_xlsx(user: Any, cycle: ReportingCycle, today: dt.date) -> bytes:
    return table_bytes(ledger_frame(user, cycle, today), "xlsx", sheet=f"{cycle.name}任务进展台账")


def _unit_or_404(user: Any, org_unit_id: int) -> OrgUnit:
    unit = OrgUnit.objects.visible_to(user).filter(pk=org_unit_id, kind=OrgKind.UNIT).first()
    if unit is None:
        raise Http404("没有该责任单位，或您无权查看")
    return unit


def unit_summary_context(
    user: Any, org_unit_id: int, cycle: ReportingCycle | None, today: dt.date
) -> dict[str, Any]:
    """The figures of one unit's page: its slots in ``cycle`` (default: the latest cycle it has)."""
    unit = _unit_or_404(user, org_unit_id)
    mine = rq.reports_for(user).filter(org_unit=unit)
    if cycle is None:
        latest = mine.order_by("-cycle__period_start", "-cycle_id").values_list("cycle_id", flat=True).first()
        cycle = ReportingCycle.objects.filter(pk=latest).select_related("plan").first()
    qs = mine.filter(cycle=cycle) if cycle is not None else mine.none()
    frame = rq.slot_frame(qs, today)
    by_id = {r.pk: r for r in qs.select_related("task")}
    rows = []
    for s in sorted(frame.iter_rows(named=True), key=lambda s: by_id[s["id"]].task.order):
        r: ProgressReport = by_id[s["id"]]
        text = " ".join(r.narrative.split())
        rows.append(
            {
                "code": r.task.code,
                "title": r.task.title,
                "role": "牵头" if r.role == TaskUnit.Role.LEAD else "配合",
                "state": s["state_label"],
                "colour": s["colour_hex"],
                "late": _late_text(s["state"], s["late"]),
                "percent": r.percent,
                "excerpt": text[:EXCERPT] + ("…" if len(text) > EXCERPT else ""),
            }
        )
    totals = rq._summary_dict(frame.with_columns(pl.lit(0).alias("all")), "all").get(0, rq.EMPTY_COUNTS)
    overdue = [row for row in rows if row["late"] != "否"]
    return {
        "unit": unit,
        "cycle": cycle,
        "rows": rows[:PDF_MAX_ROWS],
        "more": max(len(rows) - PDF_MAX_ROWS, 0),
        "totals": totals,
        "overdue": overdue[:8],
        "more_overdue": max(len(overdue) - 8, 0),
        "today": today,
        "printed_at": timezone.localtime(),
    }


def unit_summary_pdf(
    user: Any, org_unit_id: int, cycle: ReportingCycle | None, today: dt.date
) -> tuple[OrgUnit, bytes]:
    context = unit_summary_context(user, org_unit_id, cycle, today)
    return context["unit"], render_pdf("work/unit_pdf.html", context)
