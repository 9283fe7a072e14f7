"""The .docx reader: paragraphs and tables in document order, Word's automatic numbering written out,
merged cells, and the county's plan as a Word document giving the same plan JSON as its .txt copy.

The documents are built here from their XML with zipfile (python-docx is not installed)."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from edubrain.core.plan.blocks import Paragraph, Table, split_blocks
from edubrain.core.plan.docx import docx_text, format_number
from edubrain.core.plan.parser import PlanReadError, normalise, parse_file

COUNTY = Path(__file__).parents[3] / "src/edubrain/data/plans/yiyuan_2021_2025.txt"
NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="word/document.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    "</Relationships>"
)


def para(text: str, num: tuple[int, int] | None = None, style: str | None = None) -> str:
    """A paragraph; its text split over two runs (as Word does) so the reader must join them."""
    ppr = ""
    if num or style:
        inner = f'<w:pStyle w:val="{style}"/>' if style else ""
        if num:
            inner += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
        ppr = f"<w:pPr>{inner}</w:pPr>"
    half = len(text) // 2
    runs = "".join(
        f'<w:r><w:t xml:space="preserve">{escape(t)}</w:t></w:r>' for t in (text[:half], text[half:]) if t
    )
    return f"<w:p>{ppr}{runs}</w:p>"


def cell(paras: list[str] | str, merge: str | None = None, span: int = 1) -> str:
    texts = [paras] if isinstance(paras, str) else paras
    pr = ""
    if merge or span > 1:
        pr = "<w:tcPr>"
        pr += f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
        pr += ('<w:vMerge w:val="restart"/>' if merge == "restart" else "<w:vMerge/>") if merge else ""
        pr += "</w:tcPr>"
    body = "".join(para(t) for t in texts) or "<w:p/>"
    return f"<w:tc>{pr}{body}</w:tc>"


def table(rows: list[list[str]]) -> str:
    return "<w:tbl>" + "".join("<w:tr>" + "".join(r) + "</w:tr>" for r in rows) + "</w:tbl>"


def build_docx(path: Path, body: str, numbering: str | None = None, styles: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", RELS)
        head = '<?xml version="1.0" encoding="UTF-8"?>'
        zf.writestr(
            "word/document.xml", f"{head}<w:document {NS}><w:body>{body}<w:sectPr/></w:body></w:document>"
        )
        if numbering:
            zf.writestr("word/numbering.xml", f"{head}<w:numbering {NS}>{numbering}</w:numbering>")
        if styles:
            zf.writestr("word/styles.xml", f"{head}<w:styles {NS}>{styles}</w:styles>")
    return path


def county_docx(path: Path) -> Path:
    """The county's plan as Word would hold it: its paragraphs, and its two tables with real rows (Table 1:
    one row per 类别 with blocks of indicators, the last row's name spanning 类别 and 指标)."""
    parts: list[str] = []
    for block in split_blocks(normalise(COUNTY.read_text(encoding="utf-8"))):
        if isinstance(block, Paragraph):
            parts.append(para(block.text))
            continue
        assert isinstance(block, Table)
        width = 3 if block.caption.startswith("表2") else 5
        cells = block.cells
        rows = [cells[k : k + width] for k in range(0, len(cells), width)]
        if len(rows[-1]) == width - 1:  # 劳动年龄人口平均受教育年限 spans two columns
            rows[-1] = [cell(rows[-1][0], span=2), *(cell(c) for c in rows[-1][1:])]
            rows[:-1] = [[cell(c) for c in r] for r in rows[:-1]]
        else:
            rows = [[cell(c) for c in r] for r in rows]
        parts.append(para(block.caption))
        parts.append(table(rows))
    return build_docx(path, "".join(parts))


def test_county_plan_as_docx_gives_the_same_plan_as_the_txt(tmp_path):
    from_docx = parse_file(county_docx(tmp_path / "plan.docx"))
    from_txt = parse_file(COUNTY)
    for key in ("title", "issuer", "doc_number", "period", "sections", "tasks", "projects", "unparsed"):
        assert from_docx[key] == from_txt[key], key
    assert [t["indicator"] for t in from_docx["targets"]] == [t["indicator"] for t in from_txt["targets"]]
    assert [
        (t["baseline"], t["target"], t["comparator"], t["nature"], t["category"])
        for t in from_docx["targets"]
    ] == [
        (t["baseline"], t["target"], t["comparator"], t["nature"], t["category"]) for t in from_txt["targets"]
    ]
    assert len(from_docx["targets"]) == 33 and len(from_docx["projects"]) == 18


def level(ilvl: int, fmt: str, text: str) -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
    )


NUMBERING = (
    '<w:abstractNum w:abstractNumId="0">'
    + level(0, "chineseCounting", "%1、")
    + level(1, "chineseCounting", "（%2）")
    + level(2, "decimal", "%3.")
    + "</w:abstractNum>"
    '<w:abstractNum w:abstractNumId="1">' + level(0, "bullet", "•") + "</w:abstractNum>"
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
)
STYLES = (
    '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>'
    '<w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
)


def test_automatic_numbering_merged_cells_and_document_order(tmp_path):
    body = "".join(
        [
            para("青山县教育事业发展“十四五”规划"),
            para("发展目标", style="Heading1"),  # 一、 from the style's numbering
            table(
                [
                    [cell("类别"), cell("指标"), cell("2020年"), cell("2025年"), cell("属性")],
                    [
                        cell("普及水平", "restart"),
                        cell("学前三年毛入园率（%）"),
                        cell("90"),
                        cell("95"),
                        cell("约束性"),
                    ],
                    [
                        cell("", "continue"),
                        cell("高中阶段毛入学率（%）"),
                        cell("93"),
                        cell("96"),
                        cell("预期性"),
                    ],
                    [cell("师资", "restart"), cell("生师比"), cell("—"), cell("15"), cell("约束性")],
                ]
            ),
            para("主要任务", style="Heading1"),  # 二、
            para("学前教育", num=(1, 1)),  # （一）
            para("扩大学前资源。新建幼儿园5所。（责任单位：县教育局、县财政局）", num=(1, 2)),  # 1.
            para("提高保教质量。省级示范幼儿园达到10所。（责任单位：县教育局）", num=(1, 2)),  # 2.
            para("要点一", num=(2, 0)),  # a bullet: no label
            para("义务教育", num=(1, 1)),  # （二）: the decimal level starts again
            para("推进均衡发展。义务教育巩固率达到99%以上。（责任单位：县教育局）", num=(1, 2)),
        ]
    )
    path = build_docx(tmp_path / "numbered.docx", body, NUMBERING, STYLES)
    text = docx_text(path.read_bytes())
    assert "一、发展目标" in text and "二、主要任务" in text and "（一）学前教育" in text
    assert "\n1.扩大学前资源" in text and "\n2.提高保教质量" in text and "\n要点一" in text
    assert "（二）义务教育\n1.推进均衡发展" in text
    assert "\t普及水平\n\t学前三年毛入园率（%）" in text and "\t约束性\n\t\n\t高中阶段毛入学率（%）" in text
    assert text.index("一、发展目标") < text.index("\t类别") < text.index("二、主要任务")
    plan = parse_file(path)
    assert plan["title"] == "青山县教育事业发展“十四五”规划" and plan["period"] == [2021, 2025]
    assert [s["code"] for s in plan["sections"]] == ["一", "二"]
    assert [c["code"] for c in plan["sections"][1]["children"]] == ["二.(一)", "二.(二)"]
    assert [(t["code"], t["units"]) for t in plan["tasks"]] == [
        ("二.(一).1", ["县教育局", "县财政局"]),
        ("二.(一).2", ["县教育局"]),
        ("二.(二).1", ["县教育局"]),
    ]
    table_targets = [t for t in plan["targets"] if t["origin"] == "table"]
    assert [
        (t["indicator"], t["category"], t["baseline"], t["target"], t["nature"]) for t in table_targets
    ] == [
        ("学前三年毛入园率", "普及水平", 90, 95, "约束性"),
        ("高中阶段毛入学率", "普及水平", 93, 96, "预期性"),  # the merged 类别 cell inherits
        ("生师比", "师资", None, 15, "约束性"),
    ]
    text_targets = [(t["indicator"], t["target"], t["unit"], t["task_code"]) for t in plan["targets"][3:]]
    assert text_targets == [
        ("新建幼儿园", 5, "所", "二.(一).1"),
        ("省级示范幼儿园", 10, "所", "二.(一).2"),
        ("义务教育巩固率", 99, "%", "二.(二).1"),
    ]


def test_number_formats():
    assert [format_number(n, "chineseCounting") for n in (1, 10, 11, 20, 23)] == [
        "一",
        "十",
        "十一",
        "二十",
        "二十三",
    ]
    assert format_number(3, "decimalEnclosedCircle") == "③" and format_number(2, "lowerLetter") == "b"
    assert format_number(4, "upperRoman") == "IV" and format_number(7, "bullet") == ""


def test_not_a_word_document(tmp_path):
    with zipfile.ZipFile(tmp_path / "x.docx", "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(PlanReadError, match="word/document.xml"):
        parse_file(tmp_path / "x.docx")
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(PlanReadError, match="无法读取 Word 文档"):
        parse_file(tmp_path / "broken.docx")
