"""Who may import and whose batches they see: leaders read only; school administrators their school only."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from edubrain.imports.datasets import DATASETS
from edubrain.imports.models import ImportBatch

from .files import exported_students


def make_batch(owner, school, **fields):
    values = {"dataset": "students", "file_name": f"{school.name}.xlsx", "file_sha256": "0" * 64,
              "status": ImportBatch.Status.PREVIEWED, "new": 3, **fields}
    return ImportBatch.objects.create(user=owner, org_unit=school.org_unit, school=school, **values)


def test_leader_sees_the_page_without_the_form(login, county):
    client = login(county.users.leader)
    response = client.get(reverse("imports:index"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="read-only"' in html and "只读" in html
    assert 'enctype="multipart/form-data"' not in html
    assert "下载模板" in html


def test_leader_upload_is_refused(login, county):
    client = login(county.users.leader)
    content = exported_students(county.users.school_a).csv()
    response = client.post(reverse("imports:index"),
                           {"dataset": "students", "file": SimpleUploadedFile("学生.csv", content)})
    assert response.status_code == 403
    assert "只读" in response.content.decode() or "无权" in response.content.decode()
    assert not ImportBatch.objects.filter(user=county.users.leader).exists()


def test_leader_cannot_commit_or_discard(login, county):
    batch = make_batch(county.users.admin, county.school_a)
    client = login(county.users.leader)
    assert client.post(reverse("imports:commit", args=[batch.pk]), {"only_valid": "on"}).status_code == 403
    assert client.post(reverse("imports:discard", args=[batch.pk])).status_code == 403
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED
    assert client.get(reverse("imports:detail", args=[batch.pk])).status_code == 200  # may look


def test_school_admin_form_is_fixed_to_the_school(login, county):
    html = login(county.users.school_a).get(reverse("imports:index")).content.decode()
    assert 'data-testid="fixed-school"' in html and county.school_a.name in html
    assert 'name="school"' not in html


def test_school_admin_sees_only_their_schools_batches(login, county):
    mine = make_batch(county.users.school_a, county.school_a, file_name="甲校文件.xlsx")
    theirs = make_batch(county.users.school_b, county.school_b, file_name="乙校文件.xlsx")
    client = login(county.users.school_a)
    history = client.get(reverse("imports:history")).content.decode()
    assert "甲校文件.xlsx" in history and "乙校文件.xlsx" not in history
    index = client.get(reverse("imports:index")).content.decode()
    assert "甲校文件.xlsx" in index and "乙校文件.xlsx" not in index
    assert client.get(reverse("imports:detail", args=[mine.pk])).status_code == 200
    for name in ("imports:detail", "imports:progress", "imports:errors"):
        assert client.get(reverse(name, args=[theirs.pk])).status_code == 404, name
    assert client.post(reverse("imports:commit", args=[theirs.pk]), {"only_valid": "on"}).status_code == 404
    assert client.post(reverse("imports:discard", args=[theirs.pk])).status_code == 404
    # the county's bureau administrator sees both
    history = login(county.users.admin).get(reverse("imports:history")).content.decode()
    assert "甲校文件.xlsx" in history and "乙校文件.xlsx" in history


def test_school_admin_cannot_import_another_schools_rows(login, county):
    sheet = exported_students(county.users.school_b)  # school B's students
    client = login(county.users.school_a)
    response = client.post(reverse("imports:index"),
                           {"dataset": "students", "file": SimpleUploadedFile("乙校.csv", sheet.csv())})
    assert response.status_code == 302
    batch = ImportBatch.objects.filter(user=county.users.school_a).latest("pk")
    assert batch.school == county.school_a
    assert batch.invalid == len(sheet.rows) and batch.new == batch.changed == 0
    assert not batch.can_commit or batch.invalid == len(sheet.rows)


def test_history_filters(login, county):
    status = ImportBatch.Status
    make_batch(county.users.admin, county.school_a, file_name="已导入的.xlsx", status=status.COMMITTED)
    make_batch(county.users.admin, county.school_a, file_name="失败的.xlsx", status=status.FAILED)
    client = login(county.users.admin)
    html = client.get(reverse("imports:history"), {"status": "committed"}).content.decode()
    assert "已导入的.xlsx" in html and "失败的.xlsx" not in html
    other = next(name for name in DATASETS if name != "students")
    html = client.get(reverse("imports:history"), {"dataset": other}).content.decode()
    assert "已导入的.xlsx" not in html
    html = client.get(reverse("imports:history"), {"dataset": "students"}).content.decode()
    assert "已导入的.xlsx" in html
    partial = client.get(reverse("imports:history"), {"status": "failed"}, headers={"HX-Request": "true"})
    assert "失败的.xlsx" in partial.content.decode() and "<html" not in partial.content.decode()


def test_leader_sees_id_numbers_in_errors_masked(login, county):
    number = county.students_a[0].id_number
    error = {"sheet": "学生", "row": 5, "column": "身份证号", "value": number,
             "message": f"身份证号“{number}”的校验位不正确"}
    batch = make_batch(county.users.admin, county.school_a, invalid=1, errors=[error])
    leader = login(county.users.leader).get(reverse("imports:detail", args=[batch.pk])).content.decode()
    assert number not in leader and f"{number[:4]}" in leader and "校验位不正确" in leader
    admin = login(county.users.admin).get(reverse("imports:detail", args=[batch.pk])).content.decode()
    assert number in admin
