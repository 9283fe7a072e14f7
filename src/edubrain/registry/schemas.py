"""API schemas of the registries: output shapes and query filters.

Coded fields are ``Choice`` (``{code, label}``); 身份证号 is masked unless the viewer's role may see it.
Areas and amounts are returned as numbers (m², 元).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.db.models import Exists, OuterRef, Q
from ninja import Field, FilterLookup, FilterSchema, Schema

from edubrain.base.api import ApiSchema, Choice, Ref, choice_of, choices_help, request_user
from edubrain.base.masking import may_see_personal, show_id_number, show_student_number
from edubrain.base.orgtree import OrgKind
from edubrain.registry.choices import (
    GRADE_CHOICES,
    Education,
    EnrollmentStatus,
    Locality,
    Ownership,
    Post,
    SchoolType,
    Sex,
)
from edubrain.registry.models import Enrollment
from edubrain.registry.queries import latest_year

GradeCode = Literal[tuple(code for code, _ in GRADE_CHOICES)]  # type: ignore[valid-type]
GRADE_HELP = choices_help("年级代码", GRADE_CHOICES)
SCHOOL_SEARCH = ["name__icontains", "short_name__icontains", "code__startswith"]


# --- org tree and schools ---------------------------------------------------------------------------


class OrgUnitOut(ApiSchema):
    id: int
    kind: Choice
    name: str
    division_code: str
    parent_id: int | None
    depth: int
    path: str


class OrgUnitFilter(FilterSchema):
    """组织机构：按类型、上级机构、名称筛选。"""

    kind: Annotated[OrgKind | None, FilterLookup("kind")] = Field(
        None, description=choices_help("类型", OrgKind)
    )
    parent: Annotated[int | None, FilterLookup("parent_id")] = Field(None, description="上级机构 ID")
    q: Annotated[str | None, FilterLookup("name__icontains")] = Field(None, description="名称关键词")


class CapacityOut(ApiSchema):
    grade_code: Choice
    places: int


class SchoolOut(ApiSchema):
    id: int
    code: str = Field(description="学校标识码")
    name: str
    short_name: str
    school_type: Choice
    ownership: Choice
    is_puhui: bool | None = Field(description="普惠性幼儿园（仅幼儿园）")
    rating: Choice
    locality: Choice
    town: Ref
    zone: Ref | None


class SchoolDetailOut(SchoolOut):
    address: str
    latitude: float | None
    longitude: float | None
    founded_year: int | None
    closed_year: int | None
    capacities: list[CapacityOut]


class SchoolFilter(FilterSchema):
    """学校：按镇/街道、办学类型、举办者、城乡分类、学区、关键词（名称、简称、学校标识码）筛选。"""

    town: Annotated[int | None, FilterLookup("town_id")] = Field(None, description="所在镇/街道 ID")
    school_type: Annotated[SchoolType | None, FilterLookup("school_type")] = Field(
        None, description=choices_help("办学类型", SchoolType)
    )
    ownership: Annotated[Ownership | None, FilterLookup("ownership")] = Field(
        None, description=choices_help("举办者", Ownership)
    )
    locality: Annotated[Locality | None, FilterLookup("locality")] = Field(
        None, description=choices_help("城乡分类", Locality)
    )
    zone: Annotated[int | None, FilterLookup("zone_id")] = Field(None, description="学区 ID")
    q: Annotated[str | None, FilterLookup(SCHOOL_SEARCH)] = Field(None, description="名称、简称或学校标识码")


class ZoneOut(ApiSchema):
    id: int
    name: str
    county: Ref


class GroupOut(ApiSchema):
    id: int
    name: str
    kind: Choice
    core_school: Ref
    members: list[Ref]
    founded_year: int | None


class ResponsibleUnitOut(ApiSchema):
    id: int
    name: str
    org_unit_id: int
    county: Ref


class SchoolYearOut(Schema):
    id: int
    start_year: int
    name: str


# --- classes, students, staff -----------------------------------------------------------------------


class SchoolClassOut(ApiSchema):
    id: int
    school: Ref
    year: int = Field(description="学年起始年份")
    grade_code: Choice
    number: int
    name: str
    head_teacher: Ref | None
    student_count: int = Field(description="在校生数（在籍、转入）")

    @staticmethod
    def resolve_year(obj: Any) -> int:
        return obj.school_year.start_year

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return obj.display_name


class SchoolClassFilter(FilterSchema):
    """班级：按学校、学年、年级筛选。"""

    school: Annotated[int | None, FilterLookup("school_id")] = Field(None, description="学校 ID")
    year: Annotated[int | None, FilterLookup("school_year__start_year")] = Field(None, description="学年")
    grade_code: Annotated[GradeCode | None, FilterLookup("grade_code")] = Field(None, description=GRADE_HELP)


class EnrollmentOut(ApiSchema):
    year: int
    school: Ref
    school_class: Ref
    grade_code: Choice
    status: Choice

    @staticmethod
    def resolve_year(obj: Any) -> int:
        return obj.school_year.start_year

    @staticmethod
    def resolve_school(obj: Any) -> Any:
        return obj.school_class.school

    @staticmethod
    def resolve_school_class(obj: Any) -> dict[str, Any]:
        return {"id": obj.school_class_id, "name": obj.school_class.display_name}

    @staticmethod
    def resolve_grade_code(obj: Any) -> dict[str, str] | None:
        return choice_of(obj.school_class, "grade_code")


class StudentOut(ApiSchema):
    id: int
    student_number: str = Field(description="学籍号")
    name: str
    sex: Choice
    birth_date: dt.date
    id_number: str = Field(description="身份证号（无权查看个人信息的角色见到脱敏值）")
    ethnicity: Choice
    hukou: Choice
    left_behind: bool
    disability: bool
    financial_difficulty: bool
    school: Ref = Field(description="当前学校")

    @staticmethod
    def resolve_id_number(obj: Any, context: Any) -> str:
        return show_id_number(request_user(context), obj.id_number)

    @staticmethod
    def resolve_student_number(obj: Any, context: Any) -> str:
        return show_student_number(request_user(context), obj.student_number)


class StudentDetailOut(StudentOut):
    address: str | None = Field(description="家庭住址（无权查看个人信息的角色为 null）")
    enrollments: list[EnrollmentOut] = Field(description="学籍记录（按学年），仅含权限范围内的记录")

    @staticmethod
    def resolve_address(obj: Any, context: Any) -> str | None:
        return obj.address if may_see_personal(request_user(context)) else None

    @staticmethod
    def resolve_enrollments(obj: Any) -> list[Any]:
        return obj.visible_enrollments


class StudentFilter(FilterSchema):
    """学生：school 不带 year 时按当前学校；带 year 时按该学年的学籍记录（学校、年级、学籍状态）筛选；
    只给 grade_code 或 status 而不给 year 时按最近学年。q 匹配姓名或学籍号。"""

    school: int | None = Field(None, description="学校 ID")
    year: int | None = Field(None, description="学年起始年份（按该学年学籍记录）")
    grade_code: GradeCode | None = Field(None, description=GRADE_HELP)
    status: EnrollmentStatus | None = Field(None, description=choices_help("学籍状态", EnrollmentStatus))
    sex: Sex | None = Field(None, description=choices_help("性别", Sex))
    q: str | None = Field(None, description="姓名（部分匹配）或完整学籍号")

    def custom_expression(self) -> Q:
        q = Q()
        if self.sex:
            q &= Q(sex=self.sex)
        if self.q:
            # 学籍号 matches exactly: a partial match would let a masked viewer guess ID digits.
            q &= Q(name__icontains=self.q) | Q(student_number=self.q.strip().upper())
        year = self.year
        if year is None and (self.grade_code or self.status):
            year = latest_year()
        if year is None:
            if self.school is not None:
                q &= Q(school_id=self.school)
            return q
        enrolments = Enrollment.objects.filter(student=OuterRef("pk"), school_year__start_year=year)
        if self.school is not None:
            enrolments = enrolments.filter(school_class__school_id=self.school)
        if self.grade_code:
            enrolments = enrolments.filter(school_class__grade_code=self.grade_code)
        if self.status:
            enrolments = enrolments.filter(status=self.status)
        return q & Q(Exists(enrolments))


class StaffOut(ApiSchema):
    id: int
    school: Ref
    staff_number: str
    name: str
    sex: Choice
    birth_date: dt.date | None
    id_number: str = Field(description="身份证号（无权查看个人信息的角色见到脱敏值）")
    post: Choice
    subject: str
    education: Choice
    preschool_major: bool
    title: Choice
    tier: Choice
    dual_qualified: bool
    professional_course: bool
    head_teacher: bool
    has_bianzhi: bool
    joined_year: int
    left_year: int | None

    @staticmethod
    def resolve_id_number(obj: Any, context: Any) -> str:
        return show_id_number(request_user(context), obj.id_number)


class StaffFilter(FilterSchema):
    """教职工：按学校、岗位类别、最高学历、任教学科、在职学年、姓名筛选。"""

    school: Annotated[int | None, FilterLookup("school_id")] = Field(None, description="学校 ID")
    post: Annotated[Post | None, FilterLookup("post")] = Field(
        None, description=choices_help("岗位类别", Post)
    )
    education: Annotated[Education | None, FilterLookup("education")] = Field(
        None, description=choices_help("最高学历", Education)
    )
    subject: Annotated[str | None, FilterLookup("subject")] = Field(None, description="任教学科")
    year: int | None = Field(None, description="在职学年（该学年在职）")
    q: Annotated[str | None, FilterLookup(["name__icontains", "staff_number__startswith"])] = Field(
        None, description="姓名或工号"
    )

    def filter_year(self, value: int | None) -> Q:
        if value is None:
            return Q()
        return Q(joined_year__lte=value) & (Q(left_year__isnull=True) | Q(left_year__gt=value))


# --- yearly figures ---------------------------------------------------------------------------------


class FacilityOut(ApiSchema):
    id: int
    school: Ref
    year: int
    land_area: float
    building_area: float
    teaching_area: float
    sports_area: float
    equipment_value: float
    books: int
    multimedia_classrooms: int
    computers: int
    broadband_mbps: int


class SchoolYearFilter(FilterSchema):
    """按学校、年份筛选。"""

    school: Annotated[int | None, FilterLookup("school_id")] = Field(None, description="学校 ID")
    year: Annotated[int | None, FilterLookup("year")] = Field(None, description="年份")


class FinanceOut(ApiSchema):
    id: int
    org_unit: Ref
    year: int
    general_budget: float
    preschool: float
    primary: float
    junior: float
    senior: float
    vocational: float
    special: float


class YearFilter(FilterSchema):
    """按年份筛选。"""

    year: Annotated[int | None, FilterLookup("year")] = Field(None, description="年份")


class BirthsOut(ApiSchema):
    id: int
    org_unit: Ref
    year: int
    births: int


class AreaYearFilter(FilterSchema):
    """按行政区、年份筛选。"""

    org_unit: Annotated[int | None, FilterLookup("org_unit_id")] = Field(None, description="行政区 ID")
    year: Annotated[int | None, FilterLookup("year")] = Field(None, description="年份")


class PopulationOut(ApiSchema):
    id: int
    org_unit: Ref
    year: int
    age: int
    population: int
    source: str


class PopulationFilter(AreaYearFilter):
    """按行政区、年份、年龄筛选。"""

    age: Annotated[int | None, FilterLookup("age")] = Field(None, description="年龄（周岁）")


class SchoolingYearsOut(ApiSchema):
    id: int
    org_unit: Ref
    year: int
    years: float
    source: str


class SummaryOut(Schema):
    year: int | None = Field(description="学年起始年份")
    schools: int
    schools_by_type: dict[str, int]
    kindergarten: int
    compulsory: int
    upper_secondary: int
    vocational: int
    teachers: int
