"""Benchmark: export every student of the full demo county to xlsx and csv (the student list's 导出).

    .venv/bin/python benchmarks/bench_export.py          # builds the demo county in a temporary SQLite file
    DATABASE_URL=postgres://…/edubrain_bench .venv/bin/python benchmarks/bench_export.py  # existing demo

Prints the seconds to build the frame and to write each format.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    tmp = None
    if "DATABASE_URL" not in os.environ:
        tmp = tempfile.TemporaryDirectory(prefix="edubrain-export-")
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp.name) / 'bench.sqlite3'}"
        edubrain = [str(Path(sys.executable).parent / "edubrain")]
        subprocess.run([*edubrain, "migrate", "-v0"], check=True, cwd=ROOT)
        subprocess.run([*edubrain, "demo"], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "edubrain.settings")
    import django

    django.setup()
    from edubrain.accounts.models import User
    from edubrain.imports.datasets import DATASETS
    from edubrain.imports.workbook import frame_bytes

    admin = User.objects.get(username="admin")
    config = DATASETS["students"]
    start = time.perf_counter()
    frame = config.masked_for(admin, config.export_frame(admin))
    built = time.perf_counter() - start
    print(f"学生导出：{frame.height:,} 行 × {frame.width} 列，取数 {built:.2f} 秒")
    for fmt in ("xlsx", "csv"):
        start = time.perf_counter()
        size = len(frame_bytes(frame, fmt, sheet=config.label))
        print(f"  写 {fmt}：{time.perf_counter() - start:.2f} 秒（{size / 1e6:.1f} MB）")
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
