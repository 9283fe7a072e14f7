"""报告生成 (the reports service): a county's template, the builders behind each report kind, the output
formats and the PDF converter.

- ``template_for(org_unit, kind)``: the county's saved template, or the default one;
- ``save_template`` / ``reset_template``: the bureau's edits (checked before anything is stored);
- ``build(kind, org_unit, year)``: the neutral ``ReportDoc`` (annual report, 体质健康通报, 近视防控通报);
- ``generate(kind, org_unit, year, fmt)``: the bytes of a .docx, .pdf or (the data annex) .xlsx;
- ``docx_to_pdf(data)``: LibreOffice headless (``settings.EDUBRAIN["SOFFICE"]``) with a private profile, so
  two conversions at once do not clash.
"""

from __future__ import annotations

import logging
import os
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError

from edubrain.base.orgtree import OrgUnit
from edubrain.core.errors import CoreError
from edubrain.core.report.document import ReportDoc
from edubrain.core.report.docx_render import fontconfig_xml, render_docx
from edubrain.core.report.template import (
    KIND_LABELS,
    ReportTemplate,
    default_template,
    default_text,
    parse_template,
)
from edubrain.reports.models import ReportKind, ReportTemplateText

log = logging.getLogger(__name__)

Progress = Callable[[int, str], None]
DOCUMENT_KINDS = ("annual", "fitness", "vision")
FORMATS: dict[str, tuple[str, ...]] = {
    "annual": ("docx", "pdf"),
    "fitness": ("docx", "pdf"),
    "vision": ("docx", "pdf"),
    "annex": ("xlsx",),
}
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMAT_LABELS = {"docx": "Word", "pdf": "PDF", "xlsx": "Excel"}
PDF_TIMEOUT = 120


class ReportError(Exception):
    """A report could not be made; ``message`` is the Chinese sentence users see."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PdfUnavailable(ReportError):
    """LibreOffice is missing or the conversion failed."""


# --- templates -------------------------------------------------------------------------------------------


def _check_kind(kind: str) -> None:
    if kind not in KIND_LABELS:
        raise ReportError(f"未知的报告类型“{kind}”，应为：{'、'.join(KIND_LABELS)}")


def template_row(org_unit: OrgUnit, kind: str) -> ReportTemplateText | None:
    return ReportTemplateText.objects.filter(org_unit=org_unit, kind=kind).first()


def template_text(org_unit: OrgUnit, kind: str) -> tuple[str, bool]:
    """The TOML text the editor shows and whether it is the county's own (False: the default)."""
    _check_kind(kind)
    row = template_row(org_unit, kind)
    if row is not None:
        return row.text, True
    return default_text(kind), False


def template_for(org_unit: OrgUnit, kind: str) -> ReportTemplate:
    """The county's saved template of ``kind`` (checked when saved), or the default one."""
    _check_kind(kind)
    row = template_row(org_unit, kind)
    if row is None:
        return default_template(kind)
    try:
        return parse_template(kind, row.text)
    except CoreError as exc:  # saved before a rule changed: the default keeps the report going
        log.warning("报告模板 %s/%s 无效，改用默认模板：%s", org_unit.pk, kind, exc.message)
        return default_template(kind)


def save_template(org_unit: OrgUnit, kind: str, text: str, user: Any = None) -> ReportTemplateText:
    """Store the county's edited template; ``ValidationError`` (Chinese) and nothing stored when bad."""
    _check_kind(kind)
    text = text.replace("\r\n", "\n")  # a browser's textarea sends CRLF
    try:
        parse_template(kind, text)
    except CoreError as exc:
        raise ValidationError(exc.message, code=exc.code) from None
    row, _ = ReportTemplateText.objects.update_or_create(
        org_unit=org_unit,
        kind=kind,
        defaults={"text": text, "updated_by": user if getattr(user, "pk", None) else None},
    )
    return row


def reset_template(org_unit: OrgUnit, kind: str) -> bool:
    """Back to the default template (the county's row is deleted); True if there was one."""
    _check_kind(kind)
    deleted, _ = ReportTemplateText.objects.filter(org_unit=org_unit, kind=kind).delete()
    return bool(deleted)


# --- building and formats --------------------------------------------------------------------------------


def check_format(kind: str, fmt: str) -> None:
    if kind not in FORMATS:
        raise ReportError(f"未知的报告类型“{kind}”，应为：{'、'.join(FORMATS)}")
    if fmt not in FORMATS[kind]:
        allowed = "、".join(f".{f}" for f in FORMATS[kind])
        raise ReportError(f"{ReportKind(kind).label}只能生成 {allowed} 文件，不能生成 .{fmt}")


def build(kind: str, org_unit: OrgUnit, year: int, progress: Progress | None = None) -> ReportDoc:
    """The document of ``kind`` for the county and year, in the county's template."""
    if kind not in DOCUMENT_KINDS:
        raise ReportError(f"“{kind}”不是文档类报告，应为：{'、'.join(DOCUMENT_KINDS)}")
    template = template_for(org_unit, kind)
    if kind == "annual":
        from edubrain.reports.annual import build_annual

        return build_annual(org_unit, year, template, progress=progress)
    from edubrain.reports import bulletins

    builder = bulletins.build_fitness if kind == "fitness" else bulletins.build_vision
    return builder(org_unit, year, template, progress=progress)


def build_annex(org_unit: OrgUnit, year: int, progress: Progress | None = None) -> bytes:
    from edubrain.reports.annex import build_annex as annex

    return annex(org_unit, year, progress=progress)


def generate(kind: str, org_unit: OrgUnit, year: int, fmt: str, progress: Progress | None = None) -> bytes:
    """The report as bytes: "docx" or "pdf" for the documents, "xlsx" for the data annex."""
    check_format(kind, fmt)
    if kind == "annex":
        return build_annex(org_unit, year, progress)
    data = render_docx(build(kind, org_unit, year, progress))
    return docx_to_pdf(data) if fmt == "pdf" else data


def file_name(kind: str, org_unit: OrgUnit, year: int, fmt: str) -> str:
    """e.g. 沂源县2024年度规划监测评估报告.docx"""
    names = {
        "annual": f"{year}年度规划监测评估报告",
        "fitness": f"{year}年学生体质健康通报",
        "vision": f"{year}年学生近视防控通报",
        "annex": f"{year}年度报告数据附件",
    }
    return f"{org_unit.name}{names[kind]}.{fmt}"


def docx_to_pdf(data: bytes) -> bytes:
    """Convert a .docx to PDF with LibreOffice headless; ``PdfUnavailable`` (Chinese) when it cannot."""
    soffice = str(settings.EDUBRAIN.get("SOFFICE") or "soffice")
    with tempfile.TemporaryDirectory(prefix="edubrain-pdf-") as tmp:
        work = Path(tmp)
        source = work / "report.docx"
        source.write_bytes(data)
        profile = (work / "profile").as_uri()
        # the Chinese government fonts are mapped to the installed Noto CJK faces (docx_render.fontconfig_xml)
        fonts = work / "fonts.conf"
        fonts.write_text(fontconfig_xml(), encoding="utf-8")
        env = {**os.environ, "FONTCONFIG_FILE": str(fonts)}
        args = [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(source),
        ]
        try:
            done = subprocess.run(  # noqa: S603 - fixed arguments, our own temp files
                args, capture_output=True, timeout=PDF_TIMEOUT, check=False, stdin=subprocess.DEVNULL, env=env
            )
        except FileNotFoundError:
            raise PdfUnavailable(
                f"未找到 LibreOffice（{soffice}），无法生成 PDF；请安装 libreoffice-writer-nogui"
            ) from None
        except subprocess.TimeoutExpired:
            raise PdfUnavailable(f"PDF 转换超过 {PDF_TIMEOUT} 秒仍未完成，已停止；请稍后重试") from None
        except OSError as exc:
            raise PdfUnavailable(f"无法运行 LibreOffice（{soffice}）：{exc}") from None
        target = work / "report.pdf"
        if done.returncode != 0 or not target.exists():
            detail = (done.stderr or done.stdout or b"").decode("utf-8", "replace").strip()[-300:]
            raise PdfUnavailable(
                f"LibreOffice 转换 PDF 失败（返回码 {done.returncode}）{detail and '：' + detail}"
            )
        return target.read_bytes()
