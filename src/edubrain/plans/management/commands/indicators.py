"""``edubrain indicators compute [--year Y …] [--county CODE]``: compute and store the computed indicators
(every county with schools unless ``--county``; every year with data unless ``--year``) and print a Chinese
summary. ``edubrain indicators list``: the catalogue with each indicator's kind and stored value counts."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count, Q

from edubrain.base.orgtree import OrgKind, OrgUnit
from edubrain.core.indicators.catalogue import CALENDAR_YEAR, CATALOGUE_LIST
from edubrain.plans.compute import recompute, sync_catalogue
from edubrain.plans.models import Indicator, IndicatorValue

KIND_LABELS = {"computed": "系统计算", "manual": "人工填报"}
LEVEL_LABELS = {"county": "县", "town": "镇/街道", "school": "学校"}


class Command(BaseCommand):
    help = "指标：compute 计算并保存系统计算的指标值；list 列出指标目录及已存指标值数量"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("compute", help="计算并保存指标值（替换原计算值，保留人工填报值）")
        run.add_argument(
            "--year", type=int, action="append", help="只计算该年份（可重复；默认所有有数据的年份）"
        )
        run.add_argument("--county", help="县（区）的行政区划代码（默认所有有学校的县）")
        sub.add_parser("list", help="列出指标目录：代码、名称、单位、来源和已存指标值数量")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "list":
            self.list()
            return
        county = self.county(opts["county"]) if opts["county"] else None
        result = recompute(county, opts["year"] or None)
        self.stdout.write(result["message"])
        for row in result["by_county"]:
            self.stdout.write(
                f"  {row['county']}：有值 {row['with_value']:,} 条，无法计算 {row['without_value']:,} 条，"
                f"保留人工填报 {row['manual_kept']:,} 条，替换原计算值 {row['replaced']:,} 条"
            )

    @staticmethod
    def county(code: str) -> OrgUnit:
        found = OrgUnit.objects.filter(division_code=code, kind=OrgKind.COUNTY).first()
        if found is None:
            raise CommandError(f"找不到行政区划代码为 {code} 的县（区）")
        return found

    def list(self) -> None:
        sync_catalogue()
        counts = {
            row["code"]: row
            for row in Indicator.objects.values("code").annotate(
                computed=Count("values", filter=Q(values__source=IndicatorValue.Source.COMPUTED)),
                with_value=Count(
                    "values",
                    filter=Q(values__source=IndicatorValue.Source.COMPUTED, values__value__isnull=False),
                ),
                manual=Count("values", filter=Q(values__source=IndicatorValue.Source.MANUAL)),
            )
        }
        self.stdout.write(
            f"指标目录（{len(CATALOGUE_LIST)} 项）：代码  名称（单位）  来源  层级  年份口径  已存值"
        )
        for d in CATALOGUE_LIST:
            c = counts.get(d.code, {})
            unit = f"（{d.unit}）" if d.unit else ""
            levels = "、".join(LEVEL_LABELS[level] for level in d.levels)
            basis = "自然年" if d.year_basis == CALENDAR_YEAR else "学年"
            computed, valued, manual = (c.get(k, 0) for k in ("computed", "with_value", "manual"))
            stored = f"计算 {computed:,} 条（有值 {valued:,}），人工 {manual:,} 条"
            self.stdout.write(
                f"  {d.code}  {d.name}{unit}  {KIND_LABELS[d.kind]}  {levels}  {basis}  {stored}"
            )
