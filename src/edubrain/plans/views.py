"""规划监测 pages: the plans in scope, a plan's targets with their status, one target's indicator in depth
(trend with the planned path and the forecast, ranked 镇/街道 and schools), the task tree, xlsx downloads and
the 重新计算指标 button.

Figures come from ``plans.dashboard`` (stored indicator values, scoped); this module formats them and builds
the ECharts options (rendered with ``json_script``) and the small SVG sparklines of the targets table.
"""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import quote, urlencode

import polars as pl
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from edubrain.base.charts import PALETTE, bar_chart
from edubrain.base.orgtree import OrgKind
from edubrain.core.io.writers import table_bytes
from edubrain.core.plan import progress as pr
from edubrain.plans import dashboard
from edubrain.plans.models import IndicatorValue, Plan, PlanTarget

EMPTY = "—"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RECOMPUTE_COUNTS = (
    ("indicators", "{:,} 个指标"),
    ("values", "写入 {:,} 条指标值"),
    ("without_value", "其中 {:,} 条因缺数据无法计算"),
    ("manual_kept", "保留人工填报 {:,} 条"),
    ("seconds", "用时 {} 秒"),
)


# ---------------------------------------------------------------- formatting


def number(value: float | None, decimals: int = 1, unit: str = "") -> str:
    if value is None:
        return EMPTY
    return f"{value:,.{decimals}f}{unit}"


def plain(value: float | None, unit: str = "") -> str:
    return EMPTY if value is None else f"{pr.fmt(value)}{unit}"


def amount(value: float | None) -> str:
    """A numerator or denominator: large amounts (元, persons) whole with thousands separators."""
    if value is None:
        return EMPTY
    return f"{value:,.0f}" if abs(value) >= 1000 else pr.fmt(value)


def with_params(url: str, **params: Any) -> str:
    query = {k: v for k, v in params.items() if v not in (None, "")}
    return url + (f"?{urlencode(query)}" if query else "")


def reverse_or_none(name: str, *args: Any) -> str | None:
    """A URL of another module that may not be installed yet (the plan review pages)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def xlsx_response(frame: pl.DataFrame, name: str, sheet: str) -> HttpResponse:
    response = HttpResponse(table_bytes(frame, sheet=sheet), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def unit_param(request: HttpRequest) -> int | None:
    raw = request.GET.get("unit", "")
    return int(raw) if raw.isdigit() else None


def year_param(request: HttpRequest) -> int | None:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and len(raw) == 4 else None


# ---------------------------------------------------------------- charts


def sparkline(
    values: list[tuple[int, float]], target: float | None, width: int = 120, height: int = 30
) -> dict[str, Any] | None:
    """SVG coordinates of a small line of the yearly values, with the target as a dashed line."""
    if not values:
        return None
    ys = [v for _, v in values] + ([target] if target is not None else [])
    low, high = min(ys), max(ys)
    span = (high - low) or 1.0
    first, last = values[0][0], values[-1][0]
    years = (last - first) or 1

    def x(year: int) -> float:
        return round(3 + (width - 6) * ((year - first) / years if last != first else 0.5), 1)

    def y(value: float) -> float:
        return round(height - 3 - (height - 6) * (value - low) / span, 1)

    return {
        "width": width,
        "height": height,
        "points": " ".join(f"{x(yr)},{y(v)}" for yr, v in values),
        "last": {"x": x(last), "y": y(values[-1][1])},
        "target_y": y(target) if target is not None else None,
        "title": "，".join(f"{yr}年 {pr.fmt(v)}" for yr, v in values),
    }


def status_chart(counts: list[dict[str, Any]]) -> dict[str, Any]:
    shown = [c for c in counts if c["count"]]
    option = bar_chart([c["label"] for c in shown], {"目标数": [c["count"] for c in shown]}, unit="个")
    option["series"][0]["data"] = [{"value": c["count"], "itemStyle": {"color": c["colour"]}} for c in shown]
    option["series"][0]["label"] = {"show": True, "position": "top"}
    option["legend"] = {"show": False}
    option["grid"]["top"] = 28
    option["yAxis"]["minInterval"] = 1
    return option


def trend_chart(detail: dict[str, Any], spec: pr.TargetSpec, unit_label: str) -> dict[str, Any] | None:
    """Observed values (solid), the planned path (dashed grey), the forecast (dashed) and the target line."""
    progress: pr.Progress = detail["progress"]
    series_frame: pl.DataFrame = detail["series"]
    observed = {y: v for y, v in zip(series_frame["year"], series_frame["value"], strict=True)}
    path = dict(progress.path or {})
    forecast = progress.forecast
    years_used = set(observed) | set(path) | ({forecast.year} if forecast else set())
    if not years_used:
        return None
    years = list(range(min(years_used), max(years_used) + 1))

    def line(name: str, data: list[Any], color: str, dashed: bool = False, **extra: Any) -> dict[str, Any]:
        return {
            "name": name,
            "type": "line",
            "data": data,
            "connectNulls": True,
            "symbolSize": 6,
            "itemStyle": {"color": color},
            "lineStyle": {"type": "dashed" if dashed else "solid", "color": color},
            **extra,
        }

    places = spec.decimals if spec.decimals is not None else 2

    def rounded(value: float | None, extra: int = 1) -> float | None:
        return None if value is None else round(value, places + extra)

    values = line(
        "实际值",
        [rounded(observed.get(y), 0) for y in years],
        PALETTE[0],
        label={"show": True, "position": "top"},
    )
    if not spec.yearly and spec.target is not None and spec.target_year is not None:
        values["markLine"] = {
            "symbol": "none",
            "silent": True,
            "lineStyle": {"type": "dotted", "color": PALETTE[3]},
            "label": {"formatter": f"目标 {pr.target_text(spec)}", "position": "insideEndTop"},
            "data": [{"yAxis": spec.target}],
        }
    out = [values]
    if path:
        out.append(
            line("计划路径", [rounded(path.get(y)) for y in years], "#9aa5b1", dashed=True, symbol="none")
        )
    if forecast is not None:
        start = forecast.last_year
        data = [rounded(forecast.at(y)) if start <= y <= forecast.year else None for y in years]
        out.append(line("趋势预测", data, PALETTE[2], dashed=True))
    drawn = [v for s in out for v in s["data"] if v is not None]
    if not drawn:
        return None
    if not spec.yearly and spec.target is not None:
        drawn.append(spec.target)
    low, high = axis_bounds(min(drawn), max(drawn))
    return {
        "color": PALETTE,
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 8, "right": 24, "bottom": 8, "top": 48, "containLabel": True},
        "xAxis": {"type": "category", "data": [f"{y}年" for y in years], "boundaryGap": False},
        "yAxis": {
            "type": "value",
            "name": unit_label,
            "min": low,
            "max": high,
            "splitLine": {"lineStyle": {"type": "dashed"}},
        },
        "series": out,
    }


def axis_bounds(low: float, high: float) -> tuple[float, float]:
    """Round axis ends a little outside [low, high] (on a 1-2-5 step; never below 0 for non-negative data)."""
    span = (high - low) or abs(high) * 0.1 or 1.0
    non_negative = low >= 0
    low, high = low - span * 0.05, high + span * 0.05
    step = 10 ** math.floor(math.log10(span))
    for factor in (1, 0.5, 0.2):
        if span / (step * factor) >= 4:
            step *= factor
            break
    else:
        step *= 0.1
    bottom = math.floor(low / step) * step
    if non_negative and bottom < 0:
        bottom = 0.0
    return round(bottom, 10), round(math.ceil(high / step) * step, 10)


def ranking_chart(frame: pl.DataFrame, spec: pr.TargetSpec, unit_label: str) -> dict[str, Any] | None:
    """Horizontal bars, best at the top; green where the target is met, red where not, blue otherwise."""
    rows = frame.filter(pl.col("value").is_not_null())
    if rows.height == 0:
        return None
    names, values, met = rows["name"].to_list(), rows["value"].to_list(), rows["met"].to_list()
    option = bar_chart(
        names[::-1], {"值": [round(v, 3) for v in values[::-1]]}, unit=unit_label, horizontal=True
    )
    colours = {True: PALETTE[1], False: PALETTE[3], None: PALETTE[0]}
    option["series"][0]["data"] = [
        {"value": round(v, 3), "itemStyle": {"color": colours[m]}}
        for v, m in zip(values[::-1], met[::-1], strict=True)
    ]
    option["series"][0]["label"] = {"show": True, "position": "right"}
    option["series"][0]["barMaxWidth"] = 18
    option["legend"] = {"show": False}
    option["grid"].update({"top": 16, "right": 48})
    option["xAxis"]["scale"] = True
    if not spec.yearly and spec.target is not None and any(m is not None for m in met):
        option["series"][0]["markLine"] = {
            "symbol": "none",
            "silent": True,
            "lineStyle": {"type": "dashed", "color": PALETTE[3]},
            "label": {"formatter": f"目标 {pr.fmt(spec.target)}"},
            "data": [{"xAxis": spec.target}],
        }
    return option


def chart_height(rows: int) -> int:
    return max(160, 28 * rows + 48)


# ---------------------------------------------------------------- plan list


@login_required
def index(request: HttpRequest) -> HttpResponse:
    plans = list(dashboard.plans_for(request.user))
    rows = []
    for plan in plans:
        adopted = plan.status == Plan.Status.ADOPTED
        url = (
            reverse("plans:detail", args=[plan.pk])
            if adopted
            else reverse_or_none("plan_import:review", plan.pk)
        )
        rows.append({"plan": plan, "adopted": adopted, "url": url, "period": period_text(plan)})
    bureau = dashboard.is_bureau(request.user)
    context = {
        "title": "规划监测",
        "rows": rows,
        "import_url": reverse_or_none("plan_import:index") if bureau else None,
    }
    return render(request, "plans/index.html", context)


# ---------------------------------------------------------------- plan overview


def period_text(plan: Plan) -> str:
    """规划期 2021—2025年 (a draft may not know its years yet)."""
    if plan.start_year and plan.end_year:
        return f"{plan.start_year}—{plan.end_year}年"
    return f"{plan.start_year or plan.end_year}年" if plan.start_year or plan.end_year else "未注明"


def plan_head(plan: Plan, unit: Any) -> dict[str, Any]:
    return {
        "plan": plan,
        "period": period_text(plan),
        "overview_url": reverse("plans:detail", args=[plan.pk]),
        "tasks_url": reverse("plans:tasks", args=[plan.pk]),
        "unit": unit,
        "unit_id": unit.pk if unit is not None else None,
    }


def target_view_rows(
    rows: list[dict[str, Any]], plan: Plan, unit: Any, year: int | None = None
) -> list[dict[str, Any]]:
    out = []
    unit_id = unit.pk if unit is not None and unit.pk != plan.org_unit_id else None
    for row in rows:
        d = row["decimals"]
        out.append(
            {
                **row,
                "baseline_text": plain(row["baseline"], row["unit"])
                if row["baseline"] is not None
                else EMPTY,
                "latest_text": number(row["latest"], d, row["unit"]) if row["latest"] is not None else EMPTY,
                "spark": sparkline(
                    row["values"], row["target_value"] if row["comparator"] in pr.LEVEL_COMPARATORS else None
                ),
                "url": with_params(
                    reverse("plans:target", args=[plan.pk, row["id"]]), unit=unit_id, year=year
                ),
            }
        )
    return out


def as_of(request: HttpRequest, years: list[int]) -> int | None:
    """The 截至年份 asked for (one of ``years``), else None: judged with every stored year."""
    year = year_param(request)
    return year if year in years and year != years[-1] else None


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = dashboard.plan_or_404(request.user, pk)
    unit = dashboard.subject_unit(request.user, plan, unit_param(request))
    years = dashboard.value_years(request.user, plan, unit)
    year = as_of(request, years)
    rows = target_view_rows(dashboard.target_rows(request.user, plan, unit, year), plan, unit, year)
    counts = dashboard.status_counts(rows)
    context = {
        **plan_head(plan, unit),
        "title": plan.title,
        "years": years[::-1],
        "year": year or (years[-1] if years else None),
        "year_label": "截至",
        "as_of": year,
        "rows": rows,
        "counts": counts,
        "chart": status_chart(counts) if rows else None,
        "rules": pr.STATUS_RULES,
        "yearly_rule": pr.YEARLY_RULE,
        "units": dashboard.unit_options(request.user, plan, unit),
        "plan_counts": dashboard.plan_counts(plan),
        "may_recompute": dashboard.may_recompute(request.user, plan),
        "manual_url": reverse_or_none("plan_import:manual") if dashboard.is_bureau(request.user) else None,
        "xlsx_url": with_params(
            reverse("plans:targets-xlsx", args=[plan.pk]),
            unit=unit.pk if unit is not None else None,
            year=year,
        ),
    }
    return render(request, "plans/detail.html", context)


TARGET_COLUMNS = [
    ("序号", "order"),
    ("类别", "category"),
    ("指标", "name"),
    ("单位", "unit"),
    ("属性", "nature"),
    ("基期年份", "baseline_year"),
    ("基期值", "baseline"),
    ("目标年份", "target_year"),
    ("目标值", "target_value"),
    ("目标", "target_text"),
    ("最新年份", "latest_year"),
    ("最新值", "latest"),
    ("状态", "label"),
    ("说明", "explanation"),
]


@login_required
def targets_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = dashboard.plan_or_404(request.user, pk)
    unit = dashboard.subject_unit(request.user, plan, unit_param(request))
    year = as_of(request, dashboard.value_years(request.user, plan, unit))
    rows = dashboard.target_rows(request.user, plan, unit, year)
    schema = {
        "序号": pl.Int64,
        "类别": pl.String,
        "指标": pl.String,
        "单位": pl.String,
        "属性": pl.String,
        "基期年份": pl.Int64,
        "基期值": pl.Float64,
        "目标年份": pl.Int64,
        "目标值": pl.Float64,
        "目标": pl.String,
        "最新年份": pl.Int64,
        "最新值": pl.Float64,
        "状态": pl.String,
        "说明": pl.String,
    }
    records = [
        {label: (i if key == "order" else row[key]) for label, key in TARGET_COLUMNS}
        for i, row in enumerate(rows, 1)
    ]
    frame = pl.DataFrame(records, schema=schema, orient="row") if records else pl.DataFrame(schema=schema)
    where = unit.name if unit is not None else ""
    when = f"_截至{year}年" if year else ""
    return xlsx_response(frame, f"{plan.title}_目标监测_{where}{when}.xlsx", "目标监测")


@login_required
@require_POST
def recompute(request: HttpRequest, pk: int) -> HttpResponse:
    plan = dashboard.plan_or_404(request.user, pk)
    if not dashboard.may_recompute(request.user, plan):
        raise PermissionDenied("只有教育局管理员和工作人员可以重新计算指标")
    try:
        from edubrain.plans.compute import recompute as run
    except ImportError:
        messages.error(request, "指标计算模块尚未安装，暂不能重新计算。")
        return redirect("plans:detail", pk=plan.pk)
    result = run(plan.org_unit)
    messages.success(request, recompute_message(result, plan.org_unit.name))
    return redirect("plans:detail", pk=plan.pk)


def recompute_message(result: Any, where: str) -> str:
    """The counts ``plans.compute.recompute`` returned, as one Chinese sentence."""
    if not isinstance(result, dict):
        return f"已重新计算{where}的指标。"
    if isinstance(result.get("message"), str) and result["message"]:
        return result["message"]  # the engine's own sentence, as `edubrain indicators compute` prints it
    years = [y for y in result.get("years") or [] if isinstance(y, int)]
    parts = [f"{min(years)}—{max(years)}年" if len(years) > 1 else f"{years[0]}年"] if years else []
    parts += [
        text.format(result[key])
        for key, text in RECOMPUTE_COUNTS
        if isinstance(result.get(key), int | float) and (key != "without_value" or result[key])
    ]
    return f"已重新计算{where}的指标" + (f"：{'，'.join(parts)}" if parts else "") + "。"


# ---------------------------------------------------------------- one target's indicator


def value_rows(frame: pl.DataFrame, decimals: int, unit: str) -> list[dict[str, Any]]:
    rows = []
    for r in frame.to_dicts():
        rows.append(
            {
                **r,
                "value_text": number(r["value"], decimals, unit),
                "numerator_text": amount(r["numerator"]),
                "denominator_text": amount(r["denominator"]),
                "source_label": "人工填报" if r["source"] == "manual" else "系统计算",
            }
        )
    return rows


@login_required
def target(request: HttpRequest, pk: int, target_id: int) -> HttpResponse:
    plan = dashboard.plan_or_404(request.user, pk)
    goal = dashboard.target_or_404(plan, target_id)
    unit = dashboard.subject_unit(request.user, plan, unit_param(request))
    spec = dashboard.spec_of(goal, plan)
    decimals = goal.indicator.decimals if goal.indicator else 2
    unit_label = spec.unit
    context: dict[str, Any] = {
        **plan_head(plan, unit),
        "title": f"{goal.indicator_name} · {plan.title}",
        "goal": goal,
        "spec": spec,
        "target_text": pr.target_text(spec),
        "units": dashboard.unit_options(request.user, plan, unit),
        "detail": None,
    }
    if unit is None:
        return render(request, "plans/target.html", context)
    detail = dashboard.indicator_detail(request.user, plan, goal, unit, year_param(request))
    progress: pr.Progress = detail["progress"]
    parts = detail["breakdown"] or {}
    towns = parts.get(OrgKind.TOWN, pl.DataFrame())
    schools = parts.get(OrgKind.SCHOOL, pl.DataFrame())
    base = reverse("plans:target", args=[plan.pk, goal.pk])
    context.update(
        detail=detail,
        progress=progress,
        series=value_rows(detail["series"], decimals, unit_label),
        trend_chart=trend_chart(detail, spec, unit_label),
        years=detail["years"][::-1],
        year=detail["year"],
        towns=[
            {**r, "url": with_params(base, unit=r["org_unit_id"], year=detail["year"])}
            for r in value_rows(towns, decimals, unit_label)
        ]
        if towns.height
        else [],
        schools=[
            {**r, "url": with_params(base, unit=r["org_unit_id"], year=detail["year"])}
            for r in value_rows(schools, decimals, unit_label)
        ]
        if schools.height
        else [],
        town_chart=ranking_chart(towns, spec, unit_label) if towns.height else None,
        school_chart=ranking_chart(schools, spec, unit_label) if schools.height else None,
        town_height=chart_height(towns.height),
        school_height=chart_height(schools.height),
        checks=[
            {
                "year": c.year,
                "previous_year": c.previous_year,
                "change": plain(c.change),
                "required": plain(c.required),
                "met": c.met,
            }
            for c in progress.checks
        ],
        xlsx_url=with_params(reverse("plans:target-xlsx", args=[plan.pk, goal.pk]), unit=unit.pk),
        rules=pr.STATUS_RULES,
        yearly_rule=pr.YEARLY_RULE,
    )
    return render(request, "plans/target.html", context)


VALUE_COLUMNS = {
    "name": "单位",
    "kind": "类型",
    "parent": "上级",
    "year": "年份",
    "value": "值",
    "numerator": "分子",
    "denominator": "分母",
    "note": "说明",
    "source": "来源",
    "provenance": "数据来源",
    "computed_at": "计算时间",
    "entered_by": "填报人",
}
KIND_LABELS = dict(OrgKind.choices)


@login_required
def target_xlsx(request: HttpRequest, pk: int, target_id: int) -> HttpResponse:
    plan = dashboard.plan_or_404(request.user, pk)
    goal: PlanTarget = dashboard.target_or_404(plan, target_id)
    unit = dashboard.subject_unit(request.user, plan, unit_param(request))
    frame = (
        dashboard.export_values(request.user, goal, unit) if unit is not None and goal.indicator_id else None
    )
    if frame is None:
        frame = dashboard.values_frame(IndicatorValue.objects.none())
    frame = frame.with_columns(
        pl.col("kind").replace_strict(KIND_LABELS, default=pl.col("kind")),
        pl.col("source").replace_strict(
            {"computed": "系统计算", "manual": "人工填报"}, default=pl.col("source")
        ),
        pl.col("computed_at").dt.convert_time_zone(settings.TIME_ZONE).dt.strftime("%Y-%m-%d %H:%M"),
    ).select([pl.col(k).alias(v) for k, v in VALUE_COLUMNS.items()])
    return xlsx_response(frame, f"{goal.indicator_name}_指标值.xlsx", "指标值")


# ---------------------------------------------------------------- tasks


@login_required
def tasks(request: HttpRequest, pk: int) -> HttpResponse:
    plan = dashboard.plan_or_404(request.user, pk)
    tree = dashboard.task_tree(plan)
    context = {
        **plan_head(plan, None),
        "title": f"重点任务 · {plan.title}",
        "tree": tree,
        "projects": dashboard.projects(plan),
        "plan_counts": dashboard.plan_counts(plan),
    }
    return render(request, "plans/tasks.html", context)
