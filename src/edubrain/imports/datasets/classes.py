"""班级 (classes): school + 学年 + 年级 + 班号; the grade must exist for the school's type and 学制."""

from __future__ import annotations

from typing import Any

import polars as pl
from django.conf import settings

from edubrain.base.frames import queryset_frame
from edubrain.core.stages import GRADES, grade_allowed
from edubrain.imports.datasets.base import DatasetConfig
from edubrain.imports.datasets.students import GRADE_CODES
from edubrain.imports.resolve import Context, parse_school_year, resolve_schools, school_year_ids


class ClassesConfig(DatasetConfig):
    name, label, model_label = "classes", "班级", "registry.SchoolClass"
    key = ("school_id", "school_year_id", "grade_code", "number")
    fields = ("name",)
    sources = {
        "school_id": "school_code",
        "school_year_id": "school_year",
        "grade_code": "grade",
        "number": "class_number",
    }
    notes = ("年级可填代码（11）或名称（一年级）；年级须符合学校的办学类型和本县学制。",)

    def columns(self) -> list[Any]:
        from edubrain.core.frames import Column

        return [
            Column("school_code", "学校标识码", "school_code", aliases=("学校代码",), required=True),
            Column("school_year", "学年", "text", required=True),
            Column("grade", "年级", "code", codes=GRADE_CODES, aliases=("年级编号",), required=True),
            Column("class_number", "班号", "int", aliases=("班级号",), required=True, min=1, max=99),
            Column("name", "班级名称", "text", max_length=40),
        ]

    def spec_key(self) -> tuple[str, ...]:
        return ("school_code", "school_year", "grade", "class_number")

    def resolve(self, rows: pl.DataFrame, ctx: Context) -> pl.DataFrame:
        frame = resolve_schools(rows, ctx).with_columns(
            parse_school_year(pl.col("school_year")).alias("__y__")
        )
        frame = ctx.reject(
            frame, pl.col("__y__").is_null(), "学年", "school_year", "学年应写作 2024 或 2024-2025", "format"
        )
        system = settings.EDUBRAIN.get("SCHOOL_SYSTEM", "6-3")
        allowed = pl.struct("__school_type__", "grade").map_elements(
            lambda r: grade_allowed(r["__school_type__"], r["grade"], system), return_dtype=pl.Boolean
        )
        frame = ctx.reject(frame, ~allowed, "年级", "grade", "该校的办学类型不设此年级", "reference")
        years = school_year_ids(frame["__y__"].unique().to_list()) if frame.height else {}
        frame = frame.with_columns(
            pl.col("__y__")
            .replace_strict(years, return_dtype=pl.Int64, default=None)
            .alias("school_year_id"),
            pl.col("grade").alias("grade_code"),
            pl.col("class_number").alias("number"),
        )
        return self.coerce(frame)

    def existing(self, frame: pl.DataFrame, ctx: Context) -> pl.DataFrame:
        from edubrain.registry.models import SchoolClass

        qs = SchoolClass._base_manager.filter(school_id__in=frame["school_id"].unique().to_list())
        return queryset_frame(qs, ["id", *self.key, *self.fields])

    def export_frame(self, user: Any) -> pl.DataFrame:
        from edubrain.registry.models import SchoolClass

        frame = queryset_frame(
            SchoolClass.objects.visible_to(user),
            ["school__code", "school_year__start_year", "grade_code", "number", "name"],
        )
        names = {g.code: g.name for g in GRADES}
        return frame.select(
            pl.col("school__code").alias("学校标识码"),
            pl.col("school_year__start_year").cast(pl.String).alias("学年"),
            pl.col("grade_code").replace_strict(names, default=None).alias("年级"),
            pl.col("number").alias("班号"),
            pl.col("name").alias("班级名称"),
        )


CLASSES = ClassesConfig()
