"""``edubrain summary [--year Y] [--json] [--user NAME]``: the home page's headline figures for a year."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from edubrain.registry.models import SchoolYear
from edubrain.registry.queries import summary

# The whole database, as a command run by the operator of the machine sees it.
SYSTEM = SimpleNamespace(is_authenticated=True, is_active=True, is_superuser=True)


class Command(BaseCommand):
    help = "打印某学年的概况：学校数（分类型）、各学段在校生、专任教师"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, help="学年起始年份，如 2024 表示 2024—2025学年；默认最近学年")
        parser.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
        parser.add_argument("--user", help="按该用户的数据范围统计（默认：全部数据）")

    def handle(self, *args: Any, **opts: Any) -> None:
        viewer: Any = SYSTEM
        if opts["user"]:
            viewer = get_user_model().objects.filter(username=opts["user"]).first()
            if viewer is None:
                raise CommandError(f"用户“{opts['user']}”不存在")
        year = opts["year"]
        if year is not None and not SchoolYear.objects.filter(start_year=year).exists():
            known = "、".join(str(y) for y in SchoolYear.objects.values_list("start_year", flat=True)) or "无"
            raise CommandError(f"没有 {year} 学年的数据（已有学年：{known}）")
        figures = summary(viewer, year)
        if opts["json"]:
            self.stdout.write(json.dumps(figures, ensure_ascii=False))
            return
        self.stdout.write(self._text(figures))

    @staticmethod
    def _text(f: dict[str, Any]) -> str:
        if f["year"] is None:
            return "数据库中还没有学年数据。先运行 edubrain demo 生成演示数据，或导入数据。"
        lines = [
            f"{f['year']}—{f['year'] + 1}学年 概况",
            f"  学校（含幼儿园）  {f['schools']:>8,} 所",
        ]
        lines += [f"    {label:<12}{n:>8,}" for label, n in f["schools_by_type"].items()]
        lines += [
            f"  学前教育在园幼儿  {f['kindergarten']:>8,} 人",
            f"  义务教育在校生    {f['compulsory']:>8,} 人",
            f"  高中阶段在校生    {f['upper_secondary']:>8,} 人",
            f"    其中：中职      {f['vocational']:>8,} 人",
            f"  专任教师          {f['teachers']:>8,} 人",
        ]
        return "\n".join(lines)
