"""督导 pages (namespace ``work``): the rounds and the bureau's 新建督导 form, one round with its targets,
checklist, findings and the 登记问题 form, the 整改台账 register (filters, xlsx export, escalations) and one
finding with its photos, history and the forms of each side — the school's 报送整改, the bureau's 复查 and
约谈/通报/问责. Leaders only read; a school sees only its own findings (rounds are the bureau's)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header

from edubrain.base.orgtree import OrgKind, OrgUnit
from edubrain.base.scoping import get_visible_or_404, may_access
from edubrain.base.validation import error_messages
from edubrain.core.io.writers import table_bytes
from edubrain.work import attachments
from edubrain.work import supervision as actions
from edubrain.work import supervision_queries as sq
from edubrain.work.access import is_bureau, may_report_for
from edubrain.work.models import (
    ChecklistItem,
    Escalation,
    Finding,
    FindingStatus,
    InspectionKind,
    InspectionRound,
    Severity,
)

PAGE_SIZE = 50


def _date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw.strip()) if raw and raw.strip() else None
    except ValueError:
        return None


def _int(raw: str | None) -> int | None:
    return int(raw) if raw and raw.strip().isdigit() else None


def _require_bureau(user: Any) -> None:
    if not is_bureau(user):
        raise PermissionDenied("只有教育局工作人员可以组织督导和登记问题")


# ---------------------------------------------------------------- rounds


def _counties(user: Any) -> list[OrgUnit]:
    return list(OrgUnit.objects.visible_to(user).filter(kind=OrgKind.COUNTY).order_by("path"))


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = sq.rounds(request.user, today)
    bureau = is_bureau(request.user)
    context = {
        "title": "督导检查",
        "heading": "督导检查",
        "subtitle": "经常性督导、一月一排查安全隐患排查和专项督导；每个问题下达整改，复查通过后销号",
        "crumbs": [("工作推进", reverse("work:index")), ("督导检查", "")],
        "actions": [("整改台账", reverse("work:findings"), "")]
        + ([("新建督导", reverse("work:round-new"), "primary")] if bureau else []),
        "rows": rows,
        "may_create": bureau,
    }
    return render(request, "work/rounds.html", context)


@login_required
def round_new(request: HttpRequest) -> HttpResponse:
    user, today = request.user, timezone.localdate()
    _require_bureau(user)
    counties = _counties(user)
    if not counties:
        raise PermissionDenied("您的管理范围内没有县（区），不能组织督导")
    source = request.POST if request.method == "POST" else request.GET
    chosen = _int(source.get("county"))
    county = next((c for c in counties if c.pk == chosen), counties[0])
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("targets") if i.isdigit()]
        targets = list(OrgUnit.objects.visible_to(user).filter(pk__in=ids))
        try:
            inspection = actions.create_round(
                county,
                user,
                kind=request.POST.get("kind", ""),
                name=request.POST.get("name", ""),
                start_on=_date(request.POST.get("start_on")),
                end_on=_date(request.POST.get("end_on")),
                targets=targets,
                checklist=request.POST.get("checklist", ""),
                note=request.POST.get("note", ""),
                today=today,
            )
        except ValidationError as exc:
            errors = error_messages(exc)
        else:
            messages.success(request, f"已新建督导“{inspection.name}”")
            return redirect("work:round", pk=inspection.pk)
    posted = request.POST if request.method == "POST" else {}
    kind = source.get("kind") or InspectionKind.SAFETY
    checklist = "\n".join(actions.SAFETY_CHECKLIST) if kind == InspectionKind.SAFETY else ""
    chosen_targets = {int(i) for i in request.POST.getlist("targets") if i.isdigit()} if posted else set()
    context = {
        "title": "新建督导",
        "heading": "新建督导",
        "crumbs": [("督导检查", reverse("work:rounds")), ("新建督导", "")],
        "counties": counties,
        "county": county,
        "kinds": InspectionKind.choices,
        "groups": sq.target_choices(county),
        "chosen_targets": chosen_targets,
        "kind": kind,
        "checklist": posted.get("checklist", "") if posted else checklist,
        "errors": errors,
        "posted": posted,
        "today": today,
    }
    return render(request, "work/round_form.html", context, status=400 if errors else 200)


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, today = request.user, timezone.localdate()
    inspection = get_visible_or_404(InspectionRound, user, pk=pk)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        _require_bureau(user)
        item_id = _int(request.POST.get("item"))
        try:
            finding = actions.record_finding(
                inspection,
                user,
                org_unit=inspection.targets.filter(pk=_int(request.POST.get("org_unit"))).first(),
                item=ChecklistItem.objects.filter(inspection=inspection, pk=item_id).first()
                if item_id
                else None,
                description=request.POST.get("description", ""),
                severity=request.POST.get("severity", ""),
                found_on=_date(request.POST.get("found_on")),
                requirement=request.POST.get("requirement", ""),
                deadline=_date(request.POST.get("deadline")),
                responsible_person=request.POST.get("responsible_person", ""),
                files=request.FILES.getlist("files"),
                today=today,
            )
        except ValidationError as exc:
            errors = error_messages(exc)
        else:
            messages.success(request, f"已登记问题并下达整改通知（整改期限 {finding.deadline:%Y-%m-%d}）")
            return redirect("work:round", pk=inspection.pk)
    findings = (
        Finding.objects.visible_to(user)
        .filter(inspection=inspection)
        .select_related("org_unit", "item")
        .order_by("org_unit__path", "deadline", "id")
    )
    context = {
        "title": inspection.name,
        "heading": inspection.name,
        "subtitle": f"{inspection.get_kind_display()} · {inspection.start_on:%Y-%m-%d} 至 "
        f"{inspection.end_on:%Y-%m-%d}",
        "crumbs": [("督导检查", reverse("work:rounds")), (inspection.name, "")],
        "actions": [("本轮整改台账", reverse("work:findings") + f"?round={inspection.pk}", "")],
        "inspection": inspection,
        "targets": sq.round_targets(inspection, user, today),
        "total": sq.round_total(inspection, user, today),
        "checklist": inspection.checklist.all(),
        "rows": [sq.finding_row(f, today) for f in findings],
        "may_record": is_bureau(user),
        "severities": Severity.choices,
        "rectify_days": actions.rectify_days(),
        "errors": errors,
        "posted": request.POST if errors else {},
        "today": today,
    }
    return render(request, "work/round.html", context, status=400 if errors else 200)


# ---------------------------------------------------------------- the register


def _filter(request: HttpRequest) -> sq.RegisterFilter:
    g = request.GET
    return sq.RegisterFilter(
        inspection=_int(g.get("round")),
        org_unit=_int(g.get("unit")),
        severity=g.get("severity", "") if g.get("severity") in Severity.values else "",
        status=g.get("status", "") if g.get("status") in FindingStatus.values else "",
        overdue=g.get("overdue") == "1",
    )


def _escalate_unit(request: HttpRequest, today: dt.date) -> dict[str, list[str]]:
    """The register's 约谈/通报/问责 form: a school or unit in general (not one finding)."""
    user = request.user
    _require_bureau(user)
    post = request.POST
    target = OrgUnit.objects.visible_to(user).filter(pk=_int(post.get("org_unit"))).first()
    try:
        if target is None:
            raise ValidationError({"org_unit": "请选择约谈、通报或问责的对象单位"})
        e = actions.escalate(
            target,
            user,
            kind=post.get("kind", ""),
            on=_date(post.get("on")),
            note=post.get("note", ""),
            today=today,
        )
    except ValidationError as exc:
        return error_messages(exc)
    messages.success(request, f"已记录对“{target.name}”的{e.get_kind_display()}")
    return {}


def _escalation_targets(user: Any) -> list[tuple[str, list[OrgUnit]]]:
    """The schools and units of the user's county (by 镇/街道); above a county, those with findings."""
    if not is_bureau(user):
        return []
    counties = _counties(user)
    if len(counties) == 1:
        return sq.target_choices(counties[0])
    ids = [pk for pk, _name in sq.register_units(user)]
    return [("有问题记录的单位", list(OrgUnit.objects.filter(pk__in=ids).order_by("path")))]


@login_required
def finding_list(request: HttpRequest) -> HttpResponse:
    user, today = request.user, timezone.localdate()
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        errors = _escalate_unit(request, today)
        if not errors:
            return redirect(request.get_full_path())
    f = _filter(request)
    qs = sq.register(user, f, today)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in f.params().items() if v})
    base = reverse("work:findings")
    escalations = Escalation.objects.visible_to(user).select_related("org_unit", "finding")[:50]
    context = {
        "title": "整改台账",
        "heading": "整改台账",
        "subtitle": "督导发现问题的整改情况：逾期未整改的排在最前",
        "crumbs": [("督导检查", reverse("work:rounds")), ("整改台账", "")],
        "actions": [("导出 Excel", reverse("work:findings-export") + (f"?{query}" if query else ""), "")],
        "summary": sq.overdue_summary(user, today),
        "f": f,
        "rounds": sq.register_rounds(user),
        "units": sq.register_units(user),
        "severities": Severity.choices,
        "statuses": FindingStatus.choices,
        "rows": [sq.finding_row(x, today) for x in page.object_list],
        "page": page,
        "pages": [
            (n, f"{base}?{urlencode({**{k: v for k, v in f.params().items() if v}, 'page': n})}")
            for n in page.paginator.get_elided_page_range(page.number)
        ],
        "escalations": escalations,
        "unit_stats": sq.unit_statistics(qs, today) if not f.org_unit else [],
        "may_escalate": is_bureau(user),
        "escalation_kinds": Escalation.Kind.choices,
        "escalation_targets": _escalation_targets(user),
        "errors": errors,
        "posted": request.POST if errors else {},
        "today": today,
    }
    return render(request, "work/findings.html", context, status=400 if errors else 200)


@login_required
def finding_export(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    qs = sq.register(request.user, _filter(request), today)
    data = table_bytes(sq.register_frame(qs, today), "xlsx", sheet="整改台账")
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = content_disposition_header(True, f"整改台账-{today:%Y%m%d}.xlsx")
    return response


# ---------------------------------------------------------------- one finding


def _act(request: HttpRequest, finding: Finding, today: dt.date) -> str:
    """Run the posted action; returns the success message."""
    user, post = request.user, request.POST
    action = post.get("action")
    if action == "fix":
        actions.report_fix(
            finding,
            user,
            fix_report=post.get("fix_report", ""),
            fixed_on=_date(post.get("fixed_on")),
            files=request.FILES.getlist("files"),
            today=today,
        )
        return "已报送整改情况，等待教育局复查"
    if action == "recheck":
        if post.get("result") not in ("pass", "fail"):
            raise ValidationError({"result": "请选择复查结论：通过销号或未通过"})
        passed = post.get("result") == "pass"
        actions.recheck(
            finding,
            user,
            passed=passed,
            note=post.get("recheck_note", ""),
            on=_date(post.get("recheck_on")) or today,
            new_deadline=_date(post.get("new_deadline")),
            today=today,
        )
        return "复查通过，已销号" if passed else "复查未通过，已退回继续整改"
    if action == "escalate":
        e = actions.escalate(
            finding,
            user,
            kind=post.get("kind", ""),
            on=_date(post.get("on")),
            note=post.get("note", ""),
            today=today,
        )
        return f"已记录{e.get_kind_display()}"
    raise ValidationError("未知的操作")


@login_required
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, today = request.user, timezone.localdate()
    finding = get_visible_or_404(Finding, user, pk=pk)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        if not (is_bureau(user) or may_report_for(user, finding.org_unit)):
            raise PermissionDenied("您的角色只能查看，不能修改整改记录")
        try:
            messages.success(request, _act(request, finding, today))
        except ValidationError as exc:
            errors = error_messages(exc)
            finding.refresh_from_db()
        else:
            return redirect("work:finding", pk=finding.pk)
    bureau = is_bureau(user)
    context = {
        "title": "问题整改",
        "heading": f"问题整改 · {finding.org_unit.name}",
        "subtitle": f"{finding.inspection.name} · {finding.inspection.start_on:%Y-%m-%d} 至 "
        f"{finding.inspection.end_on:%Y-%m-%d}",
        "crumbs": [("整改台账", reverse("work:findings")), (finding.org_unit.name, "")],
        "f": finding,
        "r": sq.finding_row(finding, today),
        "photos": attachments.rows(finding.attachments.filter(purpose="finding")),
        "evidence": attachments.rows(finding.attachments.filter(purpose="fix")),
        "events": finding.events.select_related("by"),
        "escalations": finding.escalations.all(),
        "may_fix": may_report_for(user, finding.org_unit) and finding.status in sq.OPEN_STATUSES,
        "may_recheck": bureau and finding.status == FindingStatus.FIXED,
        "may_escalate": bureau,
        "escalation_kinds": Escalation.Kind.choices,
        "round_url": reverse("work:round", args=[finding.inspection_id])
        if may_access(user, finding.inspection)
        else "",
        "errors": errors,
        "posted": request.POST if errors else {},
        "today": today,
    }
    return render(request, "work/finding.html", context, status=400 if errors else 200)
