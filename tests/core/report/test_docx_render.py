"""The government-document renderer: a ReportDoc read back from its .docx with python-docx (numbering, fonts,
page, tables, figures, footer, 落款), then converted by LibreOffice and its first page rendered to PNG."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import docx
import numpy as np
import pypdf
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from PIL import Image

from edubrain.core.report import charts
from edubrain.core.report.document import Figure, Heading, PageBreak, Paragraph, ReportDoc, Table
from edubrain.core.report.docx_render import (
    BODY_FONT,
    HEI_FONT,
    KAI_FONT,
    TITLE_FONT,
    chinese_number,
    fontconfig_xml,
    render_docx,
)

TITLE = "沂源县教育事业发展“十四五”规划\n2024年度监测评估报告"
ISSUER = "沂源县教育和体育局"
DATE = "2025年3月10日"

SECTIONS = [
    ("总体情况", [("学前教育", ["普惠性幼儿园覆盖率", "学前三年毛入园率"]), ("义务教育", [])]),
    ("主要指标", [("达标情况", ["义务教育巩固率"])]),
    ("主要任务推进情况", []),
    ("存在的问题", [("指标滞后", [])]),
]


def headings(skip: str = "") -> list[Heading]:
    """The headings of SECTIONS, as a builder would emit them (a template may drop a level-1 section)."""
    out: list[Heading] = []
    for title, subs in SECTIONS:
        if title == skip:
            continue
        out.append(Heading(title, 1))
        for sub, items in subs:
            out.append(Heading(sub, 2))
            out.extend(Heading(item, 3) for item in items)
    return out


TARGETS = Table(
    columns=["指标", "基期值", "2024年", "目标值", "状态"],
    rows=[
        ["学前三年毛入园率（%）", "91.2", "95.33", "≥96", "符合预期"],
        ["义务教育巩固率（%）", "98.1", "99.2", "≥99", "已达到"],
    ],
    caption="主要指标监测情况",
    numeric=[False, True, True, True, False],
)
TREND = charts.trend_png(
    "学前三年毛入园率", "%", {2021: 92.5, 2022: 93.0, 2023: 94.1, 2024: 95.33}, target=96, target_year=2025
)


def sample(**kw: object) -> ReportDoc:
    doc = ReportDoc(title=TITLE, issuer=ISSUER, date_text=DATE, **kw)  # type: ignore[arg-type]
    doc.add(Paragraph("根据县政府工作安排，现将2024年度规划实施情况报告如下。"))
    hs = headings()
    doc.add(hs[0], Paragraph("规划设定的32项主要指标中，已达到目标的18项。", lead="总体进展。"))
    doc.add(*hs[1:4], TARGETS, Figure(TREND, "学前三年毛入园率变化趋势", width_cm=14.0))
    doc.add(*hs[4:6], Table(["单位", "问题数"], [], caption="督导发现问题", numeric=[False, True]))
    doc.add(Table(["说明"], [["不编号的表"]], caption="附：说明", numbered=False))
    doc.add(hs[6], PageBreak(), *hs[7:], Table(["项目", "进度"], [["校舍改造", "80%"]], caption="重点项目"))
    doc.add(Figure(TREND, "第二张图"), Paragraph("一是……；二是……。"))
    return doc


def read(doc: ReportDoc) -> docx.document.Document:
    return docx.Document(io.BytesIO(render_docx(doc)))


def texts(document: docx.document.Document) -> list[str]:
    return [p.text for p in document.paragraphs if p.text.strip()]


def heading_texts(document: docx.document.Document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]


def run_fonts(run: object) -> dict[str, str | None]:
    fonts = run._element.rPr.find(qn("w:rFonts"))  # type: ignore[attr-defined]
    return {k: fonts.get(qn(f"w:{k}")) for k in ("ascii", "hAnsi", "eastAsia")}


# ---------------------------------------------------------------- numbering


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "一"),
        (9, "九"),
        (10, "十"),
        (11, "十一"),
        (19, "十九"),
        (20, "二十"),
        (21, "二十一"),
        (99, "九十九"),
    ],
)
def test_chinese_numbers(n: int, text: str) -> None:
    assert chinese_number(n) == text


def test_headings_are_numbered_per_parent_at_three_levels() -> None:
    document = read(ReportDoc(TITLE, ISSUER, DATE, blocks=list(headings())))
    assert heading_texts(document) == [
        "一、总体情况",
        "（一）学前教育",
        "1.普惠性幼儿园覆盖率",
        "2.学前三年毛入园率",
        "（二）义务教育",
        "二、主要指标",
        "（一）达标情况",
        "1.义务教育巩固率",
        "三、主要任务推进情况",
        "四、存在的问题",
        "（一）指标滞后",
    ]
    assert [p.style.name for p in document.paragraphs if p.text == "（一）学前教育"] == ["Heading 2"]


def test_a_dropped_section_renumbers_the_rest() -> None:
    document = read(ReportDoc(TITLE, ISSUER, DATE, blocks=list(headings(skip="主要指标"))))
    found = heading_texts(document)
    assert "二、主要任务推进情况" in found
    assert "三、存在的问题" in found
    assert not any("主要指标" in t or t.startswith("四、") for t in found)


# ---------------------------------------------------------------- page, title, fonts


def test_a4_with_the_official_margins() -> None:
    section = read(sample()).sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.cm, 2) for m in margins] == [3.7, 3.5, 2.8, 2.6]


def test_title_number_and_subtitle_lines() -> None:
    document = read(sample(doc_number="源教体字〔2025〕12号", subtitle="（征求意见稿）"))
    title, number, subtitle = document.paragraphs[:3]
    assert title.text == TITLE  # one paragraph, the second line after a line break
    assert "<w:br/>" in title._p.xml
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert {run_fonts(r)["eastAsia"] for r in title.runs if r.text} == {TITLE_FONT}
    assert {r.font.size.pt for r in title.runs if r.text} == {22.0}
    assert number.text == "源教体字〔2025〕12号" and number.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert subtitle.text == "（征求意见稿）" and subtitle.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert run_fonts(subtitle.runs[0])["eastAsia"] == KAI_FONT


def test_without_number_and_subtitle_the_body_follows_the_title() -> None:
    document = read(sample())
    assert texts(document)[1] == "根据县政府工作安排，现将2024年度规划实施情况报告如下。"


def test_every_run_names_its_chinese_font() -> None:
    document = read(sample(doc_number="源教体字〔2025〕12号", subtitle="（征求意见稿）"))
    runs = [r for p in document.paragraphs for r in p.runs if r.text]
    runs += [
        r for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs
    ]
    assert len(runs) > 40
    for run in runs:
        fonts = run_fonts(run)
        assert fonts["eastAsia"] and fonts["ascii"] == fonts["eastAsia"] == fonts["hAnsi"], run.text
    # and no theme font in the defaults that would override the names in Word
    fonts = document.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:rFonts"))
    assert not [name for name in fonts.attrib if "heme" in name]
    assert fonts.get(qn("w:eastAsia")) == BODY_FONT


def test_heading_fonts_by_level() -> None:
    document = read(sample())
    by_text = {p.text: p for p in document.paragraphs}
    one, two, three = by_text["一、总体情况"], by_text["（一）学前教育"], by_text["1.普惠性幼儿园覆盖率"]
    assert run_fonts(one.runs[0])["eastAsia"] == HEI_FONT and not one.runs[0].bold
    assert run_fonts(two.runs[0])["eastAsia"] == KAI_FONT and not two.runs[0].bold
    assert run_fonts(three.runs[0])["eastAsia"] == BODY_FONT and three.runs[0].bold
    assert {r.font.size.pt for p in (one, two, three) for r in p.runs} == {16.0}


def test_body_text_in_fangsong_16pt_exact_line_spacing_and_two_character_indent() -> None:
    document = read(sample())
    normal = document.styles["Normal"].paragraph_format
    assert normal.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert 28 <= normal.line_spacing.pt <= 29
    assert normal.first_line_indent.pt == 32
    assert document.styles["Normal"].element.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"
    body = next(p for p in document.paragraphs if p.text.startswith("根据县政府"))
    assert body.style.name == "Normal" and body.paragraph_format.first_line_indent is None  # from the style
    assert run_fonts(body.runs[0])["eastAsia"] == BODY_FONT and body.runs[0].font.size.pt == 16


def test_the_lead_is_printed_bold_before_the_text() -> None:
    document = read(sample())
    p = next(p for p in document.paragraphs if p.text.startswith("总体进展。"))
    assert p.text == "总体进展。规划设定的32项主要指标中，已达到目标的18项。"
    assert [(r.text, bool(r.bold)) for r in p.runs] == [
        ("总体进展。", True),
        ("规划设定的32项主要指标中，已达到目标的18项。", False),
    ]


def test_core_properties() -> None:
    props = read(sample()).core_properties
    assert props.title == TITLE.replace("\n", "")
    assert props.author == ISSUER


# ---------------------------------------------------------------- tables and figures


def test_table_captions_are_numbered_above_their_tables() -> None:
    document = read(sample())
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert captions == [
        "表1 主要指标监测情况",
        "图1 学前三年毛入园率变化趋势",
        "表2 督导发现问题",
        "附：说明",
        "表3 重点项目",
        "图2 第二张图",
    ]
    body = document.element.body
    first_table = body.find(qn("w:tbl"))
    caption = first_table.getprevious()
    assert "表1 主要指标监测情况" in "".join(caption.itertext())
    assert {
        run_fonts(r)["eastAsia"] for p in document.paragraphs if p.style.name == "Caption" for r in p.runs
    } == {HEI_FONT}


def test_table_cells_header_alignment_and_borders() -> None:
    document = read(sample())
    table = document.tables[0]
    header = table.rows[0]
    assert [c.text for c in header.cells] == TARGETS.columns
    assert all(r.bold for c in header.cells for r in c.paragraphs[0].runs)
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on every page
    assert [c.text for c in table.rows[2].cells] == TARGETS.rows[1]
    aligns = [c.paragraphs[0].alignment for c in table.rows[1].cells]
    right, left = WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.LEFT
    assert aligns == [left, right, right, right, left]
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} == {"single"} and len(borders) == 6
    sizes = {r.font.size.pt for row in table.rows for c in row.cells for r in c.paragraphs[0].runs}
    assert sizes <= {10.5, 12.0} and sizes
    assert {run_fonts(r)["eastAsia"] for c in header.cells for r in c.paragraphs[0].runs} == {BODY_FONT}


def test_table_fills_the_text_width_and_numbers_stay_narrow() -> None:
    table = read(sample()).tables[0]
    widths = [c.width.cm for c in table.rows[0].cells]
    assert sum(widths) == pytest.approx(15.6, abs=0.05)
    assert widths[0] > 2 * widths[1]  # the indicator name gets the room


def test_a_long_text_column_wraps_and_short_columns_keep_their_width() -> None:
    long_name = "城市与农村义务教育学校专任教师本科以上学历比例之比（城区学校除以乡村学校）" * 2
    table = Table(
        ["序号", "指标", "2024年", "目标值", "状态"],
        [["1", long_name, "1.02", "≤1.02（2025年）", "已达成"]],
        numeric=[True, False, True, False, False],
    )
    cells = read(ReportDoc(TITLE, ISSUER, DATE, blocks=[table])).tables[0].rows[0].cells
    widths = [c.width.cm for c in cells]
    assert sum(widths) == pytest.approx(15.6, abs=0.05)
    half = 12 / 2 / 72 * 2.54  # a half-width character at 12 pt, in cm
    assert widths[0] >= 4 * half + 0.4 and widths[2] >= 6 * half + 0.4  # 序号 and "2024年" on one line
    assert widths[3] >= 15 * half  # "≤1.02（2025年）" on one line
    assert widths[1] == max(widths)


def test_an_empty_table_says_none() -> None:
    table = read(sample()).tables[1]
    assert [c.text for c in table.rows[0].cells] == ["单位", "问题数"]
    assert len(table.rows) == 2 and table.rows[1].cells[0].text == "（无）"
    assert len(table.rows[1].cells[0].paragraphs) == 1


def test_a_wide_table_uses_the_smaller_size() -> None:
    wide = Table([f"列{i}" for i in range(8)], [[str(i) for i in range(8)]], caption="宽表")
    document = read(ReportDoc(TITLE, ISSUER, DATE, blocks=[wide]))
    sizes = {
        r.font.size.pt for row in document.tables[0].rows for c in row.cells for r in c.paragraphs[0].runs
    }
    assert sizes == {10.5}


def test_figures_are_embedded_centred_at_their_width() -> None:
    document = read(sample())
    shapes = document.inline_shapes
    assert len(shapes) == 2
    assert shapes[0].width.cm == pytest.approx(14.0, abs=0.01)
    assert shapes[1].width.cm == pytest.approx(15.0, abs=0.01)
    holder = next(p for p in document.paragraphs if p._p.xpath(".//pic:pic"))
    assert holder.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert holder.paragraph_format.line_spacing_rule == WD_LINE_SPACING.SINGLE  # never cropped
    blob = document.part.related_parts[shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
    assert blob == TREND


def test_page_break_and_unknown_blocks() -> None:
    document = read(sample())
    assert 'w:type="page"' in document.element.body.xml
    with pytest.raises(TypeError):
        render_docx(ReportDoc(TITLE, ISSUER, DATE, blocks=["文字"]))  # type: ignore[list-item]


# ---------------------------------------------------------------- signature and footer


def test_issuer_and_date_right_aligned_at_the_end() -> None:
    document = read(sample())
    filled = [p for p in document.paragraphs if p.text.strip()]
    issuer, date = filled[-2:]
    assert (issuer.text, date.text) == (ISSUER, DATE)
    assert issuer.alignment == date.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert filled[-3].text == "一是……；二是……。"
    assert filled[-3].paragraph_format.keep_with_next  # the 落款 never stands alone on a page


def test_no_issuer_no_signature() -> None:
    document = read(ReportDoc(TITLE, "", "", blocks=[Paragraph("正文。")]))
    assert texts(document)[-1] == "正文。"


def test_footer_page_numbers_with_a_page_field() -> None:
    document = read(sample())
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        xml = footer._element.xml
        assert "PAGE" in "".join(t.text for t in footer._element.iter(qn("w:instrText")))
        assert xml.count("w:fldCharType") == 3
        p = footer.paragraphs[0]
        assert p.text.startswith("— ") and p.text.endswith(" —")
        assert p.alignment == getattr(WD_ALIGN_PARAGRAPH, align.upper())


# ---------------------------------------------------------------- LibreOffice


def soffice() -> str:
    found = shutil.which("soffice")
    assert found, "LibreOffice（soffice）未安装：运行 make system 安装 libreoffice-writer-nogui"
    return found


def convert(data: bytes, tmp_path: Path) -> Path:
    source = tmp_path / "report.docx"
    source.write_bytes(data)
    fonts = tmp_path / "fonts.conf"
    fonts.write_text(fontconfig_xml(), encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(fonts), "HOME": str(tmp_path)}
    done = subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        timeout=180,
        env=env,
        check=False,
    )
    target = tmp_path / "report.pdf"
    assert done.returncode == 0 and target.exists(), done.stderr.decode("utf-8", "replace")
    return target


def test_libreoffice_opens_it_and_a_page_looks_like_a_report(tmp_path: Path) -> None:
    doc = sample(doc_number="源教体字〔2025〕12号")
    pdf = convert(render_docx(doc), tmp_path)
    reader = pypdf.PdfReader(pdf)
    assert len(reader.pages) >= 2  # the page break at least
    text = "".join(page.extract_text() for page in reader.pages).replace(" ", "").replace("\n", "")
    for expected in (
        "2024年度监测评估报告",
        "源教体字〔2025〕12号",
        "一、总体情况",
        "（一）学前教育",
        "1.普惠性幼儿园覆盖率",
        "表1主要指标监测情况",
        "95.33",
        "图1学前三年毛入园率变化趋势",
        "四、存在的问题",
        ISSUER,
        DATE,
        "—1—",
    ):
        assert expected in text, expected
    # the aliases gave the body a serif CJK face and the 黑体 headings a sans one
    fonts = {
        str(font.get("/BaseFont"))
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
        for font in [font.get_object()]
    }
    assert any("Serif" in f and "CJK" in f for f in fonts), fonts
    assert any("Sans" in f and "CJK" in f for f in fonts), fonts

    assert shutil.which("pdftoppm"), "pdftoppm 未安装：运行 make system 安装 poppler-utils"
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
        check=True,
        timeout=60,
    )
    png = next(tmp_path.glob("page*.png"))
    img = np.asarray(Image.open(png).convert("L"))
    assert img.shape == pytest.approx((702, 496), abs=2)  # A4 at 60 dpi
    white, dark = (img > 240).mean(), (img < 100).mean()
    assert white > 0.85, white  # mostly white paper …
    assert dark > 0.005, dark  # … with dark text on it
    rows = np.where((img < 100).any(axis=1))[0]
    top_margin_px = 3.7 / 2.54 * 60
    assert rows.min() >= top_margin_px - 3  # nothing printed in the top margin
