"""Registry → frames for 班额/校额 and 学位预警, always scoped through ``visible_to(user)``.

    enrolment_counts(qs)        学籍 records per class and status: one GROUP BY (shared with the indicator
                                engine, ``plans.indicator_inputs``)
    class_sizes(counted)        one row per class with its on-roll size
    school_frame(user, unit)    the visible schools under a unit with type, 镇/街道 and 学区
    class_frame(user, unit)     one row per class: size, grade, school, 镇/街道, 学区, year
    size_frame(classes, schools)  per school and year: 义务教育段 pupils and classes (for ``school_size``)
    place_data(user, unit, grouping)  the ``core.places.PlaceData`` of the forecast and the zone names

Everything is counted in the database (GROUP BY) and assembled in polars; no Python loop over pupils or
classes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from django.db.models import QuerySet

from edubrain.base.frames import queryset_frame
from edubrain.base.orgtree import OrgUnit
from edubrain.core.indicators.inputs import ON_ROLL
from edubrain.core.places import PlaceData
from edubrain.core.stages import (
    COMPLETE_SECONDARY,
    JUNIOR,
    JUNIOR_SCHOOL,
    NINE_YEAR,
    PRIMARY,
    PRIMARY_SCHOOL,
    SCHOOL_TYPES,
    TWELVE_YEAR,
    school_system_grades,
)
from edubrain.registry.models import Births, Enrollment, School, SchoolCapacity, SchoolClass
from edubrain.registry.queries import enrolment_status_counts

ZONE, TOWN = "zone", "town"
GROUPINGS = {ZONE: "学区", TOWN: "镇/街道"}
# 办学类型 whose places the forecast counts (小学、初中 places; 特教 and 幼儿园 are outside it).
FORECAST_TYPES = (PRIMARY_SCHOOL, JUNIOR_SCHOOL, NINE_YEAR, TWELVE_YEAR, COMPLETE_SECONDARY)
COMPULSORY_GRADES = ("11", "12", "13", "14", "15", "16", "21", "22", "23", "24")

COUNTS_SCHEMA: dict[str, Any] = {
    "class_id": pl.Int64(),
    "org_unit_id": pl.Int64(),
    "year": pl.Int64(),
    "grade_code": pl.String(),
    "status": pl.String(),
    "n": pl.Int64(),
}
SCHOOL_FIELDS = (
    "id",
    "org_unit_id",
    "name",
    "school_type",
    "locality",
    "town_id",
    "town__name",
    "zone_id",
    "zone__name",
    "founded_year",
    "closed_year",
    "org_unit__path",
)


def enrolment_counts(qs: QuerySet[Enrollment]) -> pl.DataFrame:
    """学籍 records of ``qs`` counted per class and status (one GROUP BY): class_id, org_unit_id (the
    school's node), year (学年), grade_code, status, n."""
    rows = enrolment_status_counts(qs, per_class=True)
    return pl.DataFrame(list(rows), schema=COUNTS_SCHEMA, orient="row")


def class_sizes(counted: pl.DataFrame) -> pl.DataFrame:
    """One row per class: class_id, org_unit_id, year, grade_code, size (on-roll pupils: 在籍 and 转入)."""
    on_roll = pl.when(pl.col("status").is_in(list(ON_ROLL))).then(pl.col("n")).otherwise(0)
    return counted.group_by("class_id", "org_unit_id", "year", "grade_code").agg(
        on_roll.sum().cast(pl.Int64).alias("size")
    )


def visible_schools(user: Any, unit: OrgUnit) -> QuerySet[School]:
    return School.objects.visible_to(user).filter(org_unit__path__startswith=unit.path)


def school_frame(user: Any, unit: OrgUnit) -> pl.DataFrame:
    """The visible schools under ``unit``: school_id, org_unit_id, school, school_type, locality, town_id,
    town, zone_id, zone, founded_year, closed_year, path."""
    frame = queryset_frame(visible_schools(user, unit), list(SCHOOL_FIELDS))
    return frame.rename(
        {
            "id": "school_id",
            "name": "school",
            "town__name": "town",
            "zone__name": "zone",
            "org_unit__path": "path",
        }
    )


def class_frame(
    user: Any, unit: OrgUnit, years: Sequence[int] | None = None, schools: pl.DataFrame | None = None
) -> pl.DataFrame:
    """One row per visible class under ``unit`` with on-roll pupils (of ``years``, default every year):
    class_id, number, year, grade_code, size and the school's columns (``school_frame``)."""
    schools = school_frame(user, unit) if schools is None else schools
    qs = Enrollment.objects.visible_to(user).filter(
        school_class__school__org_unit__path__startswith=unit.path
    )
    classes = SchoolClass.objects.visible_to(user).filter(school__org_unit__path__startswith=unit.path)
    if years:
        qs = qs.filter(school_year__start_year__in=list(years))
        classes = classes.filter(school_year__start_year__in=list(years))
    sizes = class_sizes(enrolment_counts(qs))
    numbers = queryset_frame(classes, ["id", "number"]).rename({"id": "class_id"})
    return (
        sizes.join(schools, on="org_unit_id", how="inner")
        .join(numbers, on="class_id", how="left")
        .sort("year", "path", "grade_code", "number")
    )


def size_frame(classes: pl.DataFrame, schools: pl.DataFrame) -> pl.DataFrame:
    """Per school and year with classes: ``pupils`` (义务教育段 on-roll pupils, as the 大校额 indicator
    counts them) and ``classes`` (classes with pupils, every grade) — the input of ``school_size``."""
    per_school = classes.group_by("org_unit_id", "year").agg(
        pl.col("size").filter(pl.col("grade_code").is_in(list(COMPULSORY_GRADES))).sum().alias("pupils"),
        (pl.col("size") > 0).sum().cast(pl.Int64).alias("classes"),
    )
    return per_school.join(schools, on="org_unit_id", how="inner")


# ---------------------------------------------------------------- forecast inputs


@dataclass(frozen=True)
class ForecastInputs:
    """What the 学位预警 page forecasts from: the core's ``PlaceData``, the grouping, zone names (key →
    name, in display order) and Chinese notes about data the forecast lacks."""

    data: PlaceData
    grouping: str
    zones: dict[str, str]
    notes: list[str] = field(default_factory=list)
    schools: pl.DataFrame = field(default_factory=pl.DataFrame)


def default_grouping(schools: pl.DataFrame) -> str:
    """学区 when any forecast school has one, else 镇/街道."""
    return ZONE if schools["zone_id"].drop_nulls().len() > 0 else TOWN


def _zone_keys(schools: pl.DataFrame, grouping: str) -> pl.DataFrame:
    """school columns plus ``zone_key`` and ``zone_name``; under 学区 a school without one stands in its
    镇/街道's group."""
    town_key = pl.format("t{}", pl.col("town_id"))
    if grouping == ZONE:
        key = (
            pl.when(pl.col("zone_id").is_not_null())
            .then(pl.format("z{}", pl.col("zone_id")))
            .otherwise(town_key)
        )
        name = pl.coalesce(pl.col("zone"), pl.format("{}（未划学区）", pl.col("town")))
    else:
        key, name = town_key, pl.col("town")
    return schools.with_columns(key.alias("zone_key"), name.alias("zone_name"))


def _town_zone(schools: pl.DataFrame) -> pl.DataFrame:
    """town_id → zone_key: the group holding most of the town's forecast schools (ties: the first key)."""
    return (
        schools.group_by("town_id", "zone_key")
        .len()
        .sort(["town_id", "len", "zone_key"], descending=[False, True, False])
        .group_by("town_id", maintain_order=True)
        .first()
        .select("town_id", "zone_key")
    )


def _capacity(
    user: Any, schools: pl.DataFrame, system: str, years: Sequence[int], report: list[str] | None = None
) -> pl.DataFrame:
    """zone, stage, year, entry_places (一年级/初一学位), total_places (the stage's grades) of the schools
    open in the year; a zone without capacity rows for a stage has none (null, never 0). Schools without
    any entry-grade capacity row are appended to ``report``."""
    grades = school_system_grades(system)
    stage_of = {g: stage for stage in (PRIMARY, JUNIOR) for g in grades[stage]}
    entry = {grades[PRIMARY][0], grades[JUNIOR][0]}
    rows = queryset_frame(
        SchoolCapacity.objects.visible_to(user).filter(
            school_id__in=schools["school_id"].to_list(), grade_code__in=list(stage_of)
        ),
        ["school_id", "grade_code", "places"],
    )
    year_frame = pl.DataFrame({"year": list(years)}, schema={"year": pl.Int64})
    open_schools = (
        schools.select("school_id", "zone_key", "founded_year", "closed_year")
        .join(year_frame, how="cross")
        .filter(
            (pl.col("founded_year").is_null() | (pl.col("founded_year") <= pl.col("year")))
            & (pl.col("closed_year").is_null() | (pl.col("closed_year") > pl.col("year")))
        )
    )
    if report is not None:
        entry_of = {PRIMARY: grades[PRIMARY][0], JUNIOR: grades[JUNIOR][0]}
        expected = {t: [entry_of[st] for st in SCHOOL_TYPES[t][1] if st in entry_of] for t in FORECAST_TYPES}
        needed = schools.select(
            "school_id",
            "school",
            "path",
            pl.col("school_type")
            .replace_strict(expected, return_dtype=pl.List(pl.String))
            .alias("grade_code"),
        ).explode("grade_code")
        missing = needed.join(
            rows.select("school_id", "grade_code"), on=["school_id", "grade_code"], how="anti"
        )
        report.extend(missing.sort("path")["school"].unique(maintain_order=True).to_list())
    return (
        rows.with_columns(
            pl.col("grade_code").replace_strict(stage_of, return_dtype=pl.String).alias("stage")
        )
        .join(open_schools, on="school_id", how="inner")
        .group_by(pl.col("zone_key").alias("zone"), "stage", "year")
        .agg(
            pl.col("places").filter(pl.col("grade_code").is_in(list(entry))).sum().alias("entry_places"),
            pl.col("places").sum().alias("total_places"),
            pl.col("grade_code").is_in(list(entry)).any().alias("has_entry"),
        )
        .with_columns(pl.when(pl.col("has_entry")).then(pl.col("entry_places")).alias("entry_places"))
        .drop("has_entry")
    )


def place_data(
    user: Any, unit: OrgUnit, grouping: str | None, system: str, horizon: int = 6
) -> ForecastInputs:
    """The forecast inputs of the visible 小学/初中 places under ``unit``, grouped per 学区 (``zone``) or
    镇/街道 (``town``; default: 学区 when the schools have them):

    - enrolment: on-roll pupils per group, 学年 and grade (one GROUP BY over 学籍 by class);
    - entrants: observed 一年级 on-roll pupils per group and 学年;
    - births: 出生人口 of each 镇/街道 summed into the group that holds most of the town's schools;
    - capacity: per group, stage and year the approved places of the schools open that year — entry places
      from grade 11 (小学) and 21 (初中), total places over the stage's grades of the 学制.
    """
    schools = school_frame(user, unit).filter(pl.col("school_type").is_in(list(FORECAST_TYPES)))
    chosen = grouping if grouping in GROUPINGS else default_grouping(schools)
    schools = _zone_keys(schools, chosen)
    grades = school_system_grades(system)
    stage_grades = [*grades[PRIMARY], *grades[JUNIOR]]
    classes = class_frame(user, unit, schools=schools).filter(pl.col("grade_code").is_in(stage_grades))
    enrolment = classes.group_by(pl.col("zone_key").alias("zone"), "year", "grade_code").agg(
        pl.col("size").sum().alias("pupils")
    )
    entrants = enrolment.filter(pl.col("grade_code") == grades[PRIMARY][0]).select(
        "zone", "year", pl.col("pupils").alias("entrants")
    )
    births_rows = queryset_frame(
        Births.objects.visible_to(user).filter(org_unit__path__startswith=unit.path),
        ["org_unit_id", "org_unit__name", "year", "births"],
    ).rename({"org_unit_id": "town_id", "org_unit__name": "town"})
    mapped = births_rows.join(_town_zone(schools), on="town_id", how="left")
    births = (
        mapped.filter(pl.col("zone_key").is_not_null())
        .group_by(pl.col("zone_key").alias("zone"), "year")
        .agg(pl.col("births").sum())
    )
    zones = dict(
        schools.group_by("zone_key", maintain_order=True)
        .agg(pl.col("zone_name").first(), pl.col("path").min())
        .sort("path")
        .select("zone_key", "zone_name")
        .iter_rows()
    )
    notes = _notes(schools, mapped, births, zones, chosen)
    last = int(enrolment["year"].max()) if enrolment.height else None  # type: ignore[arg-type]
    first = int(enrolment["year"].min()) if enrolment.height else None  # type: ignore[arg-type]
    years = list(range(first, last + horizon + 1)) if first is not None and last is not None else []
    lacking: list[str] = []
    capacity = _capacity(user, schools, system, years, lacking)
    if lacking:
        notes.append(
            f"{'、'.join(lacking)}没有一年级或初一的学位容量数据，所在{GROUPINGS[chosen]}的招生计划数未计入这些学校。"
        )
    data = PlaceData(births=births, enrolment=enrolment, capacity=capacity, entrants=entrants)
    return ForecastInputs(data=data, grouping=chosen, zones=zones, notes=notes, schools=schools)


def _notes(
    schools: pl.DataFrame, mapped: pl.DataFrame, births: pl.DataFrame, zones: dict[str, str], grouping: str
) -> list[str]:
    notes = []
    if schools.is_empty():
        notes.append("所选单位没有小学或初中学校，无法预测学位。")
    without = [name for key, name in zones.items() if key not in set(births["zone"].to_list())]
    label = GROUPINGS[grouping]
    for name in without:
        notes.append(f"{label}“{name}”没有出生人口数据，无法预测一年级新生，预警为“不可评估”。")
    unassigned = mapped.filter(pl.col("zone_key").is_null())["town"].unique().sort().to_list()
    if unassigned:
        notes.append(f"{'、'.join(unassigned)}没有小学或初中学校，其出生人口未计入任何{label}。")
    return notes
