"""Helpers of the reports-shell tests (service, jobs, pages, CLI): stand-in builders that follow the
template exactly (so a test can see a disabled section vanish), the real docx renderer when it exists (a
small python-docx one until then), and reading a .docx back."""

from __future__ import annotations

import importlib
import io
import sys
import types
from typing import Any

from edubrain.base.orgtree import OrgKind, OrgUnit
from edubrain.core.report.document import Heading, Paragraph, ReportDoc, Table
from edubrain.core.report.template import ReportTemplate, fill

FAKE_XLSX = b"PK\x03\x04 fake annex"


def demo_county() -> OrgUnit:
    return OrgUnit.objects.get(kind=OrgKind.COUNTY, division_code="370323")


def template_doc(org_unit: OrgUnit, year: int, template: ReportTemplate) -> ReportDoc:
    """A small document in the shape the real builders make: the title, the opening, one heading and
    intro per enabled section, a table."""
    values = {"year": year, "county": org_unit.name, "issuer": "", "today": "2026年11月29日", "plan": "规划"}
    values["issuer"] = fill(template.issuer, values)
    doc = ReportDoc(title=fill(template.title, values), issuer=values["issuer"], date_text=values["today"])
    doc.add(*(Paragraph(fill(p, values)) for p in template.opening))
    for section in template.sections:
        if section.enabled:
            doc.add(Heading(fill(section.heading, values)))
            if section.intro:
                doc.add(Paragraph(fill(section.intro, values)))
    doc.add(
        Table(columns=["指标", "数值"], rows=[["测试指标", "12.5"]], caption="测试表", numeric=[False, True])
    )
    return doc


def _module(monkeypatch: Any, name: str) -> Any:
    try:
        return importlib.import_module(name)
    except Exception:  # noqa: BLE001 - not written yet (or broken mid-work): a stand-in module
        fake = types.ModuleType(name)
        monkeypatch.setitem(sys.modules, name, fake)
        package = importlib.import_module("edubrain.reports")
        monkeypatch.setattr(package, name.rsplit(".", 1)[1], fake, raising=False)
        return fake


def fake_builders(monkeypatch: Any, fail: str = "") -> list[tuple[str, int]]:
    """Replace the four builders; returns the list of (kind, year) calls. ``fail``: that kind raises."""
    calls: list[tuple[str, int]] = []

    def builder(kind: str) -> Any:
        def build(org_unit: OrgUnit, year: int, template: ReportTemplate, progress: Any = None) -> ReportDoc:
            calls.append((kind, year))
            if kind == fail:
                raise RuntimeError("测试：数据有误，无法生成")
            if progress:
                progress(50, "正在汇总测试数据")
            return template_doc(org_unit, year, template)

        return build

    def annex(org_unit: OrgUnit, year: int, progress: Any = None) -> bytes:
        calls.append(("annex", year))
        if fail == "annex":
            raise RuntimeError("测试：数据有误，无法生成")
        return FAKE_XLSX

    monkeypatch.setattr(
        _module(monkeypatch, "edubrain.reports.annual"), "build_annual", builder("annual"), raising=False
    )
    bulletins = _module(monkeypatch, "edubrain.reports.bulletins")
    monkeypatch.setattr(bulletins, "build_fitness", builder("fitness"), raising=False)
    monkeypatch.setattr(bulletins, "build_vision", builder("vision"), raising=False)
    monkeypatch.setattr(_module(monkeypatch, "edubrain.reports.annex"), "build_annex", annex, raising=False)
    return calls


def docx_text(data: bytes) -> str:
    """Every paragraph and table cell of a .docx, one per line."""
    import docx

    document = docx.Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(lines)
