"""``score_frame`` (vectorised) and ``reference.score_rows`` (plain per-row Python, read straight from the
JSON) agree on every output column of 50,000 random rows.

The rows cover every grade and sex and cross every table: values spread over and beyond each table's range,
a third snapped onto a threshold or one step either side, BMI around every band edge (heights to 0.1 cm,
weights to 0.1 or 0.01 kg, some exact .x5 BMIs), missing values, 免测, implausible values, items a grade or
sex does not take, unknown grades and sexes.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

from edubrain.core.fitness import reference
from edubrain.core.fitness.items import HEIGHT, INPUT_COLUMNS, ITEM_BY_KEY, MEASURED_ITEMS, WEIGHT
from edubrain.core.fitness.scoring import score_frame
from edubrain.core.fitness.standard import load_json

RAW = load_json()
GRADES = sorted(RAW["grades"])
SEXES = (("M", "male"), ("F", "female"))
N = 50_000
FINE = {"run_50m", "sit_and_reach"}  # tables in tenths


def generate(n: int, seed: int) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    gi = rng.integers(0, len(GRADES), n)
    si = rng.integers(0, 2, n)
    grade = np.array(GRADES, dtype=object)[gi]
    sex = np.array([s for s, _ in SEXES], dtype=object)[si]
    columns: dict[str, np.ndarray] = {c: np.full(n, np.nan) for c in INPUT_COLUMNS}

    for g, code in enumerate(GRADES):
        info = RAW["grades"][code]
        for s, (_, word) in enumerate(SEXES):
            rows = np.nonzero((gi == g) & (si == s))[0]
            m = rows.size
            taken = set(info[f"items_{word}"])
            for item in MEASURED_ITEMS:
                col = columns[item.column]
                if item.key not in taken:  # a few stray values for items the group does not take
                    stray = rows[rng.random(m) < 0.01]
                    col[stray] = np.round(rng.uniform(item.low, item.high, stray.size))
                    continue
                thresholds = np.array([t for _, t in RAW["scoring_tables"][item.key][word][code]], float)
                lo, hi = thresholds.min(), thresholds.max()
                span = hi - lo
                reach = span * 0.2
                bonus_rows = RAW["bonus_tables"].get(item.key, {}).get(word, {}).get(code)
                if bonus_rows:
                    reach = max(reach, max(d for _, d in bonus_rows) + 6)
                low = lo - (span * 0.2 if item.higher_is_better else reach)
                high = hi + (reach if item.higher_is_better else span * 0.2)
                values = rng.uniform(low, high, m)
                snap = rng.random(m) < 0.35
                step = 0.1 if item.key in FINE else 1.0
                values[snap] = rng.choice(thresholds, snap.sum()) + step * rng.integers(-1, 2, snap.sum())
                decimals = np.where(rng.random(m) < 0.1, 1, 0) if step == 1.0 else np.ones(m, int)
                values = np.where(decimals == 1, np.round(values, 1), np.round(values))
                values[rng.random(m) < 0.015] = np.nan  # not measured
                col[rows] = values

            # height and weight: BMI spread over every band, some exact .x5 cases
            edges = [b["max"] for b in RAW["bmi_bands"][word][code] if "max" in b]
            bmi = rng.uniform(edges[0] - 2.0, edges[-1] + 3.0, m)
            height = np.round(rng.normal(100 + 10 * int(code[0]) * 1.6, 12, m), 1)
            exact = rng.random(m) < 0.03
            height[exact] = rng.choice([100.0, 200.0], exact.sum())
            bmi[exact] = np.round(bmi[exact], 1) + rng.choice([0.05, -0.05, 0.0], exact.sum())
            weight = bmi * (height / 100) ** 2
            weight = np.where(rng.random(m) < 0.5, np.round(weight, 1), np.round(weight, 2))
            columns[HEIGHT.column][rows] = height
            columns[WEIGHT.column][rows] = weight

    # missing height/weight, implausible values
    for column in (HEIGHT.column, WEIGHT.column):
        columns[column][rng.random(n) < 0.005] = np.nan
    bad = np.nonzero(rng.random(n) < 0.01)[0]
    for r in bad:
        column = INPUT_COLUMNS[rng.integers(0, len(INPUT_COLUMNS))]
        key = next((i.key for i in MEASURED_ITEMS if i.column == column), None)
        measure = ITEM_BY_KEY[key] if key else (HEIGHT if column == HEIGHT.column else WEIGHT)
        columns[column][r] = measure.low - 1 if rng.random() < 0.5 else measure.high + 1

    # unknown grades and sexes
    odd = rng.random(n) < 0.01
    grade[odd] = rng.choice(np.array(["10", "17", "20", "45", "", "1", None], dtype=object), odd.sum())
    odd = rng.random(n) < 0.005
    sex[odd] = rng.choice(np.array(["X", "", "男", None], dtype=object), odd.sum())

    exempt_draw = rng.random(n)
    exempt = [True if x < 0.02 else (None if x < 0.03 else False) for x in exempt_draw]
    return pl.DataFrame(
        {
            "grade": pl.Series(grade.tolist(), dtype=pl.String),
            "sex": pl.Series(sex.tolist(), dtype=pl.String),
            "exempt": pl.Series(exempt, dtype=pl.Boolean),
            **{c: pl.Series(v, dtype=pl.Float64).fill_nan(None) for c, v in columns.items()},
        }
    )


def differences(frame: pl.DataFrame, ours: pl.DataFrame, theirs: list[dict[str, Any]]) -> list[str]:
    """Every column where the vectorised result differs from the reference rows (first rows listed)."""
    ref = pl.DataFrame(theirs, schema=ours.schema)
    problems: list[str] = []
    for name in ours.columns:
        a, b = ours[name], ref[name]
        if name == "remark":
            differ = a.is_null() != b.is_null()
        elif a.dtype == pl.Float64:
            both = a.is_not_null() & b.is_not_null()
            differ = (a.is_null() != b.is_null()) | (both & ((a - b).abs() > 1e-9)).fill_null(False)
        else:
            differ = ~a.eq_missing(b)
        rows = np.nonzero(differ.to_numpy())[0]
        if rows.size:
            examples = [
                f"  row {r}: score_frame {a[int(r)]!r} reference {b[int(r)]!r}; input "
                f"{ {k: v for k, v in frame.row(int(r), named=True).items() if v is not None} }"
                for r in rows[:5]
            ]
            problems.append(f"{name}: {rows.size} rows differ\n" + "\n".join(examples))
    return problems


def test_score_frame_agrees_with_the_reference_on_50000_random_rows() -> None:
    frame = generate(N, seed=20140701)
    ours = score_frame(frame)
    theirs = reference.score_rows(frame.to_dicts())
    assert ours.columns == list(reference.OUTPUT_KEYS)
    assert len(theirs) == ours.height == N
    problems = differences(frame, ours, theirs)
    assert not problems, "\n".join(problems)

    # the sample is not degenerate: every status, rating, band and bonus level occurs
    status = ours["status"].value_counts()
    counts = dict(zip(status["status"], status["count"], strict=True))
    assert counts["scored"] > 0.5 * N and min(counts.values()) > 200, counts
    assert set(ours["rating"].drop_nulls()) == {"优秀", "良好", "及格", "不及格"}
    assert set(ours["bmi_band"].drop_nulls()) == {"低体重", "正常", "超重", "肥胖"}
    for key in ("rope_skip_1min", "sit_up_1min", "pull_up", "run_1000m", "run_800m"):
        levels = set(ours[f"{key}_bonus"].drop_nulls())
        assert 0 in levels and 1 in levels and 10 in levels, key
    for item in MEASURED_ITEMS:
        levels = set(ours[f"{item.key}_score"].drop_nulls())
        assert {0, 10, 50, 60, 100} <= levels, item.key
    assert ours.filter(pl.col("status") == "scored")["bonus"].max() == 20


def test_reference_input_keys_match_score_frame() -> None:
    """Rows missing keys, NaN values and integer inputs are read as ``score_frame`` reads the frame."""
    row = {"grade": "11", "sex": "M", "height_cm": 120.0, "weight_kg": 22.0, "sprint_50m_s": 10.2,
           "sit_and_reach_cm": 16.1, "rope_skip_1min": 150, "vital_capacity_ml": float("nan")}
    got = reference.score_row(row)
    assert got["status"] == "incomplete" and got["remark"] is not None
    assert (got["run_50m_score"], got["rope_skip_1min_score"], got["rope_skip_1min_bonus"]) == (100, 100, 20)
    assert got["vital_capacity_score"] is None and got["total_score"] is None
    full = reference.score_row({**row, "vital_capacity_ml": 1700})
    assert (full["status"], full["standard_score"], full["bonus"]) == ("scored", 100.0, 20)
    assert full["total_score"] == 120.0
    assert (full["total_1dp"], full["rating"], full["remark"]) == (120.0, "优秀", None)
