"""通报 (bulletins): the yearly student-fitness 通报 and the myopia 通报 of a county, built as a
``ReportDoc``.

    build_fitness(org_unit, year, template, progress=None) -> ReportDoc   (bulletin_fitness.py)
    build_vision(org_unit, year, template, progress=None) -> ReportDoc    (bulletin_vision.py)

Every figure comes from the read side the pages use (``fitness.queries``/``fitness.ranking``,
``vision.queries``/``vision.followup_queries``), queried as a read-only viewer of the county, so the 通报
prints the numbers the 体质健康 and 视力监测 pages show. This module holds what both share: the viewer, the
placeholder values, the document's head and tail, the section headings and number formatting (``common``).
"""

from __future__ import annotations

from edubrain.base.orgtree import OrgUnit
from edubrain.core.report.document import ReportDoc
from edubrain.core.report.template import ReportTemplate
from edubrain.reports.common import Progress


def build_fitness(
    org_unit: OrgUnit, year: int, template: ReportTemplate, progress: Progress = None
) -> ReportDoc:
    """学生体质健康通报 of ``org_unit`` (the county) for the school year starting in ``year``."""
    from edubrain.reports.bulletin_fitness import build

    return build(org_unit, year, template, progress)


def build_vision(
    org_unit: OrgUnit, year: int, template: ReportTemplate, progress: Progress = None
) -> ReportDoc:
    """学生近视防控通报 of ``org_unit`` (the county) for the screening year starting in ``year``."""
    from edubrain.reports.bulletin_vision import build

    return build(org_unit, year, template, progress)
