"""Template context: the navigation, built from the modules the user may open."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

NAV = [
    ("home", "首页", None),
    ("registry:school-list", "学校", None),
    ("registry:class-list", "班级", None),
    ("registry:student-list", "学生", None),
    ("registry:staff-list", "教职工", None),
    ("registry:facility-list", "办学条件", None),
    ("registry:figures", "经费与人口", None),
]
# Modules still to come (plan monitoring, standards, work tracking, enrollment, reports) are listed greyed out.
NAV_SOON = ["规划监测", "体质健康", "视力监测", "均衡发展", "工作推进", "网上招生", "年度报告"]


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {"nav_items": NAV, "nav_soon": NAV_SOON}
