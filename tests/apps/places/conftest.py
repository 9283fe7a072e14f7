"""A small county of our own for the 学位与班额 tests (班额测试县, 379961), every figure countable by hand.

2024学年 (on-roll = 在籍 + 转入; 转出 never counts):
  镇甲 (学区一): 甲小学  一年级(1)班 54 在籍 + 2 转入 + 2 转出 → 56 (大班额, 超标准)
                       一年级(2)班 40
                甲初中  初一(1)班 66 (超大班额)
                甲幼儿园 小班(1)班 60 (幼儿园: outside the 大班额 counts)
  镇乙 (学区二): 乙小学  三年级(1)班 46 (超标准 45, not 大班额)
Births: 镇甲 2016–2024 = 50 a year; 镇乙 none.
Capacity: 甲小学 一年级 60, 二年级 55; 甲初中 初一 70; 乙小学 一年级 30.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
from types import SimpleNamespace

import polars as pl
import pytest
from openpyxl import load_workbook

from edubrain.accounts.models import Role
from edubrain.registry.models import Enrollment, Student
from factories import (
    BirthsFactory,
    CountyFactory,
    SchoolCapacityFactory,
    SchoolClassFactory,
    SchoolFactory,
    SchoolYearFactory,
    SchoolZoneFactory,
    TownFactory,
    UserFactory,
    make_id_number,
)

REGION = "379961"
_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pupils(school_class, n: int, status: str = "enrolled") -> None:
    """``n`` pupils of the class's school on roll (or with ``status``) in the class: two bulk inserts."""
    birth = dt.date(2017, 3, 1)
    students = []
    for _ in range(n):
        number = make_id_number(next(_seq), birth, True, region=REGION)
        students.append(
            Student(
                school=school_class.school,
                name="班额测试",
                sex="M",
                birth_date=birth,
                id_number=number,
                student_number=f"P{number}",
            )
        )
    created = Student.objects.bulk_create(students)
    Enrollment.objects.bulk_create(
        Enrollment(student=s, school_year=school_class.school_year, school_class=school_class, status=status)
        for s in created
    )


@pytest.fixture
def world(db):
    county = CountyFactory(division_code=REGION, name="班额测试县")
    town_a = TownFactory(parent=county, name="班额镇甲", division_code=f"{REGION}001")
    town_b = TownFactory(parent=county, name="班额镇乙", division_code=f"{REGION}002")
    zone_1 = SchoolZoneFactory(county=county, name="学区一")
    zone_2 = SchoolZoneFactory(county=county, name="学区二")
    y24 = SchoolYearFactory(start_year=2024)
    primary_a = SchoolFactory(town=town_a, zone=zone_1, name="甲小学", code="3999610001", locality="urban")
    junior_a = SchoolFactory(
        town=town_a, zone=zone_1, name="甲初中", school_type="junior", code="3999610002", locality="urban"
    )
    kinder_a = SchoolFactory(
        town=town_a, zone=zone_1, name="甲幼儿园", school_type="kindergarten", code="3999610003"
    )
    primary_b = SchoolFactory(town=town_b, zone=zone_2, name="乙小学", code="3999610004")
    p11_1 = SchoolClassFactory(school=primary_a, school_year=y24, grade_code="11", number=1)
    p11_2 = SchoolClassFactory(school=primary_a, school_year=y24, grade_code="11", number=2)
    j21 = SchoolClassFactory(school=junior_a, school_year=y24, grade_code="21", number=1)
    k01 = SchoolClassFactory(school=kinder_a, school_year=y24, grade_code="01", number=1)
    b13 = SchoolClassFactory(school=primary_b, school_year=y24, grade_code="13", number=1)
    pupils(p11_1, 54)
    pupils(p11_1, 2, "in")
    pupils(p11_1, 2, "out")
    pupils(p11_2, 40)
    pupils(j21, 66)
    pupils(k01, 60)
    pupils(b13, 46)
    for year in range(2016, 2025):
        BirthsFactory(org_unit=town_a, year=year, births=50)
    SchoolCapacityFactory(school=primary_a, grade_code="11", places=60)
    SchoolCapacityFactory(school=primary_a, grade_code="12", places=55)
    SchoolCapacityFactory(school=junior_a, grade_code="21", places=70)
    SchoolCapacityFactory(school=primary_b, grade_code="11", places=30)
    users = SimpleNamespace(
        admin=UserFactory(username="places_admin", role=Role.BUREAU_ADMIN, org_unit=county),
        school_a=UserFactory(username="places_school_a", role=Role.SCHOOL_ADMIN, org_unit=primary_a.org_unit),
    )
    return SimpleNamespace(
        county=county,
        town_a=town_a,
        town_b=town_b,
        zone_1=zone_1,
        zone_2=zone_2,
        primary_a=primary_a,
        junior_a=junior_a,
        kinder_a=kinder_a,
        primary_b=primary_b,
        users=users,
    )


@pytest.fixture
def read_xlsx():
    """Read a downloaded workbook's sheet as a polars frame (header row first)."""

    def read(content: bytes, sheet: str) -> pl.DataFrame:
        rows = list(load_workbook(io.BytesIO(content), read_only=True)[sheet].values)
        return pl.DataFrame([list(r) for r in rows[1:]], schema=list(rows[0]), orient="row")

    return read
