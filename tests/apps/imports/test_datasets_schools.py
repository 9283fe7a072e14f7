"""学校 import: new schools get their org node, changes move it, codes and labels, towns, ranges, scope."""

from __future__ import annotations

import pytest

from edubrain.base.orgtree import OrgKind
from edubrain.imports import services
from edubrain.imports.datasets import DATASETS
from edubrain.registry.models import School
from factories import TownFactory

from .conftest import admin_of, write_csv, write_xlsx

pytestmark = pytest.mark.django_db

HEADERS = [
    "学校标识码",
    "学校名称",
    "办学类型",
    "举办者",
    "所在镇/街道",
    "城乡分类",
    "普惠性",
    "等级",
    "地址",
    "经度",
    "纬度",
    "建校年份",
]


def preview(tmp_path, rows, user, name="s.csv", headers=HEADERS, **kw):
    path = (write_xlsx if name.endswith(".xlsx") else write_csv)(tmp_path / name, rows, headers=headers)
    return services.preview(services.create_batch(user, "schools", path, name, **kw))


def new_rows(town):
    return [
        [
            "3999800001",
            "导入新建小学",
            "小学",
            "公办",
            town.name,
            "乡村",
            "",
            "",
            "新建路1号",
            118.16,
            36.18,
            1998,
        ],
        [
            "3999800002",
            "导入新建幼儿园",
            "kindergarten",
            "民办",
            town.division_code,
            "镇区",
            "是",
            "省一类",
            "",
            "",
            "",
            "",
        ],
    ]


def test_new_schools_get_org_nodes_and_round_trip(school, bureau, tmp_path):
    town = school.town
    batch = preview(tmp_path, new_rows(town), bureau, name="a.xlsx")
    assert (batch.new, batch.invalid) == (2, 0), batch.error_list()
    services.commit(batch, bureau)
    primary = School.objects.get(code="3999800001")
    assert primary.org_unit.kind == OrgKind.SCHOOL and primary.org_unit.parent_id == town.pk
    assert primary.org_unit.path.startswith(town.path) and primary.org_unit.name == "导入新建小学"
    assert (primary.school_type, primary.locality, primary.is_puhui, float(primary.longitude)) == (
        "primary",
        "rural",
        None,
        118.16,
    )
    kg = School.objects.get(code="3999800002")
    assert (kg.school_type, kg.ownership, kg.is_puhui, kg.rating, kg.founded_year) == (
        "kindergarten",
        "private",
        True,
        "prov_1",
        None,
    )
    again = preview(tmp_path, new_rows(town), bureau, name="b.csv")
    assert (again.new, again.changed, again.unchanged) == (0, 0, 2)
    (tmp_path / "e.xlsx").write_bytes(DATASETS["schools"].export(bureau, "xlsx"))
    back = services.preview(services.create_batch(bureau, "schools", tmp_path / "e.xlsx", "e.xlsx"))
    assert (back.invalid, back.new, back.changed) == (0, 0, 0) and back.unchanged >= 3


def test_rename_and_move_keep_the_org_node_in_step(school, bureau, tmp_path):
    other_town = TownFactory(parent=school.town.parent)
    rows = [[school.code, "改名小学", "", "", other_town.name]]
    batch = preview(tmp_path, rows, bureau, headers=HEADERS[:5])
    assert batch.changed == 1, batch.error_list()
    services.commit(batch, bureau)
    school.refresh_from_db()
    unit = school.org_unit
    assert (school.name, school.town_id, school.school_type) == ("改名小学", other_town.pk, "primary")
    assert (unit.name, unit.parent_id) == ("改名小学", other_town.pk) and unit.path.startswith(
        other_town.path
    )


def test_bad_rows(school, bureau, tmp_path):
    town = school.town
    good = new_rows(town)[0]
    rows = [
        [good[0], good[1], "大学", *good[3:]],  # unknown type
        [good[0][:-1] + "2", good[1], "小学", "公办", "不存在镇", *good[5:]],
        [
            good[0][:-1] + "3",
            good[1],
            "小学",
            "公办",
            town.name,
            "乡村",
            "是",
            *good[7:],
        ],  # 普惠性 at a primary
        [good[0][:-1] + "4", good[1], "", "公办", town.name, *good[5:]],  # new school without type
        [good[0][:-1] + "5", *good[1:9], 200, 36.1, 1998],  # longitude
        [good[0][:-1] + "6", *good[1:9], 118.1, 36.1, 2999],  # founded in the future
        ["39998", *good[1:]],  # malformed code
        [good[0][:-1] + "8", *good[1:]],  # fine
    ]
    batch = preview(tmp_path, rows, bureau)
    errors = {e["row"]: e for e in batch.error_list()}
    assert batch.new == 1 and set(errors) == {2, 3, 4, 5, 6, 7, 8}
    assert errors[2]["column"] == "办学类型" and "代码表" in errors[2]["message"]
    assert errors[3]["column"] == "所在镇/街道" and "不存在" in errors[3]["message"]
    assert errors[4]["column"] == "普惠性" and "幼儿园" in errors[4]["message"]
    assert errors[5]["column"] == "办学类型" and "新增学校" in errors[5]["message"]
    assert errors[6]["column"] == "经度" and errors[7]["column"] == "建校年份"
    assert errors[8]["column"] == "学校标识码"
    services.commit(batch, bureau, only_valid=True)
    assert list(School.objects.filter(code__startswith="39998000").values_list("code", flat=True)) == [
        "3999800008"
    ]


def test_scope(school, other_school, tmp_path):
    admin = admin_of(school)
    rows = [
        [school.code, "本校新名", "", "", ""],
        [other_school.code, "别校新名", "", "", ""],
        ["3999800009", "新学校", "小学", "", school.town.name],
    ]
    batch = preview(tmp_path, rows, admin, headers=HEADERS[:5])
    errors = {e["row"]: e["message"] for e in batch.error_list()}
    assert batch.changed == 1 and errors == {3: "无权导入其他学校的数据", 4: "无权导入其他学校的数据"}
    services.commit(batch, admin, only_valid=True)
    other_school.refresh_from_db()
    assert School.objects.get(pk=school.pk).name == "本校新名" and other_school.name == "导入测试二小"
    assert not School.objects.filter(code="3999800009").exists()
