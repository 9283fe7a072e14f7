"""The plan's numbering: the section tree and the tasks.

Numbering styles are recognised wherever they appear — 第一章 / 第一部分 / 第一节, 一、, （一）, 1. or 1、,
（1）, 1）, ① — and nest in the order the document first uses them (an outline stack: a style already open
closes back to its level; a new style opens one level deeper). Codes are the dotted numbering path: "二",
"二.(一)", "二.(一).3", "第一章.第二节", "三.(一).2.(1)".

A numbered paragraph is a *heading* (a section) when it is a bare title: no sentence punctuation, at most
50 characters and no 责任单位; 第…章/节/部分 are always headings. Otherwise it is a *task*: ``title`` the text
up to the first 。, ``text`` the paragraph without its number (plus the unnumbered paragraphs that follow
until the task's 责任单位 or the next number), ``units`` its 责任单位, lead first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from edubrain.core.plan.blocks import Paragraph
from edubrain.core.plan.units import find_units, without_units

STYLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("章", re.compile(r"^第\s*([一二三四五六七八九十百零〇两\d]+)\s*(章|部分|篇)\s*[、.．:：]?\s*(.*)$")),
    ("节", re.compile(r"^第\s*([一二三四五六七八九十百零〇两\d]+)\s*(节)\s*[、.．:：]?\s*(.*)$")),
    ("一、", re.compile(r"^([一二三四五六七八九十]{1,3})\s*()[、.．]\s*(.+)$")),
    ("（一）", re.compile(r"^[（(]\s*([一二三四五六七八九十]{1,3})\s*[）)]()\s*[、.．]?\s*(.+)$")),
    ("1.", re.compile(r"^(\d{1,2})\s*()[.．、](?!\d)\s*(.+)$")),
    ("（1）", re.compile(r"^[（(]\s*(\d{1,2})\s*[）)]()\s*[、.．]?\s*(.+)$")),
    ("1）", re.compile(r"^(\d{1,2})[）)]()\s*(.+)$")),
    ("①", re.compile(r"^([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])()\s*(.+)$")),
)
SENTENCE_MARK = re.compile(r"[。；;！!？?]")
END_MATTER = re.compile(r"(?:印发|抄送[:：]|抄报[:：]|^附件[:：]?\s*$|^\d{4}年\d{1,2}月\d{1,2}日$)")
FACT_SECTION = re.compile(r"发展基础|现实基础|工作基础|现状|回顾|成就|成绩|面临形势|发展形势|形势与")
MAX_TITLE = 200
MAX_HEADING = 50


@dataclass
class Numbered:
    style: str
    label: str
    rest: str


def numbered(text: str) -> Numbered | None:
    for style, pattern in STYLES:
        m = pattern.match(text)
        if m and m.group(3).strip():
            number, kind, rest = m.group(1), m.group(2), m.group(3).strip()
            if style == "章":
                label = f"第{number}{kind}"
                style = kind
            elif style == "节":
                label = f"第{number}节"
            elif style in ("（一）", "（1）"):
                label = f"({number})"
            elif style == "1）":
                label = f"{number})"
            else:
                label = number
            return Numbered(style, label, rest)
        if m and style in ("章", "节"):
            return Numbered(m.group(2) if style == "章" else "节", f"第{m.group(1)}{m.group(2)}", "")
    return None


def is_heading(item: Numbered) -> bool:
    if item.style in ("章", "部分", "篇", "节"):
        return True
    rest = item.rest.rstrip("：:")
    return len(rest) <= MAX_HEADING and not SENTENCE_MARK.search(rest) and not find_units(rest).names


@dataclass
class ParaInfo:
    """Where a paragraph sits: its task (if any), its section, and whether that section states facts."""

    task_code: str | None
    section_code: str | None
    facts: bool
    body: str  # the text without its number


@dataclass
class Outline:
    sections: list[dict[str, Any]] = field(default_factory=list)
    tasks: list[dict[str, Any]] = field(default_factory=list)
    info: dict[int, ParaInfo] = field(default_factory=dict)  # by id() of the Paragraph
    unparsed: list[dict[str, str]] = field(default_factory=list)


@dataclass
class _Open:
    style: str
    code: str
    node: dict[str, Any] | None  # None: a task, not a section
    facts: bool


class _Builder:
    def __init__(self) -> None:
        self.out = Outline()
        self.stack: list[_Open] = []
        self.task: dict[str, Any] | None = None
        self.task_closed = False
        self.codes: set[str] = set()

    def _section_code(self) -> str | None:
        for o in reversed(self.stack):
            if o.node is not None:
                return o.code
        return None

    def _facts(self) -> bool:
        return any(o.facts for o in self.stack)

    def _unique(self, code: str, text: str) -> str:
        if code not in self.codes:
            self.codes.add(code)
            return code
        n = 2
        while f"{code}~{n}" in self.codes:
            n += 1
        self.out.unparsed.append({"text": text[:120], "reason": f"编号 {code} 重复，已记为 {code}~{n}"})
        self.codes.add(f"{code}~{n}")
        return f"{code}~{n}"

    def numbered(self, para: Paragraph, item: Numbered) -> None:
        styles = [o.style for o in self.stack]
        if item.style in styles:
            del self.stack[styles.index(item.style) :]
        parent = self.stack[-1].code if self.stack else ""
        code = self._unique(f"{parent}.{item.label}" if parent else item.label, para.text)
        self.finish_task()
        if is_heading(item):
            title = item.rest.rstrip("：:").strip() or item.label
            node: dict[str, Any] = {"code": code, "title": title[:MAX_TITLE], "children": []}
            siblings = next((o.node["children"] for o in reversed(self.stack) if o.node), self.out.sections)
            siblings.append(node)
            self.stack.append(_Open(item.style, code, node, bool(FACT_SECTION.search(title))))
            self.out.info[id(para)] = ParaInfo(None, code, self._facts(), item.rest)
            return
        section = self._section_code()
        self.stack.append(_Open(item.style, code, None, False))
        self.task = {"code": code, "title": "", "text": item.rest, "units": [], "section": section}
        self.task_closed = False
        self._update_task()
        self.out.tasks.append(self.task)
        self.out.info[id(para)] = ParaInfo(code, section, self._facts(), item.rest)

    def plain(self, para: Paragraph) -> None:
        if END_MATTER.search(para.text):
            self.finish_task()
        if self.task is not None and not self.task_closed:
            self.task["text"] += "\n" + para.text
            self._update_task()
            self.out.info[id(para)] = ParaInfo(
                self.task["code"], self.task["section"], self._facts(), para.text
            )
            return
        self.out.info[id(para)] = ParaInfo(None, self._section_code(), self._facts(), para.text)

    def _update_task(self) -> None:
        assert self.task is not None
        units = find_units(self.task["text"])
        self.task["units"] = units.names
        body = without_units(self.task["text"], units)
        first = re.split(r"[。]", body, maxsplit=1)[0] if "。" in body else re.split(r"[；;\n]", body)[0]
        self.task["title"] = first.strip()[:MAX_TITLE]
        if units.names:
            self.task_closed = True
            for name in units.rejected:
                self.out.unparsed.append(
                    {"text": name, "reason": f"任务 {self.task['code']} 的责任单位名称过长，未作为责任单位"}
                )

    def finish_task(self) -> None:
        self.task = None
        self.task_closed = True


def build_outline(paragraphs: list[Paragraph], breaks: set[int] | None = None) -> Outline:
    """Sections and tasks of ``paragraphs`` (the body after the title). ``breaks``: ids of paragraphs after
    which a table stood — a task's text does not run across a table."""
    b = _Builder()
    for para in paragraphs:
        if breaks and id(para) in breaks:
            b.finish_task()
        item = numbered(para.text)
        if item is None:
            b.plain(para)
        else:
            b.numbered(para, item)
    return b.out
