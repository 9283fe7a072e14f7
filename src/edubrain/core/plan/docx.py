"""A .docx plan as text, read from its XML with zipfile (no Word, no python-docx).

Body paragraphs and tables come out in document order. A paragraph is one line; Word's automatic
numbering (numbering.xml, on the paragraph or through its style) is written in front of it as the document
shows it ("一、", "（一）", "1.", "（1）"), so the outline parser sees the same text as in a .txt copy.
A table is written in the flattened shape of ``core.plan.blocks``: every cell on a line beginning with a
tab, the cell's further paragraphs on their own lines, a cell continuing a vertical merge as an empty cell
(a lone tab); a blank line before the table and two after it.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from edubrain.core.errors import CoreError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
CN = "零一二三四五六七八九"


class DocxError(CoreError):
    pass


def _cn(n: int) -> str:
    if n < 10:
        return CN[n]
    if n < 20:
        return "十" + (CN[n % 10] if n % 10 else "")
    if n < 100:
        return CN[n // 10] + "十" + (CN[n % 10] if n % 10 else "")
    return str(n)


def _letters(n: int) -> str:
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(97 + r) + out
    return out


def _roman(n: int) -> str:
    pairs = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
             (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))  # fmt: skip
    out = ""
    for value, letters in pairs:
        while n >= value:
            out += letters
            n -= value
    return out


def format_number(n: int, fmt: str) -> str:
    if fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "chineseLegalSimplified",
        "ideographTraditional",
    ):
        return _cn(n) if fmt != "ideographTraditional" else "甲乙丙丁戊己庚辛壬癸"[(n - 1) % 10]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    if fmt in ("lowerLetter", "upperLetter"):
        return _letters(n) if fmt == "lowerLetter" else _letters(n).upper()
    if fmt in ("lowerRoman", "upperRoman"):
        return _roman(n) if fmt == "lowerRoman" else _roman(n).upper()
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1


@dataclass
class _Numbering:
    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)  # abstractNumId → ilvl → level
    nums: dict[str, str] = field(default_factory=dict)  # numId → abstractNumId
    styles: dict[str, tuple[str, int]] = field(default_factory=dict)  # styleId → (numId, ilvl)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)

    def label(self, num_id: str, ilvl: int) -> str:
        abstract = self.nums.get(num_id)
        if abstract is None or num_id == "0":
            return ""
        levels = self.levels.get(abstract, {})
        counts = self.counters.setdefault(abstract, {})
        level = levels.get(ilvl, _Level())
        counts[ilvl] = counts.get(ilvl, level.start - 1) + 1
        for deeper in [k for k in counts if k > ilvl]:
            del counts[deeper]

        def one(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            lv = levels.get(k, _Level())
            return format_number(counts.get(k, lv.start), lv.fmt)

        return re.sub(r"%(\d)", one, level.text) if level.fmt not in ("bullet", "none") else ""


def _attr(el: ET.Element | None, name: str) -> str | None:
    return None if el is None else el.get(f"{W}{name}")


def _numbering(zf: zipfile.ZipFile) -> _Numbering:
    n = _Numbering()
    names = set(zf.namelist())
    if "word/numbering.xml" in names:
        root = ET.fromstring(zf.read("word/numbering.xml"))
        for ab in root.iter(f"{W}abstractNum"):
            levels: dict[int, _Level] = {}
            for lvl in ab.iter(f"{W}lvl"):
                start = _attr(lvl.find(f"{W}start"), "val")
                levels[int(_attr(lvl, "ilvl") or 0)] = _Level(
                    _attr(lvl.find(f"{W}numFmt"), "val") or "decimal",
                    _attr(lvl.find(f"{W}lvlText"), "val") or "",
                    int(start) if start and start.isdigit() else 1,
                )
            n.levels[_attr(ab, "abstractNumId") or ""] = levels
        for num in root.iter(f"{W}num"):
            n.nums[_attr(num, "numId") or ""] = _attr(num.find(f"{W}abstractNumId"), "val") or ""
    if "word/styles.xml" in names:
        root = ET.fromstring(zf.read("word/styles.xml"))
        for style in root.iter(f"{W}style"):
            pr = style.find(f"{W}pPr/{W}numPr")
            num_id = _attr(pr.find(f"{W}numId") if pr is not None else None, "val")
            if num_id:
                ilvl = _attr(pr.find(f"{W}ilvl") if pr is not None else None, "val") or "0"
                n.styles[_attr(style, "styleId") or ""] = (num_id, int(ilvl))
    return n


def _texts(el: ET.Element, tabs: str) -> Iterator[str]:
    for child in el:
        if child.tag == MC_FALLBACK or child.tag == f"{W}del":
            continue
        if child.tag == f"{W}t":
            yield child.text or ""
        elif child.tag == f"{W}tab":
            yield tabs
        elif child.tag in (f"{W}br", f"{W}cr"):
            yield "\n"
        elif child.tag != f"{W}pPr":
            yield from _texts(child, tabs)


class _Reader:
    def __init__(self, numbering: _Numbering) -> None:
        self.numbering = numbering
        self.lines: list[str] = []

    def paragraph(self, p: ET.Element) -> str:
        text = "".join(_texts(p, " "))
        ppr = p.find(f"{W}pPr")
        num = ppr.find(f"{W}numPr") if ppr is not None else None
        label = ""
        if num is not None and num.find(f"{W}numId") is not None:
            num_id = _attr(num.find(f"{W}numId"), "val") or ""
            label = self.numbering.label(num_id, int(_attr(num.find(f"{W}ilvl"), "val") or 0))
        elif ppr is not None and (style := _attr(ppr.find(f"{W}pStyle"), "val")) in self.numbering.styles:
            label = self.numbering.label(*self.numbering.styles[style])
        return (label + text).strip(" \t\u3000")

    def cell(self, tc: ET.Element) -> list[str]:
        tcpr = tc.find(f"{W}tcPr")
        vmerge = tcpr.find(f"{W}vMerge") if tcpr is not None else None
        if vmerge is not None and _attr(vmerge, "val") != "restart":
            return []
        paras: list[str] = []
        for el in tc.iter():
            if el.tag == f"{W}p":
                text = self.paragraph(el).replace("\t", " ")
                paras.extend(line.strip() for line in text.split("\n") if line.strip())
        return paras

    def table(self, tbl: ET.Element) -> None:
        self.lines.append("")
        for tr in tbl.findall(f"{W}tr"):
            for tc in tr.findall(f"{W}tc"):
                paras = self.cell(tc)
                self.lines.append("\t" + (paras[0] if paras else ""))
                self.lines.extend(paras[1:])
        self.lines.extend(["", ""])

    def body(self, el: ET.Element) -> None:
        for child in el:
            if child.tag == f"{W}p":
                self.lines.extend(self.paragraph(child).split("\n"))
            elif child.tag == f"{W}tbl":
                self.table(child)
            elif child.tag == f"{W}sdt":
                content = child.find(f"{W}sdtContent")
                if content is not None:
                    self.body(content)


def docx_text(data: bytes) -> str:
    """The text of a .docx given as bytes; ``DocxError`` when it is not a readable Word document."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if "word/document.xml" not in zf.namelist():
                raise DocxError("plan.docx", "文件不是 Word 文档（.docx 中缺少 word/document.xml）")
            root = ET.fromstring(zf.read("word/document.xml"))
            reader = _Reader(_numbering(zf))
    except (zipfile.BadZipFile, ET.ParseError, KeyError, ValueError, OSError) as exc:
        if isinstance(exc, DocxError):
            raise
        reason = "文件已损坏或不是 .docx 格式（旧版 .doc 请先另存为 .docx）"
        if isinstance(exc, ET.ParseError):
            reason = "文档内容（word/document.xml）格式错误"
        raise DocxError("plan.docx", f"无法读取 Word 文档：{reason}") from exc
    body = root.find(f"{W}body")
    if body is not None:
        reader.body(body)
    return "\n".join(reader.lines)
