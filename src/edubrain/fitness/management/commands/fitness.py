"""``edubrain fitness score INPUT -o OUTPUT`` (no database: ``edubrain.core.fitness.command``) and
``edubrain fitness rescore [--year Y]``: recompute the stored scores after a change of the scoring
settings."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from edubrain.fitness.models import FitnessMeasurement
from edubrain.fitness.services import rescore


class Command(BaseCommand):
    help = "体质健康：score 为上报格式文件评分（无需数据库）；rescore 重新计算库中已存成绩"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        score = sub.add_parser("score", help="为上报格式文件评分，输出 csv 或 xlsx")
        score.add_argument("args", nargs="*")
        again = sub.add_parser("rescore", help="按当前设置重新计算库中已存的体质测试成绩")
        again.add_argument("--year", type=int, help="只重算该学年（起始年份，如 2024）")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "score":
            from edubrain.core.fitness.command import score_command

            code = score_command(list(opts["args"]), self.stdout, self.stderr)
            if code:
                raise CommandError("评分未完成", returncode=code)
            return
        qs = FitnessMeasurement._base_manager.all()
        if opts["year"]:
            qs = qs.filter(school_year__start_year=opts["year"])
        count = rescore(qs)
        self.stdout.write(f"已重新计算 {count} 条体质测试成绩")
