"""Read an uploaded spreadsheet (.xlsx/.xlsm, .xls, .csv/.txt) into string frames, one per sheet.

The real type is detected from the bytes, never trusted from the name. Cells become the text the user
sees; nothing is "fixed" silently (an ID number Excel turned into a float stays in its broken scientific
form so the normaliser can report the lost precision).
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from python_calamine import CalamineWorkbook

from edubrain.core.errors import CoreError
from edubrain.core.io.layout import ROW, Grid, build_sheet, hint_keys
from edubrain.core.io.xlsxinfo import formula_cells, is_encrypted_ole, xlsx_has_workbook

__all__ = ["ROW", "ReadError", "Sheet", "read_file"]

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OTHER_MAGIC = (b"\x89PNG", b"%PDF", b"GIF8", b"\xff\xd8\xff", b"Rar!", b"\x1f\x8b", b"7z\xbc\xaf", b"BM")
DEFAULT_MAX_BYTES = 200 * 1024 * 1024


class ReadError(CoreError):
    """The file cannot be read at all. Codes: read.too_large, read.empty, read.not_spreadsheet,
    read.encrypted, read.encoding, read.no_header, read.sheet_missing."""


@dataclass
class Sheet:
    """One sheet of a file, every cell as text.

    ``frame``: one ``pl.String`` column per header (header text stripped, inner blanks and line breaks
    removed, full-width → half-width; duplicates suffixed " (2)"), cells stripped with "" → null, plus
    ``__row__`` (``pl.Int64``), the spreadsheet's own 1-based row number. Blank rows and trailing total
    rows (合计/总计/小计) are already dropped.
    """

    name: str
    frame: pl.DataFrame
    header_row: int
    formulas: list[tuple[int, str]] = field(default_factory=list)

    @property
    def headers(self) -> list[str]:
        """The header names in file order (without ``__row__``)."""
        return [c for c in self.frame.columns if c != ROW]


def read_file(
    path: str | os.PathLike[str],
    *,
    filename: str | None = None,
    sheet: str | None = None,
    header_hint: Collection[str] = (),
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> list[Sheet]:
    """Read ``path`` and return its sheets that have a recognisable header.

    ``filename``: the name the user uploaded (used in messages and for .csv/.txt; defaults to the path's
    name). ``sheet``: read only this sheet (``read.sheet_missing`` if absent); ``None`` reads every visible
    sheet with a header. ``header_hint``: expected header names (headers and aliases; normalised here) —
    the header row is the one among the first 30 rows matching most of them (at least 2). Raises
    ``ReadError`` for anything that makes the whole file unreadable.
    """
    p = Path(path)
    label = filename or p.name
    size = p.stat().st_size
    if size > max_bytes:
        raise ReadError(
            "read.too_large",
            f"文件“{label}”大小为{size / 1048576:.1f} MB，超过上限{max_bytes / 1048576:g} MB，请拆分后再上传",
        )
    if size == 0:
        raise ReadError("read.empty", f"文件“{label}”是空文件")
    with p.open("rb") as fh:
        head = fh.read(8)
    hints = hint_keys(header_hint)
    if head.startswith(ZIP_MAGIC):
        if not xlsx_has_workbook(p):
            raise _not_spreadsheet(label)
        return _read_workbook(p, label, sheet, hints, xlsx=True)
    if head.startswith(OLE_MAGIC):
        if is_encrypted_ole(p):
            raise ReadError("read.encrypted", f"文件“{label}”已加密（设置了打开密码），请取消密码后再上传")
        return _read_workbook(p, label, sheet, hints, xlsx=False)
    return [_read_text(p.read_bytes(), label, sheet, hints)]


def _not_spreadsheet(label: str) -> ReadError:
    return ReadError(
        "read.not_spreadsheet",
        f"文件“{label}”不是电子表格，请上传 Excel（.xlsx、.xls）或 CSV 文件",
    )


def _read_workbook(path: Path, label: str, wanted: str | None, hints: set[str], *, xlsx: bool) -> list[Sheet]:
    try:
        wb = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several unrelated types (PasswordError, ZipError, XmlError…)
        if type(exc).__name__ == "PasswordError":
            raise ReadError("read.encrypted", f"文件“{label}”已加密（设置了打开密码），请取消密码后再上传")
        raise _not_spreadsheet(label)
    names: list[str] = list(wb.sheet_names)
    if wanted is not None:
        if wanted not in names:
            raise ReadError(
                "read.sheet_missing",
                f"文件“{label}”中没有名为“{wanted}”的工作表，现有工作表：{'、'.join(names)}",
            )
        chosen = [wanted]
    else:
        visible = {m.name for m in wb.sheets_metadata if str(m.visible).lower().endswith("visible")}
        chosen = [n for n in names if n in visible] or names
    grids: list[Grid] = []
    for name in chosen:
        try:
            sh = wb.get_sheet_by_name(name)
            rows = sh.to_python(skip_empty_area=False)
            merged = list(sh.merged_cell_ranges or [])
        except Exception:
            raise _not_spreadsheet(label)
        grids.append(Grid(name, rows, merged))
    finder: FormulaFinder | None = (lambda name: formula_cells(path, name)) if xlsx else None
    return _collect(grids, label, hints, wanted, finder)


FormulaFinder = Callable[[str], list[tuple[int, int]]]


def _collect(
    grids: Sequence[Grid], label: str, hints: set[str], wanted: str | None, formulas: FormulaFinder | None
) -> list[Sheet]:
    sheets: list[Sheet] = []
    blank = 0
    for grid in grids:
        if grid.is_blank():
            blank += 1
            continue
        built = build_sheet(grid, hints)
        if built is None:
            continue
        name, frame, header_row, col_of = built
        cells: list[tuple[int, str]] = []
        if formulas is not None:
            for row, col in formulas(grid.name):
                header = col_of.get(col)
                if header is not None and row > header_row:
                    cells.append((row, header))
        sheets.append(Sheet(name, frame, header_row, sorted(cells)))
    where = f"工作表“{wanted}”" if wanted else ""
    if blank == len(grids):
        raise ReadError("read.empty", f"文件“{label}”{where}中没有任何数据")
    if not sheets:
        raise _no_header(label, [g.name for g in grids if not g.is_blank()], hints)
    with_data = [s for s in sheets if s.frame.height > 0]
    if not with_data:
        raise ReadError("read.empty", f"文件“{label}”{where}只有表头，没有数据行")
    return with_data


def _no_header(label: str, names: list[str], hints: set[str]) -> ReadError:
    where = "、".join(f"“{n}”" for n in names if n)
    where = f"工作表{where}" if where else ""
    expected = "、".join(sorted(hints)[:6])
    tail = f"（应包含如 {expected} 等列名的表头行）" if expected else "（应有一行至少两个列名，下面是数据）"
    return ReadError("read.no_header", f"文件“{label}”{where}中找不到表头{tail}")


def decode_text(data: bytes, label: str) -> str:
    """UTF-8 (with or without BOM), else GB18030 (a superset of GBK); else ``read.encoding``."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReadError(
        "read.encoding",
        f"文件“{label}”的编码无法识别（既不是 UTF-8 也不是 GBK/GB18030），请用 Excel 另存为 .xlsx 后再上传",
    )


def _read_text(data: bytes, label: str, wanted: str | None, hints: set[str]) -> Sheet:
    if data.startswith(_OTHER_MAGIC) or b"\x00" in data[:8192]:
        raise _not_spreadsheet(label)
    text = decode_text(data, label)
    if text.lstrip()[:1] == "<":  # HTML/XML saved as ".xls"/".csv" by some systems
        raise _not_spreadsheet(label)
    first = text[:4096].split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[object]] = [list(r) for r in reader]
    width = max((len(r) for r in rows), default=0)
    for r in rows:  # pad ragged lines (a title line has one field)
        if len(r) < width:
            r.extend([""] * (width - len(r)))
    if wanted not in (None, ""):
        raise ReadError("read.sheet_missing", f"文件“{label}”是 CSV 文件，没有名为“{wanted}”的工作表")
    return _collect([Grid("", rows, [])], label, hints, None, None)[0]
