"""Registry pages: the generic list/detail views bound to the declarations in ``registry.config``, and the
county figures page (经费与人口)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from edubrain.base.listing import Section, format_value
from edubrain.base.views import DetailPage, ListPage
from edubrain.registry import config
from edubrain.registry.models import Births, Finance, Population, SchoolingYears

school_list = ListPage.as_view(config=config.SCHOOL_LIST)
class_list = ListPage.as_view(config=config.CLASS_LIST)
student_list = ListPage.as_view(config=config.STUDENT_LIST)
staff_list = ListPage.as_view(config=config.STAFF_LIST)
facility_list = ListPage.as_view(config=config.FACILITY_LIST)

school_detail = DetailPage.as_view(config=config.SCHOOL_DETAIL)
student_detail = DetailPage.as_view(config=config.STUDENT_DETAIL)
staff_detail = DetailPage.as_view(config=config.STAFF_DETAIL)
class_detail = DetailPage.as_view(config=config.CLASS_DETAIL)

TEN_THOUSAND = Decimal(10000)
FINANCE_PARTS = [
    ("general_budget", "一般公共预算教育支出"),
    ("preschool", "学前教育"),
    ("primary", "小学"),
    ("junior", "初中"),
    ("senior", "普通高中"),
    ("vocational", "中等职业教育"),
    ("special", "特殊教育"),
]


def finance_section(user: Any) -> Section:
    rows = Finance.objects.visible_to(user).select_related("org_unit").order_by("org_unit__path", "year")
    return Section(
        "教育经费（万元）",
        ["行政区", "年份", *(label for _, label in FINANCE_PARTS)],
        [[f.org_unit.name, f"{f.year}年",
          *(format_value(getattr(f, name) / TEN_THOUSAND, "decimal") for name, _ in FINANCE_PARTS)]
         for f in rows],
        numeric=range(2, 2 + len(FINANCE_PARTS)),
        note="一般公共预算教育支出及其中各学段支出，按年份。",
    )


def pivot(
    rows: list[tuple[str, int, int]], row_label: str, total: bool = True
) -> tuple[list[str], list[list]]:
    """(row key, year, value) triples → headers and rows with one column per year (and a 合计 row)."""
    years = sorted({year for _, year, _ in rows})
    table: dict[str, dict[int, int]] = defaultdict(dict)
    for key, year, value in rows:
        table[key][year] = value
    body = [[key, *(format_value(table[key].get(y), "int") for y in years)] for key in table]
    if total and len(table) > 1:
        body.append(["合计", *(format_value(sum(table[k].get(y, 0) for k in table), "int") for y in years)])
    return [row_label, *(f"{y}年" for y in years)], body


def births_section(user: Any) -> Section:
    rows = (
        Births.objects.visible_to(user).order_by("org_unit__path", "year")
        .values_list("org_unit__name", "year", "births")
    )
    headers, body = pivot(list(rows), "镇/街道")
    return Section("出生人口（按镇/街道、年份）", headers, body, numeric=range(1, len(headers)))


def population_sections(user: Any) -> list[Section]:
    rows = (
        Population.objects.visible_to(user).order_by("org_unit__path", "age", "year")
        .values_list("org_unit__name", "age", "year", "population")
    )
    by_unit: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for unit, age, year, population in rows:
        by_unit[unit].append((f"{age}岁", year, population))
    sections = []
    for unit, triples in by_unit.items():
        headers, body = pivot(triples, "年龄", total=False)
        sections.append(Section(f"分年龄常住人口 · {unit}", headers, body, numeric=range(1, len(headers))))
    return sections or [Section("分年龄常住人口", ["年龄"], [])]


def schooling_section(user: Any) -> Section:
    rows = (
        SchoolingYears.objects.visible_to(user).order_by("org_unit__path", "year")
        .values_list("org_unit__name", "year", "years", "source")
    )
    return Section(
        "劳动年龄人口平均受教育年限",
        ["行政区", "年份", "平均受教育年限（年）", "数据来源"],
        [[unit, f"{year}年", format_value(years, "decimal"), source] for unit, year, years, source in rows],
        numeric=[2],
    )


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    user = request.user
    sections = [
        finance_section(user), births_section(user), *population_sections(user), schooling_section(user)
    ]
    return render(request, "registry/figures.html", {"title": "经费与人口", "sections": sections})
