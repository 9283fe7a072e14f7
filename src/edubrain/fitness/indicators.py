"""体质健康 indicators for plan monitoring: 优良率 and 合格率 per org unit (县, every 镇/街道, every school)
and school year, with numerator and denominator, so the plan-monitoring engine can sum and divide itself.

    indicator_values(user=None, years=None) -> DataFrame
        org_unit_id, year (start year), indicator (code), value (%, half-up to 0.1; null without tested
        pupils), numerator, denominator (实测人数: 免测, 缺项 and 数据有误 are not in it)

One GROUP BY query (year × school × status × rating) feeds everything; schools are summed up their org path
in polars (numerators and denominators first, division last).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.db.models import Count

from edubrain.base.orgtree import PATH_SEP, OrgKind, OrgUnit
from edubrain.base.scoping import user_scope_path
from edubrain.core.fitness import stats
from edubrain.fitness.models import FitnessMeasurement

EXCELLENT_GOOD = "fitness_excellent_good_rate"
PASS = "fitness_pass_rate"
UNIT_KINDS = (OrgKind.COUNTY, OrgKind.TOWN, OrgKind.SCHOOL)


@dataclass(frozen=True)
class Indicator:
    """One indicator's metadata: ``target`` is reached when ``value comparator target`` by ``target_year``."""

    code: str
    name: str
    unit: str
    numerator: str
    denominator: str
    target: float
    target_year: int
    comparator: str
    source: str

    def reached(self, value: float | None) -> bool | None:
        if value is None:
            return None
        return value >= self.target if self.comparator == ">=" else value <= self.target

    @property
    def target_text(self) -> str:
        sign = "≥" if self.comparator == ">=" else "≤"
        return f"{sign}{self.target:g}{self.unit}（{self.target_year}年）"


SOURCE = "《沂源县教育事业发展“十四五”规划》二（一）4；国家学生体质健康标准（2014年修订）"
INDICATORS: dict[str, Indicator] = {
    EXCELLENT_GOOD: Indicator(
        EXCELLENT_GOOD, "学生体质健康优良率", "%", "学年总分等级为优秀或良好的学生数",
        "实测人数（有学年总分的学生；免测、缺项、数据有误不计）", 55, 2025, ">=", SOURCE,
    ),
    PASS: Indicator(
        PASS, "学生体质健康合格率", "%", "学年总分等级为优秀、良好或及格的学生数",
        "实测人数（有学年总分的学生；免测、缺项、数据有误不计）", 95, 2025, ">=", SOURCE,
    ),
}
SCHEMA = {"org_unit_id": pl.Int64, "year": pl.Int64, "indicator": pl.String, "value": pl.Float64,
          "numerator": pl.Int64, "denominator": pl.Int64}


def _school_cells(user: Any, years: Sequence[int] | None) -> pl.DataFrame:
    qs = FitnessMeasurement.objects.all() if user is None else FitnessMeasurement.objects.visible_to(user)
    if years is not None:
        qs = qs.filter(school_year__start_year__in=list(years))
    rows = (
        qs.values_list("school_year__start_year", "school__org_unit__path", "status", "rating")
        .annotate(n=Count("id")).order_by()
    )
    schema = {"year": pl.Int64, "path": pl.String, "status": pl.String, "rating": pl.String, "n": pl.Int64}
    return pl.DataFrame(list(rows), schema=schema, orient="row")


def indicator_values(user: Any = None, years: Sequence[int] | None = None) -> pl.DataFrame:
    """优良率 and 合格率 of every county, 镇/街道 and school with measurements (within ``user``'s scope when a
    user is given; everything when None), for ``years`` (default: every year)."""
    counted = _school_cells(user, years)
    if counted.height == 0:
        return pl.DataFrame(schema=SCHEMA)
    # Every node on a school's path, then only the kinds the indicators are published for.
    on_path = counted.with_columns(
        pl.col("path").str.strip_chars(PATH_SEP).str.split(PATH_SEP).alias("org_unit_id")
    ).explode("org_unit_id").with_columns(pl.col("org_unit_id").cast(pl.Int64))
    ids = on_path["org_unit_id"].unique().to_list()
    units = OrgUnit.objects.filter(pk__in=ids, kind__in=UNIT_KINDS)
    scope = user_scope_path(user) if user is not None else ""
    if scope is None:
        return pl.DataFrame(schema=SCHEMA)
    if scope:
        units = units.filter(path__startswith=scope)
    keep = pl.Series(list(units.values_list("pk", flat=True)), dtype=pl.Int64)
    on_path = on_path.filter(pl.col("org_unit_id").is_in(keep.implode()))
    summary = stats.summarise(
        on_path.with_columns(pl.lit(0.0).alias("total_sum")), ["org_unit_id", "year"]
    )
    numerators = {
        EXCELLENT_GOOD: pl.col("excellent") + pl.col("good"),
        PASS: pl.col("excellent") + pl.col("good") + pl.col("passed"),
    }
    parts = [
        summary.select(
            "org_unit_id", "year", pl.lit(code).alias("indicator"),
            stats.rate(numerator, pl.col("tested")).alias("value"),
            numerator.cast(pl.Int64).alias("numerator"), pl.col("tested").alias("denominator"),
        )
        for code, numerator in numerators.items()
    ]
    return pl.concat(parts).sort("org_unit_id", "year", "indicator").select(
        pl.col(c).cast(t) for c, t in SCHEMA.items()
    )
