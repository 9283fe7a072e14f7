"""规划年度监测评估报告 (the annual plan monitoring report): ``build_annual`` writes the county's adopted plan
of a year into a ``ReportDoc`` — overview, every target, trends, 镇/街道 breakdown, tasks, key projects,
督导 and 整改, the targets at risk — in the order and with the headings of the bureau's template.

Every figure comes from the read sides the pages use (``plans.dashboard``, ``work.report_queries``,
``work.projects``, ``work.supervision_queries``), read as the county's bureau sees them, so the report prints
what the dashboard shows: the targets are judged "截至{year}年" (the dashboard's 截至年份), values printed
with the indicator's decimals. Work-tracking states (项目、整改) are as they stand on the date of writing.
The target sections live here; the work sections in ``annual_work``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone

from edubrain.base.orgtree import OrgKind, OrgUnit
from edubrain.core.plan import progress as pr
from edubrain.core.report import charts
from edubrain.core.report.document import Block, Figure, Heading, Paragraph, ReportDoc, Table
from edubrain.core.report.template import ReportTemplate, SectionSpec, fill
from edubrain.plans import dashboard
from edubrain.plans.models import IndicatorValue, KeyProject, Plan, PlanTask, TaskUnit
from edubrain.reports.common import EMPTY, date_text, placeholder_values, viewer

Progress = Callable[[int, str], None]
MAX_TRENDS = 6
MAX_BREAKDOWN = 4
RISK_STATUSES = (pr.OFF_TRACK, pr.AT_RISK)


# ---------------------------------------------------------------- context


@dataclass
class Context:
    unit: OrgUnit
    year: int
    plan: Plan
    template: ReportTemplate
    today: dt.date
    viewer: Any
    rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def values(self) -> dict[str, Any]:
        plan = f"《{self.plan.title}》"
        return placeholder_values(self.unit, self.year, self.template, self.today, plan=plan)

    def fill(self, text: str) -> str:
        return fill(text, self.values)


def number(value: float | None, decimals: int) -> str:
    """A value as the dashboard prints it (``plans.views.number`` without the unit)."""
    return EMPTY if value is None else f"{value:,.{decimals}f}"


def adopted_plan(unit: OrgUnit, year: int) -> Plan:
    """The adopted plan of ``unit`` whose period covers ``year``; ValueError (Chinese) if there is none."""
    covers = (Q(start_year__isnull=True) | Q(start_year__lte=year)) & (
        Q(end_year__isnull=True) | Q(end_year__gte=year)
    )
    plan = (
        Plan.objects.filter(covers, org_unit=unit, status=Plan.Status.ADOPTED)
        .select_related("org_unit")
        .order_by("-start_year", "-pk")
        .first()
    )
    if plan is None:
        raise ValueError(
            f"{unit.name}没有覆盖{year}年的已采用规划，无法生成年度监测评估报告。请先导入并采用规划。"
        )
    return plan


# ---------------------------------------------------------------- the document


def build_annual(
    org_unit: OrgUnit, year: int, template: ReportTemplate, progress: Progress | None = None
) -> ReportDoc:
    """The annual monitoring report of ``org_unit``'s adopted plan for ``year`` (see the module doc)."""
    from edubrain.reports import annual_work

    def step(pct: int, text: str) -> None:
        if progress is not None:
            progress(pct, text)

    plan = adopted_plan(org_unit, year)
    ctx = Context(org_unit, year, plan, template, timezone.localdate(), viewer(org_unit))
    step(5, "读取目标和指标值")
    ctx.rows = dashboard.target_rows(ctx.viewer, plan, org_unit, year)
    builders: dict[str, Callable[[Context], list[Block]]] = {
        "overview": overview,
        "targets": targets,
        "trends": trends,
        "breakdown": breakdown,
        "tasks": annual_work.tasks,
        "projects": annual_work.projects,
        "supervision": annual_work.supervision,
        "risks": risks,
    }
    doc = ReportDoc(
        title=ctx.fill(template.title),
        issuer=ctx.values["issuer"],
        date_text=date_text(ctx.today),
    )
    doc.add(*[Paragraph(ctx.fill(t)) for t in template.opening])
    shown = [s for s in template.sections if s.enabled and s.key in builders]
    for i, spec in enumerate(shown):
        step(10 + 85 * i // max(len(shown), 1), f"正在生成“{spec.heading}”")
        doc.add(*section_head(ctx, spec))
        doc.add(*builders[spec.key](ctx))
    doc.add(*[Paragraph(ctx.fill(t)) for t in template.closing])
    step(100, "报告内容已生成")
    return doc


def section_head(ctx: Context, spec: SectionSpec) -> list[Block]:
    blocks: list[Block] = [Heading(ctx.fill(spec.heading), 1)]
    if spec.intro:
        blocks.append(Paragraph(ctx.fill(spec.intro)))
    return blocks


# ---------------------------------------------------------------- overview


def overview(ctx: Context) -> list[Block]:
    counts = {c["status"]: c for c in dashboard.status_counts(ctx.rows)}
    total = len(ctx.rows)
    parts = "，".join(f"{c['label']}{c['count']}个" for c in counts.values() if c["count"])
    tasks = PlanTask.objects.filter(plan=ctx.plan).count()
    n_projects = KeyProject.objects.filter(plan=ctx.plan).count()
    period = f"{ctx.plan.start_year}—{ctx.plan.end_year}年" if ctx.plan.start_year else ""
    judged = total - counts[pr.NO_DATA]["count"]
    good = counts[pr.ACHIEVED]["count"] + counts[pr.ON_TRACK]["count"]
    behind = counts[pr.OFF_TRACK]["count"] + counts[pr.AT_RISK]["count"]
    sentences = [
        f"{ctx.values['plan']}（规划期{period}）确定主要目标指标{total}个、重点任务{tasks}项、"
        f"重点项目{n_projects}个。",
        f"截至{ctx.year}年，{total}个目标指标中{parts}。" if parts else "",
        f"在可监测的{judged}个指标中，{good}个已达成或进展顺利，{behind}个进度滞后或存在风险"
        + ("，需重点推进。" if behind else "。")
        if judged
        else "各目标指标暂无可用的监测数据。",
    ]
    blocks: list[Block] = [Paragraph("".join(s for s in sentences if s), lead="总体进展。")]
    blocks.append(
        Table(
            ["完成情况", "指标数（个）"],
            [[c["label"], str(c["count"])] for c in counts.values()] + [["合计", str(total)]],
            caption=f"{ctx.year}年目标指标完成情况汇总",
            numeric=[False, True],
        )
    )
    return blocks


# ---------------------------------------------------------------- targets


def year_value(row: dict[str, Any], year: int) -> float | None:
    """The target's value of exactly ``year`` as the dashboard publishes it (the indicator's decimals)."""
    if row["latest_year"] == year:
        latest: float | None = row["latest"]
        return latest
    raw = dict(row["values"]).get(year)
    return None if raw is None else pr.published(raw, row["decimals"])


def baseline_text(row: dict[str, Any]) -> str:
    if row["baseline"] is None:
        return EMPTY
    year = f"（{row['baseline_year']}年）" if row["baseline_year"] else ""
    return f"{pr.fmt(row['baseline'])}{year}"


def target_table_rows(ctx: Context) -> list[list[str]]:
    return [
        [
            str(i),
            row["name"],
            row["unit"],
            baseline_text(row),
            number(year_value(row, ctx.year), row["decimals"]),
            row["target_text"],
            row["label"],
        ]
        for i, row in enumerate(ctx.rows, 1)
    ]


def targets(ctx: Context) -> list[Block]:
    columns = ["序号", "指标", "单位", "基期值（年）", f"{ctx.year}年监测值", "目标值", "完成情况"]
    blocks: list[Block] = [
        Table(
            columns,
            target_table_rows(ctx),
            caption=f"主要目标指标{ctx.year}年完成情况",
            numeric=[False, False, False, True, True, False, False],
            widths_cm=[0.9, 4.4, 1.1, 2.4, 1.7, 3.2, 1.9],
        )
    ]
    for i, row in enumerate(ctx.rows, 1):
        blocks.append(Paragraph(row["explanation"], lead=f"{i}．{row['name']}（{row['label']}）。"))
    return blocks


# ---------------------------------------------------------------- trends


def trend_candidates(ctx: Context) -> list[dict[str, Any]]:
    """Up to six targets with at least two values up to ``year``, one per indicator: the ones behind
    first (they need the picture most), then the others in the plan's order."""
    seen: set[int] = set()
    with_data = []
    for row in ctx.rows:
        ind = row["indicator"]
        if ind is None or ind.pk in seen or len(row["values"]) < 2 or row["status"] == pr.NO_DATA:
            continue
        seen.add(ind.pk)
        with_data.append(row)
    ranked = sorted(with_data, key=lambda r: r["status"] not in RISK_STATUSES)
    return ranked[:MAX_TRENDS]


def trend_figure(ctx: Context, row: dict[str, Any]) -> Figure:
    prog: pr.Progress = row["progress"]
    spec = dashboard.spec_of(row["target"], ctx.plan)
    observed = {y: pr.published(v, row["decimals"]) for y, v in row["values"]}
    path = sorted((prog.path or {}).items())
    forecast: list[tuple[int, float]] = []
    if prog.forecast is not None:
        f = prog.forecast
        forecast = [(y, f.at(y)) for y in range(f.last_year, f.year + 1)]
    level = spec.comparator in pr.LEVEL_COMPARATORS
    png = charts.trend_png(
        row["name"],
        row["unit"],
        observed,
        path=path,
        forecast=forecast,
        target=spec.target if level else None,
        target_year=spec.target_year if level else None,
    )
    first = min(observed)
    return Figure(png, f"{row['name']}（{first}—{ctx.year}年，目标{row['target_text']}）")


def trends(ctx: Context) -> list[Block]:
    chosen = trend_candidates(ctx)
    if not chosen:
        return [Paragraph(f"截至{ctx.year}年，尚无两个以上年度监测值的指标，暂不作趋势分析。")]
    blocks: list[Block] = []
    for row in chosen:
        blocks.append(Paragraph(row["explanation"], lead=f"{row['name']}。"))
        blocks.append(trend_figure(ctx, row))
    return blocks


# ---------------------------------------------------------------- 镇/街道 breakdown


def breakdown_candidates(ctx: Context) -> list[dict[str, Any]]:
    """Up to four rate targets (one per indicator) with 镇/街道 values in ``year`` (one query)."""
    rates = [
        r
        for r in ctx.rows
        if r["indicator"] is not None and r["unit"] not in dashboard.TOTAL_UNITS and r["status"] != pr.NO_DATA
    ]
    ids = {r["indicator"].pk for r in rates}
    having = set(
        IndicatorValue.objects.visible_to(ctx.viewer)
        .filter(
            indicator_id__in=ids,
            year=ctx.year,
            value__isnull=False,
            org_unit__kind=OrgKind.TOWN,
            org_unit__path__startswith=ctx.unit.path,
        )
        .values_list("indicator_id", flat=True)
        .distinct()
    )
    seen: set[int] = set()
    out = []
    for r in rates:
        pk = r["indicator"].pk
        if pk in having and pk not in seen:
            seen.add(pk)
            out.append(r)
    return out[:MAX_BREAKDOWN]


def breakdown(ctx: Context) -> list[Block]:
    chosen = breakdown_candidates(ctx)
    if not chosen:
        return [Paragraph(f"{ctx.year}年暂无分镇（街道）的指标监测数据。")]
    frames = [
        dashboard.breakdown(ctx.viewer, r["target"], ctx.plan, ctx.unit, ctx.year)[str(OrgKind.TOWN)]
        for r in chosen
    ]
    towns: dict[int, str] = {}
    values: list[dict[int, float | None]] = []
    for frame in frames:
        for rec in frame.sort("name").iter_rows(named=True):
            towns.setdefault(rec["org_unit_id"], rec["name"])
        values.append(dict(zip(frame["org_unit_id"].to_list(), frame["value"].to_list(), strict=True)))
    order = sorted(towns, key=lambda pk: towns[pk])
    columns = ["镇（街道）", *[f"{r['name']}（{r['unit']}）" for r in chosen]]
    rows = [
        [towns[pk], *[number(v.get(pk), r["decimals"]) for v, r in zip(values, chosen, strict=True)]]
        for pk in order
    ]
    first = chosen[0]
    lead = frames[0].filter(frames[0]["value"].is_not_null())
    best = lead.row(0, named=True) if lead.height else None
    worst = lead.row(lead.height - 1, named=True) if lead.height else None
    sentence = f"{ctx.year}年各镇（街道）{first['name']}"
    if best is not None and worst is not None:
        sentence += (
            f"最好的是{best['name']}（{number(best['value'], first['decimals'])}{first['unit']}），"
            f"最低的是{worst['name']}（{number(worst['value'], first['decimals'])}{first['unit']}）。"
        )
    spec = dashboard.spec_of(first["target"], ctx.plan)
    level = spec.comparator in pr.LEVEL_COMPARATORS and spec.target is not None
    png = charts.bar_png(
        first["name"],
        first["unit"],
        [towns[pk] for pk in order],
        [values[0].get(pk) for pk in order],
        limit=spec.target if level else None,
        limit_label=f"目标 {first['target_text']}" if level else "",
        horizontal=True,
    )
    return [
        Paragraph(sentence),
        Table(
            columns,
            rows,
            caption=f"{ctx.year}年各镇（街道）主要指标",
            numeric=[False, *[True] * len(chosen)],
        ),
        Figure(png, f"{ctx.year}年各镇（街道）{first['name']}"),
    ]


# ---------------------------------------------------------------- risks


def task_units(plan: Plan) -> dict[int, tuple[list[str], list[str]]]:
    """{task id: (牵头单位 names, 配合单位 names)} in the plan's order — one query."""
    out: dict[int, tuple[list[str], list[str]]] = {}
    qs = TaskUnit.objects.filter(task__plan=plan).order_by("task_id", "order", "pk")
    for task_id, role, name in qs.values_list("task_id", "role", "name"):
        lead, co = out.setdefault(task_id, ([], []))
        (lead if role == TaskUnit.Role.LEAD else co).append(name)
    return out


def risk_rows(ctx: Context) -> list[dict[str, Any]]:
    """The targets whose status is 进度滞后 or 存在风险 (the dashboard's), in the plan's order."""
    return [r for r in ctx.rows if r["status"] in RISK_STATUSES]


def risks(ctx: Context) -> list[Block]:
    at_risk = risk_rows(ctx)
    if not at_risk:
        return [Paragraph(f"截至{ctx.year}年，各目标指标均无进度滞后或不能如期完成的风险。")]
    units = task_units(ctx.plan)
    off = sum(r["status"] == pr.OFF_TRACK for r in at_risk)
    rows = []
    for i, r in enumerate(at_risk, 1):
        task_id = r["target"].task_id
        lead, co = units.get(task_id, ([], [])) if task_id else ([], [])
        rows.append(
            [
                str(i),
                r["name"],
                number(year_value(r, ctx.year), r["decimals"]),
                r["target_text"],
                r["label"],
                "、".join(lead) or "规划未明确",
                "、".join(co) or EMPTY,
            ]
        )
    sentence = (
        f"截至{ctx.year}年，共有{len(at_risk)}个目标指标存在不能如期完成的风险，其中进度滞后{off}个、"
        f"存在风险{len(at_risk) - off}个。"
    )
    blocks: list[Block] = [
        Paragraph(sentence),
        Table(
            ["序号", "指标", f"{ctx.year}年监测值", "目标值", "完成情况", "牵头单位", "配合单位"],
            rows,
            caption="存在不能如期完成风险的目标指标",
            numeric=[False, False, True, False, False, False, False],
        ),
    ]
    for r in at_risk:
        blocks.append(Paragraph(r["explanation"], lead=f"{r['name']}。"))
    return blocks
