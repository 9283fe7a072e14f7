"""Demo data for the places app (called by demo.generator.build_demo after the registry is written; its rows
go with the schools in demo.reset, so delete_places_demo has nothing of its own to delete).

The classes are left as the generator made them (大班额 only in urban schools, less likely each year —
``demo.plan_classes.class_size``): splitting a class here would add 班级 rows the demo's own row-count
checks do not expect. One adjustment, deterministic and vectorised (one bulk update):

- 学位容量: the places of 一年级 and 初一 (and of the stage's other grades) are set against the baseline
  forecast of the county's own data, per 镇/街道: the busiest town-centre 镇/街道 just below its peak entrants
  (红色预警), the next one a little above it (黄色), every other 镇/街道 with room to spare (绿色: peak
  entrants at 60 %–84 % of the places, varying with the seed).
"""

from __future__ import annotations

from types import SimpleNamespace

import polars as pl

from edubrain.base.frames import update_frame
from edubrain.base.orgtree import OrgUnit
from edubrain.core.places import ForecastOptions, forecast_places
from edubrain.core.stages import JUNIOR, PRIMARY, school_system_grades
from edubrain.places import inputs
from edubrain.registry.models import SchoolCapacity
from edubrain.registry.models_org import school_system

URBAN = "urban"
# Target peak forecast ÷ entry places per warning level.
LOAD = {"red": 1.06, "yellow": 0.94, "green": 0.72}
# The whole county (the demo generator works on every row).
EVERYTHING = SimpleNamespace(is_authenticated=True, is_active=True, is_superuser=True)


def build_places_demo(county: OrgUnit, seed: int) -> dict[str, int]:
    """Rows written per table."""
    return {"places_capacity": _set_capacity(county, seed)}


def delete_places_demo(prefix: str) -> dict[str, int]:
    """Delete this app's demo rows under the org-tree path prefix; rows deleted per table (none: the split
    classes and the capacities are registry rows deleted with their schools)."""
    return {}


# ---------------------------------------------------------------- 学位容量


def _spread(zone: pl.Expr, seed: int) -> pl.Expr:
    """A deterministic −0.12 … +0.12 per zone and seed (green zones are not all equally full)."""
    number = zone.str.extract(r"(\d+)").cast(pl.Int64)
    return ((number * 2_654_435_761 + seed * 40_503) % 1_000).cast(pl.Float64) / 1_000 * 0.24 - 0.12


def _set_capacity(county: OrgUnit, seed: int) -> int:
    system = school_system()
    fi = inputs.place_data(EVERYTHING, county, inputs.TOWN, system)
    if fi.data.enrolment.is_empty():
        return 0
    origin = int(fi.data.enrolment["year"].max())  # type: ignore[arg-type]
    forecast = forecast_places(fi.data, ForecastOptions(system=system), origin_year=origin)
    peaks = forecast.group_by("zone", "stage").agg(
        pl.col("entrants").max().alias("peak_entrants"), pl.col("enrolment").max().alias("peak_enrolment")
    )
    urban = (
        fi.schools.group_by("zone_key")
        .agg((pl.col("locality") == URBAN).any().alias("urban"))
        .rename({"zone_key": "zone"})
    )
    busiest = (
        peaks.filter(pl.col("stage") == PRIMARY)
        .join(urban, on="zone")
        .sort(["urban", "peak_entrants", "zone"], descending=[True, True, False], nulls_last=True)["zone"]
        .to_list()
    )
    level = {zone: ("red" if i == 0 else "yellow" if i == 1 else "green") for i, zone in enumerate(busiest)}
    grades = school_system_grades(system)
    current = pl.DataFrame(
        list(
            SchoolCapacity.objects.filter(school_id__in=fi.schools["school_id"].to_list()).values_list(
                "id", "school_id", "grade_code", "places"
            )
        ),
        schema={"id": pl.Int64, "school_id": pl.Int64, "grade_code": pl.String, "places": pl.Int64},
        orient="row",
    )
    stage_of = {g: s for s in (PRIMARY, JUNIOR) for g in grades[s]}
    entry = {grades[PRIMARY][0], grades[JUNIOR][0]}
    frame = (
        current.filter(pl.col("grade_code").is_in(list(stage_of)))
        .with_columns(pl.col("grade_code").replace_strict(stage_of, return_dtype=pl.String).alias("stage"))
        .join(
            fi.schools.filter(  # schools still open in the first forecast year share the places
                pl.col("closed_year").is_null() | (pl.col("closed_year") > origin + 1)
            ).select("school_id", pl.col("zone_key").alias("zone")),
            on="school_id",
        )
        .join(peaks, on=["zone", "stage"], how="left")
        .with_columns(
            pl.col("zone").replace_strict(level, default="green", return_dtype=pl.String).alias("level"),
            pl.col("grade_code").is_in(list(entry)).alias("is_entry"),
        )
        .with_columns(
            pl.when(pl.col("level") == "green")
            .then(pl.lit(LOAD["green"]) + _spread(pl.col("zone"), seed))
            .otherwise(pl.col("level").replace_strict(LOAD, return_dtype=pl.Float64))
            .alias("load")
        )
    )
    # each school's share of its zone's entry (or other-grade) places, kept from the generated capacities
    share = pl.col("places") / pl.col("places").sum().over("zone", "stage", "is_entry")
    target = (
        pl.when(pl.col("is_entry"))
        .then(pl.col("peak_entrants") / pl.col("load") * share)
        .otherwise((pl.col("peak_enrolment") - pl.col("peak_entrants")) / pl.col("load") * share)
    )
    updated = frame.with_columns(
        pl.when(target.is_not_null() & (target > 0))
        .then(target.ceil().cast(pl.Int64))
        .otherwise(pl.col("places"))
        .alias("places")
    )
    return update_frame(SchoolCapacity, updated.select("id", "places"))
