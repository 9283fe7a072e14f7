"""学位与班额 pages (namespace ``places``, mounted at /places/): the 班额 overview of a unit and 学年 with
drill-down 县 → 镇/街道 → 学校 (``index``) and the 学位预警 forecast (``forecast``). Figures come from
``places.queries``; this module formats them and builds the ECharts options (rendered with ``json_script``).
"""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header

from edubrain.base.charts import PALETTE, bar_chart
from edubrain.base.orgtree import OrgKind, OrgUnit
from edubrain.core.io.writers import table_bytes
from edubrain.core.places import Scenario
from edubrain.core.stages import JUNIOR, PRIMARY
from edubrain.places import inputs, queries
from edubrain.places.queries import CLASS_RULE, Selection
from edubrain.registry.models import SchoolYear

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EMPTY = "—"
LEVEL_CLASSES = {"绿色": "ok", "黄色": "warn", "红色": "danger", "不可评估": "none"}
ENTRY_LABELS = {PRIMARY: "一年级", JUNIOR: "初一"}
# Bounds of the scenario form (per zone and year).
EXTRA_LIMIT = 10_000.0
RATE_LIMIT = (-90.0, 200.0)


def count(value: float | None) -> str:
    return EMPTY if value is None else f"{round(value):,}"


def pct(value: float | None) -> str:
    """Percent with one decimal, cut (not rounded) so that 89.96 % shows as 89.9 % — never as the 90.0 % at
    which a warning level starts."""
    return EMPTY if value is None else f"{math.floor(value * 10 + 1e-9) / 10:.1f}%"


def parse_int(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() and len(raw) < 10 else None


def resolve(user: Any, data: Any) -> Selection | None:
    try:
        return queries.selection_for(user, parse_int(data.get("unit")))
    except LookupError as exc:
        raise Http404(str(exc)) from exc


def url_with(name: str, params: dict[str, Any]) -> str:
    query = {k: v for k, v in params.items() if v not in (None, "")}
    return reverse(name) + (f"?{urlencode(query)}" if query else "")


def xlsx_response(frame: Any, sheet: str, name: str) -> HttpResponse:
    response = HttpResponse(table_bytes(frame, "xlsx", sheet), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


# ---------------------------------------------------------------- 班额


def trend_chart(trend: list[dict[str, Any]]) -> dict[str, Any]:
    option = bar_chart(
        [f"{r['year']}学年" for r in trend],
        {
            "超标准班额班级数": [r["over_standard_classes"] for r in trend],
            "大班额（56人及以上）": [r["large_classes"] for r in trend],
            "超大班额（66人及以上）": [r["super_large_classes"] for r in trend],
        },
        unit="个",
    )
    option["series"].append(
        {
            "name": "大班额占比",
            "type": "line",
            "yAxisIndex": 1,
            "data": [r["large_share"] for r in trend],
            "itemStyle": {"color": PALETTE[4]},
        }
    )
    option["yAxis"] = [
        option["yAxis"],
        {"type": "value", "name": "%", "min": 0, "splitLine": {"show": False}},
    ]
    return option


def stage_row(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "classes": count(row.get("classes")),
        "average": EMPTY if row.get("average_size") is None else f"{row['average_size']:.1f}",
        "over": count(row.get("over_standard_classes")),
        "over_share": pct(row.get("over_standard_share")),
        "large": count(row.get("large_classes")),
        "large_value": row.get("large_classes"),
        "large_share": pct(row.get("large_share")),
        "super": count(row.get("super_large_classes")),
        "super_value": row.get("super_large_classes"),
    }


@login_required
def index(request: HttpRequest) -> HttpResponse:
    sel = resolve(request.user, request.GET)
    context: dict[str, Any] = {
        "title": "学位与班额",
        "heading": f"班额与校额 · {sel.name}" if sel else "班额与校额",
        "subtitle": f"{sel.level_label} · 大班额、超大班额与大校额" if sel else "",
        "rule": CLASS_RULE,
        "sel": sel,
        "data": None,
        "actions": [],
    }
    if sel is None:
        return render(request, "places/index.html", context)
    frames = queries.sized_classes(request.user, sel)
    years = queries.class_years(frames[1])
    year = parse_int(request.GET.get("year"))
    if year is None or year not in years:
        year = max(years) if years else None
    context["actions"] = [("学位预警", url_with("places:forecast", {"unit": sel.unit.pk}), "")]
    context["years"] = [(y.start_year, y.name) for y in SchoolYear.objects.order_by("-start_year")]
    context["year_params"] = list(sel.params().items())
    context["crumbs"] = [
        (label, url_with("places:index", {**params, "year": year}))
        for label, params in queries.breadcrumbs(request.user, sel)
    ]
    context["year"] = year
    if year is None:
        return render(request, "places/index.html", context)
    data = queries.class_overview(request.user, sel, year, frames)
    if request.GET.get("format") == "xlsx":
        frame = queries.oversize_export(data["oversize"])
        return xlsx_response(frame, "超标准班额", f"超标准班额班级-{sel.name}-{year}学年.xlsx")
    s = data["summary"]
    context.update(
        data=data,
        figures=[
            {
                "key": "classes",
                "label": "班级数",
                "value": s.get("classes"),
                "text": count(s.get("classes")),
                "sub": f"平均班额 {stage_row(s)['average']} 人",
            },
            {
                "key": "over_standard",
                "label": "超标准班额",
                "value": s.get("over_standard_classes"),
                "text": count(s.get("over_standard_classes")),
                "sub": f"占 {pct(s.get('over_standard_share'))}",
            },
            {
                "key": "large",
                "label": "大班额（56人及以上）",
                "value": s.get("large_classes"),
                "text": count(s.get("large_classes")),
                "sub": f"占 {pct(s.get('large_share'))}",
            },
            {
                "key": "super_large",
                "label": "超大班额（66人及以上）",
                "value": s.get("super_large_classes"),
                "text": count(s.get("super_large_classes")),
                "sub": f"占 {pct(s.get('super_large_share'))}",
            },
            {
                "key": "oversized_schools",
                "label": "超规模学校",
                "value": len(data["schools_over"]),
                "text": str(len(data["schools_over"])),
                "sub": "校额或班级数超上限",
            },
        ],
        trend_chart=trend_chart(data["trend"]) if data["trend"] else None,
        trend=[
            {"year": r["year"], **stage_row(r), "schools": r.get("oversized_schools") or 0}
            for r in data["trend"]
        ],
        stages=[{"label": r["label"], **stage_row(r)} for r in data["stages"]],
        children=[
            {
                "name": r["name"],
                "url": url_with("places:index", {**r["params"], "year": year}) if r["params"] else None,
                **stage_row(r),
            }
            for r in data["children"]
        ],
        child_label={"county": "镇/街道", "town": "学校", "school": "年级"}.get(sel.level, "下级单位"),
        export_query=urlencode({**sel.params(), "year": year, "format": "xlsx"}),
    )
    return render(request, "places/index.html", context)


# ---------------------------------------------------------------- 学位预警


def parse_scenario(data: Any) -> tuple[Scenario | None, dict[str, str], list[str]]:
    """The scenario of the form fields ``extra`` (一年级每年新增), ``junior_extra`` (初一每年新增) and
    ``rate`` (入学比率变化 %); (None, values, errors) when none is set or a value is invalid."""
    values = {k: (data.get(k) or "").strip() for k in ("extra", "junior_extra", "rate")}
    errors: list[str] = []
    parsed: dict[str, float] = {}
    labels = {"extra": "一年级每年新增人数", "junior_extra": "初一每年新增人数", "rate": "入学比率变化"}
    for key, raw in values.items():
        if not raw:
            parsed[key] = 0.0
            continue
        try:
            number = float(raw)
        except ValueError:
            errors.append(f"{labels[key]}“{raw}”不是数字")
            continue
        low, high = RATE_LIMIT if key == "rate" else (-EXTRA_LIMIT, EXTRA_LIMIT)
        if not math.isfinite(number) or not low <= number <= high:
            errors.append(f"{labels[key]}应在 {low:g} 到 {high:g} 之间")
            continue
        parsed[key] = number
    if errors or not any(parsed.values()):
        return None, values, errors
    scenario = Scenario(
        name="自定义情景",
        extra_entrants=parsed["extra"],
        extra_junior_entrants=parsed["junior_extra"],
        entry_rate_change_pct=parsed["rate"],
    )
    return scenario, values, errors


def zone_chart(
    zone: str, rows: list[dict[str, Any]], observed: list[dict[str, Any]], years: list[int]
) -> dict[str, Any]:
    """Observed and forecast 一年级/初一 entrants of one zone against the entry places, per year."""
    axis = sorted({*years, *(o["year"] for o in observed if o["zone"] == zone)})
    series: list[dict[str, Any]] = []
    colours = {PRIMARY: PALETTE[0], JUNIOR: PALETTE[4]}
    for stage in (PRIMARY, JUNIOR):
        seen = {o["year"]: o["entrants"] for o in observed if o["zone"] == zone and o["stage"] == stage}
        ahead = {r["year"]: r for r in rows if r["zone"] == zone and r["stage"] == stage}
        if not seen and not any(r["entrants"] is not None for r in ahead.values()):
            continue
        label = ENTRY_LABELS[stage]
        last_seen = max(seen) if seen else None
        series += [
            {
                "name": f"{label}新生（实际）",
                "type": "line",
                "data": [seen.get(y) for y in axis],
                "itemStyle": {"color": colours[stage]},
                "symbol": "circle",
            },
            {
                "name": f"{label}新生（预测）",
                "type": "line",
                "data": [
                    _round(ahead[y]["entrants"]) if y in ahead else (seen.get(y) if y == last_seen else None)
                    for y in axis
                ],
                "itemStyle": {"color": colours[stage]},
                "lineStyle": {"type": "dashed"},
            },
            {
                "name": f"{label}招生计划数",
                "type": "line",
                "step": "middle",
                "data": [ahead[y]["entry_places"] if y in ahead else None for y in axis],
                "itemStyle": {"color": PALETTE[3] if stage == PRIMARY else PALETTE[2]},
                "symbol": "none",
            },
        ]
    return {
        "color": PALETTE,
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0, "type": "scroll"},
        "grid": {"left": 8, "right": 16, "bottom": 8, "top": 56, "containLabel": True},
        "xAxis": {"type": "category", "data": [str(y) for y in axis]},
        "yAxis": {"type": "value", "name": "人", "min": 0, "splitLine": {"lineStyle": {"type": "dashed"}}},
        "series": series,
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def warning_cell(row: dict[str, Any] | None, seats: bool = False) -> dict[str, Any]:
    if row is None:
        return {"level": EMPTY, "cls": "none", "text": EMPTY, "title": ""}
    level = row["seat_warning" if seats else "warning"]
    value, places, ratio, reason = (
        (row["enrolment"], row["total_places"], row["total_ratio"], row["seat_warning_reason"])
        if seats
        else (row["entrants"], row["entry_places"], row["entry_ratio"], row["warning_reason"])
    )
    return {
        "level": level,
        "cls": LEVEL_CLASSES.get(level, "none"),
        "value": count(value),
        "places": count(places),
        "ratio": pct(ratio),
        "ratio_value": ratio,
        "title": reason or f"预测 {count(value)} 人 / 学位 {count(places)} 个",
    }


def warning_table(data: dict[str, Any], seats: bool = False) -> list[dict[str, Any]]:
    by_key = {(r["zone"], r["stage"], r["year"]): r for r in data["rows"]}
    table = []
    for zone, name in data["zones"].items():
        for stage in (PRIMARY, JUNIOR):
            cells = [by_key.get((zone, stage, y)) for y in data["years"]]
            if all(c is None for c in cells):
                continue
            if stage == JUNIOR and all(c is None or c["entrants"] is None for c in cells):
                continue  # no 初中 in the zone
            label = (
                ("小学在校生" if stage == PRIMARY else "初中在校生")
                if seats
                else f"{ENTRY_LABELS[stage]}新生"
            )
            table.append(
                {
                    "zone": zone,
                    "name": name,
                    "stage": stage,
                    "label": label,
                    "cells": [warning_cell(c, seats) for c in cells],
                }
            )
    return table


def level_counts(table: list[dict[str, Any]]) -> dict[str, int]:
    out = dict.fromkeys(LEVEL_CLASSES, 0)
    for row in table:
        for cell in row["cells"]:
            if cell["level"] in out:
                out[cell["level"]] += 1
    return out


@login_required
def forecast(request: HttpRequest) -> HttpResponse:
    data_in = request.POST if request.method == "POST" else request.GET
    sel = resolve(request.user, data_in)
    scenario, values, errors = parse_scenario(data_in)
    grouping = data_in.get("grouping") or None
    context: dict[str, Any] = {
        "title": "学位与班额",
        "heading": f"学位预警 · {sel.name}" if sel else "学位预警",
        "subtitle": f"{sel.level_label} · 小学一年级、初一新生预测与学位对比" if sel else "",
        "sel": sel,
        "data": None,
        "scenario": scenario,
        "form": values,
        "errors": errors,
        "actions": [],
    }
    if sel is None:
        return render(request, "places/forecast.html", context)
    data = queries.forecast_overview(request.user, sel, grouping, scenario)
    params = {**sel.params(), "grouping": data["grouping"], **{k: v for k, v in values.items() if v}}
    if data_in.get("format") == "xlsx":
        frame = queries.forecast_export(data["rows"])
        return xlsx_response(frame, "学位预警", f"学位预警-{sel.name}.xlsx")
    entry_table = warning_table(data)
    context.update(
        data=data,
        crumbs=[
            (label, url_with("places:forecast", {**p, "grouping": data["grouping"]}))
            for label, p in queries.breadcrumbs(request.user, sel)
        ],
        actions=[("班额与校额", url_with("places:index", sel.params()), "")],
        groupings=list(inputs.GROUPINGS.items()),
        entry_table=entry_table,
        seat_table=warning_table(data, seats=True),
        counts=level_counts(entry_table),
        charts=[
            {
                "id": f"zone-chart-{i}",
                "data_id": f"zone-chart-{i}-data",
                "name": name,
                "option": zone_chart(zone, data["rows"], data["observed"], data["years"]),
            }
            for i, (zone, name) in enumerate(data["zones"].items())
            if any(r["zone"] == zone for r in data["rows"])
        ],
        export_query=urlencode({**params, "format": "xlsx"}),
        children=_forecast_children(request.user, sel),
    )
    return render(request, "places/forecast.html", context)


def _forecast_children(user: Any, sel: Selection) -> list[dict[str, str]]:
    """Links one level down (镇/街道 under a county)."""
    if sel.level != OrgKind.COUNTY:
        return []
    towns = OrgUnit.objects.visible_to(user).filter(kind=OrgKind.TOWN, parent=sel.unit).order_by("path")
    return [{"name": t.name, "url": url_with("places:forecast", {"unit": t.pk})} for t in towns]
