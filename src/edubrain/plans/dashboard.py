"""规划监测 read side: plans, their targets with progress, one indicator in depth, the task tree.

Everything is read from the stored rows — targets from ``PlanTarget``, figures only from ``IndicatorValue``
(computed by ``plans.compute`` or entered by hand); nothing is recomputed per request. Progress is judged by
the pure ``edubrain.core.plan.progress``.

Scoping:

- **Plans** a user may read (``plans_for``): the plans inside their scope (``Plan.objects.visible_to``) and,
  for people below a plan's area (a school administrator, a 责任单位 reporter), the *adopted* plans of the
  areas above them — the plan governs their unit, its text is a published document. Drafts stay with the
  bureau. The plan's sections, tasks, targets and projects are read through a plan obtained this way.
- **Values** always come from ``IndicatorValue.objects.visible_to(user)``: a school administrator looking at
  the county plan sees their own school's values only, never the county's or another school's.
- The **unit** a page shows (``subject_unit``) is ``?unit=`` (a visible county, 镇/街道 or school inside the
  plan's area), else the plan's area when the user sees it, else the user's own unit.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import polars as pl
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import Http404

from edubrain.accounts.models import is_bureau
from edubrain.base.orgtree import OrgKind, OrgUnit, path_ids
from edubrain.base.scoping import may_access, user_scope_path
from edubrain.core.plan import progress as pr
from edubrain.plans.models import (
    Indicator,
    IndicatorValue,
    KeyProject,
    Plan,
    PlanSection,
    PlanTarget,
    PlanTask,
    TaskUnit,
)

STATUS_COLOURS = {
    pr.ACHIEVED: "#3ba272",
    pr.ON_TRACK: "#2f6fb3",
    pr.AT_RISK: "#e8a33d",
    pr.OFF_TRACK: "#d5573b",
    pr.NO_DATA: "#9aa5b1",
}
UNIT_KINDS = (OrgKind.PROVINCE, OrgKind.CITY, OrgKind.COUNTY, OrgKind.TOWN, OrgKind.SCHOOL)
TOTAL_UNITS = frozenset({"万人", "人", "万元", "个", "所"})
"""Units of area totals (在校生 万人, 教育支出 万元, 大班额 个): a 镇/街道 or school is not held to them."""
BREAKDOWN_KINDS = (OrgKind.TOWN, OrgKind.SCHOOL)


# ---------------------------------------------------------------- plans and units


def plans_for(user: Any) -> QuerySet[Plan]:
    """The plans the user may read (see the module docstring), adopted first, newest first."""
    scope = user_scope_path(user)
    if scope is None:
        return Plan.objects.none()
    visible = Plan.objects.visible_to(user)
    if scope:
        governing = Q(org_unit_id__in=path_ids(scope)[:-1], status=Plan.Status.ADOPTED)
        visible = Plan.objects.filter(Q(pk__in=visible.values("pk")) | governing)
    adopted_first = Case(
        When(status=Plan.Status.ADOPTED, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return visible.select_related("org_unit").order_by(adopted_first, "-start_year", "title", "pk")


def plan_or_404(user: Any, pk: int) -> Plan:
    plan = plans_for(user).filter(pk=pk).first()
    if plan is None:
        raise Http404("没有该规划，或您无权查看")
    return plan


def may_recompute(user: Any, plan: Plan) -> bool:
    """Bureau administrators and staff (and superusers) whose scope holds the plan's area."""
    return is_bureau(user) and may_access(user, plan)


def subject_unit(user: Any, plan: Plan, unit_id: int | None = None) -> OrgUnit | None:
    """The unit whose values a plan page shows; Http404 for a ``unit_id`` the user may not see."""
    if unit_id is not None:
        unit = (
            OrgUnit.objects.visible_to(user)
            .filter(pk=unit_id, path__startswith=plan.org_unit.path, kind__in=UNIT_KINDS)
            .first()
        )
        if unit is None:
            raise Http404("没有该单位，或您无权查看")
        return unit
    if may_access(user, plan.org_unit):
        return plan.org_unit
    scope = user.scope_unit() if hasattr(user, "scope_unit") else None
    if scope is None or scope.kind not in UNIT_KINDS or not scope.path.startswith(plan.org_unit.path):
        return None  # a 责任单位 has tasks, not indicator values
    return scope


def unit_options(user: Any, plan: Plan, unit: OrgUnit | None) -> list[dict[str, Any]]:
    """The units a plan page can switch to: the plan's area and its 镇/街道 the user sees (plus the current
    unit when it is a school)."""
    qs = OrgUnit.objects.visible_to(user).filter(
        Q(pk=plan.org_unit_id) | Q(parent_id=plan.org_unit_id, kind=OrgKind.TOWN)
    )
    options = [
        {"id": u.pk, "name": u.name, "kind": u.kind} for u in qs.order_by("depth", "sort_order", "name")
    ]
    if unit is not None and all(o["id"] != unit.pk for o in options):
        options.append({"id": unit.pk, "name": unit.name, "kind": unit.kind})
    return options


# ---------------------------------------------------------------- targets


def value_unit(target: PlanTarget) -> str:
    """The unit the target's values are stored in: the indicator's (a yearly target written in 个百分点 is
    about a rate in %)."""
    if target.indicator is not None:
        return target.indicator.unit
    return "%" if target.unit == "个百分点" else target.unit


def spec_of(target: PlanTarget, plan: Plan) -> pr.TargetSpec:
    """The core's view of a target; a target without a year is due at the end of the plan."""
    return pr.TargetSpec(
        comparator=target.comparator,
        target=target.target,
        target_year=target.target_year or plan.end_year,
        baseline=target.baseline,
        baseline_year=target.baseline_year if target.baseline is not None else None,
        unit=value_unit(target),
        decimals=target.indicator.decimals if target.indicator else None,
    )


def judged_at(target: PlanTarget, plan: Plan, unit: OrgUnit) -> bool:
    """Area totals are judged for the plan's own area only; rates and yearly rules everywhere."""
    if unit.pk == plan.org_unit_id or target.comparator in pr.YEARLY_COMPARATORS:
        return True
    return value_unit(target) not in TOTAL_UNITS


def series_for(user: Any, unit: OrgUnit, indicator_ids: set[int]) -> dict[int, dict[int, float | None]]:
    """{indicator id: {year: value}} of one unit — one query over the stored values."""
    rows = (
        IndicatorValue.objects.visible_to(user)
        .filter(org_unit=unit, indicator_id__in=indicator_ids)
        .values_list("indicator_id", "year", "value")
    )
    out: dict[int, dict[int, float | None]] = defaultdict(dict)
    for indicator_id, year, value in rows:
        out[indicator_id][year] = value
    return out


def judge(
    target: PlanTarget, plan: Plan, unit: OrgUnit | None, observed: dict[int, float | None]
) -> pr.Progress:
    if target.indicator_id is None:
        return pr.Progress(pr.NO_DATA, "该目标尚未对应到指标，无法监测。")
    if unit is None:
        return pr.Progress(pr.NO_DATA, "您的权限范围内没有可对照的单位。")
    if not judged_at(target, plan, unit):
        latest = max(observed) if observed else None
        return pr.Progress(
            pr.NO_DATA,
            f"该目标为{plan.org_unit.name}的总量目标，不按{unit.get_kind_display()}判断。",
            latest,
            observed.get(latest) if latest is not None else None,
        )
    return pr.assess(spec_of(target, plan), observed)


def value_years(user: Any, plan: Plan, unit: OrgUnit | None) -> list[int]:
    """The years with a value of any of the plan's indicators for ``unit`` (the 截至年份 choices)."""
    if unit is None:
        return []
    qs = IndicatorValue.objects.visible_to(user).filter(
        org_unit=unit, indicator__targets__plan=plan, value__isnull=False
    )
    return sorted(qs.values_list("year", flat=True).distinct().order_by())


def target_rows(
    user: Any, plan: Plan, unit: OrgUnit | None, as_of: int | None = None
) -> list[dict[str, Any]]:
    """Every target of the plan with its progress for ``unit`` as it stood in ``as_of`` (default: with every
    stored year): two queries (targets, values)."""
    targets = list(
        PlanTarget.objects.filter(plan=plan).select_related("indicator", "task").order_by("order", "pk")
    )
    ids = {t.indicator_id for t in targets if t.indicator_id}
    series = series_for(user, unit, ids) if unit is not None and ids else {}
    rows = []
    for t in targets:
        observed = series.get(t.indicator_id, {}) if t.indicator_id else {}
        if as_of is not None:
            observed = {y: v for y, v in observed.items() if y <= as_of}
        progress = judge(t, plan, unit, observed)
        spec = spec_of(t, plan)
        rows.append(
            {
                "target": t,
                "id": t.pk,
                "name": t.indicator_name,
                "indicator": t.indicator,
                "category": t.category or ("正文目标" if t.task_id else ""),
                "task_code": t.task.code if t.task else "",
                "unit": spec.unit,
                "nature": t.nature,
                "comparator": t.comparator,
                "baseline": t.baseline,
                "baseline_year": t.baseline_year,
                "target_value": t.target,
                "target_year": spec.target_year,
                "target_text": pr.target_text(spec),
                "latest": progress.latest,
                "latest_year": progress.latest_year,
                "status": progress.status,
                "label": progress.label,
                "colour": STATUS_COLOURS[progress.status],
                "explanation": progress.explanation,
                "values": sorted((y, v) for y, v in observed.items() if v is not None),
                "progress": progress,
                "decimals": t.indicator.decimals if t.indicator else 2,
            }
        )
    return rows


def status_counts(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    counted = {s: 0 for s in pr.STATUSES}
    for row in rows:
        counted[row["status"]] += 1
    return [
        {"status": s, "label": pr.STATUS_LABELS[s], "colour": STATUS_COLOURS[s], "count": n}
        for s, n in counted.items()
    ]


def target_or_404(plan: Plan, target_id: int) -> PlanTarget:
    target = PlanTarget.objects.filter(plan=plan, pk=target_id).select_related("indicator", "task").first()
    if target is None:
        raise Http404("没有该目标")
    return target


# ---------------------------------------------------------------- one indicator


VALUE_FIELDS = (
    "org_unit_id",
    "org_unit__name",
    "org_unit__kind",
    "org_unit__parent__name",
    "year",
    "value",
    "numerator",
    "denominator",
    "note",
    "source",
    "provenance",
    "computed_at",
    "entered_by__username",
)
VALUE_SCHEMA = {
    "org_unit_id": pl.Int64,
    "name": pl.String,
    "kind": pl.String,
    "parent": pl.String,
    "year": pl.Int64,
    "value": pl.Float64,
    "numerator": pl.Float64,
    "denominator": pl.Float64,
    "note": pl.String,
    "source": pl.String,
    "provenance": pl.String,
    "computed_at": pl.Datetime("us", "UTC"),
    "entered_by": pl.String,
}


def values_frame(qs: QuerySet[IndicatorValue]) -> pl.DataFrame:
    rows = list(qs.values_list(*VALUE_FIELDS))
    return (
        pl.DataFrame(rows, schema=VALUE_SCHEMA, orient="row") if rows else pl.DataFrame(schema=VALUE_SCHEMA)
    )


def indicator_years(user: Any, indicator: Indicator, unit: OrgUnit) -> list[int]:
    qs = IndicatorValue.objects.visible_to(user).filter(
        indicator=indicator, org_unit__path__startswith=unit.path, value__isnull=False
    )
    return sorted(qs.values_list("year", flat=True).distinct().order_by())


def lower_is_better(target: PlanTarget) -> bool:
    if target.comparator in ("<=", "decrease_by"):
        return True
    if target.comparator in (">=", "increase_by"):
        return False
    return bool(target.indicator and not target.indicator.higher_is_better)


def breakdown(user: Any, target: PlanTarget, plan: Plan, unit: OrgUnit, year: int) -> dict[str, pl.DataFrame]:
    """The 镇/街道 and schools below ``unit`` in ``year``, ranked best first (no value: last), each with
    ``met`` (the level target applied to the unit, null where it does not apply)."""
    qs = (
        IndicatorValue.objects.visible_to(user)
        .filter(
            indicator_id=target.indicator_id,
            year=year,
            org_unit__kind__in=BREAKDOWN_KINDS,
            org_unit__path__startswith=unit.path,
        )
        .exclude(org_unit=unit)
    )
    frame = values_frame(qs)
    descending = not lower_is_better(target)
    frame = frame.sort(["value", "name"], descending=[descending, False], nulls_last=True)
    spec = spec_of(target, plan)
    judged = _rates_apply(target) and spec.target is not None
    met = pr.meets(spec, frame["value"].to_list()) if judged else [None] * frame.height
    frame = frame.with_columns(
        pl.Series("met", met, dtype=pl.Boolean),
        pl.col("value").rank("min", descending=descending).over("kind").cast(pl.Int64).alias("rank"),
    )
    return {str(kind): frame.filter(pl.col("kind") == kind) for kind in BREAKDOWN_KINDS}


def _rates_apply(target: PlanTarget) -> bool:
    return value_unit(target) not in TOTAL_UNITS


def indicator_detail(
    user: Any, plan: Plan, target: PlanTarget, unit: OrgUnit, year: int | None
) -> dict[str, Any]:
    """One target's indicator for ``unit``: the series with notes, the years with values below or at the unit,
    the chosen year (default: the latest), the progress as it stood in that year (path, forecast) and the
    ranked breakdown of that year."""
    if target.indicator_id is None:
        return {
            "series": values_frame(IndicatorValue.objects.none()),
            "years": [],
            "year": None,
            "progress": judge(target, plan, unit, {}),
            "breakdown": None,
        }
    series = values_frame(
        IndicatorValue.objects.visible_to(user).filter(indicator_id=target.indicator_id, org_unit=unit)
    ).sort("year")
    observed = dict(zip(series["year"].to_list(), series["value"].to_list(), strict=True))
    years = indicator_years(user, target.indicator, unit)
    chosen = year if year in years else (years[-1] if years else None)
    if chosen is not None:
        observed = {y: v for y, v in observed.items() if y <= chosen}
    return {
        "series": series,
        "years": years,
        "year": chosen,
        "progress": judge(target, plan, unit, observed),
        "breakdown": breakdown(user, target, plan, unit, chosen) if chosen is not None else None,
    }


def export_values(user: Any, target: PlanTarget, unit: OrgUnit) -> pl.DataFrame:
    """Every visible value of the target's indicator in ``unit``'s area, every year (the xlsx download)."""
    qs = IndicatorValue.objects.visible_to(user).filter(
        indicator_id=target.indicator_id, org_unit__path__startswith=unit.path
    )
    kind_order = {k: i for i, k in enumerate(UNIT_KINDS)}
    frame = values_frame(qs)
    return (
        frame.with_columns(pl.col("kind").replace_strict(kind_order, default=len(kind_order)).alias("_kind"))
        .sort("year", "_kind", "name")
        .drop("_kind")
    )


# ---------------------------------------------------------------- tasks and projects


def task_tree(plan: Plan) -> list[dict[str, Any]]:
    """Sections (一、 → （一）) with their tasks, each task with its 责任单位 (lead first): three queries."""
    sections = list(PlanSection.objects.filter(plan=plan).order_by("order", "pk"))
    lead_first = Case(
        When(role=TaskUnit.Role.LEAD, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    units: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for u in (
        TaskUnit.objects.filter(task__plan=plan)
        .order_by("task_id", lead_first, "order", "pk")
        .values("task_id", "name", "role", "unit_id")
    ):
        units[u["task_id"]].append({**u, "lead": u["role"] == TaskUnit.Role.LEAD})
    tasks_by_section: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
    for t in PlanTask.objects.filter(plan=plan).annotate(n_targets=Count("targets")).order_by("order", "pk"):
        tasks_by_section[t.section_id].append(
            {
                "id": t.pk,
                "code": t.code,
                "title": t.title,
                "text": t.text,
                "units": units.get(t.pk, []),
                "targets": t.n_targets,
            }
        )
    nodes = {
        s.pk: {
            "id": s.pk,
            "code": s.code,
            "title": s.title,
            "children": [],
            "tasks": tasks_by_section.get(s.pk, []),
        }
        for s in sections
    }
    roots = []
    for s in sections:
        parent = nodes.get(s.parent_id) if s.parent_id else None
        (parent["children"] if parent is not None else roots).append(nodes[s.pk])
    loose = tasks_by_section.get(None, [])
    if loose:
        roots.append({"id": None, "code": "", "title": "未归入章节的任务", "children": [], "tasks": loose})
    return roots


def projects(plan: Plan) -> list[KeyProject]:
    return list(KeyProject.objects.filter(plan=plan).order_by("number"))


def plan_counts(plan: Plan) -> dict[str, int]:
    return {
        "sections": PlanSection.objects.filter(plan=plan).count(),
        "tasks": PlanTask.objects.filter(plan=plan).count(),
        "targets": PlanTarget.objects.filter(plan=plan).count(),
        "projects": KeyProject.objects.filter(plan=plan).count(),
    }
