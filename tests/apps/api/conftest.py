"""A small county of our own (not the demo's 370323) with one user per role, and API clients.

World (county 测试县 370391):
  town_a: school_a (primary; zone, group core), kindergarten_a
  town_b: school_b (junior, private, urban)
  unit: 县测试财政局 (responsible unit)
  school years 2023, 2024; students with enrolment history; staff; facilities; finance; births; population.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client

from edubrain.accounts.models import Role, User
from edubrain.base.orgtree import OrgKind, OrgUnit
from edubrain.registry.models import (
    Births,
    EducationGroup,
    Finance,
    Population,
    SchoolCapacity,
    SchoolZone,
)
from factories import (
    CountyFactory,
    EnrollmentFactory,
    FacilityFactory,
    ResponsibleUnitFactory,
    SchoolClassFactory,
    SchoolFactory,
    SchoolYearFactory,
    StaffFactory,
    StudentFactory,
    TownFactory,
    UserFactory,
    make_id_number,
)

from .support import api_client

COUNTY_CODE = "370391"
_SEQ = itertools.count(1)
BIRTH = dt.date(2016, 3, 1)


@dataclass
class World:
    county: OrgUnit
    town_a: OrgUnit
    town_b: OrgUnit
    school_a: Any
    kindergarten_a: Any
    school_b: Any
    unit: Any
    users: dict[str, User] = field(default_factory=dict)
    students: dict[str, Any] = field(default_factory=dict)
    staff: dict[str, Any] = field(default_factory=dict)
    classes: dict[str, Any] = field(default_factory=dict)

    @property
    def schools(self) -> list[Any]:
        return [self.school_a, self.kindergarten_a, self.school_b]


def student(school: Any, name: str | None = None, sex: str = "F", birth: dt.date = BIRTH) -> Any:
    """A student with a valid 身份证号 from our own region, so it never collides with the demo county."""
    number = make_id_number(next(_SEQ), birth, sex == "M", region=COUNTY_CODE)
    extra = {"name": name} if name else {}
    return StudentFactory(school=school, sex=sex, birth_date=birth, id_number=number, **extra)


def staff_member(school: Any, name: str | None = None, **fields: Any) -> Any:
    number = make_id_number(next(_SEQ), dt.date(1985, 6, 1), False, region=COUNTY_CODE)
    extra = {"name": name} if name else {}
    born = dt.date(1985, 6, 1)
    return StaffFactory(school=school, sex="F", birth_date=born, id_number=number, **extra, **fields)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """New test users get cheap hashes; the demo accounts' stored hashes still verify."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS,
    ]


@pytest.fixture
def world(db) -> World:
    county = CountyFactory(division_code=COUNTY_CODE, name="测试县")
    town_a = TownFactory(parent=county, name="甲镇", division_code="370391101")
    town_b = TownFactory(parent=county, name="乙街道", division_code="370391102")
    zone = SchoolZone.objects.create(name="测试第一学区", county=county)
    school_a = SchoolFactory(
        town=town_a, name="测试甲镇中心小学", code="3199000001", zone=zone, locality="town"
    )
    kindergarten_a = SchoolFactory(
        town=town_a, name="测试甲镇幼儿园", code="3199000002", school_type="kindergarten", is_puhui=True
    )
    school_b = SchoolFactory(
        town=town_b, name="测试乙街道初级中学", code="3199000003", school_type="junior", ownership="private",
        locality="urban", rating="prov_1",
    )
    SchoolCapacity.objects.create(school=school_a, grade_code="11", places=90)
    group = EducationGroup.objects.create(name="测试甲镇教育集团", kind="urban_rural", core_school=school_a)
    group.members.set([school_b])
    unit = ResponsibleUnitFactory(county=county, name="县测试财政局")

    y2023, y2024 = SchoolYearFactory(start_year=2023), SchoolYearFactory(start_year=2024)
    classes = {
        "a23": SchoolClassFactory(school=school_a, school_year=y2023, grade_code="11", number=1),
        "a24": SchoolClassFactory(school=school_a, school_year=y2024, grade_code="12", number=1),
        "b23": SchoolClassFactory(school=school_b, school_year=y2023, grade_code="21", number=1),
        "b24": SchoolClassFactory(school=school_b, school_year=y2024, grade_code="22", number=1),
        "k24": SchoolClassFactory(school=kindergarten_a, school_year=y2024, grade_code="01", number=1),
    }
    students = {
        # 张小明: school_a in 2023 and 2024
        "ming": student(school_a, "张小明", "M", dt.date(2016, 5, 1)),
        # 李小红: school_b in 2023 and 2024
        "hong": student(school_b, "李小红", "F", dt.date(2011, 2, 3)),
        # 王转学: school_b in 2023 (转出), school_a in 2024
        "moved": student(school_a, "王转学", "F", dt.date(2016, 8, 9)),
        # 赵幼幼: kindergarten 2024
        "kid": student(kindergarten_a, "赵幼幼", "M", dt.date(2021, 1, 2)),
    }
    for key in ("ming", "hong", "moved", "kid"):
        students[key].address = f"{key}家庭住址"
        students[key].save()
    EnrollmentFactory(student=students["ming"], school_class=classes["a23"])
    EnrollmentFactory(student=students["ming"], school_class=classes["a24"])
    EnrollmentFactory(student=students["hong"], school_class=classes["b23"])
    EnrollmentFactory(student=students["hong"], school_class=classes["b24"])
    EnrollmentFactory(student=students["moved"], school_class=classes["b23"], status="out")
    EnrollmentFactory(student=students["moved"], school_class=classes["a24"], status="in")
    EnrollmentFactory(student=students["kid"], school_class=classes["k24"])

    staff = {
        "teacher_a": staff_member(school_a, "陈老师", post="teacher", education="bachelor", joined_year=2015),
        "admin_b": staff_member(school_b, "周主任", post="admin", education="postgrad", joined_year=2020,
                                left_year=2024, subject=""),
        "teacher_k": staff_member(kindergarten_a, "吴老师", post="teacher", education="college",
                                  joined_year=2024, subject="学前教育", preschool_major=True),
    }
    FacilityFactory(school=school_a, year=2023)
    FacilityFactory(school=school_a, year=2024)
    FacilityFactory(school=school_b, year=2024, land_area=12345.5)
    Finance.objects.create(
        org_unit=county, year=2024, general_budget=900_000_000, preschool=100_000_000, primary=300_000_000,
        junior=200_000_000, senior=150_000_000, vocational=80_000_000, special=10_000_000,
    )
    Births.objects.create(org_unit=town_a, year=2023, births=321)
    Births.objects.create(org_unit=town_b, year=2023, births=123)
    for age, people in ((6, 1000), (7, 1100)):
        Population.objects.create(org_unit=county, year=2024, age=age, population=people)

    users = {
        "admin": UserFactory(username="t_admin", role=Role.BUREAU_ADMIN, org_unit=county),
        "staff": UserFactory(username="t_staff", role=Role.BUREAU_STAFF, org_unit=county),
        "leader": UserFactory(username="t_leader", role=Role.LEADER, org_unit=county),
        "school": UserFactory(username="t_school", role=Role.SCHOOL_ADMIN, org_unit=school_a.org_unit),
        "reporter": UserFactory(username="t_reporter", role=Role.UNIT_REPORTER, org_unit=unit.org_unit),
    }
    assert county.kind == OrgKind.COUNTY
    return World(
        county=county, town_a=town_a, town_b=town_b, school_a=school_a, kindergarten_a=kindergarten_a,
        school_b=school_b, unit=unit, users=users, students=students, staff=staff, classes=classes,
    )


@pytest.fixture
def clients(world) -> dict[str, Client]:
    """One token-authenticated client per role."""
    return {role: api_client(user) for role, user in world.users.items()}
