"""Statistics over scored fitness rows (学生体质健康统计): counts, rates, item rates, score distribution,
毕业成绩 and the change from the previous year — pure polars, no Django.

Denominators (see the reference: standards.md §6): 实测人数 (``tested``) is the number of rows with status
``scored`` (a valid 学年总分). 免测 rows (``exempt``) are left out of every rate; 缺项 (``incomplete``) and
数据有误 (``invalid``) rows are counted as records but not as tested. Rates are percentages of ``tested``,
rounded half-up to 0.1; a group without tested rows has null rates (never a division error).

Input rows are either one row per measurement (``status``, ``rating``, ``total_score``, item scores
``<item>_score``) or, so that a database can do the counting, pre-counted cells: ``n`` rows with the same
group values, ``status`` and ``rating``, whose totals add up to ``total_sum`` (see each function).
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from edubrain.core.fitness.items import ITEM_BY_KEY, ITEMS, RATINGS
from edubrain.core.fitness.scoring import EXEMPT, INCOMPLETE, INVALID, SCORED, rating_of

__all__ = [
    "COUNT_COLUMNS",
    "RATE_COLUMNS",
    "add_expected",
    "bin_of",
    "distribution",
    "graduation_scores",
    "item_counts",
    "item_rates",
    "rate",
    "summarise",
    "with_rates",
    "year_change",
]

EXCELLENT, GOOD, PASSED, FAILED = RATINGS
COUNT_COLUMNS = (
    "records", "tested", "exempt", "incomplete", "invalid", "excellent", "good", "passed", "failed",
)
RATE_COLUMNS = ("excellent_rate", "good_rate", "excellent_good_rate", "pass_rate", "mean_score")
PASS_SCORE, EXCELLENT_SCORE = 60, 90
BIN_WIDTH, TOP_BIN = 10, 100
EPSILON = 1e-6


def _round1(expr: pl.Expr) -> pl.Expr:
    """Half-up to 0.1 (percentages and mean scores are never negative)."""
    return ((expr * 10 + 0.5 + EPSILON).floor() / 10).cast(pl.Float64).round(1)


def rate(numerator: pl.Expr, denominator: pl.Expr) -> pl.Expr:
    """numerator / denominator × 100, half-up to 0.1; null when the denominator is 0 or null."""
    return pl.when(denominator > 0).then(_round1(numerator.cast(pl.Float64) * 100 / denominator))


def _cells(rows: pl.DataFrame) -> pl.DataFrame:
    """Per-row input → cells with ``n`` and ``total_sum``; pre-counted input is returned as is."""
    if "n" in rows.columns:
        if "total_sum" not in rows.columns:
            raise ValueError("pre-counted rows need a total_sum column beside n")
        return rows
    total = pl.col("total_score") if "total_score" in rows.columns else pl.lit(None, pl.Float64)
    return rows.with_columns(
        pl.lit(1, pl.Int64).alias("n"),
        pl.when(pl.col("status") == SCORED).then(total.cast(pl.Float64)).alias("total_sum"),
    )


def _by(by: Sequence[str] | str | None) -> list[str]:
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


def _group(frame: pl.DataFrame, keys: list[str], aggs: list[pl.Expr]) -> pl.DataFrame:
    if keys:
        return frame.group_by(keys, maintain_order=True).agg(aggs).sort(keys, nulls_last=True)
    return frame.select(aggs)


def summarise(rows: pl.DataFrame, by: Sequence[str] | str | None = None) -> pl.DataFrame:
    """Counts and rates per group of ``by`` (no ``by``: one row for everything).

    ``rows`` is one of
    - one row per measurement: ``status``, ``rating`` (of scored rows) and ``total_score``;
    - pre-counted cells: ``status``, ``rating``, ``n`` rows and their ``total_sum``;
    - counts already (what a database returns with conditional aggregates): the ``COUNT_COLUMNS`` and
      ``total_sum`` (the sum of the tested rows' totals), summed per group.

    Out: the ``by`` columns, ``records``, ``tested`` (实测), ``exempt`` (免测), ``incomplete`` (缺项),
    ``invalid`` (数据有误), ``excellent``/``good``/``passed``/``failed`` (优秀/良好/及格/不及格 among the
    tested), ``excellent_rate``, ``good_rate``, ``excellent_good_rate`` (优良率), ``pass_rate`` (合格率 =
    优秀+良好+及格) and ``mean_score`` (平均总分 of the tested), rounded half-up to 0.1.
    """
    keys = _by(by)
    if all(c in rows.columns for c in COUNT_COLUMNS):
        aggs = [pl.col(c).sum().cast(pl.Int64) for c in COUNT_COLUMNS]
        aggs.append(pl.col("total_sum").sum().cast(pl.Float64))
        return with_rates(_group(rows, keys, aggs))
    cells = _cells(rows)
    n, status = pl.col("n"), pl.col("status")
    scored = status == SCORED

    def count(condition: pl.Expr) -> pl.Expr:
        return n.filter(condition).sum().cast(pl.Int64)

    aggs = [
        n.sum().cast(pl.Int64).alias("records"),
        count(scored).alias("tested"),
        count(status == EXEMPT).alias("exempt"),
        count(status == INCOMPLETE).alias("incomplete"),
        count(status == INVALID).alias("invalid"),
        *(count(scored & (pl.col("rating") == label)).alias(name)
          for name, label in zip(("excellent", "good", "passed", "failed"), RATINGS, strict=True)),
        pl.col("total_sum").filter(scored).sum().cast(pl.Float64).alias("total_sum"),
    ]
    return with_rates(_group(cells, keys, aggs))


def with_rates(counts: pl.DataFrame) -> pl.DataFrame:
    """Counts (``COUNT_COLUMNS`` and ``total_sum``) → the same with the rates and ``mean_score`` (the
    ``total_sum`` column is dropped)."""
    tested = pl.col("tested")
    return counts.with_columns(
        rate(pl.col("excellent"), tested).alias("excellent_rate"),
        rate(pl.col("good"), tested).alias("good_rate"),
        rate(pl.col("excellent") + pl.col("good"), tested).alias("excellent_good_rate"),
        rate(pl.col("excellent") + pl.col("good") + pl.col("passed"), tested).alias("pass_rate"),
        pl.when(tested > 0).then(_round1(pl.col("total_sum") / tested)).alias("mean_score"),
    ).drop("total_sum")


def add_expected(summary: pl.DataFrame, expected: pl.DataFrame, by: Sequence[str] | str | None = None
                 ) -> pl.DataFrame:
    """``summary`` with ``expected`` (应测人数, from the ``expected`` frame: ``by`` columns + ``expected``)
    and ``missing`` (缺测 = 应测 − records, never below 0). Groups only one side has are kept (zeros)."""
    keys = _by(by)
    exp = expected.select(*keys, pl.col("expected").cast(pl.Int64))
    if keys:
        exp = exp.group_by(keys).agg(pl.col("expected").sum())
        joined = summary.join(exp, on=keys, how="full", coalesce=True, nulls_equal=True)
    else:
        total = exp["expected"].sum() if exp.height else 0
        joined = (summary if summary.height else summary.clear(1)).with_columns(
            pl.lit(total, pl.Int64).alias("expected")
        )
    joined = joined.with_columns(
        *(pl.col(c).fill_null(0) for c in COUNT_COLUMNS if c in joined.columns),
        pl.col("expected").fill_null(0),
    )
    if keys:
        joined = joined.sort(keys, nulls_last=True)
    return joined.with_columns((pl.col("expected") - pl.col("records")).clip(lower_bound=0).alias("missing"))


def _score_columns(rows: pl.DataFrame) -> list[str]:
    return [f"{i.key}_score" for i in ITEMS if f"{i.key}_score" in rows.columns]


def item_counts(rows: pl.DataFrame, by: Sequence[str] | str | None = None) -> pl.DataFrame:
    """Per group and item: ``tested`` (rows with a score for the item), ``score_sum``, ``passed`` (score ≥ 60)
    and ``excellent`` (≥ 90). 免测 rows are left out; an item score counts on any other row that has one
    (a 缺项 row's measured items included). Long format: one row per group and item with a tested row."""
    keys = _by(by)
    columns = _score_columns(rows)
    if "status" in rows.columns:
        rows = rows.filter(pl.col("status") != EXEMPT)
    long = rows.select(*keys, *columns).unpivot(
        index=keys, on=columns, variable_name="item", value_name="score"
    ).filter(pl.col("score").is_not_null())
    long = long.with_columns(pl.col("item").str.strip_suffix("_score"))
    score = pl.col("score")
    return long.group_by([*keys, "item"], maintain_order=True).agg(
        pl.len().cast(pl.Int64).alias("tested"),
        score.sum().cast(pl.Float64).alias("score_sum"),
        (score >= PASS_SCORE).sum().cast(pl.Int64).alias("passed"),
        (score >= EXCELLENT_SCORE).sum().cast(pl.Int64).alias("excellent"),
    )


def item_rates(rows: pl.DataFrame, by: Sequence[str] | str | None = None) -> pl.DataFrame:
    """Per group and item: ``item`` (key), ``item_name``, ``tested``, ``mean_score``, ``pass_rate`` (score
    ≥ 60) and ``excellent_rate`` (≥ 90), the weakest item first in each group (lowest pass rate, then lowest
    mean).

    ``rows``: per-measurement rows with ``<item>_score`` columns, or the long counts of ``item_counts``
    (columns ``item``, ``tested``, ``score_sum``, ``passed``, ``excellent``), e.g. counted by a database."""
    keys = _by(by)
    counts = rows if "item" in rows.columns else item_counts(rows, keys)
    summed = counts.group_by([*keys, "item"]).agg(
        pl.col("tested").sum().cast(pl.Int64),
        pl.col("score_sum").sum().cast(pl.Float64),
        pl.col("passed").sum().cast(pl.Int64),
        pl.col("excellent").sum().cast(pl.Int64),
    ).filter(pl.col("tested") > 0)
    names = {k: i.name for k, i in ITEM_BY_KEY.items()}
    order = {i.key: n for n, i in enumerate(ITEMS)}
    tested = pl.col("tested")
    out = summed.with_columns(
        pl.col("item").replace_strict(names, default=pl.col("item")).alias("item_name"),
        _round1(pl.col("score_sum") / tested).alias("mean_score"),
        rate(pl.col("passed"), tested).alias("pass_rate"),
        rate(pl.col("excellent"), tested).alias("excellent_rate"),
        pl.col("item").replace_strict(order, default=len(order), return_dtype=pl.Int64).alias("__order"),
    )
    out = out.sort([*keys, "pass_rate", "mean_score", "__order"], nulls_last=True)
    return out.select(*keys, "item", "item_name", "tested", "mean_score", "pass_rate", "excellent_rate",
                      "passed", "excellent")


def bin_of(total: pl.Expr) -> pl.Expr:
    """The 10-point bin (lower edge 0, 10, …, 100) of a 学年总分, on the total rounded half-up to 0.1 (as the
    rating is), so 59.95 falls in 60–69.9; 100 and above share the top bin."""
    lower = ((total + 0.05 + EPSILON) / BIN_WIDTH).floor() * BIN_WIDTH
    return lower.clip(0, TOP_BIN).cast(pl.Int64)


def _bin_label(lower: int) -> str:
    return f"{lower}分及以上" if lower >= TOP_BIN else f"{lower}–{lower + BIN_WIDTH - 1}.9"


BINS: tuple[int, ...] = tuple(range(0, TOP_BIN + 1, BIN_WIDTH))
BIN_LABELS: dict[int, str] = {b: _bin_label(b) for b in BINS}


def distribution(rows: pl.DataFrame, by: Sequence[str] | str | None = None) -> pl.DataFrame:
    """Histogram of 学年总分 in 10-point bins per group: the ``by`` columns, ``bin`` (lower edge), ``label``
    ("60–69.9", "100分及以上"), ``n`` and ``share`` (% of the group's totals). Every bin of every group is
    present (zeros included). Rows without a total are ignored; an ``n`` column weights pre-counted rows
    whose ``total_score`` is any value inside their bin (e.g. its lower edge)."""
    keys = _by(by)
    weight = pl.col("n") if "n" in rows.columns else pl.lit(1, pl.Int64)
    scored = rows.filter(pl.col("total_score").is_not_null())
    if "status" in rows.columns:
        scored = scored.filter(pl.col("status") == SCORED)
    binned = scored.select(*keys, bin_of(pl.col("total_score").cast(pl.Float64)).alias("bin"),
                           weight.cast(pl.Int64).alias("n"))
    counted = binned.group_by([*keys, "bin"]).agg(pl.col("n").sum())
    bins = pl.DataFrame({"bin": list(BINS)}, schema={"bin": pl.Int64})
    grid = counted.select(keys).unique().join(bins, how="cross") if keys else bins
    out = grid.join(counted, on=[*keys, "bin"], how="left", nulls_equal=True).with_columns(
        pl.col("n").fill_null(0)
    )
    total = pl.col("n").sum().over(keys) if keys else pl.col("n").sum()
    out = out.with_columns(
        pl.col("bin").replace_strict(BIN_LABELS, return_dtype=pl.String).alias("label"),
        rate(pl.col("n"), total).alias("share"),
    )
    return out.sort([*keys, "bin"], nulls_last=True).select(*keys, "bin", "label", "n", "share")


def graduation_scores(history: pl.DataFrame, key: str = "student_id") -> pl.DataFrame:
    """毕业成绩 per student: 0.5 × the final year's 学年总分 + 0.5 × the mean 学年总分 of the other years.

    ``history``: ``key``, ``year`` (start year), ``status`` and ``total_score``, one row per student and year.
    The final year is the student's latest row. Years without a total (免测, 缺项, 数据有误) are left out of
    the mean of the other years; when the final year itself has none there is no 毕业成绩 (``status``
    ``exempt`` when it was 免测, else ``incomplete``); with one scored year only, 毕业成绩 = that total.
    Out: ``key``, ``years`` (rows), ``scored_years``, ``final_year``, ``final_total``, ``others_mean``,
    ``graduation_score`` (half-up to 0.1), ``rating`` (on it, as 总分等级), ``status`` and ``remark``.
    """
    frame = history.select(
        pl.col(key), pl.col("year").cast(pl.Int64), pl.col("status"),
        pl.when(pl.col("status") == SCORED).then(pl.col("total_score").cast(pl.Float64)).alias("total"),
    ).sort([key, "year"])
    last_year = pl.col("year").max()
    is_final = pl.col("year") == last_year
    grouped = frame.group_by(key).agg(
        pl.len().cast(pl.Int64).alias("years"),
        pl.col("total").is_not_null().sum().cast(pl.Int64).alias("scored_years"),
        last_year.alias("final_year"),
        pl.col("total").filter(is_final).first().alias("final_total"),
        pl.col("status").filter(is_final).first().alias("final_status"),
        pl.col("total").filter(~is_final).mean().alias("others_mean"),
    )
    final, others = pl.col("final_total"), pl.col("others_mean")
    exact = pl.when(final.is_null()).then(None).when(others.is_null()).then(final).otherwise(
        0.5 * final + 0.5 * others
    )
    out = grouped.with_columns(_round1(exact).alias("graduation_score"))
    out = out.with_columns(
        rating_of(pl.col("graduation_score")).alias("rating"),
        pl.when(final.is_not_null()).then(pl.lit(SCORED))
        .when(pl.col("final_status") == EXEMPT).then(pl.lit(EXEMPT))
        .otherwise(pl.lit(INCOMPLETE)).alias("status"),
        pl.when(final.is_null() & (pl.col("final_status") == EXEMPT)).then(pl.lit("免测"))
        .when(final.is_null()).then(pl.lit("最后一学年无学年总分，不计毕业成绩"))
        .when(others.is_null()).then(pl.lit("仅一个学年有学年总分，毕业成绩即该学年总分"))
        .alias("remark"),
    )
    return out.sort(key).select(key, "years", "scored_years", "final_year", "final_total", "others_mean",
                                "graduation_score", "rating", "status", "remark")


def year_change(summary: pl.DataFrame, by: Sequence[str] | str | None = None,
                metrics: Sequence[str] = (*RATE_COLUMNS, "tested")) -> pl.DataFrame:
    """``summary`` (with a ``year`` column) plus ``<metric>_change``: the value minus the same group's value
    in the previous school year (``year`` − 1); null when that year has no row or no value."""
    keys = _by(by)
    present = [m for m in metrics if m in summary.columns]
    previous = summary.select(
        *keys, (pl.col("year") + 1).alias("year"), *(pl.col(m).alias(f"__prev_{m}") for m in present)
    )
    joined = summary.join(previous, on=[*keys, "year"], how="left", nulls_equal=True)

    def change(m: str) -> pl.Expr:
        diff = pl.col(m) - pl.col(f"__prev_{m}")
        if summary.schema[m].is_integer():
            return diff.alias(f"{m}_change")
        return ((diff * 10).round(0, mode="half_away_from_zero") / 10).alias(f"{m}_change")

    return joined.with_columns(change(m) for m in present).drop(f"__prev_{m}" for m in present)
