"""Write a ``DemoPlan`` into the configured database: ids shifted past existing rows, then per table one
``executemany`` in batches (SQLite) or one ``COPY`` (PostgreSQL), inside the caller's transaction; PostgreSQL
sequences are reset afterwards.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
from django.db import connection, models
from django.db.models import Max

from edubrain.base.audit import record_bulk
from edubrain.base.orgtree import OrgUnit
from edubrain.demo.plan import TABLES, DemoPlan
from edubrain.demo.plan_org import org_paths
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

BATCH_SIZE = 5000
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
    "staff_training": StaffTraining,
    "facility": Facility,
    "finance": Finance,
    "births": Births,
    "population": Population,
    "schooling_years": SchoolingYears,
}
# Personal records written in bulk: one audit entry each (操作留痕).
AUDITED = ("staff", "student", "enrollment", "staff_training")


def ensure_school_years(years: list[int]) -> dict[int, int]:
    """学年 rows for the plan's years (kept if they exist); start year → id."""
    SchoolYear.objects.bulk_create([SchoolYear(start_year=y) for y in years], ignore_conflicts=True)
    return dict(SchoolYear.objects.filter(start_year__in=years).values_list("start_year", "id"))


def _defaults(model: type[models.Model], present: set[str]) -> dict[str, object]:
    """Values for the model's columns the frame does not carry (field defaults, else NULL)."""
    out: dict[str, object] = {}
    for f in model._meta.concrete_fields:
        if f.attname in present:
            continue
        if f.has_default():
            out[f.attname] = f.get_default()
        elif f.null:
            out[f.attname] = None
        elif f.blank and f.empty_strings_allowed:
            out[f.attname] = ""
        else:
            raise ValueError(f"演示数据缺少必填字段 {model._meta.label}.{f.attname}")
    return out


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


def insert_frame(model: type[models.Model], frame: pl.DataFrame) -> int:
    """Insert every row of the frame (columns are model attnames): COPY on PostgreSQL, else executemany."""
    extra = _defaults(model, set(frame.columns))
    if extra:
        frame = frame.with_columns([pl.lit(v).alias(k) for k, v in extra.items()])
    meta, qn = model._meta, connection.ops.quote_name
    columns = [meta.get_field(c).column for c in frame.columns]
    sql = (
        f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: one round trip for the whole table
            copy_sql = f"COPY {qn(meta.db_table)} ({', '.join(qn(c) for c in columns)}) FROM STDIN"
            with cursor.cursor.copy(copy_sql) as copy:
                for row in frame.iter_rows():
                    copy.write_row(row)
        else:
            for start in range(0, frame.height, BATCH_SIZE):
                cursor.executemany(sql, frame.slice(start, BATCH_SIZE).rows())
    return frame.height


def write_plan(plan: DemoPlan, progress: Callable[[str], None] = lambda _m: None) -> dict[str, int]:
    """Write all frames (call inside ``transaction.atomic``); returns rows written per table."""
    years = ensure_school_years(sorted(set(plan.frames["enrollment"]["school_year"].unique().to_list())))
    bases: dict[str, int] = {}
    counts: dict[str, int] = {}
    for key in TABLES:
        model = MODELS[key]
        bases[key] = model._default_manager.aggregate(m=Max("id"))["m"] or 0
        frame = prepare(key, plan.frames[key], bases, years)
        counts[key] = insert_frame(model, frame)
        label = "教育集团成员校" if key == "group_member" else model._meta.verbose_name
        progress(f"  写入{label} {counts[key]:,} 条")
        if key in AUDITED:
            record_bulk(model, counts[key], summary=f"演示数据批量写入 {counts[key]} 条")
    reset_sequences([MODELS[k] for k in TABLES])
    return counts


def reset_sequences(model_list: list[type[models.Model]]) -> None:
    """After explicit ids, move PostgreSQL sequences past them (a no-op on SQLite).

    A sequence only ever moves forward: sequences are not transactional, so moving one back to a smaller
    MAX(id) inside a transaction that is later rolled back (a reset in a test) would hand out ids that the
    restored rows still hold.
    """
    if connection.vendor != "postgresql":
        return
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in model_list:
            table, pk = model._meta.db_table, model._meta.pk.column
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [qn(table), pk])
            sequence = cursor.fetchone()[0]
            if sequence is None:
                continue
            cursor.execute(
                f"SELECT setval(%s, GREATEST((SELECT COALESCE(MAX({qn(pk)}), 1) FROM {qn(table)}),"
                f" (SELECT last_value FROM {sequence})), true)",
                [sequence],
            )
