"""Write a ``DemoPlan`` into the configured database: ids shifted past existing rows, then per table one
``executemany`` in batches (SQLite) or one ``COPY`` (PostgreSQL) through ``base.frames``,
inside the caller's transaction; PostgreSQL sequences are reset afterwards. 体质测试成绩 are scored here
(``fitness.services.score_rows``, the same scoring as the import) so stored rows carry complete scores;
视力筛查 rows are classified the same way (``vision.services.classify_rows``).
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
from django.db import models
from django.db.models import Max

from edubrain.base.audit import record_bulk
from edubrain.base.frames import insert_frame, reset_sequences
from edubrain.base.orgtree import OrgUnit
from edubrain.demo.plan import TABLES, DemoPlan
from edubrain.demo.plan_org import org_paths
from edubrain.fitness.models import FitnessMeasurement
from edubrain.fitness.services import score_rows
from edubrain.registry.models import (
    Births,
    EducationGroup,
    Enrollment,
    Facility,
    Finance,
    Population,
    ResponsibleUnit,
    School,
    SchoolCapacity,
    SchoolClass,
    SchoolingYears,
    SchoolYear,
    SchoolZone,
    Staff,
    StaffTraining,
    Student,
)
from edubrain.vision.models import VisionScreening
from edubrain.vision.services import classify_rows

MODELS: dict[str, type[models.Model]] = {
    "org_unit": OrgUnit,
    "zone": SchoolZone,
    "school": School,
    "responsible_unit": ResponsibleUnit,
    "education_group": EducationGroup,
    "group_member": EducationGroup.members.through,
    "capacity": SchoolCapacity,
    "staff": Staff,
    "school_class": SchoolClass,
    "student": Student,
    "enrollment": Enrollment,
    "fitness": FitnessMeasurement,
    "vision": VisionScreening,
    "staff_training": StaffTraining,
    "facility": Facility,
    "finance": Finance,
    "births": Births,
    "population": Population,
    "schooling_years": SchoolingYears,
}
# Personal records written in bulk: one audit entry each (操作留痕).
AUDITED = ("staff", "student", "enrollment", "fitness", "vision", "staff_training")


def ensure_school_years(years: list[int]) -> dict[int, int]:
    """学年 rows for the plan's years (kept if they exist); start year → id."""
    SchoolYear.objects.bulk_create([SchoolYear(start_year=y) for y in years], ignore_conflicts=True)
    return dict(SchoolYear.objects.filter(start_year__in=years).values_list("start_year", "id"))


def score_fitness(frame: pl.DataFrame) -> pl.DataFrame:
    """The plan's measurements with their scores (``_sex`` holds the pupil's sex)."""
    return score_rows(frame.with_columns(pl.col("_sex").alias("sex"))).drop("sex")


def classify_vision(frame: pl.DataFrame) -> pl.DataFrame:
    """The plan's screenings with their classification (``_birth_date`` holds the pupil's birth date)."""
    return classify_rows(frame.with_columns(pl.col("_birth_date").alias("birth_date"))).drop("birth_date")


def prepare(key: str, frame: pl.DataFrame, bases: dict[str, int], years: dict[int, int]) -> pl.DataFrame:
    """Shift local ids by the table bases, map 学年 to ids, recompute org paths, drop helper columns."""
    shifts = [(pl.col("id") + bases[key]).alias("id")]
    shifts += [(pl.col(col) + bases[target]).alias(col) for col, target in TABLES[key].items()]
    frame = frame.select([c for c in frame.columns if not c.startswith("_")]).with_columns(shifts)
    if "school_year" in frame.columns:
        frame = frame.with_columns(
            pl.col("school_year").replace_strict(years, return_dtype=pl.Int64).alias("school_year_id")
        ).drop("school_year")
    if key == "org_unit":
        paths, depths = org_paths(frame["id"].to_list(), frame["parent_id"].to_list())
        frame = frame.with_columns(pl.Series("path", paths), pl.Series("depth", depths))
    return frame


def write_plan(plan: DemoPlan, progress: Callable[[str], None] = lambda _m: None) -> dict[str, int]:
    """Write all frames (call inside ``transaction.atomic``); returns rows written per table."""
    years = ensure_school_years(sorted(set(plan.frames["enrollment"]["school_year"].unique().to_list())))
    bases: dict[str, int] = {}
    counts: dict[str, int] = {}
    for key in TABLES:
        model = MODELS[key]
        bases[key] = model._default_manager.aggregate(m=Max("id"))["m"] or 0
        frame = plan.frames[key]
        if key == "fitness":
            frame = score_fitness(frame)
        elif key == "vision":
            frame = classify_vision(frame)
        frame = prepare(key, frame, bases, years)
        counts[key] = insert_frame(model, frame)
        label = "教育集团成员校" if key == "group_member" else model._meta.verbose_name
        progress(f"  写入{label} {counts[key]:,} 条")
        if key in AUDITED:
            record_bulk(model, counts[key], summary=f"演示数据批量写入 {counts[key]} 条")
    reset_sequences([MODELS[k] for k in TABLES])
    return counts
