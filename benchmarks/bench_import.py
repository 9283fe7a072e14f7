"""Import benchmark: a generated 100,000-row student xlsx imported end to end (read, validate, write).

    .venv/bin/python benchmarks/bench_import.py [--rows 100000] [--keep]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/edubrain_bench .venv/bin/python benchmarks/bench_import.py

Uses a fresh database: SQLite in a temporary directory, or the PostgreSQL database in DATABASE_URL (created
if missing, flushed by ``migrate``'s fresh state is NOT assumed: the bench's county and school are its own).
Prints seconds and rows/second for reading+validating (preview) and writing (commit).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path


def generate(path: Path, rows: int, school_code: str) -> None:
    from openpyxl import Workbook

    from edubrain.core.ids import id_check_digit

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("学生")
    ws.append(["学校标识码", "学籍号", "身份证号", "姓名", "性别", "出生日期", "民族", "家庭住址"])
    for i in range(rows):
        born = dt.date(2012, 1, 1) + dt.timedelta(days=i % 2000)
        first17 = f"{379800 + i // 1000:06d}{born:%Y%m%d}{i % 1000:03d}"
        number = first17 + id_check_digit(first17)
        sex = "男" if int(number[16]) % 2 else "女"
        ws.append(
            [school_code, f"G{number}", number, f"测试生{i}", sex, born.isoformat(), "汉族", f"测试路{i}号"]
        )
    wb.save(path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="edubrain-bench-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}")
    os.environ["EDUBRAIN_VAR"] = str(tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "edubrain.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from edubrain.base.orgtree import OrgKind, OrgUnit
    from edubrain.imports import services
    from edubrain.registry.models import School, Student

    county, _ = OrgUnit.objects.get_or_create(kind=OrgKind.COUNTY, name="基准县", division_code="379800")
    town, _ = OrgUnit.objects.get_or_create(kind=OrgKind.TOWN, name="基准镇", parent=county)
    school = School.objects.filter(code="3798000001").first() or School.objects.create(
        code="3798000001", name="基准中学", school_type="junior", town=town
    )
    Student.objects.filter(school=school).delete()
    path = tmp / "students.xlsx"
    started = time.perf_counter()
    generate(path, args.rows, school.code)
    print(
        f"生成 {args.rows:,} 行 xlsx：{time.perf_counter() - started:.1f} s"
        f"（{path.stat().st_size / 1e6:.1f} MB）"
    )

    t0 = time.perf_counter()
    batch = services.create_batch(None, "students", path, path.name)
    batch = services.preview(batch)
    t1 = time.perf_counter()
    batch = services.commit(batch, None, only_valid=False)
    t2 = time.perf_counter()
    vendor = django.db.connection.vendor
    print(
        f"[{vendor}] 预检（读取+校验+比对）{t1 - t0:.1f} s；写入 {t2 - t1:.1f} s；合计 {t2 - t0:.1f} s；"
        f"{args.rows / (t2 - t0):,.0f} 行/秒；状态 {batch.status} 新增 {batch.new} 有误 {batch.invalid}"
        f" {batch.message}"
    )
    t3 = time.perf_counter()
    again = services.preview(services.create_batch(None, "students", path, path.name))
    print(
        f"[{vendor}] 重复导入预检 {time.perf_counter() - t3:.1f} s：新增 {again.new} 无变化 {again.unchanged}"
    )
    Student.objects.filter(school=school).delete()
    sys.exit(0 if batch.status == "committed" else 1)


if __name__ == "__main__":
    main()
