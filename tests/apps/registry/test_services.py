"""The write side: save_validated/enrol_student validate, run atomically, check the user's role and scope."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from edubrain.accounts.models import Role
from edubrain.base.audit import AuditLog
from edubrain.registry.choices import EnrollmentStatus
from edubrain.registry.models import Enrollment, School, Staff, Student
from edubrain.registry.services import (
    check_write_scope,
    delete_validated,
    enrol_student,
    save_validated,
)
from factories import (
    EnrollmentFactory,
    SchoolClassFactory,
    SchoolFactory,
    StaffFactory,
    StudentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_schools():
    a = SchoolFactory(name="甲校")
    b = SchoolFactory(name="乙校", town=a.town)
    return a, b


def admin_of(school):
    return UserFactory(role=Role.SCHOOL_ADMIN, org_unit=school.org_unit)


def test_enrol_student_sets_year_and_status():
    student = StudentFactory()
    school_class = SchoolClassFactory(school=student.school)
    enrollment = enrol_student(student, school_class, EnrollmentStatus.TRANSFERRED_IN)
    stored = Enrollment.objects.get(pk=enrollment.pk)
    assert stored.school_year_id == school_class.school_year_id
    assert stored.status == EnrollmentStatus.TRANSFERRED_IN


def test_invalid_status_refused():
    student = StudentFactory()
    with pytest.raises(ValidationError) as err:
        enrol_student(student, SchoolClassFactory(school=student.school), "unknown")
    assert err.value.message_dict["status"][0].startswith("学籍状态：")
    assert not Enrollment.objects.filter(student=student).exists()


def test_school_admin_writes_in_own_school(two_schools):
    a, _ = two_schools
    user = admin_of(a)
    student = save_validated(StudentFactory.build(school=a), user)
    assert Student.objects.filter(pk=student.pk).exists()
    log = AuditLog.objects.filter(model="registry.Student", object_id=str(student.pk)).get()
    assert log.user == user


def test_school_admin_cannot_write_other_school(two_schools):
    a, b = two_schools
    before = Student.objects.count()
    with pytest.raises(PermissionDenied) as err:
        save_validated(StudentFactory.build(school=b), admin_of(a))
    assert str(err.value) == "“学生”不在您的管理范围内，不能修改"
    assert Student.objects.count() == before


def test_school_admin_cannot_move_a_row_out_or_in(two_schools):
    a, b = two_schools
    student = StudentFactory(school=a)
    student.school = b
    with pytest.raises(PermissionDenied):
        save_validated(student, admin_of(a))  # out of scope after the change
    other = StudentFactory(school=b)
    other.school = a
    with pytest.raises(PermissionDenied):
        save_validated(other, admin_of(a))  # stored row is out of scope
    assert Student.objects.get(pk=other.pk).school == b


def test_enrol_refused_for_class_of_other_school_admin(two_schools):
    a, b = two_schools
    student = StudentFactory(school=b)
    with pytest.raises(PermissionDenied):
        enrol_student(student, SchoolClassFactory(school=b), user=admin_of(a))


@pytest.mark.parametrize(
    ("role", "allowed"), [(Role.BUREAU_ADMIN, True), (Role.BUREAU_STAFF, True), (Role.LEADER, False)]
)
def test_county_roles(two_schools, role, allowed):
    a, _ = two_schools
    user = UserFactory(role=role, org_unit=a.town.parent)
    staff = StaffFactory.build(school=a)
    if allowed:
        save_validated(staff, user)
        assert Staff.objects.filter(pk=staff.pk).exists()
    else:
        with pytest.raises(PermissionDenied) as err:
            save_validated(staff, user)
        assert str(err.value) == "您的角色为只读，不能修改数据"


def test_new_school_placed_by_its_town(two_schools):
    a, _ = two_schools
    bureau = UserFactory(role=Role.BUREAU_ADMIN, org_unit=a.town.parent)
    school = save_validated(SchoolFactory.build(town=a.town, name="新建学校"), bureau)
    assert School.objects.get(pk=school.pk).org_unit.parent_id == a.town_id
    with pytest.raises(PermissionDenied):
        save_validated(SchoolFactory.build(town=a.town, name="越权学校"), admin_of(a))


def test_inactive_and_unit_users_cannot_write(two_schools):
    a, _ = two_schools
    inactive = UserFactory(role=Role.BUREAU_ADMIN, org_unit=a.town.parent, is_active=False)
    with pytest.raises(PermissionDenied) as err:
        check_write_scope(inactive, StudentFactory.build(school=a))
    assert "未启用" in str(err.value)


def test_superuser_and_system_write_anywhere(two_schools):
    _, b = two_schools
    check_write_scope(UserFactory(is_superuser=True, org_unit=None), StudentFactory.build(school=b))
    check_write_scope(None, StudentFactory.build(school=b))


def test_validation_error_rolls_back_everything():
    enrollment = EnrollmentFactory()
    student = enrollment.student
    student.name = "改过的名字"
    student.birth_date = student.birth_date.replace(day=1)  # inconsistent with the ID → refused
    with pytest.raises(ValidationError):
        save_validated(student)
    assert Student.objects.get(pk=student.pk).name != "改过的名字"


def test_delete_validated_checks_scope(two_schools):
    a, b = two_schools
    student = StudentFactory(school=b)
    with pytest.raises(PermissionDenied):
        delete_validated(student, admin_of(a))
    assert Student.objects.filter(pk=student.pk).exists()
    delete_validated(student, admin_of(b))
    assert not Student.objects.filter(pk=student.pk).exists()
