"""报告模板 (report templates): what a bureau adjusts without code — the title, the issuer line, the
opening paragraphs, each section's heading and intro, and which sections appear.

A template is TOML text (defaults in ``edubrain/data/report_templates/<kind>.toml``; a county may keep its
own edited copy). ``parse_template`` checks it against the sections the report kind knows and answers bad
text with a Chinese message naming the line or the section. Placeholders in any text: ``{year}`` (报告年度),
``{county}`` (县名), ``{issuer}``, ``{today}`` (成文日期) and, in the annual report, ``{plan}`` (规划名称).

    title = "{county}教育事业发展“十四五”规划{year}年度监测评估报告"
    issuer = "{county}教育和体育局"
    opening = ["根据……", "……"]

    [[section]]
    key = "overview"          # one of the kind's SECTION_KEYS
    heading = "总体情况"
    intro = "……"              # optional paragraph under the heading
    enabled = true            # false: the section is left out (the rest renumber)
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from edubrain.core.errors import CoreError

# The sections each kind of report can hold, in their default order (the builders know these keys).
SECTION_KEYS: dict[str, tuple[str, ...]] = {
    "annual": ("overview", "targets", "trends", "breakdown", "tasks", "projects", "supervision", "risks"),
    "fitness": ("overview", "ranking", "change", "weakest", "requirements"),
    "vision": ("overview", "rates", "decline", "followup", "requirements"),
}
KIND_LABELS = {"annual": "规划年度监测评估报告", "fitness": "学生体质健康通报", "vision": "学生近视防控通报"}
PLACEHOLDERS = ("year", "county", "issuer", "today", "plan")


@dataclass(frozen=True)
class SectionSpec:
    key: str
    heading: str
    intro: str = ""
    enabled: bool = True


@dataclass(frozen=True)
class ReportTemplate:
    kind: str
    title: str
    issuer: str
    opening: tuple[str, ...] = ()
    closing: tuple[str, ...] = ()
    sections: tuple[SectionSpec, ...] = field(default_factory=tuple)

    def section(self, key: str) -> SectionSpec | None:
        """The section if the template shows it (None when absent or disabled)."""
        return next((s for s in self.sections if s.key == key and s.enabled), None)

    def enabled_keys(self) -> list[str]:
        return [s.key for s in self.sections if s.enabled]


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(text: str, values: dict[str, Any]) -> str:
    """Replace the known placeholders; unknown ``{…}`` stay as written (a typo shows, it does not crash)."""
    safe = _Blank({k: str(v) for k, v in values.items()})
    try:
        return text.format_map(safe)
    except (ValueError, IndexError):  # a lone brace: print the text as it is
        return text


def default_text(kind: str) -> str:
    if kind not in SECTION_KEYS:
        raise CoreError("report.kind", f"未知的报告类型“{kind}”，应为：{'、'.join(SECTION_KEYS)}")
    return (resources.files("edubrain.data") / "report_templates" / f"{kind}.toml").read_text("utf-8")


def _lines(value: Any, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise CoreError("report.template", f"“{name}”应为文字或文字列表")


def parse_template(kind: str, text: str) -> ReportTemplate:
    """The template in ``text`` for a report of ``kind``; ``CoreError`` with a Chinese message if it is not
    valid TOML, misses the title or holds a section the kind does not know."""
    known = SECTION_KEYS.get(kind)
    if known is None:
        raise CoreError("report.kind", f"未知的报告类型“{kind}”，应为：{'、'.join(SECTION_KEYS)}")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CoreError("report.template", f"模板格式有误：{exc}（请检查引号、方括号是否成对）") from None
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise CoreError("report.template", "模板缺少标题（title）")
    sections = []
    seen: set[str] = set()
    for i, raw in enumerate(data.get("section", []), start=1):
        if not isinstance(raw, dict):
            raise CoreError("report.template", f"第 {i} 个 [[section]] 格式有误")
        key = raw.get("key")
        if key not in known:
            raise CoreError(
                "report.template",
                f"第 {i} 个章节的 key“{key}”无效，{KIND_LABELS[kind]}可用：{'、'.join(known)}",
            )
        if key in seen:
            raise CoreError("report.template", f"章节“{key}”重复出现")
        seen.add(key)
        heading = raw.get("heading")
        if not isinstance(heading, str) or not heading.strip():
            raise CoreError("report.template", f"章节“{key}”缺少标题（heading）")
        enabled = raw.get("enabled", True)
        if not isinstance(enabled, bool):
            raise CoreError("report.template", f"章节“{key}”的 enabled 应为 true 或 false")
        intro = raw.get("intro", "")
        if not isinstance(intro, str):
            raise CoreError("report.template", f"章节“{key}”的 intro 应为文字")
        sections.append(SectionSpec(key=key, heading=heading.strip(), intro=intro.strip(), enabled=enabled))
    if not any(s.enabled for s in sections):
        raise CoreError("report.template", "模板至少要保留一个章节")
    issuer = data.get("issuer", "")
    if not isinstance(issuer, str):
        raise CoreError("report.template", "落款（issuer）应为文字")
    return ReportTemplate(
        kind=kind,
        title=title.strip(),
        issuer=issuer.strip(),
        opening=_lines(data.get("opening"), "opening"),
        closing=_lines(data.get("closing"), "closing"),
        sections=tuple(sections),
    )


def default_template(kind: str) -> ReportTemplate:
    return parse_template(kind, default_text(kind))
