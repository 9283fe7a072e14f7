"""``edubrain serve [ADDR:PORT]``: run the web server and say where to open it."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "启动网站（默认 127.0.0.1:8000）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000", help="地址:端口")

    def handle(self, *args: Any, **opts: Any) -> None:
        addrport: str = opts["addrport"]
        host, _, port = addrport.rpartition(":") if ":" in addrport else ("127.0.0.1", "", addrport)
        self.stdout.write(
            self.style.SUCCESS(
                f"智慧教育大脑已启动：请在浏览器打开 http://{host}:{port}  （Ctrl+C 停止）；"
                f"家长网上报名：http://{host}:{port}/enroll/"
            )
        )
        call_command("runserver", addrport, use_reloader=False, use_threading=True)
