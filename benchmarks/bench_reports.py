"""Benchmark: generate the demo county's 2024 reports at full scale — the annual 监测评估报告 (.docx and PDF),
the fitness and myopia 通报 and the data annex — through the same service the pages and the CLI use.

    .venv/bin/python benchmarks/bench_reports.py            # fresh SQLite file in a temporary directory
    .venv/bin/python benchmarks/bench_reports.py --keep     # on the configured database, demo already built
    DATABASE_URL=postgres://…/edubrain_bench .venv/bin/python benchmarks/bench_reports.py
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
YEAR = 2024


def probe() -> None:
    import django

    django.setup()
    from django.conf import settings

    from edubrain.base.orgtree import OrgKind, OrgUnit
    from edubrain.reports import service

    county = OrgUnit.objects.get(kind=OrgKind.COUNTY, division_code=settings.EDUBRAIN["COUNTY_DIVISION_CODE"])
    for kind, fmt in [
        ("annual", "docx"),
        ("annual", "pdf"),
        ("fitness", "pdf"),
        ("vision", "pdf"),
        ("annex", "xlsx"),
    ]:
        started = time.perf_counter()
        data = service.generate(kind, county, YEAR, fmt)
        seconds = time.perf_counter() - started
        print(f"  {service.file_name(kind, county, YEAR, fmt)}: {seconds:.1f} s，{len(data) / 1024:.0f} KB")


def main() -> int:
    if "--probe" in sys.argv:
        probe()
        return 0
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "edubrain.settings")
    tmp = None
    keep = "--keep" in sys.argv
    if not keep and "DATABASE_URL" not in env:
        tmp = tempfile.TemporaryDirectory(prefix="edubrain-bench-")
        env["DATABASE_URL"] = f"sqlite:///{Path(tmp.name) / 'bench.sqlite3'}"
    edubrain = [str(BIN / "edubrain")]
    subprocess.run([*edubrain, "migrate", "-v0"], check=True, env=env, cwd=ROOT)
    if not keep:
        quiet = subprocess.DEVNULL
        subprocess.run([*edubrain, "demo", "--reset"], check=True, env=env, cwd=ROOT, stdout=quiet)
    engine = "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    print(f"报告生成基准（演示县全量，{YEAR} 年，{engine}）")
    subprocess.run([sys.executable, __file__, "--probe"], check=True, env=env, cwd=ROOT)
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
