"""Workbooks out: blank templates with a 说明 sheet, exports (xlsx/csv) and the error file (错误说明).

openpyxl in write-only mode streams rows, so a 100,000-row export stays in bounded memory.
"""

from __future__ import annotations

import io
from typing import Any

import polars as pl
from openpyxl import Workbook
from openpyxl.styles import Font

from edubrain.core.io.writers import table_bytes

KIND_LABELS = {
    "text": "文本",
    "int": "整数",
    "decimal": "数值",
    "date": "日期（如 2015-09-01）",
    "sex": "性别（男/女）",
    "bool": "是/否",
    "code": "代码",
    "id_number": "18位身份证号（请设为文本格式）",
    "student_number": "学籍号（G+身份证号 或 L/J+18位）",
    "school_code": "10位学校标识码",
    "duration": "时长（如 3'40\" 或 220 秒）",
}
ERROR_HEADER = "错误说明"


def _save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _range(column: Any) -> str:
    lo, hi = getattr(column, "min", None), getattr(column, "max", None)
    if lo is None and hi is None:
        return ""
    return f"{'' if lo is None else _cell(lo)} ~ {'' if hi is None else _cell(hi)}"


def template_workbook(config: Any) -> bytes:
    """The dataset's headers on the first sheet, a 说明 sheet with each column's type, unit, range, codes."""
    wb = Workbook(write_only=True)
    data = wb.create_sheet(str(config.label))
    data.append([c.header for c in config.spec.columns])
    notes = wb.create_sheet("说明")
    notes.append(["列名", "必填", "类型", "单位", "范围", "可填写的值", "也可使用的列名"])
    for c in config.spec.columns:
        codes = ""
        if c.codes:
            shown = sorted({str(k) for k, v in c.codes.items() if str(k) != str(v) or not str(k).isascii()})
            codes = "、".join(shown or sorted({str(k) for k in c.codes}))
        notes.append(
            [
                c.header,
                "是" if c.required else "否",
                KIND_LABELS.get(c.kind, c.kind),
                c.unit or "",
                _range(c),
                codes,
                "、".join(c.aliases),
            ]
        )
    if config.notes:
        notes.append([])
        for line in config.notes:
            notes.append([line])
    return _save(wb)


def frame_bytes(frame: pl.DataFrame, fmt: str = "xlsx", sheet: str = "数据") -> bytes:
    """A frame as xlsx (strings stay text: ID numbers keep every digit) or UTF-8 CSV with BOM."""
    return table_bytes(frame, fmt, sheet)


def error_workbook(sheets: list[Any], errors: list[dict[str, Any]]) -> bytes:
    """Each sheet's original rows (header row first) with an added 错误说明 column; rows without errors are
    left out, so the clerk fixes the file and imports it again."""
    by_row: dict[tuple[str, int | None], list[str]] = {}
    for e in errors:
        text = f"{e.get('column') or ''}：{e.get('message')}" if e.get("column") else str(e.get("message"))
        by_row.setdefault((str(e.get("sheet") or ""), e.get("row")), []).append(text)
    wb = Workbook(write_only=True)
    general = [m for (sh, row), ms in by_row.items() if row is None for m in ms]
    for sheet in sheets:
        ws = wb.create_sheet(str(sheet.name)[:31] or "Sheet1")
        frame = sheet.frame
        headers = [c for c in frame.columns if c != "__row__"]
        ws.append([*headers, ERROR_HEADER])
        bad = frame.filter(pl.col("__row__").is_in([r for (sh, r) in by_row if sh == sheet.name and r]))
        for row in bad.iter_rows(named=True):
            messages = by_row.get((str(sheet.name), row["__row__"]), [])
            ws.append([*(row[h] for h in headers), "；".join(messages)])
    if general or not sheets:
        ws = wb.create_sheet("文件错误")
        ws.append([ERROR_HEADER])
        for m in general:
            ws.append([m])
    return _save(wb)


def bold_header(ws: Any) -> None:  # pragma: no cover - cosmetic, used by normal-mode sheets only
    for cell in ws[1]:
        cell.font = Font(bold=True)
