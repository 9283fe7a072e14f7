"""家长端 pages (namespace ``enroll``): the open rounds, sign-in by phone + code, the application form, the
zone school look-up, the parent's applications and one application's status, documents and timeline.

A parent reaches applications only through ``parents`` (``parent_required``, ``own_application_or_404``):
another applicant's 报名号 in the URL is a 404. State changes are POST-only (CSRF-protected).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from edubrain.accounts.models import is_bureau
from edubrain.admission import apply, documents, otp, parents
from edubrain.admission.models import AdmissionRound, Application, ApplicationDocument, CatchmentArea
from edubrain.core.enrollment.tiers import tiers_from_json
from edubrain.core.ids import mask_phone
from edubrain.core.work.filetypes import size_label

PENDING_KEY = "enroll_code_phone"  # the phone a code was sent to, waiting for the code
RATE_CODES = ("otp.too_soon", "otp.hourly")


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, template, {**parents.context(request), **context}, status=status)


def _safe_next(value: str | None) -> str:
    """Only a local path (no scheme, no host, no protocol-relative //host)."""
    value = (value or "").strip()
    if (
        value.startswith("/")
        and not value.startswith("//")
        and "\\" not in value
        and url_has_allowed_host_and_scheme(value, allowed_hosts=None)
    ):
        return value
    return ""


def _client_ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR") or "")


def _open_rounds() -> list[AdmissionRound]:
    today = timezone.localdate()
    return list(
        AdmissionRound.objects.filter(
            status=AdmissionRound.Status.OPEN, opens_on__lte=today, closes_on__gte=today
        ).order_by("-year", "stage", "pk")
    )


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Rounds open now (报名), published results, and the policy in short (招生政策)."""
    rounds = _open_rounds()
    published = AdmissionRound.objects.filter(status=AdmissionRound.Status.PUBLISHED).order_by(
        "-year", "stage"
    )
    cards = [{"round": r, "tiers": tiers_from_json(r.tiers)} for r in rounds]
    return _render(
        request,
        "admission/parent/index.html",
        {
            "title": "入学报名",
            "cards": cards,
            "published": list(published),
            "default_tiers": tiers_from_json(None),
        },
    )


def _dev_hint() -> bool:
    return bool(settings.DEBUG) or settings.EDUBRAIN.get("SMS_BACKEND", "console") == "console"


def login(request: HttpRequest) -> HttpResponse:
    """Step 1: phone → 获取验证码; step 2: the code → signed in, back to ``next`` (or 我的报名)."""
    next_url = _safe_next(request.POST.get("next") or request.GET.get("next"))
    pending = request.session.get(PENDING_KEY)
    error, status, phone_value = "", 200, ""
    here = reverse("enroll:login") + (f"?{urlencode({'next': next_url})}" if next_url else "")
    if request.method != "POST" and parents.parent_phone(request) and not pending:
        return redirect(next_url or reverse("enroll:mine"))
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "change":
            request.session.pop(PENDING_KEY, None)
            return redirect(here)
        if action == "verify" and pending:
            if otp.verify_code(pending, request.POST.get("code", "")):
                request.session.pop(PENDING_KEY, None)
                parents.sign_in(request, pending)
                return redirect(next_url or reverse("enroll:mine"))
            error, status = (
                "验证码错误或已失效：请输入短信中的6位数字验证码；输错5次或超过有效期请重新获取",
                400,
            )
        else:
            phone_value = pending if action == "resend" and pending else request.POST.get("phone", "")
            try:
                phone = otp.normalised_phone(phone_value)
                otp.request_code(phone, _client_ip(request))
            except ValidationError as exc:
                error = f"手机号：{exc.messages[0]}" if exc.code not in RATE_CODES else exc.messages[0]
                status = 429 if exc.code in RATE_CODES else 400
            else:
                request.session[PENDING_KEY] = phone
                messages.success(request, f"验证码已发送至{mask_phone(phone)}")
                return redirect(here)
    step = "code" if request.session.get(PENDING_KEY) else "phone"
    context = {
        "title": "手机号登录",
        "step": step,
        "next": next_url,
        "error": error,
        "phone_value": phone_value,
        "pending_masked": mask_phone(request.session.get(PENDING_KEY)),
        "dev_hint": _dev_hint(),
        "code_minutes": otp.code_minutes(),
    }
    return _render(request, "admission/parent/login.html", context, status=status)


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    parents.sign_out(request)
    request.session.pop(PENDING_KEY, None)
    messages.info(request, "已退出")
    return redirect("enroll:index")


@require_GET
@parents.parent_required
def mine(request: HttpRequest) -> HttpResponse:
    """我的报名: the applications filed under the session's phone."""
    rows = []
    for app in (
        Application.objects.filter(phone=parents.parent_phone(request))
        .select_related("round", "school")
        .order_by("-submitted_at")
    ):
        code, label = apply.parent_status(app)
        rows.append({"app": app, "status": code, "status_label": label})
    return _render(
        request, "admission/parent/mine.html", {"title": "我的报名", "rows": rows, "rounds": _open_rounds()}
    )


def _area_groups(areas: list[CatchmentArea]) -> list[tuple[str, list[CatchmentArea]]]:
    """Areas grouped by 镇/街道 (the select's optgroups), in the areas' order."""
    groups: dict[str, list[CatchmentArea]] = {}
    for area in areas:
        groups.setdefault(area.town.name if area.town_id else "其他", []).append(area)
    return list(groups.items())


def _form_context(round: AdmissionRound, values: Any, errors: dict[str, list[str]]) -> dict[str, Any]:
    areas = list(CatchmentArea.objects.filter(round=round).select_related("town", "school"))
    chosen = next((a for a in areas if str(a.pk) == str(values.get("area", ""))), None)
    return {
        "title": f"报名：{round.name}",
        "round": round,
        "values": values,
        "errors": errors,
        "general_errors": errors.get("__all__", []),
        "area_groups": _area_groups(areas),
        "chosen_area": chosen,
        "private_schools": apply.private_schools(round),
        "policy_categories": list(round.policy_categories or []),
        "relations": apply.RELATIONS,
        "tiers": tiers_from_json(round.tiers),
        "limit_text": documents.limit_text(),
        "accept": documents.ACCEPT,
        "is_junior": round.stage == "junior",
    }


@parents.parent_required
def apply_view(request: HttpRequest, round_id: int) -> HttpResponse:
    """The application form (报名表); POST files it and goes to its status page."""
    round = get_object_or_404(AdmissionRound.objects.select_related("county"), pk=round_id)
    if not apply.round_is_open(round):
        return _render(
            request, "admission/parent/closed.html", {"title": round.name, "round": round}, status=403
        )
    if request.method != "POST":
        return _render(request, "admission/parent/apply.html", _form_context(round, {}, {}))
    files = {field: request.FILES.getlist(field) for field in apply.DOC_FIELDS}
    try:
        application = apply.submit(round, str(parents.parent_phone(request)), request.POST, files)
    except apply.RateLimited as exc:
        return _render(
            request,
            "admission/parent/rate_limited.html",
            {"title": "提交过于频繁", "message": exc.messages[0]},
            status=429,
        )
    except ValidationError as exc:
        context = _form_context(round, request.POST, exc.message_dict)
        return _render(request, "admission/parent/apply.html", context, status=400)
    messages.success(request, f"申请已提交，报名号 {application.receipt_no}，审核结果将以短信通知")
    return redirect("enroll:detail", receipt_no=application.receipt_no)


@require_GET
def zone(request: HttpRequest, round_id: int) -> JsonResponse:
    """The zone school (对口学校) of one area of the round: {"school", "school_code"}."""
    pk = apply.as_id(request.GET.get("area", ""))
    area = (
        CatchmentArea.objects.select_related("school").filter(pk=pk, round_id=round_id).first()
        if pk
        else None
    )
    if area is None:
        return JsonResponse({"error": "所选住址不在本次招生的片区内"}, status=404)
    return JsonResponse({"school": area.school.name, "school_code": area.school.code})


def _actor_label(event: Any) -> str:
    if event.actor_id is None:
        return "家长"
    return "教育局" if is_bureau(event.actor) else "学校"


@require_GET
@parents.parent_required
def detail(request: HttpRequest, receipt_no: str) -> HttpResponse:
    """One application: status, note, schools, documents, timeline; supplement and withdraw forms."""
    app = parents.own_application_or_404(request, receipt_no)
    code, label = apply.parent_status(app)
    docs = [
        {"name": d.name, "kind": d.get_kind_display(), "size": size_label(d.size), "supplement": d.supplement}
        for d in app.documents.only("name", "kind", "size", "supplement", "application_id")
    ]
    timeline = [
        {"label": e.get_action_display(), "at": e.at, "note": e.note, "by": _actor_label(e)}
        for e in app.events.select_related("actor__org_unit").order_by("at", "id")
    ]
    published = app.round.status == AdmissionRound.Status.PUBLISHED
    context = {
        "title": f"报名号 {app.receipt_no}",
        "app": app,
        "status": code,
        "status_label": label,
        "status_note": apply.status_note(app),
        "docs": docs,
        "timeline": timeline,
        "published": published,
        "admitted": published and app.status == Application.Status.ADMITTED,
        "not_admitted": published and app.status == Application.Status.NOT_ADMITTED,
        "can_supplement": app.status == Application.Status.MORE,
        "can_withdraw": app.status in apply.WITHDRAWABLE and app.round.status in apply.BEFORE_PLACEMENT,
        "supplement_kinds": [(k, ApplicationDocument.Kind(k).label) for k in apply.SUPPLEMENT_KINDS],
        "limit_text": documents.limit_text(),
        "accept": documents.ACCEPT,
    }
    return _render(request, "admission/parent/detail.html", context)


def _report(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@require_POST
@parents.parent_required
def supplement(request: HttpRequest, receipt_no: str) -> HttpResponse:
    app = parents.own_application_or_404(request, receipt_no)
    try:
        saved = apply.supplement(app, request.FILES.getlist("files"), request.POST.get("kind", ""))
    except ValidationError as exc:
        _report(request, exc)
    else:
        messages.success(request, f"已补充材料{len(saved)}张，申请已重新提交审核")
    return redirect("enroll:detail", receipt_no=app.receipt_no)


@require_POST
@parents.parent_required
def withdraw(request: HttpRequest, receipt_no: str) -> HttpResponse:
    app = parents.own_application_or_404(request, receipt_no)
    try:
        apply.withdraw(app)
    except ValidationError as exc:
        _report(request, exc)
    else:
        messages.success(request, "申请已撤回")
    return redirect("enroll:detail", receipt_no=app.receipt_no)
