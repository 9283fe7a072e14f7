"""The reports service: the county's template over the default, a bad template refused (nothing stored),
the builders and formats behind ``generate``, and the PDF converter (real LibreOffice; a missing one gives the
Chinese error)."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from edubrain.core.report.document import Heading
from edubrain.core.report.template import default_text
from edubrain.reports import service
from edubrain.reports.models import ReportTemplateText

from .shell_support import FAKE_XLSX, demo_county, docx_text, fake_builders

DISABLED = default_text("annual").replace(
    'heading = "重点项目建设情况"\nintro = ""\nenabled = true',
    'heading = "重点项目建设情况"\nintro = ""\nenabled = false',
)


@pytest.fixture
def county(demo):
    return demo_county()


def test_default_template_without_a_saved_one(county):
    template = service.template_for(county, "annual")
    assert template.section("projects").heading == "重点项目建设情况"
    assert service.template_text(county, "annual") == (default_text("annual"), False)


def test_saved_template_overrides_the_default(county):
    assert default_text("annual") != DISABLED
    edited = DISABLED.replace('heading = "总体情况"', 'heading = "全县教育总体情况"')
    service.save_template(county, "annual", edited)
    template = service.template_for(county, "annual")
    assert template.section("projects") is None
    assert template.section("overview").heading == "全县教育总体情况"
    assert service.template_text(county, "annual") == (edited, True)
    assert service.template_for(county, "fitness").section("ranking") is not None  # other kinds untouched
    service.save_template(county, "annual", default_text("annual"))  # saved again: still one row
    assert ReportTemplateText.objects.filter(org_unit=county, kind="annual").count() == 1
    assert service.reset_template(county, "annual") is True
    assert service.template_text(county, "annual")[1] is False
    assert service.reset_template(county, "annual") is False


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('title = "报告\n', "模板格式有误"),
        ('issuer = "x"\n[[section]]\nkey = "overview"\nheading = "a"\n', "模板缺少标题"),
        ('title = "t"\n[[section]]\nkey = "weather"\nheading = "天气"\n', "key“weather”无效"),
    ],
)
def test_bad_template_refused_and_nothing_saved(county, text, message):
    service.save_template(county, "annual", DISABLED)
    with pytest.raises(ValidationError) as caught:
        service.save_template(county, "annual", text)
    assert message in caught.value.messages[0]
    assert ReportTemplateText.objects.get(org_unit=county, kind="annual").text == DISABLED


def test_build_uses_the_county_template(county, monkeypatch):
    calls = fake_builders(monkeypatch)
    service.save_template(county, "annual", DISABLED)
    doc = service.build("annual", county, 2024)
    headings = [b.text for b in doc.blocks if isinstance(b, Heading)]
    assert "重点项目建设情况" not in headings and "主要目标指标完成情况" in headings
    assert len(headings) == 7
    assert "2024年度" in doc.title
    assert calls == [("annual", 2024)]


@pytest.mark.parametrize("kind", ["fitness", "vision"])
def test_build_dispatches_bulletins(county, monkeypatch, kind):
    calls = fake_builders(monkeypatch)
    doc = service.build(kind, county, 2023)
    assert calls == [(kind, 2023)]
    assert doc.title == service.template_for(county, kind).title.replace("{year}", "2023").replace(
        "{county}", county.name
    )


def test_generate_docx_and_annex(county, monkeypatch):
    calls = fake_builders(monkeypatch)
    service.save_template(county, "annual", DISABLED)
    text = docx_text(service.generate("annual", county, 2024, "docx"))
    assert "主要目标指标完成情况" in text and "重点项目建设情况" not in text
    assert service.generate("annex", county, 2024, "xlsx") == FAKE_XLSX
    assert calls == [("annual", 2024), ("annex", 2024)]


@pytest.mark.parametrize(("kind", "fmt"), [("annual", "xlsx"), ("annex", "pdf"), ("fitness", "txt")])
def test_generate_refuses_other_formats(county, monkeypatch, kind, fmt):
    calls = fake_builders(monkeypatch)
    with pytest.raises(service.ReportError) as caught:
        service.generate(kind, county, 2024, fmt)
    assert f"不能生成 .{fmt}" in caught.value.message
    assert calls == []  # refused before any work


def test_generate_pdf_with_libreoffice(county, monkeypatch):
    fake_builders(monkeypatch)
    data = service.generate("vision", county, 2024, "pdf")
    assert data.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "2024" in text and "近视" in text


def test_missing_soffice_gives_the_chinese_error(settings):
    settings.EDUBRAIN = {**settings.EDUBRAIN, "SOFFICE": "/nonexistent/soffice"}
    with pytest.raises(service.PdfUnavailable) as caught:
        service.docx_to_pdf(b"PK")
    assert "未找到 LibreOffice（/nonexistent/soffice）" in caught.value.message
    assert "libreoffice-writer-nogui" in caught.value.message


def test_failing_converter_gives_the_chinese_error(settings, tmp_path):
    broken = tmp_path / "soffice"
    broken.write_text("#!/bin/sh\necho 'source file could not be loaded' >&2\nexit 1\n")
    broken.chmod(0o755)
    settings.EDUBRAIN = {**settings.EDUBRAIN, "SOFFICE": str(broken)}
    with pytest.raises(service.PdfUnavailable) as caught:
        service.docx_to_pdf(b"PK")
    assert "LibreOffice 转换 PDF 失败（返回码 1）" in caught.value.message
    assert "could not be loaded" in caught.value.message


def test_file_names(county):
    assert service.file_name("annual", county, 2024, "docx") == "沂源县2024年度规划监测评估报告.docx"
    assert service.file_name("fitness", county, 2024, "pdf") == "沂源县2024年学生体质健康通报.pdf"
    assert service.file_name("annex", county, 2024, "xlsx") == "沂源县2024年度报告数据附件.xlsx"
