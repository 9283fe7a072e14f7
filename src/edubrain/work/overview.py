"""工作推进概览 (the overview's read side): the card numbers, the per-unit table of a cycle, the overdue
整改, the delayed projects, a reporter's slots and a school's open findings — every query scoped with
``visible_to(user)``, counted in the database.

Definitions (the page, the API and the home callout use the same ones):

- 应报: report slots of the open cycles; 已报: slots submitted at least once (待审核, 已退回 or 已通过;
  应报 = 已报 + 待填报/草稿); 逾期未报: slots still 待填报 or 草稿 after the cycle's 报送期限 (the due day
  itself is not late); 待审核 and 退回待重报 are counted apart as well;
- 按时率 of a cycle: slots first submitted by the end of the due day ÷ 应报;
- 整改 open: not 已销号; overdue: 待整改 or 复查未通过 after the deadline (the deadline day is not late);
- 滞后 project: not 已完工, and a milestone's planned date has passed without it being done, or the planned
  completion date has passed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from edubrain.base.charts import bar_chart
from edubrain.work import projects as pj
from edubrain.work import report_queries as rq
from edubrain.work import supervision_queries as sq
from edubrain.work.access import audience, is_bureau
from edubrain.work.models import (
    Finding,
    FindingStatus,
    Milestone,
    ProgressReport,
    ProjectTrack,
    ReportingCycle,
    ReportStatus,
)

UNREPORTED = (ReportStatus.PENDING, ReportStatus.DRAFT)
TOP = 10


def link(name: str, *args: Any) -> str:
    """The URL of a named page, or "" while that page is not registered."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def today() -> dt.date:
    return timezone.localdate()


def end_of(day: dt.date) -> dt.datetime:
    """The first instant after ``day`` in the local time zone (a submission before it is on time)."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))


# ---------------------------------------------------------------- the cards


def report_counts(user: Any, on: dt.date) -> dict[str, int]:
    """The report cards over the open cycles, from the slot states of ``core.work.progress``."""
    frame = rq.slot_frame(rq.reports_for(user).filter(cycle__status=ReportingCycle.Status.OPEN), on)
    t = rq.totals(frame)
    return {
        "due": t["expected"],
        "reported": t["filed"],
        "overdue": t["missing"],
        "waiting": t["submitted"],
        "returned": t["returned"],
    }


def delayed_projects(user: Any, on: dt.date) -> QuerySet[ProjectTrack]:
    """The tracked key projects in the user's scope that are 滞后 on ``on`` (``pj.late_project_ids``)."""
    tracks = ProjectTrack.objects.visible_to(user)
    late = pj.late_project_ids(list(tracks.values_list("project_id", flat=True)), on)
    return tracks.filter(project_id__in=late)


def project_counts(user: Any, on: dt.date) -> dict[str, int]:
    tracks = ProjectTrack.objects.visible_to(user)
    building = tracks.filter(status=ProjectTrack.Status.BUILDING).count()
    return {"all": tracks.count(), "building": building, "delayed": delayed_projects(user, on).count()}


def summary(user: Any, on: dt.date | None = None) -> dict[str, Any]:
    """The card numbers: reports of the open cycles, 整改, key projects."""
    on = on or today()
    return {
        "date": on,
        "reports": report_counts(user, on),
        "findings": sq.overdue_summary(user, on),
        "projects": project_counts(user, on),
    }


# ---------------------------------------------------------------- the bureau's tables


def default_cycle(cycles: list[ReportingCycle], on: dt.date) -> ReportingCycle | None:
    """The latest cycle whose 报送期限 has passed (its 按时率 is final), else the latest."""
    return next((c for c in cycles if c.due_on < on), cycles[0] if cycles else None)


def unit_rows(user: Any, cycle: ReportingCycle, on: dt.date) -> list[dict[str, Any]]:
    """Per 责任单位 of one cycle: 应报 (``due``), 已报, 按时报送, 按时率, 逾期未报 — worst 按时率 first."""
    frame = rq.slot_frame(rq.reports_for(user).filter(cycle=cycle), on)
    rows = [
        {
            "id": r["org_unit"],
            "name": r["name"],
            "due": r["expected"],
            "reported": r["filed"],
            "on_time": r["on_time"],
            "overdue": r["missing"],
            "rate": r["on_time_rate"],
        }
        for r in rq.unit_table(frame)
    ]
    rows.sort(key=lambda r: (r["rate"] if r["rate"] is not None else 101, -r["overdue"], r["name"]))
    return rows


def rate_chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Horizontal bars of 按时报送率 by unit (worst at the top, every unit labelled)."""
    ordered = list(reversed(rows))
    option = bar_chart(
        [r["name"] for r in ordered],
        {"按时报送率": [r["rate"] or 0 for r in ordered]},
        unit="%",
        horizontal=True,
    )
    option["xAxis"]["max"] = 100
    option["yAxis"]["axisLabel"] = {"interval": 0}
    option["legend"]["show"] = False
    option["grid"]["top"] = 16
    return option


def chart_height(rows: list[dict[str, Any]]) -> int:
    """Pixels for the bar chart: 22 per unit, at least 360."""
    return max(360, 22 * len(rows) + 60)


def project_rows(tracks: QuerySet[ProjectTrack], on: dt.date) -> list[dict[str, Any]]:
    late_steps = Milestone.objects.filter(planned_on__lt=on, done_on__isnull=True).order_by("planned_on")
    first_late: dict[int, Milestone] = {}
    for step in late_steps.filter(project_id__in=tracks.values("project_id")):
        first_late.setdefault(step.project_id, step)
    rows = []
    for track in tracks.select_related("project", "school", "lead_unit").order_by("project__number"):
        step = first_late.get(track.project_id)
        rows.append(
            {
                "id": track.pk,
                "project_id": track.project_id,
                "number": track.project.number,
                "name": track.project.name,
                "status": track.status,
                "status_label": track.get_status_display(),
                "place": track.school.name if track.school else track.location,
                "end_on": track.end_on,
                "late_step": step.name if step else "",
                "late_since": step.planned_on if step else track.end_on,
                "url": link("work:project", track.project_id),
            }
        )
    return rows


# ---------------------------------------------------------------- a reporter's slots, a school's findings

STATUS_ORDER = Case(
    When(status=ReportStatus.RETURNED, then=Value(0)),
    When(status=ReportStatus.PENDING, then=Value(1)),
    When(status=ReportStatus.DRAFT, then=Value(1)),
    When(status=ReportStatus.SUBMITTED, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


def reporter_slots(user: Any, on: dt.date) -> list[dict[str, Any]]:
    """The user's report slots of the open cycles: returned ones first, then unreported, by due date."""
    rows = (
        ProgressReport.objects.visible_to(user)
        .filter(cycle__status=ReportingCycle.Status.OPEN)
        .select_related("cycle", "task", "org_unit")
        .annotate(rank=STATUS_ORDER)
        .order_by("rank", "cycle__due_on", "task__order", "id")
    )
    return [
        {
            "id": r.pk,
            "cycle": r.cycle.name,
            "task": f"{r.task.code} {r.task.title}",
            "unit": r.org_unit.name,
            "role": "牵头" if r.role == "lead" else "配合",
            "status": r.status,
            "status_label": r.get_status_display(),
            "due_on": r.cycle.due_on,
            "overdue": r.status in UNREPORTED and r.cycle.due_on < on,
            "comment": r.review_comment if r.status == ReportStatus.RETURNED else "",
            "url": link("work:report", r.pk),
        }
        for r in rows
    ]


def school_findings(user: Any, on: dt.date) -> list[dict[str, Any]]:
    rows = (
        Finding.objects.visible_to(user)
        .exclude(status=FindingStatus.CLOSED)
        .select_related("org_unit", "inspection", "item")
        .order_by("deadline", "id")
    )
    return [sq.finding_row(f, on) for f in rows]


# ---------------------------------------------------------------- page and callout


def page(user: Any, on: dt.date, cycle_id: int | None = None) -> dict[str, Any]:
    """The context of the overview page for this user."""
    view = audience(user)
    context: dict[str, Any] = {"view": view, "today": on, "summary": summary(user, on)}
    if view == "reporter":
        context["slots"] = reporter_slots(user, on)
        return context
    if view == "school":
        context["findings"] = school_findings(user, on)
        return context
    cycles = list(rq.cycles_for(user))
    cycle = next((c for c in cycles if c.pk == cycle_id), None) or default_cycle(cycles, on)
    rows = unit_rows(user, cycle, on) if cycle else []
    context |= {
        "cycles": cycles,
        "cycle": cycle,
        "unit_rows": rows,
        "chart": rate_chart(rows) if rows else None,
        "chart_height": chart_height(rows),
        "overdue_findings": sq.overdue_findings(user, on, TOP),
        "delayed": project_rows(delayed_projects(user, on), on),
        "may_manage": is_bureau(user),
    }
    return context


def callout(user: Any, on: dt.date | None = None) -> dict[str, Any] | None:
    """The home page's 工作推进 card: what needs attention in the user's scope — for the bureau overdue
    reports, overdue 整改 and delayed projects; for a reporter overdue and returned reports; for a school
    overdue and open 整改. None when the user sees no work data at all."""
    on = on or today()
    data = summary(user, on)
    reports, findings, projects = data["reports"], data["findings"], data["projects"]
    if not (reports["due"] or projects["all"] or Finding.objects.visible_to(user).exists()):
        return None
    view = audience(user)
    items = {
        "bureau": [
            ("overdue_reports", "逾期未报", reports["overdue"], "份报告", "unit-table"),
            ("overdue_findings", "整改逾期", findings["overdue"], "项", "overdue-findings"),
            ("delayed_projects", "滞后重点项目", projects["delayed"], "个", "delayed-projects"),
        ],
        "reporter": [
            ("overdue_reports", "逾期未报", reports["overdue"], "份报告", "my-slots"),
            ("returned_reports", "退回待重报", reports["returned"], "份", "my-slots"),
        ],
        "school": [
            ("overdue_findings", "整改逾期", findings["overdue"], "项", "my-findings"),
            ("open_findings", "整改未销号", findings["open"], "项", "my-findings"),
        ],
    }[view]
    url = link("work:index")
    return {
        "items": [
            {"key": key, "label": label, "value": value, "unit": unit, "url": f"{url}#{anchor}"}
            for key, label, value, unit, anchor in items
        ],
        "url": url,
    }
