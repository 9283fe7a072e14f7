"""教育经费 (finance): the county's 一般公共预算教育支出 per 年份 and its split by stage, in 元.

The county is the importing user's county (the operator: the configured or only county); a user whose scope
is below a county (a 镇/街道 or a school) may not import it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from edubrain.base.frames import queryset_frame
from edubrain.imports.datasets.common import RowsConfig
from edubrain.imports.resolve import Context, with_absent

PARTS = (
    ("preschool", "学前教育"),
    ("primary", "小学"),
    ("junior", "初中"),
    ("senior", "普通高中"),
    ("vocational", "中等职业教育"),
    ("special", "特殊教育"),
)
MAX_MONEY = 1_000_000_000_000  # 元


class FinanceConfig(RowsConfig):
    name, label, model_label = "finance", "教育经费", "registry.Finance"
    key = ("org_unit_id", "year")
    fields = ("general_budget", *(k for k, _ in PARTS))
    sources = {"org_unit_id": "year"}
    notes = (
        "每年一行，金额单位为元；数据属于您所在的县（区）。",
        "分学段经费（学前教育、小学、初中、普通高中、中等职业教育、特殊教育）之和不能大于一般公共预算教育支出。",
        "新增年份留空的分学段经费记为 0；已有年份留空的单元格保持原值不变。",
        "只有县（区）教育局的账号可以导入教育经费。",
    )

    def columns(self) -> list[Any]:
        from edubrain.core.frames import Column

        money = {"unit": "元", "min": 0, "max": MAX_MONEY}
        return [
            Column(
                "year", "年份", "int", aliases=("年度",), required=True, min=1990, max=dt.date.today().year
            ),
            Column(
                "general_budget",
                "一般公共预算教育支出（元）",
                "decimal",
                aliases=("一般公共预算教育支出", "教育支出"),
                required=True,
                **money,
            ),
            *(
                Column(k, f"其中：{h}（元）", "decimal", aliases=(h, f"{h}（元）", f"其中{h}"), **money)
                for k, h in PARTS
            ),
        ]

    def spec_key(self) -> tuple[str, ...]:
        return ("year",)

    def resolve(self, rows: pl.DataFrame, ctx: Context) -> pl.DataFrame:
        frame = with_absent(rows, self.spec)
        county = ctx.county()
        if county is None:
            return self.coerce(
                ctx.reject(
                    frame, pl.lit(True), "年份", "year", "系统中没有县（区），不能导入教育经费", "reference"
                )
            )
        below = ctx.school is not None or bool(ctx.scope and not county.path.startswith(ctx.scope))
        frame = ctx.reject(
            frame, pl.lit(below), "年份", "year", "只有县（区）教育局可以导入本县的教育经费", "scope"
        )
        return self.coerce(frame.with_columns(pl.lit(county.pk, pl.Int64).alias("org_unit_id")))

    def check(self, frame: pl.DataFrame, ctx: Context) -> pl.DataFrame:
        total = pl.sum_horizontal(pl.col(k).fill_null(0) for k, _ in PARTS)
        return ctx.reject(
            frame,
            total > pl.col("general_budget") + 0.005,
            self.header_of("general_budget"),
            "general_budget",
            pl.format(
                "分学段经费之和（{}元）不能大于一般公共预算教育支出（{}元）", total.round(2), "general_budget"
            ),
            "consistency",
        )

    def export_frame(self, user: Any) -> pl.DataFrame:
        from edubrain.registry.models import Finance

        county = Context(user=user).county()  # the county an import by this user writes to
        qs = Finance.objects.visible_to(user).filter(org_unit=county).order_by("year")
        frame = queryset_frame(qs, ["year", *self.fields])
        return frame.select(
            pl.col("year").alias("年份"), *(pl.col(f).alias(self.header_of(f)) for f in self.fields)
        )


FINANCE = FinanceConfig()
