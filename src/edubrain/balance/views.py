"""均衡发展 pages (namespace ``balance``, mounted at /balance/): 优质均衡 资源配置 of a county or
镇/街道 (per-stage summary, 差异系数 against the limits, per-school results, gaps, what-if, the other
parts of the method, xlsx export of the CLI's two sheets) and 普及普惠 (/balance/preschool/). Figures
come from ``balance.queries`` (scoped); this module formats them and builds the ECharts options
(rendered with ``json_script``)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import polars as pl
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header

from edubrain.balance import method, queries
from edubrain.balance.inputs import area_units
from edubrain.balance.queries import BalanceResult, Selection, WhatIf, WhatIfError
from edubrain.base.charts import PALETTE
from edubrain.core.balance import INDICATORS, Evaluation, Move
from edubrain.core.balance.indicators import (
    DEFAULT_OPTIONS,
    MET_COUNT,
    NO,
    NOT_EVALUABLE,
    NOTE,
    PASSED,
    PUPILS,
    SCHOOL_ID,
    SCHOOL_NAME,
    STAGE,
    YES,
)
from edubrain.core.balance.layout import contract_sheets
from edubrain.core.io.writers import table_bytes, write_tables

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EMPTY = "—"
SHORT = {
    "L1": "高于规定学历教师",
    "L2": "县级以上骨干教师",
    "L3": "体育艺术教师",
    "L4": "教学及辅助用房",
    "L5": "体育运动场馆",
    "L6": "教学仪器设备值",
    "L7": "网络多媒体教室",
}
VERDICT_CLASSES = {YES: "ok", NO: "danger", NOT_EVALUABLE: "warn", "达标": "ok", "未达标": "danger"}


def parse_int(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() and len(raw) < 10 else None


def parse_float(raw: str | None) -> float:
    try:
        return float(raw) if raw not in (None, "") else 0.0
    except ValueError as exc:
        raise WhatIfError(f"“{raw}”不是数字") from exc


def resolve(user: Any, data: Any) -> tuple[Selection, int]:
    """(selection, year) of ``?unit=&year=``; Http404 for a unit outside the scope or nothing to see."""
    try:
        sel = queries.selection_for(user, parse_int(data.get("unit")))
    except LookupError as exc:
        raise Http404(str(exc)) from exc
    year = parse_int(data.get("year")) or queries.latest_year()
    if sel is None or year is None:
        raise Http404("没有可查看的单位或学年")
    return sel, year


def fmt(value: float | None, digits: int = 2) -> str:
    return EMPTY if value is None else f"{value:,.{digits}f}"


def page_context(request: HttpRequest, sel: Selection, year: int, name: str, title: str) -> dict[str, Any]:
    base = reverse(f"balance:{name}")
    return {
        "title": title,
        "sel": sel,
        "year": year,
        "years": queries.school_years(),
        "year_params": list(sel.params().items()),
        "heading": f"{title} · {sel.name}",
        "subtitle": f"{sel.level_label} · {year}—{year + 1}学年",
        "crumbs": [
            (label, f"{base}?{urlencode({**params, 'year': year})}")
            for label, params in queries.breadcrumbs(request.user, sel)
        ],
        "export_query": urlencode({**sel.params(), "year": year, "format": "xlsx"}),
    }


# ---------------------------------------------------------------- charts


def cv_chart(cvs: pl.DataFrame) -> dict[str, Any]:
    """差异系数 per indicator, one bar series per 学段, bars over the limit red, the limits as lines."""
    labels = [SHORT[i.key] for i in INDICATORS]
    series = []
    for n, stage in enumerate(("小学", "初中")):
        rows = {r["指标"]: r for r in cvs.filter(pl.col(STAGE) == stage).to_dicts()}
        if not rows:
            continue
        limit = DEFAULT_OPTIONS.cv_limit(stage)
        data = []
        for ind in INDICATORS:
            cv = rows.get(ind.name, {}).get("差异系数")
            colour = PALETTE[3] if cv is not None and cv > limit else PALETTE[n]
            data.append({"value": None if cv is None else round(cv, 3), "itemStyle": {"color": colour}})
        series.append(
            {
                "name": f"{stage}（限值 {limit:.2f}）",
                "type": "bar",
                "barMaxWidth": 28,
                "data": data,
                "itemStyle": {"color": PALETTE[n]},
                "markLine": {
                    "symbol": "none",
                    "label": {"formatter": f"{stage}限值 {limit:.2f}"},
                    "lineStyle": {"color": PALETTE[3] if n else PALETTE[2], "type": "dashed"},
                    "data": [{"yAxis": limit}],
                },
            }
        )
    return {
        "color": PALETTE,
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"top": 0},
        "grid": {"left": 8, "right": 24, "bottom": 8, "top": 48, "containLabel": True},
        "xAxis": {"type": "category", "data": labels, "axisLabel": {"interval": 0, "rotate": 20}},
        "yAxis": {
            "type": "value",
            "name": "差异系数",
            "min": 0,
            "splitLine": {"lineStyle": {"type": "dashed"}},
        },
        "series": series,
    }


def scatter_chart(schools: pl.DataFrame, key: str) -> dict[str, Any]:
    """Each school stage: 在校生数 against its value of one indicator; the thresholds as lines; points
    below the threshold red."""
    ind = next(i for i in INDICATORS if i.key == key)
    series = []
    for n, stage in enumerate(("小学", "初中")):
        rows = schools.filter((pl.col(STAGE) == stage) & pl.col(ind.name).is_not_null())
        if rows.height == 0:
            continue
        threshold = DEFAULT_OPTIONS.threshold(ind, stage)
        data = [
            {
                "name": f"{r[SCHOOL_NAME]}（{stage}）",
                "value": [r[PUPILS], round(r[ind.name], 3)],
                "itemStyle": {"color": PALETTE[n] if r[ind.met_column] else PALETTE[3]},
            }
            for r in rows.to_dicts()
        ]
        series.append(
            {
                "name": f"{stage}（标准 {threshold:g}{ind.unit}）",
                "type": "scatter",
                "symbolSize": 12,
                "data": data,
                "itemStyle": {"color": PALETTE[n]},
                "markLine": {
                    "symbol": "none",
                    "label": {"formatter": f"{stage}标准 {threshold:g}"},
                    "lineStyle": {"color": PALETTE[n], "type": "dashed"},
                    "data": [{"yAxis": threshold}],
                },
            }
        )
    return {
        "color": PALETTE,
        "tooltip": {"trigger": "item", "formatter": "{b}<br/>在校生 {c}"},
        "legend": {"top": 0},
        "grid": {"left": 8, "right": 32, "bottom": 8, "top": 48, "containLabel": True},
        "xAxis": {"type": "value", "name": "在校生数", "splitLine": {"show": False}},
        "yAxis": {
            "type": "value",
            "name": ind.unit,
            "min": 0,
            "splitLine": {"lineStyle": {"type": "dashed"}},
        },
        "series": series,
    }


# ---------------------------------------------------------------- tables


def cv_rows(cvs: pl.DataFrame, after: pl.DataFrame | None = None) -> list[dict[str, Any]]:
    later = {}
    if after is not None:
        later = {(r[STAGE], r["指标"]): r for r in after.to_dicts()}
    out = []
    for r in cvs.to_dicts():
        a = later.get((r[STAGE], r["指标"]))
        out.append(
            {
                "stage": r[STAGE],
                "indicator": r["指标"],
                "mean": fmt(r["县均值"], 3),
                "cv": fmt(r["差异系数"], 3),
                "cv_value": r["差异系数"],
                "limit": f"{r['限值']:.2f}",
                "verdict": r["是否达标"],
                "cls": VERDICT_CLASSES.get(r["是否达标"], ""),
                "near": bool(r["接近限值"]),
                "note": r[NOTE] or "",
                "after": fmt(a["差异系数"], 3) if a else None,
                "after_verdict": a["是否达标"] if a else None,
                "after_cls": VERDICT_CLASSES.get(a["是否达标"], "") if a else "",
            }
        )
    return out


def school_rows(schools: pl.DataFrame) -> list[dict[str, Any]]:
    out = []
    for r in schools.to_dicts():
        out.append(
            {
                "code": r[SCHOOL_ID],
                "name": r[SCHOOL_NAME],
                "town": r.get("镇/街道") or "",
                "stage": r[STAGE],
                "pupils": fmt(r[PUPILS], 0),
                "values": [
                    {
                        "text": fmt(r[i.name], 0 if i.kind == "money" else 2),
                        "met": r[i.met_column],
                        "title": f"{i.name}：标准 {DEFAULT_OPTIONS.threshold(i, r[STAGE]):g}{i.unit}"
                        if r[STAGE] in ("小学", "初中")
                        else i.name,
                    }
                    for i in INDICATORS
                ],
                "met_count": EMPTY if r[MET_COUNT] is None else r[MET_COUNT],
                "verdict": r[PASSED],
                "cls": VERDICT_CLASSES.get(r[PASSED], ""),
                "note": r[NOTE] or "",
            }
        )
    return out


def gap_rows(gaps: pl.DataFrame) -> list[dict[str, Any]]:
    keys = {i.name: i.key for i in INDICATORS}
    return [
        {
            "code": r[SCHOOL_ID],
            "name": r[SCHOOL_NAME],
            "stage": r[STAGE],
            "indicator": r["指标"],
            "current": fmt(r["现值"], 2),
            "standard": f"{r['标准值']:g}",
            "gap": fmt(r["缺口"], 0 if r["单位"] in ("人", "间") else 2),
            "gap_value": r["缺口"],
            "key": keys.get(r["指标"], ""),
            "unit": r["单位"],
        }
        for r in gaps.to_dicts()
    ]


def compare_rows(before: Evaluation, after: Evaluation) -> list[dict[str, Any]]:
    """Per school stage: 达标指标数 and 是否达标 before and after, changed rows marked."""
    keys = [SCHOOL_ID, STAGE]
    left = before.schools.select(*keys, SCHOOL_NAME, PUPILS, MET_COUNT, PASSED)
    right = after.schools.select(
        *keys,
        pl.col(PUPILS).alias("p2"),
        pl.col(MET_COUNT).alias("m2"),
        pl.col(PASSED).alias("v2"),
    )
    joined = left.join(right, on=keys, how="left", maintain_order="left")
    out = []
    for r in joined.to_dicts():
        changed = (r[MET_COUNT], r[PASSED], r[PUPILS]) != (r["m2"], r["v2"], r["p2"])
        out.append(
            {
                "code": r[SCHOOL_ID],
                "name": r[SCHOOL_NAME],
                "stage": r[STAGE],
                "pupils": fmt(r[PUPILS], 0),
                "pupils_after": fmt(r["p2"], 0),
                "met": EMPTY if r[MET_COUNT] is None else r[MET_COUNT],
                "met_after": EMPTY if r["m2"] is None else r["m2"],
                "verdict": r[PASSED],
                "verdict_after": r["v2"],
                "cls": VERDICT_CLASSES.get(r[PASSED], ""),
                "cls_after": VERDICT_CLASSES.get(r["v2"], ""),
                "changed": changed,
            }
        )
    return out


def school_options(result: BalanceResult) -> list[dict[str, str]]:
    """The school stages a what-if can change: value "学校标识码|学段"."""
    return [
        {"value": f"{r[SCHOOL_ID]}|{r[STAGE]}", "label": f"{r[SCHOOL_NAME]}（{r[STAGE]}）"}
        for r in result.evaluation.schools.filter(pl.col(STAGE).is_in(["小学", "初中"])).to_dicts()
    ]


def move_options(result: BalanceResult) -> list[dict[str, str]]:
    return [
        {"value": r[SCHOOL_ID], "label": r[SCHOOL_NAME]}
        for r in result.frame.select(SCHOOL_ID, SCHOOL_NAME).unique(maintain_order=True).to_dicts()
    ]


def what_if_request(data: Any) -> WhatIf:
    """The what-if form: ``school`` ("code|学段"), ``add_L1`` … ``add_L7``; ``move_from``, ``move_to``,
    ``move_stage``, ``move_pupils``."""
    school, _, stage = (data.get("school") or "").partition("|")
    additions = {i.key: parse_float(data.get(f"add_{i.key}")) for i in INDICATORS}
    move = None
    pupils = parse_float(data.get("move_pupils"))
    if data.get("move_from") or data.get("move_to") or pupils:
        move = Move(
            source=data.get("move_from") or "",
            target=data.get("move_to") or "",
            pupils=pupils,
            stage=data.get("move_stage") or None,
        )
    return WhatIf(school=school or None, stage=stage or None, additions=additions, move=move)


def scenario_text(result: BalanceResult, asked: WhatIf) -> str:
    """The what-if in one Chinese sentence, e.g. "沂源县第三实验小学（小学）增加 体育运动场馆 124.14 m²"."""
    names = dict(result.frame.select(SCHOOL_ID, SCHOOL_NAME).iter_rows())
    parts = []
    added = [(i, (asked.additions or {}).get(i.key) or 0.0) for i in INDICATORS]
    if asked.school and any(v for _, v in added):
        what = "、".join(f"{SHORT[i.key]} {v:g} {i.unit}" for i, v in added if v)
        parts.append(f"{names.get(asked.school, asked.school)}（{asked.stage}）增加 {what}")
    if asked.move is not None:
        m = asked.move
        source, target = names.get(m.source, m.source), names.get(m.target, m.target)
        parts.append(f"{source}调出{m.stage or ''}学生 {m.pupils:g} 人到{target}")
    return "；".join(parts)


def xlsx_response(sheets: dict[str, pl.DataFrame], name: str) -> HttpResponse:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "out.xlsx"
        write_tables(sheets, path)
        body = path.read_bytes()
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@login_required
def index(request: HttpRequest) -> HttpResponse:
    sel, year = resolve(request.user, request.GET if request.method == "GET" else request.POST)
    result = queries.balance(request.user, sel, year)
    ev = result.evaluation
    if request.GET.get("format") == "xlsx":
        return xlsx_response(contract_sheets(ev), f"优质均衡-{sel.name}-{year}学年.xlsx")
    key = request.GET.get("ind") if request.GET.get("ind") in SHORT else "L1"
    context = page_context(request, sel, year, "index", "优质均衡")
    closed = queries.closed_gaps(result)
    context.update(
        rule=queries.RULE,
        stages=queries.stage_summary(ev),
        has_schools=ev.schools.height > 0,
        cv_chart=cv_chart(ev.cvs) if ev.cvs.height else None,
        cvs=cv_rows(ev.cvs, closed.cvs if closed else None),
        gaps_closed=closed is not None,
        scatter_chart=scatter_chart(ev.schools, key) if ev.schools.height else None,
        scatter_key=key,
        scatter_options=[(i.key, i.name) for i in INDICATORS],
        indicators=[
            {"key": i.key, "name": i.name, "short": SHORT[i.key], "unit": i.unit} for i in INDICATORS
        ],
        schools=school_rows(ev.schools),
        gaps=gap_rows(result.gaps),
        school_options=school_options(result),
        move_options=move_options(result),
        parts=method.method_parts(request.user, sel, year, result.frame),
        town_note=sel.unit.kind != "county",
        actions=[
            ("导出 Excel", f"?{context['export_query']}", ""),
            ("普及普惠", reverse("balance:preschool") + f"?{urlencode({**sel.params(), 'year': year})}", ""),
        ],
        children=children(request.user, sel, year),
    )
    if request.method == "POST":
        context["form"] = request.POST
        for ind in context["indicators"]:
            ind["value"] = request.POST.get(f"add_{ind['key']}", "")
        try:
            asked = what_if_request(request.POST)
            after = queries.run_what_if(result, asked)
        except WhatIfError as exc:
            context["whatif_error"] = str(exc)
        else:
            context["whatif"] = {
                "scenario": scenario_text(result, asked),
                "schools": compare_rows(ev, after),
                "cvs": cv_rows(ev.cvs, after.cvs),
                "passing_before": int((ev.schools[PASSED] == YES).sum()),
                "passing_after": int((after.schools[PASSED] == YES).sum()),
            }
    return render(request, "balance/index.html", context)


def children(user: Any, sel: Selection, year: int) -> list[dict[str, Any]]:
    """The 镇/街道 of a county with a link (drill-down)."""
    if sel.unit.kind != "county":
        return []
    base = reverse("balance:index")
    return [
        {"name": t.name, "url": f"{base}?{urlencode({'unit': t.pk, 'year': year})}"}
        for t in area_units(user, sel.unit)
    ]


# ---------------------------------------------------------------- 普及普惠

PRESCHOOL_COLUMNS = {
    "unit": "单位",
    "level_label": "类别",
    "indicator_name": "指标",
    "value": "值",
    "value_unit": "单位符号",
    "comparison": "比较",
    "threshold": "标准",
    "status": "结果",
    "numerator": "分子",
    "denominator": "分母",
    "reason": "原因",
    "basis": "依据",
}


def preschool_table(checks: pl.DataFrame, verdicts: pl.DataFrame) -> list[dict[str, Any]]:
    """One entry per unit: its checks (national then plan) and the two verdicts."""
    verdict = {(r["unit_id"], r["level"]): r for r in verdicts.to_dicts()}
    units: dict[int, dict[str, Any]] = {}
    for r in checks.to_dicts():
        unit = units.setdefault(
            r["unit_id"],
            {
                "id": r["unit_id"],
                "name": r["unit"],
                "checks": [],
                "national": verdict.get((r["unit_id"], "national")),
                "plan": verdict.get((r["unit_id"], "plan")),
            },
        )
        value = r["value"]
        unit["checks"].append(
            {
                "code": r["indicator"],
                "name": r["indicator_name"],
                "level": r["level_label"],
                "value": EMPTY if value is None else f"{value:g}{'%' if r['value_unit'] == '%' else ''}",
                "threshold": f"{r['comparison']} {r['threshold']:g}{'%' if r['value_unit'] == '%' else ''}",
                "status": r["status"],
                "cls": VERDICT_CLASSES.get(r["status"], "warn"),
                "reason": r["reason"] or "",
                "fraction": ""
                if r["numerator"] is None or r["denominator"] is None
                else f"{r['numerator']:g} / {r['denominator']:g}",
            }
        )
    for unit in units.values():
        for level in ("national", "plan"):
            v = unit[level]
            unit[f"{level}_cls"] = VERDICT_CLASSES.get(v["status"], "warn") if v else ""
    return list(units.values())


def preschool_chart(checks: pl.DataFrame) -> dict[str, Any]:
    """普惠覆盖率 and 公办园占比 per unit with the national and plan bars as lines."""
    rows = checks.filter(pl.col("level") == "plan")
    units = rows["unit"].unique(maintain_order=True).to_list()

    def values(code: str) -> list[float | None]:
        found = {r["unit"]: r["value"] for r in rows.filter(pl.col("indicator") == code).to_dicts()}
        return [found.get(u) for u in units]

    def line(value: float, label: str, colour: str) -> dict[str, Any]:
        return {
            "yAxis": value,
            "label": {"formatter": label},
            "lineStyle": {"color": colour, "type": "dashed"},
        }

    return {
        "color": PALETTE,
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"top": 0},
        "grid": {"left": 8, "right": 48, "bottom": 8, "top": 48, "containLabel": True},
        "xAxis": {"type": "category", "data": units, "axisLabel": {"interval": 0, "rotate": 20}},
        "yAxis": {"type": "value", "name": "%", "min": 0, "max": 100},
        "series": [
            {
                "name": "普惠性幼儿园覆盖率",
                "type": "bar",
                "barMaxWidth": 28,
                "data": values("puhui_coverage"),
                "markLine": {
                    "symbol": "none",
                    "data": [line(80, "国家 80%", PALETTE[2]), line(90, "规划 90%", PALETTE[3])],
                },
            },
            {
                "name": "公办园在园幼儿占比",
                "type": "bar",
                "barMaxWidth": 28,
                "data": values("public_share"),
                "markLine": {
                    "symbol": "none",
                    "data": [line(50, "国家 50%", PALETTE[2]), line(65, "规划 65%", PALETTE[3])],
                },
            },
        ],
    }


@login_required
def preschool(request: HttpRequest) -> HttpResponse:
    sel, year = resolve(request.user, request.GET)
    context = page_context(request, sel, year, "preschool", "普及普惠")
    context["actions"] = [
        ("导出 Excel", f"?{context['export_query']}", ""),
        ("优质均衡", reverse("balance:index") + f"?{urlencode({**sel.params(), 'year': year})}", ""),
    ]
    if sel.unit.kind == "school":
        context["not_area"] = True
        return render(request, "balance/preschool.html", context)
    data = queries.preschool(request.user, sel, year)
    checks = data["checks"]
    if request.GET.get("format") == "xlsx":
        frame = checks.select(list(PRESCHOOL_COLUMNS)).rename(PRESCHOOL_COLUMNS)
        response = HttpResponse(table_bytes(frame, "xlsx", "普及普惠"), content_type=XLSX)
        name = f"普及普惠-{sel.name}-{year}学年.xlsx"
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response
    context.update(
        units=preschool_table(checks, data["verdicts"]),
        chart=preschool_chart(checks) if checks.height else None,
        skipped=data["skipped"],
        manual=queries.PRESCHOOL_MANUAL,
    )
    return render(request, "balance/preschool.html", context)
