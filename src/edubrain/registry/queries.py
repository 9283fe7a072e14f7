"""Read side of the registries, always scoped through ``visible_to(user)``."""

from __future__ import annotations

from typing import Any

import polars as pl
from django.db.models import Q, QuerySet

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


def enrolment_frame(user: Any, start_year: int) -> pl.DataFrame:
    """One row per on-roll student of the year: grade_code, school_type, school_id — in one query."""
    rows = (
        Enrollment.objects.visible_to(user)
        .filter(school_year__start_year=start_year, status__in=ON_ROLL_STATUSES)
        .values_list(
            "school_class__grade_code", "school_class__school__school_type", "school_class__school_id"
        )
    )
    return pl.DataFrame(
        list(rows),
        schema={"grade_code": pl.Utf8, "school_type": pl.Utf8, "school_id": pl.Int64},
        orient="row",
    )


def school_frame(user: Any, start_year: int) -> pl.DataFrame:
    rows = schools_open_in(user, start_year).values_list("id", "school_type")
    return pl.DataFrame(list(rows), schema={"id": pl.Int64, "school_type": pl.Utf8}, orient="row")


def summary(user: Any, start_year: int | None = None) -> dict[str, Any]:
    """Headline figures for the home page, the CLI and the API.

    Keys: year, schools (total), schools_by_type ({type label: n}), kindergarten, compulsory,
    upper_secondary, vocational, teachers.
    """
    year = start_year if start_year is not None else latest_year()
    if year is None:
        empty = Headline(schools=0, kindergarten=0, compulsory=0, upper_secondary=0, vocational=0, teachers=0)
        return {"year": None, **empty, "schools_by_type": {}}
    schools = school_frame(user, year)
    figures = headline(enrolment_frame(user, year), schools, teachers_in(user, year).count())
    by_type = schools_by_type(schools)
    labelled = {SCHOOL_TYPES[t][0]: by_type[t] for t in SCHOOL_TYPES if t in by_type}
    return {"year": year, **figures, "schools_by_type": labelled}


def yearly_students(user: Any) -> list[dict[str, Any]]:
    """Students by stage for every school year (for the home-page chart)."""
    return [summary(user, y) for y in SchoolYear.objects.values_list("start_year", flat=True)]
