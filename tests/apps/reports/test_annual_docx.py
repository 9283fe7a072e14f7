"""The issue's acceptance test: the demo county's 2024 annual report rendered to .docx (R1's renderer), read
back with python-docx, holds the figures of the indicator store and the dashboard."""

from __future__ import annotations

import io
from decimal import ROUND_HALF_UP, Decimal

import docx
import pytest

from edubrain.base.orgtree import OrgKind, OrgUnit
from edubrain.core.report import docx_render  # noqa: E402
from edubrain.core.report.template import default_template
from edubrain.plans import dashboard
from edubrain.plans.models import IndicatorValue, Plan, PlanTarget, TaskUnit
from edubrain.reports.annual import build_annual

YEAR = 2024


@pytest.fixture
def county(demo):
    return OrgUnit.objects.get(kind=OrgKind.COUNTY, division_code="370323")


@pytest.fixture
def document(county):
    data = docx_render.render_docx(build_annual(county, YEAR, default_template("annual")))
    return docx.Document(io.BytesIO(data))


def table_with(document, header: str):
    """The first docx table whose header row holds ``header``, as lists of cell texts."""
    for table in document.tables:
        rows = [[c.text.strip() for c in row.cells] for row in table.rows]
        if rows and header in rows[0]:
            return rows
    raise AssertionError(f"no table with the column {header}")


def test_targets_read_back_from_the_docx_equal_the_indicator_store(document, county):
    plan = Plan.objects.get(org_unit=county, status=Plan.Status.ADOPTED)
    rows = table_with(document, f"{YEAR}年监测值")
    header, body = rows[0], rows[1:]
    col = header.index(f"{YEAR}年监测值")
    targets = list(PlanTarget.objects.filter(plan=plan).select_related("indicator").order_by("order", "pk"))
    assert len(body) == len(targets)
    compared = 0
    for cells, target in zip(body, targets, strict=True):
        assert cells[header.index("指标")] == target.indicator_name
        if target.indicator is None:
            assert cells[col] == "—"
            continue
        value = (
            IndicatorValue.objects.filter(indicator=target.indicator, org_unit=county, year=YEAR)
            .values_list("value", flat=True)
            .first()
        )
        if value is None:
            assert cells[col] == "—"
            continue
        places = Decimal(1).scaleb(-target.indicator.decimals)
        expected = Decimal(repr(value)).quantize(places, rounding=ROUND_HALF_UP)
        assert cells[col] == f"{expected:,f}", target.indicator_name  # same digits, same decimals
        compared += 1
    assert compared >= 15


def test_the_docx_holds_every_section_heading_and_the_charts(document):
    texts = [p.text for p in document.paragraphs]
    for spec in default_template("annual").sections:
        assert any(t.endswith(spec.heading) for t in texts), spec.heading
    assert len(document.inline_shapes) >= 2  # trend charts and the 镇/街道 bar chart


def test_the_docx_risk_table_names_the_dashboards_lagging_targets(document, county, demo):
    plan = Plan.objects.get(org_unit=county, status=Plan.Status.ADOPTED)
    lagging = [
        r
        for r in dashboard.target_rows(demo.users["leader"], plan, county, YEAR)
        if r["status"] in ("off_track", "at_risk")
    ]
    rows = table_with(document, "配合单位")
    assert [r[rows[0].index("指标")] for r in rows[1:]] == [r["name"] for r in lagging]
    task_id = next(r["target"].task_id for r in lagging if r["target"].task_id)
    lead = TaskUnit.objects.filter(task_id=task_id, role=TaskUnit.Role.LEAD).values_list("name", flat=True)
    assert any(list(lead)[0] in r[rows[0].index("牵头单位")] for r in rows[1:])
