"""Registry declarations for the generic list and detail pages: columns, search, filters, sections."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from edubrain.base.listing import Column, DetailConfig, Filter, Link, ListConfig, Section, format_value
from edubrain.registry.choices import (
    GRADE_CHOICES,
    ON_ROLL_STATUSES,
    SUBJECT_CHOICES,
    Education,
    EnrollmentStatus,
    Hukou,
    Locality,
    Ownership,
    Post,
    Rating,
    SchoolType,
    Sex,
    Tier,
    Title,
)
from edubrain.registry.models import (
    Enrollment,
    Facility,
    School,
    SchoolClass,
    SchoolYear,
    Staff,
    StaffTraining,
    Student,
)
from edubrain.registry.queries import latest_year

# ---------------------------------------------------------------- links and choices


def school_url(school_id: int | None) -> str | None:
    return reverse("registry:school-detail", args=[school_id]) if school_id else None


def student_url(obj: Any) -> str:
    return reverse("registry:student-detail", args=[obj.pk])


def staff_url(obj: Any) -> str:
    return reverse("registry:staff-detail", args=[obj.pk])


def class_url(obj: Any) -> str:
    return reverse("registry:class-detail", args=[obj.pk])


def year_choices(user: Any) -> list[tuple[int, str]]:
    return [(y.start_year, y.name) for y in SchoolYear.objects.order_by("-start_year")]


def town_choices(user: Any) -> list[tuple[int, str]]:
    rows = School.objects.visible_to(user).values_list("town_id", "town__name", "town__path").distinct()
    return [(pk, name) for pk, name, _ in sorted(set(rows), key=lambda r: r[2])]


def school_choices(user: Any) -> list[tuple[int, str]]:
    return list(School.objects.visible_to(user).order_by("org_unit__path").values_list("id", "name"))


def facility_year_choices(user: Any) -> list[tuple[int, str]]:
    years = Facility.objects.visible_to(user).values_list("year", flat=True).distinct().order_by("-year")
    return [(y, f"{y}年") for y in years]


def latest_school_year(user: Any) -> int | None:
    return latest_year()


def latest_facility_year(user: Any) -> int | None:
    return Facility.objects.visible_to(user).order_by("-year").values_list("year", flat=True).first()


def active_in(year: int) -> Q:
    return Q(joined_year__lte=year) & (Q(left_year__isnull=True) | Q(left_year__gt=year))


def chosen_year(values: dict[str, str]) -> int | None:
    raw = values.get("year", "")
    return int(raw) if raw.isdigit() else latest_year()


YEAR = Filter("year", "学年", "school_year__start_year", year_choices, default=latest_school_year)
TOWN = Filter("town", "镇/街道", "school__town_id", town_choices)
SCHOOL_TYPE = Filter("type", "办学类型", "school__school_type", SchoolType.choices)
SCHOOL = Filter("school", "学校", "school_id", school_choices)
SEX = Filter("sex", "性别", "sex", Sex.choices)
GRADE_NAMES = dict(GRADE_CHOICES)

# ---------------------------------------------------------------- schools


def _on_roll_count(year: int | None, **outer: Any) -> Subquery:
    """On-roll students of the outer row (a visible school or class) in the year (None: its own year).

    No second ``visible_to`` here: the outer school is already in scope, and every enrolment in its classes
    lies under its org path. Filtering through the class's year lets the database use the class index.
    """
    rows = (
        Enrollment.objects.filter(status__in=ON_ROLL_STATUSES, **outer)
        .filter(Q(school_class__school_year__start_year=year) if year is not None else Q())
        .order_by()
        .values(*outer.keys())
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def prepare_schools(qs: Any, user: Any, values: dict[str, str]) -> Any:
    year = chosen_year(values)
    teachers = (
        Staff.objects.visible_to(user)
        .filter(active_in(year or 0), school=OuterRef("pk"), post=Post.TEACHER)
        .order_by()
        .values("school")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.annotate(
        n_students=_on_roll_count(year, school_class__school=OuterRef("pk")),
        n_teachers=Coalesce(Subquery(teachers, output_field=IntegerField()), Value(0)),
    )


SCHOOL_LIST = ListConfig(
    model=School,
    title="学校",
    description="全县各级各类学校（含幼儿园）；在校生、专任教师为所选学年数据。",
    columns=[
        Column("code", "学校标识码", sort="code"),
        Column("name", "学校名称", sort="name", link=lambda o: school_url(o.pk)),
        Column("school_type", "办学类型", sort="school_type"),
        Column("ownership", "举办者"),
        Column("locality", "城乡分类"),
        Column("town", "镇/街道", "town.name", sort="town__path"),
        Column("rating", "等级"),
        Column("n_students", "在校生", sort="n_students", fmt="int"),
        Column("n_teachers", "专任教师", sort="n_teachers", fmt="int"),
    ],
    search_fields=["name", "short_name", "code"],
    search_placeholder="学校名称或学校标识码",
    filters=[
        Filter("year", "学年", choices=year_choices, q=lambda v: Q(), default=latest_school_year),
        Filter("town", "镇/街道", "town_id", town_choices),
        Filter("type", "办学类型", "school_type", SchoolType.choices),
        Filter("ownership", "举办者", "ownership", Ownership.choices),
        Filter("locality", "城乡分类", "locality", Locality.choices),
        Filter("rating", "等级", "rating", [c for c in Rating.choices if c[0]]),
    ],
    default_sort=["org_unit__path"],
    select_related=["town"],
    prepare=prepare_schools,
    dataset="schools",
)

# ---------------------------------------------------------------- classes


def prepare_classes(qs: Any, user: Any, values: dict[str, str]) -> Any:
    return qs.annotate(n_students=_on_roll_count(None, school_class=OuterRef("pk")))


CLASS_LIST = ListConfig(
    model=SchoolClass,
    title="班级",
    columns=[
        Column("school_year", "学年", "school_year.name", sort="school_year__start_year"),
        Column("school", "学校", "school.name", sort="school__org_unit__path",
               link=lambda o: school_url(o.school_id)),
        Column("grade_code", "年级", sort="grade_code"),
        Column("display_name", "班级", link=class_url, sort="grade_code,number"),
        Column("head_teacher", "班主任", "head_teacher.name"),
        Column("n_students", "学生数", sort="n_students", fmt="int"),
    ],
    search_fields=["school__name", "school__code", "name"],
    search_placeholder="学校名称或班级名称",
    filters=[YEAR, TOWN, SCHOOL_TYPE, SCHOOL, Filter("grade", "年级", "grade_code", GRADE_CHOICES)],
    default_sort=["school__org_unit__path", "grade_code", "number"],
    select_related=["school", "school_year", "head_teacher"],
    prepare=prepare_classes,
    dataset="classes",
)

# ---------------------------------------------------------------- students

ON_ROLL = "onroll"


def enrollment_status_q(value: str) -> Q:
    if value == ON_ROLL:
        return Q(enrollments__status__in=ON_ROLL_STATUSES)
    return Q(enrollments__status=value)


def prepare_students(qs: Any, user: Any, values: dict[str, str]) -> Any:
    year = chosen_year(values)
    mine = Enrollment.objects.visible_to(user).filter(student=OuterRef("pk"), school_year__start_year=year)
    return qs.annotate(
        year_grade=Subquery(mine.values("school_class__grade_code")[:1]),
        year_class=Subquery(mine.values("school_class__number")[:1]),
        year_status=Subquery(mine.values("status")[:1]),
    )


def _class_label(obj: Any) -> str | None:
    if obj.year_grade is None:
        return None
    return f"{GRADE_NAMES.get(obj.year_grade, obj.year_grade)}({obj.year_class})班"


STATUS_NAMES = dict(EnrollmentStatus.choices)

STUDENT_LIST = ListConfig(
    model=Student,
    title="学生",
    description="学年、年级、学籍状态筛选按所选学年的学籍记录；身份证号按角色脱敏显示。",
    columns=[
        Column("student_number", "学籍号", sort="student_number", mask="id", link=student_url),
        Column("name", "姓名", sort="name", link=student_url),
        Column("sex", "性别", sort="sex"),
        Column("birth_date", "出生日期", sort="birth_date"),
        Column("id_number", "身份证号", mask="id"),
        Column("school", "当前学校", "school.name", sort="school__org_unit__path",
               link=lambda o: school_url(o.school_id)),
        Column("year_class", "所选学年班级", _class_label, sort="year_grade,year_class"),
        Column("year_status", "学籍状态", lambda o: STATUS_NAMES.get(o.year_status)),
        Column("hukou", "户籍类型"),
    ],
    search_fields=["name", "=student_number", "=id_number"],
    search_placeholder="姓名、学籍号或身份证号（完整）",
    filters=[
        Filter("year", "学年", "enrollments__school_year__start_year", year_choices,
               default=latest_school_year, distinct=True),
        Filter("grade", "年级", "enrollments__school_class__grade_code", GRADE_CHOICES, distinct=True),
        Filter("status", "学籍状态", choices=[(ON_ROLL, "在校（在籍、转入）"), *EnrollmentStatus.choices],
               q=enrollment_status_q, distinct=True),
        TOWN, SCHOOL_TYPE, SCHOOL, SEX,
        Filter("hukou", "户籍类型", "hukou", Hukou.choices),
        Filter("left_behind", "留守儿童", "left_behind", [("1", "是"), ("0", "否")]),
    ],
    default_sort=["school__org_unit__path", "student_number"],
    select_related=["school"],
    prepare=prepare_students,
    dataset="students",
)

# ---------------------------------------------------------------- staff

STAFF_LIST = ListConfig(
    model=Staff,
    title="教职工",
    columns=[
        Column("name", "姓名", sort="name", link=staff_url),
        Column("sex", "性别", sort="sex"),
        Column("school", "学校", "school.name", sort="school__org_unit__path",
               link=lambda o: school_url(o.school_id)),
        Column("post", "岗位类别", sort="post"),
        Column("subject", "任教学科", sort="subject"),
        Column("education", "最高学历", sort="education"),
        Column("title", "职称", sort="title"),
        Column("tier", "骨干层级"),
        Column("has_bianzhi", "在编", fmt="bool"),
        Column("joined_year", "入职学年", sort="joined_year"),
        Column("id_number", "身份证号", mask="id"),
    ],
    search_fields=["name", "staff_number", "=id_number", "school__name"],
    search_placeholder="姓名、工号或学校",
    filters=[
        Filter("status", "在职状态", choices=[("active", "在职"), ("left", "已离职")],
               q=lambda v: Q(left_year__isnull=v == "active"), default=lambda user: "active"),
        TOWN, SCHOOL_TYPE, SCHOOL,
        Filter("post", "岗位类别", "post", Post.choices),
        Filter("subject", "任教学科", "subject", SUBJECT_CHOICES),
        Filter("education", "最高学历", "education", Education.choices),
        Filter("title", "职称", "title", [c for c in Title.choices if c[0]]),
        Filter("tier", "骨干层级", "tier", [c for c in Tier.choices if c[0]]),
        SEX,
    ],
    default_sort=["school__org_unit__path", "name"],
    select_related=["school"],
    dataset="staff",
)

# ---------------------------------------------------------------- facilities

FACILITY_LIST = ListConfig(
    model=Facility,
    title="办学条件",
    columns=[
        Column("school", "学校", "school.name", sort="school__org_unit__path",
               link=lambda o: school_url(o.school_id)),
        Column("year", "年份", sort="year"),
        Column("land_area", "占地面积（㎡）", sort="land_area", fmt="decimal"),
        Column("building_area", "校舍建筑面积（㎡）", sort="building_area", fmt="decimal"),
        Column("teaching_area", "教学及辅助用房（㎡）", sort="teaching_area", fmt="decimal"),
        Column("sports_area", "体育场馆（㎡）", sort="sports_area", fmt="decimal"),
        Column("equipment_value", "仪器设备值（元）", sort="equipment_value", fmt="money"),
        Column("books", "图书（册）", sort="books", fmt="int"),
        Column("multimedia_classrooms", "多媒体教室", sort="multimedia_classrooms", fmt="int"),
        Column("computers", "计算机（台）", sort="computers", fmt="int"),
        Column("broadband_mbps", "带宽（Mbps）", sort="broadband_mbps", fmt="int"),
    ],
    search_fields=["school__name", "school__code"],
    search_placeholder="学校名称或学校标识码",
    filters=[
        Filter("year", "年份", "year", facility_year_choices, default=latest_facility_year),
        TOWN, SCHOOL_TYPE, SCHOOL,
    ],
    default_sort=["school__org_unit__path", "year"],
    select_related=["school"],
    dataset="facilities",
)

# ---------------------------------------------------------------- detail pages


def _cell(value: Any, fmt: str | None = None) -> str:
    return format_value(value, fmt)


def school_sections(school: School, request: Any, values: dict[str, str]) -> list[Section]:
    user = request.user
    year = chosen_year(values)
    classes = (
        SchoolClass.objects.visible_to(user)
        .filter(school=school, school_year__start_year=year)
        .select_related("head_teacher")
        .annotate(students=Count("enrollments", filter=Q(enrollments__status__in=ON_ROLL_STATUSES)))
        .order_by("grade_code", "number")
    )
    class_rows = [
        [Link(c.display_name, class_url(c)), c.get_grade_code_display(),
         c.head_teacher.name if c.head_teacher else "—", _cell(c.students, "int")]
        for c in classes
    ]
    total = sum(c.students for c in classes)
    if class_rows:
        class_rows.append(["合计", f"{len(class_rows)} 个班", "", _cell(total, "int")])
    staff = (
        Staff.objects.visible_to(user).filter(active_in(year or 0), school=school)
        .values("post").annotate(n=Count("pk")).order_by("post")
    )
    posts = dict(Post.choices)
    teachers = (
        Staff.objects.visible_to(user).filter(active_in(year or 0), school=school, post=Post.TEACHER)
        .values("education").annotate(n=Count("pk"))
    )
    educations = dict(Education.choices)
    facilities = Facility.objects.visible_to(user).filter(school=school).order_by("year")
    year_name = f"{year}—{year + 1}学年" if year else ""
    return [
        Section(f"班级与在校生（{year_name}）", ["班级", "年级", "班主任", "在校生"], class_rows,
                numeric=[3], empty="所选学年没有班级"),
        Section(f"教职工（{year_name}在职）", ["岗位类别", "人数"],
                [[posts.get(r["post"], r["post"]), _cell(r["n"], "int")] for r in staff], numeric=[1]),
        Section("专任教师学历", ["最高学历", "人数"],
                [[educations.get(r["education"], r["education"]), _cell(r["n"], "int")] for r in teachers],
                numeric=[1]),
        Section(
            "办学条件（按年份）",
            ["年份", "占地面积（㎡）", "校舍建筑面积（㎡）", "教学及辅助用房（㎡）", "体育场馆（㎡）",
             "仪器设备值（元）", "图书（册）", "计算机（台）", "带宽（Mbps）"],
            [[f.year, _cell(f.land_area, "decimal"), _cell(f.building_area, "decimal"),
              _cell(f.teaching_area, "decimal"), _cell(f.sports_area, "decimal"),
              _cell(f.equipment_value, "money"), _cell(f.books, "int"), _cell(f.computers, "int"),
              _cell(f.broadband_mbps, "int")] for f in facilities],
            numeric=range(1, 9),
        ),
    ]


SCHOOL_DETAIL = DetailConfig(
    model=School,
    fields=[
        Column("code", "学校标识码"),
        Column("name", "学校名称"),
        Column("short_name", "简称"),
        Column("school_type", "办学类型"),
        Column("ownership", "举办者"),
        Column("is_puhui", "普惠性幼儿园", fmt="bool"),
        Column("rating", "等级"),
        Column("locality", "城乡分类"),
        Column("town", "所在镇/街道", "town.name"),
        Column("zone", "学区", "zone.name"),
        Column("address", "地址"),
        Column("coordinates", "经纬度",
               lambda o: f"{o.longitude}, {o.latitude}" if o.latitude is not None else None),
        Column("founded_year", "建校年份"),
        Column("closed_year", "撤并年份"),
    ],
    params=[Filter("year", "学年", choices=year_choices, q=lambda v: Q(), default=latest_school_year)],
    sections=school_sections,
    back_url_name="registry:school-list",
    back_label="返回学校列表",
)


def student_sections(student: Student, request: Any, values: dict[str, str]) -> list[Section]:
    history = (
        Enrollment.objects.visible_to(request.user).filter(student=student)
        .select_related("school_year", "school_class__school").order_by("school_year__start_year")
    )
    rows = [
        [e.school_year.name, Link(e.school_class.school.name, school_url(e.school_class.school_id) or ""),
         e.school_class.get_grade_code_display(),
         Link(e.school_class.display_name, class_url(e.school_class)),
         e.get_status_display()]
        for e in history
    ]
    return [Section("学籍记录", ["学年", "学校", "年级", "班级", "学籍状态"], rows, empty="没有学籍记录")]


STUDENT_DETAIL = DetailConfig(
    model=Student,
    title=lambda o: o.name,
    fields=[
        Column("student_number", "学籍号", mask="id"),
        Column("name", "姓名"),
        Column("sex", "性别"),
        Column("birth_date", "出生日期"),
        Column("id_number", "身份证号", mask="id"),
        Column("ethnicity", "民族"),
        Column("hukou", "户籍类型"),
        Column("left_behind", "留守儿童", fmt="bool"),
        Column("disability", "残疾", fmt="bool"),
        Column("financial_difficulty", "家庭经济困难", fmt="bool"),
        Column("address", "家庭住址", mask="personal"),
        Column("school", "当前学校", "school.name", link=lambda o: school_url(o.school_id)),
    ],
    sections=student_sections,
    back_url_name="registry:student-list",
    back_label="返回学生列表",
)


def staff_sections(staff: Staff, request: Any, values: dict[str, str]) -> list[Section]:
    trainings = (
        StaffTraining.objects.visible_to(request.user).filter(staff=staff)
        .select_related("school_year").order_by("school_year__start_year")
    )
    classes = (
        SchoolClass.objects.visible_to(request.user).filter(head_teacher=staff)
        .select_related("school_year").order_by("school_year__start_year", "grade_code")
    )
    return [
        Section("年度培训学时", ["学年", "学时"], [[t.school_year.name, _cell(t.hours, "decimal")]
                                                   for t in trainings], numeric=[1]),
        Section("担任班主任", ["学年", "班级"],
                [[c.school_year.name, Link(c.display_name, class_url(c))] for c in classes]),
    ]


STAFF_DETAIL = DetailConfig(
    model=Staff,
    title=lambda o: o.name,
    fields=[
        Column("name", "姓名"),
        Column("staff_number", "工号"),
        Column("sex", "性别"),
        Column("birth_date", "出生日期"),
        Column("id_number", "身份证号", mask="id"),
        Column("school", "学校", "school.name", link=lambda o: school_url(o.school_id)),
        Column("post", "岗位类别"),
        Column("subject", "任教学科"),
        Column("education", "最高学历"),
        Column("preschool_major", "学前教育专业毕业", fmt="bool"),
        Column("title", "专业技术职称"),
        Column("tier", "骨干层级"),
        Column("dual_qualified", "双师型教师", fmt="bool"),
        Column("head_teacher", "班主任", fmt="bool"),
        Column("has_bianzhi", "在编", fmt="bool"),
        Column("joined_year", "入职学年"),
        Column("left_year", "离职学年"),
    ],
    sections=staff_sections,
    back_url_name="registry:staff-list",
    back_label="返回教职工列表",
)


def class_sections(school_class: SchoolClass, request: Any, values: dict[str, str]) -> list[Section]:
    user = request.user
    roster = (
        Enrollment.objects.visible_to(user).filter(school_class=school_class)
        .select_related("student").order_by("student__student_number")
    )
    number = Column("student_number", "学籍号", "student.student_number", mask="id")
    rows = [
        [number.cell(e, user), Link(e.student.name, student_url(e.student)), e.student.get_sex_display(),
         _cell(e.student.birth_date), e.get_status_display()]
        for e in roster
    ]
    return [Section(f"学生名单（{len(rows)} 人）", ["学籍号", "姓名", "性别", "出生日期", "学籍状态"], rows,
                    empty="本班没有学生")]


CLASS_DETAIL = DetailConfig(
    model=SchoolClass,
    title=lambda o: f"{o.school.name} {o.display_name}",
    fields=[
        Column("school", "学校", "school.name", link=lambda o: school_url(o.school_id)),
        Column("school_year", "学年", "school_year.name"),
        Column("grade_code", "年级"),
        Column("number", "班号"),
        Column("display_name", "班级名称"),
        Column("head_teacher", "班主任", "head_teacher.name",
               link=lambda o: staff_url(o.head_teacher) if o.head_teacher_id else None),
    ],
    sections=class_sections,
    back_url_name="registry:class-list",
    back_label="返回班级列表",
)
