"""填报 services (progress reporting): open and close a 填报周期, file a 进展报告 (draft, submit), review it
(退回 with a comment, 通过), and edit a task's 责任单位 (task assignment).

Every action is atomic, writes a ``ReportEvent`` for submit/return/accept and notifies the people concerned
(``work.notify``). Bad input raises ``ValidationError`` with a Chinese message and changes nothing; a wrong
role raises ``PermissionDenied`` (``work.access``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from edubrain.base.audit import audit_actor, record_bulk
from edubrain.base.scoping import may_access
from edubrain.core.work.periods import PeriodError, period
from edubrain.plans.models import Plan, PlanTask, TaskUnit
from edubrain.registry.models import ResponsibleUnit
from edubrain.work import attachments
from edubrain.work.access import require_bureau, require_reporter
from edubrain.work.models import (
    Notification,
    ProgressReport,
    ReportEvent,
    ReportingCycle,
    ReportStatus,
)
from edubrain.work.notify import bureau_users, notify, users_of

EDITABLE = (ReportStatus.PENDING, ReportStatus.DRAFT, ReportStatus.RETURNED)
TEXT_LIMITS = {"narrative": 5000, "milestone": 200, "figures": 3000, "problems": 3000, "contact": 60}
FIELD_LABELS = {
    "narrative": "工作进展",
    "percent": "完成进度（%）",
    "milestone": "已完成的节点",
    "figures": "主要数据",
    "problems": "存在问题及下步打算",
    "contact": "填报人及电话",
}


def due_days() -> int:
    return int(settings.EDUBRAIN.get("WORK_REPORT_DUE_DAYS", 10))


def _require_bureau_of(user: Any, plan: Plan) -> None:
    require_bureau(user)
    if not may_access(user, plan):
        raise PermissionDenied("该规划不在您的管理范围内")


def report_url(report: ProgressReport) -> str:
    return reverse("work:report", args=[report.pk])


# ---------------------------------------------------------------- cycles


def _slots(plan: Plan, tasks: Iterable[int] | None = None) -> dict[tuple[int, int], str]:
    """(task id, 责任单位 OrgUnit id) → role for every task unit linked to the registry; a unit named twice
    for one task keeps its lead role."""
    qs = TaskUnit.objects.filter(task__plan=plan, unit__isnull=False)
    if tasks is not None:
        qs = qs.filter(task_id__in=list(tasks))
    slots: dict[tuple[int, int], str] = {}
    for task_id, org_unit_id, role in qs.values_list("task_id", "unit__org_unit_id", "role"):
        key = (task_id, org_unit_id)
        if slots.get(key) != TaskUnit.Role.LEAD:
            slots[key] = role
    return slots


def open_cycle(
    plan: Plan,
    user: Any,
    frequency: str,
    year: int,
    index: int,
    note: str = "",
    due_on: dt.date | None = None,
) -> ReportingCycle:
    """发起填报: a cycle for the period and one pending slot per task and linked 责任单位."""
    _require_bureau_of(user, plan)
    try:
        p = period(frequency, year, index, due_days())
    except PeriodError as exc:
        raise ValidationError(exc.message) from exc
    if due_on is not None and due_on < p.start:
        raise ValidationError(f"报送期限 {due_on:%Y-%m-%d} 早于周期开始日期 {p.start:%Y-%m-%d}")
    if len(note) > 500:
        raise ValidationError(f"填报要求最多 500 字（现为 {len(note)} 字）")
    if ReportingCycle.objects.filter(plan=plan, period_start=p.start, period_end=p.end).exists():
        raise ValidationError(f"“{plan.title}”的“{p.name}”填报已经发起，不能重复发起")
    slots = _slots(plan)
    if not slots:
        raise ValidationError("该规划的任务还没有关联到责任单位，无法发起填报；请先在任务页设置责任单位")
    with transaction.atomic(), audit_actor(user):
        cycle = ReportingCycle.objects.create(
            plan=plan,
            name=p.name,
            frequency=frequency,
            period_start=p.start,
            period_end=p.end,
            due_on=due_on or p.due_on,
            note=note.strip(),
            opened_by=user if getattr(user, "pk", None) else None,
        )
        ProgressReport.objects.bulk_create(
            ProgressReport(cycle=cycle, task_id=t, org_unit_id=u, role=role) for (t, u), role in slots.items()
        )
        record_bulk(ProgressReport, len(slots), f"发起填报“{cycle.name}”：{len(slots)} 个报告")
        _notify_slots(cycle, {u for _t, u in slots})
    return cycle


def _notify_slots(cycle: ReportingCycle, org_units: set[int]) -> None:
    url = reverse("work:cycle", args=[cycle.pk])
    title = f"新填报任务：{cycle.name}（{cycle.plan.title}）"
    body = f"请于 {cycle.due_on:%Y-%m-%d} 前报送本单位承担任务的进展情况。{cycle.note}".strip()
    notify(
        users_of(sorted(org_units)),
        Notification.Kind.SLOT,
        title,
        body=body,
        url=url,
        key=f"cycle-{cycle.pk}-slot",
    )


def close_cycle(cycle: ReportingCycle, user: Any) -> ReportingCycle:
    """结束填报: the cycle stops taking reports (submitted ones may still be reviewed)."""
    _require_bureau_of(user, cycle.plan)
    if cycle.status == ReportingCycle.Status.CLOSED:
        raise ValidationError(f"“{cycle.name}”填报已经结束")
    cycle.status = ReportingCycle.Status.CLOSED
    cycle.save(update_fields=["status"])
    return cycle


# ---------------------------------------------------------------- reports


def _check_writable(report: ProgressReport, user: Any) -> None:
    require_reporter(user, report.org_unit)
    if report.cycle.status != ReportingCycle.Status.OPEN:
        raise ValidationError(f"“{report.cycle.name}”填报已经结束，不能再修改报告")
    if report.status not in EDITABLE:
        raise ValidationError(f"该报告{report.get_status_display()}，不能再修改")


def _lock(report: ProgressReport) -> None:
    """Inside the action's transaction: lock the row and refuse when someone changed the report since it was
    read (two reviewers at once, a submission while a review is open)."""
    current = ProgressReport.objects.select_for_update().filter(pk=report.pk).values_list("status", flat=True)
    status = current.first()
    if status != report.status:
        label = ReportStatus(status).label if status else "已删除"
        raise ValidationError(f"该报告刚刚已被他人处理（当前状态：{label}），请刷新页面后再操作")


def clean_data(data: Mapping[str, Any]) -> dict[str, Any]:
    """The report's fields from a form: texts trimmed within their limits, ``percent`` an integer 0–100
    (blank allowed); a ``ValidationError`` per bad field."""
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    for field, limit in TEXT_LIMITS.items():
        value = str(data.get(field) or "").strip()
        if len(value) > limit:
            errors[field] = f"{FIELD_LABELS[field]}最多 {limit} 字（现为 {len(value)} 字）"
        out[field] = value
    raw = str(data.get("percent") if data.get("percent") is not None else "").strip().rstrip("%")
    if raw == "":
        out["percent"] = None
    elif not raw.isdigit() or not 0 <= int(raw) <= 100:
        errors["percent"] = f"完成进度“{raw}”无效，应为 0–100 的整数"
    else:
        out["percent"] = int(raw)
    if errors:
        raise ValidationError(errors)
    return out


def save_report(
    report: ProgressReport, user: Any, data: Mapping[str, Any], files: Sequence[Any] = ()
) -> ProgressReport:
    """保存草稿: the unit's reporter stores the fields and evidence; a pending slot becomes a draft (a
    returned one stays 已退回 until resubmitted)."""
    _check_writable(report, user)
    fields = clean_data(data)
    with transaction.atomic(), audit_actor(user):
        _lock(report)
        for name, value in fields.items():
            setattr(report, name, value)
        if report.status == ReportStatus.PENDING:
            report.status = ReportStatus.DRAFT
        report.save()
        if files:
            attachments.save_uploads(
                list(files), org_unit=report.org_unit, user=user, purpose="evidence", report=report
            )
    return report


def submit(report: ProgressReport, user: Any) -> ProgressReport:
    """报送: the narrative and a percent or milestone are required; the bureau is notified."""
    _check_writable(report, user)
    errors: dict[str, str] = {}
    if not report.narrative.strip():
        errors["narrative"] = "请填写工作进展后再报送"
    if report.percent is None and not report.milestone.strip():
        errors["percent"] = "请填写完成进度（0–100 的整数）或已完成的节点后再报送"
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    with transaction.atomic(), audit_actor(user):
        _lock(report)
        report.status = ReportStatus.SUBMITTED
        report.submitted_at = now
        report.first_submitted_at = report.first_submitted_at or now
        report.submitted_by = user
        report.save()
        ReportEvent.objects.create(report=report, action=ReportEvent.Action.SUBMIT, by=user, at=now)
        again = "重新报送" if report.times_returned else "报送"
        notify(
            bureau_users(report.cycle.plan.org_unit),
            Notification.Kind.SUBMITTED,
            f"{report.org_unit.name}{again}了“{report.task.code} {report.task.title}”进展报告",
            body=f"{report.cycle.name}，请审核。",
            url=report_url(report),
            at=now,
        )
    return report


def _check_reviewable(report: ProgressReport, user: Any) -> None:
    _require_bureau_of(user, report.cycle.plan)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(f"该报告{report.get_status_display()}，只有已报送待审核的报告可以审核")


def _review(report: ProgressReport, user: Any, status: str, comment: str, action: str) -> None:
    now = timezone.now()
    report.status = status
    report.review_comment = comment
    report.reviewed_at = now
    report.reviewed_by = user
    report.save()
    ReportEvent.objects.create(report=report, action=action, comment=comment, by=user, at=now)


def return_report(report: ProgressReport, user: Any, comment: str) -> ProgressReport:
    """退回: with the reviewer's comment (required); the unit is notified."""
    _check_reviewable(report, user)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": "退回报告必须填写审核意见，说明需要补充或修改的内容"})
    with transaction.atomic(), audit_actor(user):
        _lock(report)
        report.times_returned += 1
        _review(report, user, ReportStatus.RETURNED, comment, ReportEvent.Action.RETURN)
        notify(
            users_of([report.org_unit_id]),
            Notification.Kind.RETURNED,
            f"“{report.task.code} {report.task.title}”进展报告被退回",
            body=f"审核意见：{comment}",
            url=report_url(report),
        )
    return report


def accept(report: ProgressReport, user: Any, comment: str = "") -> ProgressReport:
    """通过: the report is accepted (comment optional); the unit is notified."""
    _check_reviewable(report, user)
    comment = (comment or "").strip()
    with transaction.atomic(), audit_actor(user):
        _lock(report)
        _review(report, user, ReportStatus.ACCEPTED, comment, ReportEvent.Action.ACCEPT)
        notify(
            users_of([report.org_unit_id]),
            Notification.Kind.ACCEPTED,
            f"“{report.task.code} {report.task.title}”进展报告已通过审核",
            body=comment,
            url=report_url(report),
        )
    return report


# ---------------------------------------------------------------- task assignment


def unit_choices(plan: Plan) -> list[ResponsibleUnit]:
    """The 责任单位 of the plan's area (the registry list), in their order."""
    return list(
        ResponsibleUnit.objects.filter(org_unit__path__startswith=plan.org_unit.path).select_related(
            "org_unit"
        )
    )


def set_task_units(task: PlanTask, user: Any, lead: int | None, co: Sequence[int] = ()) -> list[TaskUnit]:
    """任务分工: the task's lead (牵头) and co-operating (配合) units, chosen from the registry's 责任单位
    (``ResponsibleUnit`` ids). Names the plan wrote without a registry match are kept as co-operating.
    Open cycles get slots for added units; untouched pending slots of removed units are dropped."""
    plan = task.plan
    _require_bureau_of(user, plan)
    if not lead:
        raise ValidationError({"lead": "请选择牵头单位（至少一个责任单位）"})
    chosen = [lead, *[c for c in dict.fromkeys(co) if c != lead]]
    known = {u.pk: u for u in unit_choices(plan) if u.pk in chosen}
    unknown = [str(c) for c in chosen if c not in known]
    if unknown:
        raise ValidationError(
            {"units": f"所选责任单位不在“{plan.org_unit.name}”的责任单位名单中：{', '.join(unknown)}"}
        )
    with transaction.atomic(), audit_actor(user):
        unlinked = list(
            TaskUnit.objects.filter(task=task, unit__isnull=True).exclude(
                name__in=[known[c].name for c in chosen]
            )
        )
        TaskUnit.objects.filter(task=task).delete()
        rows = [
            TaskUnit(
                task=task,
                name=known[c].name,
                unit=known[c],
                role=TaskUnit.Role.LEAD if i == 0 else TaskUnit.Role.CO,
                order=i,
            )
            for i, c in enumerate(chosen)
        ]
        rows += [
            TaskUnit(task=task, name=u.name, unit=None, role=TaskUnit.Role.CO, order=len(chosen) + i)
            for i, u in enumerate(unlinked)
        ]
        TaskUnit.objects.bulk_create(rows)
        _sync_open_slots(task)
    return rows


def _sync_open_slots(task: PlanTask) -> None:
    slots = {u: role for (_t, u), role in _slots(task.plan, [task.pk]).items()}
    for cycle in ReportingCycle.objects.filter(plan=task.plan, status=ReportingCycle.Status.OPEN):
        have = ProgressReport.objects.filter(cycle=cycle, task=task)
        present = set(have.values_list("org_unit_id", flat=True))
        have.filter(status=ReportStatus.PENDING).exclude(org_unit_id__in=list(slots)).filter(
            attachments__isnull=True
        ).delete()
        for role in (TaskUnit.Role.LEAD, TaskUnit.Role.CO):
            have.filter(org_unit_id__in=[u for u, r in slots.items() if r == role]).update(role=role)
        added = [u for u in slots if u not in present]
        ProgressReport.objects.bulk_create(
            ProgressReport(cycle=cycle, task=task, org_unit_id=u, role=slots[u]) for u in added
        )
        if added:
            _notify_slots(cycle, set(added))


__all__ = [
    "accept",
    "clean_data",
    "close_cycle",
    "open_cycle",
    "return_report",
    "save_report",
    "set_task_units",
    "submit",
    "unit_choices",
]
