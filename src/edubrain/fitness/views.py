"""体质健康 pages: the overview of a unit and year (drill-down 县 → 镇/街道 → 学校 → 年级 → 班级), the
年度通报 ranking (page and xlsx), the pupil list of a class or grade, and a pupil's history with a printable
card.

Figures come from ``fitness.queries`` (scoped, counted in the database); this module only formats them and
builds the ECharts options (rendered with ``json_script``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import polars as pl
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from edubrain.base.charts import PALETTE, bar_chart
from edubrain.base.masking import show_student_number
from edubrain.base.scoping import get_visible_or_404
from edubrain.core.fitness.items import BMI, HEIGHT, ITEMS, RATINGS, WEIGHT
from edubrain.core.fitness.scoring import STATUSES
from edubrain.core.io.writers import table_bytes
from edubrain.fitness import pupils as pupil_queries
from edubrain.fitness import queries
from edubrain.fitness import ranking as ranking_queries
from edubrain.fitness.forms import resolve
from edubrain.fitness.indicators import EXCELLENT_GOOD, INDICATORS, PASS
from edubrain.fitness.models import FitnessMeasurement
from edubrain.fitness.queries import DENOMINATOR_RULE, Selection
from edubrain.registry.models import SchoolYear, Student

EMPTY = "—"
RATE_FIGURES = [
    ("excellent_rate", "优秀率", "%"),
    ("good_rate", "良好率", "%"),
    ("excellent_good_rate", "优良率", "%"),
    ("pass_rate", "合格率", "%"),
    ("mean_score", "平均分", "分"),
]
COUNT_FIGURES = [
    ("expected", "应测人数"),
    ("tested", "实测人数"),
    ("exempt", "免测人数"),
    ("missing", "缺测人数"),
    ("incomplete", "缺项人数"),
    ("invalid", "数据有误"),
]
TARGETS = {"excellent_good_rate": INDICATORS[EXCELLENT_GOOD], "pass_rate": INDICATORS[PASS]}
WEAK_ITEMS = 3


# ---------------------------------------------------------------- formatting


def pct(value: float | None) -> str:
    return EMPTY if value is None else f"{value:.1f}%"


def score(value: Any) -> str:
    return EMPTY if value is None else f"{float(value):.1f}"


def count(value: int | None) -> str:
    return EMPTY if value is None else f"{int(value):,}"


def change(value: float | int | None, unit: str = "", short: bool = False) -> dict[str, str]:
    """A change from the previous year: text with its sign (and unit unless ``short``), a class
    (up/down/flat/none) and a title spelling it out."""
    if value is None:
        return {"text": "", "cls": "none", "title": "上一学年无数据"}
    if value == 0:
        return {"text": "持平", "cls": "flat", "title": "与上一学年持平"}
    text = f"{value:+.1f}" if isinstance(value, float) else f"{value:+,}"
    return {"text": f"{'▲' if value > 0 else '▼'}{text}{'' if short else unit}",
            "cls": "up" if value > 0 else "down",
            "title": f"比上一学年{'提高' if value > 0 else '降低'}{abs(value):g}{unit}"}


def url_with(name: str, params: dict[str, Any], **kwargs: Any) -> str:
    query = {k: v for k, v in params.items() if v not in (None, "")}
    return reverse(name, kwargs=kwargs or None) + (f"?{urlencode(query)}" if query else "")


def rate_row(row: dict[str, Any]) -> dict[str, Any]:
    """Formatted figures of one summary row (children, sexes, ranking)."""
    return {
        "expected": count(row.get("expected")), "records": count(row.get("records")),
        "tested": count(row.get("tested")), "exempt": count(row.get("exempt")),
        "missing": count(row.get("missing")), "incomplete": count(row.get("incomplete")),
        "invalid": count(row.get("invalid")),
        "excellent_rate": pct(row.get("excellent_rate")), "good_rate": pct(row.get("good_rate")),
        "excellent_good_rate": pct(row.get("excellent_good_rate")), "pass_rate": pct(row.get("pass_rate")),
        "mean_score": score(row.get("mean_score")),
        "excellent_good_change": change(row.get("excellent_good_rate_change"), "个百分点", short=True),
        "pass_change": change(row.get("pass_rate_change"), "个百分点", short=True),
        "mean_change": change(row.get("mean_score_change"), "分", short=True),
    }


# ---------------------------------------------------------------- charts


def trend_chart(trend: list[dict[str, Any]]) -> dict[str, Any]:
    """优良率, 合格率 and 优秀率 per school year, with the plan's targets as dashed lines."""
    categories = [f"{row['year']}学年" for row in trend]

    def line(name: str, key: str, color: str, target: float | None = None) -> dict[str, Any]:
        series: dict[str, Any] = {
            "name": name, "type": "line", "data": [row.get(key) for row in trend], "symbolSize": 7,
            "connectNulls": True, "itemStyle": {"color": color}, "label": {"show": True, "formatter": "{c}%"},
        }
        if target is not None:
            series["markLine"] = {
                "symbol": "none", "silent": True, "lineStyle": {"type": "dashed", "color": color},
                "label": {"formatter": f"{name}目标 {target:g}%", "position": "insideEndTop"},
                "data": [{"yAxis": target}],
            }
        return series

    return {
        "color": PALETTE,
        "tooltip": {"trigger": "axis", "valueFormatter": None},
        "legend": {"top": 0},
        "grid": {"left": 8, "right": 24, "bottom": 8, "top": 48, "containLabel": True},
        "xAxis": {"type": "category", "data": categories, "boundaryGap": True},
        "yAxis": {"type": "value", "name": "%", "min": 0, "max": 100,
                  "splitLine": {"lineStyle": {"type": "dashed"}}},
        "series": [
            line("合格率", "pass_rate", PALETTE[1], TARGETS["pass_rate"].target),
            line("优良率", "excellent_good_rate", PALETTE[0], TARGETS["excellent_good_rate"].target),
            line("优秀率", "excellent_rate", PALETTE[2]),
        ],
    }


RATING_COLORS = {"优秀": PALETTE[1], "良好": PALETTE[0], "及格": PALETTE[2], "不及格": PALETTE[3]}


def rating_chart(summary: dict[str, Any]) -> dict[str, Any]:
    counts = [summary.get(k) or 0 for k in ("excellent", "good", "passed", "failed")]
    option = bar_chart(list(RATINGS), {"人数": counts}, unit="人")
    option["series"][0]["data"] = [
        {"value": n, "itemStyle": {"color": RATING_COLORS[r]}} for r, n in zip(RATINGS, counts, strict=True)
    ]
    option["series"][0]["label"] = {"show": True, "position": "top"}
    option["legend"] = {"show": False}
    option["grid"]["top"] = 32
    return option


def histogram_chart(histogram: list[dict[str, Any]]) -> dict[str, Any]:
    labels, counts = [row["label"] for row in histogram], [row["n"] for row in histogram]
    option = bar_chart(labels, {"人数": counts}, unit="人")
    option["series"][0]["barCategoryGap"] = "8%"
    option["legend"] = {"show": False}
    option["grid"]["top"] = 32
    option["xAxis"]["axisLabel"] = {"interval": 0, "rotate": 30}
    return option


# ---------------------------------------------------------------- page context


def school_year_choices() -> list[tuple[int, str]]:
    return [(y.start_year, y.name) for y in SchoolYear.objects.order_by("-start_year")]


def target_figures(summary: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for key, indicator in TARGETS.items():
        value = summary.get(key)
        reached = indicator.reached(value)
        gap = None if value is None or reached else round(indicator.target - value, 1)
        out.append({
            "key": key, "name": indicator.name, "target": indicator.target_text, "value": pct(value),
            "reached": reached, "gap": gap,
        })
    return out


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    sel, year, counted = resolve(request.GET, request.user)
    context: dict[str, Any] = {
        "title": "体质健康", "years": school_year_choices(), "year": year, "rule": DENOMINATOR_RULE,
        "sel": sel,
        "heading": f"体质健康 · {sel.name}" if sel else "体质健康",
        "subtitle": f"{sel.level_label} · 国家学生体质健康标准（2014年修订）" if sel else "",
    }
    if sel is None or year is None:
        return render(request, "fitness/overview.html", {**context, "data": None})
    data = queries.overview(request.user, sel, year, counted)
    summary = data["summary"]
    items = data["items"]
    context.update(
        data=data,
        crumbs=[(label, url_with("fitness:overview", {**params, "year": year}))
                for label, params in queries.breadcrumbs(request.user, sel)],
        counts=[{"key": k, "label": label, "value": summary.get(k), "text": count(summary.get(k))}
                for k, label in COUNT_FIGURES],
        rates=[{"key": k, "label": label, "value": summary.get(k),
                "text": pct(summary.get(k)) if unit == "%" else score(summary.get(k)),
                "change": change(summary.get(f"{k}_change"), "个百分点" if unit == "%" else "分"),
                "target": TARGETS[k].target_text if k in TARGETS else None}
               for k, label, unit in RATE_FIGURES],
        targets=target_figures(summary),
        items=[{**row, "mean": score(row["mean_score"]), "pass": pct(row["pass_rate"]),
                "excellent": pct(row["excellent_rate"]), "weak": i < WEAK_ITEMS and len(items) > WEAK_ITEMS,
                "tested_text": count(row["tested"])} for i, row in enumerate(items)],
        sexes=[{"label": row["label"], **rate_row(row)} for row in data["sexes"] if row["sex"]],
        children=[{"name": row["name"], "url": url_with("fitness:overview", {**row["params"], "year": year})
                   if row["params"] else None, **rate_row(row)} for row in data["children"]],
        child_label=child_label(sel),
        trend_chart=trend_chart(data["trend"]) if len(data["trend"]) > 1 else None,
        compare=sel.level != "class",
        rating_chart=rating_chart(summary) if summary.get("tested") else None,
        histogram_chart=histogram_chart(data["histogram"]) if summary.get("tested") else None,
        students_url=url_with("fitness:students", {**sel.params(), "year": year})
        if sel.level in ("grade", "class") else None,
        ranking_url=url_with("fitness:ranking", {"year": year}),
        year_params=[(k, v) for k, v in sel.params().items()],
    )
    return render(request, "fitness/overview.html", context)


def child_label(sel: Selection) -> str:
    return {"county": "镇/街道", "town": "学校", "school": "年级", "grade": "班级"}.get(sel.level, "下级单位")


# ---------------------------------------------------------------- ranking (年度通报)

RANKING_COLUMNS = [
    ("stage_name", "学段"), ("rank", "名次"), ("school_name", "学校"), ("town_name", "镇/街道"),
    ("expected", "应测人数"), ("tested", "实测人数"), ("exempt", "免测人数"), ("missing", "缺测人数"),
    ("excellent_rate", "优秀率(%)"), ("excellent_good_rate", "优良率(%)"), ("pass_rate", "合格率(%)"),
    ("mean_score", "平均分"), ("excellent_good_rate_change", "优良率变化(百分点)"),
    ("pass_rate_change", "合格率变化(百分点)"), ("mean_score_change", "平均分变化"),
]


def ranking_year(request: HttpRequest) -> int | None:
    raw = request.GET.get("year", "")
    if raw.isdigit() and len(raw) == 4:
        return int(raw)
    return queries.latest_year_with_data(request.user)


def ranking_by(request: HttpRequest) -> str:
    by = request.GET.get("by", "")
    return by if by in ranking_queries.RANK_BY else next(iter(ranking_queries.RANK_BY))


@login_required
def ranking(request: HttpRequest) -> HttpResponse:
    year, by = ranking_year(request), ranking_by(request)
    frame = ranking_queries.ranking(request.user, year, by) if year is not None else pl.DataFrame()
    groups = []
    if frame.height:
        for stage in queries.STAGES:
            part = frame.filter(pl.col("stage") == stage)
            if part.height:
                rows = [{
                    "rank": row["rank"], "school": row["school_name"], "town": row["town_name"] or "",
                    "url": url_with("fitness:overview", {"unit": row["org_unit_id"], "year": year}),
                    **rate_row(row),
                } for row in part.to_dicts()]
                groups.append({"stage": stage, "label": queries.STAGE_NAMES[stage], "rows": rows})
    context = {
        "title": "体质健康年度通报", "year": year, "years": school_year_choices(), "groups": groups,
        "rule": DENOMINATOR_RULE, "xlsx_url": url_with("fitness:ranking-xlsx", {"year": year, "by": by}),
        "overview_url": url_with("fitness:overview", {"year": year}),
        "targets": [INDICATORS[EXCELLENT_GOOD], INDICATORS[PASS]],
        "by": by, "by_label": ranking_queries.RANK_BY[by], "rank_by": list(ranking_queries.RANK_BY.items()),
        "year_params": [("by", by)],
    }
    return render(request, "fitness/ranking.html", context)


@login_required
def ranking_xlsx(request: HttpRequest) -> HttpResponse:
    year, by = ranking_year(request), ranking_by(request)
    frame = ranking_queries.ranking(request.user, year, by) if year is not None else pl.DataFrame()
    if frame.height == 0:
        frame = pl.DataFrame(schema={label: pl.String for _, label in RANKING_COLUMNS})
    else:
        frame = frame.select(pl.col(key).alias(label) for key, label in RANKING_COLUMNS)
    name = f"体质健康年度通报_{year}学年.xlsx" if year else "体质健康年度通报.xlsx"
    response = HttpResponse(
        table_bytes(frame, "年度通报"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


# ---------------------------------------------------------------- pupils of a class or grade


def item_keys_of(measurements: list[FitnessMeasurement | None]) -> list[Any]:
    """The items with a score in at least one of the measurements (the columns of a class list)."""
    present = [i for i in ITEMS if any(m is not None and getattr(m, f"{i.key}_score") is not None
                                       for m in measurements)]
    return present


@login_required
def students(request: HttpRequest) -> HttpResponse:
    sel, year, _ = resolve(request.GET, request.user)
    if sel is None or year is None or sel.level not in ("grade", "class"):
        raise Http404("请先选择年级或班级")
    pupils = pupil_queries.class_students(request.user, sel, year)
    items = item_keys_of([p["measurement"] for p in pupils])
    rows = []
    for p in pupils:
        m = p["measurement"]
        rows.append({
            "name": p["student__name"],
            "number": show_student_number(request.user, p["student__student_number"]),
            "sex": {"M": "男", "F": "女"}.get(p["student__sex"], ""),
            "class": p["school_class__name"] or f"{queries.grade_name(p['school_class__grade_code'])}"
                     f"({p['school_class__number']})班",
            "url": url_with("fitness:student", {"year": year}, pk=p["student_id"]),
            "total": score(m.total_score) if m else EMPTY,
            "rating": (m.rating or STATUSES.get(m.status, "")) if m else "未测",
            "status": m.status if m else "missing",
            "items": [score(getattr(m, f"{i.key}_score")) if m else EMPTY for i in items],
        })
    context = {
        "title": f"{sel.name} 学生体质测试成绩", "sel": sel, "year": year, "rows": rows,
        "items": [i.name for i in items], "years": school_year_choices(),
        "back_url": url_with("fitness:overview", {**sel.params(), "year": year}),
        "crumbs": [(label, url_with("fitness:overview", {**params, "year": year}))
                   for label, params in queries.breadcrumbs(request.user, sel)],
        "year_params": list(sel.params().items()),
    }
    return render(request, "fitness/students.html", context)


# ---------------------------------------------------------------- one pupil


def number_text(value: Any) -> str:
    """12.50 → "12.5", 180 → "180" (stored decimals without trailing zeros)."""
    text = str(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


def raw_value(m: FitnessMeasurement, column: str, unit: str) -> str:
    """A raw value with its unit; runs of a minute or more as 3'40"."""
    value = getattr(m, column)
    if value is None:
        return EMPTY
    if unit == "秒" and float(value) >= 60:
        minutes, seconds = divmod(round(float(value), 1), 60)
        text = f"{seconds:04.1f}"
        return f"{int(minutes)}'{text[:-2] if text.endswith('.0') else text}\""
    return f"{number_text(value)}{unit}"


def item_level_text(value: int | None) -> str:
    if value is None:
        return ""
    return "优秀" if value >= 90 else "良好" if value >= 80 else "及格" if value >= 60 else "不及格"


def measurement_items(m: FitnessMeasurement) -> list[dict[str, str]]:
    """The items of one measurement: raw value with unit, score, 等级 and 附加分 (items not taken are left
    out)."""
    rows = []
    for item in ITEMS:
        points = getattr(m, f"{item.key}_score")
        if item.key == BMI:
            raw_text = EMPTY if m.bmi is None else f"{m.bmi}"
            detail = f"身高 {raw_value(m, HEIGHT.column, '厘米')}，体重 {raw_value(m, WEIGHT.column, '千克')}"
            if m.bmi_band:
                detail += f"，{m.bmi_band}"
        else:
            given = getattr(m, item.column)
            if given is None and points is None:
                continue
            raw_text, detail = raw_value(m, item.column, item.unit), ""
        bonus = getattr(m, f"{item.key}_bonus", None)
        rows.append({
            "key": item.key, "name": item.name, "raw": raw_text, "detail": detail,
            "score": EMPTY if points is None else points,
            "level": (m.bmi_band or "") if item.key == BMI else item_level_text(points),
            "bonus": bonus if bonus else "",
        })
    return rows


def item_history(cards: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Items × years for the history table: per year the raw value, score and 等级 (or None)."""
    by_year = [{row["key"]: row for row in card["items"]} for card in cards]
    return [
        {"name": item.name, "cells": [found.get(item.key) for found in by_year]}
        for item in ITEMS if any(item.key in found for found in by_year)
    ]


def year_card(m: FitnessMeasurement) -> dict[str, Any]:
    return {
        "m": m, "year": m.school_year.start_year, "year_name": m.school_year.name, "school": m.school.name,
        "grade": queries.grade_name(m.grade_code), "class_name": m.class_name,
        "items": measurement_items(m), "standard": score(m.standard_score),
        "bonus": m.bonus if m.bonus is not None else EMPTY, "total": score(m.total_score),
        "rating": m.rating or EMPTY, "status": STATUSES.get(m.status, m.status or EMPTY),
        "remark": m.remark,
    }


@login_required
def student(request: HttpRequest, pk: int) -> HttpResponse:
    pupil = get_visible_or_404(Student, request.user, pk=pk)
    history = pupil_queries.student_history(request.user, pupil.pk)
    cards = [year_card(m) for m in history]
    raw = request.GET.get("year", "")
    chosen = next((c for c in cards if str(c["year"]) == raw), cards[-1] if cards else None)
    for c in cards:
        c["current"] = c is chosen
        c["url"] = url_with("fitness:student", {"year": c["year"]}, pk=pupil.pk)
    grad = pupil_queries.graduation(history)
    items = item_history(cards)
    context = {
        "title": f"{pupil.name} 体质健康", "pupil": pupil,
        "number": show_student_number(request.user, pupil.student_number),
        "sex": pupil.get_sex_display(), "cards": cards, "chosen": chosen, "graduation": grad,
        "item_history": items,
        "graduation_text": score(grad["graduation_score"]) if grad else EMPTY,
        "registry_url": reverse("registry:student-detail", args=[pupil.pk]),
    }
    return render(request, "fitness/student.html", context)
