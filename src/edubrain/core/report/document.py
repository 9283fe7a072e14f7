"""The document model every report is built in, independent of the output format.

A report is a ``ReportDoc``: title lines, issuer and date, then blocks in order. Headings are numbered by the
renderer (level 1 一、, level 2 （一）, level 3 1.), so a template can drop a section without renumbering.
Text is plain (no markup); numbers are formatted by the builder as they should be printed.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Heading:
    """A numbered heading: level 1 (黑体, 一、), 2 (楷体, （一）), 3 (仿宋 bold, 1.)."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph (仿宋, first-line indent of two characters); ``lead`` is printed bold first
    (e.g. "总体进展。")."""

    text: str
    lead: str = ""


@dataclass(frozen=True)
class Table:
    """A table with a header row; ``numeric`` marks right-aligned columns; ``caption`` above it
    (表1 … numbered by the renderer when ``numbered``)."""

    columns: list[str]
    rows: list[list[str]]
    caption: str = ""
    numeric: list[bool] | None = None
    widths_cm: list[float] | None = None
    numbered: bool = True


@dataclass(frozen=True)
class Figure:
    """A PNG picture with a caption below it (图1 … numbered by the renderer)."""

    png: bytes
    caption: str
    width_cm: float = 15.0


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Heading | Paragraph | Table | Figure | PageBreak


@dataclass
class ReportDoc:
    """One document: ``title`` (may hold a line break "\\n"), ``issuer`` (落款, e.g. 沂源县教育和体育局),
    ``date_text`` (成文日期, e.g. 2025年3月10日), optional ``doc_number`` (文号) and ``subtitle``."""

    title: str
    issuer: str
    date_text: str
    blocks: list[Block] = field(default_factory=list)
    doc_number: str = ""
    subtitle: str = ""

    def add(self, *blocks: Block) -> ReportDoc:
        self.blocks.extend(blocks)
        return self
