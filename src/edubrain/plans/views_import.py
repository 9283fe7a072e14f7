"""规划导入 pages (namespace ``plan_import``): upload a plan document (.txt/.docx), review what the parser
found — and, prominently, what it could not parse —, correct the header, targets, tasks and key projects,
then adopt the plan (``plans.adopt``); download the plan as JSON.

Every plan comes from ``Plan.objects.visible_to(user)``; uploading, correcting and adopting are for the
bureau's administrators and staff (``may_manage``), the others read.
"""

from __future__ import annotations

import json
import logging
import tempfile
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from edubrain.accounts.models import Role
from edubrain.base.scoping import get_visible_or_404
from edubrain.core.errors import CoreError
from edubrain.plans.adopt import (
    PlanInvalid,
    UnitMatcher,
    adopt,
    create_draft,
    parsed_counts,
    plan_json,
    save_draft,
    split_units,
    summary,
)
from edubrain.plans.forms import ACCEPT, PlanUploadForm, corrected_json, max_upload_bytes, review_forms
from edubrain.plans.models import Plan

logger = logging.getLogger(__name__)

MANAGER_ROLES = {Role.BUREAU_ADMIN, Role.BUREAU_STAFF}
READ_ONLY_MESSAGE = "只有教育局管理员和工作人员可以导入、修改和采用规划；您的账号可以查看已导入的规划。"
UNREADABLE = (
    "无法解析该文件。请确认它是规划正文的 .txt 或 .docx 文件（扫描件、图片或加密文件无法识别；"
    "可在 Word 中另存为 .docx 或纯文本后重新上传）。"
)


def may_manage(user: Any) -> bool:
    """Bureau administrators and staff (and the system administrator) import, correct and adopt plans."""
    return bool(user.is_active and (user.is_superuser or getattr(user, "role", None) in MANAGER_ROLES))


def refused(request: HttpRequest, message: str = READ_ONLY_MESSAGE) -> HttpResponse:
    return render(
        request, "plans/import_forbidden.html", {"title": "不能操作", "message": message}, status=403
    )


def plan_or_404(request: HttpRequest, pk: int) -> Plan:
    return get_visible_or_404(Plan, request.user, pk=pk)


def attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """A download with a Chinese file name (an ASCII fallback and ``filename*=UTF-8''…``)."""
    response = HttpResponse(content, content_type=content_type)
    suffix = PurePath(filename).suffix
    fallback = "".join(c for c in PurePath(filename).stem if c.isascii() and (c.isalnum() or c in "-_"))
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback or 'plan'}{suffix}\"; filename*=UTF-8''{quote(filename)}"
    )
    response["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------- upload


@login_required
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    manager = may_manage(user)
    form = None
    if request.method == "POST":
        if not manager:
            return refused(request)
        form = PlanUploadForm(request.POST, request.FILES, user=user)
        if form.is_valid():
            plan = upload(request, form)
            if plan is not None:
                return redirect("plan_import:review", pk=plan.pk)
    elif manager:
        form = PlanUploadForm(user=user)
    plans = (
        Plan.objects.visible_to(user)
        .select_related("org_unit", "created_by", "parent")
        .order_by("-created_at", "-pk")
    )
    context = {
        "title": "规划导入",
        "form": form,
        "manager": manager,
        "read_only_message": READ_ONLY_MESSAGE,
        "accept": ACCEPT,
        "max_mb": max_upload_bytes() // (1024 * 1024),
        "plans": plans,
        "Status": Plan.Status,
    }
    return render(request, "plans/import_index.html", context, status=400 if form and form.errors else 200)


def upload(request: HttpRequest, form: PlanUploadForm) -> Plan | None:
    """Parse the uploaded document and store it as a draft; an unreadable file becomes a form error."""
    from edubrain.core.plan.parser import parse_file

    uploaded = form.cleaned_data["file"]
    suffix = PurePath(uploaded.name).suffix.lower()
    stem = PurePath(uploaded.name.replace("\\", "/")).stem.replace("\x00", "")[:100] or "plan"
    with tempfile.TemporaryDirectory(prefix="edubrain-plan-") as folder:
        path = Path(folder) / f"{stem}{suffix}"  # the parser's messages name the file the user chose
        with path.open("wb") as out:
            for chunk in uploaded.chunks():
                out.write(chunk)
        try:
            parsed = parse_file(path)
        except CoreError as exc:
            form.add_error("file", exc.message)
            return None
        except Exception:  # a document the parser cannot read: say so, keep the trace in the log
            logger.exception("规划文件解析失败：%s", uploaded.name)
            form.add_error("file", UNREADABLE)
            return None
    try:
        plan = create_draft(
            parsed, county=form.cleaned_data["org_unit"], user=request.user, source_name=uploaded.name
        )
    except PlanInvalid as exc:
        form.add_error("file", exc.message)
        return None
    found = parsed_counts(parsed)
    if not found["tasks"] and not found["targets"]:
        messages.warning(
            request, "文件中没有识别出任何任务或目标，请确认上传的是规划正文；可在下方表格中手工补充。"
        )
    else:
        messages.success(
            request,
            f"已解析“{uploaded.name}”：任务 {found['tasks']} 项，目标 {found['targets']} 个，重点项目 "
            f"{found['projects']} 个；请核对后采用。",
        )
    return plan


# ---------------------------------------------------------------- review


def unit_matches(plan: Plan) -> dict[str, Any]:
    """The distinct 责任单位 names of the draft and which of them the registry knows."""
    names: list[str] = []
    for task in (plan.parsed or {}).get("tasks") or []:
        if isinstance(task, dict):
            names += [n for n in split_units(task.get("units") or []) if n not in names]
    matcher = UnitMatcher(plan.org_unit)
    unmatched = [n for n in names if matcher.match(n) is None]
    return {"names": len(names), "matched": len(names) - len(unmatched), "unmatched": unmatched}


def review_context(
    request: HttpRequest, plan: Plan, forms_: dict[str, Any], errors: list[str], heading: str = ""
) -> dict[str, Any]:
    parsed = plan.parsed or {}
    same = Plan.objects.filter(org_unit=plan.org_unit, status=Plan.Status.ADOPTED, title=plan.title).exclude(
        pk=plan.pk
    )
    unparsed = [
        u if isinstance(u, dict) else {"text": str(u), "reason": ""} for u in parsed.get("unparsed") or []
    ]
    return {
        "title": f"规划审核 · {plan.title}",
        "plan": plan,
        "adopted": plan.status == Plan.Status.ADOPTED,
        "manager": may_manage(request.user),
        "header": forms_["header"],
        "targets": forms_["targets"],
        "tasks": forms_["tasks"],
        "projects": forms_["projects"],
        "counts": parsed_counts(parsed),
        "units": unit_matches(plan),
        "rows": summary(plan) if plan.status == Plan.Status.ADOPTED else None,
        "unparsed": unparsed,
        "sections": parsed.get("sections") if isinstance(parsed.get("sections"), list) else [],
        "adopt_errors": errors,
        "error_heading": heading,
        "duplicates": list(same),
        "Status": Plan.Status,
    }


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_or_404(request, pk)
    errors: list[str] = []
    if request.method == "POST":
        if not may_manage(request.user):
            return refused(request)
        forms_ = review_forms(plan, request.user, request.POST)
        if not all(f.is_valid() for f in forms_.values()):
            errors, heading = ["表格中有填写不正确的地方（已用红字标出）。"], "未能保存，数据库未作任何改动："
        elif save_or_adopt(request, plan, forms_, errors):
            return redirect("plan_import:review", pk=plan.pk)
        else:
            again = "重新" if plan.status == Plan.Status.ADOPTED else ""
            heading = f"规划未能{again}采用，数据库未作任何改动。请先修改以下问题（共 {len(errors)} 处）："
        context = review_context(request, plan, forms_, errors, heading)
        return render(request, "plans/import_review.html", context, status=400)
    forms_ = review_forms(plan, request.user)
    return render(request, "plans/import_review.html", review_context(request, plan, forms_, errors))


def save_or_adopt(request: HttpRequest, plan: Plan, forms_: dict[str, Any], errors: list[str]) -> bool:
    """保存修改 (a draft only) or 采用规划 / 重新采用 (corrections and adoption in one transaction)."""
    parsed = corrected_json(plan, forms_)
    parent = forms_["header"].cleaned_data["parent"]
    if request.POST.get("action") == "adopt":
        try:
            with transaction.atomic():
                plan.parent = parent
                plan.save(update_fields=["parent"])
                adopt(plan, parsed, user=request.user)
        except PlanInvalid as exc:
            plan.refresh_from_db()
            errors += exc.errors
            return False
        rows = summary(plan)
        messages.success(
            request,
            f"规划已采用：任务 {rows['tasks']} 项（责任单位 {rows['units']} 个，"
            f"其中 {rows['units_linked']} 个已对应到责任单位名录），目标 {rows['targets']} 个"
            f"（{rows['targets_linked']} 个已对应指标），"
            f"重点项目 {rows['projects']} 个。",
        )
        return True
    if plan.status == Plan.Status.ADOPTED:
        errors.append("本规划已采用：修改后请点击“重新采用”，修改与采用一并生效。")
        return False
    plan.parent = parent
    save_draft(plan, parsed)
    messages.success(request, "修改已保存（草稿）。核对无误后点击“采用规划”。")
    return True


# ---------------------------------------------------------------- download, discard


@login_required
@require_GET
def download_json(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_or_404(request, pk)
    content = json.dumps(plan_json(plan), ensure_ascii=False, indent=2).encode()
    return attachment(content, f"{plan.title}.json", "application/json; charset=utf-8")


@login_required
@require_POST
def discard(request: HttpRequest, pk: int) -> HttpResponse:
    if not may_manage(request.user):
        return refused(request)
    plan = plan_or_404(request, pk)
    if plan.status != Plan.Status.DRAFT:
        messages.error(request, "已采用的规划不能在这里删除。")
        return redirect("plan_import:review", pk=plan.pk)
    title = plan.title
    plan.delete()
    messages.info(request, f"已删除草稿“{title}”。")
    return redirect("plan_import:index")
