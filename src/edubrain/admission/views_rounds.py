"""网上招生 staff pages of rounds (namespace ``admission``): the rounds list with the bureau's
新建招生批次 form, one round (settings, 开始/结束报名, 招生计划, 招生类别, the placement panel)
and its 招生片区 (import, export, add, delete). The bureau writes; schools and leaders read."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from edubrain.accounts.models import is_bureau
from edubrain.admission import areas as area_service
from edubrain.admission import queries
from edubrain.admission import rounds as round_service
from edubrain.admission.models import AdmissionRound, CatchmentArea, Stage
from edubrain.admission.rounds import may_manage
from edubrain.admission.views_common import run_action
from edubrain.base.orgtree import OrgKind, OrgUnit
from edubrain.base.scoping import get_visible_or_404
from edubrain.base.validation import error_messages

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Status = AdmissionRound.Status


def _date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw.strip()) if raw and raw.strip() else None
    except ValueError:
        return None


def _number(raw: str | None) -> int | None:
    text = (raw or "").strip()
    return int(text) if text.isdigit() else None


def _counties(user: Any) -> list[OrgUnit]:
    return list(OrgUnit.objects.visible_to(user).filter(kind=OrgKind.COUNTY).order_by("path"))


def _crumbs(round_: AdmissionRound | None = None, *more: tuple[str, str]) -> list[tuple[str, str]]:
    crumbs = [("网上招生", reverse("admission:index"))]
    if round_ is not None:
        crumbs.append((round_.name, reverse("admission:round", args=[round_.pk])))
    return crumbs + list(more)


# ---------------------------------------------------------------- rounds list and create


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    bureau = is_bureau(user)
    counties = _counties(user) if bureau else []
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        if not bureau or not counties:
            raise PermissionDenied("只有教育局工作人员可以新建招生批次")
        chosen = _number(request.POST.get("county"))
        county = next((c for c in counties if c.pk == chosen), counties[0])
        try:
            created = round_service.create_round(
                county,
                year=_number(request.POST.get("year")),  # type: ignore[arg-type]
                stage=request.POST.get("stage", ""),
                opens_on=_date(request.POST.get("opens_on")),  # type: ignore[arg-type]
                closes_on=_date(request.POST.get("closes_on")),  # type: ignore[arg-type]
                user=user,
                name=request.POST.get("name", ""),
            )
        except ValidationError as exc:
            errors = error_messages(exc)
        else:
            messages.success(request, f"已新建“{created.name}”，请核对招生片区和招生计划后开始报名")
            return redirect("admission:round", pk=created.pk)
    today = timezone.localdate()
    context = {
        "title": "网上招生",
        "heading": "义务教育入学网上办",
        "subtitle": "招生批次、招生片区、招生计划、报名审核与电脑派位",
        "crumbs": [("网上招生", "")],
        "rows": queries.round_rows(user),
        "may_create": bureau and bool(counties),
        "counties": counties,
        "stages": Stage.choices,
        "errors": errors,
        "posted": request.POST if errors else {},
        "next_year": today.year if today.month < 9 else today.year + 1,
    }
    return render(request, "admission/staff/index.html", context, status=400 if errors else 200)


# ---------------------------------------------------------------- one round


def _round_context(
    request: HttpRequest, round_: AdmissionRound, errors: dict[str, list[str]]
) -> dict[str, Any]:
    user = request.user
    manage = may_manage(user, round_)
    status = Status(round_.status)
    tiers = round_service.round_tiers(round_)
    posted = request.POST if errors else {}
    return {
        "title": round_.name,
        "heading": round_.name,
        "subtitle": f"{round_.county.name} · {round_.get_stage_display()} · "
        f"报名 {round_.opens_on:%Y-%m-%d} 至 {round_.closes_on:%Y-%m-%d} · {status.label}",
        "crumbs": _crumbs(None, (round_.name, "")),
        "actions": [
            ("招生片区", reverse("admission:areas", args=[round_.pk]), ""),
            ("报名审核", reverse("admission:applications", args=[round_.pk]), "primary"),
        ],
        "round": round_,
        "quota_rows": queries.quota_rows(user, round_),
        "may_manage": manage,
        "may_open": manage and Status.OPEN in round_service.TRANSITIONS.get(status, ()),
        "may_close": manage and Status.CLOSED in round_service.TRANSITIONS.get(status, ()),
        "quotas_editable": manage and status in round_service.QUOTA_EDITABLE,
        "tiers_editable": manage and status in round_service.TIERS_EDITABLE,
        "tiers": tiers,
        "tiers_text": posted.get("tiers", "") if posted else "\n".join(f"{t.code} {t.label}" for t in tiers),
        "categories_text": posted.get("policy_categories", "")
        if posted
        else "\n".join(round_.policy_categories or []),
        "area_count": round_.areas.count(),
        "errors": errors,
    }


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = queries.round_or_404(request.user, pk)
    return render(request, "admission/staff/round.html", _round_context(request, round_, {}))


def _round_post(request: HttpRequest, pk: int, action: Any, success: str) -> HttpResponse:
    """Run a bureau action on the round; errors re-render the round page (400)."""
    round_ = queries.round_or_404(request.user, pk)
    round_service.require_round_admin(request.user, round_)
    return run_action(
        request,
        lambda: action(round_),
        template="admission/staff/round.html",
        context=lambda errors: _round_context(request, round_, errors),
        success=success,
        target=reverse("admission:round", args=[round_.pk]),
    )


@login_required
@require_POST
def round_status(request: HttpRequest, pk: int) -> HttpResponse:
    target = request.POST.get("status", "")
    label = "已开始报名" if target == Status.OPEN else "已结束报名"
    return _round_post(request, pk, lambda r: round_service.set_status(r, target, request.user), label)


@login_required
@require_POST
def round_quotas(request: HttpRequest, pk: int) -> HttpResponse:
    places = {
        int(k.removeprefix("places-")): v
        for k, v in request.POST.items()
        if k.startswith("places-") and k.removeprefix("places-").isdigit()
    }

    def save(r: AdmissionRound) -> None:
        n = round_service.update_quotas(r, request.user, places)
        messages.info(request, f"修改了 {n} 所学校的计划招生数")

    return _round_post(request, pk, save, "招生计划已保存")


@login_required
@require_POST
def round_tiers(request: HttpRequest, pk: int) -> HttpResponse:
    return _round_post(
        request,
        pk,
        lambda r: round_service.update_tiers(
            r,
            request.user,
            tiers_text=request.POST.get("tiers", ""),
            categories_text=request.POST.get("policy_categories", ""),
        ),
        "招生类别和优抚对象类别已保存",
    )


# ---------------------------------------------------------------- 招生片区


def _areas_context(
    request: HttpRequest, round_: AdmissionRound, errors: dict[str, list[str]]
) -> dict[str, Any]:
    q = request.GET.get("q", "").strip()[:40]
    groups = queries.areas(round_, q)
    manage = may_manage(request.user, round_) and round_.status not in area_service.LOCKED
    return {
        "title": f"招生片区 · {round_.name}",
        "heading": "招生片区",
        "subtitle": f"{round_.name}：每个社区/村/小区对口的公办学校",
        "crumbs": _crumbs(round_, ("招生片区", "")),
        "actions": [("导出片区", reverse("admission:areas-export", args=[round_.pk]), "")],
        "round": round_,
        "groups": groups,
        "count": sum(len(a) for _, a in groups),
        "q": q,
        "may_manage": manage,
        "towns": OrgUnit.objects.filter(parent=round_.county, kind=OrgKind.TOWN).order_by(
            "sort_order", "name"
        )
        if manage
        else [],
        "schools": area_service.zone_schools(round_) if manage else [],
        "kinds": CatchmentArea.Kind.choices,
        "headers": area_service.HEADERS,
        "sheet": area_service.SHEET,
        "errors": errors,
        "posted": request.POST if errors else {},
    }


@login_required
def area_list(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = queries.round_or_404(request.user, pk)
    return render(request, "admission/staff/areas.html", _areas_context(request, round_, {}))


def _areas_post(request: HttpRequest, pk: int, action: Any) -> HttpResponse:
    round_ = queries.round_or_404(request.user, pk)
    round_service.require_round_admin(request.user, round_, "修改招生片区")
    return run_action(
        request,
        lambda: action(round_),
        template="admission/staff/areas.html",
        context=lambda errors: _areas_context(request, round_, errors),
        success="招生片区已更新",
        target=reverse("admission:areas", args=[round_.pk]),
    )


@login_required
@require_POST
def area_import(request: HttpRequest, pk: int) -> HttpResponse:
    def run(r: AdmissionRound) -> str:
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": "请选择要导入的招生片区文件（Excel 或 CSV）"})
        n = area_service.import_areas(r, request.user, upload)
        return f"已导入招生片区：新增 {n['created']} 个，修改 {n['updated']} 个，删除 {n['deleted']} 个"

    return _areas_post(request, pk, run)


@login_required
@require_POST
def area_add(request: HttpRequest, pk: int) -> HttpResponse:
    def run(r: AdmissionRound) -> str:
        area = area_service.add_area(
            r,
            request.user,
            town_id=request.POST.get("town"),
            name=request.POST.get("name", ""),
            kind=request.POST.get("kind", ""),
            school_id=request.POST.get("school"),
        )
        return f"已添加片区“{area}”"

    return _areas_post(request, pk, run)


@login_required
@require_POST
def area_delete(request: HttpRequest, pk: int, area_pk: int) -> HttpResponse:
    def run(r: AdmissionRound) -> str:
        area = get_visible_or_404(CatchmentArea, request.user, round=r, pk=area_pk)
        label = str(area)
        area_service.delete_area(area, request.user)
        return f"已删除片区“{label}”"

    return _areas_post(request, pk, run)


@login_required
def area_export(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = queries.round_or_404(request.user, pk)
    response = HttpResponse(area_service.export_bytes(round_), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, f"{round_.name}招生片区.xlsx")
    return response
