"""``edubrain plan parse PLAN.(txt|docx) -o plan.json [--json-summary]``: a plan document as the plan JSON.

Needs no database, no server and no Django settings. Writes UTF-8 JSON (not ASCII-escaped, indented) and
prints a Chinese summary — sections per level, tasks, 责任单位, targets from the table and from the text,
projects, unparsed items — or, with ``--json-summary``, the same counts as one JSON object. Exit status 0
when the JSON was written, 2 when the plan cannot be read or the output cannot be written.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from edubrain.core.errors import CoreError
from edubrain.core.plan.parser import parse_file

CN_LEVELS = "一二三四五六七八九"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="edubrain plan parse",
        description="解析规划文本（.txt 或 .docx）：章节、任务及责任单位、指标目标、重点项目，输出规划 JSON。"
        "无需数据库或服务器。",
    )
    p.add_argument("plan", help="规划文件（.txt：UTF-8/GBK/UTF-16；或 .docx）")
    p.add_argument("-o", "--output", required=True, help="输出的 JSON 文件")
    p.add_argument("--json-summary", action="store_true", help="以 JSON 输出统计")
    return p


def _levels(nodes: list[dict[str, Any]], depth: int, counts: list[int]) -> None:
    for node in nodes:
        while len(counts) <= depth:
            counts.append(0)
        counts[depth] += 1
        _levels(node.get("children") or [], depth + 1, counts)


def summary(plan: dict[str, Any]) -> dict[str, Any]:
    levels: list[int] = []
    _levels(plan["sections"], 0, levels)
    units = {u for t in plan["tasks"] for u in t["units"]}
    table = sum(1 for t in plan["targets"] if t.get("origin") == "table")
    return {
        "title": plan["title"],
        "period": plan["period"],
        "sections": sum(levels),
        "sections_per_level": levels,
        "tasks": len(plan["tasks"]),
        "tasks_with_units": sum(1 for t in plan["tasks"] if t["units"]),
        "units": len(units),
        "targets": len(plan["targets"]),
        "targets_table": table,
        "targets_text": len(plan["targets"]) - table,
        "projects": len(plan["projects"]),
        "unparsed": len(plan["unparsed"]),
    }


def _chinese(s: dict[str, Any], output: str) -> str:
    per_level = "、".join(
        f"{CN_LEVELS[i] if i < 9 else i + 1}级 {n}" for i, n in enumerate(s["sections_per_level"])
    )
    period = f"{s['period'][0]}—{s['period'][1]}年" if s["period"] else "未识别"
    return (
        f"规划：{s['title'] or '（未识别名称）'}（规划期 {period}）\n"
        f"章节 {s['sections']} 个" + (f"（{per_level}）" if per_level else "") + "，"
        f"任务 {s['tasks']} 项（{s['tasks_with_units']} 项有责任单位），责任单位 {s['units']} 个；\n"
        f"目标 {s['targets']} 个：指标表 {s['targets_table']} 个、正文 {s['targets_text']} 个；"
        f"重点项目 {s['projects']} 个；未能解析 {s['unparsed']} 处（见 JSON 中的 unparsed）。\n"
        f"已写入 {output}\n"
    )


def parse_command(argv: list[str], stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr) -> int:
    args = parser().parse_args(argv)
    try:
        plan = parse_file(args.plan)
    except CoreError as exc:
        stderr.write(f"错误：{exc.message}\n")
        return 2
    out = Path(args.output)
    try:
        out.write_text(json.dumps(plan, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        stderr.write(f"错误：无法写入 {out}：{exc.strerror or exc}\n")
        return 2
    counts = summary(plan)
    if args.json_summary:
        stdout.write(json.dumps({"output": str(out), **counts}, ensure_ascii=False) + "\n")
    else:
        stdout.write(_chinese(counts, str(out)))
    return 0
