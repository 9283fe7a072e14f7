"""报告 pages: generate a report (in the background), follow its progress, download its files, and edit the
county's report templates.

Who: the bureau (教育局管理员/工作人员) and leaders see the reports of their area; only the bureau generates
reports and edits templates (``work.access.is_bureau``); everyone else gets 403. A job outside the user's
area is a 404 (``visible_to``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from edubrain.accounts.models import Role
from edubrain.base.orgtree import OrgKind, OrgUnit
from edubrain.base.scoping import get_visible_or_404
from edubrain.core.report.template import KIND_LABELS, PLACEHOLDERS, SECTION_KEYS, default_template
from edubrain.reports import jobs, service
from edubrain.reports.forms import GenerateForm, TemplateForm
from edubrain.reports.models import ReportJob
from edubrain.work.access import is_bureau

PLACEHOLDER_LABELS = {
    "year": "报告年度（如 2024）",
    "county": "县名（如 沂源县）",
    "issuer": "落款单位",
    "today": "成文日期",
    "plan": "规划名称（仅年度报告）",
}
FORMAT_ORDER = ("docx", "pdf", "xlsx")


def may_view(user: Any) -> bool:
    if is_bureau(user):
        return True
    return bool(user.is_active and user.role == Role.LEADER and user.scope_unit() is not None)


def _viewer(request: HttpRequest) -> None:
    if not may_view(request.user):
        raise PermissionDenied("只有教育局工作人员和领导可以查看报告")


def _writer(request: HttpRequest) -> None:
    if not is_bureau(request.user):
        raise PermissionDenied("只有教育局工作人员可以生成报告或修改报告模板")


def counties(user: Any) -> list[OrgUnit]:
    """The counties the user may write reports for (their own, or those below a city/province)."""
    return list(OrgUnit.objects.visible_to(user).filter(kind=OrgKind.COUNTY).order_by("path"))


def _county(request: HttpRequest) -> OrgUnit:
    choices = counties(request.user)
    wanted = request.GET.get("county") or request.POST.get("county")
    if wanted:
        found = next((c for c in choices if str(c.pk) == wanted), None)
        if found is None:
            raise Http404("没有该县（区），或您无权查看")
        return found
    if not choices:
        raise PermissionDenied("您的账号不属于任何县（区），不能编辑报告模板")
    return choices[0]


def downloads(job: ReportJob) -> list[dict[str, str]]:
    paths = {"docx": job.docx_path, "pdf": job.pdf_path, "xlsx": job.xlsx_path}
    return [
        {
            "fmt": fmt,
            "label": service.FORMAT_LABELS[fmt],
            "url": reverse("reports:download", args=[job.pk, fmt]),
        }
        for fmt in FORMAT_ORDER
        if paths[fmt] and job.status == ReportJob.Status.DONE
    ]


def _status(job: ReportJob) -> dict[str, Any]:
    return {
        "id": job.pk,
        "status": job.status,
        "status_label": job.get_status_display(),
        "progress": job.progress,
        "progress_text": job.progress_text,
        "message": job.message,
        "finished": job.status in (ReportJob.Status.DONE, ReportJob.Status.FAILED),
        "downloads": downloads(job),
    }


@login_required
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    _viewer(request)
    writer = is_bureau(request.user)
    form = GenerateForm(counties=counties(request.user) if writer else [])
    if request.method == "POST":
        _writer(request)
        form = GenerateForm(request.POST, counties=counties(request.user))
        if form.is_valid():
            data = form.cleaned_data
            try:
                job = jobs.start(data["kind"], data["county"], data["year"], request.user)
            except service.ReportError as exc:
                form.add_error(None, exc.message)
            else:
                return redirect("reports:job", job.pk)
    jobs.expire_stale()
    rows = ReportJob.objects.visible_to(request.user).select_related("org_unit", "created_by")[:50]
    context = {
        "title": "报告",
        "heading": "报告",
        "form": form,
        "writer": writer,
        "jobs": [{"job": job, "downloads": downloads(job)} for job in rows],
        "template_kinds": list(KIND_LABELS.items()),
    }
    return render(request, "reports/index.html", context)


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _viewer(request)
    job = get_visible_or_404(ReportJob, request.user, pk=pk)
    context = {
        "title": str(job),
        "heading": f"{job.org_unit.name}{job}",
        "job": job,
        "state": _status(job),
        "status_url": reverse("reports:job-status", args=[job.pk]),
    }
    return render(request, "reports/job.html", context)


@login_required
def job_status(request: HttpRequest, pk: int) -> JsonResponse:
    _viewer(request)
    jobs.expire_stale()
    job = get_visible_or_404(ReportJob, request.user, pk=pk)
    return JsonResponse(_status(job), json_dumps_params={"ensure_ascii": False})


@login_required
def download(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    _viewer(request)
    job = get_visible_or_404(ReportJob, request.user, pk=pk)
    path = jobs.job_file(job, fmt) if job.status == ReportJob.Status.DONE else None
    if path is None:
        raise Http404("该报告没有此格式的文件")
    name = service.file_name(job.kind, job.org_unit, job.year, fmt)
    response = FileResponse(path.open("rb"), as_attachment=True, filename=name)
    response["Content-Type"] = service.CONTENT_TYPES[fmt]
    return response


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, kind: str) -> HttpResponse:
    _viewer(request)
    if kind not in KIND_LABELS:
        raise Http404("没有这种报告模板")
    writer = is_bureau(request.user)
    county = _county(request)
    text, custom = service.template_text(county, kind)
    form = TemplateForm(initial={"text": text})
    if request.method == "POST":
        _writer(request)
        if request.POST.get("action") == "reset":
            service.reset_template(county, kind)
            messages.success(request, "已恢复默认模板")
            return redirect(_template_url(kind, county, request))
        form = TemplateForm(request.POST)
        if form.is_valid():
            try:
                service.save_template(county, kind, form.cleaned_data["text"], request.user)
            except ValidationError as exc:
                form.add_error("text", exc)
            else:
                messages.success(request, "模板已保存，下次生成报告时生效")
                return redirect(_template_url(kind, county, request))
    defaults = default_template(kind)
    context = {
        "title": f"报告模板 · {KIND_LABELS[kind]}",
        "heading": f"报告模板：{KIND_LABELS[kind]}",
        "kind": kind,
        "county": county,
        "counties": counties(request.user),
        "form": form,
        "custom": custom,
        "writer": writer,
        "template_kinds": list(KIND_LABELS.items()),
        "placeholders": [(f"{{{p}}}", PLACEHOLDER_LABELS[p]) for p in PLACEHOLDERS],
        "sections": [(s.key, s.heading) for s in defaults.sections if s.key in SECTION_KEYS[kind]],
    }
    return render(request, "reports/template.html", context)


def _template_url(kind: str, county: OrgUnit, request: HttpRequest) -> str:
    url = reverse("reports:template", args=[kind])
    return f"{url}?county={county.pk}" if len(counties(request.user)) > 1 else url
