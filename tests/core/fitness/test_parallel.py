"""Large frames are scored in slices on several threads: the result is the same, row for row, as one pass."""

from __future__ import annotations

import numpy as np
import polars as pl
from polars.testing import assert_frame_equal

from edubrain.core.fitness import scoring
from edubrain.core.fitness.items import MEASURED_ITEMS
from edubrain.core.fitness.standard import standard_2014


def sample(n: int) -> pl.DataFrame:
    std = standard_2014()
    rng = np.random.default_rng(11)
    gi, si = rng.integers(0, len(std.grade_codes), n), rng.integers(0, 2, n)
    cols: dict[str, object] = {
        "grade": np.array(std.grade_codes)[gi],
        "sex": np.where(si == 0, "M", "F"),
        "height_cm": rng.normal(150, 20, n).round(1),
        "weight_kg": rng.normal(45, 12, n).round(1),
        "exempt": rng.random(n) < 0.01,
    }
    for item in MEASURED_ITEMS:
        low, high = item.low, item.high
        values = rng.uniform(low - (high - low) * 0.05, high, n).round(1)
        cols[item.column] = np.where(std.weights[item.key][gi * 2 + si] > 0, values, np.nan)
    return pl.DataFrame(cols).fill_nan(None)


def test_threads_give_the_same_rows_in_the_same_order(monkeypatch):
    frame = sample(9_001)
    whole = scoring.score_frame(frame)
    monkeypatch.setattr(scoring, "PARALLEL_ROWS", 1_000)
    monkeypatch.setattr(scoring.os, "cpu_count", lambda: 4)
    sliced = scoring.score_frame(frame)
    assert sliced.height == frame.height
    assert_frame_equal(sliced, whole)
    assert set(whole["status"].unique()) == {"scored", "exempt", "invalid"}  # a varied sample
