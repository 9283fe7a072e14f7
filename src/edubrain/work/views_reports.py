"""填报 pages (namespace ``work``): the task tree with each task's latest colour, one task with its units
(editable by the bureau) and reports, the cycles with their counts and the 发起填报 form, one cycle's board,
one report (the unit's form, the bureau's review), and the exports (台账 xlsx, a unit's one-page PDF)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from edubrain.base.pdf import PdfUnavailable
from edubrain.base.scoping import get_visible_or_404
from edubrain.base.validation import error_messages
from edubrain.core.work import progress as wp
from edubrain.core.work.periods import FREQUENCY_LABELS, current_period, period_count
from edubrain.plans.dashboard import plan_or_404, plans_for
from edubrain.plans.models import Plan, TaskUnit
from edubrain.work import attachments, report_exports
from edubrain.work import report_queries as rq
from edubrain.work import reporting as svc
from edubrain.work.access import is_bureau, may_report_for, own_unit, require_bureau
from edubrain.work.models import Frequency, ProgressReport, ReportingCycle, ReportStatus


def _int(raw: str | None) -> int | None:
    try:
        return int(raw) if raw not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _url(name: str, params: dict[str, Any], *args: Any) -> str:
    query = {k: v for k, v in params.items() if v not in (None, "")}
    return reverse(name, args=args) + (f"?{urlencode(query)}" if query else "")


def _plan(request: HttpRequest) -> Plan | None:
    """The chosen plan (404 outside what the user may read), else the first of ``plans_for`` — adopted
    plans come first there."""
    pk = _int(request.GET.get("plan") or request.POST.get("plan"))
    if pk is not None:
        return plan_or_404(request.user, pk)
    return plans_for(request.user).first()


def _head(
    heading: str,
    subtitle: str = "",
    crumbs: list[tuple[str, str]] | None = None,
    actions: list[tuple[str, str, str]] | None = None,
) -> dict[str, Any]:
    return {
        "title": heading,
        "heading": heading,
        "subtitle": subtitle,
        "crumbs": [("工作推进", reverse("work:index")), *(crumbs or [])],
        "actions": actions or [],
    }


# ---------------------------------------------------------------- task tree and task


@login_required
def tasks(request: HttpRequest) -> HttpResponse:
    user, today = request.user, timezone.localdate()
    plan = _plan(request)
    context: dict[str, Any] = _head("任务分工与进展", crumbs=[("任务分工与进展", "")])
    if plan is None:
        return render(request, "work/tasks.html", context)
    cycles = list(rq.cycles_for(user, plan))
    cycle_id = _int(request.GET.get("cycle"))
    cycle = next((c for c in cycles if c.pk == cycle_id), None)
    filters_units = own_unit(user) is None  # a reporter sees only their own unit's tasks anyway
    unit = _int(request.GET.get("unit")) if filters_units else None
    context.update(
        subtitle=f"{plan.title} · 各任务填报状态（{cycle.name if cycle else '最新进展'}）",
        plan=plan,
        plans=list(plans_for(user)),
        cycles=cycles,
        cycle=cycle,
        unit=unit,
        units=rq.unit_filter_options(user, plan) if filters_units else [],
        tree=rq.tree(user, plan, today, cycle, unit),
        legend=[(label, wp.COLOURS[c]) for label, c in LEGEND],
        actions=[("填报周期", _url("work:cycles", {"plan": plan.pk}), "")],
    )
    return render(request, "work/tasks.html", context)


LEGEND = [
    ("已通过", "green"),
    ("待审核", "blue"),
    ("已退回或逾期报送", "orange"),
    ("逾期未报", "red"),
    ("待填报", "grey"),
]


@login_required
def task(request: HttpRequest, pk: int) -> HttpResponse:
    user, today = request.user, timezone.localdate()
    t = rq.task_or_404(user, pk)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            svc.set_task_units(
                t,
                user,
                _int(request.POST.get("lead")),
                [i for i in (_int(v) for v in request.POST.getlist("co")) if i is not None],
            )
            messages.success(request, "已保存任务的责任单位")
            return redirect("work:task", pk=t.pk)
        except ValidationError as exc:
            errors = error_messages(exc)
    units = list(TaskUnit.objects.filter(task=t).select_related("unit").order_by("order", "pk"))
    lead = next((u.unit_id for u in units if u.role == TaskUnit.Role.LEAD and u.unit_id), None)
    context = {
        **_head(
            f"{t.code} {t.title}",
            t.plan.title,
            [("任务分工与进展", _url("work:tasks", {"plan": t.plan_id})), (t.code, "")],
        ),
        "task": t,
        "units": units,
        "editable": is_bureau(user),
        "choices": svc.unit_choices(t.plan) if is_bureau(user) else [],
        "lead": lead,
        "co": {u.unit_id for u in units if u.role == TaskUnit.Role.CO and u.unit_id},
        "reports": rq.task_reports(user, t, today),
        "errors": errors,
    }
    return render(request, "work/task.html", context, status=400 if errors else 200)


# ---------------------------------------------------------------- cycles


def _open_form_defaults(plan: Plan | None, today: dt.date) -> dict[str, Any]:
    """The half-year to propose: the current one, or the first after it not yet opened for the plan."""
    p = current_period("half", today, svc.due_days())
    opened = set(ReportingCycle.objects.filter(plan=plan).values_list("period_start", flat=True))
    year, index = p.year, p.index
    while dt.date(year, 1 if index == 1 else 7, 1) in opened:
        year, index = (year, 2) if index == 1 else (year + 1, 1)
    return {"frequency": "half", "year": year, "index": index, "due_on": "", "note": ""}


@login_required
def cycles(request: HttpRequest) -> HttpResponse:
    user, today = request.user, timezone.localdate()
    plan = _plan(request)
    errors: dict[str, list[str]] = {}
    form = _open_form_defaults(plan, today)
    if request.method == "POST":
        if plan is None:
            raise Http404("没有可发起填报的规划")
        require_bureau(user)
        form = {k: request.POST.get(k, "").strip() for k in ("frequency", "year", "index", "due_on", "note")}
        try:
            cycle = svc.open_cycle(
                plan,
                user,
                form["frequency"],
                _year(form["year"]),
                _int(form["index"]) or 0,
                form["note"],
                _date(form["due_on"], "报送期限"),
            )
            messages.success(request, f"已发起“{cycle.name}”填报，共 {cycle.reports.count()} 个报告")
            return redirect("work:cycle", pk=cycle.pk)
        except ValidationError as exc:
            errors = error_messages(exc)
    context: dict[str, Any] = _head("填报周期", crumbs=[("填报周期", "")])
    if plan is not None:
        context.update(
            subtitle=f"{plan.title} · 责任单位按周期报送所承担任务的进展",
            plan=plan,
            plans=list(plans_for(user)),
            rows=rq.cycle_rows(user, rq.cycles_for(user, plan), today),
            may_open=is_bureau(user),
            frequencies=Frequency.choices,
            counts={f: period_count(f) for f in FREQUENCY_LABELS},
            form=form,
            due_days=svc.due_days(),
            actions=[("任务分工与进展", _url("work:tasks", {"plan": plan.pk}), "")],
        )
    context["errors"] = errors
    return render(request, "work/cycles.html", context, status=400 if errors else 200)


def _year(raw: str) -> int:
    if not raw.isdigit():
        raise ValidationError({"year": f"年份“{raw}”无效，应为四位数字的年份"})
    return int(raw)


def _date(raw: str, label: str) -> dt.date | None:
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise ValidationError(f"{label}“{raw}”无效，应为日期（如 2026-07-10）") from exc


@login_required
def cycle(request: HttpRequest, pk: int) -> HttpResponse:
    user, today = request.user, timezone.localdate()
    c = rq.cycle_or_404(user, pk)
    if request.method == "POST":
        try:
            svc.close_cycle(c, user)
            messages.success(request, f"“{c.name}”填报已结束")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect("work:cycle", pk=c.pk)
    state = request.GET.get("state") or ""
    state = state if state in rq.STATE_FILTERS else ""
    unit = _int(request.GET.get("unit"))
    data = rq.board(user, c, today, state, unit)
    base = {"unit": unit or ""}
    context = {
        **_head(
            f"{c.name}填报",
            f"{c.plan.title} · 报送期限 {c.due_on:%Y-%m-%d} · {c.get_status_display()}",
            [("填报周期", _url("work:cycles", {"plan": c.plan_id})), (c.name, "")],
        ),
        "cycle": c,
        **data,
        "state": state,
        "unit": unit,
        "states": [
            {
                "key": "",
                "label": "全部",
                "count": data["totals"]["expected"],
                "url": _url("work:cycle", base, c.pk),
                "current": not state,
            }
        ]
        + [
            {
                "key": k,
                "label": label,
                "count": data["state_counts"].get(k, 0),
                "url": _url("work:cycle", {**base, "state": k}, c.pk),
                "current": k == state,
            }
            for k, label in rq.STATE_FILTERS.items()
        ],
        "bureau": is_bureau(user),
        "may_close": is_bureau(user) and c.status == ReportingCycle.Status.OPEN,
        "export_url": reverse("work:reports-export", args=[c.pk]),
        "today": today,
    }
    return render(request, "work/cycle.html", context)


# ---------------------------------------------------------------- one report


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    user, today = request.user, timezone.localdate()
    r = get_visible_or_404(ProgressReport, user, pk=pk)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            with transaction.atomic():
                if action in ("save", "submit"):
                    svc.save_report(r, user, request.POST, request.FILES.getlist("files"))
                    if action == "submit":
                        svc.submit(r, user)
                    messages.success(
                        request, "已报送，等待教育局审核" if action == "submit" else "已保存草稿"
                    )
                elif action == "return":
                    svc.return_report(r, user, request.POST.get("comment", ""))
                    messages.success(request, "已退回，并通知责任单位修改")
                elif action == "accept":
                    svc.accept(r, user, request.POST.get("comment", ""))
                    messages.success(request, "已审核通过")
                else:
                    raise ValidationError("未知的操作")
        except ValidationError as exc:
            r.refresh_from_db()
            return _report_page(request, r, today, error_messages(exc), request.POST, status=400)
        return redirect("work:report", pk=r.pk)
    return _report_page(request, r, today)


def _report_page(
    request: HttpRequest,
    r: ProgressReport,
    today: dt.date,
    errors: dict[str, list[str]] | None = None,
    posted: Any = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    c = r.cycle
    writable = c.status == ReportingCycle.Status.OPEN and r.status in svc.EDITABLE
    context = {
        **_head(
            f"{r.task.code} {r.task.title}",
            f"{c.name} · {r.org_unit.name}（{_role(r.role)}）",
            [
                ("填报周期", _url("work:cycles", {"plan": c.plan_id})),
                (c.name, reverse("work:cycle", args=[c.pk])),
                (r.org_unit.name, ""),
            ],
        ),
        "r": r,
        "cycle": c,
        "s": rq.report_state(r, today),
        "may_edit": may_report_for(user, r.org_unit) and writable,
        "may_review": is_bureau(user) and r.status == ReportStatus.SUBMITTED,
        "events": list(r.events.select_related("by")),
        "attachments": attachments.rows(r.attachments.all()),
        "errors": errors or {},
        "v": posted if posted is not None else _values(r),
        "task_url": reverse("work:task", args=[r.task_id]),
    }
    return render(request, "work/report.html", context, status=status)


def _role(role: str) -> str:
    return "牵头" if role == TaskUnit.Role.LEAD else "配合"


def _values(r: ProgressReport) -> dict[str, Any]:
    return {f: getattr(r, f) if getattr(r, f) is not None else "" for f in svc.FIELD_LABELS}


# ---------------------------------------------------------------- exports


@login_required
@require_GET
def reports_export(request: HttpRequest, pk: int) -> HttpResponse:
    c = rq.cycle_or_404(request.user, pk)
    data = report_exports.ledger_xlsx(request.user, c, timezone.localdate())
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = f"任务进展台账-{c.name}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
@require_GET
def unit_pdf(request: HttpRequest, org_unit_id: int) -> HttpResponse:
    user = request.user
    cycle_id = _int(request.GET.get("cycle"))
    c = rq.cycle_or_404(user, cycle_id) if cycle_id else None
    try:
        unit, pdf = report_exports.unit_summary_pdf(user, org_unit_id, c, timezone.localdate())
    except PdfUnavailable as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"任务进展-{unit.name}{'-' + c.name if c else ''}.pdf"
    response["Content-Disposition"] = content_disposition_header(False, name)
    return response
