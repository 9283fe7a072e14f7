"""Fixtures for import tests: a school with classes in the factories' test county, files written to tmp."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from edubrain.accounts.models import Role
from factories import SchoolClassFactory, SchoolFactory, SchoolYearFactory, UserFactory, make_id_number

STUDENT_HEADERS = [
    "学校标识码",
    "学籍号",
    "身份证号",
    "姓名",
    "性别",
    "出生日期",
    "民族",
    "家庭住址",
    "学年",
    "年级",
    "班号",
]


@pytest.fixture(autouse=True)
def _import_dir(settings, tmp_path):
    settings.EDUBRAIN = {**settings.EDUBRAIN, "IMPORT_DIR": tmp_path / "imports", "IMPORT_JOBS_SYNC": True}


@pytest.fixture
def school(db):
    s = SchoolFactory(name="导入测试小学")
    SchoolClassFactory(school=s, school_year=SchoolYearFactory(start_year=2024), grade_code="11", number=1)
    return s


@pytest.fixture
def other_school(school):
    return SchoolFactory(name="导入测试二小", town=school.town)


def student_row(school, seq: int, *, sex: str = "男", name: str | None = None, klass: bool = True) -> list:
    born = dt.date(2017, 3, 1) + dt.timedelta(days=seq % 200)
    id_number = make_id_number(7000 + seq, born, sex == "男")
    row = [
        school.code,
        f"G{id_number}",
        id_number,
        name or f"导入生{seq}",
        sex,
        born.isoformat(),
        "汉族",
        f"测试路{seq}号",
    ]
    return row + (["2024", "一年级", 1] if klass else ["", "", ""])


def write_xlsx(path, rows, headers=STUDENT_HEADERS, sheet="学生"):
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(headers)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def write_csv(path, rows, headers=STUDENT_HEADERS, encoding="utf-8"):
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(headers)
    w.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def xlsx_headers(data: bytes, sheet: int = 0) -> list:
    wb = load_workbook(io.BytesIO(data), read_only=True)
    ws = wb.worksheets[sheet]
    return [c.value for c in next(ws.iter_rows(max_row=1))]


def admin_of(school):
    return UserFactory(role=Role.SCHOOL_ADMIN, org_unit=school.org_unit)


@pytest.fixture
def bureau(school):
    return UserFactory(role=Role.BUREAU_STAFF, org_unit=school.town.parent)


@pytest.fixture
def bureau_admin(school):
    """A bureau administrator: may see personal data, so their exports re-import unchanged."""
    return UserFactory(role=Role.BUREAU_ADMIN, org_unit=school.town.parent)
