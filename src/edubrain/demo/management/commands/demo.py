"""``edubrain demo [--seed N] [--scale X] [--reset]``: build the deterministic demo county (演示县)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from edubrain.demo.generator import DEMO_USERS, PASSWORD, DemoDataExists, build_demo, existing_demo


class Command(BaseCommand):
    help = "生成演示县（沂源县）数据：镇/街道、学校、班级、学生、教职工、办学条件与年度数据，以及演示账号"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed", type=int, default=2021, help="随机种子（相同种子生成相同数据），默认 2021"
        )
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="规模系数，1.0 为全县规模；小于 1 时按比例缩减学校和学生（保留规划点名的学校）",
        )
        parser.add_argument("--reset", action="store_true", help="先删除已有的演示数据和演示账号，再重新生成")
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="已有演示数据时不重新生成，只列出演示账号（make run 用它）",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if not 0 < opts["scale"] <= 5:
            raise CommandError("--scale 应大于 0 且不超过 5")
        if opts["if_missing"] and not opts["reset"] and existing_demo() is not None:
            self.stdout.write("演示数据已存在，未重新生成（如需重建：edubrain demo --reset）")
            self._accounts(self._existing_users())
            return
        try:
            result = build_demo(
                seed=opts["seed"], scale=opts["scale"], stdout=self.stdout, reset=opts["reset"]
            )
        except DemoDataExists as exc:
            raise CommandError(str(exc))
        counts = result.counts
        self.stdout.write(
            f"演示县 {result.county.name}（{result.county.division_code}）：学校 {counts['school']} 所，"
            f"班级 {counts['school_class']:,} 个，学生 {counts['student']:,} 人，"
            f"学籍记录 {counts['enrollment']:,} 条，体质测试成绩 {counts.get('fitness', 0):,} 条，"
            f"教职工 {counts['staff']:,} 人"
        )
        self._accounts(result.users)

    @staticmethod
    def _existing_users() -> dict[str, Any]:
        found = get_user_model().objects.filter(username__in=DEMO_USERS).select_related("org_unit")
        by_name = {u.username: u for u in found}
        return {name: by_name[name] for name in DEMO_USERS if name in by_name}

    def _accounts(self, users: dict[str, Any]) -> None:
        self.stdout.write(f"演示账号（密码均为 {PASSWORD}）：")
        for name, user in users.items():
            label = DEMO_USERS[name][1]
            scope = user.org_unit.name if user.org_unit else ""
            self.stdout.write(f"  {name:<9}{user.role_label:<10}{scope:<12}{label}")
        self.stdout.write(
            self.style.SUCCESS(
                "运行 edubrain serve 启动服务后，打开 http://127.0.0.1:8000 登录；"
                "家长网上报名入口 http://127.0.0.1:8000/enroll/（验证码在开发环境中显示在服务器控制台）"
            )
        )
