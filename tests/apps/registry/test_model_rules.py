"""Model rules beyond the issue's bad input: ID consistency, areas, finance, staff years, groups, zones."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from edubrain.base.orgtree import OrgKind, OrgUnit
from edubrain.registry.models import EducationGroup, Facility, Finance, SchoolYear, Staff
from edubrain.registry.services import enrol_student, save_validated, set_group_members
from factories import (
    BirthsFactory,
    CountyFactory,
    EducationGroupFactory,
    EnrollmentFactory,
    FacilityFactory,
    FinanceFactory,
    SchoolClassFactory,
    SchoolFactory,
    SchoolYearFactory,
    SchoolZoneFactory,
    StaffFactory,
    StaffTrainingFactory,
    StudentFactory,
    TownFactory,
    make_id_number,
)

pytestmark = pytest.mark.django_db


def errors_of(instance) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as err:
        instance.full_clean()
    return err.value.message_dict


def test_birth_date_must_match_id():
    student = StudentFactory.build(school=SchoolFactory())
    student.birth_date = student.birth_date + dt.timedelta(days=1)
    assert errors_of(student)["birth_date"] == ["出生日期2017-03-16与身份证号中的2017-03-15不一致"]


def test_sex_must_match_id():
    student = StudentFactory.build(school=SchoolFactory(), sex="M")
    student.sex = "F"
    assert errors_of(student)["sex"] == ["性别“女”与身份证号（第17位表示男）不一致"]


def test_consistent_student_is_valid():
    student = StudentFactory.build(school=SchoolFactory())
    student.full_clean()


def test_student_without_id_number_stored_as_null():
    first = StudentFactory(id_number="", student_number="LZ" + "1" * 17)
    second = StudentFactory(id_number="", student_number="LZ" + "2" * 17, school=first.school)
    first.refresh_from_db()
    assert first.id_number is None and second.id_number is None


def test_staff_id_consistency():
    staff = StaffFactory.build(school=SchoolFactory())
    staff.full_clean()
    staff.birth_date = dt.date(1985, 6, 2)
    assert errors_of(staff)["birth_date"] == ["出生日期1985-06-02与身份证号中的1985-06-01不一致"]
    staff.birth_date, staff.sex = dt.date(1985, 6, 1), "M"
    assert list(errors_of(staff)) == ["sex"]


@pytest.mark.parametrize(
    ("building", "teaching", "ok"),
    [(8000, 7999, True), (8000, 8000, True), (8000, Decimal("8000.01"), False)],
)
def test_teaching_area_not_above_building_area(building, teaching, ok):
    facility = FacilityFactory.build(school=SchoolFactory(), building_area=building, teaching_area=teaching)
    before = Facility.objects.count()
    if ok:
        save_validated(facility)
        assert Facility.objects.count() == before + 1
    else:
        with pytest.raises(ValidationError) as err:
            save_validated(facility)
        assert err.value.message_dict["teaching_area"] == [
            "教学及辅助用房面积（8000.01㎡）不能大于校舍建筑面积（8000㎡）"
        ]
        assert Facility.objects.count() == before


def test_negative_area_refused():
    facility = FacilityFactory.build(school=SchoolFactory(), sports_area=-1)
    assert errors_of(facility)["sports_area"][0].startswith("体育运动场馆面积（㎡）：")


@pytest.mark.parametrize(("total", "ok"), [(860_001, True), (860_000, True), (859_999, False)])
def test_finance_parts_not_above_total(total, ok):
    # parts: 100k + 300k + 200k + 150k + 100k + 10k = 860k
    finance = FinanceFactory.build(org_unit=CountyFactory(), general_budget=total)
    before = Finance.objects.count()
    if ok:
        save_validated(finance)
        assert Finance.objects.count() == before + 1
    else:
        with pytest.raises(ValidationError) as err:
            save_validated(finance)
        assert err.value.message_dict["general_budget"] == [
            "分学段经费之和（860000元）不能大于一般公共预算教育支出（859999元）"
        ]
        assert Finance.objects.count() == before


def test_finance_belongs_to_a_county():
    finance = FinanceFactory.build(org_unit=TownFactory(name="南麻街道"))
    messages = errors_of(finance)["org_unit"]
    assert "“南麻街道”是镇/街道，此处应为县（区）" in messages
    assert all(m.startswith(("行政区", "“南麻街道”")) for m in messages)


def test_births_belong_to_a_town_or_county():
    school = SchoolFactory()
    births = BirthsFactory.build(org_unit=school.org_unit)
    assert "org_unit" in errors_of(births)
    BirthsFactory.build(org_unit=school.town).full_clean()


@pytest.mark.parametrize(("left", "ok"), [(2014, False), (2015, False), (2016, True), (None, True)])
def test_staff_left_after_joined(left, ok):
    staff = StaffFactory.build(school=SchoolFactory(), joined_year=2015, left_year=left)
    before = Staff.objects.count()
    if ok:
        save_validated(staff)
        assert Staff.objects.count() == before + 1
    else:
        with pytest.raises(ValidationError) as err:
            save_validated(staff)
        assert err.value.message_dict["left_year"] == [f"离职学年（{left}）应晚于入职学年（2015）"]
        assert Staff.objects.count() == before


def test_active_in_boundaries():
    staff = StaffFactory.build(joined_year=2015, left_year=2020)
    assert [staff.active_in(y) for y in (2014, 2015, 2019, 2020)] == [False, True, True, False]


@pytest.mark.parametrize(
    ("school_type", "ok"), [("vocational", True), ("senior_high", False), ("primary", False)]
)
def test_dual_qualified_only_in_vocational_schools(school_type, ok):
    school = SchoolFactory(school_type=school_type)
    staff = StaffFactory.build(school=school, dual_qualified=True)
    if ok:
        staff.full_clean()
    else:
        assert errors_of(staff)["dual_qualified"] == [
            f"“双师型”仅适用于中等职业学校教师，{school.name}是{school.type_label}"
        ]


def test_training_only_while_employed():
    staff = StaffFactory(joined_year=2020, left_year=2023)
    for year, ok in ((2019, False), (2020, True), (2022, True), (2023, False)):
        training = StaffTrainingFactory.build(staff=staff, school_year=SchoolYearFactory(start_year=year))
        if ok:
            training.full_clean()
        else:
            assert "不在职" in errors_of(training)["school_year"][0]


@pytest.mark.parametrize(("hours", "ok"), [(0, True), (2000, True), (-1, False), (Decimal("2000.1"), False)])
def test_training_hours_range(hours, ok):
    training = StaffTrainingFactory.build(staff=StaffFactory(), school_year=SchoolYearFactory(), hours=hours)
    if ok:
        training.full_clean()
    else:
        assert errors_of(training)["hours"] == ["培训学时应在 0 到 2000 之间"]


def test_head_teacher_from_own_school():
    school_class = SchoolClassFactory()
    school_class.head_teacher = StaffFactory()  # another school
    assert errors_of(school_class)["head_teacher"] == ["班主任必须是本校教职工"]
    school_class.head_teacher = StaffFactory(school=school_class.school)
    school_class.full_clean()


@pytest.mark.parametrize(("year", "ok"), [(1948, False), (1949, True), (2100, True), (2101, False)])
def test_school_year_range(year, ok):
    school_year = SchoolYear(start_year=year)
    if ok:
        school_year.full_clean()
    else:
        assert errors_of(school_year)["start_year"] == ["起始年份应在 1949 到 2100 之间"]


def test_school_year_dates():
    year = SchoolYear(start_year=2020)
    assert (year.start_date, year.end_date) == (dt.date(2020, 9, 1), dt.date(2021, 8, 31))
    assert year.name == "2020—2021学年"
    assert SchoolYear.start_year_of(dt.date(2021, 8, 31)) == 2020
    assert SchoolYear.start_year_of(dt.date(2021, 9, 1)) == 2021
    assert year.contains(dt.date(2021, 8, 31)) and not year.contains(dt.date(2021, 9, 1))


def test_earlier_enrollment_may_be_in_an_earlier_school():
    """A pupil who moved from primary to junior school keeps a valid primary-school record."""
    old = EnrollmentFactory()
    student = old.student
    junior = SchoolFactory(school_type="junior", town=student.school.town)
    student.school = junior
    save_validated(student)
    later = SchoolYearFactory(start_year=old.school_year.start_year + 1)
    enrol_student(student, SchoolClassFactory(school=junior, school_year=later, grade_code="21"))
    old.refresh_from_db()
    old.full_clean()  # no longer the latest year: the old school is fine
    with pytest.raises(ValidationError):  # but a new record in the old school for a later year is refused
        enrol_student(
            student,
            SchoolClassFactory(
                school=old.school_class.school, school_year=SchoolYearFactory(start_year=2040)
            ),
        )


def test_school_zone_must_be_in_the_schools_county():
    school = SchoolFactory()
    other_county = OrgUnit.objects.create(kind=OrgKind.COUNTY, name="临县", division_code="379903")
    school.zone = SchoolZoneFactory(county=other_county, name="外县学区")
    assert errors_of(school)["zone"] == ["学区“外县学区”不属于学校所在镇/街道的上级县（区）"]
    school.zone = SchoolZoneFactory(county=school.town.parent)
    school.full_clean()


def test_school_closed_after_founded():
    school = SchoolFactory.build(town=TownFactory(), founded_year=2000, closed_year=2000)
    assert errors_of(school)["closed_year"] == ["撤并年份应晚于建校年份"]


def test_puhui_only_for_kindergartens():
    assert "is_puhui" in errors_of(SchoolFactory.build(town=TownFactory(), is_puhui=True))
    SchoolFactory.build(town=TownFactory(), school_type="kindergarten", is_puhui=True).full_clean()


def test_school_town_must_be_a_town():
    school = SchoolFactory.build(town=CountyFactory())
    messages = errors_of(school)["town"]
    assert "所在镇/街道必须是“镇/街道”类型的机构" in messages
    assert "所在镇/街道：所选的组织机构不存在或不符合要求" in messages


def test_group_core_school_cannot_be_member():
    group = EducationGroupFactory()
    member = SchoolFactory()
    with pytest.raises(ValidationError) as err, transaction.atomic():
        group.members.add(group.core_school)
    assert err.value.message_dict["members"] == [f"核心校“{group.core_school}”不能同时是本集团成员校"]
    assert group.members.count() == 0
    with pytest.raises(ValidationError), transaction.atomic():
        group.core_school.groups.add(group)  # from the other side of the relation
    assert group.members.count() == 0
    set_group_members(group, [member])
    assert list(group.members.all()) == [member]
    assert group.size == 2
    with pytest.raises(ValidationError):
        set_group_members(group, [member, group.core_school])
    assert list(group.members.all()) == [member]


def test_group_clean_refuses_member_as_core():
    group = EducationGroupFactory()
    member = SchoolFactory()
    group.members.add(member)
    group.core_school = member
    assert "core_school" in errors_of(group)
    assert EducationGroup.objects.get(pk=group.pk).core_school_id != member.pk


def test_id_numbers_from_factory_are_distinct_beyond_500():
    numbers = {make_id_number(n, dt.date(2017, 1, 1), True) for n in range(1200)}
    assert len(numbers) == 1200
