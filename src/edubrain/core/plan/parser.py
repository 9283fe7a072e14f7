"""Parse a plan document (.txt or .docx) into the plan JSON (contract in ``edubrain.core.plan``).

    parse_text(text) -> dict      the plan JSON of a document's text
    parse_file(path) -> dict      .txt (UTF-8, UTF-8/UTF-16 with BOM, UTF-16 without BOM, GBK/GB18030
                                  detected) or .docx (read with zipfile: ``core.plan.docx``)

How each part is found is documented where it is done: ``meta`` (title, issuer, 文号, period),
``blocks`` (paragraphs and the two table shapes), ``outline`` (section tree, tasks), ``units`` (责任单位),
``tables`` (指标 table and 重点项目 table, comparator rule), ``targets`` (targets in the prose). Nothing is
invented: what looks like part of the plan but cannot be read fully is listed in ``unparsed`` with the reason.

Values the document does not give are ``""`` for the texts (``issuer``, ``doc_number``, ``title``) and
``null`` for ``period``, years, baselines, ``nature`` and ``task_code``. Extra keys: ``category``, ``origin``
("table" or "text"), ``target_high`` (the top of a range "1—2个"), ``parent`` (the indicator a "其中：" row
belongs to) and ``milestones`` (values of further year columns) on targets; ``section`` (the code of the
task's section) on tasks; ``details`` (further columns) on projects.
"""

from __future__ import annotations

import codecs
import os
import re
from pathlib import Path
from typing import Any

from edubrain.core.errors import CoreError
from edubrain.core.plan.blocks import Paragraph, Table, split_blocks
from edubrain.core.plan.docx import docx_text
from edubrain.core.plan.meta import read_meta
from edubrain.core.plan.outline import build_outline
from edubrain.core.plan.tables import parse_table
from edubrain.core.plan.targets import scan_prose


class PlanReadError(CoreError):
    """The plan file cannot be read (missing, not text or Word, unknown encoding)."""


def normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    return text.replace("\u00a0", " ").replace("\u200b", "").replace("\x0c", "\n")


def parse_text(text: str) -> dict[str, Any]:
    blocks = split_blocks(normalise(text))
    paras = [b for b in blocks if isinstance(b, Paragraph)]
    meta = read_meta(paras)
    body = paras[meta.body_start :]
    after_table: set[int] = set()
    previous_was_table = False
    for block in blocks:
        if isinstance(block, Table):
            previous_was_table = True
        elif previous_was_table:
            after_table.add(id(block))
            previous_was_table = False
    outline = build_outline(body, after_table)
    targets: list[dict[str, Any]] = []
    projects: list[dict[str, Any]] = []
    unparsed: list[dict[str, str]] = []
    if not meta.title:
        unparsed.append({"text": "", "reason": "未找到规划名称（如“××县教育事业发展‘十四五’规划”）"})
    if meta.period is None:
        unparsed.append({"text": "", "reason": "未找到规划期（如“十四五”或“2021—2025年”），目标年份无法推定"})
    for block in blocks:
        if isinstance(block, Table):
            result = parse_table(block, meta.period)
            targets.extend(result.targets)
            projects.extend(result.projects)
            unparsed.extend(result.unparsed)
    unparsed.extend(outline.unparsed)
    items = []
    for p in body:
        info = outline.info.get(id(p))
        if info is not None and not info.facts:
            items.append((info.body, info.task_code))
    prose = scan_prose(items, meta.period)
    targets.extend(prose.targets)
    unparsed.extend(prose.unparsed)
    return {
        "title": meta.title,
        "issuer": meta.issuer,
        "doc_number": meta.doc_number,
        "period": meta.period,
        "sections": outline.sections,
        "tasks": outline.tasks,
        "targets": targets,
        "projects": projects,
        "unparsed": unparsed,
    }


def decode_text(data: bytes) -> str:
    """Bytes of a text file as text: BOM first, then UTF-8, UTF-16 without BOM (many zero bytes), GB18030."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):  # fmt: skip
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise PlanReadError("plan.encoding", f"文件编码有误（{encoding}）：{exc.reason}") from exc
    candidates = ["utf-8"]
    if data and data.count(0) > len(data) // 8:
        odd_zeros = data[1::2].count(0)
        candidates.insert(0, "utf-16-le" if odd_zeros > data[0::2].count(0) else "utf-16-be")
    candidates.append("gb18030")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise PlanReadError("plan.encoding", "无法识别文件编码（支持 UTF-8、UTF-16、GBK/GB18030 的文本文件）")


def read_plan_text(path: str | os.PathLike[str]) -> str:
    """The text of a plan file (.txt or .docx); ``PlanReadError`` with a Chinese message otherwise."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError as exc:
        raise PlanReadError("plan.missing", f"找不到文件：{p}") from exc
    except OSError as exc:
        raise PlanReadError("plan.read", f"无法读取文件 {p}：{exc.strerror or exc}") from exc
    suffix = p.suffix.lower()
    if data.startswith(b"%PDF"):
        raise PlanReadError("plan.format", f"{p.name} 是 PDF 文件，请提供 .docx 或 .txt")
    if data.startswith(b"\xd0\xcf\x11\xe0") or suffix in (".doc", ".wps"):
        raise PlanReadError("plan.format", f"{p.name} 是旧版 Word（.doc/.wps）文件，请另存为 .docx 或 .txt")
    if suffix == ".docx" or data.startswith(b"PK\x03\x04"):
        try:
            return docx_text(data)
        except CoreError as exc:
            raise PlanReadError(exc.code, f"{p.name}：{exc.message}") from exc
    text = decode_text(data)
    if re.search(r"[\x00-\x08\x0e-\x1f]", text[:4000]):
        raise PlanReadError("plan.format", f"{p.name} 不是文本文件（含控制字符），请提供 .docx 或 .txt")
    return text


def parse_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    return parse_text(read_plan_text(path))
