"""Template context: the navigation, built from the modules the user may open."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

# (url name, label, url names that highlight this entry; "ns:" highlights every page of a namespace)
NAV = [
    ("home", "首页", ("home",)),
    ("plans:index", "规划监测", ("plans:", "plan_import:")),
    ("registry:school-list", "学校", ("registry:school-list", "registry:school-detail")),
    ("registry:class-list", "班级", ("registry:class-list", "registry:class-detail")),
    ("registry:student-list", "学生", ("registry:student-list", "registry:student-detail")),
    ("registry:staff-list", "教职工", ("registry:staff-list", "registry:staff-detail")),
    ("registry:facility-list", "办学条件", ("registry:facility-list",)),
    ("registry:figures", "经费与人口", ("registry:figures",)),
    (
        "fitness:overview",
        "体质健康",
        ("fitness:overview", "fitness:ranking", "fitness:students", "fitness:student"),
    ),
    ("vision:overview", "视力监测", ("vision:",)),
    ("balance:index", "均衡发展", ("balance:",)),
    ("places:index", "学位与班额", ("places:",)),
    ("work:index", "工作推进", ("work:",)),
    ("reports:index", "报告", ("reports:",)),
    ("admission:index", "网上招生", ("admission:",)),
    ("imports:index", "数据导入", ("imports:index", "imports:detail", "imports:history")),
]
# Modules still to come: greyed out.
NAV_SOON: list[str] = []


def is_active(current: str, names: tuple[str, ...]) -> bool:
    return any(current.startswith(n) if n.endswith(":") else current == n for n in names)


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_soon": []}
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match else ""
    items = [
        {"url": reverse(name), "label": label, "active": is_active(current, active)}
        for name, label, active in NAV
    ]
    return {"nav_items": items, "nav_soon": NAV_SOON}


def notifications(request: HttpRequest) -> dict[str, Any]:
    """The header's 通知 link: the user's unread count (one indexed count query, only when logged in)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from edubrain.work.notify import unread_count

    return {"unread_notifications": unread_count(user)}
