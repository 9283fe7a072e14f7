"""The indicator engine's input bundle (``edubrain.core.indicators.inputs.IndicatorInputs``) for one county,
read from the database with a handful of queries: GROUP BY counts for 学籍 and 教职工, plain column reads
(``queryset_frame``) for the small tables. No model instance is built per row.

    build_inputs(county, years=None) -> IndicatorInputs

Without ``years``: every year with 学籍, 教育经费, 平均受教育年限, 体质健康 or 视力筛查 data of the county.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
from django.db.models import Count

from edubrain.base.frames import queryset_frame
from edubrain.base.orgtree import OrgKind, OrgUnit
from edubrain.core.indicators import inputs as spec
from edubrain.core.indicators.inputs import IndicatorInputs
from edubrain.fitness.indicators import indicator_values
from edubrain.places.inputs import class_sizes, enrolment_counts
from edubrain.registry.models import (
    Enrollment,
    Facility,
    Finance,
    Population,
    School,
    SchoolingYears,
    Staff,
)
from edubrain.registry.models_org import school_system
from edubrain.registry.queries import teacher_attribute_counts
from edubrain.vision.models import ClassifyStatus, VisionScreening

# The cohort indicators look back this many 学年 before the first year computed.
LOOKBACK = 8


def _grouped(rows: object, schema: spec.Schema) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=schema, orient="row")  # type: ignore[call-overload]


def enrolment_frames(county: OrgUnit, years: Sequence[int] | None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(enrolments per school × 学年 × grade × status, classes with their on-roll size) from one GROUP BY
    over the county's 学籍 records by class and status."""
    qs = Enrollment.objects.filter(school_class__school__org_unit__path__startswith=county.path)
    if years:
        qs = qs.filter(
            school_year__start_year__gte=min(years) - LOOKBACK, school_year__start_year__lte=max(years)
        )
    counted = enrolment_counts(qs)  # the 班额 page's GROUP BY, so page and indicators count alike
    enrolments = counted.group_by("org_unit_id", "year", "grade_code", "status").agg(pl.col("n").sum())
    classes = class_sizes(counted)
    return enrolments, classes.drop("class_id")


def screening_frame(county: OrgUnit, years: Sequence[int] | None) -> pl.DataFrame:
    """Validly classified 视力筛查 pupils per school × 学年 × 筛查性近视 (one GROUP BY, distinct pupils)."""
    qs = VisionScreening._base_manager.filter(
        school__org_unit__path__startswith=county.path, status=ClassifyStatus.CLASSIFIED
    )
    if years:
        qs = qs.filter(school_year__start_year__in=list(years))
    rows = (
        qs.values_list("school__org_unit_id", "school_year__start_year", "myopia")
        .annotate(n=Count("student_id", distinct=True))
        .order_by()
    )
    return _grouped(rows, spec.SCREENINGS)


def staff_frame(county: OrgUnit) -> pl.DataFrame:
    """专任教师 counted by school, employment years and the attributes the indicators read."""
    teachers = Staff.objects.filter(school__org_unit__path__startswith=county.path)
    return _grouped(teacher_attribute_counts(teachers), spec.STAFF)


def build_inputs(county: OrgUnit, years: Sequence[int] | None = None) -> IndicatorInputs:
    """Everything the indicator formulas read for ``county``, its 镇/街道 and schools."""
    path = county.path
    towns = list(
        OrgUnit.objects.filter(kind=OrgKind.TOWN, path__startswith=path).values_list("pk", flat=True)
    )
    schools = queryset_frame(School.objects.filter(org_unit__path__startswith=path), list(spec.SCHOOLS))
    enrolments, classes = enrolment_frames(county, years)
    area = {"org_unit__path__startswith": path}
    population = queryset_frame(
        Population.objects.filter(**area), ["org_unit_id", "year", "age", "population", "source"]
    )
    finance = queryset_frame(
        Finance.objects.filter(org_unit=county), ["org_unit_id", "year", "general_budget"]
    )
    schooling = queryset_frame(
        SchoolingYears.objects.filter(**area), ["org_unit_id", "year", "years", "source"]
    )
    facilities = queryset_frame(
        Facility.objects.filter(school__org_unit__path__startswith=path),
        ["school__org_unit_id", "year", "broadband_mbps"],
    ).rename({"school__org_unit_id": "org_unit_id"})
    screenings = screening_frame(county, years)
    fitness = indicator_values(years=years)
    inside = fitness.filter(
        pl.col("org_unit_id").is_in([county.pk, *towns, *schools["org_unit_id"].to_list()])
    )
    chosen = years
    if not chosen:
        found: set[int] = set(enrolments["year"].to_list())
        found |= set(finance["year"].to_list()) | set(inside["year"].to_list())
        found |= set(screenings["year"].to_list())
        found |= set(schooling.filter(pl.col("org_unit_id") == county.pk)["year"].to_list())
        chosen = sorted(found)
    return IndicatorInputs(
        county_id=county.pk,
        years=tuple(chosen),
        towns=tuple(towns),
        schools=schools,
        enrolments=enrolments,
        classes=classes,
        staff=staff_frame(county),
        population=population,
        finance=finance,
        schooling=schooling,
        facilities=facilities,
        module_values=inside,
        screenings=screenings,
        school_system=school_system(),
    )
