"""The home page (首页): headline figures of a school year and students by stage over the years."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from edubrain.base.charts import bar_chart
from edubrain.plans import dashboard
from edubrain.registry.models import SchoolYear
from edubrain.registry.queries import summary, yearly_students
from edubrain.work.overview import callout as work_callout

STAGES = [("kindergarten", "学前教育"), ("compulsory", "义务教育"), ("upper_secondary", "高中阶段")]


def students_chart(years: list[dict[str, Any]]) -> dict[str, Any]:
    """Stacked bars of students by stage per school year (rows of ``yearly_students``)."""
    categories = [f"{row['year']}学年" for row in years]
    series = {label: [row[key] for row in years] for key, label in STAGES}
    option = bar_chart(categories, series, stacked=True, unit="人")
    option["series"].append(
        {"name": "其中中职", "type": "line", "data": [row["vocational"] for row in years], "symbolSize": 6}
    )
    option["legend"]["data"] = [*series, "其中中职"]
    return option


def selected_year(request: HttpRequest, years: list[int]) -> int | None:
    raw = request.GET.get("year", "")
    if raw.isdigit() and int(raw) in years:
        return int(raw)
    return years[-1] if years else None


WATCH = ("off_track", "at_risk")
"""Statuses the home page lists by name (the targets a leader must look at)."""


def plan_progress(user: Any) -> dict[str, Any] | None:
    """The user's first adopted plan with its status counts and the targets behind or at risk (read from the
    indicator store; None when no plan is adopted in the user's scope)."""
    plan = dashboard.plans_for(user).filter(status="adopted").first()
    if plan is None:
        return None
    unit = dashboard.subject_unit(user, plan)
    rows = dashboard.target_rows(user, plan, unit)
    watch = [r for r in rows if r["status"] in WATCH]
    watch.sort(key=lambda r: WATCH.index(r["status"]))
    return {
        "plan": plan,
        "unit": unit,
        "counts": [c for c in dashboard.status_counts(rows) if c["count"]],
        "watch": watch,
        "total": len(rows),
    }


@login_required
def home(request: HttpRequest) -> HttpResponse:
    school_years = list(SchoolYear.objects.order_by("start_year"))
    year = selected_year(request, [y.start_year for y in school_years])
    yearly = yearly_students(request.user) if school_years else []
    figures = next((row for row in yearly if row["year"] == year), None) or summary(request.user, year)
    context = {
        "title": "首页",
        "figures": figures,
        "school_years": list(reversed(school_years)),
        "year": year,
        "year_name": next((y.name for y in school_years if y.start_year == year), ""),
        "chart": students_chart(yearly) if yearly else None,
        "progress": plan_progress(request.user),
        "work": work_callout(request.user),
    }
    return render(request, "home.html", context)
