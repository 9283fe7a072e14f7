"""录取名单导出: the workbook's sheets and headers match the imports exactly, 均衡分班 is S-shaped and
balanced, and the workbook goes through the imports app (班级, then 学生) with no error."""

from __future__ import annotations

import datetime as dt
import io

import polars as pl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from edubrain.admission import exports, placing
from edubrain.admission.models import Application, Quota

from .conftest import child_id, make_application

pytestmark = pytest.mark.django_db


def children(n: int, school_id: int = 1) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "school_id": [school_id] * n,
            "receipt_no": [f"R{i:03d}" for i in range(n)],
            "sex": ["M" if i % 2 else "F" for i in range(n)],
            "birth_date": [dt.date(2021, 1, 1) + dt.timedelta(days=i) for i in range(n)],
        }
    )


def planned(classes: int, school_id: int = 1) -> pl.DataFrame:
    return pl.DataFrame({"school_id": [school_id], "classes": [classes]})


@pytest.mark.parametrize(("n", "classes"), [(2, 1), (3, 1), (4, 2), (7, 3)])
def test_without_planned_classes_enough_classes_of_the_standard_size(n, classes):
    placed = exports.assign_classes(children(n), planned(0), size=3)
    assert placed["class_number"].n_unique() == classes
    assert sorted(placed["class_number"].unique().to_list()) == list(range(1, classes + 1))


def test_planned_classes_are_used_but_never_more_than_the_children():
    assert exports.assign_classes(children(6), planned(2), size=45)["class_number"].n_unique() == 2
    assert exports.assign_classes(children(2), planned(5), size=45)["class_number"].n_unique() == 2


def test_s_shaped_dealing_balances_sex_and_age():
    placed = exports.assign_classes(children(8), planned(2), size=45).sort("sex", "birth_date")
    assert placed["class_number"].to_list() == [1, 2, 2, 1, 1, 2, 2, 1]
    per = placed.group_by("class_number", "sex").len()
    assert per["len"].to_list() == [2, 2, 2, 2]


def test_standard_class_sizes():
    assert exports.class_size("primary") == 45 and exports.class_size("junior") == 50


@pytest.fixture
def placed(world):
    apps = [
        make_application(
            world,
            area=world.areas[4],
            status="approved",
            child_id_number=child_id(900 + i, dt.date(2021, 1 + i, 3), male=i % 2 == 0),
            child_birth_date=dt.date(2021, 1 + i, 3),
            child_sex="M" if i % 2 == 0 else "F",
            tier="migrant" if i == 0 else "hukou_property",
        )
        for i in range(5)
    ]
    apps.append(make_application(world, area=world.areas[0], status="approved"))
    Quota.objects.filter(round=world.round, school=world.schools[2]).update(classes=2)
    world.round.status = "closed"
    world.round.save()
    placing.run_placement(world.round, world.bureau, seed="s")
    world.extra["apps"] = apps
    return world


def read(data: bytes) -> dict[str, list[tuple]]:
    book = load_workbook(io.BytesIO(data))
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}


def test_workbook_sheets_and_headers(placed):
    sheets = read(exports.admitted_workbook(placed.round, placed.bureau))
    assert list(sheets) == ["班级", "学生"]
    assert sheets["班级"][0] == exports.CLASS_HEADERS
    assert sheets["学生"][0] == exports.STUDENT_HEADERS
    students = [dict(zip(sheets["学生"][0], row, strict=True)) for row in sheets["学生"][1:]]
    assert len(students) == 6
    by_id = {s["身份证号"]: s for s in students}
    first = placed.extra["apps"][0]
    row = by_id[first.child_id_number]
    assert row["学籍号"] == "G" + first.child_id_number and row["户籍类型"] == "随迁"
    assert (row["学年"], row["年级"], row["学校标识码"]) == ("2027-2028", "一年级", placed.schools[2].code)
    assert {s["户籍类型"] for s in students if s["身份证号"] != first.child_id_number} == {"本地"}
    classes = sheets["班级"][1:]
    assert sorted((c[0], c[3]) for c in classes) == sorted(
        [(placed.schools[2].code, 1), (placed.schools[2].code, 2), (placed.schools[0].code, 1)]
    )
    assert ("一年级1班" in {c[4] for c in classes}) and ("一年级2班" in {c[4] for c in classes})


def test_a_school_exports_only_its_own_children(placed):
    sheets = read(exports.admitted_workbook(placed.round, placed.heads[2]))
    assert {row[0] for row in sheets["学生"][1:]} == {placed.schools[2].code}
    sheets = read(exports.admitted_workbook(placed.round, placed.bureau, school=placed.schools[0]))
    assert [row[0] for row in sheets["学生"][1:]] == [placed.schools[0].code]


def test_export_refused_without_personal_data_right_or_before_placement(placed):
    with pytest.raises(PermissionDenied):
        exports.admitted_workbook(placed.round, placed.staff)
    placed.round.status = "closed"
    with pytest.raises(ValidationError):
        exports.admitted_workbook(placed.round, placed.bureau)


def test_the_workbook_imports_through_the_imports_app(placed, tmp_path):
    from edubrain.imports import services
    from edubrain.registry.models import Enrollment, SchoolClass, Student

    path = tmp_path / "录取名单.xlsx"
    path.write_bytes(exports.admitted_workbook(placed.round, placed.bureau))
    for dataset, sheet in (("classes", "班级"), ("students", "学生")):
        batch = services.preview(services.create_batch(placed.bureau, dataset, path, path.name, sheet=sheet))
        assert batch.status == "previewed", batch.message
        assert batch.invalid == 0, batch.error_list()
        services.commit(batch, placed.bureau)
        batch.refresh_from_db()
        assert batch.status == "committed", batch.message
    school = placed.schools[2]
    assert (
        SchoolClass.objects.filter(school=school, school_year__start_year=2027, grade_code="11").count() == 2
    )
    for app in Application.objects.filter(round=placed.round, status="admitted"):
        student = Student.objects.get(student_number="G" + app.child_id_number)
        assert student.name == app.child_name and student.school_id == app.admitted_school_id
        assert Enrollment.objects.filter(student=student, school_year__start_year=2027).exists()


def test_export_view_downloads_xlsx_and_is_scoped(placed):
    client = Client()
    client.force_login(placed.heads[0])
    url = reverse("admission:export", args=[placed.round.pk])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    assert {row[0] for row in read(response.content)["学生"][1:]} == {placed.schools[0].code}
    assert client.get(f"{url}?school={placed.schools[2].pk}").status_code == 404
