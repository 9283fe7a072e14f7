"""Journey: a bureau administrator uploads a small student workbook, reads the preview, commits it and sees
已导入 (the history list shows it too). Screenshot of the preview: /tmp/import_preview.png."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

pytestmark = pytest.mark.e2e

PASSWORD = "Edu@2025"
REGION = "370395"


def small_county():
    """A bureau user over a factory county with one school, one class and two students."""
    from edubrain.accounts.models import Role
    from factories import (
        CountyFactory,
        EnrollmentFactory,
        SchoolClassFactory,
        SchoolFactory,
        SchoolYearFactory,
        StudentFactory,
        TownFactory,
        UserFactory,
        make_id_number,
    )

    county = CountyFactory(division_code=REGION, name="测试导入县")
    town = TownFactory(parent=county, name="测试导入镇", division_code=f"{REGION}101")
    school = SchoolFactory(town=town, name="测试导入实验小学", code="3799500001")
    klass = SchoolClassFactory(school=school, school_year=SchoolYearFactory(start_year=2024), grade_code="11",
                               number=1)
    birth = dt.date(2017, 3, 15)
    for i, name in enumerate(["测试学生甲", "测试学生乙"], start=1):
        number = make_id_number(i, birth, False, REGION)
        student = StudentFactory(school=school, name=name, sex="F", birth_date=birth, id_number=number,
                                 student_number=f"G{number}")
        EnrollmentFactory(student=student, school_class=klass, school_year=klass.school_year)
    user = UserFactory(username="imp_e2e", role=Role.BUREAU_ADMIN, org_unit=county)
    user.set_password(PASSWORD)
    user.save()
    return user, school, [make_id_number(i, birth, False, REGION) for i in (3, 4)]


def workbook(user, new_ids) -> bytes:
    """The school's own export with one name changed, one new pupil and one with a bad 身份证号."""
    import csv

    from edubrain.imports.datasets import DATASETS

    cfg = DATASETS["students"]
    rows = list(csv.reader(io.StringIO(cfg.export(user, fmt="csv").decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    name, id_col, number = (header.index(cfg.header_of(k)) for k in ("name", "id_number", "student_number"))
    body[0][name] += "改"
    new, bad = list(body[1]), list(body[1])
    new[id_col], new[number], new[name] = new_ids[0], f"G{new_ids[0]}", "测试学生丙"
    wrong = new_ids[1][:-1] + ("0" if new_ids[1][-1] != "0" else "1")
    bad[id_col], bad[number], bad[name] = wrong, f"G{wrong}", "测试学生错"
    wb = Workbook()
    ws = wb.active
    ws.title = "学生"
    for row in (header, *body, new, bad):
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_upload_preview_commit(live_server, browser, tmp_path):
    from edubrain.imports.models import ImportBatch

    user, school, new_ids = small_county()
    path = tmp_path / "学生名单.xlsx"
    path.write_bytes(workbook(user, new_ids))

    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.click("nav.mainnav >> text=数据导入")
    page.wait_for_selector("form.upload-form")
    assert page.locator('.dataset-card[data-dataset="students"] >> text=下载模板').count() == 1
    page.select_option("#id_dataset", "students")
    page.screenshot(path="/tmp/import_index.png", full_page=True)
    page.select_option("#id_school", str(school.pk))
    page.set_input_files("#id_file", str(path))
    page.click("text=上传并预检")
    page.wait_for_selector("#counts", timeout=20_000)

    batch = ImportBatch.objects.get(user=user)
    for key in ("new", "changed", "unchanged", "invalid"):
        shown = page.locator(f'[data-count="{key}"]').get_attribute("data-value")
        assert int(shown) == getattr(batch, key), key
    assert (batch.new, batch.changed, batch.unchanged, batch.invalid) == (1, 1, 1, 1)
    assert page.locator("#error-table tbody tr").count() >= 1
    assert page.locator('[data-action="commit-all"]').count() == 0
    page.screenshot(path="/tmp/import_preview.png", full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.wait_for_timeout(300)
    page.screenshot(path="/tmp/import_preview_phone.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.click('[data-action="commit-valid"]')
    page.wait_for_selector('[data-testid="committed"]', timeout=20_000)
    assert page.locator('[data-testid="status"]').inner_text() == "已导入"
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED
    assert page.locator('[data-testid="committed-rows"]').inner_text() == str(batch.committed_rows)
    page.screenshot(path="/tmp/import_result.png", full_page=True)

    page.click("text=← 导入记录")
    page.wait_for_selector("#list-table")
    assert "学生名单.xlsx" in page.locator("#list-table").inner_text()
    assert errors == []
