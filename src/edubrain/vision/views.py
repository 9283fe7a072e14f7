"""视力监测 page (namespace ``vision``, mounted at /vision/): the overview of a unit and year with drill-down
县 → 镇/街道 → 学校 → 年级. Figures come from ``vision.queries`` (scoped, counted in the database);
this module formats them and builds the ECharts options (rendered with ``json_script``)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

import polars as pl
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header

from edubrain.base.charts import PALETTE, bar_chart
from edubrain.core.io.writers import table_bytes
from edubrain.registry.models import SchoolYear
from edubrain.vision import followup_queries as fq
from edubrain.vision import queries
from edubrain.vision.queries import RULE, Selection

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EMPTY = "—"
TARGET_TEXT = "每年降低≥1个百分点"
COLOUR_CLASSES = {"无": "ok", "黄色": "warn", "橙色": "warn", "红色": "danger"}


def pct(value: float | None) -> str:
    return EMPTY if value is None else f"{value:.1f}%"


def count(value: int | None) -> str:
    return EMPTY if value is None else f"{int(value):,}"


def change(value: float | None, lower_is_better: bool = True) -> dict[str, str]:
    """The change from the previous year; coloured good (``up``) or bad (``down``): for myopia rates a fall
    is good, for coverage a rise."""
    if value is None:
        return {"text": "", "cls": "none", "title": "上一学年无数据"}
    if value == 0:
        return {"text": "持平", "cls": "flat", "title": "与上一学年持平"}
    return {
        "text": f"{'▲' if value > 0 else '▼'}{value:+.1f}",
        "cls": "up" if (value < 0) == lower_is_better else "down",
        "title": f"比上一学年{'提高' if value > 0 else '降低'}{abs(value):g}个百分点",
    }


def target(met: bool | None) -> dict[str, str]:
    if met is None:
        return {"text": "无上年数据", "cls": ""}
    return {"text": "达标" if met else "未达标", "cls": "ok" if met else "warn"}


def url_with(params: dict[str, Any]) -> str:
    query = {k: v for k, v in params.items() if v not in (None, "")}
    return reverse("vision:overview") + (f"?{urlencode(query)}" if query else "")


def parse_int(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() and len(raw) < 10 else None


def resolve(user: Any, data: Any) -> tuple[Selection | None, int | None]:
    """(selection, year) of ``?unit=&grade=&year=``; Http404 for a unit outside the scope."""
    try:
        sel = queries.selection_for(user, parse_int(data.get("unit")), data.get("grade") or None)
    except LookupError as exc:
        raise Http404(str(exc)) from exc
    year = parse_int(data.get("year"))
    if sel is not None and year is None:
        year = queries.latest_year_with_data(user, sel)
    if year is None:
        year = SchoolYear.objects.order_by("-start_year").values_list("start_year", flat=True).first()
    return sel, year


def trend_chart(trend: list[dict[str, Any]]) -> dict[str, Any]:
    """总体近视率 and 高度近视占比 per school year; the points coloured by the yearly
    target (降低≥1个百分点)."""

    def point(row: dict[str, Any]) -> dict[str, Any]:
        met = row.get("target_met")
        colour = PALETTE[1] if met else PALETTE[3] if met is False else PALETTE[0]
        return {"value": row.get("rate"), "itemStyle": {"color": colour}}

    return {
        "color": PALETTE,
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 8, "right": 24, "bottom": 8, "top": 48, "containLabel": True},
        "xAxis": {"type": "category", "data": [f"{row['year']}学年" for row in trend]},
        "yAxis": {"type": "value", "name": "%", "min": 0, "splitLine": {"lineStyle": {"type": "dashed"}}},
        "series": [
            {
                "name": f"总体近视率（目标：{TARGET_TEXT}）",
                "type": "line",
                "symbolSize": 9,
                "data": [point(row) for row in trend],
                "itemStyle": {"color": PALETTE[0]},
                "label": {"show": True, "formatter": "{c}%"},
            },
            {
                "name": "高度近视占比",
                "type": "line",
                "symbolSize": 7,
                "data": [row.get("high_rate") for row in trend],
                "itemStyle": {"color": PALETTE[2]},
            },
        ],
    }


def grade_chart(grades: list[dict[str, Any]]) -> dict[str, Any]:
    option = bar_chart([g["name"] for g in grades], {"总体近视率": [g["rate"] for g in grades]}, unit="%")
    option["series"][0]["label"] = {"show": True, "position": "top", "formatter": "{c}%"}
    option["legend"] = {"show": False}
    option["grid"]["top"] = 32
    option["xAxis"]["axisLabel"] = {"interval": 0, "rotate": 30}
    return option


def child_label(sel: Selection) -> str:
    return {"county": "镇/街道", "town": "学校", "school": "年级"}.get(sel.level, "下级单位")


def row_view(row: dict[str, Any]) -> dict[str, Any]:
    colour = row.get("colour")
    return {
        "screened": count(row.get("screened")),
        "myopic": count(row.get("myopic")),
        "rate": pct(row.get("rate")),
        "high_rate": pct(row.get("high_rate")),
        "rate_value": row.get("rate"),
        "change": change(row.get("rate_change")),
        "target": target(row.get("target_met")),
        "colour": colour or EMPTY,
        "colour_cls": COLOUR_CLASSES.get(colour or "", ""),
    }


def children_xlsx(sel: Selection, year: int, children: list[dict[str, Any]]) -> HttpResponse:
    """The next level's table (schools ranked by 总体近视率, with the yearly target and colour) as xlsx."""
    label = child_label(sel)
    frame = pl.DataFrame(
        {
            label: [r["name"] for r in children],
            "筛查人数": [r.get("screened") for r in children],
            "近视人数": [r.get("myopic") for r in children],
            "总体近视率(%)": [r.get("rate") for r in children],
            "高度近视占比(%)": [r.get("high_rate") for r in children],
            "比上年(百分点)": [r.get("rate_change") for r in children],
            "每年降低≥1个百分点": [target(r.get("target_met"))["text"] for r in children],
            "预警颜色": [r.get("colour") or "" for r in children],
        },
        schema_overrides={"筛查人数": pl.Int64, "近视人数": pl.Int64, "总体近视率(%)": pl.Float64,
                          "高度近视占比(%)": pl.Float64, "比上年(百分点)": pl.Float64},
    ).sort("总体近视率(%)", descending=True, nulls_last=True)
    name = f"视力监测-{sel.name}-{year}学年-各{label}.xlsx"
    response = HttpResponse(table_bytes(frame, "xlsx", f"各{label}"), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    sel, year = resolve(request.user, request.GET)
    context: dict[str, Any] = {
        "title": "视力监测",
        "rule": RULE,
        "sel": sel,
        "year": year,
        "target_text": TARGET_TEXT,
        "years": [(y.start_year, y.name) for y in SchoolYear.objects.order_by("-start_year")],
        "heading": f"视力监测 · {sel.name}" if sel else "视力监测",
        "subtitle": f"{sel.level_label} · 三级监测（县—镇/街道—学校）" if sel else "",
        "data": None,
        "actions": [
            ("预警随访", reverse("vision:followups") + (f"?unit={sel.unit.pk}" if sel else ""), "")
        ],
    }
    if sel is None or year is None:
        return render(request, "vision/overview.html", context)
    data = queries.overview(request.user, sel, year)
    if request.GET.get("format") == "xlsx":
        return children_xlsx(sel, year, data["children"])
    open_counts = fq.summary(fq.followups(request.user, sel), dt.date.today())
    s = data["summary"]
    context.update(
        data=data,
        crumbs=[
            (label, url_with({**params, "year": year}))
            for label, params in queries.breadcrumbs(request.user, sel)
        ],
        year_params=list(sel.params().items()),
        figures=[
            {
                "key": "screened",
                "label": "筛查人数",
                "value": s.get("screened"),
                "text": count(s.get("screened")),
                "sub": f"应测 {count(s.get('expected'))} 人",
            },
            {
                "key": "coverage",
                "label": "筛查覆盖率",
                "value": s.get("coverage"),
                "text": pct(s.get("coverage")),
                "change": change(s.get("coverage_change"), lower_is_better=False),
            },
            {
                "key": "rate",
                "label": "总体近视率",
                "value": s.get("rate"),
                "text": pct(s.get("rate")),
                "change": change(s.get("rate_change")),
                "target": target(s.get("target_met")),
            },
            {
                "key": "high_rate",
                "label": "高度近视占比",
                "value": s.get("high_rate"),
                "text": pct(s.get("high_rate")),
                "change": change(s.get("high_rate_change")),
            },
            {
                "key": "new_onset_rate",
                "label": "新发近视率",
                "value": s.get("new_onset_rate"),
                "text": pct(s.get("new_onset_rate")),
                "change": change(s.get("new_onset_change")),
                "sub": f"{s['new_onset']['new']} / {s['new_onset']['base']} 人",
            },
        ],
        trend=[
            {
                "year": r["year"],
                "rate": pct(r["rate"]),
                "change": change(r.get("rate_change")),
                "target": target(r.get("target_met")),
            }
            for r in data["trend"]
        ],
        trend_chart=trend_chart(data["trend"]) if data["trend"] else None,
        grade_chart=grade_chart(data["grades"]) if data["grades"] else None,
        sexes=[{"label": r["label"], **row_view(r)} for r in data["sexes"]],
        children=[
            {"name": r["name"], "url": url_with({**r["params"], "year": year}), **row_view(r)}
            for r in data["children"]
        ],
        child_label=child_label(sel),
        export_query=urlencode({**sel.params(), "year": year, "format": "xlsx"}),
        target_cls=target(s.get("target_met"))["cls"],
        followups={
            **open_counts,
            "url": reverse("vision:followups") + f"?unit={sel.unit.pk}",
            "overdue_url": reverse("vision:followups") + f"?unit={sel.unit.pk}&state=overdue",
        },
    )
    return render(request, "vision/overview.html", context)
