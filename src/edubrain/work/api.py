"""工作推进 API (mounted under /api, read-only, scoped like the pages):

- ``GET /work/summary``: the overview's card numbers (reports of the open cycles, 整改, key projects);
- ``GET /work/reports?cycle=&status=&unit=``: 进展报告, paginated;
- ``GET /work/findings?status=&overdue=&round=``: 督导问题整改, paginated;
- ``GET /work/projects``: 重点项目推进 with milestones.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from edubrain.base.api import ApiSchema, Choice, PagePagination, Ref, api_user, choices_help
from edubrain.core.work.rectify import finding_overdue_days
from edubrain.work import overview
from edubrain.work import supervision_queries as sq
from edubrain.work.models import (
    Finding,
    FindingStatus,
    Milestone,
    ProgressReport,
    ProjectTrack,
    ReportStatus,
)

TAG = "工作推进"
router = Router(tags=[TAG])


class ReportOut(ApiSchema):
    id: int
    cycle: Ref
    due_on: dt.date
    task_code: str
    task_title: str
    org_unit: Ref
    role: str
    status: Choice
    percent: int | None
    milestone: str
    narrative: str
    first_submitted_at: dt.datetime | None
    submitted_at: dt.datetime | None
    reviewed_at: dt.datetime | None
    times_returned: int
    overdue: bool

    @staticmethod
    def resolve_due_on(obj: ProgressReport) -> dt.date:
        return obj.cycle.due_on

    @staticmethod
    def resolve_task_code(obj: ProgressReport) -> str:
        return obj.task.code

    @staticmethod
    def resolve_task_title(obj: ProgressReport) -> str:
        return obj.task.title

    @staticmethod
    def resolve_overdue(obj: ProgressReport) -> bool:
        return obj.status in overview.UNREPORTED and obj.cycle.due_on < overview.today()


class FindingOut(ApiSchema):
    id: int
    inspection: Ref
    org_unit: Ref
    item: str | None
    description: str
    severity: Choice
    status: Choice
    found_on: dt.date
    deadline: dt.date
    responsible_person: str
    fixed_on: dt.date | None
    recheck_on: dt.date | None
    closed_on: dt.date | None
    reopen_count: int
    days_overdue: int

    @staticmethod
    def resolve_item(obj: Finding) -> str | None:
        return obj.item.text if obj.item else None

    @staticmethod
    def resolve_days_overdue(obj: Finding) -> int:
        if obj.status not in sq.OPEN_STATUSES:
            return 0
        return finding_overdue_days(obj.status, obj.deadline, obj.fixed_on, overview.today())


class MilestoneOut(Schema):
    name: str
    planned_on: dt.date
    done_on: dt.date | None


class ProjectOut(ApiSchema):
    id: int
    project_id: int
    number: int
    name: str
    status: Choice
    school: Ref | None
    location: str
    lead_unit: Ref | None
    budget: float | None
    spent: float | None
    start_on: dt.date | None
    end_on: dt.date | None
    finished_on: dt.date | None
    delayed: bool
    milestones: list[MilestoneOut]

    @staticmethod
    def resolve_number(obj: ProjectTrack) -> int:
        return obj.project.number

    @staticmethod
    def resolve_name(obj: ProjectTrack) -> str:
        return obj.project.name

    @staticmethod
    def resolve_milestones(obj: ProjectTrack) -> list[Milestone]:
        return list(obj.project.milestones.all())


@router.get("/work/summary", response=dict[str, Any], summary="工作推进概况", operation_id="work_summary")
def summary(request: Any) -> Any:
    """填报中周期的应报（due）、已报（reported，至少报送过一次）、逾期未报（overdue）、待审核（waiting）、退回待重报
    （returned）份数；整改未销号（open）、逾期（overdue）、已整改待复查（awaiting_recheck）项数；重点项目总数、在建和
    滞后个数。逾期：已过期限仍未报送或未整改（期限当天不算逾期）。仅统计当前用户数据权限范围内的数据。"""
    data = overview.summary(api_user(request))
    return {**data, "date": data["date"].isoformat()}


def _choice(value: str | None, choices: Any, label: str) -> str | None:
    if value and value not in choices.values:
        allowed = "、".join(f"{c} {t}" for c, t in choices.choices)
        raise HttpError(422, f"{label}“{value}”无效，应为：{allowed}")
    return value or None


@router.get(
    "/work/reports", response=list[ReportOut], summary="进展报告列表", operation_id="list_work_reports"
)
@paginate(PagePagination)
def reports(
    request: Any,
    cycle: int | None = Query(None, description="填报周期 id"),
    status: str | None = Query(None, description=choices_help("状态", ReportStatus)),
    unit: int | None = Query(None, description="责任单位（组织机构 id）"),
) -> Any:
    """当前用户数据权限范围内的进展报告（责任单位填报员只看到本单位的报告）；分页返回。"""
    rows = ProgressReport.objects.visible_to(api_user(request)).select_related("cycle", "task", "org_unit")
    if cycle is not None:
        rows = rows.filter(cycle_id=cycle)
    if (chosen := _choice(status, ReportStatus, "状态")) is not None:
        rows = rows.filter(status=chosen)
    if unit is not None:
        rows = rows.filter(org_unit_id=unit)
    return rows.order_by("-cycle__period_start", "task__order", "org_unit__sort_order", "id")


@router.get(
    "/work/findings", response=list[FindingOut], summary="督导问题整改列表", operation_id="list_work_findings"
)
@paginate(PagePagination)
def findings(
    request: Any,
    status: str | None = Query(None, description=choices_help("整改状态", FindingStatus)),
    overdue: bool | None = Query(
        None, description="true：只看逾期未整改的问题（待整改或复查未通过且已过期限）"
    ),
    round: int | None = Query(None, description="督导轮次 id"),  # noqa: A002
) -> Any:
    """当前用户数据权限范围内的督导问题及整改情况（学校只看到本校的问题）；分页返回。"""
    rows = Finding.objects.visible_to(api_user(request)).select_related("inspection", "org_unit", "item")
    if (chosen := _choice(status, FindingStatus, "整改状态")) is not None:
        rows = rows.filter(status=chosen)
    late = sq.overdue_q(overview.today())
    if overdue is True:
        rows = rows.filter(late)
    elif overdue is False:
        rows = rows.exclude(late)
    if round is not None:
        rows = rows.filter(inspection_id=round)
    return rows.order_by("deadline", "id")


@router.get(
    "/work/projects", response=list[ProjectOut], summary="重点项目推进", operation_id="list_work_projects"
)
def projects(request: Any) -> Any:
    """当前用户数据权限范围内的重点项目：状态、地点、责任单位、总投资和已完成投资（万元）、计划与实际日期、
    是否滞后（未完工且有里程碑已过计划日期仍未完成，或已过计划完工日期）和里程碑。"""
    user = api_user(request)
    on = overview.today()
    delayed = set(overview.delayed_projects(user, on).values_list("id", flat=True))
    steps = Prefetch("project__milestones", queryset=Milestone.objects.order_by("order", "planned_on", "id"))
    rows = (
        ProjectTrack.objects.visible_to(user)
        .select_related("project", "school", "lead_unit")
        .prefetch_related(steps)
        .order_by("project__plan", "project__number")
    )
    out = []
    for track in rows:
        track.delayed = track.pk in delayed
        out.append(track)
    return out
