"""A tiny hand-made county for the web-shell tests, built with the factories.

It lives beside the session's demo county without touching it: its own county node (测试县, 370399), school
codes, ID numbers (region 370399) and usernames (web_*). Its two school years are the latest two in the
database, so "latest year" defaults mean the same with or without the demo county.
"""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest

from edubrain.accounts.models import Role
from edubrain.registry.models import Births, Finance, Population
from edubrain.registry.queries import latest_year
from factories import (
    CountyFactory,
    EnrollmentFactory,
    FacilityFactory,
    ResponsibleUnitFactory,
    SchoolClassFactory,
    SchoolYearFactory,
    TownFactory,
    UserFactory,
)

from .builders import REGION, make_school, make_staff, make_students


@pytest.fixture
def county(db):
    county = CountyFactory(division_code=REGION, name="测试县")
    nanma = TownFactory(parent=county, name="测试南麻街道", division_code=f"{REGION}001")
    lucun = TownFactory(parent=county, name="测试鲁村镇", division_code=f"{REGION}002")
    last = max(2024, latest_year() or 0)
    y_prev, y_last = SchoolYearFactory(start_year=last - 1), SchoolYearFactory(start_year=last)
    renmin = make_school(nanma, "测试人民路小学")
    lucun_school = make_school(lucun, "测试鲁村小学")
    kindergarten = make_school(nanma, "测试实验幼儿园", "kindergarten")

    renmin_teacher = make_staff(renmin, "王老师")
    make_staff(renmin, "李老师", education="postgrad")
    make_staff(renmin, "赵会计", post="admin")
    make_staff(lucun_school, "孙老师")
    make_staff(renmin, "钱老师", joined_year=2010, left_year=2020)

    def pupils(school, n, grade_by_year):
        classes = {
            year: SchoolClassFactory(school=school, school_year=year, grade_code=grade, number=1)
            for year, grade in grade_by_year.items()
        }
        students = make_students(school, n)
        for student in students:
            for year, klass in classes.items():
                EnrollmentFactory(student=student, school_class=klass, school_year=year)
        return students, classes

    renmin_pupils, renmin_classes = pupils(renmin, 3, {y_prev: "11", y_last: "12"})
    renmin_classes[y_last].head_teacher = renmin_teacher
    renmin_classes[y_last].save()
    lucun_pupils, lucun_classes = pupils(lucun_school, 2, {y_prev: "11", y_last: "12"})
    kids, _ = pupils(kindergarten, 2, {y_last: "01"})

    FacilityFactory(school=renmin, year=last - 1)
    FacilityFactory(school=renmin, year=last, books=12345)
    FacilityFactory(school=lucun_school, year=last)
    money = Decimal("100000000.00")
    Finance.objects.create(org_unit=county, year=last, general_budget=money, preschool=money / 10,
                           primary=money / 4, junior=money / 5, senior=money / 10, vocational=money / 20,
                           special=money / 100)
    Births.objects.create(org_unit=nanma, year=last - 1, births=812)
    Births.objects.create(org_unit=lucun, year=last - 1, births=245)
    Population.objects.create(org_unit=county, year=last, age=6, population=5021)

    unit = ResponsibleUnitFactory(name="测试县财政局", county=county)
    users = SimpleNamespace(
        admin=UserFactory(username="web_admin", role=Role.BUREAU_ADMIN, org_unit=county),
        staff=UserFactory(username="web_staff", role=Role.BUREAU_STAFF, org_unit=county),
        leader=UserFactory(username="web_leader", role=Role.LEADER, org_unit=county),
        school=UserFactory(username="web_school", role=Role.SCHOOL_ADMIN, org_unit=renmin.org_unit),
        reporter=UserFactory(username="web_reporter", role=Role.UNIT_REPORTER, org_unit=unit.org_unit),
    )
    return SimpleNamespace(
        county=county, towns=(nanma, lucun), years=(y_prev, y_last), last=last, renmin=renmin,
        lucun=lucun_school, kindergarten=kindergarten, renmin_pupils=renmin_pupils, lucun_pupils=lucun_pupils,
        kids=kids, renmin_classes=renmin_classes, lucun_classes=lucun_classes, teacher=renmin_teacher,
        users=users,
    )


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Five users per test: hash their passwords quickly (test-only override)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
