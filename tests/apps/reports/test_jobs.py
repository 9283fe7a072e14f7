"""Background report jobs (run inline with REPORT_JOBS_SYNC): a finished job keeps its Word and PDF files (the
annex its Excel file) under REPORT_DIR/<id>/; a builder that raises leaves the job failed with its message,
never running; a missing converter still keeps the Word file; the worker command runs a queued job."""

from __future__ import annotations

import datetime as dt
import io
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from edubrain.accounts.models import User
from edubrain.reports import jobs
from edubrain.reports.models import ReportJob

from .shell_support import FAKE_XLSX, demo_county, docx_text, fake_builders


@pytest.fixture
def sync(settings, tmp_path):
    settings.EDUBRAIN = {**settings.EDUBRAIN, "REPORT_DIR": tmp_path / "reports", "REPORT_JOBS_SYNC": True}
    return tmp_path / "reports"


def test_done_with_word_and_pdf(demo, sync, monkeypatch):
    calls = fake_builders(monkeypatch)
    admin = User.objects.get(username="admin")
    job = jobs.start("annual", demo_county(), 2024, admin)
    job.refresh_from_db()
    assert (job.status, job.progress, job.message, job.created_by) == ("done", 100, "", admin)
    assert job.finished_at is not None
    assert job.docx_path == f"{job.pk}/沂源县2024年度规划监测评估报告.docx"
    assert job.pdf_path == f"{job.pk}/沂源县2024年度规划监测评估报告.pdf"
    assert job.xlsx_path == ""
    word = (sync / job.docx_path).read_bytes()
    assert "主要目标指标完成情况" in docx_text(word)
    pdf = PdfReader(io.BytesIO((sync / job.pdf_path).read_bytes()))
    assert "监测评估报告" in pdf.pages[0].extract_text()
    assert jobs.job_file(job, "docx") == sync / job.docx_path and jobs.job_file(job, "xlsx") is None
    assert calls == [("annual", 2024)]


def test_annex_job_keeps_the_excel_file(demo, sync, monkeypatch):
    fake_builders(monkeypatch)
    job = jobs.start("annex", demo_county(), 2023)
    job.refresh_from_db()
    assert job.status == "done" and job.docx_path == job.pdf_path == ""
    assert (sync / job.xlsx_path).read_bytes() == FAKE_XLSX
    assert job.xlsx_path.endswith("沂源县2023年度报告数据附件.xlsx")


def test_progress_follows_the_builder(demo, sync, monkeypatch):
    fake_builders(monkeypatch)
    seen: list[tuple[int, str]] = []
    real = jobs.set_progress

    def spy(job, pct, text, **kw):
        real(job, pct, text, **kw)
        seen.append((ReportJob.objects.get(pk=job.pk).progress, text))

    monkeypatch.setattr(jobs, "set_progress", spy)
    jobs.start("fitness", demo_county(), 2024)
    # the fake builder reports 50 %: the job's 5–70 % span puts it at 37 %
    assert (37, "正在汇总测试数据") in seen
    assert [p for p, _ in seen] == sorted(p for p, _ in seen)
    assert seen[-1] == (85, "正在转换 PDF")


def test_builder_raising_leaves_the_job_failed(demo, sync, monkeypatch):
    fake_builders(monkeypatch, fail="vision")
    job = jobs.start("vision", demo_county(), 2024)
    job.refresh_from_db()
    assert job.status == "failed" and job.message == "测试：数据有误，无法生成"
    assert job.finished_at is not None and job.progress_text == "生成失败"
    assert job.docx_path == "" and not (sync / str(job.pk)).exists()


def test_missing_converter_keeps_the_word_file(demo, sync, settings, monkeypatch):
    fake_builders(monkeypatch)
    settings.EDUBRAIN = {**settings.EDUBRAIN, "SOFFICE": "/nonexistent/soffice"}
    job = jobs.start("fitness", demo_county(), 2024)
    job.refresh_from_db()
    assert job.status == "done" and job.pdf_path == "" and (sync / job.docx_path).is_file()
    assert job.message.startswith("Word 文件已生成，PDF 未生成：未找到 LibreOffice")


def test_background_start_launches_the_worker(demo, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.EDUBRAIN = {**settings.EDUBRAIN, "REPORT_DIR": tmp_path, "REPORT_JOBS_SYNC": False}
    with (
        mock.patch("edubrain.base.background.subprocess.Popen") as popen,
        django_capture_on_commit_callbacks(execute=True),
    ):
        job = jobs.start("annual", demo_county(), 2024)
        assert popen.call_count == 0  # not before the job is committed
    assert job.status == "queued"
    args = popen.call_args.args[0]
    assert args[1:] == ["-m", "edubrain.cli", "report-job", str(job.pk)]


def test_worker_command_runs_a_queued_job(demo, sync, monkeypatch):
    fake_builders(monkeypatch)
    job = ReportJob.objects.create(kind="vision", year=2024, org_unit=demo_county())
    out = io.StringIO()
    call_command("report-job", str(job.pk), stdout=out)
    job.refresh_from_db()
    assert job.status == "done" and (sync / job.docx_path).is_file()
    assert f"报告任务 {job.pk}：已完成" in out.getvalue()


def test_a_job_whose_worker_died_is_marked_failed(demo):
    from edubrain.reports.models import ReportJob

    county = demo.county
    now = timezone.now()
    fresh = ReportJob.objects.create(kind="annual", year=2024, org_unit=county, status="running")
    old = ReportJob.objects.create(kind="annual", year=2024, org_unit=county, status="running")
    done = ReportJob.objects.create(kind="annual", year=2024, org_unit=county, status="done")
    edge = now - dt.timedelta(minutes=jobs.STALE_MINUTES)
    ReportJob.objects.filter(pk__in=[old.pk, done.pk]).update(created_at=edge - dt.timedelta(seconds=1))
    ReportJob.objects.filter(pk=fresh.pk).update(created_at=edge + dt.timedelta(seconds=1))
    assert jobs.expire_stale(now) == 1
    states = dict(ReportJob.objects.filter(pk__in=[fresh.pk, old.pk, done.pk]).values_list("pk", "status"))
    assert states == {fresh.pk: "running", old.pk: "failed", done.pk: "done"}
    assert "请重新生成" in ReportJob.objects.get(pk=old.pk).message
