"""入学申请 (a parent's application): submit, add documents when asked (补充材料), withdraw, and the status a
parent is shown.

``submit`` validates everything first and collects every error by form field (Chinese sentences naming the
field and what is expected), then writes the application, its documents and its first event in one
transaction. One child has at most one live application per round (checked here and by the database
constraint ``admission_one_live_application``); one phone may create at most ``ADMISSION_SUBMITS_PER_WINDOW``
applications within ``ADMISSION_SUBMIT_WINDOW_MINUTES`` (``RateLimited``, shown as HTTP 429).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from edubrain.admission import documents, events
from edubrain.admission.models import (
    AdmissionRound,
    Application,
    ApplicationDocument,
    ApplicationEvent,
    CatchmentArea,
    Quota,
    Stage,
)
from edubrain.admission.receipts import mask_receipt, new_receipt
from edubrain.base.uploads import CheckedUpload, present
from edubrain.core.enrollment.eligibility import check_child, graduating_grade
from edubrain.core.enrollment.tiers import tier_of, tiers_from_json
from edubrain.core.errors import CoreError
from edubrain.core.ids import validate_id_number
from edubrain.registry.choices import EnrollmentStatus
from edubrain.registry.models import Enrollment, School

RELATIONS = ("父亲", "母亲", "祖父", "祖母", "外祖父", "外祖母", "其他监护人")
#: form file field → document kind
DOC_FIELDS = {
    "doc_hukou": ApplicationDocument.Kind.HUKOU,
    "doc_property": ApplicationDocument.Kind.PROPERTY,
    "doc_lease": ApplicationDocument.Kind.LEASE,
    "doc_permit": ApplicationDocument.Kind.PERMIT,
    "doc_policy": ApplicationDocument.Kind.POLICY,
}
#: kinds a parent may add when the school asks for more (补充材料)
SUPPLEMENT_KINDS = (*DOC_FIELDS.values(), ApplicationDocument.Kind.BIRTH, ApplicationDocument.Kind.OTHER)
WITHDRAWABLE = (Application.Status.SUBMITTED, Application.Status.MORE, Application.Status.APPROVED)
BEFORE_PLACEMENT = (AdmissionRound.Status.OPEN, AdmissionRound.Status.CLOSED)

Errors = dict[str, list[str]]


class RateLimited(ValidationError):
    """Too many applications from one phone in the window (HTTP 429)."""


def round_is_open(round: AdmissionRound, today: dt.date | None = None) -> bool:
    """报名中: status OPEN and today within opens_on … closes_on."""
    today = today or timezone.localdate()
    return round.status == AdmissionRound.Status.OPEN and round.opens_on <= today <= round.closes_on


def private_schools(round: AdmissionRound) -> list[School]:
    """The round's private schools (公民同招: a quota and ownership private), by code."""
    ids = Quota.objects.filter(round=round).values("school_id")
    return list(School.objects.filter(pk__in=ids, ownership="private").order_by("code"))


def _check_rate(phone: str) -> None:
    per_window = int(settings.EDUBRAIN.get("ADMISSION_SUBMITS_PER_WINDOW", 3))
    minutes = int(settings.EDUBRAIN.get("ADMISSION_SUBMIT_WINDOW_MINUTES", 10))
    since = timezone.now() - dt.timedelta(minutes=minutes)
    if Application.objects.filter(phone=phone, submitted_at__gte=since).count() >= per_window:
        raise RateLimited(
            f"提交过于频繁：同一手机号{minutes}分钟内最多提交{per_window}份申请，请稍后再试", code="rate"
        )


def _text(data: Mapping[str, Any], key: str) -> str:
    return str(data.get(key) or "").strip()


def _flag(data: Mapping[str, Any], key: str) -> bool:
    return _text(data, key).lower() in ("on", "1", "true", "yes")


def _required(errors: Errors, field: str, value: str, label: str, max_length: int) -> None:
    if not value:
        errors.setdefault(field, []).append(f"请填写{label}")
    elif len(value) > max_length:
        errors.setdefault(field, []).append(f"{label}不能超过{max_length}个字（现有{len(value)}个）")


def _id_number(errors: Errors, field: str, value: str, label: str) -> str:
    if not value:
        errors.setdefault(field, []).append(f"请填写{label}（18位）")
        return ""
    try:
        return validate_id_number(value)
    except CoreError as exc:
        errors.setdefault(field, []).append(f"{label}：{exc.message}")
        return ""


def _relation(errors: Errors, field: str, value: str, label: str) -> None:
    if value not in RELATIONS:
        errors.setdefault(field, []).append(f"请选择{label}（{'、'.join(RELATIONS)}）")


def graduate_school(round: AdmissionRound, id_number: str) -> School | None:
    """初中: the county primary school where the child is in the graduating grade (六年级; 五年级 under 5-4)
    in the school year before the round's autumn, from the registry's 学籍 records."""
    grade = graduating_grade(str(settings.EDUBRAIN.get("SCHOOL_SYSTEM", "6-3")))
    found = (
        Enrollment.objects.filter(
            student__id_number=id_number,
            school_year__start_year=round.year - 1,
            school_class__grade_code=grade,
            school_class__school__org_unit__path__startswith=round.county.path,
            status__in=(
                EnrollmentStatus.ENROLLED,
                EnrollmentStatus.TRANSFERRED_IN,
                EnrollmentStatus.GRADUATED,
            ),
        )
        .select_related("school_class__school")
        .first()
    )
    return found.school_class.school if found else None


def _child(errors: Errors, round: AdmissionRound, value: str, today: dt.date) -> tuple[str, Any, Any]:
    """(normalised 身份证号, core Child, graduate school) — blanks where refused."""
    if not value:
        errors.setdefault("child_id_number", []).append("请填写儿童身份证号（18位）")
        return "", None, None
    try:
        child = check_child(value, stage=round.stage, year=round.year, cutoff=round.birth_cutoff, today=today)
    except CoreError as exc:
        message = exc.message if exc.message.startswith("儿童") else f"儿童身份证号：{exc.message}"
        errors.setdefault("child_id_number", []).append(message)
        return "", None, None
    school = None
    if round.stage == Stage.JUNIOR:
        school = graduate_school(round, child.id_number)
        if school is None:
            errors.setdefault("child_id_number", []).append(
                f"儿童身份证号：本县学籍系统中没有该儿童{round.year - 1}—{round.year}学年"
                "小学毕业年级的在读记录，不能报名本县初中一年级；如在本县小学就读，请联系毕业小学核对学籍"
            )
    return child.id_number, child, school


def duplicate_message(receipt: str) -> str:
    return f"该儿童已有有效申请（报名号 {mask_receipt(receipt)}），不能重复报名"


def _duplicate(round: AdmissionRound, id_number: str) -> str | None:
    found = (
        Application.objects.filter(round=round, child_id_number=id_number, status__in=Application.LIVE)
        .values_list("receipt_no", flat=True)
        .first()
    )
    return duplicate_message(found) if found else None


def as_id(value: str) -> int | None:
    """A primary key typed by the client: ASCII digits, within a 64-bit integer; else None."""
    value = (value or "").strip()
    if not (value.isascii() and value.isdigit()) or len(value) > 18:
        return None
    return int(value) or None


def _area(errors: Errors, round: AdmissionRound, value: str) -> CatchmentArea | None:
    pk = as_id(value)
    area = (
        CatchmentArea.objects.select_related("school", "town").filter(pk=pk, round=round).first()
        if pk
        else None
    )
    if area is None:
        errors.setdefault("area", []).append(
            "所选住址不在本县本次招生的片区内：请从列表中选择您居住的镇/街道和社区/村/小区"
            if value
            else "请选择居住的社区/村/小区（招生片区）"
        )
    return area


def _choice(errors: Errors, round: AdmissionRound, value: str) -> School | None:
    if not value:
        return None
    for school in private_schools(round):
        if str(school.pk) == value:
            return school
    errors.setdefault("choice_school", []).append(
        "所选民办学校不在本次招生的学校中，请从列表中选择或选择“不报名民办学校”"
    )
    return None


def _documents(
    errors: Errors, files: Mapping[str, Sequence[Any]], required: dict[str, bool]
) -> dict[str, list[CheckedUpload]]:
    checked: dict[str, list[CheckedUpload]] = {}
    for field, kind in DOC_FIELDS.items():
        good, bad = documents.check_files(files.get(field, files.get(str(kind), [])), kind=kind)
        if bad:
            errors.setdefault(field, []).extend(bad)
        elif not good and required.get(field):
            errors.setdefault(field, []).append(
                f"请上传{documents.kind_label(kind)}照片（{documents.limit_text()}）"
            )
        checked[field] = good
    return checked


def submit(
    round: AdmissionRound, phone: str, data: Mapping[str, Any], files: Mapping[str, Sequence[Any]]
) -> Application:
    """File a new application; ``ValidationError`` with a dict field → messages, or ``RateLimited``."""
    today = timezone.localdate()
    if not round_is_open(round, today):
        raise ValidationError(
            {
                "__all__": [
                    f"{round.name}的报名时间为{round.opens_on:%Y年%m月%d日}至{round.closes_on:%Y年%m月%d日}，现在不能提交申请"
                ]
            }
        )
    _check_rate(phone)
    errors: Errors = {}
    _required(errors, "child_name", _text(data, "child_name"), "儿童姓名", 40)
    child_id, child, graduated_from = _child(errors, round, _text(data, "child_id_number"), today)
    _required(errors, "guardian_name", _text(data, "guardian_name"), "监护人姓名", 40)
    _relation(errors, "guardian_relation", _text(data, "guardian_relation"), "监护人与儿童的关系")
    guardian_id = _id_number(
        errors, "guardian_id_number", _text(data, "guardian_id_number"), "监护人身份证号"
    )
    if guardian_id and guardian_id == child_id:
        errors.setdefault("guardian_id_number", []).append("监护人身份证号不能与儿童身份证号相同")
    second = {k: _text(data, f"guardian2_{k}") for k in ("name", "relation", "id_number")}
    second_id = ""
    if any(second.values()):
        _required(errors, "guardian2_name", second["name"], "第二监护人姓名（填写第二监护人时必填）", 40)
        _relation(errors, "guardian2_relation", second["relation"], "第二监护人与儿童的关系")
        second_id = _id_number(errors, "guardian2_id_number", second["id_number"], "第二监护人身份证号")
    area = _area(errors, round, _text(data, "area"))
    _required(errors, "address", _text(data, "address"), "详细住址（门牌号）", 200)
    policy = _text(data, "policy_category")
    if policy and policy not in (round.policy_categories or []):
        errors.setdefault("policy_category", []).append(
            f"优抚对象类别“{policy}”不在本次招生公布的类别中，请从列表中选择"
        )
    choice = _choice(errors, round, _text(data, "choice_school"))
    facts = {k: _flag(data, k) for k in ("hukou_in_area", "property_in_area", "residence_permit")}
    required = {
        "doc_hukou": True,
        "doc_property": facts["property_in_area"],
        "doc_permit": facts["residence_permit"],
        "doc_policy": bool(policy),
    }
    checked = _documents(errors, files, required)
    if child_id and (message := _duplicate(round, child_id)):
        errors.setdefault("child_id_number", []).append(message)
    if errors:
        raise ValidationError(errors)
    assert child is not None and area is not None
    tier = tier_of(**facts, policy=bool(policy), tiers=tiers_from_json(round.tiers))
    application = Application(
        round=round,
        receipt_no=new_receipt(round),
        phone=phone,
        child_name=_text(data, "child_name"),
        child_id_number=child_id,
        child_sex=child.sex,
        child_birth_date=child.birth_date,
        guardian_name=_text(data, "guardian_name"),
        guardian_relation=_text(data, "guardian_relation"),
        guardian_id_number=guardian_id,
        guardian2_name=second["name"],
        guardian2_relation=second["relation"] if any(second.values()) else "",
        guardian2_id_number=second_id,
        area=area,
        address=_text(data, "address"),
        policy_category=policy,
        graduate_school=graduated_from,
        zone_school=area.school,
        choice_school=choice,
        school=choice or area.school,
        tier=tier,
        **facts,
    )
    with transaction.atomic():
        try:
            with transaction.atomic():
                application.save()
        except IntegrityError:
            message = _duplicate(round, child_id)
            if message is None:
                raise
            raise ValidationError({"child_id_number": [message]}) from None
        for field, kind in DOC_FIELDS.items():
            documents.store(application, checked[field], kind=kind, supplement=False)
        events.record(
            application,
            ApplicationEvent.Action.SUBMIT,
            message=f"您的入学申请已提交，报名号{application.receipt_no}，"
            f"审核学校：{application.school.name}。请凭本手机号登录查看审核进度。",
        )
    return application


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("round").get(pk=application.pk)


def supplement(application: Application, files: Sequence[Any], kind: str) -> list[ApplicationDocument]:
    """补充材料: the parent adds the documents the school asked for; the application goes back to 待审核."""
    if kind not in SUPPLEMENT_KINDS:
        raise ValidationError({"kind": ["请选择要补充的材料类型"]})
    if not present(files):
        raise ValidationError({"files": ["请选择要上传的照片"]})
    with transaction.atomic():
        current = _locked(application)
        if current.status != Application.Status.MORE:
            raise ValidationError(
                {"__all__": [f"申请当前状态为“{current.get_status_display()}”，不需要补充材料"]}
            )
        try:
            saved = documents.save_documents(current, files, kind=kind, supplement=True)
        except ValidationError as exc:
            raise ValidationError({"files": exc.messages}) from None
        current.status, current.status_note = Application.Status.SUBMITTED, ""
        current.save(update_fields=["status", "status_note", "updated_at"])
        events.record(
            current,
            ApplicationEvent.Action.SUPPLEMENT,
            note=f"补充{documents.kind_label(kind)}照片{len(saved)}张",
        )
    application.status = current.status
    return saved


def withdraw(application: Application) -> None:
    """撤回申请 (before placement); the child may then apply again."""
    with transaction.atomic():
        current = _locked(application)
        if current.status not in WITHDRAWABLE or current.round.status not in BEFORE_PLACEMENT:
            raise ValidationError(
                {"__all__": [f"申请当前状态为“{current.get_status_display()}”，已不能撤回"]}
            )
        current.status = Application.Status.WITHDRAWN
        current.save(update_fields=["status", "updated_at"])
        events.record(
            current,
            ApplicationEvent.Action.WITHDRAW,
            message=f"您的入学申请（报名号{current.receipt_no}）已撤回；如需就读，请重新报名。",
        )
    application.status = current.status


def parent_status(application: Application) -> tuple[str, str]:
    """(code, label) a parent sees: 已录取/未录取 only once the round's results are published (before that
    the application shows 审核通过)."""
    status = application.status
    result = status in (Application.Status.ADMITTED, Application.Status.NOT_ADMITTED)
    if result and application.round.status != AdmissionRound.Status.PUBLISHED:
        return str(Application.Status.APPROVED), str(Application.Status.APPROVED.label)
    return str(status), str(Application.Status(status).label)


def status_note(application: Application) -> str:
    """The reason or the next step shown under the status."""
    code, _ = parent_status(application)
    notes = {
        "submitted": f"已提交，等待{application.school.name}审核。审核结果会以短信通知。",
        "more": f"学校要求补充材料：{(application.status_note or '请按学校要求补充').rstrip('。.')}。"
        "请在下方上传后重新提交审核。",
        "approved": "审核已通过，请等待教育局统一派位并公布录取结果。",
        "rejected": f"审核未通过：{(application.status_note or '详见学校说明').rstrip('。.')}。"
        "如有疑问请联系审核学校。",
        "admitted": "恭喜，已被录取。请查看并打印录取通知书，按通知时间到校报到。",
        "not_admitted": application.status_note
        or "未被录取。教育局将按统筹安排规则调剂学位，请保持手机畅通，留意短信通知或联系县教育和体育局。",
        "withdrawn": "申请已撤回。如需就读，可在报名时间内重新报名。",
    }
    return notes.get(code, "")
