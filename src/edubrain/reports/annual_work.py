"""The work-tracking sections of the annual monitoring report: 重点任务推进 (the latest 填报周期 of the
year), 重点项目建设 (the 18 key projects) and 督导和整改 (the rounds of the year). Figures come from the
工作推进 read sides (``work.report_queries``, ``work.projects``, ``work.supervision_queries`` and the pure
``core.work`` rules) read as the county's bureau; states that depend on the date are as of the date of
writing (``ctx.today``).
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

import polars as pl
from django.db.models import Count

from edubrain.base.frames import queryset_frame
from edubrain.core.report.document import Block, Heading, Paragraph, Table
from edubrain.core.work import progress as wp
from edubrain.core.work.rectify import statistics
from edubrain.plans.dashboard import task_tree
from edubrain.reports.annual import Context
from edubrain.reports.common import EMPTY, date_text
from edubrain.reports.common import pct as percent
from edubrain.work import projects as work_projects
from edubrain.work import report_queries
from edubrain.work.models import (
    Escalation,
    Finding,
    InspectionKind,
    InspectionRound,
    ProjectTrack,
    ReportingCycle,
)
from edubrain.work.supervision_queries import STAT_FIELDS

EXCERPT = 60


# ---------------------------------------------------------------- tasks


def excerpt(text: str, limit: int = EXCERPT) -> str:
    """The first sentence of a narrative, at most ``limit`` characters."""
    text = " ".join(text.split())
    if not text:
        return EMPTY
    first = text.split("。")[0] + ("。" if "。" in text else "")
    return first if len(first) <= limit else first[: limit - 1] + "…"


def year_cycle(ctx: Context) -> ReportingCycle | None:
    """The latest 填报周期 of the plan that starts in ``ctx.year``."""
    return (
        ReportingCycle.objects.filter(plan=ctx.plan, period_start__year=ctx.year)
        .order_by("-period_start", "-pk")
        .first()
    )


def chapter_tasks(node: dict[str, Any]) -> list[dict[str, Any]]:
    """The tasks of a chapter and of its sub-sections, in order."""
    out = list(node["tasks"])
    for child in node["children"]:
        out.extend(chapter_tasks(child))
    return out


def task_row(task: dict[str, Any], slots: dict[int, list[dict[str, Any]]]) -> list[str]:
    mine = slots.get(task["id"], [])
    lead_names = [u["name"] for u in task["units"] if u["lead"]]
    lead = next((s for s in mine if s["role"] == "lead"), None)
    worst = max(mine, key=lambda s: s["rank"]) if mine else None
    return [
        task["code"],
        task["title"],
        "、".join(lead_names) or EMPTY,
        worst["state_label"] if worst else "未发起填报",
        f"{lead['percent']}%" if lead and lead["percent"] is not None else EMPTY,
        excerpt(lead["narrative"]) if lead else EMPTY,
    ]


def task_slots(ctx: Context, cycle: ReportingCycle) -> tuple[pl.DataFrame, dict[int, list[dict[str, Any]]]]:
    """The cycle's slots with their states (``report_queries.slot_frame``), and per task the slot dicts with
    the reported percent and narrative."""
    qs = report_queries.reports_for(ctx.viewer).filter(cycle=cycle)
    frame = report_queries.slot_frame(qs, ctx.today)
    text = {pk: (p, n) for pk, p, n in qs.values_list("pk", "percent", "narrative")}
    by_task: dict[int, list[dict[str, Any]]] = {}
    for rec in frame.iter_rows(named=True):
        p, n = text.get(rec["id"], (None, ""))
        by_task.setdefault(rec["task"], []).append({**rec, "percent": p, "narrative": n})
    return frame, by_task


def chapter_blocks(node: dict[str, Any], slots: dict[int, list[dict[str, Any]]], level: int) -> list[Block]:
    """A chapter's heading, the table of its own tasks, then its sub-sections (one level down)."""
    if not chapter_tasks(node):
        return []
    blocks: list[Block] = [Heading(node["title"], min(level, 3))]
    if node["tasks"]:
        blocks.append(
            Table(
                TASK_COLUMNS,
                [task_row(t, slots) for t in node["tasks"]],
                caption=f"“{node['title']}”任务推进情况",
                numeric=[False, False, False, False, True, False],
                widths_cm=[1.6, 4.0, 2.4, 1.8, 1.4, 5.0],
            )
        )
    for child in node["children"]:
        blocks.extend(chapter_blocks(child, slots, level + 1))
    return blocks


TASK_COLUMNS = ["编号", "任务", "牵头单位", "报送状态", "完成进度", "进展情况"]


def tasks(ctx: Context) -> list[Block]:
    cycle = year_cycle(ctx)
    tree = task_tree(ctx.plan)
    total = sum(len(chapter_tasks(n)) for n in tree)
    if cycle is None:
        return [Paragraph(f"{ctx.year}年未发起规划任务进展填报，{total}项重点任务暂无报送情况。")]
    frame, slots = task_slots(ctx, cycle)
    summary = report_queries.totals(frame)
    states = Counter(s["state"] for v in slots.values() for s in v)
    blocks: list[Block] = [
        Paragraph(
            f"{cycle.name}填报周期（报送期限{date_text(cycle.due_on)}）共有{total}项重点任务，"
            f"应报{summary['expected']}份，已报{summary['filed']}份，审核通过{states[wp.ACCEPTED]}份，"
            f"逾期未报{summary['missing']}份，按时报送率{percent(summary['on_time_rate'])}。"
        )
    ]
    for node in tree:
        blocks.extend(chapter_blocks(node, slots, 2))
    blocks.append(Heading("各责任单位报送情况", 2))
    units = report_queries.unit_table(frame)
    units.sort(key=lambda r: (-r["missing"], -r["late"], r["name"]))
    blocks.append(
        Table(
            ["责任单位", "应报（份）", "已报（份）", "通过（份）", "逾期未报（份）", "按时报送率"],
            [
                [
                    u["name"],
                    str(u["expected"]),
                    str(u["filed"]),
                    str(u["accepted"]),
                    str(u["missing"]),
                    percent(u["on_time_rate"]),
                ]
                for u in units
            ],
            caption=f"{cycle.name}各责任单位报送情况",
            numeric=[False, True, True, True, True, True],
        )
    )
    return blocks


# ---------------------------------------------------------------- key projects


def money(value: Decimal | float | None) -> str:
    return EMPTY if value is None else f"{float(value):,.2f}"


def rate(value: float | None) -> str:
    """投资完成率 as the project pages print it (a whole per cent)."""
    return EMPTY if value is None else f"{round(value * 100)}%"


def next_step(row: dict[str, Any]) -> str:
    if not row["next_milestone"]:
        return EMPTY
    when = f"（{date_text(row['next_on'])}）" if row["next_on"] else ""
    return f"{row['next_milestone']}{when}"


def projects(ctx: Context) -> list[Block]:
    rows = work_projects.project_rows(ctx.viewer, ctx.plan, ctx.today)
    if not rows:
        return [Paragraph("规划未列重点项目。")]
    done = sum(r["status"] == ProjectTrack.Status.DONE for r in rows)
    building = sum(r["status"] == ProjectTrack.Status.BUILDING for r in rows)
    late = sum(r["state"] == "late" for r in rows)
    budget = sum(float(r["budget"]) for r in rows if r["budget"] is not None)
    spent = sum(float(r["spent"]) for r in rows if r["spent"] is not None)
    sentence = (
        f"规划确定重点项目{len(rows)}个，截至{date_text(ctx.today)}，已完工{done}个、在建{building}个、"
        f"未开工或暂缓{len(rows) - done - building}个，其中进度滞后{late}个；"
        f"计划总投资{money(budget)}万元，已完成投资{money(spent)}万元。"
    )
    table = Table(
        ["序号", "项目名称", "状态", "总投资（万元）", "已完成投资（万元）", "完成率", "下一节点", "进度"],
        [
            [
                str(r["number"]),
                r["name"],
                r["status_label"],
                money(r["budget"]),
                money(r["spent"]),
                rate(r["spend_rate"]),
                next_step(r),
                f"{r['state_label']}（延误{r['delay_days']}天）"
                if r["state"] == "late"
                else r["state_label"],
            ]
            for r in rows
        ],
        caption="重点项目建设情况",
        numeric=[False, False, False, True, True, True, False, False],
        widths_cm=[1.0, 4.4, 1.4, 1.9, 1.9, 1.3, 2.6, 1.7],
    )
    return [Paragraph(sentence), table]


# ---------------------------------------------------------------- supervision


def stats_text(s: dict[str, Any]) -> str:
    return (
        f"发现问题{s['findings']}个（一般{s['minor']}个、较重{s['major']}个、严重{s['serious']}个），"
        f"已整改销号{s['closed']}个，逾期未整改{s['overdue']}个，整改完成率{percent(s['closed_rate'])}"
    )


ROUND_COLUMNS = [
    "督导名称",
    "时间",
    "督导对象",
    "发现问题",
    "一般",
    "较重",
    "严重",
    "已销号",
    "逾期",
    "整改完成率",
]


def round_row(r: InspectionRound, s: dict[str, Any], targets: int) -> list[str]:
    when = f"{r.start_on.month}月{r.start_on.day}日—{r.end_on.month}月{r.end_on.day}日"
    return [
        r.name,
        when,
        str(targets),
        *[str(s.get(k, 0)) for k in ("findings", "minor", "major", "serious", "closed", "overdue")],
        percent(s.get("closed_rate")),
    ]


def supervision(ctx: Context) -> list[Block]:
    rounds = list(
        InspectionRound.objects.visible_to(ctx.viewer)
        .filter(start_on__year=ctx.year, county__path__startswith=ctx.unit.path)
        .annotate(n_targets=Count("targets", distinct=True))
        .order_by("start_on", "pk")
    )
    escalations = Counter(
        Escalation.objects.visible_to(ctx.viewer).filter(on__year=ctx.year).values_list("kind", flat=True)
    )
    escalated = "、".join(f"{Escalation.Kind(k).label}{n}次" for k, n in sorted(escalations.items()))
    escalation_text = (
        f"全年约谈、通报、问责共{sum(escalations.values())}次（{escalated}）。" if escalated else ""
    )
    if not rounds:
        return [Paragraph(f"{ctx.year}年未组织督导检查。{escalation_text}")]
    frame = queryset_frame(
        Finding.objects.visible_to(ctx.viewer).filter(inspection__in=[r.pk for r in rounds]).order_by(),
        STAT_FIELDS,
    )
    by_round = {s["inspection_id"]: s for s in statistics(frame, ["inspection_id"], ctx.today).to_dicts()}
    total = statistics(frame, [], ctx.today).to_dicts()[0]
    kinds = Counter(r.kind for r in rounds)
    kind_text = "、".join(f"{InspectionKind(k).label}{n}轮" for k, n in kinds.items())
    blocks: list[Block] = [
        Paragraph(
            f"{ctx.year}年共组织督导{len(rounds)}轮（{kind_text}），{stats_text(total)}，"
            f"按期整改率{percent(total['on_time_rate'])}（整改状态截至{date_text(ctx.today)}）。"
            + escalation_text
        )
    ]
    for kind in InspectionKind:
        mine = [r for r in rounds if r.kind == kind.value]
        if not mine:
            continue
        blocks.append(
            Table(
                ROUND_COLUMNS,
                [round_row(r, by_round.get(r.pk, {}), r.n_targets) for r in mine],
                caption=f"{ctx.year}年{kind.label}情况",
                numeric=[False, False, True, True, True, True, True, True, True, True],
            )
        )
    return blocks
