"""规划监测 API: plans, their targets with progress, the indicator catalogue and the stored indicator values.

Routes (mounted under /api): ``GET /plans``, ``GET /plans/{id}``, ``GET /plans/{id}/targets``,
``GET /indicators``, ``GET /indicators/{code}/values``. Scoped like the pages (``plans.dashboard``): a plan
the caller may not read, an org unit outside their scope or an unknown indicator is a 404; values always come
from ``IndicatorValue.objects.visible_to``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Case, F, IntegerField, Prefetch, Value, When
from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from edubrain.base.api import ApiSchema, Choice, PagePagination, Ref, api_user
from edubrain.base.orgtree import OrgKind, OrgUnit
from edubrain.core.indicators.catalogue import CATALOGUE_LIST
from edubrain.core.plan import progress as pr
from edubrain.plans import dashboard
from edubrain.plans.models import (
    Indicator,
    IndicatorValue,
    KeyProject,
    PlanSection,
    PlanTarget,
    PlanTask,
    TaskUnit,
)

TAG = "规划监测"
router = Router(tags=[TAG])
STATUS_HELP = "达成状态：" + "、".join(f"{k} {v}" for k, v in pr.STATUS_LABELS.items())
COMPARATOR_HELP = (
    "比较方式：>= 不低于、<= 不高于、= 约等于（±2%）、decrease_by 每年降低不少于、increase_by 每年提高不少于"
)


class PlanFields(Schema):
    id: int
    title: str = Field(description="规划名称")
    issuer: str = Field(description="印发机关")
    doc_number: str = Field(description="文号")
    start_year: int | None = Field(None, description="起始年份（草稿可能为空）")
    end_year: int | None = Field(None, description="目标年份（草稿可能为空）")
    status: Choice = Field(description="draft 待审核、adopted 已采用")
    org_unit: Ref = Field(description="规划区域（县、市或省）")
    adopted_at: dt.datetime | None = None


class PlanOut(PlanFields, ApiSchema):
    """A plan row (``status`` resolved from the model's choices)."""


class SectionOut(Schema):
    code: str = Field(description="编号（编号路径，如 二.(一)）")
    title: str
    parent: str | None = Field(None, description="上级章节编号")


class TaskUnitOut(Schema):
    name: str = Field(description="单位名称（规划原文）")
    role: str = Field(description="lead 牵头、co 配合")
    unit_id: int | None = Field(None, description="对应的责任单位 id（/api/responsible-units）")


class TaskOut(Schema):
    code: str
    title: str
    text: str
    section: str | None = Field(None, description="所属章节编号")
    units: list[TaskUnitOut] = Field(description="责任单位，牵头单位在前")


class TargetOut(Schema):
    id: int
    indicator_name: str = Field(description="指标（规划原文）")
    indicator: str | None = Field(None, description="对应指标代码（/api/indicators）；未对应为 null")
    category: str
    unit: str
    baseline_year: int | None = None
    baseline: float | None = None
    target_year: int | None = None
    target: float | None = Field(None, description="目标值；逐年目标为每年变化量")
    comparator: str = Field(description=COMPARATOR_HELP)
    nature: str = Field(description="预期性、约束性或空")
    task: str | None = Field(None, description="所属任务编号")
    source: str = Field(description="规划原文")


class ProjectOut(Schema):
    number: int
    name: str
    content: str


class PlanDetailOut(PlanFields):
    sections: list[SectionOut] = Field(description="章节（按顺序，平铺，parent 为上级编号）")
    tasks: list[TaskOut]
    targets: list[TargetOut]
    projects: list[ProjectOut] = Field(description="重点项目")


class ForecastOut(Schema):
    year: int
    value: float
    slope: float = Field(description="每年变化量（最小二乘斜率）")
    method: str


class YearPoint(Schema):
    year: int
    value: float


class CheckOut(Schema):
    year: int
    previous_year: int
    change: float
    required: float = Field(description="该间隔要求的变化（降低为负数）")
    met: bool


class TargetProgressOut(TargetOut):
    target_text: str = Field(description="目标的中文表述，如 ≥55%（2025年）")
    latest_year: int | None = None
    latest: float | None = Field(None, description="最新年份的指标值（所选单位）")
    status: str = Field(description=STATUS_HELP)
    status_label: str
    explanation: str = Field(description="一句话说明")
    on_path: bool | None = Field(None, description="最新值是否达到计划路径")
    values: list[YearPoint] = Field(description="历年指标值")
    path: list[YearPoint] = Field(description="计划路径（基期值到目标值的直线）")
    forecast: ForecastOut | None = Field(None, description="趋势预测（至少两个年度值）")
    checks: list[CheckOut] = Field(description="逐年目标的逐年比较")


class UnitOut(Schema):
    id: int
    name: str
    kind: str = Field(description="county、town、school 等")


class TargetsOut(Schema):
    plan: int
    unit: UnitOut | None = Field(None, description="指标值所属单位")
    rule: str = Field(description="达成状态的判定规则")
    targets: list[TargetProgressOut]


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str
    definition: str
    numerator: str
    denominator: str
    kind: str = Field(description="computed 系统计算、manual 人工填报")
    decimals: int
    higher_is_better: bool


class ValueOut(Schema):
    org_unit_id: int
    org_unit_name: str
    org_unit_kind: str
    year: int
    value: float | None = Field(None, description="指标值；无法计算时为 null（见 note）")
    numerator: float | None = None
    denominator: float | None = None
    note: str
    source: str = Field(description="computed 系统计算、manual 人工填报")
    provenance: str = Field(description="数据来源")
    computed_at: dt.datetime | None = None


def _target(t: PlanTarget) -> dict[str, Any]:
    return {
        "id": t.pk,
        "indicator_name": t.indicator_name,
        "indicator": t.indicator.code if t.indicator else None,
        "category": t.category,
        "unit": t.unit,
        "baseline_year": t.baseline_year,
        "baseline": t.baseline,
        "target_year": t.target_year,
        "target": t.target,
        "comparator": t.comparator,
        "nature": t.nature,
        "task": t.task.code if t.task else None,
        "source": t.source,
    }


@router.get("/plans", response=list[PlanOut], summary="规划列表", operation_id="list_plans")
@paginate(PagePagination)
def list_plans(request: Any) -> Any:
    """当前用户可查看的规划：权限范围内的规划，以及所在区域已采用的上级规划；已采用的在前。分页返回。"""
    return dashboard.plans_for(api_user(request))


@router.get("/plans/{id}", response=PlanDetailOut, summary="规划详情", operation_id="get_plan")
def get_plan(request: Any, id: int) -> Any:  # noqa: A002
    """一个规划的章节、重点任务（含责任单位，牵头单位在前）、量化目标和重点项目；无权查看时返回 404。"""
    plan = dashboard.plan_or_404(api_user(request), id)
    lead_first = Case(
        When(role=TaskUnit.Role.LEAD, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    units = Prefetch("units", queryset=TaskUnit.objects.order_by(lead_first, "order", "pk"))
    sections = PlanSection.objects.filter(plan=plan).select_related("parent").order_by("order", "pk")
    tasks = PlanTask.objects.filter(plan=plan).select_related("section").prefetch_related(units)
    targets = PlanTarget.objects.filter(plan=plan).select_related("indicator", "task").order_by("order", "pk")
    return {
        **{
            f: getattr(plan, f)
            for f in ("id", "title", "issuer", "doc_number", "start_year", "end_year", "adopted_at")
        },
        "status": {"code": plan.status, "label": plan.get_status_display()},
        "org_unit": {"id": plan.org_unit_id, "name": plan.org_unit.name},
        "sections": [
            {"code": s.code, "title": s.title, "parent": s.parent.code if s.parent else None}
            for s in sections
        ],
        "tasks": [
            {
                "code": t.code,
                "title": t.title,
                "text": t.text,
                "section": t.section.code if t.section else None,
                "units": [{"name": u.name, "role": u.role, "unit_id": u.unit_id} for u in t.units.all()],
            }
            for t in tasks.order_by("order", "pk")
        ],
        "targets": [_target(t) for t in targets],
        "projects": list(
            KeyProject.objects.filter(plan=plan).order_by("number").values("number", "name", "content")
        ),
    }


def _points(values: Any) -> list[dict[str, Any]]:
    return [{"year": y, "value": v} for y, v in sorted(dict(values).items()) if v is not None]


@router.get(
    "/plans/{id}/targets", response=TargetsOut, summary="规划目标达成情况", operation_id="list_plan_targets"
)
def plan_targets(
    request: Any,
    id: int,  # noqa: A002
    unit: int | None = Query(None, description="组织机构 id（县、镇/街道或学校），默认规划区域或本人单位"),
    year: int | None = Query(None, description="截至年份：只用该年及以前的指标值判断，默认全部年份"),
) -> Any:
    """每个量化目标的基期、目标、所选单位的最新值、达成状态（已达成、进展顺利、存在风险、进度滞后、数据不足）、
    一句话说明、计划路径、趋势预测和逐年比较。数值取自已存储的指标值。"""
    user = api_user(request)
    plan = dashboard.plan_or_404(user, id)
    subject = dashboard.subject_unit(user, plan, unit)
    out = []
    for row in dashboard.target_rows(user, plan, subject, year):
        p: pr.Progress = row["progress"]
        f = p.forecast
        out.append(
            {
                **_target(row["target"]),
                "target_text": row["target_text"],
                "latest_year": p.latest_year,
                "latest": p.latest,
                "status": p.status,
                "status_label": p.label,
                "explanation": p.explanation,
                "on_path": p.on_path,
                "values": _points(row["values"]),
                "path": _points(p.path or {}),
                "forecast": {"year": f.year, "value": f.value, "slope": f.slope, "method": f.method}
                if f
                else None,
                "checks": [
                    {
                        "year": c.year,
                        "previous_year": c.previous_year,
                        "change": c.change,
                        "required": c.required,
                        "met": c.met,
                    }
                    for c in p.checks
                ],
            }
        )
    return {
        "plan": plan.pk,
        "unit": {"id": subject.pk, "name": subject.name, "kind": subject.kind} if subject else None,
        "rule": pr.STATUS_RULE,
        "targets": out,
    }


INDICATOR_FIELDS = (
    "code",
    "name",
    "unit",
    "definition",
    "numerator",
    "denominator",
    "kind",
    "decimals",
    "higher_is_better",
)


@router.get("/indicators", response=list[IndicatorOut], summary="指标目录", operation_id="list_indicators")
def list_indicators(request: Any) -> Any:
    """规划监测的全部指标：代码、名称、单位、定义、分子、分母、来源（系统计算或人工填报）。"""
    api_user(request)
    known = {row["code"]: row for row in Indicator.objects.values(*INDICATOR_FIELDS)}
    out = [known.pop(d.code, {f: getattr(d, f) for f in INDICATOR_FIELDS}) for d in CATALOGUE_LIST]
    return out + sorted(known.values(), key=lambda row: row["code"])


@router.get(
    "/indicators/{code}/values",
    response=list[ValueOut],
    summary="指标值",
    operation_id="list_indicator_values",
)
@paginate(PagePagination)
def list_values(
    request: Any,
    code: str,
    org_unit: int | None = Query(None, description="组织机构 id：只返回该单位的值"),
    year: int | None = Query(None, description="年份"),
    kind: str | None = Query(None, description="单位类型：county 县、town 镇/街道、school 学校"),
) -> Any:
    """一个指标在当前用户数据权限范围内各单位、各年份的值，含分子、分母、说明和数据来源；分页返回。
    指标代码不存在或 org_unit 不在权限范围内时返回 404。"""
    user = api_user(request)
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        raise Http404("没有该指标")
    qs = IndicatorValue.objects.visible_to(user).filter(indicator=indicator)
    if org_unit is not None:
        if not OrgUnit.objects.visible_to(user).filter(pk=org_unit).exists():
            raise Http404("没有该单位，或您无权查看")
        qs = qs.filter(org_unit_id=org_unit)
    if year is not None:
        qs = qs.filter(year=year)
    if kind:
        if kind not in OrgKind.values:
            raise HttpError(422, "单位类型应为：" + "、".join(OrgKind.values))
        qs = qs.filter(org_unit__kind=kind)
    return qs.order_by("year", "org_unit__path", "pk").values(
        "org_unit_id",
        "year",
        "value",
        "numerator",
        "denominator",
        "note",
        "source",
        "provenance",
        "computed_at",
        org_unit_name=F("org_unit__name"),
        org_unit_kind=F("org_unit__kind"),
    )
