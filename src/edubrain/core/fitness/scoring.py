"""Score measurements by 《国家学生体质健康标准（2014年修订）》, vectorised over a whole frame.

``score_frame(frame)`` takes one row per student and test: ``grade`` (年级编号 "11"…"44"), ``sex`` ("M"/"F"),
optionally ``exempt`` (免测, Boolean), and the raw measurements named as in ``items.INPUT_COLUMNS`` (absent
columns count as not measured). It returns, row for row:

- ``bmi`` (kg/m², half-up to 0.1 by default), ``bmi_band`` (低体重/正常/超重/肥胖), ``<item>_score`` for every
  item tested at the row's grade and sex (BMI included), ``<item>_bonus`` for the bonus items;
- ``standard_score`` = Σ score × weight (exact, two decimals), ``bonus`` (附加分, ≤ 20), ``total_score`` =
  标准分 + 附加分 (学年总分, exact), ``total_1dp`` (half-up to 0.1) and ``rating`` on it
  (优秀 ≥ 90.0, 良好 ≥ 80.0, 及格 ≥ 60.0, else 不及格);
- ``status``: ``scored``, ``exempt`` (免测: no score, out of the rate denominators), ``incomplete`` (an item
  of the grade was not measured: no total) or ``invalid`` (an unknown grade or sex, an implausible value,
  an item the row's grade or sex does not take: no total), and ``remark``, the Chinese reason.

Item scores are given wherever the item's own value is valid, even on rows without a total. Work is done
in numpy: every table is a dense array over its grid (``standard.Lookup``), so an item's scores for all
rows are one gather indexed by (grade × sex, value cell); no Python loop runs over rows.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from edubrain.core.fitness.items import (
    BMI,
    HEIGHT,
    MEASURED_ITEMS,
    RATINGS,
    RAW_INPUTS,
    WEIGHT,
    Item,
    Measure,
)
from edubrain.core.fitness.standard import SEX_CODES, Standard, standard_2014

__all__ = ["STATUSES", "ScoringOptions", "item_level", "rating_of", "score_frame"]

SCORED, EXEMPT, INCOMPLETE, INVALID = "scored", "exempt", "incomplete", "invalid"
STATUSES = {SCORED: "已评分", EXEMPT: "免测", INCOMPLETE: "缺项", INVALID: "数据有误"}
MAX_BONUS = 20
PARALLEL_ROWS = 100_000


@dataclass(frozen=True)
class ScoringOptions:
    """Points the standard leaves open (see the reference README §5); defaults follow the verified practice.

    ``bmi_half_up``: round BMI half-up to 0.1 before banding (else compare the unrounded value with the
    one-decimal bands, a value between two bands falling in the upper one). ``rate_rounded``: rate on the
    total rounded half-up to 0.1 (89.95 → 优秀) rather than on the exact total."""

    bmi_half_up: bool = True
    rate_rounded: bool = True


def _bmi_tenths(
    height: npt.NDArray[np.float64], weight: npt.NDArray[np.float64], half_up: bool
) -> npt.NDArray[np.float64]:
    """BMI × 10, exact half-up on integers (cm and kg in units of 0.0001: 18.1499 kg is not first rounded
    to 18.15) — no binary rounding surprises at .x5. Values beyond 10,000 are clipped (they are refused as
    implausible anyway) so that the integers cannot overflow."""
    ok = np.isfinite(height) & np.isfinite(weight) & (height > 0)
    h = np.where(ok, np.rint(np.clip(height, 0, 1e4) * 1e4), 1).astype(np.int64)
    w = np.where(ok, np.rint(np.clip(weight, 0, 1e4) * 1e4), 0).astype(np.int64)
    h = np.maximum(h, 1)
    if half_up:
        tenths = ((2 * w * 10**9 + h * h) // (2 * h * h)).astype(np.float64)
    else:
        tenths = w * 1e9 / (h * h).astype(np.float64)
    return np.where(ok, tenths, np.nan)


def _labels(name: str, index: npt.NDArray[np.int64], labels: tuple[str, ...]) -> pl.Series:
    """Index array → label strings (vectorised through polars)."""
    return pl.Series(name, index, pl.Int64).replace_strict(dict(enumerate(labels)), return_dtype=pl.String)


def _number(frame: pl.DataFrame, column: str) -> npt.NDArray[np.float64]:
    if column not in frame.columns:
        return np.full(frame.height, np.nan)
    return frame[column].cast(pl.Float64, strict=False).to_numpy().astype(np.float64, copy=False)


def _fmt(x: float) -> str:
    return f"{x:g}"


def _range_reason(m: Item | Measure, name: str) -> pl.Expr:
    unit = m.unit
    return pl.format(
        "{}{}{}不在合理范围（{}—{}{}）",
        pl.lit(name),
        pl.col(m.column).cast(pl.String),
        pl.lit(unit),
        pl.lit(_fmt(m.low)),
        pl.lit(_fmt(m.high)),
        pl.lit(unit),
    )


def score_frame(
    frame: pl.DataFrame, standard: Standard | None = None, options: ScoringOptions | None = None
) -> pl.DataFrame:
    """Score every row of ``frame``; see the module docstring for the columns in and out.

    Large frames are cut into one slice per CPU and scored in threads (numpy and polars release the GIL),
    then stacked back in order."""
    std = standard or standard_2014()
    opts = options or ScoringOptions()
    workers = min(os.cpu_count() or 1, 8)
    if workers > 1 and frame.height >= 2 * PARALLEL_ROWS:
        size = -(-frame.height // workers)
        parts = [frame.slice(start, size) for start in range(0, frame.height, size)]
        with ThreadPoolExecutor(workers) as pool:
            return pl.concat(list(pool.map(lambda part: _score(part, std, opts), parts)), rechunk=False)
    return _score(frame, std, opts)


def _score(frame: pl.DataFrame, std: Standard, opts: ScoringOptions) -> pl.DataFrame:
    n = frame.height
    grades = (
        frame["grade"].cast(pl.String) if "grade" in frame.columns else pl.Series([None] * n, dtype=pl.String)
    )
    sexes = frame["sex"].cast(pl.String) if "sex" in frame.columns else pl.Series([None] * n, dtype=pl.String)
    gi = grades.replace_strict(
        {c: i for i, c in enumerate(std.grade_codes)}, default=-1, return_dtype=pl.Int64
    )
    si = sexes.replace_strict({c: i for i, c in enumerate(SEX_CODES)}, default=-1, return_dtype=pl.Int64)
    gi_np, si_np = gi.to_numpy(), si.to_numpy()
    known = (gi_np >= 0) & (si_np >= 0)
    group = np.where(known, gi_np * 2 + si_np, std.groups).astype(np.int64)  # unknown → an empty extra group
    # plausibility of every raw value, and which items the group takes
    cols: dict[str, pl.Series] = {}
    plausible: dict[str, npt.NDArray[np.bool_]] = {}
    given: dict[str, npt.NDArray[np.bool_]] = {}
    raw: dict[str, npt.NDArray[np.float64]] = {}
    for m in RAW_INPUTS:
        values = _number(frame, m.column)
        raw[m.column] = values
        given[m.column] = np.isfinite(values)
        plausible[m.column] = given[m.column] & (values >= m.low) & (values <= m.high)
    weights_np = {k: np.append(v, 0) for k, v in std.weights.items()}  # index std.groups = unknown group
    takes = {k: weights_np[k][group] > 0 for k in weights_np}
    other_sex = np.where(known, gi_np * 2 + (1 - si_np), std.groups)
    other_takes = {k: weights_np[k][other_sex] > 0 for k in weights_np}

    # BMI
    tenths = _bmi_tenths(raw[HEIGHT.column], raw[WEIGHT.column], opts.bmi_half_up)
    bmi_ok = plausible[HEIGHT.column] & plausible[WEIGHT.column] & np.isfinite(tenths)
    band_ok = bmi_ok & known
    edges = np.vstack([std.bmi_edges, np.zeros((1, 3), np.int64)])[group]
    band = np.select([tenths <= edges[:, 0], tenths <= edges[:, 1], tenths <= edges[:, 2]], [0, 1, 2], 3)
    if not opts.bmi_half_up:  # unrounded: a value inside a 0.1 gap belongs to the upper band
        band = np.select(
            [tenths < edges[:, 0] + 1, tenths < edges[:, 1] + 1, tenths < edges[:, 2] + 1], [0, 1, 2], 3
        )
    bmi_scored = bmi_ok & takes[BMI]
    bmi_points = np.array(std.bmi_points, np.int64)[band]
    scores: dict[str, npt.NDArray[np.int64]] = {BMI: bmi_points}
    valid: dict[str, npt.NDArray[np.bool_]] = {BMI: bmi_scored}
    bonus_total = np.zeros(n, np.int64)
    bonus_cols: dict[str, pl.Series] = {}
    standard100 = np.where(bmi_scored, bmi_points * weights_np[BMI][group], 0)

    for item in MEASURED_ITEMS:
        values = raw[item.column]
        better = values if item.higher_is_better else -values
        points = std.lookups[item.key](group, better)
        ok = plausible[item.column] & takes[item.key]
        scores[item.key], valid[item.key] = points, ok
        standard100 += np.where(ok, points * weights_np[item.key][group], 0)
        if std.bonus[item.key]:
            top = np.append(std.top[item.key], np.nan)[group]
            extra = values - top if item.higher_is_better else top - values
            extra_points = std.bonus_lookups[item.key](group, extra)
            in_table = np.zeros(std.groups + 1, np.bool_)
            in_table[list(std.bonus[item.key])] = True
            has_bonus = ok & in_table[group]
            bonus_total += np.where(has_bonus, extra_points, 0)
            bonus_cols[f"{item.key}_bonus"] = pl.Series(f"{item.key}_bonus", extra_points).set(
                pl.Series(~has_bonus), None
            )
    bonus_total = np.minimum(bonus_total, MAX_BONUS)

    for key in (BMI, *(i.key for i in MEASURED_ITEMS)):
        cols[f"{key}_score"] = pl.Series(f"{key}_score", scores[key]).set(pl.Series(~valid[key]), None)

    # status in numpy; the Chinese reasons are built only for the rows that need one
    grade_bad, sex_bad = gi_np < 0, si_np < 0
    implausible = {c: given[c] & ~plausible[c] for c in given}
    not_taken = {i.key: given[i.column] & ~takes[i.key] & known for i in MEASURED_ITEMS}
    invalid = grade_bad | sex_bad
    for mask in (*implausible.values(), *not_taken.values()):
        invalid |= mask
    missing = {i.key: takes[i.key] & ~given[i.column] for i in MEASURED_ITEMS}
    missing[BMI] = takes[BMI] & ~(given[HEIGHT.column] & given[WEIGHT.column])
    incomplete = np.zeros(n, np.bool_)
    for mask in missing.values():
        incomplete |= mask
    exempt = (
        frame["exempt"].cast(pl.Boolean, strict=False).fill_null(False).to_numpy()
        if "exempt" in frame.columns
        else np.zeros(n, np.bool_)
    )
    status_idx = np.select([invalid, exempt, incomplete], [3, 1, 2], 0)
    scored = status_idx == 0
    status = _labels("status", status_idx, (SCORED, EXEMPT, INCOMPLETE, INVALID))
    remark = pl.Series("remark", [None] * n, pl.String)
    todo = np.nonzero(status_idx > 0)[0]
    if todo.size:
        remark = remark.scatter(
            todo,
            _reasons(
                frame,
                todo,
                grades,
                sexes,
                status_idx,
                {
                    "implausible": implausible,
                    "not_taken": not_taken,
                    "other_takes": other_takes,
                    "missing": missing,
                    "grade_bad": {"": grade_bad},
                    "sex_bad": {"": sex_bad},
                },
            ),
        )

    total100 = standard100 + bonus_total * 100
    # tenths: half-up (89.95 → 90.0), or truncated so that 89.95 stays below 90.0
    rating_basis = (total100 + 5) // 10 if opts.rate_rounded else total100 // 10
    rating_idx = np.select([rating_basis >= 900, rating_basis >= 800, rating_basis >= 600], [0, 1, 2], 3)
    not_scored = pl.Series(~scored)
    bmi_value = pl.Series("bmi", np.round(tenths, 0) / 10 if opts.bmi_half_up else tenths / 10).set(
        pl.Series(~bmi_ok), None
    )
    out = pl.DataFrame(
        [
            bmi_value,
            _labels("bmi_band", band, std.bmi_bands).set(pl.Series(~band_ok), None),
            *cols.values(),
            *bonus_cols.values(),
            pl.Series("standard_score", standard100 / 100).set(not_scored, None),
            pl.Series("bonus", bonus_total).set(not_scored, None),
            pl.Series("total_score", total100 / 100).set(not_scored, None),
            pl.Series("total_1dp", ((total100 + 5) // 10) / 10).set(not_scored, None),
            _labels("rating", rating_idx, RATINGS).set(not_scored, None),
            status,
            remark,
        ]
    )
    return out


def _reasons(
    frame: pl.DataFrame,
    rows: npt.NDArray[np.int64],
    grades: pl.Series,
    sexes: pl.Series,
    status_idx: npt.NDArray[np.int64],
    masks: dict[str, dict[str, npt.NDArray[np.bool_]]],
) -> pl.Series:
    """The 备注 of the given rows: every problem of an invalid row, "免测", or the items not measured."""
    pick = pl.Series(rows)
    sub = pl.DataFrame(
        {
            "__status": status_idx[rows],
            "__grade_bad": masks["grade_bad"][""][rows],
            "__sex_bad": masks["sex_bad"][""][rows],
            "__grade": grades.gather(pick).fill_null("（空）"),
            "__sex": sexes.gather(pick),
            **{f"__bad_{c}": v[rows] for c, v in masks["implausible"].items()},
            **{f"__not_{k}": v[rows] for k, v in masks["not_taken"].items()},
            **{f"__other_{k}": v[rows] for k, v in masks["other_takes"].items()},
            **{f"__miss_{k}": v[rows] for k, v in masks["missing"].items()},
        }
    )
    values = frame.select(
        pl.col(c) if c in frame.columns else pl.lit(None, pl.Float64).alias(c) for c in masks["implausible"]
    )[pick]
    sub = pl.concat([sub, values.select(pl.all().cast(pl.String).str.replace(r"\.0$", ""))], how="horizontal")
    reasons: list[pl.Expr] = [
        pl.when(pl.col("__grade_bad")).then(
            pl.format("年级编号“{}”不在体质健康标准中（应为11—16、21—23、31—33、41—44）", pl.col("__grade"))
        ),
        pl.when(pl.col("__sex_bad")).then(pl.lit("性别应为男或女（1/2）")),
    ]
    for m in RAW_INPUTS:
        name = m.header if isinstance(m, Measure) else m.name
        reasons.append(pl.when(pl.col(f"__bad_{m.column}")).then(_range_reason(m, name)))
    sex_word = pl.when(pl.col("__sex") == "M").then(pl.lit("男生")).otherwise(pl.lit("女生"))
    for item in MEASURED_ITEMS:
        nt = pl.col(f"__not_{item.key}")
        reasons.append(
            pl.when(nt & pl.col(f"__other_{item.key}"))
            .then(pl.format("{}不测{}", sex_word, pl.lit(item.name)))
            .when(nt)
            .then(pl.format("年级编号{}不测{}", pl.col("__grade"), pl.lit(item.name)))
        )
    names = [pl.when(pl.col(f"__miss_{BMI}")).then(pl.lit("身高体重"))]
    names += [pl.when(pl.col(f"__miss_{i.key}")).then(pl.lit(i.name)) for i in MEASURED_ITEMS]
    missing = pl.concat_str(names, separator="、", ignore_nulls=True)
    text = (
        pl.when(pl.col("__status") == 3)
        .then(pl.concat_str(reasons, separator="；", ignore_nulls=True))
        .when(pl.col("__status") == 1)
        .then(pl.lit("免测"))
        .otherwise(pl.format("缺测{}，不计总分", missing))
    )
    return sub.select(text.alias("remark")).to_series()


def item_level(score: pl.Expr) -> pl.Expr:
    """An item's 等级 from its score: 优秀 ≥ 90, 良好 ≥ 80, 及格 ≥ 60, else 不及格 (null stays null)."""
    return (
        pl.when(score >= 90)
        .then(pl.lit("优秀"))
        .when(score >= 80)
        .then(pl.lit("良好"))
        .when(score >= 60)
        .then(pl.lit("及格"))
        .when(score.is_not_null())
        .then(pl.lit("不及格"))
    )


def rating_of(total: pl.Expr) -> pl.Expr:
    """总分等级 of a total already rounded to 0.1 (also used for 毕业成绩)."""
    return item_level(total.round(1) + 1e-9)


def item_problems(frame: pl.DataFrame, standard: Standard | None = None) -> pl.DataFrame:
    """What the standard rules out in rows of ``frame`` (same input columns as ``score_frame``), one row per
    problem: ``index`` (row position), ``column`` (the input column, or "grade"/"sex"), ``message``
    (Chinese). Covers an unknown 年级编号 or sex and a value for an item the grade or sex does not take;
    plausible ranges are left to the caller's validation."""
    std = standard or standard_2014()
    grades = frame["grade"].cast(pl.String).fill_null("")
    sexes = frame["sex"].cast(pl.String).fill_null("")
    gi = grades.replace_strict(
        {c: i for i, c in enumerate(std.grade_codes)}, default=-1, return_dtype=pl.Int64
    )
    si = sexes.replace_strict({c: i for i, c in enumerate(SEX_CODES)}, default=-1, return_dtype=pl.Int64)
    gi_np, si_np = gi.to_numpy(), si.to_numpy()
    known = (gi_np >= 0) & (si_np >= 0)
    group = np.where(known, gi_np * 2 + si_np, std.groups)
    other = np.where(known, gi_np * 2 + 1 - si_np, std.groups)
    found: list[pl.DataFrame] = []
    base = pl.DataFrame({"index": np.arange(frame.height), "grade": grades, "sex": sexes})

    def add(mask: npt.NDArray[np.bool_], column: str, message: pl.Expr) -> None:
        if mask.any():
            picked = base.filter(pl.Series(mask))
            found.append(picked.select("index", pl.lit(column).alias("column"), message.alias("message")))

    add(
        gi_np < 0,
        "grade",
        pl.format("年级编号“{}”不在体质健康标准中（应为11—16、21—23、31—33、41—44）", pl.col("grade")),
    )
    add(si_np < 0, "sex", pl.lit("性别应为男或女"))
    names = {c: std.grade_names[c] for c in std.grade_codes}
    grade_name = pl.col("grade").replace_strict(names, default="", return_dtype=pl.String)
    sex_word = pl.when(pl.col("sex") == "M").then(pl.lit("男生")).otherwise(pl.lit("女生"))
    for item in MEASURED_ITEMS:
        if item.column not in frame.columns:
            continue
        given = frame[item.column].is_not_null().to_numpy()
        takes = np.append(std.weights[item.key], 0)
        not_taken = given & known & (takes[group] == 0)
        by_sex = not_taken & (takes[other] > 0)
        add(by_sex, item.column, pl.format("{}不测{}，请删除该值", sex_word, pl.lit(item.name)))
        add(
            not_taken & ~by_sex,
            item.column,
            pl.format("{}（年级编号{}）不测{}，请删除该值", grade_name, pl.col("grade"), pl.lit(item.name)),
        )
    if not found:
        return pl.DataFrame(schema={"index": pl.Int64, "column": pl.String, "message": pl.String})
    return pl.concat(found).with_columns(pl.col("index").cast(pl.Int64)).sort("index")
