"""A plan's text as blocks: paragraphs and tables, in document order.

Tables arrive in one of two shapes:

- *flattened* (what copying a Word table to text gives, and what ``core.plan.docx`` writes): every cell
  starts on a line beginning with a tab; the cell's further paragraphs follow on lines without a tab (blank
  lines between them allowed); rows are not marked — the table parser finds them from the header;
- *one row per line*: cells separated by tabs inside the line, by ``|`` or by runs of two or more blanks.

A table starts at its caption (``表1 …``, ``附表2 …``) or at a header row (a run of cells with 指标 / 序号 /
类别 …) and ends at a top-level heading, another caption, a note (``注：``), two blank lines before plain
text (or before a tab-indented top-level heading), or a line that cannot continue the last cell (text after
a number or a 属性 cell).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from edubrain.core.plan.lexicon import MISSING, VALUE, squash

CAPTION = re.compile(
    r"^(?:附)?表\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})(?:[-－—.．]\d+)?(?![\d年])\s*[.．:：、]?\s*\S"
)
MAJOR_HEADING = re.compile(
    r"^(?:第\s*[一二三四五六七八九十百零〇两\d]+\s*[章节篇]|第\s*\S{1,3}部分|[一二三四五六七八九十]+\s*[、.．])"
)
NOTE = re.compile(r"^(?:注|备注|说明|数据来源)\s*[:：\d]")
HEADER_WORD = re.compile(
    r"^(?:序号|编号|类别|分类|领域|类型|维度|一级指标|二级指标|指标|指标名称|主要指标|具体指标|项目|项目名称|名称|"
    r"重点项目|工程名称|单位|计量单位|属性|指标属性|指标性质|性质|现状|现状值|基期|基期值|基数|目标|目标值|规划目标|"
    r"期末目标|主要内容|建设内容|内容|实施内容|主要任务|建设规模及内容|备注|责任单位|牵头单位|实施年限|建设年限|"
    r"建设期限|完成时限|总投资.{0,6}|(?:19|20)\d\d年?.{0,6})$"
)
NATURE_WORD = re.compile(r"^(?:预期性|约束性|预期|约束)$")
ROW_SPLIT = re.compile(r"\t|\s*[|｜]\s*|[ \u3000]{2,}")

Cell = list[str]  # the paragraphs of one table cell (empty: a blank or merged cell)


@dataclass
class Paragraph:
    text: str
    line: int


@dataclass
class Table:
    caption: str
    line: int
    cells: list[Cell] = field(default_factory=list)  # flattened shape
    rows: list[list[Cell]] = field(default_factory=list)  # one-row-per-line shape


Block = Paragraph | Table


def is_header_cell(text: str) -> bool:
    return bool(HEADER_WORD.match(re.sub(r"[（(][^）)]*[）)]", "", squash(text)) or squash(text)))


def cell_kind(cell: Cell) -> str:
    """empty | nature (预期性/约束性) | number (values, dashes for none) | text."""
    paras = [squash(p) for p in cell if squash(p)]
    if not paras:
        return "empty"
    if all(NATURE_WORD.match(p) for p in paras):
        return "nature"
    if all(VALUE.match(p) or MISSING.match(p) for p in paras):
        return "number"
    return "text"


def _row_cells(line: str) -> list[Cell] | None:
    """The cells of a one-row-per-line table row, or None when the line is not such a row."""
    stripped = line.strip(" \u3000")
    parts = ROW_SPLIT.split(stripped.strip("|｜"))
    if len(parts) < 2:
        return None
    return [[p.strip()] if p.strip() else [] for p in parts]


def _is_tab_line(line: str) -> bool:
    return bool(re.match(r"^[ \u3000]*\t", line))


def _tab_cells(line: str) -> list[Cell]:
    parts = line.lstrip(" \u3000")[1:].split("\t")
    return [[p.strip()] if p.strip() else [] for p in parts]


def _looks_like_header(texts: list[str]) -> bool:
    first = [t for t in texts[:4] if t.strip()]
    return sum(is_header_cell(t) for t in first) >= 2


class _Splitter:
    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")
        self.i = 0
        self.blocks: list[Block] = []

    def run(self) -> list[Block]:
        while self.i < len(self.lines):
            raw = self.lines[self.i]
            stripped = raw.strip(" \t\u3000")
            if not stripped:
                self.i += 1
                continue
            if CAPTION.match(stripped) and len(stripped) <= 80 and not stripped.endswith("。"):
                if self._table(re.sub(r"\s+", " ", stripped), self.i + 1):
                    continue
            elif self._header_ahead(self.i) and self._table("", self.i):
                continue
            self.blocks.append(Paragraph(stripped, self.i + 1))
            self.i += 1
        return self.blocks

    def _header_ahead(self, start: int) -> bool:
        texts: list[str] = []
        raw = self.lines[start]
        if _is_tab_line(raw):
            for line in self.lines[start : start + 12]:
                if _is_tab_line(line):
                    texts.extend(" ".join(c) for c in _tab_cells(line))
                elif line.strip():
                    break
                if len(texts) >= 4:
                    break
        elif "\t" in raw.strip() or "|" in raw or "｜" in raw:
            texts = [" ".join(c) for c in _row_cells(raw) or []]
        return _looks_like_header(texts)

    def _table(self, caption: str, start: int) -> bool:
        """Read a table from line ``start``; False (nothing consumed) when no cells follow a caption."""
        table = Table(caption, start if caption else start + 1)
        blanks, j = 0, start
        while j < len(self.lines):
            raw = self.lines[j]
            stripped = raw.strip(" \t\u3000")
            if not stripped and not (_is_tab_line(raw) and table.cells):  # a lone tab: an empty cell
                blanks += 1
                j += 1
                continue
            if (
                _is_tab_line(raw)
                and blanks >= 2
                and (CAPTION.match(stripped) or MAJOR_HEADING.match(stripped))
            ):
                break  # a tab-indented heading after the table
            if _is_tab_line(raw) and not table.rows:
                table.cells.extend(_tab_cells(raw))
            elif self._ends(stripped, blanks, table):
                break
            elif table.cells and _continues(table.cells[-1], stripped):
                table.cells[-1].append(stripped)
            elif not table.cells and (row := _row_cells(raw)) is not None:
                table.rows.append(row)
            else:
                break
            blanks = 0
            j += 1
        if not table.cells and not table.rows:
            return False
        self.blocks.append(table)
        self.i = j
        return True

    @staticmethod
    def _ends(stripped: str, blanks: int, table: Table) -> bool:
        if CAPTION.match(stripped) or MAJOR_HEADING.match(stripped) or NOTE.match(stripped):
            return True
        return blanks >= 2 or (bool(table.rows) and blanks >= 1)


def _continues(cell: Cell, line: str) -> bool:
    """Whether a tab-less line is one more paragraph of ``cell``: a number or 属性 cell only takes more of the
    same (a paragraph of prose after the last value means the table has ended)."""
    kind = cell_kind(cell)
    if kind in ("number", "nature"):
        return cell_kind([line]) in ("number", "nature")
    return True


def split_blocks(text: str) -> list[Block]:
    return _Splitter(text).run()
