"""The issue's "Bad input": refused by model validation, a Chinese message naming the field, nothing saved."""

from __future__ import annotations

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from edubrain.registry.models import Enrollment, SchoolClass, Student
from edubrain.registry.services import enrol_student, save_validated
from factories import (
    EnrollmentFactory,
    SchoolClassFactory,
    SchoolFactory,
    SchoolYearFactory,
    StudentFactory,
    make_id_number,
)

pytestmark = pytest.mark.django_db


def refused(instance_or_call, *, field: str) -> list[str]:
    """Run the write; it must raise ValidationError with messages on ``field``; return them."""
    with pytest.raises(ValidationError) as err:
        if callable(instance_or_call):
            instance_or_call()
        else:
            save_validated(instance_or_call)
    messages = err.value.message_dict.get(field)
    assert messages, f"no error on {field}: {err.value.message_dict}"
    return messages


def counts() -> tuple[int, int, int]:
    return Student.objects.count(), Enrollment.objects.count(), SchoolClass.objects.count()


def test_invalid_id_number_checksum():
    school = SchoolFactory()
    good = make_id_number(1, StudentFactory.birth_date, male=True)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    before = counts()
    student = StudentFactory.build(school=school, id_number=bad, sex="M", student_number="LZ" + "1" * 17)
    messages = refused(student, field="id_number")
    assert any("身份证号" in m and "校验位错误" in m and f"最后一位应为{good[17]}" in m for m in messages)
    assert counts() == before


@pytest.mark.parametrize("bad", ["37032320170315001", "3703232017031500111", "370323201702300011"])
def test_invalid_id_number_format_and_date(bad):
    student = StudentFactory.build(school=SchoolFactory(), id_number=bad, student_number="LZ" + "2" * 17)
    before = counts()
    messages = refused(student, field="id_number")
    assert all("身份证号" in m for m in messages)
    assert counts() == before


def test_valid_id_number_accepted_and_lowercase_x_normalised():
    school = SchoolFactory()
    for seq in range(40):
        number = make_id_number(seq, StudentFactory.birth_date, male=seq % 2 == 1)
        if number.endswith("X"):
            break
    else:
        pytest.fail("no X check digit in the first 40 numbers")
    student = StudentFactory.build(
        school=school,
        id_number=number.lower(),
        sex="M" if seq % 2 else "F",
        student_number=f"g{number.lower()}",
    )
    save_validated(student)
    student.refresh_from_db()
    assert student.id_number == number
    assert student.student_number == f"G{number}"


def test_duplicate_student_number():
    existing = StudentFactory()
    before = counts()
    duplicate = StudentFactory.build(
        school=existing.school, student_number=existing.student_number, id_number=None
    )
    messages = refused(duplicate, field="student_number")
    assert messages == ["学籍号已存在：每名学生只能有一个学籍号"]
    assert counts() == before


def test_duplicate_id_number():
    existing = StudentFactory()
    duplicate = StudentFactory.build(
        school=existing.school, id_number=existing.id_number, student_number="LZ" + "3" * 17
    )
    before = counts()
    assert refused(duplicate, field="id_number") == ["身份证号已存在：该学生已登记"]
    assert counts() == before


def test_student_number_must_match_id_number():
    existing = StudentFactory.build(school=SchoolFactory())
    other = make_id_number(77, existing.birth_date, existing.sex == "M")
    existing.student_number = f"G{other}"
    before = counts()
    messages = refused(existing, field="student_number")
    assert messages == ["学籍号（G+身份证号）与身份证号不一致"]
    assert counts() == before


def test_enrollment_in_a_class_of_another_school():
    student = StudentFactory()
    other_class = SchoolClassFactory(school=SchoolFactory(name="别的小学"))
    before = counts()
    messages = refused(lambda: enrol_student(student, other_class), field="school_class")
    assert messages == [f"班级“{other_class}”不属于学生所在学校“{student.school}”"]
    assert counts() == before


def test_enrollment_in_own_school_accepted():
    student = StudentFactory()
    own_class = SchoolClassFactory(school=student.school)
    enrollment = enrol_student(student, own_class)
    assert enrollment.pk and enrollment.school_year_id == own_class.school_year_id
    assert Enrollment.objects.get(student=student).school_class == own_class


def test_class_grade_the_school_type_does_not_teach():
    school = SchoolFactory(school_type="primary", name="历山小学")
    before = counts()
    built = SchoolClassFactory.build(school=school, grade_code="31", school_year=SchoolYearFactory())
    messages = refused(built, field="grade_code")
    assert messages == ["历山小学是小学，不能设置高一班级"]
    assert counts() == before


@pytest.mark.parametrize(
    ("school_type", "grade", "ok"),
    [
        ("primary", "16", True),
        ("primary", "21", False),
        ("junior", "23", True),
        ("junior", "24", False),
        ("kindergarten", "03", True),
        ("kindergarten", "11", False),
        ("nine_year", "21", True),
        ("vocational", "31", True),
        ("vocational", "23", False),
    ],
)
def test_class_grade_boundaries(school_type, grade, ok):
    school_class = SchoolClassFactory.build(
        school=SchoolFactory(school_type=school_type), grade_code=grade, school_year=SchoolYearFactory()
    )
    before = SchoolClass.objects.count()
    if ok:
        save_validated(school_class)
        assert SchoolClass.objects.filter(pk=school_class.pk).exists()
    else:
        refused(school_class, field="grade_code")
        assert SchoolClass.objects.count() == before


def test_five_four_system_allows_grade_24(settings):
    settings.EDUBRAIN = {**settings.EDUBRAIN, "SCHOOL_SYSTEM": "5-4"}
    school = SchoolFactory(school_type="junior")
    year = SchoolYearFactory()
    save_validated(SchoolClassFactory.build(school=school, grade_code="24", school_year=year))
    refused(
        SchoolClassFactory.build(school=SchoolFactory(), grade_code="16", school_year=year),
        field="grade_code",
    )


def test_student_in_two_classes_in_one_year():
    first = EnrollmentFactory()
    second_class = SchoolClassFactory(school=first.student.school, school_year=first.school_year, number=99)
    before = counts()
    messages = refused(lambda: enrol_student(first.student, second_class), field="school_class")
    assert messages == ["该学生本学年已有班级：一名学生一个学年只能在一个班级（学年、班级重复）"]
    assert counts() == before


def test_same_student_next_year_accepted():
    first = EnrollmentFactory()
    next_year = SchoolYearFactory(start_year=first.school_year.start_year + 1)
    next_class = SchoolClassFactory(school=first.student.school, school_year=next_year, grade_code="12")
    enrol_student(first.student, next_class)
    assert first.student.enrollments.count() == 2


def test_class_year_must_match_enrollment_year():
    enrollment = EnrollmentFactory()
    other_year = SchoolYearFactory(start_year=2040)
    enrollment.school_year = other_year
    with pytest.raises(ValidationError) as err:
        enrollment.full_clean()
    assert "与学籍记录的学年不一致" in err.value.message_dict["school_class"][0]


def test_duplicate_class_number_names_the_fields():
    existing = SchoolClassFactory()
    duplicate = SchoolClassFactory.build(
        school=existing.school,
        school_year=existing.school_year,
        grade_code=existing.grade_code,
        number=existing.number,
    )
    before = counts()
    with pytest.raises(ValidationError) as err:
        save_validated(duplicate)
    assert err.value.message_dict[NON_FIELD_ERRORS] == [
        "学校、学年、年级、班号相同的班级已存在：学校、学年、年级、班号的组合不能重复"
    ]
    assert counts() == before


def test_required_fields_have_chinese_messages():
    with pytest.raises(ValidationError) as err:
        Student(student_number="", name="").full_clean()
    errors = err.value.message_dict
    for field in ("school", "student_number", "name", "sex", "birth_date"):
        label = Student._meta.get_field(field).verbose_name
        assert errors[field] == [f"{label}：这个字段是必填项。"], field


def test_school_code_unique_message_names_the_field():
    existing = SchoolFactory()
    duplicate = SchoolFactory.build(code=existing.code, town=existing.town)
    with pytest.raises(ValidationError) as err:
        duplicate.full_clean()
    assert err.value.message_dict["code"] == [f"学校标识码“{existing.code}”已存在，不能重复"]


def test_too_long_value_names_the_field():
    student = StudentFactory.build(school=SchoolFactory(), name="名" * 41)
    with pytest.raises(ValidationError) as err:
        student.full_clean()
    (message,) = err.value.message_dict["name"]
    assert message.startswith("姓名：") and "40" in message and "41" in message


def test_school_code_format():
    school = SchoolFactory.build(code="313700000", town=SchoolFactory().town)
    with pytest.raises(ValidationError) as err:
        school.full_clean()
    assert err.value.message_dict["code"] == ["学校标识码“313700000”应为10位数字"]
