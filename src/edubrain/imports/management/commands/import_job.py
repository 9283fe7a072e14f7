"""``edubrain import-job BATCH ACTION``: the background worker for one import batch."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from edubrain.imports.jobs import run_job


class Command(BaseCommand):
    help = "后台执行一个导入批次的预检（preview）或导入（commit）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("batch_id", type=int)
        parser.add_argument("action", choices=["preview", "commit"])
        parser.add_argument("--user-id", type=int, default=None)
        parser.add_argument("--only-valid", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        run_job(opts["batch_id"], opts["action"], user_id=opts["user_id"], only_valid=opts["only_valid"])
