"""The ``edubrain`` command: product commands plus every Django management command.

edubrain serve [ADDR:PORT]     run the web server (default 127.0.0.1:8000)
edubrain demo [--seed N]       build the demo county in the configured database
edubrain summary [--year Y] [--json]
edubrain fitness score INPUT -o OUTPUT   体质健康标准评分 (no database needed)
edubrain fitness rescore                 recompute stored fitness scores
edubrain vision classify INPUT -o OUTPUT 视力筛查近视判定 (no database needed)
edubrain plan parse PLAN -o plan.json    规划解析 to the plan JSON (no database needed)
edubrain balance evaluate INPUT -o OUTPUT.xlsx  优质均衡资源配置评估与差异系数 (no database needed)
edubrain enrollment lottery FILE.json    重新计算公布的电脑派位并与公布结果比对 (no database needed)
edubrain work daily [--date D]           工作推进 reminders and the e-mail digest
edubrain report annual|fitness|vision --year Y -o FILE.docx|.pdf   年度监测评估报告、体质/近视通报
edubrain report annex --year Y -o FILE.xlsx                     报告数据附件
edubrain migrate / createsuperuser / …   passed through to Django
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:2] == ["fitness", "score"]:  # standards commands work on a file without Django or a database
        from edubrain.core.fitness.command import score_command

        sys.exit(score_command(args[2:]))
    if args[:2] == ["vision", "classify"]:  # screening file in, classified file out: no Django either
        from edubrain.core.vision.command import classify_command

        sys.exit(classify_command(args[2:]))
    if args[:2] == ["plan", "parse"]:  # a plan document to JSON, no Django or database either
        from edubrain.core.plan.command import parse_command

        sys.exit(parse_command(args[2:]))
    if args[:2] == ["balance", "evaluate"]:  # school data in, two result sheets out: no Django either
        from edubrain.core.balance.command import evaluate_command

        sys.exit(evaluate_command(args[2:]))
    if args[:2] == ["enrollment", "lottery"]:  # a published draw re-run from its own inputs: no Django either
        from edubrain.core.enrollment.lottery import lottery_command

        sys.exit(lottery_command(args[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "edubrain.settings")
    from django.core.management import execute_from_command_line

    if not args:
        args = ["help"]
    if args[0] == "serve":
        args = ["serve", *args[1:]]
    execute_from_command_line(["edubrain", *args])


if __name__ == "__main__":
    main()
