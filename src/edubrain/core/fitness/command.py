"""``edubrain fitness score INPUT -o OUTPUT``: score a file in the national upload layout by the 2014
standard.

Needs no database, no server and no Django settings: it reads the file (xlsx, xls or csv in UTF-8/GBK),
scores every row with the pure core and writes the same rows plus the result columns (see
``core.fitness.layout``) to OUTPUT — csv or xlsx by its extension. Exit status 0 when the output was
written (rows that could not be scored are explained in 备注), 2 when the input cannot be read or the
output cannot be written.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from typing import TextIO

from edubrain.core.fitness.layout import score_sheet, scoring_dataset
from edubrain.core.fitness.scoring import ScoringOptions
from edubrain.core.io.sheet_command import run_sheets

USAGE = "edubrain fitness score INPUT -o OUTPUT [--sheet NAME] [--json]"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="edubrain fitness score",
        description="按《国家学生体质健康标准（2014年修订）》计算成绩：读取上报格式文件（xlsx/xls/csv），"
        "输出原有各行并追加各项得分、等级、标准分、附加分、总分、总分等级和备注。无需数据库或服务器。",
    )
    p.add_argument("input", help="输入文件（国家学生体质健康标准数据上报格式）")
    p.add_argument("-o", "--output", required=True, help="输出文件，扩展名 .csv 或 .xlsx")
    p.add_argument("--sheet", help="只处理这个工作表（默认：所有含表头的工作表）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出统计")
    p.add_argument(
        "--bmi-unrounded", action="store_true", help="体重指数不先四舍五入到0.1再分档（默认先四舍五入）"
    )
    p.add_argument(
        "--rate-exact",
        action="store_true",
        help="按未四舍五入的总分评定等级（默认按四舍五入到0.1的总分，89.95为优秀）",
    )
    return p


def summary(totals: Mapping[str, int]) -> str:
    t = totals.get
    return (
        f"共 {t('rows', 0)} 行：已评分 {t('scored', 0)}（优秀 {t('优秀', 0)}、良好 {t('良好', 0)}、"
        f"及格 {t('及格', 0)}、不及格 {t('不及格', 0)}），"
        f"免测 {t('exempt', 0)}，缺项 {t('incomplete', 0)}，"
        f"数据有误 {t('invalid', 0)}（原因见“备注”列）。"
    )


def score_command(argv: list[str], stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr) -> int:
    args = parser().parse_args(argv)
    options = ScoringOptions(bmi_half_up=not args.bmi_unrounded, rate_rounded=not args.rate_exact)
    return run_sheets(
        args.input,
        args.output,
        sheet=args.sheet,
        header_hint=scoring_dataset().header_hint(),
        transform=lambda s: score_sheet(s, file_name=args.input, options=options),
        describe=summary,
        as_json=args.json,
        stdout=stdout,
        stderr=stderr,
    )
