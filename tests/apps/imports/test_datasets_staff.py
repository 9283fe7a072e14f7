"""教职工 import: keyed by 身份证号, ID consistency, 双师型 only at vocational schools, years, scope."""

from __future__ import annotations

import datetime as dt

import pytest

from edubrain.imports import services
from edubrain.imports.datasets import DATASETS
from edubrain.registry.models import Staff
from factories import SchoolFactory, make_id_number

from .conftest import admin_of, write_csv, write_xlsx

pytestmark = pytest.mark.django_db

HEADERS = [
    "学校标识码",
    "身份证号",
    "工号",
    "姓名",
    "性别",
    "出生日期",
    "岗位类别",
    "任教学科",
    "最高学历",
    "学前教育专业",
    "职称",
    "骨干层级",
    "双师型",
    "专业课教师",
    "班主任",
    "在编",
    "入职学年",
    "离职学年",
]


def preview(tmp_path, rows, user=None, name="t.csv", headers=HEADERS, **kw):
    path = (write_xlsx if name.endswith(".xlsx") else write_csv)(tmp_path / name, rows, headers=headers)
    return services.preview(services.create_batch(user, "staff", path, name, **kw))


def person(school, seq, *, male=False, **over):
    born = dt.date(1985, 6, 1) + dt.timedelta(days=seq)
    values = [
        school.code,
        make_id_number(900 + seq, born, male),
        f"T{seq:03d}",
        f"教师{seq}",
        "男" if male else "女",
        born.isoformat(),
        "专任教师",
        "语文",
        "本科",
        "否",
        "一级",
        "骨干教师",
        "否",
        "否",
        "是",
        "是",
        "2010-2011",
        "",
    ]
    for i, v in over.items():
        values[int(i[1:])] = v
    return values


def test_commit_reimport_and_round_trip(school, bureau_admin, tmp_path):
    rows = [person(school, 1), person(school, 2, male=True, c4="", c5="", c17="2020")]
    batch = preview(tmp_path, rows, name="a.xlsx")
    assert (batch.new, batch.invalid) == (2, 0), batch.error_list()
    services.commit(batch, None)
    first = Staff.objects.get(id_number=rows[0][1])
    assert (first.title, first.tier, first.head_teacher, first.has_bianzhi, first.joined_year) == (
        "yiji",
        "backbone",
        True,
        True,
        2010,
    )
    second = Staff.objects.get(id_number=rows[1][1])  # 性别、出生日期 taken from the ID
    assert (second.sex, second.birth_date, second.left_year) == ("M", dt.date(1985, 6, 3), 2020)
    rows[1][4], rows[1][5] = "男", "1985-06-03"
    again = preview(tmp_path, rows, name="b.csv")
    assert (again.new, again.changed, again.unchanged) == (0, 0, 2)
    (tmp_path / "e.xlsx").write_bytes(DATASETS["staff"].export(bureau_admin, "xlsx"))
    back = services.preview(services.create_batch(bureau_admin, "staff", tmp_path / "e.xlsx", "e.xlsx"))
    assert (back.invalid, back.new, back.changed) == (0, 0, 0) and back.unchanged >= 2


def test_blank_and_absent_columns_keep_stored(school, tmp_path):
    row = person(school, 3)
    services.commit(preview(tmp_path, [row]), None)
    blank = preview(tmp_path, [person(school, 3, c8="", c10="", c15="")], name="b.csv")
    assert (blank.changed, blank.unchanged) == (0, 1)
    moved = preview(
        tmp_path, [[school.code, row[1], "新姓名"]], headers=["学校标识码", "身份证号", "姓名"], name="c.csv"
    )
    assert moved.changed == 1
    services.commit(moved, None)
    s = Staff.objects.get(id_number=row[1])
    assert (s.name, s.education, s.title, s.has_bianzhi) == ("新姓名", "bachelor", "yiji", True)


def test_bad_rows(school, tmp_path):
    vocational = SchoolFactory(school_type="vocational", town=school.town)
    rows = [
        person(school, 4, c4="男"),  # sex against the ID
        person(school, 5, c5="1990-01-01"),  # birth date against the ID
        person(school, 6, c12="是"),  # 双师型 at a primary school
        person(vocational, 7, c12="是"),  # fine
        person(school, 8, c8="博士后"),  # unknown code
        person(school, 9, c17="2009"),  # left before joining
        person(school, 10, c16="2999"),  # joined in the future
        person(school, 11),  # checksum broken below
        person(school, 12, c8=""),  # a new person without 最高学历
        person(school, 13),
        person(school, 13, c3="同号另一人"),  # the same ID as the row above
    ]
    rows[7][1] = rows[7][1][:-1] + ("0" if rows[7][1][-1] != "0" else "1")
    batch = preview(tmp_path, rows)
    errors = {e["row"]: e for e in batch.error_list()}
    assert batch.new == 1 and set(errors) == set(range(2, 13)) - {5}
    assert errors[2]["column"] == "性别" and "身份证号" in errors[2]["message"]
    assert errors[3]["column"] == "出生日期" and "不一致" in errors[3]["message"]
    assert errors[4]["column"] == "双师型" and "中等职业学校" in errors[4]["message"]
    assert errors[6]["column"] == "最高学历" and "代码表" in errors[6]["message"]
    assert errors[7]["column"] == "离职学年" and "应晚于入职学年" in errors[7]["message"]
    assert errors[8]["column"] == "入职学年"
    assert errors[9]["column"] == "身份证号" and "校验" in errors[9]["message"]
    assert errors[10]["column"] == "最高学历" and "须填写" in errors[10]["message"]
    assert (
        errors[11]["column"] == "身份证号"
        and "重复" in errors[11]["message"]
        and "重复" in errors[12]["message"]
    )
    services.commit(batch, None, only_valid=True)
    assert list(
        Staff.objects.filter(school__in=[school, vocational]).values_list("dual_qualified", flat=True)
    ) == [True]


def test_scope(school, other_school, tmp_path):
    services.commit(preview(tmp_path, [person(other_school, 20)]), None)
    admin = admin_of(school)
    moved = person(school, 20)  # registered at another school
    batch = preview(tmp_path, [moved, person(other_school, 21), person(school, 22)], admin, name="b.csv")
    errors = {e["row"]: e["message"] for e in batch.error_list()}
    assert batch.new == 1 and "不在您的管理范围" in errors[2] and errors[3] == "无权导入其他学校的数据"
    services.commit(batch, admin, only_valid=True)
    assert Staff.objects.get(id_number=moved[1]).school == other_school
