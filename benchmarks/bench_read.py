"""Read + validate a generated 100,000-row student xlsx with the pure core (no database).

Run: .venv/bin/python benchmarks/bench_read.py [ROWS]
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

import xlsxwriter

from edubrain.core.frames import Column, Dataset, validate_sheets
from edubrain.core.ids import id_check_digit
from edubrain.core.io import read_file

NATIONS = {"01": "汉族", "02": "蒙古族", "03": "回族", "04": "藏族", "05": "维吾尔族", "06": "苗族"}
GRADES = {"11": "一年级", "12": "二年级", "13": "三年级", "14": "四年级", "15": "五年级", "16": "六年级"}
STUDENTS = Dataset(
    name="students",
    label="学生",
    columns=(
        Column("school_code", "学校标识码", kind="school_code", required=True),
        Column("student_number", "学籍号", kind="student_number", required=True),
        Column("id_number", "身份证号", kind="id_number"),
        Column("name", "姓名", required=True, max_length=30),
        Column("sex", "性别", kind="sex", required=True),
        Column("birth_date", "出生日期", kind="date", required=True, min=1990),
        Column(
            "nation",
            "民族",
            kind="code",
            codes={**{k: k for k in NATIONS}, **{v: k for k, v in NATIONS.items()}},
        ),
        Column(
            "grade",
            "年级",
            kind="code",
            codes={**{k: k for k in GRADES}, **{v: k for k, v in GRADES.items()}},
        ),
        Column("class_no", "班号", kind="int", min=1, max=99),
        Column("height", "身高", kind="decimal", min=80, max=220, unit="cm"),
        Column("enrolled", "入学日期", kind="date"),
    ),
    key=("student_number",),
)


def write_students(path: Path, rows: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("学生名册")
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, ["沂源县2024年学生名册"])
    ws.write_row(2, 0, [c.header for c in STUDENTS.columns])
    for i in range(rows):
        born = dt.date(2010, 1, 1) + dt.timedelta(days=rng.randrange(3650))
        first17 = f"3703{i // 1000 % 100:02d}{born:%Y%m%d}{i % 1000:03d}"
        id_number = first17 + id_check_digit(first17)
        grade = rng.choice(list(GRADES))
        r = i + 3
        ws.write_string(r, 0, f"37032{i % 100:05d}")
        ws.write_string(r, 1, "G" + id_number if i % 3 else f"L{i:018d}")
        ws.write_string(r, 2, id_number)
        ws.write_string(r, 3, "张" + "三四五六七"[i % 5] + "明"[: i % 2])
        ws.write_string(r, 4, "男女"[i % 2])
        ws.write_datetime(r, 5, dt.datetime.combine(born, dt.time()), date_fmt)
        ws.write_string(r, 6, NATIONS[rng.choice(list(NATIONS))])
        ws.write_string(r, 7, GRADES[grade])
        ws.write_number(r, 8, rng.randrange(1, 12))
        ws.write_number(r, 9, round(rng.uniform(110, 180), 1))
        ws.write_string(r, 10, "2021.9.1")
    wb.close()


def main(rows: int = 100_000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "students.xlsx"
        started = time.perf_counter()
        write_students(path, rows)
        print(
            f"generated {rows:,} rows ({path.stat().st_size / 1e6:.1f} MB) "
            f"in {time.perf_counter() - started:.2f} s"
        )
        started = time.perf_counter()
        sheets = read_file(path, header_hint=STUDENTS.header_hint())
        read_s = time.perf_counter() - started
        started = time.perf_counter()
        result = validate_sheets(sheets, STUDENTS, file_name=path.name)
        validate_s = time.perf_counter() - started
    total = read_s + validate_s
    print(f"read_file: {read_s:.2f} s ({rows / read_s:,.0f} rows/s)")
    print(f"validate:  {validate_s:.2f} s ({rows / validate_s:,.0f} rows/s)")
    print(
        f"total:     {total:.2f} s ({rows / total:,.0f} rows/s); valid {result.rows.height:,}, "
        f"errors {result.errors.height:,}"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
