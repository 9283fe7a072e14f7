"""Registry API (基础数据接口): read-only, scoped, paginated endpoints declared in one table.

Each ``Endpoint`` becomes ``GET /api/<path>`` (and ``GET /api/<path>/{id}`` when it has a detail schema);
``base.api`` applies ``visible_to(user)``, the filters, select_related and pagination.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q
from ninja import Query, Router

from edubrain.base.api import Endpoint, api_user, register_all
from edubrain.base.orgtree import OrgUnit
from edubrain.registry import schemas as s
from edubrain.registry.choices import ON_ROLL_STATUSES
from edubrain.registry.models import (
    Births,
    EducationGroup,
    Enrollment,
    Facility,
    Finance,
    Population,
    ResponsibleUnit,
    School,
    SchoolClass,
    SchoolingYears,
    SchoolYear,
    SchoolZone,
    Staff,
    Student,
)
from edubrain.registry.queries import summary as registry_summary


def visible_enrollments(user: Any) -> list[Prefetch]:
    """A student's 学籍 history, limited to the enrolments the user may see."""
    qs = (
        Enrollment.objects.visible_to(user)
        .select_related("school_year", "school_class__school")
        .order_by("school_year__start_year")
    )
    return [Prefetch("enrollments", queryset=qs, to_attr="visible_enrollments")]


ENDPOINTS = [
    Endpoint("org-units", OrgUnit, s.OrgUnitOut, filters=s.OrgUnitFilter),
    Endpoint("school-years", SchoolYear, s.SchoolYearOut, unscoped=True),
    Endpoint("zones", SchoolZone, s.ZoneOut, select_related=["county"]),
    Endpoint(
        "schools", School, s.SchoolOut, detail=s.SchoolDetailOut, filters=s.SchoolFilter,
        select_related=["town", "zone", "org_unit"], detail_prefetch_related=["capacities"],
    ),
    Endpoint(
        "groups", EducationGroup, s.GroupOut, select_related=["core_school"],
        prefetch_related=[Prefetch("members", queryset=School.objects.only("id", "name").order_by("name"))],
        ordering=["name"],
    ),
    Endpoint(
        "responsible-units", ResponsibleUnit, s.ResponsibleUnitOut, select_related=["county", "org_unit"],
    ),
    Endpoint(
        "classes", SchoolClass, s.SchoolClassOut, filters=s.SchoolClassFilter,
        select_related=["school", "school_year", "head_teacher"],
        annotate={"student_count": Count("enrollments", filter=Q(enrollments__status__in=ON_ROLL_STATUSES))},
        ordering=["school_year__start_year", "school__org_unit__path", "grade_code", "number"],
    ),
    Endpoint(
        "students", Student, s.StudentOut, detail=s.StudentDetailOut, filters=s.StudentFilter,
        select_related=["school"], ordering=["school__org_unit__path", "student_number"],
        detail_prefetch_related=visible_enrollments,
    ),
    Endpoint(
        "staff", Staff, s.StaffOut, filters=s.StaffFilter, select_related=["school"],
        ordering=["school__org_unit__path", "name"],
    ),
    Endpoint(
        "facilities", Facility, s.FacilityOut, filters=s.SchoolYearFilter, select_related=["school"],
        ordering=["school__org_unit__path", "year"],
    ),
    Endpoint("finance", Finance, s.FinanceOut, filters=s.YearFilter, select_related=["org_unit"],
             ordering=["org_unit__path", "year"]),
    Endpoint("births", Births, s.BirthsOut, filters=s.AreaYearFilter, select_related=["org_unit"],
             ordering=["org_unit__path", "year"]),
    Endpoint("population", Population, s.PopulationOut, filters=s.PopulationFilter,
             select_related=["org_unit"], ordering=["org_unit__path", "year", "age"]),
    Endpoint("schooling-years", SchoolingYears, s.SchoolingYearsOut, filters=s.AreaYearFilter,
             select_related=["org_unit"], ordering=["org_unit__path", "year"]),
]

router = Router()
register_all(router, ENDPOINTS)


@router.get("/summary", response=s.SummaryOut, summary="概况数据", tags=["概况"], operation_id="get_summary")
def summary(request: Any, year: int | None = Query(None, description="学年起始年份，默认最近学年")) -> Any:
    """首页概况：学校数（分类型）、各学段在校生数（学前、义务教育、高中阶段及其中中职）、专任教师数；
    仅统计当前用户数据权限范围内的数据。"""
    return registry_summary(api_user(request), year)
