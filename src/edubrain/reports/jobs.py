"""报告生成任务 in the background: ``start`` records a ``ReportJob`` and runs ``edubrain report-job ID``
in its own process (it outlives the request); ``run`` builds the document, stores the .docx and the .pdf
(the data annex: the .xlsx) under ``EDUBRAIN["REPORT_DIR"]/<id>/`` and keeps ``progress``/``progress_text``
current so the page can poll. With ``settings.EDUBRAIN["REPORT_JOBS_SYNC"]`` the job runs inline (tests)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from edubrain.base.background import spawn
from edubrain.base.orgtree import OrgUnit
from edubrain.reports import service
from edubrain.reports.models import ReportJob

Status = ReportJob.Status


def report_dir() -> Path:
    return Path(settings.EDUBRAIN["REPORT_DIR"])


def job_file(job: ReportJob, fmt: str) -> Path | None:
    """The stored file of ``fmt`` ("docx"|"pdf"|"xlsx"), None when the job has none (or it is gone)."""
    rel = {"docx": job.docx_path, "pdf": job.pdf_path, "xlsx": job.xlsx_path}.get(fmt, "")
    if not rel:
        return None
    path = report_dir() / rel
    return path if path.is_file() else None


def set_progress(job: ReportJob, pct: int, text: str, *, status: str | None = None) -> None:
    """Store progress at once (an UPDATE of a few columns, visible to the page polling it)."""
    job.progress, job.progress_text = max(0, min(100, int(pct))), text[:200]
    fields: dict[str, Any] = {"progress": job.progress, "progress_text": job.progress_text}
    if status:
        job.status = fields["status"] = status
    ReportJob.objects.filter(pk=job.pk).update(**fields)


def _scaled(job: ReportJob, low: int, high: int) -> service.Progress:
    """A builder's progress (0–100) mapped onto ``low``–``high`` of the job."""

    def progress(pct: int, text: str) -> None:
        set_progress(job, low + (high - low) * max(0, min(100, int(pct))) // 100, text)

    return progress


def _write(job: ReportJob, fmt: str, data: bytes) -> str:
    name = service.file_name(job.kind, job.org_unit, job.year, fmt)
    rel = f"{job.pk}/{name}"
    path = report_dir() / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return rel


def _make(job: ReportJob) -> None:
    if job.kind == "annex":
        data = service.build_annex(job.org_unit, job.year, _scaled(job, 5, 95))
        job.xlsx_path = _write(job, "xlsx", data)
        return
    doc = service.build(job.kind, job.org_unit, job.year, _scaled(job, 5, 70))
    set_progress(job, 75, "正在排版 Word 文档")
    docx = service.render_docx(doc)
    job.docx_path = _write(job, "docx", docx)
    job.save(update_fields=["docx_path"])
    set_progress(job, 85, "正在转换 PDF")
    try:
        job.pdf_path = _write(job, "pdf", service.docx_to_pdf(docx))
    except service.PdfUnavailable as exc:  # the Word file is still worth having
        job.message = f"Word 文件已生成，PDF 未生成：{exc.message}"


def run(job: ReportJob) -> ReportJob:
    """Make the job's files; it always ends ``done`` (with paths) or ``failed`` (with a Chinese message)."""
    job = ReportJob.objects.select_related("org_unit").get(pk=job.pk)
    folder = report_dir() / str(job.pk)
    shutil.rmtree(folder, ignore_errors=True)  # a rerun (or an old database's id) starts clean
    job.docx_path = job.pdf_path = job.xlsx_path = job.message = ""
    job.save(update_fields=["docx_path", "pdf_path", "xlsx_path", "message"])
    set_progress(job, 2, "开始生成", status=Status.RUNNING)
    try:
        _make(job)
    except Exception as exc:  # noqa: BLE001 - the job must always end in a visible state
        job.status, job.finished_at = Status.FAILED, timezone.now()
        job.message = str(getattr(exc, "message", None) or exc) or "报告生成失败"
        job.progress_text = "生成失败"
        job.save()
        return job
    job.status, job.progress, job.progress_text = Status.DONE, 100, "已完成"
    job.finished_at = timezone.now()
    job.save()
    return job


def run_id(job_id: int) -> ReportJob:
    return run(ReportJob.objects.get(pk=job_id))


def start(kind: str, org_unit: OrgUnit, year: int, user: Any = None) -> ReportJob:
    """Record the job and start it (in its own process, or inline with ``REPORT_JOBS_SYNC``)."""
    if kind not in service.FORMATS:
        raise service.ReportError(f"未知的报告类型“{kind}”，应为：{'、'.join(service.FORMATS)}")
    job = ReportJob.objects.create(
        kind=kind,
        year=year,
        org_unit=org_unit,
        created_by=user if getattr(user, "pk", None) else None,
        progress_text="已排队，等待后台生成",
    )
    if settings.EDUBRAIN.get("REPORT_JOBS_SYNC"):
        return run(job)

    def launch() -> None:  # after the commit, so the worker sees the job
        try:
            spawn("report-job", str(job.pk))
        except OSError as exc:
            ReportJob.objects.filter(pk=job.pk).update(
                status=Status.FAILED, finished_at=timezone.now(), message=f"无法启动后台生成：{exc}"
            )

    transaction.on_commit(launch)
    return job


STALE_MINUTES = 30  # a report takes seconds; a job still unfinished after this lost its worker process


def expire_stale(now: Any = None) -> int:
    """Mark queued or running jobs older than ``STALE_MINUTES`` failed (their worker process died — the
    server restarted, the machine rebooted); returns how many. Called when the pages list or poll jobs."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(minutes=STALE_MINUTES)
    return ReportJob.objects.filter(status__in=(Status.QUEUED, Status.RUNNING), created_at__lt=cutoff).update(
        status=Status.FAILED,
        finished_at=now,
        message=f"生成进程已中断（超过 {STALE_MINUTES} 分钟未完成），请重新生成",
    )
