"""重点项目推进 (key projects): the read side (a plan's projects with their track, milestones and schedule)
and the bureau's services (项目信息、里程碑、现场照片和项目文件).

Reading: ``projects_for(user)`` — the projects of the plans in the user's scope (``visible_to``), plus, for
a 责任单位 or a school, the projects it leads or that are built at it (read-only). Writing is for the bureau
whose scope holds the project (``may_edit``); every service runs in one transaction and raises
``ValidationError`` (a dict by form field) with a Chinese message, changing nothing. A project without a
``ProjectTrack`` gets one on its first edit. A change of status notifies the lead unit's users.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import polars as pl
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from edubrain.base.frames import queryset_frame
from edubrain.base.orgtree import OrgKind, OrgUnit
from edubrain.base.scoping import may_access, user_scope_path
from edubrain.core.work import schedule as sc
from edubrain.plans.models import KeyProject, Plan
from edubrain.registry.models import School
from edubrain.work.access import is_bureau
from edubrain.work.models import Attachment, Milestone, Notification, ProjectTrack
from edubrain.work.notify import notify, users_of

MAX_AMOUNT = Decimal("9999999999.99")  # 12 digits, 2 decimals (万元)
PURPOSES = (Attachment.Purpose.PHOTO, Attachment.Purpose.DOCUMENT)
TRACK_FIELDS = (
    "status",
    "school",
    "location",
    "lead_unit",
    "budget",
    "spent",
    "start_on",
    "end_on",
    "finished_on",
    "note",
)


# ---------------------------------------------------------------- read side


def projects_for(user: Any) -> QuerySet[KeyProject]:
    """The key projects the user may read: those of the plans in scope, and the ones the user's unit
    leads or hosts (a 责任单位 or a school sees its own projects)."""
    scope = user_scope_path(user)
    if scope is None:
        return KeyProject.objects.none()
    visible = KeyProject.objects.visible_to(user)
    if scope == "":
        return visible
    own = Q(track__lead_unit__path__startswith=scope) | Q(track__school__org_unit__path__startswith=scope)
    return KeyProject.objects.filter(Q(pk__in=visible.values("pk")) | own)


def project_or_404(user: Any, pk: int) -> KeyProject:
    project = projects_for(user).select_related("plan", "plan__org_unit").filter(pk=pk).first()
    if project is None:
        raise Http404("没有该重点项目，或您无权查看")
    return project


def may_edit(user: Any, project: KeyProject) -> bool:
    """The bureau whose scope holds the project's plan."""
    return is_bureau(user) and may_access(user, project)


def plans_with_projects(user: Any) -> list[Plan]:
    """The plans that have key projects the user may read, the adopted ones first."""
    ids = set(projects_for(user).values_list("plan_id", flat=True))
    plans = Plan.objects.filter(pk__in=ids).order_by("status", "-start_year", "title", "pk")
    return sorted(plans, key=lambda p: p.status != Plan.Status.ADOPTED)


def _schedule(ids: Sequence[int], today: dt.date) -> pl.DataFrame:
    """The schedule (``core.work.schedule``) of these projects: three queries, set-based."""
    tracks = queryset_frame(
        ProjectTrack.objects.filter(project_id__in=ids),
        ["project_id", "status", "start_on", "end_on", "finished_on", "budget", "spent"],
    ).rename({"project_id": "project"})
    everyone = pl.DataFrame({"project": list(ids)}, schema={"project": pl.Int64})
    tracks = everyone.join(tracks, on="project", how="left").with_columns(
        pl.col("status").fill_null(ProjectTrack.Status.PLANNED)
    )
    milestones = queryset_frame(
        Milestone.objects.filter(project_id__in=ids), ["project_id", "name", "planned_on", "done_on"]
    ).rename({"project_id": "project"})
    return sc.project_schedule(tracks, milestones, today)


def late_project_ids(ids: Sequence[int], today: dt.date) -> set[int]:
    """Of these key projects, the ones 滞后 on ``today`` by ``core.work.schedule``'s rule (the projects page,
    the overview's card and list and the API count the same ones)."""
    if not ids:
        return set()
    late = _schedule(ids, today).filter(pl.col("state") == sc.LATE)
    return set(late["project"].to_list())


def project_rows(user: Any, plan: Plan, today: dt.date) -> list[dict[str, Any]]:
    """One row per key project of ``plan`` the user may read, in the plan's order: number, name, where,
    lead unit, status, money, schedule (state, delay days, next milestone, progress, timeline dates)."""
    projects = list(
        projects_for(user)
        .filter(plan=plan)
        .select_related("track", "track__school", "track__lead_unit")
        .order_by("number")
    )
    if not projects:
        return []
    by_id = {r["project"]: r for r in _schedule([p.pk for p in projects], today).to_dicts()}
    return [_row(p, by_id[p.pk]) for p in projects]


def _track(project: KeyProject) -> ProjectTrack | None:
    try:
        return project.track
    except ProjectTrack.DoesNotExist:
        return None


def _place(track: ProjectTrack | None) -> str:
    """学校/地点: the school, and the location when it says more than the school's name."""
    if track is None:
        return ""
    school = track.school.name if track.school else ""
    location = track.location.strip()
    if not location or location in school:
        return school
    return f"{school}（{location}）" if school and school not in location else location


def _row(project: KeyProject, sched: Mapping[str, Any]) -> dict[str, Any]:
    track = _track(project)
    status = track.status if track else ProjectTrack.Status.PLANNED
    place = _place(track)
    return {
        "id": project.pk,
        "number": project.number,
        "name": project.name,
        "url": reverse("work:project", args=[project.pk]),
        "place": place,
        "lead_unit": track.lead_unit.name if track and track.lead_unit else "",
        "status": status,
        "status_label": ProjectTrack.Status(status).label,
        "budget": track.budget if track else None,
        "spent": track.spent if track else None,
        "tracked": track is not None,
        **{
            k: sched[k]
            for k in (
                "spend_rate",
                "over_budget",
                "state",
                "state_label",
                "delay_days",
                "next_milestone",
                "next_on",
                "milestones",
                "milestones_done",
                "late_milestones",
                "progress",
                "start",
                "end",
                "actual_end",
                "start_on",
                "end_on",
                "finished_on",
            )
        },
    }


def milestone_rows(project: KeyProject, today: dt.date) -> list[dict[str, Any]]:
    items = list(Milestone.objects.filter(project=project).order_by("order", "planned_on", "id"))
    return [
        {"m": m, "delay_days": sc.delay_days(m.planned_on, m.done_on, today), "done": m.done_on is not None}
        for m in items
    ]


def project_schedule(project: KeyProject, today: dt.date) -> dict[str, Any]:
    result: dict[str, Any] = _schedule([project.pk], today).row(0, named=True)
    return result


EXPORT_COLUMNS: dict[str, tuple[str, Any]] = {
    "序号": ("number", pl.Int64),
    "项目名称": ("name", pl.String),
    "学校/地点": ("place", pl.String),
    "责任单位": ("lead_unit", pl.String),
    "状态": ("status_label", pl.String),
    "总投资（万元）": ("budget", pl.Float64),
    "已完成投资（万元）": ("spent", pl.Float64),
    "投资完成率（%）": ("rate_pct", pl.Float64),
    "超概算": ("over_label", pl.String),
    "计划开工": ("start_on", pl.Date),
    "计划完工": ("end_on", pl.Date),
    "实际完工": ("finished_on", pl.Date),
    "里程碑（已完成/总数）": ("milestone_text", pl.String),
    "下一节点": ("next_milestone", pl.String),
    "下一节点日期": ("next_on", pl.Date),
    "进度状态": ("state_label", pl.String),
    "延误天数": ("delay_days", pl.Int64),
}


def export_frame(rows: Sequence[Mapping[str, Any]]) -> pl.DataFrame:
    """The project list as the xlsx sheet (Chinese headers)."""
    schema = {label: dtype for label, (_key, dtype) in EXPORT_COLUMNS.items()}
    records = []
    for r in rows:
        extra = {
            "rate_pct": None if r["spend_rate"] is None else round(r["spend_rate"] * 100, 1),
            "over_label": "是" if r["over_budget"] else "",
            "milestone_text": f"{r['milestones_done']}/{r['milestones']}",
        }
        full = {**r, **extra}
        records.append(
            {
                label: (float(full[k]) if dtype == pl.Float64 and full[k] is not None else full[k])
                for label, (k, dtype) in EXPORT_COLUMNS.items()
            }
        )
    return pl.DataFrame(records, schema=schema, orient="row") if records else pl.DataFrame(schema=schema)


# ---------------------------------------------------------------- services


def require_editor(user: Any, project: KeyProject) -> None:
    if not may_edit(user, project):
        raise PermissionDenied("只有教育局工作人员可以修改重点项目")


def _date(raw: Any, label: str, field: str, errors: dict[str, list[str]]) -> dt.date | None:
    if raw in (None, ""):
        return None
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw).strip())
    except ValueError:
        errors.setdefault(field, []).append(f"{label}“{raw}”不是有效日期，应为 年-月-日，如 2025-09-01")
        return None


def _money(raw: Any, label: str, field: str, errors: dict[str, list[str]]) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw).strip().replace(",", ""))
    except InvalidOperation:
        errors.setdefault(field, []).append(f"{label}“{raw}”不是数字，应填写万元数，如 1200.5")
        return None
    if not value.is_finite():
        errors.setdefault(field, []).append(f"{label}“{raw}”不是数字，应填写万元数，如 1200.5")
    elif value < 0:
        errors.setdefault(field, []).append(f"{label}不能为负数（填写的是 {raw}）")
    elif value > MAX_AMOUNT or value != value.quantize(Decimal("0.01")):
        errors.setdefault(field, []).append(f"{label}“{raw}”超出范围，应为不超过两位小数的万元数")
    else:
        return value
    return None


def _pk(raw: Any) -> int | None:
    text = str(raw or "").strip()
    return int(text) if text.isdigit() else None


def _school(raw: Any, area: OrgUnit, errors: dict[str, list[str]]) -> School | None:
    if raw in (None, ""):
        return None
    school = School.objects.filter(pk=_pk(raw), org_unit__path__startswith=area.path).first()
    if school is None:
        errors.setdefault("school", []).append(f"所选学校不在{area.name}范围内，请从列表中选择")
    return school


def _lead_unit(raw: Any, area: OrgUnit, errors: dict[str, list[str]]) -> OrgUnit | None:
    if raw in (None, ""):
        return None
    unit = OrgUnit.objects.filter(pk=_pk(raw), kind=OrgKind.UNIT, path__startswith=area.path).first()
    if unit is None:
        errors.setdefault("lead_unit", []).append(f"所选责任单位不是{area.name}的责任单位，请从列表中选择")
    return unit


def lead_unit_choices(project: KeyProject) -> QuerySet[OrgUnit]:
    area = project.plan.org_unit
    return OrgUnit.objects.filter(kind=OrgKind.UNIT, path__startswith=area.path).order_by(
        "sort_order", "name"
    )


def school_choices(project: KeyProject) -> QuerySet[School]:
    return School.objects.filter(org_unit__path__startswith=project.plan.org_unit.path).order_by("name")


def _text(fields: Mapping[str, Any], name: str, limit: int, label: str, errors: dict[str, list[str]]) -> str:
    value = str(fields.get(name) or "").strip()
    if len(value) > limit:
        errors.setdefault(name, []).append(f"{label}最多 {limit} 个字（现有 {len(value)} 个）")
    return value[:limit]


def _clean_track(project: KeyProject, fields: Mapping[str, Any], today: dt.date) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    area = project.plan.org_unit
    status = str(fields.get("status") or ProjectTrack.Status.PLANNED)
    if status not in ProjectTrack.Status.values:
        labels = "、".join(ProjectTrack.Status.labels)
        errors["status"] = [f"状态“{status}”无效，应为：{labels}"]
    values: dict[str, Any] = {
        "status": status,
        "school": _school(fields.get("school"), area, errors),
        "lead_unit": _lead_unit(fields.get("lead_unit"), area, errors),
        "location": _text(fields, "location", 120, "建设地点", errors),
        "note": _text(fields, "note", 5000, "进展说明", errors),
        "budget": _money(fields.get("budget"), "总投资", "budget", errors),
        "spent": _money(fields.get("spent"), "已完成投资", "spent", errors),
        "start_on": _date(fields.get("start_on"), "计划开工日期", "start_on", errors),
        "end_on": _date(fields.get("end_on"), "计划完工日期", "end_on", errors),
        "finished_on": _date(fields.get("finished_on"), "实际完工日期", "finished_on", errors),
    }
    start, end, finished = values["start_on"], values["end_on"], values["finished_on"]
    if start and end and end < start:
        errors.setdefault("end_on", []).append(f"计划完工日期（{end}）不能早于计划开工日期（{start}）")
    if finished and finished > today:
        errors.setdefault("finished_on", []).append(f"实际完工日期（{finished}）不能晚于今天（{today}）")
    if status == ProjectTrack.Status.DONE and not finished and "finished_on" not in errors:
        errors.setdefault("finished_on", []).append("状态为“已完工”时请填写实际完工日期")
    if errors:
        raise ValidationError(errors)
    return values


def update_track(
    project: KeyProject, user: Any, fields: Mapping[str, Any], *, today: dt.date | None = None
) -> ProjectTrack:
    """Save the project's information (``TRACK_FIELDS``, raw form values); notify the lead unit's users
    when the status changes. Spending more than the budget is allowed (the page flags it 超概算)."""
    require_editor(user, project)
    today = today or timezone.localdate()
    values = _clean_track(project, fields, today)
    with transaction.atomic():
        track, _created = ProjectTrack.objects.select_for_update().get_or_create(project=project)
        old_status = track.status  # a new track starts 未开工
        for name, value in values.items():
            setattr(track, name, value)
        track.updated_by = user if getattr(user, "pk", None) else None
        track.save()
        if track.status != old_status:
            _notify_status(project, track)
    return track


def _notify_status(project: KeyProject, track: ProjectTrack) -> int:
    if track.lead_unit is None:
        return 0
    label = track.get_status_display()
    return notify(
        users_of([track.lead_unit]),
        Notification.Kind.PROJECT,
        f"重点项目“{project.name}”状态变更为：{label}",
        body=track.note[:500],
        url=reverse("work:project", args=[project.pk]),
    )


def _clean_milestone(fields: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    name = _text(fields, "name", 100, "节点名称", errors)
    if not name:
        errors.setdefault("name", []).append("请填写节点名称，如 开工、主体完工、竣工验收")
    planned = _date(fields.get("planned_on"), "计划日期", "planned_on", errors)
    if planned is None and "planned_on" not in errors:
        errors["planned_on"] = ["请填写节点的计划日期"]
    note = _text(fields, "note", 300, "说明", errors)
    if errors:
        raise ValidationError(errors)
    return {"name": name, "planned_on": planned, "note": note}


def add_milestone(project: KeyProject, user: Any, fields: Mapping[str, Any]) -> Milestone:
    """A new milestone (节点名称、计划日期、说明) at the end of the project's list."""
    require_editor(user, project)
    values = _clean_milestone(fields)
    with transaction.atomic():
        ProjectTrack.objects.get_or_create(project=project)
        last = Milestone.objects.filter(project=project).order_by("-order").values_list("order", flat=True)
        order = (last.first() or 0) + 1
        return Milestone.objects.create(project=project, order=order, **values)


def edit_milestone(milestone: Milestone, user: Any, fields: Mapping[str, Any]) -> Milestone:
    require_editor(user, milestone.project)
    values = _clean_milestone(fields)
    with transaction.atomic():
        for name, value in values.items():
            setattr(milestone, name, value)
        milestone.save()
    return milestone


def mark_done(milestone: Milestone, user: Any, done_on: Any, *, today: dt.date | None = None) -> Milestone:
    """Record the milestone reached on ``done_on`` (not in the future; today when empty)."""
    require_editor(user, milestone.project)
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    day = _date(done_on, "完成日期", "done_on", errors) or (None if errors else today)
    if day is not None and day > today:
        errors["done_on"] = [f"完成日期（{day}）不能晚于今天（{today}）"]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        milestone.done_on = day
        milestone.save(update_fields=["done_on"])
    return milestone


def upload(project: KeyProject, user: Any, files: Sequence[Any], purpose: str) -> list[Attachment]:
    """现场照片 (photo) or 项目文件 (document) of the project; every file is checked, none kept if one is
    refused."""
    from edubrain.work import attachments

    require_editor(user, project)
    if purpose not in PURPOSES:
        raise ValidationError({"purpose": ["附件类别应为“现场照片”或“项目文件”"]})
    if not [f for f in files if f is not None and getattr(f, "name", "")]:
        raise ValidationError({"files": ["请选择要上传的文件"]})
    with transaction.atomic():
        return attachments.save_uploads(
            files, org_unit=project.plan.org_unit, user=user, purpose=purpose, project=project
        )
