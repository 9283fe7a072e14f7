"""Journey: the headmaster's office works the 视力预警随访 — from 视力监测 to the open list, prints the
class's 告家长书 (one PDF), records a hospital result (a missing hospital refused first), closes the
follow-up; the county leader then sees the overdue ones per 镇/街道. Screenshots: /tmp/followup*.png."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from .journey import ensure_demo, logged_in

pytestmark = pytest.mark.e2e


def open_class():
    """Re-open the follow-ups of one class of the demo school (so the journey has work), one overdue."""
    from edubrain.accounts.models import User
    from edubrain.vision.models import FollowUpStatus, VisionFollowUp

    school = User.objects.get(username="school").org_unit.school
    latest = VisionFollowUp.objects.filter(school=school, school_class__isnull=False).order_by(
        "-opened_on", "school_class__number"
    ).first()
    assert latest is not None, "the demo school has follow-ups"
    in_class = VisionFollowUp.objects.filter(school_class=latest.school_class).exclude(
        status=FollowUpStatus.SUPERSEDED
    )
    today = dt.date.today()
    in_class.update(
        status=FollowUpStatus.OPEN, notified_on=None, result_kind="", result_on=None, hospital="", outcome="",
        closed_on=None, closed_by=None, opened_on=today, due_on=today + dt.timedelta(days=30),
    )
    overdue = in_class.order_by("id").first()
    VisionFollowUp.objects.filter(pk=overdue.pk).update(due_on=today - dt.timedelta(days=5))
    return latest.school_class, in_class.count(), overdue


def test_followup_journey(live_server, browser):
    from edubrain.vision.followup_queries import class_name
    from edubrain.vision.models import VisionFollowUp

    ensure_demo()
    klass, in_class, overdue = open_class()
    url = live_server.url
    page, errors = logged_in(browser, url, "school", accept_downloads=True)

    page.click("nav.mainnav >> text=视力监测")
    page.click(".head-actions >> text=预警随访")
    page.wait_for_selector("#followup-table")
    assert int(page.locator('[data-figure="open"] .figure-value').inner_text()) >= in_class
    page.select_option("#class-select", str(klass.pk))
    page.wait_for_url(f"**class={klass.pk}**")
    rows = page.locator("#followup-table tbody tr[data-followup]")
    assert rows.count() == in_class
    assert page.locator(f'tr[data-followup="{overdue.pk}"] [data-overdue]').inner_text() == "逾期 5 天"

    with page.expect_download() as download:
        page.click("#print-class")
    pdf = download.value
    assert pdf.suggested_filename.endswith(".pdf") and class_name(klass) in pdf.suggested_filename
    with open(pdf.path(), "rb") as fh:
        reader = PdfReader(io.BytesIO(fh.read()))
    assert len(reader.pages) == in_class
    assert "视力筛查结果告家长书" in reader.pages[0].extract_text()
    printed = VisionFollowUp.objects.filter(school_class=klass, status__in=["open", "notified"])
    assert set(printed.values_list("status", flat=True)) == {"notified"}
    page.reload()
    page.screenshot(path="/tmp/followup_list.png", full_page=True)
    assert page.locator(f'tr[data-followup="{overdue.pk}"] [data-overdue]').count() == 1  # still owed

    page.click(f'tr[data-followup="{overdue.pk}"] th a')
    page.wait_for_selector("#result-form")
    page.select_option("#result_kind", "hospital")
    page.fill("#result_on", dt.date.today().isoformat())
    page.select_option("#outcome", "myopia_corrected")
    page.click("#result-form button[type=submit]")
    assert "医院就诊（转诊）请填写就诊医院" in page.locator("#form-errors").inner_text()
    page.fill("#hospital", "沂源县人民医院")
    page.click("#result-form button[type=submit]")
    page.wait_for_selector('#followup-state[data-status="resulted"]')
    assert "沂源县人民医院" in page.locator("#result").inner_text()
    page.click("#close-form button[type=submit]")
    page.wait_for_selector('#followup-state[data-status="closed"]')
    assert page.locator("#status-label").inner_text() == "已结案"
    page.screenshot(path="/tmp/followup_detail.png", full_page=True)
    assert errors == []
    done = VisionFollowUp.objects.get(pk=overdue.pk)
    assert (done.status, done.hospital, done.outcome, done.closed_on) == (
        "closed", "沂源县人民医院", "myopia_corrected", dt.date.today()
    )

    # the county leader: overdue by default, per 镇/街道, read-only
    leader, errors = logged_in(browser, url, "leader")
    leader.goto(f"{url}/vision/followups/")
    leader.wait_for_selector("#followup-children")
    assert leader.locator("#state-tabs a.current").get_attribute("data-state") == "overdue"
    overdue_total = int(leader.locator('[data-figure="overdue"] .figure-value').inner_text())
    per_town = sum(int(v) for v in leader.locator("#followup-children tr[data-overdue]").evaluate_all(
        "rows => rows.map(r => r.dataset.overdue)"))
    assert overdue_total == per_town and overdue_total >= 0
    assert leader.locator("#print-selected").count() == 0  # a leader prints nothing
    leader.screenshot(path="/tmp/followup_county.png", full_page=True)
    assert errors == []
