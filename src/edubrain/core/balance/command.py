"""``edubrain balance evaluate INPUT -o OUTPUT.xlsx``: the 优质均衡 资源配置 test on a file (standards.md §1).

Needs no database, no server and no Django settings: it reads one row per school and stage (see
``core.balance.layout``; xlsx, xls or csv in UTF-8/GBK), computes the seven indicators per school, the
per-school pass and the pupil-weighted 差异系数 per stage and indicator, and writes the sheets 学校达标 and
差异系数 to OUTPUT (.xlsx only: two sheets). Exit status 0 when the output was written (schools or
coefficients that could not be evaluated are explained in 备注), 2 with ``错误：…`` on stderr when the input
cannot be read, lacks required columns, or the output cannot be written.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from edubrain.core.balance.indicators import BalanceOptions
from edubrain.core.balance.layout import (
    INPUT_COLUMNS,
    BalanceInputError,
    evaluate_file_frame,
    missing_columns,
)
from edubrain.core.errors import CoreError
from edubrain.core.io.readers import Sheet, read_file
from edubrain.core.io.writers import WriteError, write_tables

USAGE = "edubrain balance evaluate INPUT -o OUTPUT.xlsx [--sheet NAME] [--json]"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="edubrain balance evaluate",
        description="按《县域义务教育优质均衡发展督导评估办法》评估资源配置：读取学校数据（xlsx/xls/csv，每校每学段一行），"
        "输出“学校达标”（七项指标值、各项是否达标、达标指标数、是否达标）和“差异系数”（分学段、分指标，"
        "按在校生数加权）两个工作表。无需数据库或服务器。",
    )
    p.add_argument("input", help="输入文件：" + "、".join(INPUT_COLUMNS))
    p.add_argument("-o", "--output", required=True, help="输出文件，扩展名 .xlsx（两个工作表）")
    p.add_argument("--sheet", help="只读取这个工作表（默认：第一个含全部必需列的工作表）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出统计")
    return p


def summary(counts: Mapping[str, int]) -> str:
    c = counts.get
    return (
        f"共评估 {c('schools', 0)} 个学校学段：达标 {c('passing', 0)}，未达标 {c('failing', 0)}，"
        f"不可评估 {c('not_evaluable', 0)}；差异系数 {c('cv_rows', 0)} 项，"
        f"超过限值 {c('cv_over_limit', 0)} 项，"
        f"不可评估 {c('cv_not_evaluable', 0)} 项，接近限值 {c('cv_near_limit', 0)} 项（原因见“备注”列）。"
    )


def _choose(sheets: list[Sheet], label: str) -> Sheet:
    """The first sheet with every required column; else the error names the columns the closest lacks."""
    best = min(sheets, key=lambda s: len(missing_columns(s.headers)))
    missing = missing_columns(best.headers)
    if missing:
        where = f"（工作表“{best.name}”）" if best.name else ""
        raise BalanceInputError(
            "balance.columns", f"文件“{label}”{where}缺少必需的列：{'、'.join(missing)}，无法评估"
        )
    return best


def evaluate_command(argv: list[str], stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr) -> int:
    args = parser().parse_args(argv)
    started = time.perf_counter()
    label = Path(args.input).name
    try:
        if Path(args.output).suffix.lower() != ".xlsx":
            raise WriteError(
                "write.format",
                f"输出文件“{Path(args.output).name}”的扩展名应为 .xlsx："
                "结果有“学校达标”和“差异系数”两个工作表，CSV 只能保存一个表",
            )
        sheets = read_file(args.input, sheet=args.sheet, header_hint=INPUT_COLUMNS)
        chosen = _choose(sheets, label)
        result = evaluate_file_frame(chosen.frame, label, BalanceOptions())
        write_tables(result.sheets, args.output)
    except CoreError as exc:
        stderr.write(f"错误：{exc.message}\n")
        return 2
    seconds = time.perf_counter() - started
    if args.json:
        record = {"output": args.output, "seconds": round(seconds, 3), **result.counts}
        stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    else:
        stdout.write(f"{summary(result.counts)}\n结果已写入 {args.output}（{seconds:.1f} 秒）\n")
    return 0
