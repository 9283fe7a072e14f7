"""A small county of our own (测试均衡县, 370391) for the 优质均衡 tests, 2024 学年:

- 均衡小学甲 (小学, 镇甲): 4 pupils on roll in 一年级 (a fifth 转出, not counted); 专任教师 a (专科, 骨干教师,
  体育), b (高中, 语文), c (本科, left in 2024: not counted) and an 行政人员 (not a 专任教师); 办学条件
  教学及辅助用房 20 ㎡, 体育运动场馆 40 ㎡, 设备 10,000 元, 1 间多媒体教室.
- 均衡小学乙 (小学, 镇乙): 2 pupils; 专任教师 d (专科, 语文); 办学条件 6 ㎡, 20 ㎡, 5,000 元, 1 间.
- 均衡学校 (九年一贯制, 镇乙): 2 pupils in 一年级, 3 in 初一; 专任教师 e (本科, 学科带头人, 音乐),
  f (专科, 数学), g (研究生, 美术); 办学条件 100 ㎡, 200 ㎡, 50,000 元, 5 间.
- a kindergarten and a 小学 closed in 2023 (neither evaluated).
"""

from __future__ import annotations

import datetime as dt
import itertools
from types import SimpleNamespace

import pytest

from edubrain.accounts.models import Role
from factories import (
    CountyFactory,
    EnrollmentFactory,
    FacilityFactory,
    SchoolClassFactory,
    SchoolFactory,
    SchoolYearFactory,
    StaffFactory,
    StudentFactory,
    TownFactory,
    UserFactory,
    make_id_number,
)

REGION = "370391"
_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pupils(school, year, grade, n, status="enrolled"):
    cls = SchoolClassFactory(school=school, school_year=year, grade_code=grade)
    out = []
    for _ in range(n):
        number = make_id_number(next(_seq), dt.date(2016, 3, 1), True, region=REGION)
        student = StudentFactory(
            school=school,
            id_number=number,
            student_number=f"B{number}",
            sex="M",
            birth_date=dt.date(2016, 3, 1),
        )
        out.append(EnrollmentFactory(student=student, school_class=cls, school_year=year, status=status))
    return out


def teacher(school, education, tier="", subject="语文", post="teacher", left_year=None):
    number = make_id_number(next(_seq), dt.date(1985, 6, 1), False, region="370392")
    return StaffFactory(
        school=school,
        education=education,
        tier=tier,
        subject=subject,
        post=post,
        left_year=left_year,
        joined_year=2015,
        id_number=number,
    )


def facility(school, teaching, sports, equipment, rooms, year=2024):
    return FacilityFactory(
        school=school,
        year=year,
        building_area=max(teaching * 2, 1),
        teaching_area=teaching,
        sports_area=sports,
        equipment_value=equipment,
        multimedia_classrooms=rooms,
    )


@pytest.fixture
def bal(db):
    county = CountyFactory(division_code=REGION, name="测试均衡县")
    town_a = TownFactory(parent=county, name="均衡镇甲", division_code=f"{REGION}001")
    town_b = TownFactory(parent=county, name="均衡镇乙", division_code=f"{REGION}002")
    y24 = SchoolYearFactory(start_year=2024)
    p1 = SchoolFactory(
        town=town_a, name="均衡小学甲", school_type="primary", code="3910000001", locality="rural"
    )
    p2 = SchoolFactory(town=town_b, name="均衡小学乙", school_type="primary", code="3910000002")
    n1 = SchoolFactory(town=town_b, name="均衡学校", school_type="nine_year", code="3910000003")
    SchoolFactory(
        town=town_a, name="均衡幼儿园", school_type="kindergarten", code="3910000004", is_puhui=True
    )
    SchoolFactory(town=town_a, name="撤并小学", school_type="primary", code="3910000005", closed_year=2023)
    pupils(p1, y24, "11", 4)
    pupils(p1, y24, "11", 1, status="out")
    pupils(p2, y24, "11", 2)
    pupils(n1, y24, "11", 2)
    pupils(n1, y24, "21", 3)
    teacher(p1, "college", tier="backbone", subject="体育")
    teacher(p1, "high")
    teacher(p1, "bachelor", left_year=2024)
    teacher(p1, "bachelor", post="admin")
    teacher(p2, "college")
    teacher(n1, "bachelor", tier="leader", subject="音乐")
    teacher(n1, "college", subject="数学")
    teacher(n1, "postgrad", subject="美术")
    facility(p1, 20, 40, 10000, 1)
    facility(p2, 6, 20, 5000, 1)
    facility(n1, 100, 200, 50000, 5)
    users = SimpleNamespace(
        admin=UserFactory(username="bal_admin", role=Role.BUREAU_ADMIN, org_unit=county),
        school=UserFactory(username="bal_school", role=Role.SCHOOL_ADMIN, org_unit=p2.org_unit),
        other=UserFactory(username="bal_other", role=Role.BUREAU_ADMIN),
    )
    return SimpleNamespace(
        county=county, town_a=town_a, town_b=town_b, year=y24, p1=p1, p2=p2, n1=n1, users=users
    )
