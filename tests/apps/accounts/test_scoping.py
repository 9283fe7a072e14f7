"""Scoping (数据权限) for every role and every scoped registry model: exactly the rows visible_to gives."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from edubrain.accounts.models import Role
from edubrain.base.scoping import get_visible_or_404, may_access, user_scope_path
from edubrain.registry.models import (
    Births,
    EducationGroup,
    Enrollment,
    Facility,
    Finance,
    Population,
    ResponsibleUnit,
    School,
    SchoolCapacity,
    SchoolClass,
    SchoolingYears,
    SchoolZone,
    Staff,
    StaffTraining,
    Student,
)
from factories import (
    BirthsFactory,
    CountyFactory,
    EducationGroupFactory,
    EnrollmentFactory,
    FacilityFactory,
    FinanceFactory,
    PopulationFactory,
    ResponsibleUnitFactory,
    SchoolCapacityFactory,
    SchoolClassFactory,
    SchoolFactory,
    SchoolingYearsFactory,
    SchoolYearFactory,
    SchoolZoneFactory,
    StaffFactory,
    StaffTrainingFactory,
    StudentFactory,
    TownFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SCHOOL_ROWS = (SchoolCapacity, SchoolClass, Student, Enrollment, Staff, StaffTraining, Facility)
ALL_MODELS = (
    School,
    SchoolZone,
    SchoolCapacity,
    EducationGroup,
    ResponsibleUnit,
    SchoolClass,
    Student,
    Enrollment,
    Staff,
    StaffTraining,
    Facility,
    Finance,
    Births,
    Population,
    SchoolingYears,
)


@pytest.fixture
def world():
    county = CountyFactory()
    towns = [TownFactory(parent=county, name="南麻街道"), TownFactory(parent=county, name="鲁村镇")]
    year = SchoolYearFactory(start_year=2024)
    zone = SchoolZoneFactory(county=county)
    schools = [
        SchoolFactory(town=towns[0], name="实验小学", school_type="primary", zone=zone),
        SchoolFactory(town=towns[0], name="第二中学", school_type="junior"),
        SchoolFactory(town=towns[1], name="职业学校", school_type="vocational"),
    ]
    grades = {"primary": "11", "junior": "21", "vocational": "31"}
    rows: dict[type, dict[object, set[int]]] = {m: {} for m in ALL_MODELS}
    for school in schools:
        grade = grades[school.school_type]
        school_class = SchoolClassFactory(school=school, school_year=year, grade_code=grade)
        students = [StudentFactory(school=school) for _ in range(2)]
        enrollments = [EnrollmentFactory(student=s, school_class=school_class) for s in students]
        staff = StaffFactory(school=school)
        per_school = {
            School: [school],
            SchoolCapacity: [SchoolCapacityFactory(school=school, grade_code=grade)],
            SchoolClass: [school_class],
            Student: students,
            Enrollment: enrollments,
            Staff: [staff],
            StaffTraining: [StaffTrainingFactory(staff=staff, school_year=year)],
            Facility: [FacilityFactory(school=school)],
        }
        for model, objs in per_school.items():
            rows[model][school] = {o.pk for o in objs}
    group = EducationGroupFactory(core_school=schools[0])
    group.members.add(schools[1])
    rows[EducationGroup][schools[0]] = {group.pk}
    rows[EducationGroup][schools[2]] = {EducationGroupFactory(core_school=schools[2]).pk}
    unit = ResponsibleUnitFactory(county=county, name="测试财政局")
    rows[ResponsibleUnit][unit] = {unit.pk}
    rows[SchoolZone][county] = {zone.pk}
    rows[Finance][county] = {FinanceFactory(org_unit=county).pk}
    rows[Births][towns[0]] = {BirthsFactory(org_unit=towns[0]).pk}
    rows[Births][towns[1]] = {BirthsFactory(org_unit=towns[1]).pk}
    rows[Population][towns[0]] = {PopulationFactory(org_unit=towns[0]).pk}
    rows[Population][county] = {PopulationFactory(org_unit=county, age=7).pk}
    rows[SchoolingYears][county] = {SchoolingYearsFactory(org_unit=county).pk}
    return SimpleNamespace(county=county, towns=towns, schools=schools, unit=unit, rows=rows)


def all_rows(world, model) -> set[int]:
    return set().union(*world.rows[model].values()) if world.rows[model] else set()


def visible(model, user) -> set[int]:
    return set(model.objects.visible_to(user).values_list("pk", flat=True))


def test_world_has_rows_of_every_model(world):
    """The fixture's county holds exactly the rows built above (the demo county lives elsewhere)."""
    for model in ALL_MODELS:
        assert len(all_rows(world, model)) > 0, model.__name__
        assert model.objects.filter(pk__in=all_rows(world, model)).count() == len(all_rows(world, model))


@pytest.mark.parametrize("role", [Role.BUREAU_ADMIN, Role.BUREAU_STAFF, Role.LEADER])
def test_county_roles_see_everything(world, role):
    user = UserFactory(role=role, org_unit=world.county)
    for model in ALL_MODELS:
        assert visible(model, user) == all_rows(world, model), model.__name__


def test_superuser_sees_everything(world):
    user = UserFactory(is_superuser=True, org_unit=None)
    for model in ALL_MODELS:
        seen = visible(model, user)
        assert seen >= all_rows(world, model), model.__name__
        assert seen == set(model.objects.values_list("pk", flat=True)), model.__name__  # demo rows too


@pytest.mark.parametrize("index", [0, 1, 2])
def test_school_admin_sees_only_own_school(world, index):
    school = world.schools[index]
    user = UserFactory(role=Role.SCHOOL_ADMIN, org_unit=school.org_unit)
    for model in (School, *SCHOOL_ROWS):
        assert visible(model, user) == world.rows[model][school], model.__name__
    # groups are scoped by their core school: the member school's administrator does not see the group
    assert visible(EducationGroup, user) == world.rows[EducationGroup].get(school, set())
    for model in (SchoolZone, ResponsibleUnit, Finance, Births, Population, SchoolingYears):
        assert visible(model, user) == set(), model.__name__


def test_unit_reporter_sees_only_own_unit(world):
    user = UserFactory(role=Role.UNIT_REPORTER, org_unit=world.unit.org_unit)
    assert visible(ResponsibleUnit, user) == {world.unit.pk}
    for model in ALL_MODELS:
        if model is not ResponsibleUnit:
            assert visible(model, user) == set(), model.__name__


def test_other_unit_reporter_does_not_see_this_unit(world):
    other = ResponsibleUnitFactory(county=world.county, name="测试发改局")
    user = UserFactory(role=Role.UNIT_REPORTER, org_unit=other.org_unit)
    assert visible(ResponsibleUnit, user) == {other.pk}


@pytest.mark.parametrize("kind", ["inactive", "no_org_unit", "anonymous", "none", "wrong_kind"])
def test_users_without_scope_see_nothing(world, kind):
    user = {
        "inactive": lambda: UserFactory(role=Role.BUREAU_ADMIN, org_unit=world.county, is_active=False),
        "no_org_unit": lambda: UserFactory(role=Role.BUREAU_ADMIN, org_unit=None),
        "anonymous": AnonymousUser,
        "none": lambda: None,
        # a school administrator wrongly attached to the county must not see the county
        "wrong_kind": lambda: UserFactory(role=Role.SCHOOL_ADMIN, org_unit=world.county),
    }[kind]()
    assert user_scope_path(user) is None
    for model in ALL_MODELS:
        assert visible(model, user) == set(), model.__name__


def test_inactive_superuser_sees_nothing(world):
    user = UserFactory(is_superuser=True, is_active=False, org_unit=None)
    assert visible(School, user) == set()


def test_single_object_access(world):
    from django.http import Http404

    own, other = world.schools[0], world.schools[2]
    user = UserFactory(role=Role.SCHOOL_ADMIN, org_unit=own.org_unit)
    assert get_visible_or_404(School, user, pk=own.pk) == own
    with pytest.raises(Http404):
        get_visible_or_404(School, user, pk=other.pk)
    own_student = Student.objects.filter(school=own).first()
    other_student = Student.objects.filter(school=other).first()
    assert may_access(user, own_student) and not may_access(user, other_student)
    assert not may_access(None, own_student)
