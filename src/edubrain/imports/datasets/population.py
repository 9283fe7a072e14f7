"""人口 (population): persons by single year of age (0–120) of a 镇/街道 or the county, per 年份.

Births are not imported here: 出生人口 stays with the administrator (and the demo data); a 年龄 of “出生”
is not an age and is refused.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from edubrain.base.frames import queryset_frame
from edubrain.base.orgtree import OrgKind
from edubrain.imports.datasets.common import RowsConfig
from edubrain.imports.resolve import Context, reject_duplicates, resolve_towns, with_absent

AREA_KINDS = (OrgKind.TOWN, OrgKind.COUNTY)


class PopulationConfig(RowsConfig):
    name, label, model_label = "population", "人口", "registry.Population"
    key = ("org_unit_id", "year", "age")
    fields = ("population", "source")
    sources = {"org_unit_id": "area"}
    notes = (
        "每个地区、年份、年龄一行（分年龄人口）：年龄为 0～120 的整数周岁，人数为该年龄的人口数。",
        "“行政区”填本县的镇/街道或本县的名称，也可填行政区划代码（如 370323101）。",
        "出生人口不在此导入（“年龄”不能填“出生”）；出生人数由管理员维护。",
        "数据来源留空时，新增行记为“统计局”，已有行保持原值。",
        "镇/街道的账号只能导入本镇/街道的人口。",
    )

    def columns(self) -> list[Any]:
        from edubrain.core.frames import Column

        return [
            Column(
                "area",
                "行政区",
                "text",
                aliases=("行政区划代码", "镇/街道", "镇街道", "乡镇", "地区", "行政区划"),
                required=True,
                max_length=100,
            ),
            Column(
                "year",
                "年份",
                "int",
                aliases=("年度", "统计年份"),
                required=True,
                min=1949,
                max=dt.date.today().year,
            ),
            Column("age", "年龄", "int", aliases=("周岁",), required=True, min=0, max=120, unit="岁"),
            Column(
                "population",
                "人数",
                "int",
                aliases=("人口数", "人口"),
                required=True,
                min=0,
                max=10_000_000,
                unit="人",
            ),
            Column("source", "数据来源", "text", aliases=("来源",), max_length=40),
        ]

    def spec_key(self) -> tuple[str, ...]:
        return ("area", "year", "age")

    def resolve(self, rows: pl.DataFrame, ctx: Context) -> pl.DataFrame:
        frame = resolve_towns(with_absent(rows, self.spec), ctx, "area", "行政区", AREA_KINDS)
        frame = frame.with_columns(pl.col("__unit__").alias("org_unit_id"))
        # the same area written once by name and once by code is still one key
        frame = reject_duplicates(
            frame, ctx, ["org_unit_id", "year", "age"], "行政区", "area", "行政区+年份+年龄"
        )
        return self.coerce(frame)

    def export_frame(self, user: Any) -> pl.DataFrame:
        from edubrain.registry.models import Population

        qs = Population.objects.visible_to(user).order_by("org_unit__path", "year", "age")
        frame = queryset_frame(
            qs, ["org_unit__division_code", "org_unit__name", "year", "age", "population", "source"]
        )
        code = pl.col("org_unit__division_code")
        return frame.select(
            pl.when(code.is_not_null() & (code != ""))
            .then(code)
            .otherwise(pl.col("org_unit__name"))
            .alias("行政区"),
            pl.col("year").alias("年份"),
            pl.col("age").alias("年龄"),
            pl.col("population").alias("人数"),
            pl.col("source").alias("数据来源"),
        )


POPULATION = PopulationConfig()
