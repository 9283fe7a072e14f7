"""``edubrain plan import PLAN.(txt|docx|json) [--county CODE] [--adopt]`` and
``edubrain plan export PLAN_ID -o plan.json``.

``import`` parses the document (or loads the plan JSON), stores it as a draft of the county and, with
``--adopt``, adopts it; it prints a Chinese summary. ``export`` writes an adopted plan (or a draft's JSON)
back to the JSON contract. (``edubrain plan parse`` runs before Django, without a database.)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from edubrain.base.orgtree import OrgKind, OrgUnit
from edubrain.core.errors import CoreError
from edubrain.plans.adopt import PlanInvalid, adopt, create_draft, parsed_counts, plan_json, summary
from edubrain.plans.models import Plan

SUFFIXES = (".txt", ".docx", ".json")
AREA_KINDS = (OrgKind.PROVINCE, OrgKind.CITY, OrgKind.COUNTY)
UNPARSED_SHOWN = 10


class Command(BaseCommand):
    help = "规划：import 导入规划文件（.txt/.docx/.json）为草稿并可直接采用；export 导出规划 JSON"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="导入规划文件（.txt、.docx 或规划 JSON），保存为草稿")
        load.add_argument("file", help="规划文件：.txt、.docx 或 .json")
        load.add_argument("--county", help="规划区域的行政区划代码（默认为本系统所在县）")
        load.add_argument("--adopt", action="store_true", help="导入后直接采用")
        load.add_argument("--user", help="记为导入人的用户名")
        load.add_argument("--parent", type=int, help="上级规划编号（目标关联上级规划中同一指标的目标）")
        out = sub.add_parser("export", help="把规划导出为 JSON")
        out.add_argument("plan_id", type=int, help="规划编号")
        out.add_argument("-o", "--output", required=True, help="输出文件（- 为标准输出）")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "export":
            self.export(opts["plan_id"], opts["output"])
        else:
            self.load(opts)

    # ------------------------------------------------------------ import

    def load(self, opts: dict[str, Any]) -> None:
        path = Path(opts["file"])
        if path.suffix.lower() not in SUFFIXES:
            raise CommandError("只支持 .txt、.docx 或 .json 规划文件")
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        area = self.area(opts["county"])
        user = self.user(opts["user"])
        parent = self.parent(opts["parent"])
        parsed = read_plan(path)
        try:
            plan = create_draft(parsed, county=area, user=user, source_name=path.name)
        except PlanInvalid as exc:
            raise CommandError(exc.message) from None
        if parent is not None:
            plan.parent = parent
            plan.save(update_fields=["parent"])
        self.report_draft(plan, parsed, area)
        page = reverse("plan_import:review", args=[plan.pk])
        if not opts["adopt"]:
            self.stdout.write(f"已保存为草稿（规划编号 {plan.pk}），审核页面：{page}")
            return
        try:
            adopt(plan, user=user)
        except PlanInvalid as exc:
            raise CommandError(
                f"{exc.message}\n草稿已保存（规划编号 {plan.pk}），可在审核页面 {page} 修改后采用。"
            ) from None
        rows = summary(plan)
        parent = f"，{rows['targets_with_parent']} 个已关联上级规划目标" if plan.parent_id else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"已采用（规划编号 {plan.pk}）：责任单位 {rows['units']} 个，其中 {rows['units_linked']} 个"
                f"已关联责任单位名录（{rows['unit_names_linked']}/{rows['unit_names']} 个单位名称）；"
                f"目标 {rows['targets']} 个，其中 {rows['targets_linked']} 个已对应指标{parent}"
            )
        )

    @staticmethod
    def area(code: str | None) -> OrgUnit:
        code = code or settings.EDUBRAIN.get("COUNTY_DIVISION_CODE", "")
        found = OrgUnit.objects.filter(division_code=code, kind__in=AREA_KINDS).first() if code else None
        if found is None:
            shown = code or "（未指定）"
            raise CommandError(f"找不到行政区划代码为 {shown} 的县（市、区）；请用 --county 指定")
        return found

    @staticmethod
    def user(name: str | None) -> Any:
        if not name:
            return None
        found = get_user_model().objects.filter(username=name).first()
        if found is None:
            raise CommandError(f"找不到用户：{name}")
        return found

    @staticmethod
    def parent(pk: int | None) -> Plan | None:
        if pk is None:
            return None
        found = Plan.objects.filter(pk=pk).first()
        if found is None:
            raise CommandError(f"找不到上级规划：编号 {pk}")
        return found

    def report_draft(self, plan: Plan, parsed: dict[str, Any], area: OrgUnit) -> None:
        found = parsed_counts(parsed)
        period = f"{plan.start_year}—{plan.end_year} 年" if plan.start_year else "规划期未识别"
        number = f"，{plan.doc_number}" if plan.doc_number else ""
        self.stdout.write(f"规划《{plan.title}》（{period}{number}），区域：{area.name}")
        self.stdout.write(
            f"  章节 {found['sections']} 个，重点任务 {found['tasks']} 项（责任单位 {found['units']} 个），"
            f"量化目标 {found['targets']} 个（{found['targets_matched']} 个可对应指标），"
            f"重点项目 {found['projects']} 个"
        )
        unparsed = parsed.get("unparsed") or []
        if unparsed:
            self.stdout.write(f"  未能识别 {len(unparsed)} 处：")
            for item in unparsed[:UNPARSED_SHOWN]:
                text = str(item.get("text", "") if isinstance(item, dict) else item).replace("\n", " ")
                reason = item.get("reason", "") if isinstance(item, dict) else ""
                more = "…" if len(text) > 60 else ""
                why = f"（{reason}）" if reason else ""
                self.stdout.write(f"    - {text[:60]}{more}{why}")
            if len(unparsed) > UNPARSED_SHOWN:
                self.stdout.write(f"    ……另有 {len(unparsed) - UNPARSED_SHOWN} 处，见审核页面")
        else:
            self.stdout.write("  全部内容均已识别")

    # ------------------------------------------------------------ export

    def export(self, pk: int, output: str) -> None:
        plan = Plan.objects.filter(pk=pk).first()
        if plan is None:
            raise CommandError(f"找不到规划：编号 {pk}")
        text = json.dumps(plan_json(plan), ensure_ascii=False, indent=2) + "\n"
        if output == "-":
            self.stdout.write(text, ending="")
            return
        Path(output).write_text(text, encoding="utf-8")
        self.stdout.write(f"已导出《{plan.title}》（{plan.get_status_display()}）到 {output}")


def read_plan(path: Path) -> dict[str, Any]:
    """The plan JSON of a file: loaded from .json, parsed from .txt/.docx."""
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(f"{path.name} 不是有效的 UTF-8 JSON 文件：{exc}") from None
        if not isinstance(data, dict):
            raise CommandError(f"{path.name} 应为一个 JSON 对象（规划）")
        return data
    from edubrain.core.plan.parser import parse_file

    try:
        return parse_file(path)
    except CoreError as exc:
        raise CommandError(exc.message) from None
