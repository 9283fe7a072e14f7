"""Write frames to the file a user asked for: .csv (UTF-8 with BOM, so Excel shows Chinese) or .xlsx (one
sheet per frame, Rust-backed writer; text stays text, so 学籍号 and 身份证号 keep every digit)."""

from __future__ import annotations

import io
import os
from collections.abc import Mapping
from pathlib import Path

import polars as pl

from edubrain.core.errors import CoreError

FORMATS = (".csv", ".xlsx")


class WriteError(CoreError):
    """The output cannot be written (code ``write.format`` or ``write.io``)."""


FORBIDDEN_IN_SHEET_NAMES = str.maketrans({c: "、" if c == "/" else "_" for c in "[]:*?/\\"})


def sheet_name(name: str) -> str:
    r"""A name Excel accepts for a worksheet: at most 31 characters, none of ``[ ] : * ? / \`` ("镇/街道"
    becomes "镇、街道")."""
    return name.translate(FORBIDDEN_IN_SHEET_NAMES)[:31] or "Sheet1"


def output_format(path: str | os.PathLike[str]) -> str:
    """ ".csv" or ".xlsx" from the output's extension; anything else is a ``WriteError``."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise WriteError("write.format", f"输出文件“{Path(path).name}”的扩展名应为 .csv 或 .xlsx")
    return suffix


def write_tables(sheets: Mapping[str, pl.DataFrame], path: str | os.PathLike[str]) -> Path:
    """Write ``sheets`` (name → frame) to ``path``. CSV holds one table: several sheets are stacked with a
    leading 工作表 column."""
    target = Path(path)
    fmt = output_format(target)
    try:
        if fmt == ".csv":
            frames = list(sheets.values())
            if len(frames) == 1:
                table = frames[0]
            else:
                table = pl.concat(
                    [
                        f.with_columns(pl.lit(n).alias("工作表")).select("工作表", *f.columns)
                        for n, f in sheets.items()
                    ],
                    how="diagonal_relaxed",
                )
            target.write_bytes(("\ufeff" + table.write_csv()).encode("utf-8"))
            return target
        from rustpy_xlsxwriter import FastExcel

        book = FastExcel(str(target))
        for name, frame in sheets.items():
            if frame.height == 0:  # the writer needs one record to know the columns
                frame = pl.concat([frame, pl.DataFrame([{c: None for c in frame.columns}])], how="diagonal")
            book = book.sheet(sheet_name(name), frame.to_dicts())
        book.save()
    except OSError as exc:
        raise WriteError("write.io", f"无法写入输出文件“{target}”：{exc.strerror or exc}") from exc
    return target


def table_bytes(frame: pl.DataFrame, fmt: str = "xlsx", sheet: str = "数据") -> bytes:
    """One frame as a download: xlsx (one sheet; strings stay text so IDs keep every digit) or UTF-8 CSV
    with BOM."""
    if fmt == "csv":
        return ("\ufeff" + frame.write_csv()).encode("utf-8")
    out = io.BytesIO()
    if frame.height:
        # Rust-backed writer: 98,324 students × 15 columns in ~2.5 s, where openpyxl took ~34 s.
        import rustpy_xlsxwriter

        rustpy_xlsxwriter.write_worksheet(frame.to_dicts(), out, sheet_name=sheet_name(sheet))
        return out.getvalue()
    from openpyxl import Workbook  # type: ignore[import-untyped]  # headers only (the writer needs a record)

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_name(sheet))
    ws.append(frame.columns)
    wb.save(out)
    return out.getvalue()
