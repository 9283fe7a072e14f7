"""Public pages of placement (namespace ``enroll``, no login): the published results per school (names and
身份证号 masked), the published 电脑派位 files anyone can re-run, and the parent's 录取通知书 (their own
application only, through ``parents``)."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from edubrain.admission import notices, parents, results
from edubrain.base.pdf import PdfUnavailable


def _json_download(document: Any, filename: str) -> HttpResponse:
    body = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True)
    response = HttpResponse(body.encode("utf-8"), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@require_GET
def results_page(request: HttpRequest, round_id: int) -> HttpResponse:
    rnd = results.published_round_or_404(round_id)
    return render(
        request,
        "admission/public/results.html",
        {
            **parents.context(request),
            "title": "录取结果公示",
            "round": rnd,
            "schools": results.public_results(rnd, request.GET.get("school", "").strip()[:10]),
            "selected": request.GET.get("school", "").strip()[:10],
        },
    )


@require_GET
def draw(request: HttpRequest, draw_id: int) -> HttpResponse:
    found = results.published_draw_or_404(draw_id)
    return _json_download(found.document, results.draw_filename(found))


@require_GET
def round_draws(request: HttpRequest, round_id: int) -> HttpResponse:
    rnd = results.published_round_or_404(round_id)
    return _json_download(results.round_document(rnd), f"派位_{rnd.year}_{rnd.stage}_全部.json")


@require_GET
@parents.parent_required
def notice(request: HttpRequest, receipt_no: str) -> HttpResponse:
    application = parents.own_application_or_404(request, receipt_no)
    notices.check_notice(application)
    if request.GET.get("format") == "pdf":
        try:
            data = notices.notice_pdf(application)
        except PdfUnavailable as exc:
            return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(
            False, notices.notice_filename(application)
        )
        return response
    return render(
        request,
        notices.TEMPLATE,
        {**parents.context(request), **notices.notice_context(application)},
    )
