"""HTML to PDF (WeasyPrint, with Pango and the system's CJK fonts): printable notices and reports.

The page's CSS asks for "Noto Serif CJK SC" / "Noto Sans CJK SC" (Debian ``fonts-noto-cjk``, installed by the
setup); WeasyPrint embeds the glyphs used, so the PDF prints the same on any machine.
"""

from __future__ import annotations

from django.template.loader import render_to_string


class PdfUnavailable(RuntimeError):
    """The PDF engine cannot run on this machine (a missing system library)."""


HELP = (
    "生成 PDF 需要 WeasyPrint 及系统库 Pango 和中文字体"
    "（Debian/Ubuntu：apt-get install libpango-1.0-0 fonts-noto-cjk）"
)


def html_to_pdf(html: str, base_url: str | None = None) -> bytes:
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: Pango missing
        raise PdfUnavailable(HELP) from exc
    pdf: bytes = HTML(string=html, base_url=base_url).write_pdf()
    return pdf


def render_pdf(template: str, context: dict[str, object]) -> bytes:
    """A Django template rendered to HTML, then to PDF."""
    return html_to_pdf(render_to_string(template, context))


__all__ = ["PdfUnavailable", "html_to_pdf", "render_pdf"]
