"""报告 API (mounted under /api, read-only, scoped like the pages):

- ``GET /reports?kind=&year=&status=``: 报告生成任务 of the user's area, newest first, with the links of their
  files (the files themselves are served by the 报告 pages, /reports/jobs/<id>/<fmt>/).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from ninja import Query, Router
from ninja.errors import HttpError
from ninja.pagination import paginate

from edubrain.base.api import ApiSchema, Choice, PagePagination, Ref, api_user, choices_help
from edubrain.reports.models import ReportJob, ReportKind

TAG = "报告"
router = Router(tags=[TAG])


class ReportJobOut(ApiSchema):
    id: int
    kind: Choice
    year: int
    org_unit: Ref
    status: Choice
    progress: int
    progress_text: str
    message: str
    created_by: str | None
    created_at: dt.datetime
    finished_at: dt.datetime | None
    downloads: dict[str, str]

    @staticmethod
    def resolve_created_by(obj: ReportJob) -> str | None:
        return obj.created_by.username if obj.created_by else None

    @staticmethod
    def resolve_downloads(obj: ReportJob) -> dict[str, str]:
        if obj.status != ReportJob.Status.DONE:
            return {}
        paths = {"docx": obj.docx_path, "pdf": obj.pdf_path, "xlsx": obj.xlsx_path}
        return {fmt: reverse("reports:download", args=[obj.pk, fmt]) for fmt, path in paths.items() if path}


def _choice(value: str | None, choices: Any, label: str) -> str | None:
    if value and value not in choices.values:
        allowed = "、".join(f"{c} {t}" for c, t in choices.choices)
        raise HttpError(422, f"{label}“{value}”无效，应为：{allowed}")
    return value


@router.get("/reports", response=list[ReportJobOut], summary="报告生成任务列表", operation_id="list_reports")
@paginate(PagePagination)
def reports(
    request: Any,
    kind: str | None = Query(None, description=choices_help("报告类型", ReportKind)),
    year: int | None = Query(None, description="报告年度"),
    status: str | None = Query(None, description=choices_help("状态", ReportJob.Status)),
) -> Any:
    """当前用户数据权限范围内的报告生成任务（最新的在前），含已生成文件的下载地址；分页返回。"""
    rows = ReportJob.objects.visible_to(api_user(request)).select_related("org_unit", "created_by")
    if _choice(kind, ReportKind, "报告类型"):
        rows = rows.filter(kind=kind)
    if year is not None:
        rows = rows.filter(year=year)
    if _choice(status, ReportJob.Status, "状态"):
        rows = rows.filter(status=status)
    return rows
