"""``edubrain work daily [--date YYYY-MM-DD] [--no-email]``: the day's deadline and overdue reminders
(站内通知), then the e-mail digest; ``edubrain work digest``: only the digest. Run it once a day (cron)."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from edubrain.work.daily import digest, remind


def day(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{raw}”无效，应为 年-月-日，如 2025-09-01") from None


class Command(BaseCommand):
    help = "工作推进：daily 生成到期与逾期提醒并发送每日邮件摘要；digest 只发送邮件摘要"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        daily = sub.add_parser("daily", help="生成即将到期、已逾期提醒（同一事项只提醒一次），并发送邮件摘要")
        daily.add_argument("--date", type=day, help="按该日期计算（默认今天），如 2025-09-01")
        daily.add_argument("--no-email", action="store_true", help="只生成站内通知，不发送邮件摘要")
        mail = sub.add_parser("digest", help="向有邮箱的用户发送尚未发送过的通知摘要（每人一封）")
        mail.add_argument("--date", type=day, help="摘要日期（默认今天）")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "daily":
            done = remind(opts["date"])
            self.stdout.write(f"新增提醒：即将到期 {done['deadline']} 条，已逾期 {done['overdue']} 条")
            if opts["no_email"]:
                self.stdout.write("未发送邮件摘要（--no-email）")
                return
        sent = digest(opts["date"])
        self.stdout.write(
            f"邮件摘要：发送 {sent['emails']} 封，含通知 {sent['items']} 条；"
            f"{sent['skipped']} 位用户未填写邮箱，未发送"
        )
