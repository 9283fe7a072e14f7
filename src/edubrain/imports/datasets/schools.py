"""学校 (schools): one row per 学校标识码. A new school gets its org node under its 镇/街道 (the School
model's save, inside the commit's transaction — schools number in the hundreds); a changed name or 镇/街道
moves the node along."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from edubrain.base.frames import queryset_frame, update_frame
from edubrain.base.orgtree import OrgUnit
from edubrain.imports.datasets.base import Plan, code_labels, label_codes, yes_no
from edubrain.imports.datasets.common import RowsConfig, from_codes
from edubrain.imports.diff import CHANGED, NEW
from edubrain.imports.resolve import OUT_OF_SCOPE, Context, resolve_towns, with_absent
from edubrain.registry.choices import Locality, Ownership, Rating, SchoolType

TYPE_CODES = label_codes(
    SchoolType.choices,
    {
        "九年一贯制": "nine_year",
        "十二年一贯制": "twelve_year",
        "初中": "junior",
        "高中": "senior_high",
        "职业学校": "vocational",
        "中职": "vocational",
        "特殊教育": "special",
        "特教学校": "special",
    },
)
OWNERSHIP_CODES = label_codes(Ownership.choices, {"公立": "public", "民办学校": "private"})
LOCALITY_CODES = label_codes(
    Locality.choices, {"城市": "urban", "县镇": "town", "镇": "town", "农村": "rural"}
)
RATING_CODES = label_codes(Rating.choices, {"无": ""})


class SchoolsConfig(RowsConfig):
    name, label, model_label = "schools", "学校", "registry.School"
    key = ("code",)
    fields = (
        "name",
        "school_type",
        "ownership",
        "town_id",
        "locality",
        "is_puhui",
        "rating",
        "address",
        "longitude",
        "latitude",
        "founded_year",
    )
    sources = {"code": "school_code", "town_id": "town"}
    notes = (
        "每所学校（含幼儿园）一行，以学校标识码识别：已有的更新，其余新增。",
        "办学类型可填代码或名称（如“小学”“九年一贯制学校”）。",
        "所在镇/街道填本县镇/街道的名称或行政区划代码。",
        "普惠性只有幼儿园填写，其他学校留空。",
        "已有学校留空的办学类型、举办者、城乡分类、等级、地址保持原值不变；文件中没有的列不会修改。",
    )

    def columns(self) -> list[Any]:
        from edubrain.core.frames import Column

        return [
            Column(
                "school_code", "学校标识码", "school_code", aliases=("学校代码", "学校识别码"), required=True
            ),
            Column("name", "学校名称", "text", aliases=("学校全称", "名称"), required=True, max_length=100),
            Column("school_type", "办学类型", "code", codes=TYPE_CODES, aliases=("学校类型", "办学类型代码")),
            Column("ownership", "举办者", "code", codes=OWNERSHIP_CODES, aliases=("办学性质", "举办者类型")),
            Column(
                "town",
                "所在镇/街道",
                "text",
                aliases=("镇/街道", "所在乡镇", "乡镇/街道", "所在地区"),
                max_length=100,
            ),
            Column(
                "locality", "城乡分类", "code", codes=LOCALITY_CODES, aliases=("城乡分类代码", "城乡类型")
            ),
            Column("is_puhui", "普惠性", "bool", aliases=("普惠性幼儿园", "是否普惠")),
            Column("rating", "等级", "code", codes=RATING_CODES, aliases=("学校等级", "办园等级")),
            Column("address", "地址", "text", aliases=("学校地址", "详细地址"), max_length=200),
            Column("longitude", "经度", "decimal", min=73, max=136),
            Column("latitude", "纬度", "decimal", min=3, max=54),
            Column(
                "founded_year",
                "建校年份",
                "int",
                aliases=("建校年度", "始建年份"),
                min=1800,
                max=dt.date.today().year,
            ),
        ]

    def spec_key(self) -> tuple[str, ...]:
        return ("school_code",)

    def resolve(self, rows: pl.DataFrame, ctx: Context) -> pl.DataFrame:
        from edubrain.registry.models import School

        frame = with_absent(rows, self.spec).with_columns(pl.col("school_code").alias("code"))
        stored = queryset_frame(
            School._base_manager.filter(code__in=frame["code"].to_list()),
            ["code", "school_type", "town_id", "org_unit__path", "name"],
        ).rename(
            {
                "school_type": "__old_type__",
                "town_id": "__old_town__",
                "org_unit__path": "__old_path__",
                "name": "__old_name__",
            }
        )
        frame = frame.join(stored, on="code", how="left")
        is_new = pl.col("__old_path__").is_null()
        outside = pl.lit(False)
        if ctx.scope:
            outside = ~is_new & ~pl.col("__old_path__").str.starts_with(ctx.scope)
        if ctx.school is not None:
            outside = outside | (pl.col("code") != ctx.school.code)
        frame = ctx.reject(frame, outside, "学校标识码", "school_code", OUT_OF_SCOPE, "scope")
        for key, header in (("town", "所在镇/街道"), ("school_type", "办学类型")):
            frame = ctx.reject(
                frame, is_new & pl.col(key).is_null(), header, key, f"新增学校须填写{header}", "required"
            )
        has_town = frame.filter(pl.col("town").is_not_null())
        no_town = frame.filter(pl.col("town").is_null()).with_columns(
            pl.col("__old_town__").alias("__unit__"), pl.col("__old_path__").alias("__unit_path__")
        )
        has_town = resolve_towns(has_town, ctx, "town", "所在镇/街道", check_scope=False)
        if ctx.scope:  # a new school, or one moved to another 镇/街道, must land inside the scope
            moved = pl.col("__old_town__").is_null() | (pl.col("__unit__") != pl.col("__old_town__"))
            has_town = ctx.reject(
                has_town,
                moved & ~pl.col("__unit_path__").str.starts_with(ctx.scope),
                "所在镇/街道",
                "town",
                "无权在其他地区登记学校",
                "scope",
            )
        frame = pl.concat([has_town, no_town], how="diagonal_relaxed")
        frame = frame.with_columns(pl.col("__unit__").cast(pl.Int64).alias("town_id"))
        return self.coerce(frame)

    def check(self, frame: pl.DataFrame, ctx: Context) -> pl.DataFrame:
        return ctx.reject(
            frame,
            pl.col("is_puhui").is_not_null() & (pl.col("school_type") != SchoolType.kindergarten),
            "普惠性",
            yes_no(pl.col("is_puhui")),
            "普惠性只适用于幼儿园，其他学校请留空",
            "consistency",
        )

    def write(self, plan: Plan, ctx: Context) -> int:
        from edubrain.registry.models import School

        frame = plan.frame
        new = frame.filter(pl.col("__status__") == NEW).select([*self.key, *self.fields])
        for row in new.iter_rows(named=True):
            School(**row).save()  # creates the school's org node under its 镇/街道
        live = self.live_fields(ctx)
        changed = frame.filter(pl.col("__status__") == CHANGED)
        update_frame(School, changed.select(["id", *live]))
        moved = changed.filter(
            (pl.col("name") != pl.col("__old_name__")) | (pl.col("town_id") != pl.col("__old_town__"))
        )
        if moved.height:
            units = School._base_manager.filter(pk__in=moved["id"].to_list()).values_list("pk", "org_unit_id")
            by_school = dict(units)
            for row in moved.iter_rows(named=True):
                unit = OrgUnit.objects.get(pk=by_school[row["id"]])
                unit.name, unit.parent_id = row["name"], row["town_id"]
                unit.save()  # keeps the path of the node (and its descendants) right
        return new.height + changed.height

    def export_frame(self, user: Any) -> pl.DataFrame:
        from edubrain.registry.models import School

        qs = School.objects.visible_to(user).order_by("code")
        frame = queryset_frame(
            qs,
            [
                "code",
                "name",
                "school_type",
                "ownership",
                "town__division_code",
                "town__name",
                "locality",
                "is_puhui",
                "rating",
                "address",
                "longitude",
                "latitude",
                "founded_year",
            ],
        )
        town_code = pl.col("town__division_code")
        return frame.select(
            pl.col("code").alias("学校标识码"),
            pl.col("name").alias("学校名称"),
            from_codes(pl.col("school_type"), code_labels(SchoolType.choices)).alias("办学类型"),
            from_codes(pl.col("ownership"), code_labels(Ownership.choices)).alias("举办者"),
            pl.when(town_code.is_not_null() & (town_code != ""))
            .then(town_code)
            .otherwise(pl.col("town__name"))
            .alias("所在镇/街道"),
            from_codes(pl.col("locality"), code_labels(Locality.choices)).alias("城乡分类"),
            yes_no(pl.col("is_puhui")).alias("普惠性"),
            from_codes(pl.col("rating"), code_labels(Rating.choices)).alias("等级"),
            pl.col("address").alias("地址"),
            pl.col("longitude").alias("经度"),
            pl.col("latitude").alias("纬度"),
            pl.col("founded_year").alias("建校年份"),
        )


SCHOOLS = SchoolsConfig()
