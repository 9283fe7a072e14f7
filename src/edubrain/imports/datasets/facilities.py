"""办学条件 (facilities): one row per school and 年份, areas in ㎡, equipment in 元, counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from edubrain.base.frames import queryset_frame
from edubrain.imports.datasets.common import RowsConfig
from edubrain.imports.resolve import Context, resolve_schools, with_absent

AREAS = (
    ("land_area", "占地面积", ("学校占地面积",)),
    ("building_area", "校舍建筑面积", ("校舍面积",)),
    ("teaching_area", "教学及辅助用房面积", ("教学用房面积", "教学及辅助用房")),
    ("sports_area", "体育运动场馆面积", ("体育场馆面积", "运动场面积")),
)
COUNTS = (
    ("books", "图书", "册", 100_000_000, ("图书册数", "藏书")),
    ("multimedia_classrooms", "网络多媒体教室", "间", 10_000, ("多媒体教室",)),
    ("computers", "计算机", "台", 100_000, ("计算机台数",)),
    ("broadband_mbps", "出口带宽", "Mbps", 100_000, ("互联网出口带宽",)),
)
MAX_AREA = 10_000_000  # ㎡ (10 km²)
MAX_MONEY = 10_000_000_000  # 元


class FacilitiesConfig(RowsConfig):
    name, label, model_label = "facilities", "办学条件", "registry.Facility"
    key = ("school_id", "year")
    fields = (
        "land_area",
        "building_area",
        "teaching_area",
        "sports_area",
        "equipment_value",
        "books",
        "multimedia_classrooms",
        "computers",
        "broadband_mbps",
    )
    sources = {"school_id": "school_code"}
    notes = (
        "每所学校每年一行，以“学校标识码 + 年份”识别：已有的更新，其余新增。",
        "面积单位为平方米，设备值单位为元；数值不能为负数。",
        "教学及辅助用房面积不能大于校舍建筑面积。",
        "已有记录中留空的单元格保持原值不变；文件中没有的列不会修改。",
    )

    def columns(self) -> list[Any]:
        from edubrain.core.frames import Column

        year = dt.date.today().year
        return [
            Column("school_code", "学校标识码", "school_code", aliases=("学校代码",), required=True),
            Column(
                "year", "年份", "int", aliases=("统计年份", "年度"), required=True, min=1990, max=year + 1
            ),
            *(
                Column(k, f"{h}（㎡）", "decimal", aliases=(h, *a), unit="㎡", min=0, max=MAX_AREA)
                for k, h, a in AREAS
            ),
            Column(
                "equipment_value",
                "教学仪器设备值（元）",
                "decimal",
                aliases=("教学仪器设备值", "教学仪器设备资产值"),
                unit="元",
                min=0,
                max=MAX_MONEY,
            ),
            *(
                Column(k, f"{h}（{u}）", "int", aliases=(h, *a), unit=u, min=0, max=m)
                for k, h, u, m, a in COUNTS
            ),
        ]

    def spec_key(self) -> tuple[str, ...]:
        return ("school_code", "year")

    def resolve(self, rows: pl.DataFrame, ctx: Context) -> pl.DataFrame:
        frame = resolve_schools(with_absent(rows, self.spec), ctx)
        return self.coerce(frame)

    def check(self, frame: pl.DataFrame, ctx: Context) -> pl.DataFrame:
        return ctx.reject(
            frame,
            pl.col("teaching_area") > pl.col("building_area"),
            self.header_of("teaching_area"),
            "teaching_area",
            pl.format(
                "教学及辅助用房面积（{}㎡）不能大于校舍建筑面积（{}㎡）", "teaching_area", "building_area"
            ),
            "consistency",
        )

    def existing(self, frame: pl.DataFrame, ctx: Context) -> pl.DataFrame:
        from edubrain.registry.models import Facility

        qs = Facility._base_manager.filter(school_id__in=frame["school_id"].unique().to_list())
        return queryset_frame(qs, ["id", *self.key, *self.fields])

    def export_frame(self, user: Any) -> pl.DataFrame:
        from edubrain.registry.models import Facility

        qs = Facility.objects.visible_to(user).order_by("school__code", "year")
        frame = queryset_frame(qs, ["school__code", "year", *self.fields])
        return frame.select(
            pl.col("school__code").alias("学校标识码"),
            pl.col("year").alias("年份"),
            *(pl.col(f).alias(self.header_of(f)) for f in self.fields),
        )


FACILITIES = FacilitiesConfig()
