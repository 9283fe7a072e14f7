"""The plan's tables: the 指标 table (targets) and the 重点项目 table (projects).

The header (``columns``) names the columns: 序号, 类别, 指标, 单位, years (2020年 | 2025年; 现状 | 目标),
属性 — or 序号 | 名称 | 主要内容 for projects (``projects``). A flattened table (see ``blocks``) is cut
into rows by what its cells hold: leading text cells (类别, 指标), then the value cells, then the 属性 cell.
A cell may hold a *block* of several indicators, one per paragraph, with the value and 属性 cells holding as
many paragraphs (the county's table); they are aligned by position.

Rules, in order:
- a 类别 cell that is empty (a merged cell) inherits the category above; a row with no 类别 cell (a name
  spanning both columns) has none;
- the unit comes from the name's brackets ("（万人）" → 万人), else the 单位 column, else "%" for names ending
  in 率 / 比例 / 占比, else ""; "其中：…" rows are parts of the indicator above (``parent``) and inherit its
  unit; a bare group word (其中：小学 / 初中) is named after it: 巩固率（小学）;
- comparator: a mark in the target cell (≥ / 以上 → ">=", ≤ / 以下 / 以内 → "<="); else "<=" for an
  indicator where lower is better (近视率, 肥胖率, 辍学率, 大班额, 差异系数), for a ratio "…之比" whose
  target is at or above 1 (a gap closing toward 1: 1.07 → 1.02), and for a target below its baseline (a
  decreasing value: 在园人数 1.7 → 1.1); else ">=";
- further year columns (2023年) go to ``milestones``; a range "95-97" gives ``target_high``.
Rows that cannot be aligned or read go to ``unparsed`` with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from edubrain.core.plan.blocks import Cell, Table, cell_kind, is_header_cell
from edubrain.core.plan.columns import Column, TableResult, header_columns, joined
from edubrain.core.plan.lexicon import MISSING, VALUE, norm_unit, number, split_name_unit, squash
from edubrain.core.plan.projects import parse_projects, project_rows

VALUE_ROLES = ("baseline", "target", "value")
LOWER_IS_BETTER = re.compile(r"近视率|肥胖率|辍学率|流失率|大班额|差异系数|超标|事故")
PERCENT_NAME = re.compile(r"(?:率|比例|占比|比重)$")
SUB_PREFIX = re.compile(r"^其中\s*[:：，,]?\s*")
GROUP_WORD = re.compile(
    r"^(?:小学|初中|高中|普通高中|中职|中等职业教育|城区|城镇|农村|乡村|男|女|男生|女生|公办|民办)$"
)
UNIT_CELL = re.compile(
    r"^(?:%|％|‰|[万亿千]?(?:人次|人|元|册|台|平方米|辆)(?:/(?:生|人|班|校))?|年|岁|个|所|家|项|次|倍|小时|课时|"
    r"个百分点|起|件|张|间|座|门|名|处|班|节)$"
)


@dataclass
class Layout:
    columns: list[Column]
    lead: list[str] = field(default_factory=list)  # roles before the first value column
    values: list[Column] = field(default_factory=list)
    trail: list[str] = field(default_factory=list)  # roles after the last value column


def _layout(cols: list[Column]) -> Layout:
    positions = [i for i, c in enumerate(cols) if c.role in VALUE_ROLES]
    if not positions:
        return Layout(cols, lead=[c.role for c in cols])
    first, last = positions[0], positions[-1]
    return Layout(
        cols,
        lead=[c.role for c in cols[:first]],
        values=[c for c in cols[first : last + 1] if c.role in VALUE_ROLES],
        trail=[c.role for c in cols[last + 1 :]],
    )


def _accepts(role: str, kind: str, cell: Cell) -> bool:
    if role == "nature":
        return kind in ("nature", "empty")
    if role == "unit":
        return kind == "empty" or bool(UNIT_CELL.match(squash(joined(cell))))
    return kind in ("empty", "text")


@dataclass
class _Row:
    lead: list[Cell] = field(default_factory=list)
    values: list[Cell] = field(default_factory=list)
    trail: list[Cell] = field(default_factory=list)

    def cells(self) -> list[Cell]:
        return [*self.lead, *self.values, *self.trail]


def chunk_rows(cells: list[Cell], layout: Layout) -> list[_Row]:
    """Cut a flattened indicator table's cells into rows (see the module docstring)."""
    rows: list[_Row] = []
    cur = _Row()
    k = 0
    while k < len(cells):
        cell, kind = cells[k], cell_kind(cells[k])
        if not cur.values and not cur.trail:  # leading cells
            serial = "seq" in layout.lead and not cur.lead and kind == "number"
            if (kind == "number" and not serial) or (kind == "empty" and len(cur.lead) >= len(layout.lead)):
                cur.values.append(cell)
            elif kind == "nature" and cur.lead and layout.trail:
                cur.trail.append(cell)
            else:
                cur.lead.append(cell)
            k += 1
            continue
        if not cur.trail and len(cur.values) < len(layout.values) and kind != "nature":
            cur.values.append(cell)
            k += 1
            continue
        if len(cur.trail) < len(layout.trail) and _accepts(layout.trail[len(cur.trail)], kind, cell):
            cur.trail.append(cell)
            k += 1
            continue
        rows.append(cur)
        cur = _Row()
    if cur.cells():
        rows.append(cur)
    return rows


def _explicit_row(cells: list[Cell], layout: Layout) -> _Row | None:
    n_lead, n_val = len(layout.lead), len(layout.values)
    if len(cells) == len(layout.columns):
        return _Row(cells[:n_lead], cells[n_lead : n_lead + n_val], cells[n_lead + n_val :])
    rows = chunk_rows(cells, layout)
    return rows[0] if len(rows) == 1 else None


class _IndicatorTable:
    def __init__(self, table: Table, layout: Layout) -> None:
        self.table = table
        self.layout = layout
        self.result = TableResult()
        self.category: str | None = None
        self.parent: tuple[str, str] | None = None  # (name, unit) of the last indicator that is not a part
        self._in_part = False

    def fail(self, row: _Row | list[Cell], reason: str) -> None:
        cells = row.cells() if isinstance(row, _Row) else row
        text = " | ".join(joined(c, " ") for c in cells)
        self.result.unparsed.append({"text": f"{self.table.caption} {text}".strip(), "reason": reason})

    def _lead(self, row: _Row) -> dict[str, Cell] | None:
        cells = list(row.lead)
        roles = list(self.layout.lead)
        if len(cells) == len(roles):  # every leading cell present: by position
            return dict(zip(roles, cells, strict=True))
        out: dict[str, Cell] = {}
        if "seq" in roles:
            roles.remove("seq")
            if cells and cell_kind(cells[0]) == "number":
                out["seq"] = cells.pop(0)
        if "unit" in roles:
            roles.remove("unit")
            if len(cells) > 1 and UNIT_CELL.match(squash(joined(cells[-1]))):
                out["unit"] = cells.pop()
        if len(cells) > len(roles):
            return None
        for role, cell in zip(roles[len(roles) - len(cells) :], cells, strict=True):
            out[role] = cell
        return out

    def row(self, row: _Row) -> None:
        lead = self._lead(row)
        if lead is None or not joined(lead.get("name", [])):
            self.fail(row, "表格行无法对齐：找不到指标名称")
            return
        if "category" in lead:
            text = joined(lead["category"])
            self.category = text or self.category
        else:
            self.category = None
        names = [squash(p) for p in lead["name"] if squash(p)]
        values = [[squash(p) for p in c if squash(p)] for c in row.values]
        values += [[] for _ in range(len(self.layout.values) - len(values))]
        n = max((len(v) for v in values), default=0)
        if n == 0:
            self.fail(row, "表格行没有数值")
            return
        aligned = _align_names(names, n)
        bad = [c.text for c, v in zip(self.layout.values, values, strict=False) if len(v) not in (0, n)]
        nature = self._trail(row, "nature")
        if aligned is None or bad or len(nature) not in (0, 1, n):
            what = f"指标 {len(lead['name'])} 个、数值 {n} 个" + (
                f"，{'、'.join(bad)} 列个数不同" if bad else ""
            )
            self.fail(row, f"表格行无法对齐（{what}）")
            return
        unit_cell = joined(lead.get("unit", [])) or joined(self._trail_cell(row, "unit"))
        for i, raw_name in enumerate(aligned):
            cells = [v[i] if v else "" for v in values]
            nat = nature[i] if len(nature) == n else (nature[0] if nature else None)
            self._target(raw_name, cells, nat, unit_cell, row)

    def _trail_cell(self, row: _Row, role: str) -> Cell:
        for r, cell in zip(self.layout.trail, row.trail, strict=False):
            if r == role:
                return cell
        return []

    def _trail(self, row: _Row, role: str) -> list[str]:
        return [squash(p) for p in self._trail_cell(row, role) if squash(p)]

    def _name_unit(self, raw: str, unit_cell: str) -> tuple[str, str, str | None]:
        """(name, unit, parent) of an indicator cell's paragraph."""
        sub = SUB_PREFIX.match(raw)
        is_part = bool(sub) or (self.parent is not None and bool(GROUP_WORD.match(raw)) and self._in_part)
        name, unit = split_name_unit(raw[sub.end() :] if sub else raw)
        parent = None
        if is_part and self.parent:
            parent = self.parent[0]
            unit = unit or self.parent[1]
            if GROUP_WORD.match(name):
                name = f"{parent}（{name}）"
        unit = unit or (norm_unit(unit_cell) if unit_cell else None)
        if unit is None:
            unit = "%" if PERCENT_NAME.search(name) and "之比" not in name else ""
        self._in_part = is_part
        if not is_part:
            self.parent = (name, unit)
        return name, unit, parent

    def _target(self, raw_name: str, cells: list[str], nature: str | None, unit_cell: str, row: _Row) -> None:
        name, unit, parent = self._name_unit(raw_name, unit_cell)
        parsed: dict[str, Any] = {}
        for col, text in zip(self.layout.values, cells, strict=True):
            if not text or MISSING.match(text):
                continue
            m = VALUE.match(text)
            if not m:
                self.fail([[raw_name], *[[c] for c in cells]], f"{col.text}“{text}”不是数值")
                return
            parsed.setdefault(col.role, (col, m))
        if "target" not in parsed:
            self.fail([[raw_name], *[[c] for c in cells]], "没有目标值")
            return
        tcol, tm = parsed["target"]
        bcol, bm = parsed.get("baseline", (None, None))
        baseline = number(bm.group("low")) if bm else None
        target = number(tm.group("low"))
        unit = unit or norm_unit(tm.group("unit") or (bm.group("unit") if bm else None) or "")
        out: dict[str, Any] = {
            "indicator": name,
            "unit": unit,
            "baseline_year": bcol.year if bcol else None,
            "baseline": baseline,
            "target_year": tcol.year,
            "target": target,
            "comparator": table_comparator(name, baseline, target, tm),
            "nature": _nature(nature),
            "task_code": None,
            "source": self._source(row, raw_name, cells, nature),
            "category": self.category,
            "origin": "table",
        }
        if tm.group("high"):
            out["target_high"] = number(tm.group("high"))
        if parent:
            out["parent"] = parent
        others = [(c, m) for c, m in parsed.values() if c.role == "value"]
        if others:
            out["milestones"] = [{"year": c.year, "value": number(m.group("low"))} for c, m in others]
        self.result.targets.append(out)

    def _source(self, row: _Row, raw_name: str, cells: list[str], nature: str | None) -> str:
        parts = [self.category or "", raw_name]
        parts += [f"{c.text} {v}" for c, v in zip(self.layout.values, cells, strict=True) if v]
        parts.append(nature or "")
        body = " | ".join(p for p in parts if p)
        return f"{self.table.caption}：{body}" if self.table.caption else body


def _nature(text: str | None) -> str | None:
    if not text:
        return None
    return "约束性" if text.startswith("约束") else "预期性" if text.startswith("预期") else None


def table_comparator(name: str, baseline: float | None, target: float, mark: re.Match[str]) -> str:
    pre, post = mark.group("pre") or "", mark.group("post") or ""
    if pre in ("≥", ">", "＞", ">=", "≥=", "不低于", "不少于") or "以上" in post:
        return ">="
    if pre in ("≤", "<", "＜", "<=", "≤=", "不高于", "不超过") or post in ("以下", "及以下", "以内"):
        return "<="
    if LOWER_IS_BETTER.search(name):
        return "<="
    if "之比" in name and target >= 1 and (baseline is None or baseline >= target):
        return "<="
    if baseline is not None and target < baseline:
        return "<="
    return ">="


def _align_names(names: list[str], n: int) -> list[str] | None:
    """The names of a block, one per value; a name wrapped over two paragraphs is joined back."""
    if len(names) == n:
        return names
    if n == 1:
        return ["".join(names)]
    names = list(names)
    while len(names) > n:
        joinable = [
            k
            for k in range(len(names) - 1)
            if not re.search(r"[）)]$", names[k]) and not SUB_PREFIX.match(names[k + 1])
        ]
        if not joinable:
            return None
        k = min(joinable, key=lambda j: len(names[j]) + len(names[j + 1]))
        names[k : k + 2] = [names[k] + names[k + 1]]
    return names if len(names) == n else None


def parse_table(table: Table, period: list[int] | None) -> TableResult:
    if table.rows:
        header, body_rows = table.rows[0], table.rows[1:]
        flat: list[Cell] = []
    else:
        n = 0
        while n < len(table.cells) and is_header_cell(joined(table.cells[n])):
            n += 1
        header, flat, body_rows = table.cells[:n], table.cells[n:], []
    result = TableResult()
    what = table.caption or " | ".join(joined(c) for c in header[:6])
    if sum(is_header_cell(joined(c)) for c in header) < 2:
        result.unparsed.append(
            {"text": what[:200], "reason": "表格缺少可识别的表头（如 指标、2020年、2025年、属性），未解析"}
        )
        return result
    cols = header_columns(header, period)
    roles = {c.role for c in cols}
    if "name" in roles and "content" in roles:
        parse_projects(table, cols, body_rows or project_rows(flat, cols), result)
        return result
    if "name" not in roles or "target" not in roles:
        heads = "、".join(c.text for c in cols)
        result.unparsed.append({"text": what[:200], "reason": f"无法识别的表格（表头：{heads}），未解析"})
        return result
    layout = _layout(cols)
    parser = _IndicatorTable(table, layout)
    if body_rows:
        for cells in body_rows:
            if not any(joined(c) for c in cells):
                continue
            row = _explicit_row(cells, layout)
            if row is None:
                parser.fail(cells, "表格行的单元格个数与表头不符，无法对齐")
            else:
                parser.row(row)
    else:
        for row in chunk_rows(flat, layout):
            parser.row(row)
    return parser.result
