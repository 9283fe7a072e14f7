"""工作推进 overview page (``work:index``): the bureau's cards, per-unit table and chart, overdue 整改 and
delayed projects (leaders read the same, without actions); a reporter's report slots; a school's open
findings. The numbers come from ``work.overview``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from edubrain.work import overview


@login_required
def index(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("cycle", "")
    cycle_id = int(raw) if raw.isdigit() else None
    on = overview.today()
    context = overview.page(request.user, on, cycle_id)
    subtitle = {
        "bureau": "填报、督导整改与重点项目推进情况",
        "reporter": "本单位的填报任务",
        "school": "本校的督导问题整改",
    }[context["view"]]
    links = {
        name: overview.link(f"work:{name}")
        for name in ("tasks", "cycles", "findings", "rounds", "projects", "notifications")
    }
    context |= {
        "title": "工作推进",
        "heading": "工作推进",
        "subtitle": f"{subtitle} · 截至 {on:%Y-%m-%d}",
        "links": links,
    }
    return render(request, "work/index.html", context)
