"""Journey: the bureau administrator opens 报告, drops a section from the annual report's template, generates
the demo county's 2024 annual report, watches it finish and downloads the Word and PDF files. The PDF holds
the title but not the dropped section; page 1 is rendered to /tmp/report_page1.png (pdftoppm).

The job runs in the background worker process (``edubrain report-job``) against this test database; only on
an in-memory SQLite test database, which another process cannot open, does it run inline."""

from __future__ import annotations

import io
import re
import subprocess
from urllib.parse import quote

import docx
import pytest
from django.db import connection
from pypdf import PdfReader

from .journey import ensure_demo, logged_in

pytestmark = pytest.mark.e2e

DROPPED = "重点项目建设情况"


def worker_database(settings, monkeypatch, tmp_path) -> str:
    """Point the background worker at this test database and files under tmp_path; "inline" when it cannot."""
    settings.EDUBRAIN = {**settings.EDUBRAIN, "REPORT_DIR": tmp_path / "reports"}
    monkeypatch.setenv("EDUBRAIN_VAR", str(tmp_path))  # the worker's REPORT_DIR is then the same folder
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = quote(db["USER"] or "", safe="") + (
            f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
        )
        monkeypatch.setenv(
            "DATABASE_URL", f"postgres://{auth}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
        )
        return "background"
    if connection.vendor == "sqlite" and not connection.is_in_memory_db():
        monkeypatch.setenv("DATABASE_URL", f"sqlite:///{db['NAME']}")
        return "background"
    settings.EDUBRAIN = {**settings.EDUBRAIN, "REPORT_JOBS_SYNC": True}
    return "inline"


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_annual_report_journey(live_server, browser, settings, monkeypatch, tmp_path):
    from edubrain.reports.models import ReportJob, ReportTemplateText

    ensure_demo()
    mode = worker_database(settings, monkeypatch, tmp_path)
    url = live_server.url
    page, errors = logged_in(browser, url, "admin", accept_downloads=True)
    page.set_default_timeout(120_000)

    # the template: drop the key-projects section
    page.click("nav.mainnav >> text=报告")
    page.wait_for_selector("#generate-form")
    page.click('a[data-template="annual"]')
    page.wait_for_selector('#template-state[data-custom="0"]')
    text = page.input_value("#id_text")
    section = f'heading = "{DROPPED}"\nintro = ""\nenabled = true'
    assert section in text
    page.fill("#id_text", text.replace(section, section.replace("enabled = true", "enabled = false")))
    page.click("#template-save")
    page.wait_for_selector('#template-state[data-custom="1"]')
    assert "模板已保存" in page.locator(".messages").inner_text()
    assert "enabled = false" in ReportTemplateText.objects.get(kind="annual").text
    page.screenshot(path="/tmp/report_template.png", full_page=True)

    # generate the 2024 annual report and wait for it
    page.click(".crumbs >> text=报告")
    page.wait_for_selector("#generate-form")
    assert page.input_value("#id_year") == "2025"  # the last full year by default
    page.select_option("#id_kind", "annual")
    page.fill("#id_year", "2024")
    page.click("#generate-button")
    page.wait_for_url(re.compile(r".*/reports/jobs/\d+/$"))
    page.wait_for_selector('#job-progress[data-status="done"], #job-progress[data-status="failed"]')
    job = ReportJob.objects.get(kind="annual", year=2024)
    assert page.locator("#job-status").inner_text() == "已完成", job.message
    assert job.created_by.username == "admin" and job.progress == 100, mode
    page.screenshot(path="/tmp/report_job.png", full_page=True)

    with page.expect_download() as word_download:
        page.click('#job-downloads a[data-format="docx"]')
    word = word_download.value
    assert word.suggested_filename == "沂源县2024年度规划监测评估报告.docx"
    with open(word.path(), "rb") as fh:
        document = docx.Document(io.BytesIO(fh.read()))
    paragraphs = [p.text.strip() for p in document.paragraphs if p.text.strip()]
    title = next(p for p in paragraphs if "监测评估报告" in p)
    assert "2024年度" in squeeze(title)
    assert not any(p.endswith(DROPPED) for p in paragraphs)
    assert any(p.endswith("主要目标指标完成情况") for p in paragraphs)

    with page.expect_download() as pdf_download:
        page.click('#job-downloads a[data-format="pdf"]')
    pdf = pdf_download.value
    assert pdf.suggested_filename == "沂源县2024年度规划监测评估报告.pdf"
    pdf_path = tmp_path / "report.pdf"
    pdf.save_as(pdf_path)
    reader = PdfReader(io.BytesIO(pdf_path.read_bytes()))
    pdf_text = squeeze("".join(p.extract_text() for p in reader.pages))
    assert squeeze(title) in pdf_text
    assert "主要目标指标完成情况" in pdf_text and DROPPED not in pdf_text
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "110",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf_path),
            "/tmp/report_page1",
        ],
        check=True,
        timeout=60,
    )

    # the list shows the finished report with its downloads
    page.click("text=返回报告列表")
    row = page.locator(f'#job-table tr[data-job="{job.pk}"]')
    assert row.get_attribute("data-status") == "done"
    assert row.locator("a[data-format]").all_inner_texts() == ["Word", "PDF"]
    page.screenshot(path="/tmp/report_list.png", full_page=True)
    assert errors == []
