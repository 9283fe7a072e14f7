"""A plain, row-by-row reference implementation of the 2014 standard's scoring — NOT used in production.

It exists for two reasons: it is the baseline of ``benchmarks/fitness_bench.py`` (how fast a naive per-row
Python loop scores), and it is an independent cross-check of the vectorised ``scoring.score_frame`` (the tests
compare the two on tens of thousands of random rows). It is therefore written for obviousness, not speed:
it reads the official tables straight from the JSON (``standard.load_json()``), never the numpy arrays of
``standard.py``, loops over table rows in the order they are printed, and computes BMI and totals in
``decimal.Decimal``.

``score_row(row)`` takes one dict with the input keys of ``score_frame`` (``grade``, ``sex``, optional
``exempt``, the raw columns of ``items.INPUT_COLUMNS``; ``None``/NaN/absent = not measured) and returns a dict
with the same keys and values as one output row of ``score_frame``. Only ``remark`` differs: it is a short
English reason (or ``None`` for scored rows) — compare its null-ness, not its text.

Rules (see the reference README): higher-is-better items score the highest row whose threshold ≤ value, runs
the highest row whose threshold ≥ time, 0 when worse than the 10-point row; BMI = kg/m² of the values as
given, rounded half-up to 0.1, then the band whose [min, max] holds it; 标准分 = Σ score × weight / 100
(exact); 附加分 = per bonus item, the highest bonus row whose delta ≤ the margin beyond the 100-point
threshold, capped at 20 in all; 总分 = 标准分 + 附加分; rating on 总分 rounded half-up to 0.1.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, lru_cache
from typing import Any

from edubrain.core.fitness.items import BMI, HEIGHT, MEASURED_ITEMS, WEIGHT, Item
from edubrain.core.fitness.standard import load_json

__all__ = ["OUTPUT_KEYS", "score_row", "score_rows"]

SEX_WORDS = {"M": "male", "F": "female"}
TENTH = Decimal("0.1")
MAX_BONUS = 20
BONUS_KEYS: tuple[str, ...] = ("rope_skip_1min", "sit_up_1min", "pull_up", "run_1000m", "run_800m")
"""Items that have a bonus table for some grade and sex (in ``MEASURED_ITEMS`` order)."""

OUTPUT_KEYS: tuple[str, ...] = (
    "bmi",
    "bmi_band",
    f"{BMI}_score",
    *(f"{i.key}_score" for i in MEASURED_ITEMS),
    *(f"{k}_bonus" for k in BONUS_KEYS),
    "standard_score",
    "bonus",
    "total_score",
    "total_1dp",
    "rating",
    "status",
    "remark",
)


@lru_cache(maxsize=1)
def _raw() -> dict[str, Any]:
    return load_json()


@cache
def _rows(kind: str, key: str, sex: str, grade: str) -> tuple[tuple[int, Decimal], ...]:
    """One table of the JSON (``kind`` = "scoring_tables" or "bonus_tables") as (points, threshold) pairs,
    highest points first, thresholds as exact decimals of the printed values."""
    rows = _raw()[kind][key][sex][grade]
    return tuple(sorted(((int(p), Decimal(str(t))) for p, t in rows), key=lambda r: -r[0]))


def _number(row: dict[str, Any], column: str) -> float | None:
    """The row's value of a raw column as a float; None when absent, null or NaN (= not measured)."""
    value = row.get(column)
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def _item_points(rows: tuple[tuple[int, Decimal], ...], value: Decimal, higher_is_better: bool) -> int:
    """The score of ``value`` under one single-item table (``(score, threshold)``, highest score first)."""
    for points, threshold in rows:
        reached = value >= threshold if higher_is_better else value <= threshold
        if reached:
            return points
    return 0  # worse than the 10-point line


def _bonus_points(rows: tuple[tuple[int, Decimal], ...], margin: Decimal) -> int:
    """The bonus of ``margin`` (how far beyond the 100-point threshold) under one bonus table."""
    for points, delta in rows:  # highest bonus first
        if margin >= delta:
            return points
    return 0


def _bmi(height_cm: float, weight_kg: float) -> Decimal:
    """kg / m² of the values as given, rounded half-up to 0.1."""
    metres = Decimal(str(height_cm)) / 100
    return (Decimal(str(weight_kg)) / (metres * metres)).quantize(TENTH, rounding=ROUND_HALF_UP)


def _bmi_band(bands: list[dict[str, Any]], bmi: Decimal) -> tuple[str, int]:
    for band in bands:
        low = Decimal(str(band["min"])) if "min" in band else None
        high = Decimal(str(band["max"])) if "max" in band else None
        if (low is None or bmi >= low) and (high is None or bmi <= high):
            return str(band["band"]), int(band["score"])
    raise ValueError(f"BMI {bmi} falls in no band")  # the bands are contiguous at 0.1 steps


def _rating(total_1dp: Decimal) -> str:
    if total_1dp >= 90:
        return "优秀"
    if total_1dp >= 80:
        return "良好"
    if total_1dp >= 60:
        return "及格"
    return "不及格"


def _plausible(low: float, high: float, value: float) -> bool:
    return low <= value <= high


def score_row(row: dict[str, Any]) -> dict[str, Any]:
    """Score one student's measurements; see the module docstring for the keys in and out."""
    raw = _raw()
    out: dict[str, Any] = dict.fromkeys(OUTPUT_KEYS)
    problems: list[str] = []  # make the row invalid
    missing: list[str] = []  # make the row incomplete

    grade = row.get("grade")
    grade = None if grade is None else str(grade)
    sex_code = row.get("sex")
    sex = SEX_WORDS.get(str(sex_code)) if sex_code is not None else None
    grade_info: dict[str, Any] | None = raw["grades"].get(grade) if grade is not None else None
    if grade_info is None:
        problems.append(f"unknown grade {grade!r}")
    if sex is None:
        problems.append(f"unknown sex {sex_code!r}")
    taken: list[str] = []  # the items this grade and sex take (none when either is unknown)
    weights: dict[str, int] = {}
    bonus_items: list[str] = []
    known = grade_info is not None and sex is not None
    if grade_info is not None and sex is not None:
        taken = list(grade_info[f"items_{sex}"])
        weights = {k: int(v) for k, v in grade_info[f"weights_{sex}"].items()}
        bonus_items = list(grade_info.get(f"bonus_items_{sex}", []))

    # BMI (height and weight)
    height, weight = _number(row, HEIGHT.column), _number(row, WEIGHT.column)
    height_ok = height is not None and _plausible(HEIGHT.low, HEIGHT.high, height)
    weight_ok = weight is not None and _plausible(WEIGHT.low, WEIGHT.high, weight)
    for measure, value, ok in ((HEIGHT, height, height_ok), (WEIGHT, weight, weight_ok)):
        if value is not None and not ok:
            problems.append(f"{measure.column}={value} implausible")
    scores: dict[str, int] = {}
    if height is None or weight is None:
        missing.append("height/weight")
    if height_ok and weight_ok:
        assert height is not None and weight is not None
        bmi = _bmi(height, weight)
        out["bmi"] = float(bmi)
        if known:
            band, points = _bmi_band(raw["bmi_bands"][sex][grade], bmi)
            out["bmi_band"] = band
            if BMI in taken:
                out[f"{BMI}_score"] = points
                scores[BMI] = points

    # the measured items
    bonuses: dict[str, int] = {}
    for item in MEASURED_ITEMS:
        value = _number(row, item.column)
        is_taken = item.key in taken
        if value is None:
            if is_taken:
                missing.append(item.key)
            continue
        ok = _plausible(item.low, item.high, value)
        if not ok:
            problems.append(f"{item.column}={value} implausible")
        if known and not is_taken:
            problems.append(f"{item.key} not taken by grade {grade} {sex}")
        if not (ok and is_taken):
            continue
        assert sex is not None and grade is not None
        table = _rows("scoring_tables", item.key, sex, grade)
        exact = Decimal(str(value))
        points = _item_points(table, exact, item.higher_is_better)
        out[f"{item.key}_score"] = points
        scores[item.key] = points
        if item.key in bonus_items:
            bonus = _bonus_points(_rows("bonus_tables", item.key, sex, grade), _margin(item, table, exact))
            out[f"{item.key}_bonus"] = bonus
            bonuses[item.key] = bonus

    exempt = bool(row.get("exempt") or False)
    if problems:
        out["status"], out["remark"] = "invalid", "; ".join(problems)
    elif exempt:
        out["status"], out["remark"] = "exempt", "exempt"
    elif missing:
        out["status"], out["remark"] = "incomplete", "missing " + ", ".join(missing)
    else:
        out["status"] = "scored"
        standard = sum((Decimal(scores[key]) * Decimal(weights[key]) / 100 for key in taken), Decimal(0))
        bonus_total = min(sum(bonuses.values()), MAX_BONUS)
        total = standard + bonus_total
        total_1dp = total.quantize(TENTH, rounding=ROUND_HALF_UP)
        out["standard_score"] = float(standard)
        out["bonus"] = bonus_total
        out["total_score"] = float(total)
        out["total_1dp"] = float(total_1dp)
        out["rating"] = _rating(total_1dp)
    return out


def _margin(item: Item, table: tuple[tuple[int, Decimal], ...], value: Decimal) -> Decimal:
    """How far ``value`` is beyond the item's 100-point threshold (more reps / fewer seconds)."""
    top = next(threshold for points, threshold in table if points == 100)
    return value - top if item.higher_is_better else top - value


def score_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``score_row`` over a list of rows."""
    return [score_row(row) for row in rows]
