"""``edubrain report annual|fitness|vision|annex --year Y -o FILE``: the format from the extension (others
refused in Chinese), the county by 行政区划代码, the path and seconds printed."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from .shell_support import FAKE_XLSX, docx_text, fake_builders


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


def test_annual_docx(demo, tmp_path, monkeypatch):
    calls = fake_builders(monkeypatch)
    target = tmp_path / "out" / "annual.docx"
    printed = run("annual", "--year", "2024", "-o", str(target))
    assert calls == [("annual", 2024)]
    assert "主要目标指标完成情况" in docx_text(target.read_bytes())
    assert f"已生成 {target}（沂源县2024年" in printed and "秒）" in printed


def test_fitness_pdf_and_annex(demo, tmp_path, monkeypatch):
    calls = fake_builders(monkeypatch)
    pdf = tmp_path / "fitness.PDF"
    run("fitness", "--year", "2023", "-o", str(pdf), "--county", "370323")
    assert "体质健康" in PdfReader(io.BytesIO(pdf.read_bytes())).pages[0].extract_text()
    annex = tmp_path / "annex.xlsx"
    run("annex", "--year", "2023", "-o", str(annex))
    assert annex.read_bytes() == FAKE_XLSX
    assert calls == [("fitness", 2023), ("annex", 2023)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("annual", "--year", "2024", "-o", "x.xlsx"), "只能输出 .docx、.pdf 文件"),
        (("vision", "--year", "2024", "-o", "x.txt"), "“x.txt”的格式不支持"),
        (("annex", "--year", "2024", "-o", "x.docx"), "只能输出 .xlsx 文件"),
        (
            ("annual", "--year", "2024", "-o", "x.docx", "--county", "370399"),
            "没有行政区划代码为 370399 的县",
        ),
    ],
)
def test_refusals(demo, tmp_path, monkeypatch, args, message):
    calls = fake_builders(monkeypatch)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CommandError) as caught:
        run(*args)
    assert message in str(caught.value)
    assert calls == [] and list(tmp_path.iterdir()) == []


def test_builder_error_is_a_command_error(demo, tmp_path, monkeypatch):
    from edubrain.reports import service

    def broken(*a, **k):
        raise service.ReportError("测试：缺少数据")

    monkeypatch.setattr(service, "build", broken)
    with pytest.raises(CommandError, match="测试：缺少数据"):
        run("annual", "--year", "2024", "-o", str(tmp_path / "a.docx"))


def test_demo_2024_annual_with_the_real_builder(demo, tmp_path):
    """The issue's acceptance document through the command: the real builder and renderer."""
    target = tmp_path / "annual.docx"
    run("annual", "--year", "2024", "-o", str(target))
    text = docx_text(target.read_bytes())
    assert "2024年度" in text and "监测评估报告" in text
