"""Cheap looks inside the containers: is this zip a workbook, is this OLE file an encrypted xlsx, which
cells of an xlsx sheet hold formulas (scanning the sheet XML, not loading it cell by cell)."""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

_ENCRYPTED_STREAMS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))
_CELL_RE = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.DOTALL)
_REF_RE = re.compile(rb'\br="([A-Z]+)([0-9]+)"')
_FORMULA_RE = re.compile(rb"<(?:\w+:)?f[\s>/]")
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def xlsx_has_workbook(path: Path) -> bool:
    """True for a zip holding an Excel workbook part (not a .docx, .pptx or any other zip)."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError):
        return False
    return "xl/workbook.xml" in names or "xl/workbook.bin" in names


def is_encrypted_ole(path: Path) -> bool:
    """An OLE compound file holding the streams of an encrypted OOXML package."""
    data = path.read_bytes()
    return any(stream in data for stream in _ENCRYPTED_STREAMS)


def _col_index(letters: bytes) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + (ch - 64)
    return index - 1


def _sheet_part(zf: zipfile.ZipFile, sheet_name: str) -> str | None:
    workbook = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    rel_id = None
    for el in workbook.iter():
        if (el.tag.endswith("}sheet") or el.tag == "sheet") and el.get("name") == sheet_name:
            rel_id = el.get(f"{{{_REL_NS}}}id")
            break
    if rel_id is None:
        return None
    rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    for rel in rels:
        if rel.get("Id") == rel_id:
            target = rel.get("Target") or ""
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
    return None


def formula_cells(path: Path, sheet_name: str) -> list[tuple[int, int]]:
    """(1-based row, 0-based column) of every cell with an ``<f>`` element in the sheet's XML."""
    try:
        with zipfile.ZipFile(path) as zf:
            part = _sheet_part(zf, sheet_name)
            if part is None:
                return []
            data = zf.read(part)
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return []
    if not any(marker in data for marker in (b"<f>", b"<f ", b"<f/", b":f>", b":f ", b":f/")):
        return []
    found: list[tuple[int, int]] = []
    for match in _CELL_RE.finditer(data):
        body = match.group(2)
        if body and _FORMULA_RE.search(body):
            ref = _REF_RE.search(match.group(1))
            if ref:
                found.append((int(ref.group(2)), _col_index(ref.group(1))))
    return found
