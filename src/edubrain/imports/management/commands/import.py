"""``edubrain import DATASET FILE``: preview a file and (unless --dry-run) commit it.

Exit status 0: the file is valid; 1: some rows are invalid; 2: the file cannot be read at all (or the
dataset, school or user is unknown). Without --user the command acts as the operator, with full scope.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand

from edubrain.imports import services
from edubrain.imports.datasets import DATASETS
from edubrain.imports.models import ImportStatus


class Command(BaseCommand):
    help = "导入数据文件（xlsx/xls/csv）：先预检，再在一个事务中写入"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("dataset", help="数据集：" + "、".join(DATASETS))
        parser.add_argument("file")
        parser.add_argument("--school", help="学校标识码：只导入该校的数据")
        parser.add_argument("--sheet", help="工作表名称（默认全部）")
        parser.add_argument("--year", type=int, help="学年起始年份（体质、视力数据，文件无“学年”列时）")
        parser.add_argument("--dry-run", action="store_true", help="只预检，不写入")
        parser.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
        parser.add_argument("--only-valid", action="store_true", help="有错误行时只导入正确的行")
        parser.add_argument("--user", help="以该用户的身份和权限导入")

    def _fail(self, opts: dict[str, Any], message: str) -> None:
        if opts["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "new": 0,
                        "changed": 0,
                        "unchanged": 0,
                        "invalid": 0,
                        "errors": [{"sheet": "", "row": None, "column": "", "value": "", "message": message}],
                        "warnings": [],
                        "committed": False,
                        "message": message,
                    },
                    ensure_ascii=False,
                )
            )
        else:
            self.stderr.write(f"错误：{message}")
        sys.exit(2)

    def handle(self, *args: Any, **opts: Any) -> None:
        from django.contrib.auth import get_user_model

        from edubrain.registry.models import School

        user = school = None
        if opts["user"]:
            user = get_user_model().objects.filter(username=opts["user"]).first()
            if user is None:
                self._fail(opts, f"用户“{opts['user']}”不存在")
        if opts["school"]:
            school = School.objects.filter(code=opts["school"].strip()).first()
            if school is None:
                self._fail(opts, f"学校标识码“{opts['school']}”不存在")
        path = Path(opts["file"])
        if not path.is_file():
            self._fail(opts, f"文件“{path}”不存在")
        options = {"year": opts["year"]} if opts["year"] else {}
        try:
            batch = services.create_batch(
                user, opts["dataset"], path, path.name, school=school, sheet=opts["sheet"], options=options
            )
            batch = services.preview(batch)
        except (services.ImportRefused, PermissionDenied) as exc:
            self._fail(opts, str(getattr(exc, "message", None) or exc))
        if batch.status == ImportStatus.FAILED:
            self._fail(opts, batch.message)
        committed = False
        if not opts["dry_run"] and (batch.invalid == 0 or opts["only_valid"]):
            batch = services.commit(batch, user, only_valid=opts["only_valid"])
            if batch.status == ImportStatus.FAILED:
                self._fail(opts, batch.message)
            committed = True
        self._report(batch, opts, committed)
        sys.exit(1 if batch.invalid else 0)

    def _report(self, batch: Any, opts: dict[str, Any], committed: bool) -> None:
        errors = batch.error_list()
        if opts["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "new": batch.new,
                        "changed": batch.changed,
                        "unchanged": batch.unchanged,
                        "invalid": batch.invalid,
                        "errors": errors,
                        "warnings": batch.warnings,
                        "committed": committed,
                        "committed_rows": batch.committed_rows,
                        "batch": batch.pk,
                    },
                    ensure_ascii=False,
                    default=str,
                )
            )
            return
        label = DATASETS[batch.dataset].label
        self.stdout.write(
            f"{label}：共 {batch.total} 行 · 新增 {batch.new} · 修改 {batch.changed} · "
            f"无变化 {batch.unchanged} · 有误 {batch.invalid}"
        )
        for w in batch.warnings:
            self.stdout.write(f"提示：{w}")
        for e in errors[:200]:
            self.stdout.write(
                f"  工作表“{e['sheet']}” 第{e['row']}行 {e['column']}“{e['value']}”：{e['message']}"
            )
        if len(errors) > 200:
            self.stdout.write(f"  ……另有 {len(errors) - 200} 条错误")
        if committed:
            self.stdout.write(f"已导入：写入 {batch.committed_rows} 行（导入记录 #{batch.pk}）")
        elif opts["dry_run"]:
            self.stdout.write("预检完成（--dry-run，未写入）")
        else:
            self.stdout.write("文件有误，未写入；修正后重新导入，或加 --only-valid 只导入正确的行")
