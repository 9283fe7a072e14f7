"""儿童青少年总体近视率 (standards.md §5.6): pupils screening as 筛查性近视 (WS/T 663-2020, either eye) ÷
pupils validly screened × 100, per school, 镇/街道 and county and 学年; numerators and denominators are summed
up the tree before dividing. The counts come from the stored classification of the vision module
(``inputs.screenings``); rows the classifier could not classify are not in the denominator."""

from __future__ import annotations

import polars as pl

from edubrain.core.indicators.catalogue import ALL_LEVELS
from edubrain.core.indicators.inputs import IndicatorInputs
from edubrain.core.indicators.rollup import FACTS, finish, rollup, sum_facts

MYOPIA_CODES = ("myopia_rate",)


def myopia_rate(inputs: IndicatorInputs) -> pl.DataFrame:
    """总体近视率 of the schools with screenings in a 学年, their 镇/街道 and the county (every year)."""
    facts = sum_facts(
        inputs.screenings,
        pl.when(pl.col("myopia").fill_null(False)).then(pl.col("n")).otherwise(0),
        pl.col("n"),
    )
    grid = pl.DataFrame(schema={k: FACTS[k] for k in ("org_unit_id", "year")})
    rows = rollup(inputs, facts, grid, ALL_LEVELS)
    return finish("myopia_rate", rows, empty_note="无有效视力筛查数据", factor=100.0)
