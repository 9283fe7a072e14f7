"""``edubrain vision reclassify [--year Y]``: recompute the stored classification of the screenings (after a
change of the classification settings, or for rows stored before classification existed). The file command
``edubrain vision classify`` needs no database and is dispatched before Django (``edubrain.cli``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from edubrain.vision.followups import sync_followups
from edubrain.vision.models import VisionScreening
from edubrain.vision.services import reclassify


class Command(BaseCommand):
    help = "视力筛查：reclassify 按当前设置重新计算库中已存筛查记录的近视分类与预警等级"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        again = sub.add_parser("reclassify", help="按当前设置重新计算库中已存的视力筛查分类")
        again.add_argument("--year", type=int, help="只重算该学年（起始年份，如 2024）")
        follow = sub.add_parser("followups", help="按库中筛查记录开启或替代视力预警随访（导入后会自动进行）")
        follow.add_argument("--date", type=dt.date.fromisoformat, help="按该日期计算（默认今天）")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "followups":
            done = sync_followups(today=opts["date"])
            self.stdout.write(f"新开视力预警随访 {done['opened']} 条，由新筛查替代 {done['superseded']} 条")
            return
        qs = VisionScreening._base_manager.all()
        if opts["year"]:
            qs = qs.filter(school_year__start_year=opts["year"])
        count = reclassify(qs)
        self.stdout.write(f"已重新计算 {count} 条视力筛查记录的分类")
        done = sync_followups()
        if done["opened"] or done["superseded"]:
            self.stdout.write(f"新开视力预警随访 {done['opened']} 条，由新筛查替代 {done['superseded']} 条")
