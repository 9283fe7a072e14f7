"""办学条件 import: commit, re-import, export round trip, ranges, 教学用房 ≤ 校舍, references and scope."""

from __future__ import annotations

import pytest

from edubrain.imports import services
from edubrain.imports.datasets import DATASETS
from edubrain.registry.models import Facility

from .conftest import admin_of, write_csv, write_xlsx

pytestmark = pytest.mark.django_db

HEADERS = [
    "学校标识码",
    "年份",
    "占地面积（㎡）",
    "校舍建筑面积（㎡）",
    "教学及辅助用房面积（㎡）",
    "体育运动场馆面积（㎡）",
    "教学仪器设备值（元）",
    "图书（册）",
    "网络多媒体教室（间）",
    "计算机（台）",
    "出口带宽（Mbps）",
]


def col(name):
    """The reader writes headers with half-width brackets."""
    return name.replace("（", "(").replace("）", ")")


def preview(tmp_path, rows, user=None, headers=HEADERS, name="f.csv", **kw):
    path = (write_xlsx if name.endswith(".xlsx") else write_csv)(tmp_path / name, rows, headers=headers)
    return services.preview(services.create_batch(user, "facilities", path, name, **kw))


def row(school, year=2024, **over):
    values = [school.code, year, 20000, 8000, 5000, 6000, 1500000.5, 30000, 24, 120, 1000]
    for i, v in over.items():
        values[int(i[1:])] = v
    return values


def test_commit_reimport_and_round_trip(school, other_school, bureau, tmp_path):
    batch = preview(tmp_path, [row(school), row(school, 2023), row(other_school)], name="a.xlsx")
    assert (batch.new, batch.changed, batch.invalid) == (3, 0, 0), batch.error_list()
    services.commit(batch, None)
    f = Facility.objects.get(school=school, year=2024)
    assert (float(f.teaching_area), float(f.equipment_value), f.books, f.broadband_mbps) == (
        5000,
        1500000.5,
        30000,
        1000,
    )
    again = preview(tmp_path, [row(school), row(school, 2023), row(other_school)], name="b.csv")
    assert (again.new, again.changed, again.unchanged) == (0, 0, 3)
    (tmp_path / "e.xlsx").write_bytes(DATASETS["facilities"].export(bureau, "xlsx"))
    back = services.preview(services.create_batch(bureau, "facilities", tmp_path / "e.xlsx", "e.xlsx"))
    assert (back.invalid, back.new, back.changed) == (0, 0, 0) and back.unchanged >= 3


def test_change_and_absent_or_blank_columns_keep_stored(school, tmp_path):
    services.commit(preview(tmp_path, [row(school)]), None)
    changed = preview(tmp_path, [row(school, c7=31000)], name="c.csv")
    assert (changed.changed, changed.unchanged) == (1, 0)
    assert changed.sample_changes[0]["field"] == "图书（册）"
    services.commit(changed, None)
    partial = preview(
        tmp_path, [[school.code, 2024, 900]], headers=HEADERS[:2] + ["计算机（台）"], name="p.csv"
    )
    assert partial.changed == 1
    services.commit(partial, None)
    blank = preview(tmp_path, [row(school, c2="", c7=31000, c8="", c9=900)], name="blank.csv")
    assert blank.changed == 0 and blank.unchanged == 1
    f = Facility.objects.get(school=school, year=2024)
    assert (f.books, f.computers, float(f.land_area)) == (31000, 900, 20000)


@pytest.mark.parametrize(
    ("name", "value", "ok"),
    [
        ("c3", -1, False),
        ("c3", 0, True),
        ("c3", 10_000_000, True),
        ("c3", 10_000_001, False),
        ("c10", -5, False),
        ("c7", "很多", False),
        ("c1", 1989, False),
        ("c1", 2099, False),
    ],
)
def test_ranges(school, tmp_path, name, value, ok):
    over = {name: value}
    if name == "c3":  # keep 教学及辅助用房 ≤ 校舍 for the range check alone
        over["c4"] = 0
    batch = preview(tmp_path, [row(school, **over)])
    if ok:
        assert batch.invalid == 0, batch.error_list()
        return
    err = batch.error_list()[0]
    assert batch.invalid == 1 and err["row"] == 2 and col(err["column"]) == col(HEADERS[int(name[1:])])
    services.commit(batch, None, only_valid=True)
    assert not Facility.objects.filter(school=school).exists()


def test_teaching_area_above_building_and_references(school, tmp_path):
    from factories import SchoolFactory, TownFactory

    outsider = SchoolFactory(town=TownFactory())
    rows = [row(school, c4=9000), [f"{'3999999999'}", 2024], row(outsider), row(school, 2022)]
    rows[1] += row(school)[2:]
    batch = preview(tmp_path, rows, user=admin_of(school))
    errors = {e["row"]: e for e in batch.error_list()}
    assert batch.invalid == 3 and batch.new == 1
    assert "不能大于校舍建筑面积" in errors[2]["message"] and col(errors[2]["column"]) == col(
        "教学及辅助用房面积（㎡）"
    )
    assert "不存在" in errors[3]["message"] and errors[3]["column"] == "学校标识码"
    assert errors[4]["message"] == "无权导入其他学校的数据"
    services.commit(batch, admin_of(school), only_valid=True)
    assert list(Facility.objects.filter(school__in=[school, outsider]).values_list("year", flat=True)) == [
        2022
    ]
