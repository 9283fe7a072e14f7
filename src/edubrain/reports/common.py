"""What every report builder shares: the read-only viewer of the county (so the scoped read sides count
what the bureau's pages count), the placeholder values and 成文日期, the document's head and tail, section
headings, progress reports, number formatting and the bar chart."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from edubrain.accounts.models import Role, User
from edubrain.base.orgtree import OrgUnit
from edubrain.core.report import charts
from edubrain.core.report.document import Heading, Paragraph, ReportDoc
from edubrain.core.report.template import ReportTemplate, SectionSpec, fill

Progress = Callable[[int, str], None] | None
EMPTY = "—"


def viewer(org_unit: OrgUnit) -> User:
    """An unsaved, read-only user whose scope is ``org_unit`` (a 领导 of the county): the scoped queries
    then count exactly what the bureau's pages count for that unit."""
    return User(username="report-viewer", role=Role.LEADER, org_unit=org_unit, is_active=True)


def date_text(day: dt.date) -> str:
    """成文日期 in the document style: 2026年11月29日."""
    return f"{day.year}年{day.month}月{day.day}日"


def placeholder_values(
    org_unit: OrgUnit, year: int, template: ReportTemplate, today: dt.date | None = None, plan: str = ""
) -> dict[str, Any]:
    """{year}, {county}, {today} (成文日期), {plan} (《规划名称》 in the annual report) and {issuer} (the
    template's issuer line, itself filled)."""
    day = today or timezone.localdate()
    values: dict[str, Any] = {"year": year, "county": org_unit.name, "today": date_text(day), "plan": plan}
    values["issuer"] = fill(template.issuer, values)
    return values


def start_doc(template: ReportTemplate, values: dict[str, Any]) -> ReportDoc:
    """The document with its title, issuer, date and the template's opening paragraphs (the first one, the
    addressees line ending with "：", is printed as it is)."""
    doc = ReportDoc(title=fill(template.title, values), issuer=values["issuer"], date_text=values["today"])
    for text in template.opening:
        doc.add(Paragraph(fill(text, values)))
    return doc


def finish_doc(doc: ReportDoc, template: ReportTemplate, values: dict[str, Any]) -> ReportDoc:
    for text in template.closing:
        doc.add(Paragraph(fill(text, values)))
    return doc


def open_section(doc: ReportDoc, spec: SectionSpec, values: dict[str, Any]) -> None:
    """The section's heading and, when the template has one, its intro paragraph."""
    doc.add(Heading(fill(spec.heading, values), 1))
    if spec.intro:
        doc.add(Paragraph(fill(spec.intro, values)))


def requirements(doc: ReportDoc, spec: SectionSpec, values: dict[str, Any], standard: list[str]) -> None:
    """工作要求: the template's intro, or (when it is empty) the standard sentences, one paragraph each."""
    doc.add(Heading(fill(spec.heading, values), 1))
    lines = [line.strip() for line in fill(spec.intro, values).splitlines() if line.strip()] or standard
    for number, line in enumerate(lines, start=1):
        doc.add(Paragraph(line if len(lines) == 1 else f"{_CN_NUMBERS[number - 1]}是{line}"))


_CN_NUMBERS = "一二三四五六七八九十"


def report(progress: Progress, percent: int, text: str) -> None:
    if progress is not None:
        progress(percent, text)


def pct(value: float | None, places: int = 1) -> str:
    return EMPTY if value is None else f"{value:.{places}f}%"


def num(value: float | None, places: int = 1) -> str:
    return EMPTY if value is None else f"{value:.{places}f}"


def count(value: int | None) -> str:
    return EMPTY if value is None else f"{int(value)}"


def points(value: float | None, places: int = 1, signed: bool = True) -> str:
    """A change in percentage points as a table cell: +1.2 / -0.8 / 0.0; — without last year's value."""
    if value is None:
        return EMPTY
    return f"{value:+.{places}f}" if signed and value != 0 else f"{value:.{places}f}"


def change_words(value: float | None, unit: str = "个百分点", places: int = 1) -> str:
    """The change from last year in words: 比上年提高1.2个百分点 / 降低 / 与上年持平 / 上年无可比数据."""
    if value is None:
        return "上年无可比数据"
    if round(value, places) == 0:
        return "与上年持平"
    return f"比上年{'提高' if value > 0 else '降低'}{abs(value):.{places}f}{unit}"


def bar_chart(
    title: str, unit: str, labels: list[str], values: list[float | None], **options: Any
) -> bytes | None:
    """``charts.bar_png`` of the labelled values; None without bars (the section then has no figure)."""
    if not labels:
        return None
    return charts.bar_png(title, unit, labels, values, **options)
