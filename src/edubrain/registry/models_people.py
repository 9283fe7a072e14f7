"""School years (学年), classes (班级), students (学生) with yearly enrolments (学籍), staff (教职工)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from edubrain.base.scoping import ScopedManager
from edubrain.base.validation import ValidatedModel, validate_id_number, validate_student_number
from edubrain.core.ids import id_birth_date, id_sex, mask_id_number, normalise_id_number
from edubrain.core.stages import GRADE_BY_CODE
from edubrain.registry.choices import (
    ETHNICITY_CHOICES,
    GRADE_CHOICES,
    SUBJECT_CHOICES,
    Education,
    EnrollmentStatus,
    Hukou,
    Post,
    SchoolType,
    Sex,
    Tier,
    Title,
)
from edubrain.registry.models_org import School


def person_id_errors(id_number: str | None, birth_date: dt.date | None, sex: str | None) -> dict[str, str]:
    """Birth date and sex must agree with the 身份证号 (a malformed number is reported by its validator)."""
    errors: dict[str, str] = {}
    if not id_number:
        return errors
    try:
        born, id_sex_label = id_birth_date(id_number), id_sex(id_number)
    except (ValueError, IndexError):
        return errors
    if birth_date and born != birth_date:
        errors["birth_date"] = f"出生日期{birth_date:%Y-%m-%d}与身份证号中的{born:%Y-%m-%d}不一致"
    if sex in Sex.values and id_sex_label != Sex(sex).label:
        errors["sex"] = f"性别“{Sex(sex).label}”与身份证号（第17位表示{id_sex_label}）不一致"
    return errors


class SchoolYear(ValidatedModel):
    """学年: starts on 1 September of ``start_year``; "2020学年" is 2020-09-01 to 2021-08-31."""

    start_year = models.PositiveSmallIntegerField("起始年份", unique=True)

    class Meta:
        verbose_name = "学年"
        verbose_name_plural = "学年"
        ordering = ["start_year"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return f"{self.start_year}—{self.start_year + 1}学年"

    @property
    def start_date(self) -> dt.date:
        return dt.date(self.start_year, 9, 1)

    @property
    def end_date(self) -> dt.date:
        return dt.date(self.start_year + 1, 8, 31)

    def contains(self, day: dt.date) -> bool:
        return self.start_date <= day <= self.end_date

    @classmethod
    def start_year_of(cls, day: dt.date) -> int:
        """The school year a date falls in: 2021-08-31 → 2020, 2021-09-01 → 2021."""
        return day.year if day.month >= 9 else day.year - 1

    def clean(self) -> None:
        if self.start_year is not None and not 1949 <= self.start_year <= 2100:
            raise ValidationError({"start_year": "起始年份应在 1949 到 2100 之间"})


class SchoolClass(ValidatedModel):
    """班级: one class of one grade in one school and school year."""

    school = models.ForeignKey(School, verbose_name="学校", on_delete=models.CASCADE, related_name="classes")
    school_year = models.ForeignKey(
        SchoolYear, verbose_name="学年", on_delete=models.PROTECT, related_name="classes"
    )
    grade_code = models.CharField("年级", max_length=2, choices=GRADE_CHOICES)
    number = models.PositiveSmallIntegerField("班号")
    name = models.CharField("班级名称", max_length=40, blank=True, default="")
    head_teacher = models.ForeignKey(
        "Staff", verbose_name="班主任", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    scope_path_field = "school__org_unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "班级"
        verbose_name_plural = "班级"
        ordering = ["school_year", "school", "grade_code", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year", "grade_code", "number"], name="class_unique_no"
            )
        ]
        indexes = [models.Index(fields=["school_year", "grade_code"])]

    def __str__(self) -> str:
        return f"{self.school.name} {self.display_name}"

    @property
    def display_name(self) -> str:
        return self.name or f"{GRADE_BY_CODE[self.grade_code].name}({self.number})班"

    def clean(self) -> None:
        if self.school_id and self.grade_code and not self.school.allows_grade(self.grade_code):
            raise ValidationError(
                {
                    "grade_code": f"{self.school.name}是{self.school.type_label}，"
                    f"不能设置{self.get_grade_code_display()}班级"
                }
            )
        if self.head_teacher_id and self.school_id and self.head_teacher.school_id != self.school_id:
            raise ValidationError({"head_teacher": "班主任必须是本校教职工"})


class Student(ValidatedModel):
    """学生: one person with a national 学籍号; ``school`` is the school of the latest enrolment."""

    audited = True

    school = models.ForeignKey(
        School, verbose_name="当前学校", on_delete=models.PROTECT, related_name="students"
    )
    student_number = models.CharField(
        "学籍号",
        max_length=19,
        unique=True,
        validators=[validate_student_number],
        error_messages={"unique": "学籍号已存在：每名学生只能有一个学籍号"},
    )
    id_number = models.CharField(
        "身份证号",
        max_length=18,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_id_number],
        error_messages={"unique": "身份证号已存在：该学生已登记"},
    )
    name = models.CharField("姓名", max_length=40)
    sex = models.CharField("性别", max_length=1, choices=Sex.choices)
    birth_date = models.DateField("出生日期")
    ethnicity = models.CharField("民族", max_length=2, choices=ETHNICITY_CHOICES, default="01")
    hukou = models.CharField("户籍类型", max_length=10, choices=Hukou.choices, default=Hukou.LOCAL)
    left_behind = models.BooleanField("留守儿童", default=False)
    disability = models.BooleanField("残疾", default=False)
    financial_difficulty = models.BooleanField("家庭经济困难", default=False)
    address = models.CharField("家庭住址", max_length=200, blank=True, default="")

    scope_path_field = "school__org_unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "学生"
        verbose_name_plural = "学生"
        ordering = ["school", "student_number"]
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.student_number}）"

    def audit_label(self) -> str:
        return f"{self.name}（{mask_id_number(self.student_number)}）"

    def normalise(self) -> None:
        """Upper-case 学籍号 and 身份证号 ('x' → 'X'); an empty 身份证号 is stored as NULL (unique)."""
        if self.student_number:
            self.student_number = self.student_number.strip().upper()
        self.id_number = normalise_id_number(self.id_number) if self.id_number else None

    def clean(self) -> None:
        self.normalise()
        errors = person_id_errors(self.id_number, self.birth_date, self.sex)
        if self.birth_date and self.birth_date > dt.date.today():
            errors["birth_date"] = "出生日期不能晚于今天"
        number = self.student_number or ""
        if self.id_number and number.startswith("G") and number[1:] != self.id_number:
            errors["student_number"] = "学籍号（G+身份证号）与身份证号不一致"
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.normalise()
        super().save(*args, **kwargs)


class Enrollment(ValidatedModel):
    """学籍年度记录: the student's class and status in one school year (at most one per year)."""

    constraint_fields = {"enrollment_one_per_year": "school_class"}

    student = models.ForeignKey(
        Student, verbose_name="学生", on_delete=models.CASCADE, related_name="enrollments"
    )
    school_year = models.ForeignKey(
        SchoolYear, verbose_name="学年", on_delete=models.PROTECT, related_name="+"
    )
    school_class = models.ForeignKey(
        SchoolClass, verbose_name="班级", on_delete=models.PROTECT, related_name="enrollments"
    )
    status = models.CharField(
        "学籍状态",
        max_length=10,
        choices=EnrollmentStatus.choices,
        default=EnrollmentStatus.ENROLLED,
        db_index=True,
    )
    scope_path_field = "school_class__school__org_unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "学籍记录"
        verbose_name_plural = "学籍记录"
        constraints = [
            models.UniqueConstraint(
                fields=["student", "school_year"],
                name="enrollment_one_per_year",
                violation_error_code="enrollment_one_per_year",
                violation_error_message="该学生本学年已有班级：一名学生一个学年只能在一个班级（学年、班级重复）",
            )
        ]
        indexes = [models.Index(fields=["school_year", "status"])]

    def __str__(self) -> str:
        return f"{self.student} {self.school_year}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if (
            self.school_class_id
            and self.school_year_id
            and self.school_class.school_year_id != self.school_year_id
        ):
            errors["school_class"] = f"班级属于{self.school_class.school_year}，与学籍记录的学年不一致"
        elif self.school_class_id and self.student_id and self._class_in_other_school():
            errors["school_class"] = f"班级“{self.school_class}”不属于学生所在学校“{self.student.school}”"
        if errors:
            raise ValidationError(errors)

    def _class_in_other_school(self) -> bool:
        """The class must be in the student's (current) school — except for 转出 records and for years
        before the student's latest one, which may lie in an earlier school."""
        if self.student.school_id == self.school_class.school_id:
            return False
        if self.status in (EnrollmentStatus.TRANSFERRED_OUT, EnrollmentStatus.GRADUATED):
            return False
        later = Enrollment.objects.filter(
            student_id=self.student_id, school_year__start_year__gt=self.school_class.school_year.start_year
        )
        return not later.exists()


class Staff(ValidatedModel):
    """教职工: one person employed at one school from ``joined_year`` until ``left_year`` (exclusive)."""

    audited = True

    school = models.ForeignKey(School, verbose_name="学校", on_delete=models.PROTECT, related_name="staff")
    staff_number = models.CharField("工号", max_length=20, blank=True, default="")
    name = models.CharField("姓名", max_length=40)
    id_number = models.CharField(
        "身份证号",
        max_length=18,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_id_number],
        error_messages={"unique": "身份证号已存在：该教职工已登记"},
    )
    sex = models.CharField("性别", max_length=1, choices=Sex.choices)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    post = models.CharField(
        "岗位类别", max_length=10, choices=Post.choices, default=Post.TEACHER, db_index=True
    )
    subject = models.CharField("任教学科", max_length=20, choices=SUBJECT_CHOICES, blank=True, default="")
    education = models.CharField("最高学历", max_length=10, choices=Education.choices)
    preschool_major = models.BooleanField("学前教育专业毕业", default=False)
    title = models.CharField("专业技术职称", max_length=10, choices=Title.choices, blank=True, default="")
    tier = models.CharField("骨干层级", max_length=20, choices=Tier.choices, blank=True, default="")
    dual_qualified = models.BooleanField("双师型教师", default=False)
    professional_course = models.BooleanField("专业课教师", default=False, help_text="中职专任专业课教师")
    head_teacher = models.BooleanField("班主任", default=False)
    has_bianzhi = models.BooleanField("在编", default=True)
    joined_year = models.PositiveSmallIntegerField("入职学年")
    left_year = models.PositiveSmallIntegerField("离职学年", null=True, blank=True)

    scope_path_field = "school__org_unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "教职工"
        verbose_name_plural = "教职工"
        ordering = ["school", "name"]
        indexes = [models.Index(fields=["post", "joined_year", "left_year"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.school}）"

    def audit_label(self) -> str:
        return str(self)

    def clean(self) -> None:
        self.id_number = normalise_id_number(self.id_number) if self.id_number else None
        errors = person_id_errors(self.id_number, self.birth_date, self.sex)
        if self.left_year is not None and self.joined_year is not None and self.left_year <= self.joined_year:
            errors["left_year"] = f"离职学年（{self.left_year}）应晚于入职学年（{self.joined_year}）"
        if self.dual_qualified and self.school_id and self.school.school_type != SchoolType.vocational:
            errors["dual_qualified"] = (
                f"“双师型”仅适用于中等职业学校教师，{self.school}是{self.school.type_label}"
            )
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.id_number = normalise_id_number(self.id_number) if self.id_number else None
        super().save(*args, **kwargs)

    def active_in(self, start_year: int) -> bool:
        return self.joined_year <= start_year and (self.left_year is None or self.left_year > start_year)


class StaffTraining(ValidatedModel):
    """年度培训学时."""

    staff = models.ForeignKey(
        Staff, verbose_name="教职工", on_delete=models.CASCADE, related_name="trainings"
    )
    school_year = models.ForeignKey(
        SchoolYear, verbose_name="学年", on_delete=models.PROTECT, related_name="+"
    )
    hours = models.DecimalField("培训学时", max_digits=6, decimal_places=1)
    scope_path_field = "staff__school__org_unit__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = "培训学时"
        verbose_name_plural = "培训学时"
        constraints = [models.UniqueConstraint(fields=["staff", "school_year"], name="training_one_per_year")]

    def __str__(self) -> str:
        return f"{self.staff} {self.school_year} {self.hours}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.hours is not None and not 0 <= self.hours <= 2000:
            errors["hours"] = "培训学时应在 0 到 2000 之间"
        if self.staff_id and self.school_year_id and not self.staff.active_in(self.school_year.start_year):
            errors["school_year"] = f"{self.staff.name}在{self.school_year}不在职，不能登记培训学时"
        if errors:
            raise ValidationError(errors)
