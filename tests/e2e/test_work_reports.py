"""Journey: one reporting round. The bureau (admin) opens it on /work/cycles/; the 县财政局 reporter opens a
slot, files a report with a real PDF as evidence and submits; admin returns it with a comment; the reporter
reads the comment, edits and resubmits; admin accepts — 已通过 on the page.
Screenshots: /tmp/work_report*.png."""

from __future__ import annotations

import pytest
from pypdf import PdfWriter

from .journey import ensure_demo, logged_in

pytestmark = pytest.mark.e2e
YEAR = 2031  # a period the demo never opens


def small_pdf(path):
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    with open(path, "wb") as fh:
        writer.write(fh)
    return path


def test_reporting_round(live_server, browser, tmp_path):
    from edubrain.accounts.models import User
    from edubrain.work.models import Attachment, ProgressReport, ReportingCycle

    ensure_demo()
    url = live_server.url
    evidence = small_pdf(tmp_path / "资金拨付凭证.pdf")

    admin, admin_errors = logged_in(browser, url, "admin")
    admin.goto(f"{url}/work/cycles/")
    admin.wait_for_selector("#open-form")
    admin.select_option("#frequency", "half")
    admin.fill("#year", str(YEAR))
    admin.fill("#index", "1")
    admin.fill("#note", "请报送上半年任务进展并附佐证材料")
    admin.click("#open-submit")
    admin.wait_for_selector("#slot-table")
    cycle = ReportingCycle.objects.get(name=f"{YEAR}年上半年")
    assert admin.url.endswith(f"/work/cycles/{cycle.pk}/")
    admin.screenshot(path="/tmp/work_report_board.png", full_page=True)
    admin.goto(f"{url}/work/cycles/")
    assert admin.locator(f'tr[data-cycle="{cycle.pk}"] [data-expected]').inner_text() == str(
        cycle.reports.count()
    )
    admin.screenshot(path="/tmp/work_report_cycles.png", full_page=True)
    admin.goto(f"{url}/work/tasks/")
    admin.wait_for_selector("#task-tree")
    admin.screenshot(path="/tmp/work_report_admin_tasks.png", full_page=True)

    unit = User.objects.get(username="reporter").org_unit
    reporter, reporter_errors = logged_in(browser, url, "reporter")
    reporter.goto(f"{url}/work/cycles/")
    reporter.click(f'tr[data-cycle="{cycle.pk}"] a')
    reporter.wait_for_selector("#slot-table")
    own = ProgressReport.objects.filter(cycle=cycle, org_unit=unit).count()
    assert reporter.locator("#slot-table tbody tr[data-report]").count() == own
    reporter.locator("#slot-table tbody tr[data-report] a[data-open-report]").first.click()
    reporter.wait_for_selector("#report-form")
    report_id = int(reporter.url.rstrip("/").rsplit("/", 1)[1])
    reporter.fill("#narrative", "上半年已拨付专项资金 1200 万元。")
    reporter.fill("#percent", "50")
    reporter.fill("#contact", "王会计 0533-3221234")
    reporter.set_input_files("input[name=files]", str(evidence))
    reporter.click("#submit-report")
    reporter.wait_for_selector('#report-state[data-status="submitted"]')
    assert "资金拨付凭证.pdf" in reporter.locator("[data-attachments]").inner_text()
    assert Attachment.objects.filter(report_id=report_id, purpose="evidence").count() == 1

    admin.goto(f"{url}/work/reports/{report_id}/")
    admin.wait_for_selector("#review-form")
    admin.click("#return-report")  # no comment: refused
    assert "退回报告必须填写审核意见" in admin.locator("#form-errors").inner_text()
    admin.fill("#comment", "请补充资金拨付的具体项目")
    admin.click("#return-report")
    admin.wait_for_selector('#report-state[data-status="returned"]')

    reporter.reload()
    reporter.wait_for_selector('#report-state[data-status="returned"]')
    assert reporter.locator("#review-comment").inner_text() == "请补充资金拨付的具体项目"
    reporter.fill("#narrative", "上半年已拨付专项资金 1200 万元，用于校舍改造和教师培训。")
    reporter.fill("#percent", "55")
    reporter.click("#submit-report")
    reporter.wait_for_selector('#report-state[data-status="submitted"]')
    reporter.screenshot(path="/tmp/work_report_unit.png", full_page=True)

    admin.goto(f"{url}/work/reports/{report_id}/")
    admin.wait_for_selector("#review-form")
    assert "校舍改造和教师培训" in admin.locator("#report-content").inner_text()
    admin.click("#accept-report")
    admin.wait_for_selector('#report-state[data-status="accepted"]')
    assert "已通过" in admin.locator("#status-label").inner_text()
    admin.screenshot(path="/tmp/work_report_accepted.png", full_page=True)

    reporter.reload()
    assert "已通过" in reporter.locator("#status-label").inner_text()
    assert reporter.locator("#report-form").count() == 0  # accepted: read-only
    history = reporter.locator("#report-history li").evaluate_all("items => items.map(i => i.dataset.action)")
    assert history == ["submit", "return", "submit", "accept"]
    done = ProgressReport.objects.get(pk=report_id)
    reporter.goto(f"{url}/work/tasks/?cycle={cycle.pk}")
    task = reporter.locator(f'li[data-task-id="{done.task_id}"]')
    assert task.locator("[data-task-state]").inner_text() == "已通过"  # the reporter sees their own slot
    reporter.screenshot(path="/tmp/work_report_tasks.png", full_page=True)
    assert (done.status, done.times_returned, done.percent) == ("accepted", 1, 55)
    assert admin_errors == [] and reporter_errors == []
