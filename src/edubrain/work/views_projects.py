"""重点项目 pages (namespace ``work``): the plan's key projects with money, schedule and a Gantt-style
timeline, their xlsx export, and one project with its edit form, milestones and photos/documents.

The bureau edits; leaders, 责任单位 and schools read (POST answers 403). Figures come from
``work.projects`` (scoped), the timeline from ``core.work.schedule``.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from edubrain.base.validation import error_messages
from edubrain.core.io.writers import table_bytes
from edubrain.core.work.schedule import decimal_year
from edubrain.plans.models import KeyProject, Plan
from edubrain.work import attachments
from edubrain.work import projects as pj
from edubrain.work.models import Attachment, Milestone, ProjectTrack

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PLANNED_COLOR, DONE_COLOR, LATE_COLOR, OK_COLOR = "#9ec5ea", "#3ba272", "#d5573b", "#2f6fb3"
STATE_BADGES = {"done": "ok", "late": "danger", "on_track": ""}


def _plan(request: HttpRequest) -> tuple[Plan | None, list[Plan]]:
    plans = pj.plans_with_projects(request.user)
    raw = request.GET.get("plan", "")
    if raw:
        chosen = next((p for p in plans if str(p.pk) == raw), None)
        if chosen is None:
            raise Http404("没有该规划的重点项目，或您无权查看")
        return chosen, plans
    return (plans[0] if plans else None), plans


def _label(row: dict[str, Any]) -> str:
    name = row["name"] if len(row["name"]) <= 16 else row["name"][:15] + "…"
    return f"{row['number']}. {name}"


def _tip(row: dict[str, Any]) -> str:
    pct = round(row["progress"] * 100)
    return (
        f"{row['number']}. {row['name']}<br/>计划：{row['start']:%Y-%m-%d} 至 {row['end']:%Y-%m-%d}<br/>"
        f"实际进度：{pct}%（{row['state_label']}"
        + (f"，延误 {row['delay_days']} 天" if row["delay_days"] else "")
        + "）"
    )


def gantt_option(rows: list[dict[str, Any]], today: dt.date) -> dict[str, Any] | None:
    """ECharts option of the timeline: per project a planned bar (start → end) and an actual-progress bar
    (start → start + progress), stacked on transparent offsets over a year axis, with a 今天 line."""
    items = [r for r in rows if r["start"] and r["end"]]
    if not items:
        return None
    start = [decimal_year(r["start"]) for r in items]
    end = [decimal_year(r["end"]) for r in items]
    actual = [decimal_year(r["actual_end"] or r["start"]) for r in items]
    now = decimal_year(today)
    low, high = math.floor(min(*start, now)), math.ceil(max(*end, now) + 1e-9)
    hidden = {
        "itemStyle": {"color": "transparent"},
        "tooltip": {"show": False},
        "emphasis": {"disabled": True},
    }

    def bar(name: str, stack: str, data: list[Any], **extra: Any) -> dict[str, Any]:
        return {"name": name, "type": "bar", "stack": stack, "barWidth": 8, "data": data, **extra}

    def colour(r: dict[str, Any]) -> str:
        return {"done": DONE_COLOR, "late": LATE_COLOR}.get(r["state"], OK_COLOR)

    planned = [
        {"value": round(e - s, 4), "tooltip": {"formatter": _tip(r)}}
        for r, s, e in zip(items, start, end, strict=True)
    ]
    progress = [
        {"value": round(a - s, 4), "itemStyle": {"color": colour(r)}, "tooltip": {"formatter": _tip(r)}}
        for r, s, a in zip(items, start, actual, strict=True)
    ]
    today_line = {
        "symbol": "none",
        "silent": True,
        "label": {"formatter": "今天", "position": "start"},
        "lineStyle": {"color": LATE_COLOR, "type": "dashed"},
        "data": [{"xAxis": now}],
    }
    return {
        "tooltip": {"trigger": "item"},
        "legend": {"top": 0, "data": ["计划工期", "实际进度"]},
        "grid": {"left": 8, "right": 24, "bottom": 8, "top": 36, "containLabel": True},
        # the value axis places the bars; a category axis over the same span prints the years (a value
        # axis would print 2,021)
        "xAxis": [
            {
                "type": "value",
                "min": low,
                "max": high,
                "interval": 1,
                "axisLabel": {"show": False},
                "splitLine": {"lineStyle": {"type": "dashed"}},
            },
            {
                "type": "category",
                "position": "bottom",
                "boundaryGap": False,
                "data": [f"{y}年" for y in range(low, high + 1)],
                "axisTick": {"show": False},
                "axisLine": {"show": False},
            },
        ],
        "yAxis": {"type": "category", "inverse": True, "data": [_label(r) for r in items]},
        "series": [
            bar("planned-offset", "planned", start, **hidden),
            bar("计划工期", "planned", planned, itemStyle={"color": PLANNED_COLOR}, markLine=today_line),
            bar("actual-offset", "actual", start, **hidden),
            bar("实际进度", "actual", progress, itemStyle={"color": OK_COLOR}),
        ],
    }


def chart_height(rows: int) -> int:
    return max(200, 30 * rows + 70)


@login_required
def projects(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    plan, plans = _plan(request)
    rows = pj.project_rows(request.user, plan, today) if plan else []
    for r in rows:
        r["state_cls"] = STATE_BADGES.get(r["state"], "")
    option = gantt_option(rows, today)
    context = {
        "title": "重点项目",
        "heading": "重点项目推进",
        "subtitle": plan.title if plan else "",
        "crumbs": [("工作推进", reverse("work:index")), ("重点项目", "")],
        "actions": (
            [("导出 Excel", reverse("work:projects-export") + f"?plan={plan.pk}", "")]
            if plan and rows
            else []
        ),
        "plan": plan,
        "plans": plans,
        "rows": rows,
        "counts": {
            "all": len(rows),
            "late": sum(r["state"] == "late" for r in rows),
            "done": sum(r["state"] == "done" for r in rows),
            "over": sum(bool(r["over_budget"]) for r in rows),
        },
        "gantt": option,
        "gantt_height": chart_height(len(option["yAxis"]["data"])) if option else 0,
        "today": today,
    }
    return render(request, "work/projects.html", context)


@login_required
def projects_export(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    plan, _plans = _plan(request)
    if plan is None:
        raise Http404("没有可导出的重点项目")
    frame = pj.export_frame(pj.project_rows(request.user, plan, today))
    response = HttpResponse(table_bytes(frame, sheet="重点项目"), content_type=XLSX)
    name = f"{plan.title}_重点项目_{today:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def _act(request: HttpRequest, project: KeyProject, today: dt.date) -> str:
    """Run the posted action; returns the success message."""
    post, user = request.POST, request.user
    action = post.get("action", "")
    if action == "track":
        track = pj.update_track(project, user, post, today=today)
        over = track.budget is not None and track.spent is not None and track.spent > track.budget
        return "已保存项目信息" + ("（注意：已完成投资超过总投资，超概算）" if over else "")
    if action == "milestone_add":
        pj.add_milestone(project, user, post)
        return "已添加里程碑"
    if action in ("milestone_edit", "milestone_done"):
        raw = post.get("milestone", "")
        milestone = get_object_or_404(Milestone, project=project, pk=int(raw) if raw.isdigit() else 0)
        if action == "milestone_edit":
            pj.edit_milestone(milestone, user, post)
            return "已修改里程碑"
        pj.mark_done(milestone, user, post.get("done_on"), today=today)
        return f"已记录“{milestone.name}”完成"
    if action == "upload":
        saved = pj.upload(project, user, request.FILES.getlist("files"), post.get("purpose", ""))
        return f"已上传 {len(saved)} 个文件"
    raise ValidationError("未知的操作")


@login_required
def project(request: HttpRequest, pk: int) -> HttpResponse:
    today = timezone.localdate()
    item = pj.project_or_404(request.user, pk)
    if request.method == "POST":
        if not pj.may_edit(request.user, item):
            raise PermissionDenied("只有教育局工作人员可以修改重点项目，您的账号只能查看")
        try:
            messages.success(request, _act(request, item, today))
        except ValidationError as exc:
            errors = error_messages(exc)
            return _detail(request, item, today, errors=errors, posted=request.POST, status=400)
        return redirect("work:project", pk=item.pk)
    return _detail(request, item, today)


def _form(track: ProjectTrack | None, posted: Any) -> dict[str, str]:
    """The edit form's values: what was posted (after a refusal) or what is stored."""
    if posted is not None and posted.get("action") == "track":
        return {name: posted.get(name, "") for name in pj.TRACK_FIELDS}
    if track is None:
        return {"status": ProjectTrack.Status.PLANNED}
    out = {name: getattr(track, name) for name in pj.TRACK_FIELDS if name not in ("school", "lead_unit")}
    out = {
        k: ("" if v is None else v.isoformat() if isinstance(v, dt.date) else str(v)) for k, v in out.items()
    }
    return {**out, "school": str(track.school_id or ""), "lead_unit": str(track.lead_unit_id or "")}


def _detail(
    request: HttpRequest,
    item: KeyProject,
    today: dt.date,
    *,
    errors: dict[str, list[str]] | None = None,
    posted: Any = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    track = ProjectTrack.objects.filter(project=item).select_related("school", "lead_unit").first()
    files = Attachment.objects.visible_to(user).filter(project=item).order_by("uploaded_at", "id")
    editable = pj.may_edit(user, item)
    context = {
        "title": item.name,
        "heading": f"{item.number}. {item.name}",
        "subtitle": item.plan.title,
        "crumbs": [
            ("工作推进", reverse("work:index")),
            ("重点项目", reverse("work:projects") + f"?plan={item.plan_id}"),
            (item.name, ""),
        ],
        "project": item,
        "track": track,
        "sched": pj.project_schedule(item, today),
        "milestones": pj.milestone_rows(item, today),
        "photos": attachments.rows([a for a in files if a.purpose == Attachment.Purpose.PHOTO]),
        "documents": attachments.rows([a for a in files if a.purpose != Attachment.Purpose.PHOTO]),
        "may_edit": editable,
        "statuses": ProjectTrack.Status.choices,
        "schools": pj.school_choices(item) if editable else [],
        "units": pj.lead_unit_choices(item) if editable else [],
        "form": _form(track, posted),
        "errors": errors or {},
        "posted": posted if posted is not None else {},
        "today": today,
    }
    return render(request, "work/project.html", context, status=status)
