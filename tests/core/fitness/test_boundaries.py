"""``score_frame`` against the official tables at every boundary.

Expectations are computed here from the JSON rows (``standard.load_json()``, the official tables as printed),
never from ``standard.py``'s arrays: for every single-item table row, a value exactly at the threshold, one
table step worse and one step better; every BMI band edge of every grade and sex (with the half-up rounding
of kg/m² to 0.1); every bonus-table row; the bonus cap; the rating edges on the total rounded half-up to 0.1;
the plausible-range edges. Each family is one frame scored by one ``score_frame`` call.
"""

from __future__ import annotations

import copy
import math
from decimal import Decimal
from fractions import Fraction
from functools import cache
from typing import Any

import polars as pl
import pytest

from edubrain.core.fitness.items import HEIGHT, INPUT_COLUMNS, ITEM_BY_KEY, MEASURED_ITEMS, WEIGHT
from edubrain.core.fitness.scoring import rating_of, score_frame
from edubrain.core.fitness.standard import build_standard, load_json

RAW = load_json()
SEX_CODE = {"male": "M", "female": "F"}
GRADES = sorted(RAW["grades"])
STEP = {"run_50m": Decimal("0.1"), "sit_and_reach": Decimal("0.1")}  # every other table moves in 1s
SCHEMA: dict[str, Any] = {
    "grade": pl.String,
    "sex": pl.String,
    "exempt": pl.Boolean,
    **{c: pl.Float64 for c in INPUT_COLUMNS},
}


def make_frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """Input frame with every input column present (null = not measured)."""
    return pl.DataFrame([{**dict.fromkeys(SCHEMA), **r} for r in rows], schema=SCHEMA)


def step(key: str) -> Decimal:
    return STEP.get(key, Decimal(1))


def moved(key: str, threshold: float, steps: int) -> float:
    """``threshold`` moved ``steps`` table steps towards *better* (negative: worse), as the decimal a user
    would type (runs: better = fewer seconds)."""
    sign = 1 if ITEM_BY_KEY[key].higher_is_better else -1
    return float(Decimal(str(threshold)) + sign * steps * step(key))


def tables() -> list[tuple[str, str, str, list[list[float]]]]:
    return [
        (key, sex, grade, rows)
        for key, by_sex in RAW["scoring_tables"].items()
        for sex, by_grade in by_sex.items()
        for grade, rows in by_grade.items()
    ]


def top_of(key: str, sex: str, grade: str) -> float:
    return float(next(t for p, t in RAW["scoring_tables"][key][sex][grade] if p == 100))


def check(out: pl.DataFrame, cases: list[dict[str, Any]], column: str, expected_key: str = "expect") -> None:
    """Assert ``out[column]`` equals each case's expectation; list the first failures with their case."""
    got = out[column].to_list()
    bad = [(c["why"], g, c[expected_key]) for c, g in zip(cases, got, strict=True) if g != c[expected_key]]
    assert not bad, f"{len(bad)} of {len(cases)} cases differ on {column}; first: " + "\n".join(
        f"{why}: got {g!r}, expected {e!r}" for why, g, e in bad[:25]
    )


# --- the tables themselves ---------------------------------------------------------------------------------


def test_tables_are_strictly_monotone_with_gaps_of_at_least_one_step() -> None:
    """Precondition of the boundary expectations below: scores strictly descending, thresholds strictly
    worse at each lower row by at least one table step, every threshold on the table's step."""
    checked = 0
    for key, sex, grade, rows in tables():
        higher = ITEM_BY_KEY[key].higher_is_better
        scores = [p for p, _ in rows]
        assert scores == sorted(scores, reverse=True) and len(set(scores)) == len(scores), (key, sex, grade)
        assert scores[0] == 100 and scores[-1] >= 10, (key, sex, grade)
        for (_, better), (_, worse) in zip(rows, rows[1:], strict=False):
            gap = Decimal(str(better)) - Decimal(str(worse))
            assert (gap if higher else -gap) >= step(key), (key, sex, grade, better, worse)
        assert all(Decimal(str(t)) % step(key) == 0 for _, t in rows), (key, sex, grade)
        if grade in ("42", "44"):  # printed once as 大一大二 / 大三大四
            assert rows == RAW["scoring_tables"][key][sex][str(int(grade) - 1)], (key, sex, grade)
        else:
            checked += len(rows)
    assert checked == 3077  # the thresholds printed in the official document (README §2)


# --- every single-item table row ----------------------------------------------------------------------------


def single_item_cases() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    for key, sex, grade, rows in tables():
        column = ITEM_BY_KEY[key].column
        higher = ITEM_BY_KEY[key].higher_is_better
        for i, (points, threshold) in enumerate(rows):
            lower = rows[i + 1][0] if i + 1 < len(rows) else 0
            better = moved(key, threshold, 1)
            expect_better = points
            if i > 0:
                up_points, up_threshold = rows[i - 1]
                reaches = better >= up_threshold if higher else better <= up_threshold
                expect_better = up_points if reaches else points
            where = f"{key} {sex} {grade} row {points}@{threshold}"
            for label, value, expect in (
                ("at", float(threshold), points),
                ("worse", moved(key, threshold, -1), lower),
                ("better", better, expect_better),
            ):
                cases.append(
                    {
                        "grade": grade,
                        "sex": SEX_CODE[sex],
                        column: value,
                        "why": f"{where} {label} {value}",
                        "expect": expect,
                        "key": key,
                    }
                )
    return cases


def test_every_single_item_threshold_at_worse_and_better() -> None:
    cases = single_item_cases()
    assert len(cases) == 3 * sum(len(rows) for *_, rows in tables())
    out = score_frame(make_frame([{k: v for k, v in c.items() if k not in ("why", "expect", "key")}
                                  for c in cases]))
    assert out.height == len(cases)
    for key in {c["key"] for c in cases}:
        idx = [i for i, c in enumerate(cases) if c["key"] == key]
        sub = [cases[i] for i in idx]
        check(out[idx], sub, f"{key}_score")
    # nothing else was measured: every row lacks items, so it has item scores but no total
    assert out["status"].unique().to_list() == ["incomplete"]
    assert out["total_score"].null_count() == out.height
    assert out["remark"].null_count() == 0


def test_spot_checks_copied_from_the_official_tables() -> None:
    """A few cells read off the printed tables (runs given in seconds: m'ss" → 60 m + ss)."""

    def seconds(minutes: int, secs: int) -> float:
        return float(minutes * 60 + secs)

    cases = [
        # 表1-4 50米跑, 小学一年级男生: 10.2 s → 100, 10.3 → 95, 13.6 → 10, 13.7 → 0
        ("11", "M", "sprint_50m_s", 10.2, "run_50m", 100),
        ("11", "M", "sprint_50m_s", 10.3, "run_50m", 95),
        ("11", "M", "sprint_50m_s", 10.25, "run_50m", 95),
        ("11", "M", "sprint_50m_s", 13.6, "run_50m", 10),
        ("11", "M", "sprint_50m_s", 13.7, "run_50m", 0),
        # 肺活量 小学一年级男生 1700 ml → 100; 坐位体前屈 16.1 cm → 100, 0.0 cm → 60, -4.0 → 10, -4.1 → 0
        ("11", "M", "vital_capacity_ml", 1700.0, "vital_capacity", 100),
        ("11", "M", "sit_and_reach_cm", 16.1, "sit_and_reach", 100),
        ("11", "M", "sit_and_reach_cm", 0.0, "sit_and_reach", 60),
        ("11", "M", "sit_and_reach_cm", -4.0, "sit_and_reach", 10),
        ("11", "M", "sit_and_reach_cm", -4.1, "sit_and_reach", 0),
        # 引体向上 初一男生 (blank cells at 78/74/… and at 20/10): 0 → 0, 1 → 30, 8 → 76, 9 → 80, 13 → 100
        ("21", "M", "pullups", 0.0, "pull_up", 0),
        ("21", "M", "pullups", 1.0, "pull_up", 30),
        ("21", "M", "pullups", 8.0, "pull_up", 76),
        ("21", "M", "pullups", 9.0, "pull_up", 80),
        ("21", "M", "pullups", 13.0, "pull_up", 100),
        # 初二男生: 0 → 0, 1 → 20 (blank at 10 only)
        ("22", "M", "pullups", 0.0, "pull_up", 0),
        ("22", "M", "pullups", 1.0, "pull_up", 20),
        # 1000米跑: 初一男生 3'55" → 100, 3'56" → 95; 大学一年级男生 3'17" → 100, 3'18" → 95
        ("21", "M", "run_1000m_s", seconds(3, 55), "run_1000m", 100),
        ("21", "M", "run_1000m_s", seconds(3, 56), "run_1000m", 95),
        ("41", "M", "run_1000m_s", seconds(3, 17), "run_1000m", 100),
        ("41", "M", "run_1000m_s", seconds(3, 18), "run_1000m", 95),
        # 800米跑: 初一女生 3'35" → 100; 大学一年级女生 3'18" → 100, 3'24" → 95
        ("21", "F", "run_800m_s", seconds(3, 35), "run_800m", 100),
        ("41", "F", "run_800m_s", seconds(3, 18), "run_800m", 100),
        ("41", "F", "run_800m_s", seconds(3, 24), "run_800m", 95),
        # 立定跳远 大学一年级男生 273 cm → 100
        ("41", "M", "standing_long_jump_cm", 273.0, "standing_long_jump", 100),
    ]
    out = score_frame(make_frame([{"grade": g, "sex": s, col: v} for g, s, col, v, _, _ in cases]))
    for (grade, sex, col, value, key, expect), got in zip(cases, out.iter_rows(named=True), strict=True):
        assert got[f"{key}_score"] == expect, (grade, sex, col, value)
    # bonuses: 初中女生 800米 5 s under the 100-point line (3'35") → 1, 4 s → 0, 50 s → 10;
    # 初一男生 引体向上 14 (1 above 13) → 1; 小学一年级男生 跳绳 100-point line + 40 → 20
    rope_top = top_of("rope_skip_1min", "male", "11")
    bonus_cases = [
        ("21", "F", "run_800m_s", seconds(3, 30), "run_800m", 1),
        ("21", "F", "run_800m_s", seconds(3, 31), "run_800m", 0),
        ("21", "F", "run_800m_s", seconds(2, 45), "run_800m", 10),
        ("21", "M", "pullups", 14.0, "pull_up", 1),
        ("11", "M", "rope_skip_1min", rope_top + 40, "rope_skip_1min", 20),
        ("11", "M", "rope_skip_1min", rope_top + 39, "rope_skip_1min", 19),
    ]
    out = score_frame(make_frame([{"grade": g, "sex": s, col: v} for g, s, col, v, _, _ in bonus_cases]))
    for (grade, sex, col, value, key, expect), got in zip(
        bonus_cases, out.iter_rows(named=True), strict=True
    ):
        assert got[f"{key}_bonus"] == expect, (grade, sex, col, value)
        assert got[f"{key}_score"] == 100, (grade, sex, col, value)


# --- BMI ----------------------------------------------------------------------------------------------------

REALISTIC_HEIGHT = {"1": 131.5, "2": 158.3, "3": 166.7, "4": 169.9}  # by school stage (first grade digit)


def weight_for(height_cm: float, bmi: Decimal, side: str) -> float:
    """A weight (kg, 2 decimals) whose exact BMI at ``height_cm`` rounds half-up to ``bmi``: the lightest
    such weight (``side="low"``: BMI ≥ bmi − 0.05) or the heaviest (``"high"``: BMI < bmi + 0.05)."""
    h2 = (Fraction(str(height_cm)) / 100) ** 2
    low = (Fraction(str(bmi)) - Fraction(1, 20)) * h2
    high = (Fraction(str(bmi)) + Fraction(1, 20)) * h2
    cents = math.ceil(low * 100) if side == "low" else math.ceil(high * 100) - 1
    weight = Fraction(cents, 100)
    exact = weight / h2
    assert Fraction(str(bmi)) - Fraction(1, 20) <= exact < Fraction(str(bmi)) + Fraction(1, 20)
    return float(Decimal(cents) / 100)


def band_of(sex: str, grade: str, bmi: Decimal) -> tuple[str, int]:
    for band in RAW["bmi_bands"][sex][grade]:
        if ("min" not in band or bmi >= Decimal(str(band["min"]))) and (
            "max" not in band or bmi <= Decimal(str(band["max"]))
        ):
            return band["band"], band["score"]
    raise AssertionError(f"no band for {bmi}")


def test_every_bmi_band_edge() -> None:
    cases: list[dict[str, Any]] = []
    tenth = Decimal("0.1")
    for sex, by_grade in RAW["bmi_bands"].items():
        for grade, bands in by_grade.items():
            for band in bands:
                if "max" not in band:
                    continue
                edge = Decimal(str(band["max"]))
                for target in (edge - tenth, edge, edge + tenth, edge + 2 * tenth):
                    name, points = band_of(sex, grade, target)
                    for height in (100.0, REALISTIC_HEIGHT[grade[0]]):
                        for side in ("low", "high"):
                            cases.append(
                                {
                                    "grade": grade,
                                    "sex": SEX_CODE[sex],
                                    HEIGHT.column: height,
                                    WEIGHT.column: weight_for(height, target, side),
                                    "why": f"BMI {sex} {grade} edge {edge} target {target} h={height} {side}",
                                    "bmi": float(target),
                                    "band": name,
                                    "points": points,
                                }
                            )
    assert len(cases) == 32 * 3 * 4 * 2 * 2
    out = score_frame(make_frame([{k: v for k, v in c.items() if k in SCHEMA} for c in cases]))
    check(out, cases, "bmi", "bmi")
    check(out, cases, "bmi_band", "band")
    check(out, cases, "bmi_score", "points")


def test_bmi_is_rounded_half_up_to_a_tenth_before_banding() -> None:
    """小学一年级男生: 正常 13.5–18.1, 超重 18.2–20.3. 18.15 → 18.2 (超重 80), 18.1499… → 18.1 (正常 100)."""
    cases = [
        (100.0, 18.15, 18.2, "超重", 80),  # exactly 18.15 (float 18.15 is 18.149999…)
        (200.0, 72.6, 18.2, "超重", 80),  # 72.6 / 4 = 18.15 exactly; naive float round(18.15, 1) = 18.1
        (200.0, 72.59, 18.1, "正常", 100),  # 18.1475
        (126.6, 29.09, 18.1, "正常", 100),  # 18.14998…
        (155.7, 44.0, 18.1, "正常", 100),  # 18.14995…
        (100.0, 18.14, 18.1, "正常", 100),
        (100.0, 13.45, 13.5, "正常", 100),  # 低体重 ≤ 13.4
        (100.0, 13.44, 13.4, "低体重", 80),
        (100.0, 20.35, 20.4, "肥胖", 60),  # 超重 ≤ 20.3
        (200.0, 81.39, 20.3, "超重", 80),  # 20.3475
    ]
    for height, weight, bmi, _, _ in cases:  # the premises, in exact arithmetic
        exact = Fraction(str(weight)) / (Fraction(str(height)) / 100) ** 2
        assert Fraction(str(bmi)) - Fraction(1, 20) <= exact < Fraction(str(bmi)) + Fraction(1, 20)
    out = score_frame(
        make_frame([{"grade": "11", "sex": "M", HEIGHT.column: h, WEIGHT.column: w} for h, w, *_ in cases])
    )
    got = list(zip(out["bmi"], out["bmi_band"], out["bmi_score"], strict=True))
    assert got == [(b, band, p) for _, _, b, band, p in cases]


# --- bonus tables -------------------------------------------------------------------------------------------


def test_every_bonus_table_row_at_the_delta_and_one_below() -> None:
    cases: list[dict[str, Any]] = []
    for key, by_sex in RAW["bonus_tables"].items():
        item = ITEM_BY_KEY[key]
        for sex, by_grade in by_sex.items():
            for grade, rows in by_grade.items():
                assert [p for p, _ in rows] == sorted((p for p, _ in rows), reverse=True)
                top = top_of(key, sex, grade)
                sign = 1 if item.higher_is_better else -1

                def add(margin: float, expect: int, why: str, *, key: str = key, sex: str = sex,
                        grade: str = grade, top: float = top, sign: int = sign) -> None:
                    value = top + sign * margin
                    cases.append(
                        {
                            "grade": grade,
                            "sex": SEX_CODE[sex],
                            ITEM_BY_KEY[key].column: value,
                            "why": f"bonus {key} {sex} {grade} top {top} {why} → value {value}",
                            "expect": expect,
                            "key": key,
                        }
                    )

                add(0, 0, "at the 100-point line")
                add(rows[0][1] + 15, rows[0][0], "far beyond the last row")
                for i, (points, delta) in enumerate(rows):
                    below = rows[i + 1][0] if i + 1 < len(rows) else 0
                    add(delta, points, f"row {points}@{delta}")
                    add(delta - 1, below, f"row {points}@{delta} minus one")
    out = score_frame(make_frame([{k: v for k, v in c.items() if k in SCHEMA} for c in cases]))
    for key in RAW["bonus_tables"]:
        idx = [i for i, c in enumerate(cases) if c["key"] == key]
        check(out[idx], [cases[i] for i in idx], f"{key}_bonus")
        # at or beyond the 100-point line the item itself scores 100
        assert out[idx][f"{key}_score"].unique().to_list() == [100], key
    # each grade × sex has its own bonus items only
    for key in RAW["bonus_tables"]:
        idx = [i for i, c in enumerate(cases) if c["key"] != key]
        assert out[idx][f"{key}_bonus"].null_count() == len(idx), key


def test_bonus_only_for_the_items_and_sexes_that_have_a_table() -> None:
    """小学三至六年级 boys and girls take 仰卧起坐 but get no bonus for it; the bonus is then null."""
    top = top_of("sit_up_1min", "male", "13")
    out = score_frame(make_frame([
        {"grade": "13", "sex": "M", "situps_1min": top + 10},
        {"grade": "21", "sex": "F", "situps_1min": top_of("sit_up_1min", "female", "21") + 13},
    ]))
    assert out["sit_up_1min_score"].to_list() == [100, 100]
    assert out["sit_up_1min_bonus"].to_list() == [None, 10]


# --- full rows: bonus cap, totals and ratings ---------------------------------------------------------------


def value_for(key: str, sex: str, grade: str, points: int) -> float:
    """A raw value that scores exactly ``points`` (at the row's threshold; 0: one step worse than 10)."""
    rows = RAW["scoring_tables"][key][sex][grade]
    if points == 0:
        return moved(key, rows[-1][1], -1)
    return float(next(t for p, t in rows if p == points))


BMI_FOR_POINTS = {100: "正常", 80: "低体重", 60: "肥胖"}


def bmi_inputs(sex: str, grade: str, points: int) -> dict[str, float]:
    band = next(b for b in RAW["bmi_bands"][sex][grade] if b["band"] == BMI_FOR_POINTS[points])
    bmi = Decimal(str(band.get("max", band.get("min"))))
    return {HEIGHT.column: 100.0, WEIGHT.column: float(bmi)}  # at 1 m, kg = kg/m²


def full_row(
    grade: str, sex: str, points: dict[str, int], extra: dict[str, float] | None = None
) -> dict[str, Any]:
    """A complete row for ``grade``/``sex`` whose items score ``points`` (bmi included); ``extra`` moves a
    bonus item beyond its 100-point line by that margin (its score must then be 100)."""
    word = "male" if sex == "M" else "female"
    row: dict[str, Any] = {"grade": grade, "sex": sex, **bmi_inputs(word, grade, points["bmi"])}
    for key in RAW["grades"][grade][f"items_{word}"]:
        if key == "bmi":
            continue
        row[ITEM_BY_KEY[key].column] = value_for(key, word, grade, points[key])
    for key, margin in (extra or {}).items():
        assert points[key] == 100
        sign = 1 if ITEM_BY_KEY[key].higher_is_better else -1
        row[ITEM_BY_KEY[key].column] = top_of(key, word, grade) + sign * margin
    return row


@cache
def reachable(grade: str, sex: str, skip: tuple[str, ...] = ()) -> dict[int, tuple[tuple[str, int], ...]]:
    """Every reachable Σ score × weight (标准分 × 100) of a grade/sex over its items except ``skip`` → one
    choice of item scores that gives it (scores as printed in the JSON, plus 0)."""
    word = "male" if sex == "M" else "female"
    info = RAW["grades"][grade]
    states: dict[int, tuple[tuple[str, int], ...]] = {0: ()}
    for key in info[f"items_{word}"]:
        if key in skip:
            continue
        weight = info[f"weights_{word}"][key]
        table = [] if key == "bmi" else RAW["scoring_tables"][key][word][grade]
        options = [100, 80, 60] if key == "bmi" else [0, *(p for p, _ in table)]
        nxt: dict[int, tuple[tuple[str, int], ...]] = {}
        for total, choice in states.items():
            for p in options:
                nxt.setdefault(total + p * weight, (*choice, (key, p)))
        states = nxt
    return states


def with_standard(grade: str, sex: str, hundredths: int, fixed: dict[str, int]) -> dict[str, int]:
    """Item scores giving 标准分 = hundredths / 100, with the ``fixed`` items at the given scores."""
    word = "male" if sex == "M" else "female"
    weights = RAW["grades"][grade][f"weights_{word}"]
    rest = hundredths - sum(p * weights[k] for k, p in fixed.items())
    choice = reachable(grade, sex, tuple(sorted(fixed))).get(rest)
    assert choice is not None, f"标准分 {hundredths / 100} not reachable for {grade} {sex} with {fixed}"
    return {**dict(choice), **fixed}


RATING_CASES = [
    # (grade, sex, 标准分 × 100, fixed item scores, bonus margins, bonus, total, total_1dp, rating)
    ("21", "M", 9000, {}, {}, 0, 90.0, 90.0, "优秀"),
    ("21", "M", 8995, {}, {}, 0, 89.95, 90.0, "优秀"),
    ("21", "M", 8990, {}, {}, 0, 89.9, 89.9, "良好"),
    ("21", "M", 8985, {}, {}, 0, 89.85, 89.9, "良好"),
    ("21", "F", 8000, {}, {}, 0, 80.0, 80.0, "良好"),
    ("21", "F", 7995, {}, {}, 0, 79.95, 80.0, "良好"),
    ("21", "F", 7990, {}, {}, 0, 79.9, 79.9, "及格"),
    ("11", "M", 5995, {}, {}, 0, 59.95, 60.0, "及格"),
    ("11", "M", 5990, {}, {}, 0, 59.9, 59.9, "不及格"),
    ("11", "F", 5985, {}, {}, 0, 59.85, 59.9, "不及格"),
    ("11", "F", 6000, {}, {}, 0, 60.0, 60.0, "及格"),
    ("16", "M", 8995, {}, {}, 0, 89.95, 90.0, "优秀"),
    ("44", "F", 8990, {}, {}, 0, 89.9, 89.9, "良好"),
    # the rating is on 标准分 + 附加分
    ("21", "M", 8500, {"pull_up": 100}, {"pull_up": 5}, 5, 90.0, 90.0, "优秀"),
    ("21", "M", 8495, {"pull_up": 100}, {"pull_up": 5}, 5, 89.95, 90.0, "优秀"),
    ("21", "M", 8490, {"pull_up": 100}, {"pull_up": 5}, 5, 89.9, 89.9, "良好"),
    ("12", "F", 5495, {"rope_skip_1min": 100}, {"rope_skip_1min": 10}, 5, 59.95, 60.0, "及格"),
    ("12", "F", 5490, {"rope_skip_1min": 100}, {"rope_skip_1min": 10}, 5, 59.9, 59.9, "不及格"),
    # bonus cap: the shipped tables give at most 10 + 10 (or 20 for rope skipping)
    ("21", "M", 10000, {"pull_up": 100, "run_1000m": 100}, {"pull_up": 25, "run_1000m": 80}, 20, 120.0, 120.0,
     "优秀"),
    ("21", "F", 7000, {"sit_up_1min": 100, "run_800m": 100}, {"sit_up_1min": 13, "run_800m": 45}, 19, 89.0,
     89.0, "良好"),
    ("11", "M", 10000, {"rope_skip_1min": 100}, {"rope_skip_1min": 100}, 20, 120.0, 120.0, "优秀"),
]


def test_totals_and_rating_edges_on_full_rows() -> None:
    rows = []
    for grade, sex, hundredths, fixed, extra, *_ in RATING_CASES:
        points = with_standard(grade, sex, hundredths, fixed)
        rows.append(full_row(grade, sex, points, extra))
    out = score_frame(make_frame(rows))
    assert out["status"].to_list() == ["scored"] * len(rows)
    assert out["remark"].null_count() == len(rows)
    for case, got in zip(RATING_CASES, out.iter_rows(named=True), strict=True):
        grade, sex, hundredths, _, _, bonus, total, total_1dp, rating = case
        assert got["standard_score"] == pytest.approx(hundredths / 100, abs=1e-9), case
        assert got["bonus"] == bonus, case
        assert got["total_score"] == pytest.approx(total, abs=1e-9), case
        assert got["total_1dp"] == pytest.approx(total_1dp, abs=1e-9), case
        assert got["rating"] == rating, case


def test_bonus_cap_binds_at_20() -> None:
    """The shipped tables never exceed 20 in all; a table that would (引体向上 up to 15) shows the cap."""
    raw = copy.deepcopy(RAW)
    raw["bonus_tables"]["pull_up"]["male"]["21"] = [[15, 15], *raw["bonus_tables"]["pull_up"]["male"]["21"]]
    std = build_standard(raw)
    points = dict.fromkeys(RAW["grades"]["21"]["items_male"], 100)
    rows = [
        full_row("21", "M", points, {"pull_up": 15, "run_1000m": 35}),  # 15 + 10 → 20
        full_row("21", "M", points, {"pull_up": 15, "run_1000m": 4}),  # 15 + 1 → 16
        full_row("21", "M", points, {"pull_up": 10, "run_1000m": 35}),  # 10 + 10 → 20
    ]
    out = score_frame(make_frame(rows), standard=std)
    assert out["pull_up_bonus"].to_list() == [15, 15, 10]
    assert out["run_1000m_bonus"].to_list() == [10, 1, 10]
    assert out["bonus"].to_list() == [20, 16, 20]
    assert out["total_score"].to_list() == [120.0, 116.0, 120.0]


def test_rating_of_a_rounded_total() -> None:
    totals = [120.0, 90.0, 89.9, 89.94, 80.0, 79.9, 60.0, 59.9, 0.0]
    got = pl.DataFrame({"t": totals}).select(rating_of(pl.col("t")).alias("r"))["r"].to_list()
    assert got == ["优秀", "优秀", "良好", "良好", "良好", "及格", "及格", "不及格", "不及格"]


# --- plausible ranges and statuses --------------------------------------------------------------------------


def test_plausible_range_edges() -> None:
    """A value at the plausible low/high is scored; one step outside makes the row invalid, with no score."""
    cases: list[dict[str, Any]] = []
    for item in MEASURED_ITEMS:
        grade, sex = next(
            (g, s) for g in GRADES for s in ("male", "female") if item.key in RAW["grades"][g][f"items_{s}"]
        )
        s = step(item.key)
        for value, ok in (
            (item.low, True),
            (item.high, True),
            (float(Decimal(str(item.low)) - s), False),
            (float(Decimal(str(item.high)) + s), False),
        ):
            cases.append(
                {"grade": grade, "sex": SEX_CODE[sex], item.column: value, "key": item.key, "ok": ok}
            )
    for measure in (HEIGHT, WEIGHT):
        other = WEIGHT if measure is HEIGHT else HEIGHT
        partner = 60.0 if other is WEIGHT else 170.0
        for value, ok in (
            (measure.low, True),
            (measure.high, True),
            (measure.low - 0.1, False),
            (measure.high + 0.1, False),
        ):
            row = {"grade": "31", "sex": "F", measure.column: value, other.column: partner}
            cases.append({**row, "key": "bmi", "ok": ok})
    out = score_frame(make_frame([{k: v for k, v in c.items() if k in SCHEMA} for c in cases]))
    for case, got in zip(cases, out.iter_rows(named=True), strict=True):
        assert (got[f"{case['key']}_score"] is not None) == case["ok"], case
        assert got["status"] == ("incomplete" if case["ok"] else "invalid"), case
        assert got["remark"] is not None


def test_statuses() -> None:
    complete = full_row("21", "F", dict.fromkeys(RAW["grades"]["21"]["items_female"], 100))
    rows = [
        complete,
        {**complete, "exempt": True},
        {**complete, "exempt": False},
        {**complete, "run_800m_s": None},  # a taken item missing → incomplete
        {**complete, HEIGHT.column: None},  # BMI cannot be computed → incomplete
        {**complete, "pullups": 5.0},  # girls do not take 引体向上 → invalid
        {**complete, "rope_skip_1min": 150.0},  # 初中 does not take 跳绳 → invalid
        {**complete, "grade": "17"},
        {**complete, "sex": "X"},
        {**complete, "exempt": True, "run_800m_s": 5000.0},  # invalid wins over exempt
        {**complete, "exempt": True, "run_800m_s": None},  # exempt wins over incomplete
    ]
    out = score_frame(make_frame(rows))
    assert out["status"].to_list() == [
        "scored", "exempt", "scored", "incomplete", "incomplete", "invalid", "invalid", "invalid", "invalid",
        "invalid", "exempt",
    ]
    assert [r is None for r in out["remark"]] == [True, False, True] + [False] * 8
    scored = out["status"] == "scored"
    assert out.filter(scored)["total_score"].null_count() == 0
    assert out.filter(~scored)["total_score"].null_count() == (~scored).sum()
    assert out.filter(~scored)["rating"].null_count() == (~scored).sum()
    # item scores stay where the item's own value is valid and taken
    assert out["run_800m_score"].to_list() == [100, 100, 100, None, 100, 100, 100, None, None, None, None]
    assert out["bmi_score"].to_list() == [100, 100, 100, 100, None, 100, 100, None, None, 100, 100]
    assert out["pull_up_score"].null_count() == len(rows)
    assert out["rope_skip_1min_score"].null_count() == len(rows)


def test_absent_input_columns_count_as_not_measured() -> None:
    """The module docstring of ``scoring``: absent columns count as not measured."""
    out = score_frame(pl.DataFrame({"grade": ["11", "11"], "sex": ["M", "M"], "sprint_50m_s": [10.2, 10.3]}))
    assert out["run_50m_score"].to_list() == [100, 95]
    assert out["status"].to_list() == ["incomplete", "incomplete"]


def test_bmi_from_weights_with_more_than_two_decimals() -> None:
    """BMI is kg/m² of the values as given (README §5: "values are compared as given"), rounded half-up once:
    18.146 kg at 1 m is 18.146 → 18.1 (正常), not 18.15 → 18.2 after rounding the weight to 0.01 first."""
    cases = [(100.0, 18.146), (100.0, 18.1499), (150.0, 40.8374)]  # BMI 18.146, 18.1499, 18.14996
    out = score_frame(
        make_frame([{"grade": "11", "sex": "M", HEIGHT.column: h, WEIGHT.column: w} for h, w in cases])
    )
    assert out["bmi"].to_list() == [18.1, 18.1, 18.1]
    assert out["bmi_band"].to_list() == ["正常", "正常", "正常"]
