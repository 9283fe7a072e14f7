"""A small county of our own for the import pages (测试县, 370396), beside the session's demo county.

  town: school_a (primary, one class, two students), school_b (primary, one student)
  users: admin (教育局管理员), leader (领导，只读), school_a / school_b (学校管理员)
Codes, 身份证号 (region 370396) and usernames (imp_*) never collide with the demo or other test counties.
"""

from __future__ import annotations

import datetime as dt
import itertools
from types import SimpleNamespace

import pytest
from django.test import Client

from edubrain.accounts.models import ApiToken, Role
from edubrain.registry.queries import latest_year
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

REGION = "370396"
_serial = itertools.count(1)


def next_id_number(birth: dt.date = dt.date(2017, 3, 15), male: bool = False) -> str:
    return make_id_number(next(_serial), birth, male, REGION)


def pupil(school, name, klass=None):
    number = next_id_number()
    student = StudentFactory(school=school, name=name, sex="F", birth_date=dt.date(2017, 3, 15),
                             id_number=number, student_number=f"G{number}")
    if klass is not None:
        EnrollmentFactory(student=student, school_class=klass, school_year=klass.school_year)
    return student


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS,
    ]


@pytest.fixture
def county(db):
    county = CountyFactory(division_code=REGION, name="测试导入县")
    town = TownFactory(parent=county, name="测试导入镇", division_code=f"{REGION}101")
    year = SchoolYearFactory(start_year=max(2024, latest_year() or 0))
    school_a = SchoolFactory(town=town, name="测试导入甲小学", code="3799600001")
    school_b = SchoolFactory(town=town, name="测试导入乙小学", code="3799600002")
    class_a = SchoolClassFactory(school=school_a, school_year=year, grade_code="11", number=1)
    class_b = SchoolClassFactory(school=school_b, school_year=year, grade_code="11", number=1)
    students_a = [pupil(school_a, "测试甲一", class_a), pupil(school_a, "测试甲二", class_a)]
    students_b = [pupil(school_b, "测试乙一", class_b)]
    users = SimpleNamespace(
        admin=UserFactory(username="imp_admin", role=Role.BUREAU_ADMIN, org_unit=county),
        leader=UserFactory(username="imp_leader", role=Role.LEADER, org_unit=county),
        school_a=UserFactory(username="imp_school_a", role=Role.SCHOOL_ADMIN, org_unit=school_a.org_unit),
        school_b=UserFactory(username="imp_school_b", role=Role.SCHOOL_ADMIN, org_unit=school_b.org_unit),
    )
    return SimpleNamespace(
        county=county, town=town, year=year, school_a=school_a, school_b=school_b, class_a=class_a,
        class_b=class_b, students_a=students_a, students_b=students_b, users=users,
    )


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


def token_client(user) -> Client:
    _, key = ApiToken.issue(user, name="测试导入")
    return Client(headers={"Authorization": f"Bearer {key}"})
