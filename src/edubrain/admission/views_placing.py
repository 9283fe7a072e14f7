"""派位 staff pages (namespace ``admission``): run placement and publish (bureau, POST from the round page's
placement panel), the round's draws, the results per school (scoped: a school sees its own list) and the
admitted list as the new school year's 班级/学生 import workbook."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from edubrain.admission import exports, placing, queries, results
from edubrain.admission.models import AdmissionRound
from edubrain.admission.rounds import may_manage
from edubrain.base.masking import may_see_personal
from edubrain.base.scoping import get_visible_or_404
from edubrain.base.validation import error_messages
from edubrain.registry.models import School

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _round_url(pk: int) -> str:
    return reverse("admission:round", args=[pk])


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for texts in error_messages(exc).values():
        for text in texts:
            messages.error(request, text)


def _crumbs(rnd: AdmissionRound, label: str) -> list[tuple[str, str]]:
    return [("网上招生", reverse("admission:index")), (rnd.name, _round_url(rnd.pk)), (label, "")]


@login_required
@require_POST
def place(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = queries.round_or_404(request.user, pk)
    try:
        summary = placing.run_placement(rnd, request.user, seed=request.POST.get("seed", ""))
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(
            request,
            f"派位完成：录取{summary.admitted}人，未录取{summary.not_admitted}人，"
            f"电脑派位{summary.draws}场（种子：{summary.seed}）。核对无误后请公布结果。",
        )
    return redirect(_round_url(rnd.pk))


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = queries.round_or_404(request.user, pk)
    try:
        sent = placing.publish(rnd, request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, f"录取结果已公布，已向{sent}位家长发送短信通知。")
    return redirect(_round_url(rnd.pk))


@login_required
def draws(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = queries.round_or_404(request.user, pk)
    rows = results.draws_of(rnd)
    return render(
        request,
        "admission/staff/draws.html",
        {
            "title": f"电脑派位 · {rnd.name}",
            "heading": "电脑派位记录",
            "subtitle": rnd.name,
            "crumbs": _crumbs(rnd, "电脑派位"),
            "actions": [("全部派位数据（JSON）", reverse("enroll:round-draws", args=[rnd.pk]), "")]
            if rnd.status == AdmissionRound.Status.PUBLISHED
            else [],
            "round": rnd,
            "rows": [(d, results.draw_tier_label(d)) for d in rows],
            "published": rnd.status == AdmissionRound.Status.PUBLISHED,
        },
    )


@login_required
def results_page(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = queries.round_or_404(request.user, pk)
    schools, refused = results.staff_results(rnd, request.user)
    actions = []
    if may_see_personal(request.user) and rnd.status in exports.EXPORTABLE:
        actions.append(("导出录取名单（班级/学生导入表）", reverse("admission:export", args=[rnd.pk]), ""))
    if rnd.status == AdmissionRound.Status.PUBLISHED:
        actions.append(("公开结果页", reverse("enroll:results", args=[rnd.pk]), ""))
    return render(
        request,
        "admission/staff/results.html",
        {
            "title": f"录取结果 · {rnd.name}",
            "heading": "录取结果",
            "subtitle": f"{rnd.name}（{rnd.get_status_display()}）",
            "crumbs": _crumbs(rnd, "录取结果"),
            "actions": actions,
            "round": rnd,
            "schools": schools,
            "refused": refused,
            "placed": rnd.status in exports.EXPORTABLE,
            "may_export": may_see_personal(request.user),
            "bureau": may_manage(request.user, rnd),
        },
    )


@login_required
def export(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = queries.round_or_404(request.user, pk)
    raw = request.GET.get("school", "").strip()
    school = get_visible_or_404(School, request.user, pk=int(raw)) if raw.isdigit() else None
    try:
        data = exports.admitted_workbook(rnd, request.user, school)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect(reverse("admission:results", args=[rnd.pk]))
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, exports.workbook_filename(rnd, school))
    return response
