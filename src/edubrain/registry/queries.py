"""Read side of the registries, always scoped through ``visible_to(user)``."""

from __future__ import annotations

from typing import Any

import polars as pl
from django.db.models import Count, Q, QuerySet

from edubrain.base.orgtree import OrgUnit
from edubrain.core.figures import Headline, headline, schools_by_type
from edubrain.core.stages import SCHOOL_TYPES
from edubrain.registry.choices import ON_ROLL_STATUSES, Post
from edubrain.registry.models import Enrollment, School, SchoolYear, Staff


def latest_year() -> int | None:
    return SchoolYear.objects.order_by("-start_year").values_list("start_year", flat=True).first()


def schools_open_in(user: Any, start_year: int) -> QuerySet[School]:
    return School.objects.visible_to(user).filter(
        Q(founded_year__isnull=True) | Q(founded_year__lte=start_year),
        Q(closed_year__isnull=True) | Q(closed_year__gt=start_year),
    )


def teachers_in(user: Any, start_year: int) -> QuerySet[Staff]:
    """专任教师 employed in the school year."""
    return Staff.objects.visible_to(user).filter(
        Q(left_year__isnull=True) | Q(left_year__gt=start_year),
        post=Post.TEACHER,
        joined_year__lte=start_year,
    )


def enrolment_counts(user: Any, start_years: list[int] | None = None) -> pl.DataFrame:
    """On-roll students counted in the database by (year, grade_code, school_type) — one grouped query.

    A few hundred rows come back for a whole county, not one row per student.
    """
    qs = Enrollment.objects.visible_to(user).filter(status__in=ON_ROLL_STATUSES)
    if start_years is not None:
        qs = qs.filter(school_year__start_year__in=start_years)
    rows = (
        qs.values_list(
            "school_year__start_year", "school_class__grade_code", "school_class__school__school_type"
        )
        .annotate(students=Count("id"))
        .order_by()
    )
    return pl.DataFrame(
        list(rows),
        schema={"year": pl.Int64, "grade_code": pl.Utf8, "school_type": pl.Utf8, "students": pl.Int64},
        orient="row",
    )


def school_frame(user: Any, start_year: int) -> pl.DataFrame:
    rows = schools_open_in(user, start_year).values_list("id", "school_type")
    return pl.DataFrame(list(rows), schema={"id": pl.Int64, "school_type": pl.Utf8}, orient="row")


def _figures(user: Any, year: int, counts: pl.DataFrame) -> dict[str, Any]:
    schools = school_frame(user, year)
    figures = headline(counts.filter(pl.col("year") == year), schools, teachers_in(user, year).count())
    by_type = schools_by_type(schools)
    labelled = {SCHOOL_TYPES[t][0]: by_type[t] for t in SCHOOL_TYPES if t in by_type}
    return {"year": year, **figures, "schools_by_type": labelled}


def summary(user: Any, start_year: int | None = None) -> dict[str, Any]:
    """Headline figures for the home page, the CLI and the API.

    Keys: year, schools (total), schools_by_type ({type label: n}), kindergarten, compulsory,
    upper_secondary, vocational, teachers.
    """
    year = start_year if start_year is not None else latest_year()
    if year is None:
        empty = Headline(schools=0, kindergarten=0, compulsory=0, upper_secondary=0, vocational=0, teachers=0)
        return {"year": None, **empty, "schools_by_type": {}}
    return _figures(user, year, enrolment_counts(user, [year]))


def yearly_students(user: Any) -> list[dict[str, Any]]:
    """Headline figures of every school year (home-page chart), from one grouped enrolment query."""
    counts = enrolment_counts(user)
    return [_figures(user, y, counts) for y in SchoolYear.objects.values_list("start_year", flat=True)]


TEACHER_FIELDS = (
    "school__org_unit_id",
    "joined_year",
    "left_year",
    "education",
    "preschool_major",
    "dual_qualified",
    "professional_course",
)
"""What the teacher indicators read of each 专任教师 (the plan's and the 普及普惠 page's alike)."""


def teacher_attribute_counts(staff: QuerySet[Staff]) -> QuerySet[Staff]:
    """专任教师 of ``staff`` counted per school node, employment years and ``TEACHER_FIELDS`` (rows of
    ``TEACHER_FIELDS`` + ``n``)."""
    return (
        staff.filter(post=Post.TEACHER).values_list(*TEACHER_FIELDS).annotate(n=Count("id")).order_by()
    )


ENROLMENT_KEYS = (
    "school_class__school__org_unit_id",
    "school_year__start_year",
    "school_class__grade_code",
    "status",
)


def enrolment_status_counts(qs: QuerySet[Enrollment], *, per_class: bool = False) -> QuerySet[Enrollment]:
    """学籍 records of ``qs`` counted per school node, 学年, grade and status — and per class with
    ``per_class`` (then ``school_class_id`` comes first): rows of the keys + ``n``. One GROUP BY, shared by
    the plan indicators, the 班额 page and the 均衡发展 pages."""
    fields = (("school_class_id",) if per_class else ()) + ENROLMENT_KEYS
    return qs.values_list(*fields).annotate(n=Count("id")).order_by()


FIRST_GRADE, LAST_GRADE = "11", "33"  # 一年级 to 高三: the pupils due for 体质测试 and 视力筛查


def pupils_due(
    user: Any, unit: OrgUnit, school: School | None = None, grade: str | None = None
) -> QuerySet[Enrollment]:
    """应测: the visible on-roll enrolments of grades 11–33 under ``unit`` (of ``school`` and ``grade`` when
    given), every year — the denominator of the fitness and vision coverage alike."""
    qs = Enrollment.objects.visible_to(user).filter(
        status__in=ON_ROLL_STATUSES,
        school_class__grade_code__gte=FIRST_GRADE,
        school_class__grade_code__lte=LAST_GRADE,
    )
    if school is not None:
        qs = qs.filter(school_class__school_id=school.pk)
    else:
        qs = qs.filter(school_class__school__org_unit__path__startswith=unit.path)
    if grade:
        qs = qs.filter(school_class__grade_code=grade)
    return qs
