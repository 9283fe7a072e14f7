"""The 重点项目 table: 序号 | 名称 (项目名称) | 主要内容 (建设内容) [| further columns].

A flattened table is cut into rows at its 序号 cells (1, 2, 3 … in order), or every as many cells as there are
columns when it has no 序号. A name wrapped over several paragraphs is joined back; the content keeps its
paragraphs (joined with a line break); further columns (建设年限, 总投资 …) go to ``details``. A row without a
name is reported; an empty row is skipped.
"""

from __future__ import annotations

from typing import Any

from edubrain.core.plan.blocks import Cell, Table
from edubrain.core.plan.columns import Column, TableResult, joined
from edubrain.core.plan.lexicon import squash


def parse_projects(table: Table, cols: list[Column], body: list[list[Cell]], result: TableResult) -> None:
    roles = [c.role for c in cols]
    for k, cells in enumerate(body, 1):
        if not any(joined(c) for c in cells):
            continue
        by_role = {c.role: cell for c, cell in zip(cols, cells, strict=False)}
        name = joined(by_role.get("name", []))
        if not name:
            text = " | ".join(joined(c, " ") for c in cells)
            result.unparsed.append(
                {"text": f"{table.caption} {text}".strip(), "reason": "重点项目行缺少名称"}
            )
            continue
        seq = joined(by_role.get("seq", []))
        project: dict[str, Any] = {
            "number": int(seq) if seq.isdigit() else k,
            "name": name,
            "content": joined(by_role.get("content", []), "\n"),
        }
        details = {
            c.text: joined(cell, "\n")
            for c, cell in zip(cols, cells, strict=False)
            if c.role not in ("seq", "name", "content") and joined(cell)
        }
        if details:
            project["details"] = details
        if len(cells) > len(roles):
            extra = " | ".join(joined(c, " ") for c in cells[len(roles) :])
            result.unparsed.append({"text": extra, "reason": f"重点项目“{name}”多出的单元格，未解析"})
        result.projects.append(project)


def project_rows(cells: list[Cell], cols: list[Column]) -> list[list[Cell]]:
    """Cut a flattened project table at its 序号 cells (1, 2, 3 …), or every len(cols) cells."""
    if not cols or cols[0].role != "seq":
        return [cells[k : k + len(cols)] for k in range(0, len(cells), len(cols))]
    rows: list[list[Cell]] = []
    last: int | None = None
    for cell in cells:
        text = squash(joined(cell))
        if text.isdigit() and (last is None or int(text) == last + 1 or not rows):
            rows.append([cell])
            last = int(text)
        elif rows:
            rows[-1].append(cell)
        else:
            rows.append([[], cell])
    return rows
