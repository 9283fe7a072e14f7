"""预警随访 pages (namespace ``vision``): the follow-up list of a unit (a school works its open ones, a
镇/街道 or the county watches the overdue ones), one follow-up with the pupil's screening history and the
actions (告知家长, 复查/转诊结果, 结案), and the 告家长书 PDF for chosen pupils or a whole class."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from edubrain.base.masking import show_student_number
from edubrain.base.pdf import PdfUnavailable
from edubrain.base.scoping import get_visible_or_404
from edubrain.base.validation import error_messages
from edubrain.vision import followup_queries as fq
from edubrain.vision import followups as actions
from edubrain.vision import queries
from edubrain.vision.models import (
    OPEN_STATUSES,
    FollowUpStatus,
    Outcome,
    ResultKind,
    VisionFollowUp,
    VisionScreening,
)
from edubrain.vision.notices import MAX_NOTICES, notice_pdf
from edubrain.vision.views import parse_int

PAGE_SIZE = 50
STATUS_CLASSES = {
    FollowUpStatus.OPEN: "warn",
    FollowUpStatus.NOTIFIED: "",
    FollowUpStatus.RESULTED: "ok",
    FollowUpStatus.CLOSED: "ok",
    FollowUpStatus.SUPERSEDED: "",
}


def may_act(user: Any) -> bool:
    check = getattr(user, "may_write", None)
    return bool(check and check())


def list_url(params: dict[str, Any]) -> str:
    query = {k: v for k, v in params.items() if v not in (None, "")}
    return reverse("vision:followups") + (f"?{urlencode(query)}" if query else "")


def _date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def row(fu: VisionFollowUp, user: Any, today: dt.date) -> dict[str, Any]:
    overdue = fu.overdue_days(today)
    return {
        "id": fu.pk,
        "url": reverse("vision:followup", args=[fu.pk]),
        "name": fu.student.name,
        "number": show_student_number(user, fu.student.student_number),
        "school": fu.school.name,
        "class_name": fq.class_name(fu.school_class),
        "screened_on": fu.screening.screened_on,
        "level": fu.level,
        "reason": fu.reason,
        "rose": fu.rose,
        "status": fu.status,
        "status_label": fu.get_status_display(),
        "status_cls": "danger" if overdue else STATUS_CLASSES.get(FollowUpStatus(fu.status), ""),
        "due_on": fu.due_on,
        "overdue": overdue,
        "open": fu.is_open,
    }


@login_required
def followup_list(request: HttpRequest) -> HttpResponse:
    user, today = request.user, dt.date.today()
    try:
        unit = parse_int(request.GET.get("unit"))
        sel = queries.selection_for(user, unit, request.GET.get("grade") or None)
    except LookupError as exc:
        raise Http404(str(exc)) from exc
    context: dict[str, Any] = {"title": "视力预警随访", "heading": "视力预警随访", "sel": sel}
    if sel is None:
        return render(request, "vision/followups.html", context)
    class_id = parse_int(request.GET.get("class")) if sel.school is not None else None
    default_state = "open" if sel.school is not None else "overdue"
    state = request.GET.get("state") or default_state
    state = state if state in fq.FILTERS else default_state
    base = fq.followups(user, sel, class_id)
    shown = (
        base.filter(fq.state_q(state, today))
        .select_related("student", "school", "school_class", "screening")
        .order_by("due_on", "school_class__grade_code", "school_class__number", "student__name", "id")
    )
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    params = {**sel.params(), "class": class_id or "", "state": state}
    counts = fq.summary(base, today)
    context.update(
        heading=f"视力预警随访 · {sel.name}",
        subtitle=(
            "学校：告知家长、登记复查或就诊结果、结案"
            if sel.school is not None
            else f"{sel.level_label}：督促各校按期完成随访，重点关注逾期未反馈的学生"
        ),
        crumbs=[(label, list_url({**p, "state": state})) for label, p in queries.breadcrumbs(user, sel)],
        actions=[("视力监测", reverse("vision:overview") + f"?unit={sel.unit.pk}", "")],
        state=state,
        states=[
            {
                "key": k,
                "label": label,
                "count": counts.get(k, 0),
                "url": list_url({**params, "state": k, "page": ""}),
                "current": k == state,
            }
            for k, (label, _q) in fq.FILTERS.items()
        ],
        counts=counts,
        rows=[row(fu, user, today) for fu in page.object_list],
        page=page,
        pages=[
            (n, list_url({**params, "page": n})) for n in page.paginator.get_elided_page_range(page.number)
        ],
        children=[
            {**c, "url": list_url({"unit": c["key"], "state": state})} for c in fq.by_child(user, sel, today)
        ],
        child_label={"county": "镇/街道", "town": "学校"}.get(sel.level, "下级单位"),
        classes=fq.classes(user, sel),
        class_id=class_id,
        may_act=may_act(user),
        max_notices=MAX_NOTICES,
        window_params=list(params.items()),
    )
    return render(request, "vision/followups.html", context)


@login_required
def followup_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, today = request.user, dt.date.today()
    fu = get_visible_or_404(VisionFollowUp, user, pk=pk)
    if request.method == "POST":
        if not may_act(user):
            raise PermissionDenied("您的角色只能查看，不能修改随访记录")
        action = request.POST.get("action")
        try:
            if action == "notified":
                on = _date(request.POST.get("notified_on")) or today
                if on > today:
                    raise ValidationError("告知日期不能晚于今天")
                actions.check_open(fu)
                actions.mark_notified([fu], user, on)
                messages.success(request, "已记录：已告知家长")
            elif action == "result":
                actions.record_result(
                    fu,
                    user,
                    kind=request.POST.get("result_kind", ""),
                    result_on=_date(request.POST.get("result_on")),
                    outcome=request.POST.get("outcome", ""),
                    hospital=request.POST.get("hospital", ""),
                    note=request.POST.get("note", ""),
                    close=request.POST.get("close") == "1",
                    today=today,
                )
                closed = fu.status == FollowUpStatus.CLOSED
                messages.success(request, "已登记结果并结案" if closed else "已登记结果")
            elif action == "close":
                actions.close(fu, user, note=request.POST.get("note", ""), today=today)
                messages.success(request, "已结案")
            else:
                raise ValidationError("未知的操作")
        except ValidationError as exc:
            errors = error_messages(exc)
            fu.refresh_from_db()
            return _detail(request, fu, today, errors=errors, posted=request.POST, status=400)
        return redirect("vision:followup", pk=fu.pk)
    return _detail(request, fu, today)


def _detail(
    request: HttpRequest,
    fu: VisionFollowUp,
    today: dt.date,
    *,
    errors: dict[str, list[str]] | None = None,
    posted: Any = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    history = (
        VisionScreening.objects.visible_to(user)
        .filter(student_id=fu.student_id)
        .select_related("school_year")
        .order_by("-screened_on", "-id")
    )
    school_sel = queries.Selection(unit=fu.school.org_unit, school=fu.school)
    context = {
        "title": "视力预警随访",
        "heading": f"视力预警随访 · {fu.student.name}",
        "subtitle": f"{fu.school.name} {fq.class_name(fu.school_class)}",
        "crumbs": [(label, list_url(p)) for label, p in queries.breadcrumbs(user, school_sel)]
        + [(fu.student.name, "")],
        "fu": fu,
        "r": row(fu, user, today),
        "history": history,
        "may_act": may_act(user) and fu.status in OPEN_STATUSES,
        "kinds": [c for c in ResultKind.choices if c[0]],
        "outcomes": [c for c in Outcome.choices if c[0]],
        "errors": errors or {},
        "posted": posted or {},
        "today": today,
        "back_url": list_url({"unit": fu.school.org_unit_id}),
    }
    return render(request, "vision/followup.html", context, status=status)


@login_required
@require_POST
def notices(request: HttpRequest) -> HttpResponse:
    """告家长书 as one PDF for the chosen follow-ups (``ids``) or a class's open ones (``class``); the open
    ones among them are marked 已告知家长 today."""
    user = request.user
    if not may_act(user):
        raise PermissionDenied("您的角色只能查看，不能打印告家长书")
    qs = VisionFollowUp.objects.visible_to(user).select_related(
        "student", "school", "school_class", "screening"
    )
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    class_id = parse_int(request.POST.get("class"))
    back = request.POST.get("next") or reverse("vision:followups")
    if not back.startswith("/"):
        back = reverse("vision:followups")
    if ids:
        chosen = list(qs.filter(pk__in=ids).order_by("school_class__number", "student__name", "id"))
        if len(chosen) != len(set(ids)):
            raise Http404("所选随访中有不存在或无权查看的记录")
    elif class_id:
        open_ones = qs.filter(school_class_id=class_id, status__in=OPEN_STATUSES)
        chosen = list(open_ones.order_by("student__name", "id"))
    else:
        chosen = []
    if not chosen:
        messages.error(request, "请先勾选学生，或选择一个有未结案随访的班级")
        return redirect(back)
    try:
        pdf = notice_pdf(chosen, user)
    except (ValueError, PdfUnavailable) as exc:
        messages.error(request, str(exc))
        return redirect(back)
    actions.mark_notified(chosen, user)
    first = chosen[0]
    one = first.student.name if len(chosen) == 1 else "所选学生"
    label = fq.class_name(first.school_class) if class_id else one
    filename = f"告家长书-{first.school.name}-{label}-{dt.date.today():%Y%m%d}.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
