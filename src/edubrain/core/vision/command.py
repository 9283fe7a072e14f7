"""``edubrain vision classify INPUT -o OUTPUT``: classify a screening file (筛查性近视, 近视程度, 近视前期,
预警等级) by standards.md §5.

Needs no database, no server and no Django settings: it reads the file (xlsx, xls or csv in UTF-8/GBK),
classifies every row with the pure core and writes the same rows plus the result columns (see
``core.vision.layout``) to OUTPUT — csv or xlsx by its extension. Exit status 0 when the output was written
(rows that could not be classified are explained in 备注), 2 when the input cannot be read or the output
cannot be written.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from typing import TextIO

from edubrain.core.io.sheet_command import run_sheets
from edubrain.core.vision.classify import VisionOptions
from edubrain.core.vision.layout import classify_sheet, screening_dataset

USAGE = "edubrain vision classify INPUT -o OUTPUT [--sheet NAME] [--strict-boundary] [--json]"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="edubrain vision classify",
        description="按《中小学生屈光不正筛查规范》（WS/T 663-2020）判定筛查性近视："
        "读取筛查文件（xlsx/xls/csv），输出原有各行并追加等效球镜、筛查性近视、近视程度、近视前期、预警等级和备注。无需数据库或服务器。",
    )
    p.add_argument("input", help="输入文件（视力筛查数据，或国家学生体质健康标准上报文件）")
    p.add_argument("-o", "--output", required=True, help="输出文件，扩展名 .csv 或 .xlsx")
    p.add_argument("--sheet", help="只处理这个工作表（默认：所有含表头的工作表）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出统计")
    p.add_argument(
        "--strict-boundary",
        action="store_true",
        help="等效球镜须小于−0.50D才判为近视（默认：小于或等于−0.50D，即−0.50D判为近视）",
    )
    return p


def summary(totals: Mapping[str, int]) -> str:
    t = totals.get
    return (
        f"共 {t('rows', 0)} 行：已判定 {t('classified', 0)}，其中筛查性近视 {t('myopic', 0)}"
        f"（低度 {t('低度', 0)}、中度 {t('中度', 0)}、高度 {t('高度', 0)}），"
        f"近视前期 {t('pre_myopia', 0)}；"
        f"预警 1级 {t('预警1级', 0)}、2级 {t('预警2级', 0)}、3级 {t('预警3级', 0)}；"
        f"数据有误 {t('invalid', 0)}（原因见“备注”列）。"
    )


def classify_command(argv: list[str], stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr) -> int:
    args = parser().parse_args(argv)
    options = VisionOptions(myopia_comparator="<" if args.strict_boundary else "<=")
    return run_sheets(
        args.input,
        args.output,
        sheet=args.sheet,
        header_hint=screening_dataset().header_hint(),
        transform=lambda s: classify_sheet(s, file_name=args.input, options=options),
        describe=summary,
        as_json=args.json,
        stdout=stdout,
        stderr=stderr,
    )
