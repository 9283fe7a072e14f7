"""审核 (review) of applications by the school (or the bureau): 要求补充材料, 审核通过, 审核不通过.

Who reviews: the bureau's administrators and staff over the county, or the 学校管理员 of the application's
school (the chosen private school, else the zone school); leaders only read. Every decision is an
``ApplicationEvent`` with the reviewer, a text message to the parent, and an AuditLog row for the change.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from edubrain.accounts.models import Role, is_bureau
from edubrain.admission import events
from edubrain.admission.models import AdmissionRound, Application, ApplicationDocument, ApplicationEvent
from edubrain.admission.rounds import round_tiers
from edubrain.base.audit import audit_actor
from edubrain.base.scoping import may_access
from edubrain.core.enrollment.tiers import tier_label, tier_of

Status = Application.Status
MAX_REASON = 200
CLOSED_ROUND = (AdmissionRound.Status.PLACED, AdmissionRound.Status.PUBLISHED)


def may_review(user: Any, application: Application) -> bool:
    """Bureau administrator/staff whose county covers it, or the 学校管理员 of ``application.school``."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if is_bureau(user):
        return may_access(user, application)
    if getattr(user, "role", "") != Role.SCHOOL_ADMIN or not user.role_matches_unit():
        return False
    return bool(user.org_unit_id) and user.org_unit_id == application.school.org_unit_id


def computed_tier(application: Application) -> str:
    """The tier the parent's answers give under the round's tier list (the approve form's default)."""
    return tier_of(
        hukou_in_area=application.hukou_in_area,
        property_in_area=application.property_in_area,
        residence_permit=application.residence_permit,
        policy=bool(application.policy_category),
        tiers=round_tiers(application.round),
    )


def _reason(text: str, field: str, what: str) -> str:
    reason = (text or "").strip()
    if not reason:
        raise ValidationError({field: f"请填写{what}"})
    if len(reason) > MAX_REASON:
        raise ValidationError({field: f"{what}不能超过 {MAX_REASON} 个字（现为 {len(reason)} 个字）"})
    return reason


def _locked(application: Application, user: Any, allowed: tuple[str, ...], doing: str) -> Application:
    """The row locked for the decision, after the permission, round and state checks."""
    if not may_review(user, application):
        raise PermissionDenied("您没有审核这份申请的权限")
    app = (
        Application.objects.select_for_update(of=("self",))
        .select_related("round", "school")
        .get(pk=application.pk)
    )
    if app.round.status in CLOSED_ROUND:
        raise ValidationError(
            {"status": f"招生批次{AdmissionRound.Status(app.round.status).label}，不能再{doing}"}
        )
    if app.status not in allowed:
        labels = "、".join(str(Status(s).label) for s in allowed)
        raise ValidationError(
            {"status": f"申请当前为“{Status(app.status).label}”，只有“{labels}”的申请可以{doing}"}
        )
    return app


def _kinds(kinds: Iterable[str]) -> list[str]:
    chosen = [k for k in dict.fromkeys(str(k) for k in kinds) if k]
    unknown = [k for k in chosen if k not in ApplicationDocument.Kind.values]
    if unknown:
        raise ValidationError({"kinds": f"未知的材料类型：{'、'.join(unknown)}"})
    return chosen


def _kinds_text(kinds: list[str]) -> str:
    return "、".join(str(ApplicationDocument.Kind(k).label) for k in kinds)


def request_more(application: Application, user: Any, reason: str, kinds: Iterable[str] = ()) -> Application:
    """要求补充材料: 待审核 → 需补充材料, with the reason (and the documents wanted) shown to the parent."""
    reason = _reason(reason, "reason", "需要补充材料的原因")
    chosen = _kinds(kinds)
    with transaction.atomic(), audit_actor(user):
        app = _locked(application, user, (Status.SUBMITTED,), "要求补充材料")
        note = f"{reason}（请补充：{_kinds_text(chosen)}）" if chosen else reason
        app.status, app.status_note = Status.MORE, note[:300]
        app.save(update_fields=["status", "status_note", "updated_at"])
        events.record(
            app,
            ApplicationEvent.Action.REQUEST,
            actor=user,
            note=note,
            message=f"您为{app.child_name}提交的入学申请（报名号{app.receipt_no}）需要补充材料：{note}"
            "。请登录报名系统上传。",
        )
    return app


def approve(application: Application, user: Any, tier: str | None = None, note: str = "") -> Application:
    """审核通过: 待审核 → 审核通过; the reviewer may correct the 招生类别 (one of the round's tiers)."""
    note = (note or "").strip()
    if len(note) > MAX_REASON:
        raise ValidationError({"note": f"审核意见不能超过 {MAX_REASON} 个字（现为 {len(note)} 个字）"})
    with transaction.atomic(), audit_actor(user):
        app = _locked(application, user, (Status.SUBMITTED,), "审核通过")
        tiers = round_tiers(app.round)
        if tier:
            if tier not in {t.code for t in tiers}:
                raise ValidationError({"tier": f"招生类别“{tier}”不在本批次的类别中"})
            if tier != app.tier:
                was = tier_label(app.tier, tiers)
                note = "；".join(x for x in (f"招生类别由“{was}”改为“{tier_label(tier, tiers)}”", note) if x)
            app.tier = tier
        app.status, app.status_note, app.decided_at = Status.APPROVED, note[:300], timezone.now()
        app.save(update_fields=["status", "status_note", "tier", "decided_at", "updated_at"])
        events.record(
            app,
            ApplicationEvent.Action.APPROVE,
            actor=user,
            note=note,
            message=f"您为{app.child_name}提交的入学申请（报名号{app.receipt_no}）已审核通过，"
            "录取结果将在派位后公布。",
        )
    return app


def reject(application: Application, user: Any, reason: str) -> Application:
    """审核不通过: 待审核 or 需补充材料 → 审核未通过, with the reason."""
    reason = _reason(reason, "reason", "审核不通过的原因")
    with transaction.atomic(), audit_actor(user):
        app = _locked(application, user, (Status.SUBMITTED, Status.MORE), "审核不通过")
        app.status, app.status_note, app.decided_at = Status.REJECTED, reason, timezone.now()
        app.save(update_fields=["status", "status_note", "decided_at", "updated_at"])
        events.record(
            app,
            ApplicationEvent.Action.REJECT,
            actor=user,
            note=reason,
            message=f"您为{app.child_name}提交的入学申请（报名号{app.receipt_no}）审核未通过：{reason}",
        )
    return app
