"""督导 (supervision) services: inspection rounds (督导轮次) with their checklists, findings (督导发现问题)
issued as 整改 orders, the school's or unit's fix (整改), the 复查 (re-check) that closes (销号) or reopens
a finding, and escalations (约谈、通报、问责).

Every action runs in one transaction, writes a ``FindingEvent`` for the finding's history and notifies the
other side (``notify``). Bad input raises ``ValidationError`` with a Chinese message (a dict by form field
where there is one) and changes nothing; a user of the wrong role or unit gets ``PermissionDenied``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from edubrain.base.orgtree import OrgKind, OrgUnit
from edubrain.base.scoping import may_access
from edubrain.core.work.rectify import default_deadline
from edubrain.work import attachments
from edubrain.work.access import may_report_for, require_bureau
from edubrain.work.models import (
    Attachment,
    ChecklistItem,
    Escalation,
    Finding,
    FindingEvent,
    FindingStatus,
    InspectionKind,
    InspectionRound,
    Notification,
    Severity,
)
from edubrain.work.notify import bureau_users, notify, users_of

OPEN_STATUSES = (FindingStatus.OPEN, FindingStatus.REOPENED)
TARGET_KINDS = (OrgKind.SCHOOL, OrgKind.UNIT)

# 一月一排查: the standard school safety checklist (类别：检查内容)
SAFETY_CHECKLIST = (
    "消防安全：灭火器、消火栓配备齐全且在有效期内，消防设施定期检测，有检查记录",
    "疏散通道：楼梯、走廊、安全出口畅通无堵塞，应急照明和疏散指示标志完好",
    "校舍安全：教室、宿舍等校舍无裂缝、渗漏、墙皮脱落，围墙、护栏牢固",
    "食堂食品安全：从业人员持健康证上岗，食材索证索票、留样记录完整，操作间生熟分开",
    "校车安全：校车和驾驶人资质合规，随车照管人员在岗，车辆定期检修",
    "门卫与封闭管理：门卫值守到位，外来人员登记，上放学时段护学岗到位，防冲撞设施完好",
    "用电安全：电线无私拉乱接和老化破损，配电箱上锁，大功率电器规范使用",
    "实验室危化品：危险化学品双人双锁管理，领用登记台账完整，过期试剂及时处置",
    "心理健康排查：开展学生心理健康筛查，建立重点学生档案并落实一人一案",
    "防溺水教育：开展防溺水专题教育，致家长一封信回执齐全，周边危险水域有警示标志",
)


def rectify_days() -> dict[str, int]:
    """整改期限 by severity from ``EDUBRAIN["WORK_RECTIFY_DAYS"]``."""
    return dict(settings.EDUBRAIN.get("WORK_RECTIFY_DAYS", {}))


def finding_url(finding: Finding) -> str:
    return reverse("work:finding", args=[finding.pk])


def _event(finding: Finding, action: str, user: Any, note: str = "") -> FindingEvent:
    return FindingEvent.objects.create(
        finding=finding, action=action, note=note, by=_actor(user), at=timezone.now()
    )


def _actor(user: Any) -> Any:
    return user if getattr(user, "pk", None) else None


def _require_round_access(user: Any, inspection: InspectionRound) -> None:
    require_bureau(user)
    if not may_access(user, inspection):
        raise PermissionDenied("该督导不在您的管理范围内")


def _check_date(errors: dict[str, str], field: str, label: str, value: Any, today: dt.date) -> None:
    if not isinstance(value, dt.date):
        errors[field] = f"请填写{label}（格式：年-月-日）"
    elif value > today:
        errors[field] = f"{label} {value:%Y-%m-%d} 晚于今天"


# ---------------------------------------------------------------- rounds


def parse_checklist(lines: str | Iterable[str]) -> list[tuple[str, str]]:
    """Checklist lines → (类别, 内容); a line "类别：内容" (full- or half-width colon) names its category.
    Blank lines are skipped."""
    raw = lines.splitlines() if isinstance(lines, str) else list(lines)
    items = []
    for line in raw:
        text = line.strip()
        if not text:
            continue
        parts = re.split(r"[：:]", text, maxsplit=1)
        category, body = (parts[0].strip(), parts[1].strip()) if len(parts) == 2 else ("", text)
        if len(category) > 40 or not body:
            category, body = "", text
        items.append((category, body))
    return items


def _round_errors(
    county: OrgUnit, kind: str, name: str, start_on: Any, end_on: Any, targets: Sequence[OrgUnit]
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if kind not in InspectionKind.values:
        errors["kind"] = "请选择督导类型：经常性督导、安全隐患排查（一月一排查）或专项督导"
    if not name.strip():
        errors["name"] = "请填写督导名称"
    elif len(name.strip()) > 120:
        errors["name"] = f"督导名称最多 120 个字（现有 {len(name.strip())} 个）"
    if not isinstance(start_on, dt.date):
        errors["start_on"] = "请填写开始日期（格式：年-月-日）"
    if not isinstance(end_on, dt.date):
        errors["end_on"] = "请填写结束日期（格式：年-月-日）"
    elif isinstance(start_on, dt.date) and end_on < start_on:
        errors["end_on"] = f"结束日期 {end_on:%Y-%m-%d} 早于开始日期 {start_on:%Y-%m-%d}"
    if not targets:
        errors["targets"] = "请至少选择一个督导对象（学校或责任单位）"
    else:
        wrong = [t.name for t in targets if t.kind not in TARGET_KINDS or not t.path.startswith(county.path)]
        if wrong:
            errors["targets"] = f"督导对象应为{county.name}的学校或责任单位：{'、'.join(wrong)} 不符合"
    return errors


def create_round(
    county: OrgUnit,
    user: Any,
    *,
    kind: str,
    name: str,
    start_on: dt.date | None,
    end_on: dt.date | None,
    targets: Sequence[OrgUnit],
    checklist: str | Iterable[str] | None = None,
    note: str = "",
    today: dt.date | None = None,
) -> InspectionRound:
    """新建督导: a round over ``targets`` (schools or 责任单位 of ``county``) with its checklist; a 一月一排查
    without a checklist gets the standard school safety checklist."""
    require_bureau(user)
    if county.kind != OrgKind.COUNTY or not may_access(user, county):
        raise PermissionDenied("只能在本县（区）范围内组织督导")
    today = today or timezone.localdate()
    targets = list(targets)
    errors = _round_errors(county, kind, name, start_on, end_on, targets)
    items = parse_checklist(checklist or "")
    if not items and kind == InspectionKind.SAFETY:
        items = parse_checklist(SAFETY_CHECKLIST)
    too_long = [i + 1 for i, (_c, text) in enumerate(items) if len(text) > 300]
    if too_long:
        errors["checklist"] = f"检查项第 {'、'.join(map(str, too_long))} 行超过 300 个字"
    if errors:
        raise ValidationError(errors)
    assert start_on is not None
    status = InspectionRound.Status.PLANNED if start_on > today else InspectionRound.Status.ONGOING
    with transaction.atomic():
        inspection = InspectionRound.objects.create(
            county=county,
            kind=kind,
            name=name.strip(),
            start_on=start_on,
            end_on=end_on,
            status=status,
            lead_inspector=_actor(user),
            note=note.strip(),
            created_by=_actor(user),
        )
        inspection.targets.set(targets)
        ChecklistItem.objects.bulk_create(
            ChecklistItem(inspection=inspection, code=f"{i:02d}", category=c[:40], text=t, order=i)
            for i, (c, t) in enumerate(items, start=1)
        )
    return inspection


# ---------------------------------------------------------------- findings


def record_finding(
    inspection: InspectionRound,
    user: Any,
    *,
    org_unit: OrgUnit | None,
    description: str,
    severity: str,
    found_on: dt.date | None,
    responsible_person: str,
    requirement: str = "",
    deadline: dt.date | None = None,
    item: ChecklistItem | None = None,
    files: Sequence[Any] = (),
    today: dt.date | None = None,
) -> Finding:
    """登记问题: a finding at one of the round's targets, issued as a 整改 order (deadline by severity
    unless given); the school's or unit's users are notified."""
    _require_round_access(user, inspection)
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if org_unit is None or not inspection.targets.filter(pk=org_unit.pk).exists():
        errors["org_unit"] = "请选择本轮督导的督导对象"
    if item is not None and item.inspection_id != inspection.pk:
        errors["item"] = "检查项不属于本轮督导"
    if not description.strip():
        errors["description"] = "请填写问题描述"
    if severity not in Severity.values:
        errors["severity"] = "请选择严重程度：一般、较重或严重"
    _check_date(errors, "found_on", "发现日期", found_on, today)
    if "found_on" not in errors and found_on is not None and found_on < inspection.start_on:
        errors["found_on"] = f"发现日期 {found_on:%Y-%m-%d} 早于督导开始日期 {inspection.start_on:%Y-%m-%d}"
    if not responsible_person.strip():
        errors["responsible_person"] = "请填写整改责任人"
    elif len(responsible_person.strip()) > 40:
        errors["responsible_person"] = "整改责任人最多 40 个字"
    if deadline is None and found_on is not None and "severity" not in errors:
        deadline = default_deadline(severity, found_on, rectify_days())
    if deadline is not None and found_on is not None and deadline < found_on:
        errors["deadline"] = f"整改期限 {deadline:%Y-%m-%d} 早于发现日期 {found_on:%Y-%m-%d}"
    if errors:
        raise ValidationError(errors)
    assert org_unit is not None and deadline is not None
    with transaction.atomic():
        finding = Finding.objects.create(
            inspection=inspection,
            org_unit=org_unit,
            item=item,
            description=description.strip(),
            severity=severity,
            found_on=found_on,
            inspector=_actor(user),
            requirement=requirement.strip(),
            deadline=deadline,
            responsible_person=responsible_person.strip(),
        )
        _event(finding, FindingEvent.Action.ORDER, user, f"整改期限 {deadline:%Y-%m-%d}")
        attachments.save_uploads(
            files, org_unit=org_unit, user=user, purpose=Attachment.Purpose.FINDING, finding=finding
        )
        notify(
            users_of([org_unit]),
            Notification.Kind.ORDER,
            f"整改通知：{inspection.name}",
            body=f"{finding.description[:100]}（整改期限 {deadline:%Y-%m-%d}）",
            url=finding_url(finding),
            key=f"finding-{finding.pk}-order",
        )
    return finding


def report_fix(
    finding: Finding,
    user: Any,
    *,
    fix_report: str,
    fixed_on: dt.date | None,
    files: Sequence[Any] = (),
    today: dt.date | None = None,
) -> Finding:
    """报送整改: the school or unit of the finding reports what it fixed, when, with optional evidence;
    the bureau is notified to re-check."""
    if not may_report_for(user, finding.org_unit):
        raise PermissionDenied(f"只有“{finding.org_unit.name}”可以报送该问题的整改情况")
    if finding.status not in OPEN_STATUSES:
        raise ValidationError(f"该问题{finding.get_status_display()}，不能再报送整改")
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if not fix_report.strip():
        errors["fix_report"] = "请填写整改情况（采取了哪些措施、整改结果）"
    _check_date(errors, "fixed_on", "整改完成日期", fixed_on, today)
    if "fixed_on" not in errors and fixed_on is not None and fixed_on < finding.found_on:
        errors["fixed_on"] = f"整改完成日期 {fixed_on:%Y-%m-%d} 早于发现日期 {finding.found_on:%Y-%m-%d}"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        finding.status = FindingStatus.FIXED
        finding.fix_report = fix_report.strip()
        finding.fixed_on = fixed_on
        finding.fixed_by = _actor(user)
        finding.save(update_fields=["status", "fix_report", "fixed_on", "fixed_by"])
        _event(finding, FindingEvent.Action.FIX, user, finding.fix_report)
        attachments.save_uploads(
            files, org_unit=finding.org_unit, user=user, purpose=Attachment.Purpose.FIX, finding=finding
        )
        notify(
            bureau_users(finding.inspection.county),
            Notification.Kind.FIXED,
            f"整改待复查：{finding.org_unit.name}",
            body=finding.description[:100],
            url=finding_url(finding),
            key=f"finding-{finding.pk}-fix-{finding.reopen_count}",
        )
    return finding


def recheck(
    finding: Finding,
    user: Any,
    *,
    passed: bool,
    note: str = "",
    on: dt.date | None = None,
    new_deadline: dt.date | None = None,
    today: dt.date | None = None,
) -> Finding:
    """复查: passed → 已销号 (closed on ``on``); failed → 复查未通过, back to the school with the note and
    optionally a new deadline. Refused until the fix has been reported."""
    _require_round_access(user, finding.inspection)
    if finding.status == FindingStatus.CLOSED:
        raise ValidationError("该问题已销号，不能再复查")
    if finding.status != FindingStatus.FIXED:
        raise ValidationError("尚未报送整改情况，不能复查")
    today = today or timezone.localdate()
    on = on or today
    errors: dict[str, str] = {}
    _check_date(errors, "recheck_on", "复查日期", on, today)
    if "recheck_on" not in errors and finding.fixed_on and on < finding.fixed_on:
        errors["recheck_on"] = f"复查日期 {on:%Y-%m-%d} 早于整改完成日期 {finding.fixed_on:%Y-%m-%d}"
    if not passed and not note.strip():
        errors["recheck_note"] = "复查未通过，请填写复查意见（存在的问题和进一步整改要求）"
    if not passed and new_deadline is not None and new_deadline < on:
        errors["new_deadline"] = f"新的整改期限 {new_deadline:%Y-%m-%d} 早于复查日期 {on:%Y-%m-%d}"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        finding.recheck_on, finding.recheck_note = on, note.strip()
        finding.rechecked_by = _actor(user)
        if passed:
            finding.status, finding.closed_on = FindingStatus.CLOSED, on
            action, title = FindingEvent.Action.PASS, "复查通过，已销号"
        else:
            finding.status = FindingStatus.REOPENED
            finding.reopen_count += 1
            finding.fixed_on, finding.fixed_by = None, None
            if new_deadline is not None:
                finding.deadline = new_deadline
            action, title = FindingEvent.Action.FAIL, "复查未通过，请继续整改"
        finding.save()
        extra = "" if passed else f"（整改期限 {finding.deadline:%Y-%m-%d}）"
        _event(finding, action, user, finding.recheck_note + extra)
        notify(
            users_of([finding.org_unit]),
            Notification.Kind.RECHECK,
            f"{title}：{finding.inspection.name}",
            body=f"{finding.description[:100]}{extra}",
            url=finding_url(finding),
            key=f"finding-{finding.pk}-recheck-{finding.reopen_count}-{int(passed)}",
        )
    return finding


def escalate(
    target: Finding | OrgUnit,
    user: Any,
    *,
    kind: str,
    on: dt.date | None,
    note: str,
    today: dt.date | None = None,
) -> Escalation:
    """约谈、通报、问责 of a school or unit, for one finding (``target`` a Finding) or in general."""
    require_bureau(user)
    finding = target if isinstance(target, Finding) else None
    org_unit = finding.org_unit if finding is not None else target
    assert isinstance(org_unit, OrgUnit)
    if not may_access(user, org_unit) or org_unit.kind not in TARGET_KINDS:
        raise PermissionDenied("只能对本县（区）的学校或责任单位约谈、通报或问责")
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if kind not in Escalation.Kind.values:
        errors["kind"] = "请选择方式：约谈、通报或问责"
    _check_date(errors, "on", "日期", on, today)
    if not note.strip():
        errors["note"] = "请填写事由"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        escalation = Escalation.objects.create(
            org_unit=org_unit, finding=finding, kind=kind, on=on, note=note.strip(), by=_actor(user)
        )
        label = escalation.get_kind_display()
        if finding is not None:
            _event(finding, FindingEvent.Action.ESCALATE, user, f"{label}：{escalation.note}")
        notify(
            users_of([org_unit]),
            Notification.Kind.ESCALATION,
            f"{label}：{org_unit.name}",
            body=escalation.note[:200],
            url=finding_url(finding) if finding is not None else "",
            key=f"escalation-{escalation.pk}",
        )
    return escalation


__all__ = [
    "SAFETY_CHECKLIST",
    "create_round",
    "escalate",
    "parse_checklist",
    "recheck",
    "record_finding",
    "report_fix",
]
