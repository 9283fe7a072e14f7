"""``edubrain report annual|fitness|vision|annex --year Y -o FILE [--county CODE]``: the same documents as the
报告 page, from the configured database — the format follows the file's extension (.docx or .pdf for the
documents, .xlsx for the data annex)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from edubrain.base.orgtree import OrgKind, OrgUnit
from edubrain.reports import service

HELP = {
    "annual": "规划年度监测评估报告（.docx 或 .pdf）",
    "fitness": "学生体质健康通报（.docx 或 .pdf）",
    "vision": "学生近视防控通报（.docx 或 .pdf）",
    "annex": "数据附件（.xlsx）",
}


class Command(BaseCommand):
    help = "生成报告：annual 规划年度监测评估报告、fitness 体质健康通报、vision 近视防控通报、annex 数据附件"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="kind", required=True)
        for kind, text in HELP.items():
            one = sub.add_parser(kind, help=text)
            one.add_argument("--year", type=int, required=True, help="报告年度，如 2024")
            one.add_argument("-o", "--output", required=True, help="输出文件（扩展名决定格式）")
            one.add_argument(
                "--county", help="县（区）行政区划代码（默认 EDUBRAIN_COUNTY_CODE，即 370323 沂源县）"
            )

    def handle(self, *args: Any, **opts: Any) -> None:
        kind, year = opts["kind"], opts["year"]
        output = Path(opts["output"])
        fmt = output.suffix.lower().lstrip(".")
        if fmt not in service.FORMATS[kind]:
            allowed = "、".join(f".{f}" for f in service.FORMATS[kind])
            raise CommandError(f"输出文件“{output.name}”的格式不支持：{HELP[kind]}只能输出 {allowed} 文件")
        code = opts["county"] or settings.EDUBRAIN["COUNTY_DIVISION_CODE"]
        county = OrgUnit.objects.filter(division_code=code, kind=OrgKind.COUNTY).first()
        if county is None:
            raise CommandError(f"没有行政区划代码为 {code} 的县（区）；请先导入数据或用 --county 指定")
        started = time.perf_counter()
        try:
            data = service.generate(kind, county, year, fmt)
        except service.ReportError as exc:
            raise CommandError(exc.message) from None
        if output.parent and not output.parent.exists():
            output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(data)
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"已生成 {output}（{county.name}{year}年，{len(data) // 1024} KB，用时 {seconds:.1f} 秒）"
        )
