"""Benchmark: recompute the whole indicator store of the full demo county (`edubrain indicators compute`).

    .venv/bin/python benchmarks/bench_indicators.py            # fresh SQLite file in a temporary directory
    DATABASE_URL=postgres://…/edubrain_bench .venv/bin/python benchmarks/bench_indicators.py

Builds the demo county (seed 2021, scale 1.0) first, then times three recomputes of every computed
indicator for the county, every 镇/街道 and school and every year (5,073 values), and prints the best.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def main() -> int:
    env = dict(os.environ)
    tmp = None
    if "DATABASE_URL" not in env:
        tmp = tempfile.TemporaryDirectory(prefix="edubrain-bench-")
        env["DATABASE_URL"] = f"sqlite:///{Path(tmp.name) / 'bench.sqlite3'}"
    edubrain = [str(BIN / "edubrain")]
    subprocess.run([*edubrain, "migrate", "-v0"], check=True, env=env, cwd=ROOT)
    subprocess.run([*edubrain, "demo", "--reset"], check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    probe = (
        "import time, django; django.setup()\n"
        "from edubrain.plans.compute import recompute\n"
        "best = min(recompute()['seconds'] for _ in range(3)); r = recompute()\n"
        "print(f\"{r['values']} {best}\")\n"
    )
    env.setdefault("DJANGO_SETTINGS_MODULE", "edubrain.settings")
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", probe], check=True, env=env, cwd=ROOT, capture_output=True, text=True
    )
    values, best = out.stdout.split()
    engine = "PostgreSQL" if env["DATABASE_URL"].startswith("postgres") else "SQLite"
    print(
        f"edubrain indicators compute（全县，{engine}）：{int(values):,} 个指标值，最快 {float(best):.2f} 秒"
        f"（共 {time.perf_counter() - started:.1f} 秒）"
    )
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
