"""报名审核 pages (namespace ``admission``): a round's review queue, one application with its documents, its
timeline and the reviewer's forms (要求补充材料, 审核通过, 审核不通过), and the documents themselves. A school
sees only its own applications; personal numbers are masked unless the viewer may see personal data."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from edubrain.admission import queries, review
from edubrain.admission.models import Application, ApplicationDocument
from edubrain.admission.rounds import round_tiers
from edubrain.admission.views_common import run_action
from edubrain.base.masking import may_see_personal, show_id_number
from edubrain.base.scoping import get_visible_or_404
from edubrain.core.enrollment.tiers import tier_label
from edubrain.core.ids import mask_phone

Status = Application.Status
#: the document kinds a reviewer may ask for
REQUESTABLE = ApplicationDocument.Kind.choices


@login_required
def application_list(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    round_ = queries.round_or_404(user, pk)
    f = queries.QueueFilter.from_query(request.GET)
    page = Paginator(queries.queue(user, round_, f), queries.PAGE_SIZE).get_page(request.GET.get("page"))
    tiers = round_tiers(round_)
    personal = may_see_personal(user)
    rows = [
        {
            "app": a,
            "id_number": show_id_number(user, a.child_id_number),
            "tier": tier_label(a.tier, tiers),
        }
        for a in page.object_list
    ]
    schools = [r.school for r in queries.quota_rows(user, round_)]
    context = {
        "title": f"报名审核 · {round_.name}",
        "heading": "报名审核",
        "subtitle": f"{round_.name}：待审核的申请按提交时间先后排在最前",
        "crumbs": [
            ("网上招生", reverse("admission:index")),
            (round_.name, reverse("admission:round", args=[round_.pk])),
            ("报名审核", ""),
        ],
        "round": round_,
        "rows": rows,
        "page": page,
        "filter": f,
        "query": urlencode(f.params()),
        "statuses": Status.choices,
        "schools": schools,
        "tiers": tiers,
        "personal": personal,
    }
    return render(request, "admission/staff/applications.html", context)


def _application(request: HttpRequest, app_pk: int) -> Application:
    found = (
        Application.objects.visible_to(request.user)
        .select_related(
            "round__county", "area__town", "zone_school", "choice_school", "school", "admitted_school"
        )
        .filter(pk=app_pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def _detail_context(request: HttpRequest, app: Application, errors: dict[str, list[str]]) -> dict[str, Any]:
    user = request.user
    round_ = app.round
    tiers = round_tiers(round_)
    personal = may_see_personal(user)
    allowed = review.may_review(user, app)
    documents = list(ApplicationDocument.objects.visible_to(user).filter(application=app))
    events = list(app.events.select_related("actor").order_by("at", "id"))
    return {
        "title": f"{app.receipt_no} {app.child_name}",
        "heading": f"入学申请 {app.receipt_no}",
        "subtitle": f"{round_.name} · {app.school.name}",
        "crumbs": [
            ("网上招生", reverse("admission:index")),
            (round_.name, reverse("admission:round", args=[round_.pk])),
            ("报名审核", reverse("admission:applications", args=[round_.pk])),
            (app.receipt_no, ""),
        ],
        "app": app,
        "round": round_,
        "child_id": show_id_number(user, app.child_id_number),
        "guardian_id": show_id_number(user, app.guardian_id_number),
        "guardian2_id": show_id_number(user, app.guardian2_id_number) if app.guardian2_id_number else "",
        "phone": app.phone if personal else mask_phone(app.phone),
        "tier": tier_label(app.tier, tiers),
        "tiers": tiers,
        "computed_tier": review.computed_tier(app),
        "documents": documents,
        "events": events,
        "may_review": allowed,
        "may_request": allowed and app.status == Status.SUBMITTED and _round_live(app),
        "may_approve": allowed and app.status == Status.SUBMITTED and _round_live(app),
        "may_reject": allowed and app.status in (Status.SUBMITTED, Status.MORE) and _round_live(app),
        "kinds": REQUESTABLE,
        "errors": errors,
        "posted": request.POST if errors else {},
        "posted_kinds": request.POST.getlist("kinds") if errors else [],
    }


def _round_live(app: Application) -> bool:
    return app.round.status not in review.CLOSED_ROUND


@login_required
def application_detail(request: HttpRequest, app_pk: int) -> HttpResponse:
    app = _application(request, app_pk)
    return render(request, "admission/staff/application.html", _detail_context(request, app, {}))


def _decide(request: HttpRequest, app_pk: int, action: Any, done: str) -> HttpResponse:
    app = _application(request, app_pk)
    if not review.may_review(request.user, app):
        raise PermissionDenied("您没有审核这份申请的权限")

    def page(errors: list[str]) -> dict[str, Any]:
        app.refresh_from_db()
        return _detail_context(request, app, errors)

    return run_action(
        request,
        lambda: action(app),
        template="admission/staff/application.html",
        context=page,
        success=done,
        target=reverse("admission:application", args=[app.pk]),
    )


@login_required
@require_POST
def application_request(request: HttpRequest, app_pk: int) -> HttpResponse:
    return _decide(
        request,
        app_pk,
        lambda a: review.request_more(
            a, request.user, request.POST.get("reason", ""), request.POST.getlist("kinds")
        ),
        "已要求家长补充材料，并已短信通知家长",
    )


@login_required
@require_POST
def application_approve(request: HttpRequest, app_pk: int) -> HttpResponse:
    return _decide(
        request,
        app_pk,
        lambda a: review.approve(
            a, request.user, tier=request.POST.get("tier") or None, note=request.POST.get("note", "")
        ),
        "审核通过，已短信通知家长",
    )


@login_required
@require_POST
def application_reject(request: HttpRequest, app_pk: int) -> HttpResponse:
    return _decide(
        request,
        app_pk,
        lambda a: review.reject(a, request.user, request.POST.get("reason", "")),
        "已审核不通过，并已短信通知家长",
    )


@login_required
def document(request: HttpRequest, doc_pk: int) -> FileResponse:
    """A document's image, inline, only inside the viewer's scope."""
    doc = get_visible_or_404(ApplicationDocument, request.user, pk=doc_pk)
    response = FileResponse(
        doc.file.open("rb"), as_attachment=False, filename=doc.name, content_type=doc.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    response["Cache-Control"] = "private, no-store"
    return response
