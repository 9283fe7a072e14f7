"""Upload → preview → commit through the pages, with a small file of a factory school's students."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from edubrain.imports.models import ImportBatch
from edubrain.registry.models import Student

from .files import edited_students

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def shown_counts(html: str) -> dict[str, int]:
    return {k: int(v) for k, v in re.findall(r'data-count="(\w+)" data-value="(\d+)"', html)}


def upload(client, content: bytes, name: str, dataset: str = "students", **extra):
    data = {"dataset": dataset, "file": SimpleUploadedFile(name, content), **extra}
    return client.post(reverse("imports:index"), data)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_upload_preview_then_commit_only_valid(login, county, fmt):
    client = login(county.users.school_a)
    sheet = edited_students(county.users.school_a)
    content = sheet.xlsx() if fmt == "xlsx" else sheet.csv()

    response = upload(client, content, f"学生名单.{fmt}")
    assert response.status_code == 302, response.content.decode()
    batch = ImportBatch.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert batch.school == county.school_a and batch.user == county.users.school_a
    assert batch.status == ImportBatch.Status.PREVIEWED
    assert (batch.new, batch.changed, batch.unchanged, batch.invalid) == (1, 1, 1, 1)

    html = client.get(response["Location"]).content.decode()
    assert shown_counts(html) == {"new": batch.new, "changed": batch.changed, "unchanged": batch.unchanged,
                                  "invalid": batch.invalid}
    assert "仅导入正确的行" in html and 'data-action="commit-all"' not in html  # invalid rows: no 全部导入
    assert "下载错误文件" in html and "身份证" in html
    assert "测试甲一改" in html  # the sample diff shows the changed name
    assert Student.objects.filter(name="测试甲三").count() == 0  # preview writes nothing

    refused = client.post(reverse("imports:commit", args=[batch.pk]))  # 全部导入 with invalid rows
    assert refused.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED

    done = client.post(reverse("imports:commit", args=[batch.pk]), {"only_valid": "on"}, follow=True)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED and batch.only_valid
    assert Student.objects.filter(school=county.school_a, name="测试甲三").count() == 1
    assert Student.objects.get(pk=county.students_a[0].pk).name == "测试甲一改"
    assert not Student.objects.filter(name="测试甲错").exists()
    html = done.content.decode()
    assert "已导入" in html and f'data-testid="committed-rows">{batch.committed_rows}<' in html


def test_commit_all_when_every_row_is_valid(login, county):
    client = login(county.users.admin)
    sheet = edited_students(county.users.school_a, invalid=False)
    response = upload(client, sheet.xlsx(), "学生.xlsx", school=county.school_a.pk)
    batch = ImportBatch.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert batch.invalid == 0 and batch.can_commit
    html = client.get(response["Location"]).content.decode()
    assert 'data-action="commit-all"' in html
    client.post(reverse("imports:commit", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED and not batch.only_valid
    assert batch.committed_rows == 2  # one new, one changed
    # the same file again changes nothing
    again = upload(client, sheet.xlsx(), "学生.xlsx", school=county.school_a.pk)
    second = ImportBatch.objects.get(pk=int(again["Location"].rstrip("/").split("/")[-1]))
    assert (second.new, second.changed, second.unchanged, second.invalid) == (0, 0, 3, 0)


def test_discard(login, county):
    client = login(county.users.school_a)
    response = upload(client, edited_students(county.users.school_a).csv(), "学生.csv")
    batch = ImportBatch.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    page = client.post(reverse("imports:discard", args=[batch.pk]), follow=True).content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DISCARDED and "已放弃" in page
    assert not Student.objects.filter(name="测试甲三").exists()


def test_wrong_file_type_and_unreadable_file(login, county):
    client = login(county.users.admin)
    response = upload(client, b"hello", "名单.txt")
    assert response.status_code == 400 and "只支持 Excel" in response.content.decode()
    response = upload(client, b"\x00\x01 not a spreadsheet", "名单.xlsx")
    if response.status_code == 302:  # recorded, then the preview fails with a Chinese message
        html = client.get(response["Location"]).content.decode()
        assert 'data-status="failed"' in html and "数据库未作任何改动" in html
    else:
        assert response.status_code == 400


def test_oversize_file_refused_with_the_service_message(login, county, settings):
    settings.EDUBRAIN = {**settings.EDUBRAIN, "IMPORT_MAX_BYTES": 100}
    client = login(county.users.admin)
    response = upload(client, edited_students(county.users.school_a).csv() * 5, "学生.csv")
    assert response.status_code == 400
    errors = re.search(r'data-testid="file-errors">(.*?)</ul>', response.content.decode(), re.S)
    assert errors and errors.group(1).strip()


def test_error_file_is_xlsx_with_error_column(login, county):
    client = login(county.users.school_a)
    response = upload(client, edited_students(county.users.school_a).xlsx(), "学生名单.xlsx")
    batch = ImportBatch.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    download = client.get(reverse("imports:errors", args=[batch.pk]))
    assert download.status_code == 200 and download["Content-Type"] == XLSX_TYPE
    assert "filename*=UTF-8''" in download["Content-Disposition"]
    assert "%E9%94%99%E8%AF%AF%E8%AF%B4%E6%98%8E" in download["Content-Disposition"]  # 错误说明
    ws = load_workbook(io.BytesIO(download.content)).worksheets[0]
    cells = [str(c) for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert "错误说明" in cells and "测试甲错" in cells
