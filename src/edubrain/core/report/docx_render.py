"""公文样式 .docx (the government-document renderer): a ``ReportDoc`` to Word bytes with python-docx.

The layout follows 党政机关公文格式 (GB/T 9704-2012) as county reports are written:

- A4, margins top 3.7 cm, bottom 3.5 cm, left 2.8 cm, right 2.6 cm (版心 15.6 × 22.5 cm);
- title centred in 方正小标宋简体 二号 (22 pt); 文号 under it in 仿宋, a subtitle in 楷体;
- body 仿宋_GB2312 三号 (16 pt), line spacing exactly 28.95 pt (22 lines a page), first-line indent of two
  characters, justified; a paragraph's ``lead`` printed bold before its text;
- headings numbered here, per parent: level 1 黑体 "一、", level 2 楷体_GB2312 "（一）", level 3 仿宋 bold
  "1." (so a template that drops a section renumbers the rest);
- tables: caption above in 黑体 ("表1 …"), borders, header row bold and repeated on every page, 仿宋 12 pt
  (10.5 pt for wide tables), numeric columns right-aligned;
- figures centred with the caption below ("图1 …");
- 落款 (issuer) and 成文日期 right-aligned at the end; page numbers "— 1 —" in the footer (PAGE field),
  odd pages right, even pages left.

Every run names its ASCII and its East Asian font (``w:rFonts``), so Chinese text takes the Chinese font in
Word and LibreOffice; the Chinese fonts are declared in the font table with a common fallback (宋体, 仿宋,
楷体, 黑体) for machines without the GB2312 fonts.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.opc.oxml import parse_xml, serialize_part_xml
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt, RGBColor

from edubrain.core.report.document import Figure, Heading, PageBreak, Paragraph, ReportDoc, Table

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEI_FONT = "黑体"
KAI_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
# name → (fallback Word and LibreOffice try when the font is missing, w:family)
FONT_TABLE = {
    TITLE_FONT: ("宋体", "script"),
    BODY_FONT: ("仿宋", "modern"),
    KAI_FONT: ("楷体", "modern"),
    HEI_FONT: ("SimHei", "modern"),
    PAGE_NUMBER_FONT: ("SimSun", "auto"),
}

BODY_SIZE = 16.0  # 三号
TITLE_SIZE = 22.0  # 二号
TABLE_SIZE = 12.0  # 小四
TABLE_SIZE_WIDE = 10.5  # 五号, tables of more than six columns
CAPTION_SIZE = 14.0  # 四号
LINE_PITCH = 28.95  # 22 lines on the 22.5 cm 版心
TITLE_LINE = 36.0
PAGE_WIDTH, PAGE_HEIGHT = 21.0, 29.7
MARGINS = {"top": 3.7, "bottom": 3.5, "left": 2.8, "right": 2.6}
TEXT_WIDTH_CM = PAGE_WIDTH - MARGINS["left"] - MARGINS["right"]
INDENT = Pt(2 * BODY_SIZE)  # two characters of 三号
BLACK = RGBColor(0, 0, 0)

HEADING_FONTS = {1: (HEI_FONT, False), 2: (KAI_FONT, False), 3: (BODY_FONT, True)}
DIGITS = "零一二三四五六七八九"


def render_docx(doc: ReportDoc) -> bytes:
    """The document as .docx bytes."""
    document: Any = Document()
    _page_setup(document)
    _styles(document)
    _font_table(document)
    _core_properties(document, doc)
    body = document.paragraphs[0] if document.paragraphs else None
    if body is not None:  # the template's empty first paragraph
        body._element.getparent().remove(body._element)
    _title_block(document, doc)
    _Blocks(document).render(doc.blocks)
    _signature(document, doc)
    _footer(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- numbering


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (up to 99; larger numbers as digits)."""
    if n <= 0 or n >= 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return DIGITS[ones]
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")


def heading_number(level: int, n: int) -> str:
    """The printed number of the n-th heading of a level: 一、 / （一） / 1."""
    if level <= 1:
        return f"{chinese_number(n)}、"
    if level == 2:
        return f"（{chinese_number(n)}）"
    return f"{n}."


class _Blocks:
    """Renders blocks in order, keeping the heading counters (per parent) and the table/figure numbers."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.counters = [0, 0, 0]
        self.tables = 0
        self.figures = 0

    def render(self, blocks: Sequence[object]) -> None:
        for block in blocks:
            if isinstance(block, Heading):
                self.heading(block)
            elif isinstance(block, Paragraph):
                self.paragraph(block)
            elif isinstance(block, Table):
                self.table(block)
            elif isinstance(block, Figure):
                self.figure(block)
            elif isinstance(block, PageBreak):
                self.document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            else:
                raise TypeError(f"unknown report block: {type(block).__name__}")

    def heading(self, block: Heading) -> None:
        level = min(max(block.level, 1), 3)
        self.counters[level - 1] += 1
        for deeper in range(level, 3):
            self.counters[deeper] = 0
        number = heading_number(level, self.counters[level - 1])
        p = self.document.add_paragraph(style=f"Heading {level}")
        font, bold = HEADING_FONTS[level]
        _run(p, number + block.text, font, BODY_SIZE, bold=bold)

    def paragraph(self, block: Paragraph) -> None:
        p = self.document.add_paragraph(style="Normal")
        if block.lead:
            _run(p, block.lead, BODY_FONT, BODY_SIZE, bold=True)
        if block.text:
            _run(p, block.text, BODY_FONT, BODY_SIZE)

    def caption(self, text: str) -> Any:
        p = self.document.add_paragraph(style="Caption")
        _run(p, text, HEI_FONT, CAPTION_SIZE)
        return p

    def table(self, block: Table) -> None:
        if block.caption:
            if block.numbered:
                self.tables += 1
                text = f"表{self.tables} {block.caption}"
            else:
                text = block.caption
            self.caption(text).paragraph_format.keep_with_next = True
        _table(self.document, block)
        _spacer(self.document)

    def figure(self, block: Figure) -> None:
        p = self.document.add_paragraph(style="Normal")
        fmt = p.paragraph_format
        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt.first_line_indent = Pt(0)
        _clear_first_line_chars(p)
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE  # an exact line height would crop the picture
        fmt.space_before = Pt(6)
        fmt.keep_with_next = True
        width = Cm(min(block.width_cm, TEXT_WIDTH_CM))
        p.add_run().add_picture(io.BytesIO(block.png), width=Emu(width))
        if block.caption:
            self.figures += 1
            self.caption(f"图{self.figures} {block.caption}").paragraph_format.space_after = Pt(6)


# ---------------------------------------------------------------- page and styles


def _page_setup(document: Any) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(PAGE_WIDTH), Cm(PAGE_HEIGHT)
    section.top_margin = Cm(MARGINS["top"])
    section.bottom_margin = Cm(MARGINS["bottom"])
    section.left_margin = Cm(MARGINS["left"])
    section.right_margin = Cm(MARGINS["right"])
    section.header_distance = Cm(1.5)
    section.footer_distance = Cm(2.5)  # the page number sits about 7 mm under the 版心
    document.settings.odd_and_even_pages_header_footer = True


def _styles(document: Any) -> None:
    defaults = document.styles.element.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(r_pr, BODY_FONT)
    lang = r_pr.find(qn("w:lang"))
    # Latin text English, East Asian text Chinese (as Word in China writes it); a Chinese w:val makes
    # LibreOffice break a number ("1|8项") at the end of a justified line.
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")

    normal = document.styles["Normal"]
    _style_font(normal, BODY_FONT, BODY_SIZE)
    fmt = normal.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PITCH)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.first_line_indent = INDENT
    fmt.widow_control = True
    _first_line_chars(normal.element.get_or_add_pPr(), 200)

    for level, (font, bold) in HEADING_FONTS.items():
        style = document.styles[f"Heading {level}"]
        _style_font(style, font, BODY_SIZE, bold=bold)
        fmt = style.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(LINE_PITCH)
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.first_line_indent = INDENT
        fmt.keep_with_next = True
        fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        _first_line_chars(style.element.get_or_add_pPr(), 200)

    caption = document.styles["Caption"]
    _style_font(caption, HEI_FONT, CAPTION_SIZE)
    fmt = caption.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PITCH)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.first_line_indent = Pt(0)
    _first_line_chars(caption.element.get_or_add_pPr(), 0)


def _style_font(style: Any, font: str, size: float, *, bold: bool = False) -> None:
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = BLACK
    _set_fonts(style.element.get_or_add_rPr(), font)


def _font_table(document: Any) -> None:
    """Declare the Chinese fonts (GB2312 charset) with a fallback name, so a machine without 方正小标宋简体 or
    仿宋_GB2312 substitutes a Song/FangSong face instead of a Latin one."""
    part = next(rel.target_part for rel in document.part.rels.values() if rel.reltype.endswith("/fontTable"))
    root = parse_xml(part.blob)
    for name, (alt, family) in FONT_TABLE.items():
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        for tag, value in (("altName", alt), ("charset", "86"), ("family", family), ("pitch", "variable")):
            child = OxmlElement(f"w:{tag}")
            child.set(qn("w:val"), value)
            font.append(child)
        root.append(font)
    part._blob = serialize_part_xml(root)


def _core_properties(document: Any, doc: ReportDoc) -> None:
    props = document.core_properties
    props.title = doc.title.replace("\n", "")
    props.author = doc.issuer
    props.last_modified_by = doc.issuer
    props.subject = doc.subtitle
    props.comments = ""
    props.keywords = ""
    props.category = "报告"
    props.language = "zh-CN"
    props.revision = 1


# ---------------------------------------------------------------- title and signature


def _title_block(document: Any, doc: ReportDoc) -> None:
    p = document.add_paragraph(style="Normal")
    _centred(p, TITLE_LINE)
    runs = [_run(p, line, TITLE_FONT, TITLE_SIZE) for line in doc.title.split("\n")]
    for run in runs[:-1]:
        run.add_break()  # the next line of the title, in the same paragraph
    if doc.doc_number:
        p = document.add_paragraph(style="Normal")
        _centred(p, LINE_PITCH)
        _run(p, doc.doc_number, BODY_FONT, BODY_SIZE)
    if doc.subtitle:
        p = document.add_paragraph(style="Normal")
        _centred(p, LINE_PITCH)
        _run(p, doc.subtitle, KAI_FONT, BODY_SIZE)
    document.add_paragraph(style="Normal")  # one empty line before the body


def _centred(p: Any, line: float) -> None:
    fmt = p.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt.first_line_indent = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(line)
    _clear_first_line_chars(p)


def _signature(document: Any, doc: ReportDoc) -> None:
    """落款 and 成文日期 at the end, right-aligned two characters from the margin, after two empty lines."""
    lines = [text for text in (doc.issuer, doc.date_text) if text]
    if not lines:
        return
    if document.paragraphs:  # the 落款 never stands alone on a page: the last body line goes with it
        document.paragraphs[-1].paragraph_format.keep_with_next = True
    for _ in range(2):
        document.add_paragraph(style="Normal").paragraph_format.keep_with_next = True
    for text in lines:
        p = document.add_paragraph(style="Normal")
        fmt = p.paragraph_format
        fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        fmt.first_line_indent = Pt(0)
        fmt.right_indent = INDENT
        fmt.keep_with_next = text != lines[-1]
        _clear_first_line_chars(p)
        _run(p, text, BODY_FONT, BODY_SIZE)


def _footer(document: Any) -> None:
    """ "— 1 —" with a PAGE field: odd pages on the right, even pages on the left, one character in."""
    section = document.sections[0]
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(p: Any, alignment: Any) -> None:
    fmt = p.paragraph_format
    fmt.alignment = alignment
    fmt.first_line_indent = Pt(0)
    _clear_first_line_chars(p)
    if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
        fmt.right_indent = Pt(14)
    else:
        fmt.left_indent = Pt(14)
    _run(p, "— ", PAGE_NUMBER_FONT, CAPTION_SIZE)
    _field(p, "PAGE", "1")
    _run(p, " —", PAGE_NUMBER_FONT, CAPTION_SIZE)


def _field(p: Any, instruction: str, placeholder: str) -> None:
    for kind in ("begin", "instr", "separate", "text", "end"):
        run = _run(p, "", PAGE_NUMBER_FONT, CAPTION_SIZE)
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {instruction} "
            run._element.append(instr)
        elif kind == "text":
            run.text = placeholder
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._element.append(char)


# ---------------------------------------------------------------- tables


def _table(document: Any, block: Table) -> None:
    n = len(block.columns)
    numeric = list(block.numeric or [False] * n) + [False] * n
    size = TABLE_SIZE if n <= 6 else TABLE_SIZE_WIDE
    widths = _widths(block, size)
    rows = block.rows or [["（无）"] + [""] * (n - 1)]
    table = document.add_table(rows=1 + len(rows), cols=n)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _borders(table)
    _fixed_width(table, widths)
    header = table.rows[0]
    _repeat_header(header)
    for col, text in enumerate(block.columns):
        _cell(header.cells[col], text, size, widths[col], WD_ALIGN_PARAGRAPH.CENTER, bold=True)
    for r, values in enumerate(rows, start=1):
        row = table.rows[r]
        _cant_split(row)
        for col in range(n):
            text = values[col] if col < len(values) else ""
            align = WD_ALIGN_PARAGRAPH.RIGHT if numeric[col] else WD_ALIGN_PARAGRAPH.LEFT
            _cell(row.cells[col], text, size, widths[col], align)
    if not block.rows and n > 1:
        merged = table.rows[1].cells[0].merge(table.rows[1].cells[n - 1])
        for extra in merged.paragraphs[1:]:  # the merged cells' empty paragraphs
            extra._element.getparent().remove(extra._element)
        merged.paragraphs[0].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _widths(block: Table, size: float) -> list[float]:
    """Column widths in cm filling the 15.6 cm 版心: as given (scaled to fit when wider), else by the longest
    text of each column, the spare width going to the text columns (numbers stay narrow)."""
    n = len(block.columns)
    if block.widths_cm and len(block.widths_cm) == n:
        given = [max(0.8, w) for w in block.widths_cm]
        scale = min(1.0, TEXT_WIDTH_CM / sum(given))
        return [w * scale for w in given]
    half_char_cm = size / 2 / 72 * 2.54 * 1.1
    need = []
    for col in range(n):
        texts = [block.columns[col]] + [row[col] for row in block.rows if col < len(row)]
        longest = max(_text_width(t) for t in texts)
        need.append(min(max(longest, 4), 40) * half_char_cm + 0.5)  # + the cell's side margins
    total = sum(need)
    if total >= TEXT_WIDTH_CM:
        return _share(need, TEXT_WIDTH_CM)
    numeric = list(block.numeric or []) + [False] * n
    grow = [w for w, num in zip(need, numeric, strict=False) if not num] or need
    extra = (TEXT_WIDTH_CM - total) / sum(grow)
    return [w if numeric[c] and len(grow) < n else w * (1 + extra) for c, w in enumerate(need)]


def _share(need: list[float], room: float) -> list[float]:
    """Fit columns that need more than the room: a column needing no more than an equal share keeps its
    width (序号, numbers, short states do not wrap); the wide ones split the rest by the square root of what
    they need (long names wrap, but not into a sliver)."""
    fixed: dict[int, float] = {}
    while True:
        flex = [c for c in range(len(need)) if c not in fixed]
        left = room - sum(fixed.values())
        narrow = [c for c in flex if need[c] <= left / len(flex)]
        if not narrow or len(narrow) == len(flex):
            break
        fixed.update({c: need[c] for c in narrow})
    weights = {c: need[c] ** 0.5 for c in flex}
    total = sum(weights.values())
    return [fixed[c] if c in fixed else left * weights[c] / total for c in range(len(need))]


def _text_width(text: str) -> int:
    """Width in half-width characters (a Chinese character counts two)."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _cell(cell: Any, text: str, size: float, width_cm: float, align: Any, *, bold: bool = False) -> None:
    cell.width = Cm(width_cm)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    p = cell.paragraphs[0]
    fmt = p.paragraph_format
    fmt.alignment = align
    fmt.first_line_indent = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.space_before = fmt.space_after = Pt(1.5)
    _clear_first_line_chars(p)
    _run(p, text, BODY_FONT, size, bold=bold)


def _borders(table: Any) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), "6" if edge.startswith("inside") else "8")
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), "000000")
        borders.append(element)
    tbl_pr.insert_element_before(
        borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription"
    )


def _fixed_width(table: Any, widths: Sequence[float]) -> None:
    """The table's total width and its grid columns in twips (with ``autofit`` off: a fixed layout)."""
    width = table._tbl.tblPr.find(qn("w:tblW"))
    if width is not None:
        width.set(qn("w:w"), str(_twips(sum(widths))))
        width.set(qn("w:type"), "dxa")
    for col, w in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=False):
        col.set(qn("w:w"), str(_twips(w)))


def _twips(cm: float) -> int:
    return round(cm / 2.54 * 1440)


def _repeat_header(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)
    _cant_split(row)


def _cant_split(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.insert(0, OxmlElement("w:cantSplit"))


def _spacer(document: Any) -> None:
    """A short empty line after a table, so the next paragraph does not touch its bottom border."""
    p = document.add_paragraph(style="Normal")
    p.paragraph_format.line_spacing = Pt(12)


# ---------------------------------------------------------------- runs and fonts


def _run(p: Any, text: str, font: str, size: float, *, bold: bool = False) -> Any:
    run = p.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = BLACK
    _set_fonts(run._element.get_or_add_rPr(), font)
    return run


def _set_fonts(r_pr: Any, font: str) -> None:
    """w:rFonts with the same font for ASCII, hAnsi, East Asian and complex script text (no theme fonts,
    which would override the names in Word)."""
    fonts = r_pr.get_or_add_rFonts()
    for attr in list(fonts.attrib):
        if attr.endswith("Theme") or attr.endswith("theme"):
            del fonts.attrib[attr]
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attr}"), font)


def _first_line_chars(p_pr: Any, hundredths: int) -> None:
    """w:ind/@w:firstLineChars (200 = two characters): Word and LibreOffice indent by characters."""
    ind = p_pr.get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(hundredths))


def _clear_first_line_chars(p: Any) -> None:
    """A paragraph without the style's two-character indent (titles, captions, cells, signature)."""
    _first_line_chars(p._p.get_or_add_pPr(), 0)


# ---------------------------------------------------------------- converting on a server

# What a server without the Chinese government fonts should draw instead (first installed wins): the
# FangSong/KaiTi/SimHei faces when present, else the Noto CJK faces (fonts-noto-cjk).
SUBSTITUTES = {
    BODY_FONT: ("FangSong", "仿宋", "Noto Serif CJK SC"),
    KAI_FONT: ("KaiTi", "楷体", "Noto Serif CJK SC"),
    HEI_FONT: ("SimHei", "Noto Sans CJK SC"),
    PAGE_NUMBER_FONT: ("SimSun", "Noto Serif CJK SC"),
}
TITLE_SUBSTITUTE = "Noto Serif CJK SC"  # drawn bold: the heavy 小标宋 look


def fontconfig_xml(system_config: str = "/etc/fonts/fonts.conf") -> str:
    """A fontconfig file for converting these documents with LibreOffice on a server (pass its path in the
    ``FONTCONFIG_FILE`` environment variable of ``soffice``): the system configuration plus aliases from
    仿宋_GB2312, 楷体_GB2312, 黑体, 宋体 and 方正小标宋简体 to installed faces, so the PDF shows a serif body,
    a sans 黑体 heading and a heavy title instead of one fallback face everywhere."""
    lines = [
        '<?xml version="1.0"?>',
        '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
        "<fontconfig>",
        f'  <include ignore_missing="yes">{system_config}</include>',
    ]
    for name, prefer in SUBSTITUTES.items():
        families = "".join(f"<family>{family}</family>" for family in prefer)
        lines.append(f'  <alias binding="same"><family>{name}</family><prefer>{families}</prefer></alias>')
    lines += [
        f'  <match target="pattern"><test name="family"><string>{TITLE_FONT}</string></test>',
        f'    <edit name="family" mode="assign" binding="strong"><string>{TITLE_SUBSTITUTE}</string></edit>',
        '    <edit name="weight" mode="assign" binding="strong"><const>bold</const></edit></match>',
        "</fontconfig>",
        "",
    ]
    return "\n".join(lines)
