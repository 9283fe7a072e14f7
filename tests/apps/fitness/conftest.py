"""A small fitness county of our own (测试体质县, 370381) with figures that can be checked by hand.

It lives beside the session's demo county (which has its own fitness data) without touching it: its own
county node, school codes, ID numbers (region 370381) and usernames (fit_*).

2025 (the year looked at; 2024 is the previous year):

  镇甲  体测小学 (primary)   四年级(1)班: s1 男 95.0 优秀, s2 女 85.0 良好, s3 男 70.0 及格
                            四年级(2)班: s4 女 50.0 不及格, s5 女 免测, s6 男 on roll but not measured
        体测九年一贯制学校      六年级: n1 女 81.0 良好; 初一: n2 男 59.9 不及格
  镇乙  体测初中 (junior)    初一: j1 男 92.0 优秀, j2 男 缺项, j3 女 数据有误

  2024: 体测小学 三年级 s1 85 良好, s2 70 及格, s3 65 及格, s4 40 不及格; 体测小学 六年级 j1 80 良好.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from types import SimpleNamespace

import pytest

from edubrain.accounts.models import Role
from edubrain.fitness.models import FitnessMeasurement
from factories import (
    CountyFactory,
    EnrollmentFactory,
    SchoolClassFactory,
    SchoolFactory,
    SchoolYearFactory,
    StudentFactory,
    TownFactory,
    UserFactory,
    make_id_number,
)

REGION = "370381"
_seq = itertools.count(1)


def rating_of(total: float | None) -> str:
    if total is None:
        return ""
    return "优秀" if total >= 90 else "良好" if total >= 80 else "及格" if total >= 60 else "不及格"


def measure(student, year, school, grade, total=None, status="scored", class_name="", **fields):
    """A stored measurement with the given 学年总分 (标准分 = 总分, no bonus) and any score fields."""
    scored = status == "scored"
    return FitnessMeasurement.objects.create(
        student=student, school_year=year, school=school, grade_code=grade, class_name=class_name,
        status=status, exempt=status == "exempt",
        total_score=Decimal(str(total)) if scored else None,
        standard_score=Decimal(str(total)) if scored else None,
        bonus=0 if scored else None, rating=rating_of(total) if scored else "",
        remark={"exempt": "免测", "incomplete": "缺测50米跑，不计总分",
                "invalid": "身高999厘米不在合理范围（60—230厘米）"}.get(status, ""),
        **fields,
    )


def pupil(school, name, sex, birth=dt.date(2015, 3, 1)):
    number = make_id_number(next(_seq), birth, sex == "M", region=REGION)
    return StudentFactory(school=school, name=name, sex=sex, birth_date=birth, id_number=number,
                          student_number=f"G{number}")


@pytest.fixture
def fit(db):
    county = CountyFactory(division_code=REGION, name="测试体质县")
    town_a = TownFactory(parent=county, name="体测镇甲", division_code=f"{REGION}001")
    town_b = TownFactory(parent=county, name="体测镇乙", division_code=f"{REGION}002")
    y24, y25 = SchoolYearFactory(start_year=2024), SchoolYearFactory(start_year=2025)
    code = itertools.count(1)

    def school(town, name, school_type):
        return SchoolFactory(town=town, name=name, school_type=school_type, code=f"38{next(code):08d}")

    primary = school(town_a, "体测小学", "primary")
    nine = school(town_a, "体测九年一贯制学校", "nine_year")
    junior = school(town_b, "体测初中", "junior")

    def klass(at, year, grade, number=1):
        return SchoolClassFactory(school=at, school_year=year, grade_code=grade, number=number)

    p4_1, p4_2, p3 = klass(primary, y25, "14", 1), klass(primary, y25, "14", 2), klass(primary, y24, "13")
    p6_24 = klass(primary, y24, "16", 5)
    n6, n7, j7 = klass(nine, y25, "16"), klass(nine, y25, "21"), klass(junior, y25, "21")

    pupils = zip("甲乙丙丁戊己", "MFMFFM", strict=True)
    s1, s2, s3, s4, s5, s6 = (pupil(primary, f"体测{n}", sex) for n, sex in pupils)
    n1, n2 = pupil(nine, "体测九甲", "F"), pupil(nine, "体测九乙", "M")
    j1, j2, j3 = (pupil(junior, f"体测初{n}", sex) for n, sex in zip("甲乙丙", "MMF", strict=True))

    for student, c in [(s1, p4_1), (s2, p4_1), (s3, p4_1), (s4, p4_2), (s5, p4_2), (s6, p4_2),
                       (n1, n6), (n2, n7), (j1, j7), (j2, j7), (j3, j7)]:
        EnrollmentFactory(student=student, school_class=c, school_year=y25)
    for student in (s1, s2, s3, s4):
        EnrollmentFactory(student=student, school_class=p3, school_year=y24)
    EnrollmentFactory(student=j1, school_class=p6_24, school_year=y24, status="graduated")

    measure(s1, y25, primary, "14", 95.0, class_name="四年级(1)班", run_50m_score=100, bmi_score=100)
    measure(s2, y25, primary, "14", 85.0, class_name="四年级(1)班", run_50m_score=60, bmi_score=100)
    measure(s3, y25, primary, "14", 70.0, class_name="四年级(1)班", run_50m_score=50, bmi_score=80)
    measure(s4, y25, primary, "14", 50.0, class_name="四年级(2)班", run_50m_score=40, bmi_score=60)
    measure(s5, y25, primary, "14", status="exempt", class_name="四年级(2)班")
    measure(n1, y25, nine, "16", 81.0)
    measure(n2, y25, nine, "21", 59.9)
    measure(j1, y25, junior, "21", 92.0)
    measure(j2, y25, junior, "21", status="incomplete", run_50m_score=70)
    measure(j3, y25, junior, "21", status="invalid")
    for student, total in [(s1, 85.0), (s2, 70.0), (s3, 65.0), (s4, 40.0)]:
        measure(student, y24, primary, "13", total, class_name="三年级(1)班")
    measure(j1, y24, primary, "16", 80.0)

    users = SimpleNamespace(
        admin=UserFactory(username="fit_admin", role=Role.BUREAU_ADMIN, org_unit=county),
        leader=UserFactory(username="fit_leader", role=Role.LEADER, org_unit=county),
        primary=UserFactory(username="fit_primary", role=Role.SCHOOL_ADMIN, org_unit=primary.org_unit),
        junior=UserFactory(username="fit_junior", role=Role.SCHOOL_ADMIN, org_unit=junior.org_unit),
    )
    return SimpleNamespace(
        county=county, town_a=town_a, town_b=town_b, y24=y24, y25=y25, primary=primary, nine=nine,
        junior=junior, classes=SimpleNamespace(p4_1=p4_1, p4_2=p4_2), s1=s1, s2=s2, s3=s3, s4=s4, s5=s5,
        s6=s6, n1=n1, n2=n2, j1=j1, j2=j2, j3=j3, users=users,
    )


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
