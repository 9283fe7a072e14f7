"""Journey: one 督导 finding from order to closure. The bureau (admin) opens a 一月一排查 over the demo school
(standard safety checklist prefilled), records a finding with a photo; the school sees it in its 整改台账 and
on its page (no 复查 yet: the bureau's 复查 form is absent before the fix), reports the fix with an evidence
file; the bureau re-checks and closes it — 已销号. Screenshots: /tmp/supervision*.png."""

from __future__ import annotations

import datetime as dt

import pytest

from .journey import ensure_demo, logged_in

pytestmark = pytest.mark.e2e

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def test_supervision_journey(live_server, browser, tmp_path, settings):
    from edubrain.accounts.models import User
    from edubrain.work.models import Attachment, Finding, FindingStatus, InspectionRound

    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "attachments")},
        },
    }
    ensure_demo()
    school_unit = User.objects.get(username="school").org_unit
    today = dt.date.today().isoformat()
    photo = tmp_path / "现场照片.png"
    photo.write_bytes(PNG)
    evidence = tmp_path / "整改后照片.png"
    evidence.write_bytes(PNG)
    url = live_server.url

    # the bureau opens a 一月一排查 over the demo school
    admin, admin_errors = logged_in(browser, url, "admin")
    admin.goto(f"{url}/work/inspections/")
    admin.click(".head-actions >> text=新建督导")
    admin.wait_for_selector("#round-form")
    assert "消防安全：灭火器" in admin.input_value("#checklist")  # the standard safety checklist
    admin.fill("#name", "浏览器测试安全排查")
    admin.fill("#start_on", today)
    admin.fill("#end_on", today)
    admin.select_option("#targets", [str(school_unit.pk)])
    admin.click("#round-form button[type=submit]")
    admin.wait_for_selector("#finding-form")
    inspection = InspectionRound.objects.get(name="浏览器测试安全排查")
    assert inspection.checklist.count() >= 10
    assert admin.locator(f'#round-targets tr[data-target="{school_unit.pk}"]').count() == 1

    # … and records a finding with a photo
    admin.select_option("#org_unit", str(school_unit.pk))
    admin.select_option("#item", index=1)
    admin.select_option("#severity", "serious")
    admin.fill("#description", "二楼东侧疏散通道堆放课桌椅")
    admin.fill("#requirement", "立即清理，保持通道畅通")
    admin.fill("#responsible_person", "王校长")
    admin.set_input_files("#finding-form input[type=file]", str(photo))
    admin.click("#finding-form button[type=submit]")
    admin.wait_for_selector("#round-findings tr[data-finding]")
    finding = Finding.objects.get(inspection=inspection)
    assert finding.status == FindingStatus.OPEN and finding.attachments.count() == 1
    admin.screenshot(path="/tmp/supervision_round.png", full_page=True)

    # before the fix the bureau has no 复查 form
    admin.goto(f"{url}/work/findings/{finding.pk}/")
    assert admin.locator("#status-label").inner_text() == "待整改"
    assert admin.locator("#recheck-form").count() == 0

    # the school sees it in its register and reports the fix with evidence
    school, school_errors = logged_in(browser, url, "school")
    school.goto(f"{url}/work/findings/")
    assert school.locator(f'tr[data-finding="{finding.pk}"]').count() == 1
    assert school.locator("#unit-stats").count() == 0  # a school has only its own row
    school.click(f'tr[data-finding="{finding.pk}"] th a')
    school.wait_for_selector("#fix-form")
    assert school.locator("#finding-photos [data-attachment]").count() == 1
    school.fill("#fix_report", "已将课桌椅移至储藏室，通道畅通")
    school.fill("#fixed_on", today)
    school.set_input_files("#fix-form input[type=file]", str(evidence))
    school.click("#fix-form button[type=submit]")
    school.wait_for_selector("#fix-evidence [data-attachment]")
    assert school.locator("#status-label").inner_text() == "已整改待复查"
    assert school.locator("#recheck-form").count() == 0
    assert Attachment.objects.filter(finding=finding, purpose="fix").count() == 1

    # the bureau re-checks and closes it
    admin.reload()
    admin.wait_for_selector("#recheck-form")
    assert "整改后照片.png" in admin.locator("#fix-evidence").inner_text()
    admin.check("#result-pass")
    admin.fill("#recheck_note", "现场复查，已整改到位")
    admin.click("#recheck-form button[type=submit]")
    admin.wait_for_selector("#status-label")
    assert admin.locator("#status-label").inner_text() == "已销号"
    assert admin.locator("#recheck-form").count() == 0
    assert [e for e in admin.locator("#events li").all_inner_texts() if "复查通过" in e]
    admin.screenshot(path="/tmp/supervision_finding.png", full_page=True)
    finding.refresh_from_db()
    assert finding.status == FindingStatus.CLOSED and finding.closed_on == dt.date.today()

    school.reload()
    assert school.locator("#status-label").inner_text() == "已销号"
    admin.goto(f"{url}/work/findings/?round={inspection.pk}")
    assert admin.locator(f'tr[data-finding="{finding.pk}"] .badge').last.inner_text() == "已销号"
    admin.goto(f"{url}/work/findings/")
    admin.screenshot(path="/tmp/supervision_register.png", full_page=True)
    assert admin_errors == [] and school_errors == []
