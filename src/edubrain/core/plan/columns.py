"""A table's header: what each column holds.

Roles: ``seq`` (序号), ``category`` (类别 / 分类 / 领域 / 一级指标), ``name`` (指标 / 二级指标 / 项目名称 /
名称), ``unit`` (单位), ``content`` (主要内容 / 建设内容), ``nature`` (属性 / 指标性质), ``baseline`` (现状 /
基期), ``target`` (目标), ``value`` (a further year column) and ``other``. Year columns without a word: the
last year is the target and the first the baseline; a single year column is the target when it is not
before the plan's last year. 现状 / 目标 columns without a year take the year before the period and its
last year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from edubrain.core.plan.blocks import Cell
from edubrain.core.plan.lexicon import squash

ROLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("seq", re.compile(r"^(?:序号|编号)$")),
    ("category", re.compile(r"^(?:类别|分类|领域|类型|维度|一级指标)$")),
    ("nature", re.compile(r"^(?:属性|指标属性|指标性质|性质)$")),
    ("unit", re.compile(r"^(?:单位|计量单位)$")),
    ("content", re.compile(r"主要内容|建设内容|^内容$|实施内容|主要任务|建设规模及内容")),
    (
        "name",
        re.compile(r"^(?:指标|指标名称|主要指标|具体指标|二级指标|项目|项目名称|名称|重点项目|工程名称)$"),
    ),
    ("baseline", re.compile(r"现状|基期|基数|基准")),
    ("target", re.compile(r"目标|规划值|预期值")),
)


@dataclass
class Column:
    role: str
    text: str
    year: int | None = None


@dataclass
class TableResult:
    targets: list[dict[str, Any]] = field(default_factory=list)
    projects: list[dict[str, Any]] = field(default_factory=list)
    unparsed: list[dict[str, str]] = field(default_factory=list)


def joined(cell: Cell, sep: str = "") -> str:
    """A cell's paragraphs as one text."""
    return sep.join(p.strip() for p in cell if p.strip())


def header_columns(header: list[Cell], period: list[int] | None) -> list[Column]:
    cols: list[Column] = []
    for cell in header:
        text = squash(joined(cell))
        year_m = re.search(r"((?:19|20)\d\d)", text)
        year = int(year_m.group(1)) if year_m else None
        role = next((r for r, p in ROLES if p.search(text)), "value" if year else "other")
        if role == "name" and any(c.role == "name" for c in cols):
            role = "other"
        cols.append(Column(role, text, year))
    dated = sorted((c for c in cols if c.role == "value"), key=lambda c: c.year or 0)
    if dated and not any(c.role == "target" for c in cols):
        last = dated.pop()
        if dated or any(c.role == "baseline" for c in cols) or _late(last.year, period):
            last.role = "target"
        else:
            last.role = "baseline"
    if dated and not any(c.role == "baseline" for c in cols):
        dated[0].role = "baseline"
    for c in cols:  # years of 现状 / 目标 columns written without one
        if c.role == "baseline" and c.year is None and period:
            c.year = period[0] - 1
        if c.role == "target" and c.year is None and period:
            c.year = period[1]
    return cols


def _late(year: int | None, period: list[int] | None) -> bool:
    return period is None or year is None or year >= period[1]
