"""Load benchmark of 义务教育入学网上办: 200 parents applying and polling their status for 2 minutes.

    .venv/bin/pip install -e ".[bench]"                       # locust and gunicorn (once)
    .venv/bin/python benchmarks/bench_admission_load.py       # SQLite file under /tmp (built once, reused)
    .venv/bin/python benchmarks/bench_admission_load.py --database-url postgres://postgres@127.0.0.1:5432/eb_load

Builds the demo county (seed 2021, scale 1.0; it has an open 2027 小学一年级 round) into the database unless
it is already there (``--rebuild`` to start afresh), starts the server as a subprocess — gunicorn
(``edubrain.wsgi``, ``--workers`` × ``--threads``) if installed, else ``edubrain serve`` — with text messages
written to a file (``EDUBRAIN_SMS_BACKEND=file``), and runs locust headless (benchmarks/
locustfile_admission.py: ``--users`` parents spawned at ``--spawn-rate`` per second for ``--minutes``; each
signs in with a code read from the SMS file, submits one application with a PNG 户口本 photo and polls its
status page every 2–5 s). Prints per page: requests, failures, median, p95, max (ms), then the overall p95
and the error count; writes the summary to /tmp/bench_admission_load.json. Exit 1 if any request failed.
Run on demand only (never in the test suite); figures are quoted in the README (网上招生).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LOCUSTFILE = Path(__file__).resolve().parent / "locustfile_admission.py"
SUMMARY = Path("/tmp/bench_admission_load.json")
DEFAULT_SQLITE = Path("/tmp/bench_admission_load.sqlite3")
SERVER_LOG = Path("/tmp/bench_admission_load_server.log")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="网上招生压力测试（locust）")
    parser.add_argument("--database-url", default="", help=f"默认 SQLite 文件 {DEFAULT_SQLITE}")
    parser.add_argument("--rebuild", action="store_true", help="重建演示数据库")
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--spawn-rate", type=float, default=20.0)
    parser.add_argument("--minutes", type=float, default=2.0)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 2) * 2 + 1)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=0, help="默认自动选择空闲端口")
    parser.add_argument("--scale", type=float, default=1.0, help="演示县规模（默认全县 1.0）")
    return parser.parse_args(argv)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare_database(env: dict[str, str], rebuild: bool, scale: float) -> None:
    """Migrate, then build the demo unless its county is already there (or rebuild it)."""
    edubrain = str(BIN / "edubrain")
    subprocess.run([edubrain, "migrate", "-v0"], check=True, env=env, cwd=ROOT)
    command = [edubrain, "demo", "--scale", str(scale)] + (["--reset"] if rebuild else [])
    built = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    if built.returncode == 0:
        print(next((line for line in built.stdout.splitlines() if "网上招生" in line), "演示数据已生成"))
    elif "已有" in built.stderr + built.stdout:
        print("沿用数据库中已有的演示数据（--rebuild 可重建）")
    else:
        sys.stderr.write(built.stdout + built.stderr)
        raise SystemExit("演示数据生成失败")


def start_server(env: dict[str, str], port: int, workers: int, threads: int) -> tuple[subprocess.Popen, str]:
    gunicorn = BIN / "gunicorn"
    if gunicorn.exists() or shutil.which("gunicorn"):
        command = [
            str(gunicorn if gunicorn.exists() else shutil.which("gunicorn")),
            "edubrain.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--worker-class",
            "gthread",
            "--timeout",
            "120",
            "--keep-alive",  # like a reverse proxy's idle timeout: parents poll every 2–5 s on one connection
            "75",
            "--log-level",
            "warning",
        ]
        label = f"gunicorn（{workers} 进程 × {threads} 线程）"
    else:
        command = [str(BIN / "edubrain"), "serve", f"127.0.0.1:{port}"]
        label = "edubrain serve（Django 开发服务器，多线程）"
    log = open(SERVER_LOG, "w")  # noqa: SIM115 — closed with the process
    server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/enroll/", timeout=5) as response:
                if response.status == 200:
                    return server, label
        except OSError:
            time.sleep(0.5)
        if server.poll() is not None:
            break
    server.terminate()
    raise SystemExit(f"服务器未能启动，见 {log.name}")


def warm_up(port: int, workers: int) -> None:
    """A few requests per worker first, so that the measured run does not time the workers' imports."""
    for _ in range(workers * 3):
        for path in ("/enroll/", "/enroll/login/"):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
                response.read()


def run_locust(env: dict[str, str], host: str, args: argparse.Namespace, prefix: Path) -> int:
    locust = BIN / "locust"
    if not locust.exists():
        raise SystemExit('未安装 locust：请先运行 .venv/bin/pip install -e ".[bench]"')
    command = [
        str(locust),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--host",
        host,
        "--users",
        str(args.users),
        "--spawn-rate",
        str(args.spawn_rate),
        "--run-time",
        f"{int(args.minutes * 60)}s",
        "--stop-timeout",
        "10",
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    return subprocess.run(command, env=env, cwd=ROOT).returncode


def read_stats(prefix: Path) -> tuple[list[dict], dict, list[dict]]:
    """Per-page rows, the aggregated row and the failures from locust's CSV files."""

    def number(value: str) -> float:
        return float(value) if value not in ("", "N/A") else 0.0

    pages, total = [], {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            item = {
                "page": row["Name"],
                "method": row["Type"],
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "median_ms": number(row["Median Response Time"]),
                "p95_ms": number(row["95%"]),
                "max_ms": number(row["Max Response Time"]),
                "rps": round(number(row["Requests/s"]), 1),
            }
            if row["Name"] == "Aggregated":
                total = item
            else:
                pages.append(item)
    failures = []
    path = Path(f"{prefix}_failures.csv")
    if path.exists():
        with open(path, encoding="utf-8") as fh:
            failures = [
                {"page": r["Name"], "error": r["Error"], "occurrences": int(r["Occurrences"])}
                for r in csv.DictReader(fh)
            ]
    return sorted(pages, key=lambda p: p["page"]), total, failures


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="edubrain-load-"))
    env = dict(os.environ)
    env["DATABASE_URL"] = args.database_url or f"sqlite:///{DEFAULT_SQLITE}"
    env["EDUBRAIN_VAR"] = str(work / "var")
    Path(env["EDUBRAIN_VAR"]).mkdir(parents=True)
    sms_file = work / "sms.log"
    env |= {
        "EDUBRAIN_SMS_BACKEND": "file",
        "EDUBRAIN_SMS_FILE": str(sms_file),
        "EDUBRAIN_ADMISSION_SUBMITS_PER_WINDOW": "1000",  # each parent has its own phone anyway
        "BENCH_SMS_FILE": str(sms_file),
        "BENCH_RUN": str(secrets.randbelow(1000)),  # phones and 身份证号 of this run
        "DEBUG": "0",
        "SECRET_KEY": env.get("SECRET_KEY") or secrets.token_urlsafe(50),  # one key for every worker
        "PYTHONPATH": str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", ""),
        # persistent database connections, as production runs behind gunicorn (0 = one per request)
        "CONN_MAX_AGE": env.get("CONN_MAX_AGE") or "60",
    }
    engine = "PostgreSQL" if env["DATABASE_URL"].startswith("postgres") else "SQLite"
    prepare_database(env, args.rebuild, args.scale)
    port = args.port or free_port()
    server, label = start_server(env, port, args.workers, args.threads)
    warm_up(port, args.workers)
    print(
        f"服务器：{label}，数据库 {engine}（CONN_MAX_AGE={env['CONN_MAX_AGE']}）；{args.users} 位家长，"
        f"每秒新增 {args.spawn_rate:g} 位，{args.minutes:g} 分钟"
    )
    started = dt.datetime.now().astimezone()
    try:
        code = run_locust(env, f"http://127.0.0.1:{port}", args, work / "locust")
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    pages, total, failures = read_stats(work / "locust")
    print(f"\n{'页面':<24}{'请求':>8}{'失败':>6}{'中位数ms':>10}{'p95 ms':>9}{'最大ms':>9}")
    for p in pages:
        print(
            f"{p['page']:<24}{p['requests']:>8}{p['failures']:>6}{p['median_ms']:>10.0f}"
            f"{p['p95_ms']:>9.0f}{p['max_ms']:>9.0f}"
        )
    errors = int(total.get("failures", 0))
    print(
        f"合计 {total.get('requests', 0)} 次请求（{total.get('rps', 0)} 次/秒），总体 p95 "
        f"{total.get('p95_ms', 0):.0f} ms，错误 {errors} 次"
    )
    for f in failures[:10]:
        print(f"  失败：{f['page']} × {f['occurrences']}：{f['error'][:200]}")
    summary = {
        "date": started.isoformat(timespec="seconds"),
        "machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} CPU",
        "database": engine,
        "server": label,
        "users": args.users,
        "spawn_rate": args.spawn_rate,
        "minutes": args.minutes,
        "pages": pages,
        "total": total,
        "p95_ms": total.get("p95_ms"),
        "errors": errors,
        "failures": failures,
        "locust_exit": code,
    }
    SUMMARY.write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"结果已写入 {SUMMARY}")
    shutil.rmtree(work, ignore_errors=True)
    return 0 if errors == 0 and code == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
