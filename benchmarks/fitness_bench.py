"""Scoring benchmark: 1,000,000 generated 体质健康 records scored by ``score_frame`` vs the per-row reference.

Run: .venv/bin/python benchmarks/fitness_bench.py [--rows 1000000] [--baseline-rows N] [--csv] [--seed 7]

Generates realistic records (every grade and sex, only the items each grade/sex takes, values spread over
the tables, ~0.5 % 免测, ~1 % with one item missing), writes them to Parquet (``--csv``: CSV) in a temporary
directory and reads them back, then times ``score_frame`` (one warm-up on 10,000 rows, median of 3 runs) and
``reference.score_rows`` (the plain per-row baseline) on the first ``--baseline-rows`` records (default all),
and checks that both give identical results on those records (every output column; ``remark`` by null-ness).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

from edubrain.core.fitness import reference
from edubrain.core.fitness.items import HEIGHT, INPUT_COLUMNS, ITEM_BY_KEY, WEIGHT
from edubrain.core.fitness.scoring import score_frame
from edubrain.core.fitness.standard import load_json

SCHEMA = {
    "grade": pl.String,
    "sex": pl.String,
    "exempt": pl.Boolean,
    **{c: pl.Float64 for c in INPUT_COLUMNS},
}
MEAN_HEIGHT = {  # cm, by 年级编号 (boys; girls a little shorter from 初中 on)
    "11": 121, "12": 127, "13": 132, "14": 138, "15": 144, "16": 150, "21": 157, "22": 163, "23": 167,
    "31": 169, "32": 170, "33": 171, "41": 172, "42": 172, "43": 172, "44": 172,
}
FINE = {"run_50m", "sit_and_reach"}  # recorded to 0.1


def generate(n: int, seed: int) -> pl.DataFrame:
    """``n`` realistic records, vectorised per grade × sex."""
    raw = load_json()
    grades = sorted(raw["grades"])
    rng = np.random.default_rng(seed)
    gi = rng.integers(0, len(grades), n)
    si = rng.integers(0, 2, n)
    columns = {c: np.full(n, np.nan) for c in INPUT_COLUMNS}
    for g, code in enumerate(grades):
        for s, word in enumerate(("male", "female")):
            rows = np.nonzero((gi == g) & (si == s))[0]
            m = rows.size
            taken = [k for k in raw["grades"][code][f"items_{word}"] if k != "bmi"]
            for key in taken:
                item = ITEM_BY_KEY[key]
                table = raw["scoring_tables"][key][word][code]
                best, worst = float(table[0][1]), float(table[-1][1])
                middle = float(next(t for p, t in table if p <= 74))
                values = rng.normal(middle, abs(best - worst) / 2.5, m)
                values = np.round(values, 1) if key in FINE else np.round(values)
                columns[item.column][rows] = np.clip(values, item.low, item.high)
            height = rng.normal(MEAN_HEIGHT[code] - (3 if s and code >= "21" else 0), 6.5, m)
            bands = {b["band"]: b for b in raw["bmi_bands"][word][code]}
            centre = (bands["正常"]["min"] + bands["正常"]["max"]) / 2
            bmi = rng.normal(centre, 3.2, m)
            columns[HEIGHT.column][rows] = np.round(np.clip(height, 90, 210), 1)
            weight = bmi * (columns[HEIGHT.column][rows] / 100) ** 2
            columns[WEIGHT.column][rows] = np.round(np.clip(weight, 12, 150), 1)
            # ~1 %: one of the row's items not measured
            gap = rows[rng.random(m) < 0.01]
            which = rng.integers(0, len(taken), gap.size)
            for k, key in enumerate(taken):
                columns[ITEM_BY_KEY[key].column][gap[which == k]] = np.nan
    exempt = rng.random(n) < 0.005
    return pl.DataFrame(
        {
            "grade": pl.Series(np.array(grades)[gi], dtype=pl.String),
            "sex": pl.Series(np.array(["M", "F"])[si], dtype=pl.String),
            "exempt": pl.Series(exempt, dtype=pl.Boolean),
            **{c: pl.Series(v, dtype=pl.Float64).fill_nan(None) for c, v in columns.items()},
        }
    )


def differences(ours: pl.DataFrame, theirs: list[dict[str, object]]) -> list[str]:
    """Columns where ``score_frame`` and the reference differ (exact equality; ``remark`` by null-ness)."""
    ref = pl.DataFrame(theirs, schema=ours.schema)
    problems = []
    for name in ours.columns:
        a, b = ours[name], ref[name]
        differ = (a.is_null() != b.is_null()) if name == "remark" else ~a.eq_missing(b)
        count = int(differ.sum())
        if count:
            first = int(np.nonzero(differ.to_numpy())[0][0])
            problems.append(f"{name}: {count:,} rows differ, first row {first}: {a[first]!r} vs {b[first]!r}")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--baseline-rows", type=int, default=None, help="reference rows (default: all)")
    parser.add_argument("--csv", action="store_true", help="write and read CSV instead of Parquet")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    n = args.rows
    base_n = n if args.baseline_rows is None else min(args.baseline_rows, n)

    started = time.perf_counter()
    generated = generate(n, args.seed)
    gen_s = time.perf_counter() - started
    with tempfile.TemporaryDirectory(prefix="edubrain-fitness-bench-") as tmp:
        path = Path(tmp) / ("fitness.csv" if args.csv else "fitness.parquet")
        started = time.perf_counter()
        if args.csv:
            generated.write_csv(path)
        else:
            generated.write_parquet(path)
        write_s = time.perf_counter() - started
        size_mb = path.stat().st_size / 1e6
        started = time.perf_counter()
        frame = pl.read_csv(path, schema=SCHEMA) if args.csv else pl.read_parquet(path)
        read_s = time.perf_counter() - started
    assert frame.equals(generated), "the file read back differs from the generated frame"
    del generated

    score_frame(frame.head(10_000))  # warm-up
    runs = []
    out = None
    for _ in range(3):
        started = time.perf_counter()
        out = score_frame(frame)
        runs.append(time.perf_counter() - started)
    assert out is not None
    frame_s = statistics.median(runs)

    subset = frame.head(base_n)
    started = time.perf_counter()
    dicts = subset.to_dicts()
    to_dicts_s = time.perf_counter() - started
    started = time.perf_counter()
    theirs = reference.score_rows(dicts)
    base_s = time.perf_counter() - started
    del dicts
    started = time.perf_counter()
    problems = differences(out.head(base_n), theirs)
    compare_s = time.perf_counter() - started
    del theirs

    fmt = "csv" if args.csv else "parquet"
    status = dict(out["status"].value_counts().iter_rows())
    frame_rate, base_rate = n / frame_s, base_n / base_s
    print(f"records: {n:,} ({', '.join(f'{k} {v:,}' for k, v in sorted(status.items()))})")
    print(f"{'step':<34}{'records':>12}{'seconds':>10}{'records/s':>14}")
    for label, count, secs in (
        ("generate (numpy)", n, gen_s),
        (f"write {fmt} ({size_mb:.1f} MB)", n, write_s),
        (f"read {fmt}", n, read_s),
        ("score_frame (median of 3)", n, frame_s),
        ("frame.to_dicts (baseline input)", base_n, to_dicts_s),
        ("reference.score_rows (baseline)", base_n, base_s),
        ("compare results", base_n, compare_s),
    ):
        print(f"{label:<34}{count:>12,}{secs:>10.3f}{count / secs:>14,.0f}")
    print(f"score_frame runs: {', '.join(f'{r:.3f}' for r in runs)} s")
    print(f"speed-up over the per-row reference: {frame_rate / base_rate:,.0f}×")
    print(f"targets: ≥ 1,000,000 records/s {'met' if frame_rate >= 1e6 else 'MISSED'}; "
          f"≥ 50× baseline {'met' if frame_rate >= 50 * base_rate else 'MISSED'}")
    if problems:
        raise SystemExit("score_frame and the reference differ:\n" + "\n".join(problems))
    print(f"results identical on all {base_n:,} baseline records ({len(out.columns)} columns)")


if __name__ == "__main__":
    main()
