"""Benchmark: the 工作推进 pages, exports and the daily job on the full demo county, then on a register
grown to a city's size.

    .venv/bin/python benchmarks/bench_work.py            # fresh SQLite file in a temporary directory
    DATABASE_URL=postgres://…/edubrain_bench .venv/bin/python benchmarks/bench_work.py

Builds the demo county (seed 2021, scale 1.0), then times each page as the bureau administrator through the
Django test client (median of 3, server-side time), `edubrain work daily` (reminders + digest, e-mail to
memory), and — inside a transaction rolled back at the end — the 整改台账, its xlsx export and the overview
with the findings multiplied to FINDINGS rows (a city of ~15 counties doing 一月一排查 for a year).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
FINDINGS = 50_000


def timed(call, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def probe() -> None:
    import django

    django.setup()
    import datetime as dt
    import random

    from django.db import transaction
    from django.test import Client
    from django.test.utils import override_settings

    from edubrain.accounts.models import User
    from edubrain.work import daily
    from edubrain.work.models import Finding, ProgressReport, ReportingCycle

    admin = User.objects.get(username="admin")
    client = Client()
    client.force_login(admin)
    cycle = ReportingCycle.objects.filter(status="open").order_by("period_start").first()
    busiest = (
        ProgressReport.objects.filter(cycle=cycle)
        .values_list("org_unit_id", flat=True)
        .order_by("org_unit_id")
    )
    unit = max(set(busiest), key=list(busiest).count)
    pages = [
        ("概览 /work/", "/work/"),
        ("任务进展 /work/tasks/", "/work/tasks/"),
        ("填报周期 /work/cycles/", "/work/cycles/"),
        ("本期填报 /work/cycles/<id>/", f"/work/cycles/{cycle.pk}/"),
        ("任务进展台账 xlsx", f"/work/cycles/{cycle.pk}/export.xlsx"),
        ("单位一页纸 PDF（县教育和体育局）", f"/work/units/{unit}/summary.pdf?cycle={cycle.pk}"),
        ("重点项目 /work/projects/", "/work/projects/"),
        ("督导检查 /work/inspections/", "/work/inspections/"),
        ("整改台账 /work/findings/", "/work/findings/"),
        ("整改台账 xlsx", "/work/findings/export.xlsx"),
    ]

    def get(url: str):
        def call() -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return call

    reports, findings = ProgressReport.objects.count(), Finding.objects.count()
    print(f"全县演示数据：进展报告 {reports:,} 份，整改问题 {findings:,} 项")
    for label, url in pages:
        print(f"  {label}: {timed(get(url)) * 1000:.0f} ms")
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
        transaction.atomic(),
    ):
        today = dt.date(2026, 11, 29)
        started = time.perf_counter()
        written = daily.remind(today)
        mails = daily.digest(today)
        print(f"  edubrain work daily: {time.perf_counter() - started:.2f} s（{written}；{mails}）")
        transaction.set_rollback(True)
    with transaction.atomic():
        rng = random.Random(1)
        model = list(Finding.objects.values()[:200])
        units = list({f.org_unit_id for f in Finding.objects.all()} | {admin.org_unit_id})
        copies = []
        for i in range(FINDINGS - Finding.objects.count()):
            row = {**model[i % len(model)], "id": None, "org_unit_id": rng.choice(units)}
            row["deadline"] -= dt.timedelta(days=rng.randint(0, 300))
            copies.append(Finding(**row))
        started = time.perf_counter()
        Finding.objects.bulk_create(copies, batch_size=5000)
        print(f"整改问题扩充到 {Finding.objects.count():,} 项（写入 {time.perf_counter() - started:.1f} s）")
        for label, url in [
            ("概览 /work/", "/work/"),
            ("整改台账 /work/findings/", "/work/findings/"),
            ("整改台账 逾期 /work/findings/?overdue=1", "/work/findings/?overdue=1"),
            ("整改台账 xlsx", "/work/findings/export.xlsx"),
            ("督导检查 /work/inspections/", "/work/inspections/"),
        ]:
            print(f"  {label}: {timed(get(url)) * 1000:.0f} ms")
        transaction.set_rollback(True)


def main() -> int:
    if "--probe" in sys.argv:
        probe()
        return 0
    env = dict(os.environ)
    tmp = None
    if "DATABASE_URL" not in env:
        tmp = tempfile.TemporaryDirectory(prefix="edubrain-bench-")
        env["DATABASE_URL"] = f"sqlite:///{Path(tmp.name) / 'bench.sqlite3'}"
    env.setdefault("DJANGO_SETTINGS_MODULE", "edubrain.settings")
    edubrain = [str(BIN / "edubrain")]
    if "--keep" not in sys.argv:
        subprocess.run([*edubrain, "migrate", "-v0"], check=True, env=env, cwd=ROOT)
        subprocess.run(
            [*edubrain, "demo", "--reset"], check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL
        )
    engine = "PostgreSQL" if env["DATABASE_URL"].startswith("postgres") else "SQLite"
    print(f"工作推进基准（{engine}，服务端时间，3 次取中位数）")
    subprocess.run([sys.executable, __file__, "--probe"], check=True, env=env, cwd=ROOT)
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
