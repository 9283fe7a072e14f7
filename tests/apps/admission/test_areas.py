"""招生片区 workbook: import (good file, each bad cell with its row and column, all or nothing, replacing
areas in use refused), export round trip, and adding or deleting one area."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from edubrain.admission import areas
from edubrain.admission.models import CatchmentArea
from edubrain.core.io.readers import read_file
from factories import SchoolFactory

from .conftest import make_application

pytestmark = pytest.mark.django_db

HEADER = "镇/街道,社区/村/小区,类型,学校标识码,学校名称"


def csv_file(*rows: str, header: str = HEADER) -> SimpleUploadedFile:
    text = "\n".join([header, *rows]) + "\n"
    return SimpleUploadedFile("片区.csv", ("\ufeff" + text).encode("utf-8"), content_type="text/csv")


def row(a) -> str:
    return f"{a.town.name},{a.name},{a.get_kind_display()},{a.school.code},{a.school.name}"


def world_rows(world) -> list[str]:
    """The world's six areas as CSV lines."""
    return [row(a) for a in world.round.areas.select_related("town", "school")]


def keys(world) -> set[tuple[str, str, str, str]]:
    return {
        (a.town.name, a.name, a.kind, a.school.code)
        for a in CatchmentArea.objects.filter(round=world.round).select_related("town", "school")
    }


def errors_of(exc) -> list[str]:
    return exc.value.message_dict["file"]


def test_import_adds_updates_and_removes(world):
    s0, s2 = world.schools[0], world.schools[2]
    moved, kept, dropped = world.areas[0], world.areas[1:4], world.areas[4:]
    rows = [row(a) for a in kept]
    rows.append(f"{moved.town.name},{moved.name},小区,{s2.code},")
    rows.append(f"测试镇,新建小区,小区,{s0.code},")
    result = areas.import_areas(world.round, world.bureau, csv_file(*rows))
    assert result == {"created": 1, "updated": 1, "deleted": 2}
    found = keys(world)
    assert (moved.town.name, moved.name, "estate", s2.code) in found
    assert ("测试镇", "新建小区", "estate", s0.code) in found
    assert len(found) == 5
    assert CatchmentArea.objects.get(pk=moved.pk).school_id == s2.pk  # kept: same row updated
    assert not CatchmentArea.objects.filter(pk__in=[a.pk for a in dropped]).exists()


def test_export_then_import_changes_nothing(world, tmp_path):
    data = areas.export_bytes(world.round)
    path = tmp_path / "out.xlsx"
    path.write_bytes(data)
    sheets = read_file(path, header_hint=areas.HEADERS)
    assert sheets[0].name == "招生片区"
    assert sheets[0].headers == list(areas.HEADERS)
    assert sheets[0].frame.height == 6
    assert set(sheets[0].frame["类型"].to_list()) == {"社区", "村"}
    before = keys(world)
    upload = SimpleUploadedFile("招生片区.xlsx", data)
    assert areas.import_areas(world.round, world.bureau, upload) == {"created": 0, "updated": 0, "deleted": 0}
    assert keys(world) == before


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("不存在镇,甲村,村,{code},", "第2行“镇/街道”：“不存在镇”不是测试县的镇/街道"),
        (",甲村,村,{code},", "第2行“镇/街道”：不能为空"),
        ("测试镇,,村,{code},", "第2行“社区/村/小区”：不能为空"),
        ("测试镇,甲村,乡,{code},", "第2行“类型”：“乡”不是有效的类型，应为：社区、村、小区"),
        ("测试镇,甲村,村,3999999999,", "第2行“学校标识码”：找不到学校标识码为“3999999999”的学校"),
        ("测试镇,甲村,村,{other},", "不在测试县"),
        ("测试镇,甲村,村,{junior},", "不招收小学一年级"),
        ("测试镇,甲村,村,{private},", "民办学校不划分招生片区"),
    ],
)
def test_each_bad_cell_named_by_row_and_column(world, row, expected):
    outside = _outside_school(world)
    junior = SchoolFactory(name="测试中学", town=world.towns[1], school_type="junior")
    line = row.format(
        code=world.schools[0].code, other=outside.code, junior=junior.code, private=world.private.code
    )
    before = keys(world)
    with pytest.raises(ValidationError) as exc:
        areas.import_areas(world.round, world.bureau, csv_file(line))
    assert any(expected in e for e in errors_of(exc)), errors_of(exc)
    assert keys(world) == before


def _outside_school(world):
    """A school of the demo county (370323), not of 测试县."""
    from edubrain.registry.models import School

    return School.objects.exclude(org_unit__path__startswith=world.county.path).first()


def test_duplicate_area_names_both_rows(world):
    code = world.schools[0].code
    with pytest.raises(ValidationError) as exc:
        areas.import_areas(
            world.round, world.bureau, csv_file(f"测试镇,甲村,村,{code},", f"测试镇,甲村,村,{code},")
        )
    errors = errors_of(exc)
    assert any(e.startswith("第2行“社区/村/小区”：“测试镇甲村”重复") for e in errors)
    assert any(e.startswith("第3行“社区/村/小区”：“测试镇甲村”重复") for e in errors)


def test_same_name_in_two_towns_is_fine(world):
    code = world.schools[0].code
    result = areas.import_areas(
        world.round,
        world.bureau,
        csv_file(*world_rows(world), f"测试镇,甲村,村,{code},", f"测试街道,甲村,村,{code},"),
    )
    assert result["created"] == 2


def test_one_bad_row_writes_nothing(world):
    code = world.schools[0].code
    before = keys(world)
    with pytest.raises(ValidationError) as exc:
        areas.import_areas(
            world.round, world.bureau, csv_file(f"测试镇,新村,村,{code},", "测试镇,坏村,乡,1,")
        )
    errors = errors_of(exc)
    assert errors[0].startswith("第3行")
    assert keys(world) == before


def test_missing_column_and_empty_and_unreadable_files(world):
    with pytest.raises(ValidationError) as exc:
        areas.import_areas(
            world.round, world.bureau, csv_file("测试镇,甲村,村", header="镇/街道,社区/村/小区,类型")
        )
    assert "缺少列：学校标识码" in errors_of(exc)[0]
    with pytest.raises(ValidationError) as exc:
        areas.import_areas(world.round, world.bureau, SimpleUploadedFile("a.xlsx", b""))
    assert "空文件" in errors_of(exc)[0]
    with pytest.raises(ValidationError) as exc:
        areas.import_areas(world.round, world.bureau, SimpleUploadedFile("a.xlsx", b"\x89PNG\r\n\x1a\nxxxx"))
    assert "不是电子表格" in errors_of(exc)[0]


def test_removing_an_area_in_use_refused(world):
    used = world.areas[1]
    make_application(world, area=used)
    rows = [r for r in world_rows(world) if f",{used.name}," not in r]
    with pytest.raises(ValidationError) as exc:
        areas.import_areas(world.round, world.bureau, csv_file(*rows))
    assert f"{used.town.name}{used.name}" in errors_of(exc)[0]
    assert "已有报名申请" in errors_of(exc)[0]
    assert CatchmentArea.objects.filter(pk=used.pk).exists()


def test_import_refused_to_schools_and_after_placement(world):
    with pytest.raises(PermissionDenied):
        areas.import_areas(world.round, world.heads[0], csv_file(*world_rows(world)))
    world.round.status = "published"
    world.round.save()
    with pytest.raises(ValidationError) as exc:
        areas.import_areas(world.round, world.bureau, csv_file(*world_rows(world)))
    assert "已公布" in errors_of(exc)[0]


def test_add_and_delete_one_area(world):
    area = areas.add_area(
        world.round,
        world.bureau,
        town_id=world.towns[1].pk,
        name=" 新村 ",
        kind="village",
        school_id=world.schools[2].pk,
    )
    assert (area.town_id, area.name, area.school_id) == (world.towns[1].pk, "新村", world.schools[2].pk)
    with pytest.raises(ValidationError) as exc:
        areas.add_area(
            world.round,
            world.bureau,
            town_id=world.towns[1].pk,
            name="新村",
            kind="village",
            school_id=world.schools[2].pk,
        )
    assert "已经存在" in exc.value.message_dict["name"][0]
    areas.delete_area(area, world.bureau)
    assert not CatchmentArea.objects.filter(pk=area.pk).exists()


def test_add_area_bad_fields(world):
    with pytest.raises(ValidationError) as exc:
        areas.add_area(world.round, world.bureau, town_id="x", name="", kind="x", school_id=world.private.pk)
    assert set(exc.value.message_dict) == {"town", "name", "kind", "school"}


def test_delete_area_in_use_refused(world):
    make_application(world, area=world.areas[2])
    with pytest.raises(ValidationError) as exc:
        areas.delete_area(world.areas[2], world.bureau)
    assert "1 份报名申请" in exc.value.message_dict["area"][0]
    with pytest.raises(PermissionDenied):
        areas.delete_area(world.areas[3], world.leader)
