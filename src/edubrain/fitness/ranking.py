"""年度通报: the schools of a user's scope ranked per stage (小学/初中/高中) by 优良率 or another figure,
with the change from the previous year."""

from __future__ import annotations

from typing import Any

import polars as pl

from edubrain.base.orgtree import OrgUnit
from edubrain.base.units import default_unit
from edubrain.core.fitness import stats
from edubrain.core.stages import GRADE_BY_CODE
from edubrain.fitness.queries import (
    STAGE_NAMES,
    STAGES,
    Selection,
    _summary_with_change,
    counts,
    expected,
    school_frame,
)

RANK_BY = {
    "excellent_good_rate": "优良率", "pass_rate": "合格率", "mean_score": "平均分", "tested": "实测人数",
}
"""What the 年度通报 can rank by (the first is the default; the others break ties in this order)."""


def stage_column(frame: pl.DataFrame) -> pl.DataFrame:
    stages = {g.code: g.stage for g in GRADE_BY_CODE.values()}
    return frame.with_columns(
        pl.col("grade_code").replace_strict(stages, default=None, return_dtype=pl.String).alias("stage")
    )


def ranking(user: Any, year: int, by: str = "excellent_good_rate") -> pl.DataFrame:
    """年度通报: every visible school and stage (小学/初中/高中 by its grades) with its figures, the change
    from the previous year, and its ``rank`` within the stage by ``by`` (one of ``RANK_BY``; ties broken by
    the others in order; schools equal on all of them share a rank)."""
    unit = default_unit(user)
    if unit is None:
        return pl.DataFrame()
    sel = Selection(unit=unit)
    counted = stage_column(counts(user, sel, ["school_id", "grade_code"], [year - 1, year]))
    exp = stage_column(expected(user, sel, year))
    keys = ["school_id", "stage"]
    summary = _summary_with_change(counted, keys).filter(pl.col("year") == year).drop("year")
    out = stats.add_expected(summary, exp, keys)
    out = out.filter(pl.col("stage").is_in(STAGES) & (pl.col("records") > 0))
    schools = school_frame(user).select("school_id", "school_name", "school_type", "org_unit_id", "town_id")
    towns = dict(OrgUnit.objects.filter(pk__in=schools["town_id"].unique().drop_nulls().to_list())
                 .values_list("pk", "name"))
    out = out.join(schools, on="school_id", how="left").with_columns(
        pl.col("town_id").replace_strict(towns, default=None, return_dtype=pl.String).alias("town_name"),
        pl.col("stage").replace_strict(STAGE_NAMES, return_dtype=pl.String).alias("stage_name"),
        pl.col("stage").replace_strict({s: i for i, s in enumerate(STAGES)}, return_dtype=pl.Int64)
        .alias("__stage_order"),
    )
    order = [by, *(k for k in RANK_BY if k != by)] if by in RANK_BY else list(RANK_BY)
    out = out.sort(["__stage_order", *order], descending=[False, *(True for _ in order)], nulls_last=True)
    row = pl.int_range(1, pl.len() + 1).over("stage")
    same = pl.all_horizontal(
        (pl.col(k).eq_missing(pl.col(k).shift(1))).over("stage") for k in order
    ) & (row > 1)
    out = out.with_columns(pl.when(~same).then(row).alias("rank")).with_columns(
        pl.col("rank").forward_fill().over("stage")
    )
    return out.drop("__stage_order")
