"""The annual monitoring report's content (``reports.annual.build_annual``) on the demo county's 2024 report:
sections follow the template, figures equal the indicator store and the dashboard, every task and key project
appears, the plan-less case answers in Chinese."""

from __future__ import annotations

import dataclasses
from decimal import ROUND_HALF_UP, Decimal

import pytest

from edubrain.base.orgtree import OrgKind, OrgUnit
from edubrain.core.plan import progress as pr
from edubrain.core.report.document import Figure, Heading, Paragraph, ReportDoc, Table
from edubrain.core.report.template import default_template
from edubrain.plans import dashboard
from edubrain.plans import views as plan_views
from edubrain.plans.models import IndicatorValue, KeyProject, Plan, PlanTarget, PlanTask, TaskUnit
from edubrain.reports.annual import build_annual
from edubrain.work.models import Finding, InspectionRound, ProgressReport, ProjectTrack, ReportingCycle
from factories import CountyFactory

YEAR = 2024


@pytest.fixture
def county(demo):
    return OrgUnit.objects.get(kind=OrgKind.COUNTY, division_code="370323")


@pytest.fixture
def plan(county):
    return Plan.objects.get(org_unit=county, status=Plan.Status.ADOPTED)


@pytest.fixture
def doc(county):
    return build_annual(county, YEAR, default_template("annual"))


def section(doc: ReportDoc, heading: str) -> list:
    """The blocks under a level-1 heading, up to the next one."""
    start = next(i for i, b in enumerate(doc.blocks) if isinstance(b, Heading) and b.text == heading)
    out = []
    for block in doc.blocks[start + 1 :]:
        if isinstance(block, Heading) and block.level == 1:
            break
        out.append(block)
    return out


def tables(blocks: list) -> list[Table]:
    return [b for b in blocks if isinstance(b, Table)]


def half_up(value: float, decimals: int) -> str:
    """The stored value printed by hand: half-up to the indicator's decimals, thousands separated."""
    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return f"{rounded:,.{decimals}f}"


def store_values(county: OrgUnit, plan: Plan) -> dict[int, str]:
    """{target id: the 2024 value of the county in the indicator store, as printed} — read from the model."""
    out = {}
    for target in PlanTarget.objects.filter(plan=plan, indicator__isnull=False).select_related("indicator"):
        value = (
            IndicatorValue.objects.filter(indicator=target.indicator, org_unit=county, year=YEAR)
            .values_list("value", flat=True)
            .first()
        )
        out[target.pk] = "—" if value is None else half_up(value, target.indicator.decimals)
    return out


# ---------------------------------------------------------------- structure


def test_title_issuer_and_sections_follow_the_template(doc, plan):
    template = default_template("annual")
    assert doc.title == f"关于《{plan.title}》{YEAR}年度实施情况的\n监测评估报告"
    assert doc.issuer == "沂源县教育和体育局"
    assert doc.date_text.endswith("日") and "年" in doc.date_text
    headings = [b.text for b in doc.blocks if isinstance(b, Heading) and b.level == 1]
    assert headings == [s.heading for s in template.sections if s.enabled]
    assert len(headings) == 8
    opening = doc.blocks[0]
    assert isinstance(opening, Paragraph) and f"《{plan.title}》{YEAR}年度" in opening.text
    intro = section(doc, "主要目标指标完成情况")[0]
    assert isinstance(intro, Paragraph) and intro.text.startswith(f"规划确定的主要目标指标的基期值、{YEAR}年")


def test_a_disabled_section_is_left_out(county):
    template = default_template("annual")
    off = {"trends", "supervision"}
    edited = dataclasses.replace(
        template,
        sections=tuple(dataclasses.replace(s, enabled=s.key not in off) for s in template.sections),
    )
    doc = build_annual(county, YEAR, edited)
    headings = [b.text for b in doc.blocks if isinstance(b, Heading) and b.level == 1]
    assert headings == [s.heading for s in template.sections if s.key not in off]
    assert "重点指标变化趋势" not in headings and "教育督导和问题整改情况" not in headings
    # the trends section held every trend figure; only the breakdown's bar chart is left
    assert sum(isinstance(b, Figure) for b in doc.blocks) == 1


def test_progress_is_reported_between_sections(county):
    calls: list[tuple[int, str]] = []
    build_annual(county, YEAR, default_template("annual"), lambda pct, text: calls.append((pct, text)))
    percents = [p for p, _ in calls]
    assert percents == sorted(percents) and percents[-1] == 100
    assert any("存在的问题和风险" in text for _, text in calls)
    assert len(calls) >= 10  # reading + 8 sections + done


def test_a_county_without_an_adopted_plan_gets_a_chinese_error(demo):
    other = CountyFactory()
    with pytest.raises(ValueError, match="没有覆盖2024年的已采用规划"):
        build_annual(other, YEAR, default_template("annual"))


def test_a_year_outside_the_plan_period_gets_the_same_error(county):
    with pytest.raises(ValueError, match=f"{county.name}没有覆盖2031年的已采用规划"):
        build_annual(county, 2031, default_template("annual"))


# ---------------------------------------------------------------- targets


def test_targets_table_equals_the_indicator_store_and_the_dashboard(doc, county, plan, demo):
    table = tables(section(doc, "主要目标指标完成情况"))[0]
    assert table.columns == ["序号", "指标", "单位", "基期值（年）", f"{YEAR}年监测值", "目标值", "完成情况"]
    leader = demo.users["leader"]
    rows = dashboard.target_rows(leader, plan, county, YEAR)
    assert len(table.rows) == len(rows) == PlanTarget.objects.filter(plan=plan).count()
    store = store_values(county, plan)
    shown = plan_views.target_view_rows(rows, plan, county, YEAR)
    filled = 0
    for cells, row, view in zip(table.rows, rows, shown, strict=True):
        assert cells[1] == row["name"] and cells[6] == row["label"] and cells[5] == row["target_text"]
        if row["indicator"] is None:
            assert cells[4] == "—"
            continue
        assert cells[4] == store[row["id"]], row["name"]
        if row["latest_year"] == YEAR:  # the dashboard prints the same figure (with the unit)
            assert cells[4] + row["unit"] == view["latest_text"]
            filled += 1
    assert filled >= 15  # the demo county has 2024 values for most indicators


def test_every_target_gets_its_dashboard_sentence(doc, county, plan, demo):
    rows = dashboard.target_rows(demo.users["leader"], plan, county, YEAR)
    paragraphs = [b for b in section(doc, "主要目标指标完成情况") if isinstance(b, Paragraph) and b.lead]
    assert [p.text for p in paragraphs] == [r["explanation"] for r in rows]
    assert any("落后于计划路径" in p.text for p in paragraphs)


def test_overview_counts_equal_the_dashboard_status_counts(doc, county, plan, demo):
    counts = dashboard.status_counts(dashboard.target_rows(demo.users["leader"], plan, county, YEAR))
    table = tables(section(doc, "总体情况"))[0]
    assert table.rows[:-1] == [[c["label"], str(c["count"])] for c in counts]
    assert table.rows[-1] == ["合计", str(PlanTarget.objects.filter(plan=plan).count())]
    text = section(doc, "总体情况")[0].text
    assert f"重点任务{PlanTask.objects.filter(plan=plan).count()}项" in text
    assert f"重点项目{KeyProject.objects.filter(plan=plan).count()}个" in text


def test_trends_hold_up_to_six_charts_of_targets_with_data(doc):
    blocks = section(doc, "重点指标变化趋势")
    figures = [b for b in blocks if isinstance(b, Figure)]
    assert 1 <= len(figures) <= 6
    assert all(f.png.startswith(b"\x89PNG") for f in figures)


def test_breakdown_table_equals_the_town_values_in_the_store(doc, county, plan):
    blocks = section(doc, "各镇（街道）情况")
    table = tables(blocks)[0]
    assert any(isinstance(b, Figure) for b in blocks)
    targets = list(PlanTarget.objects.filter(plan=plan, indicator__isnull=False).select_related("indicator"))
    towns = {u.name: u for u in OrgUnit.objects.filter(parent=county, kind=OrgKind.TOWN)}
    checked = 0
    for col, header in enumerate(table.columns[1:], start=1):
        target = next(t for t in targets if header.startswith(t.indicator_name + "（"))
        for cells in table.rows:
            value = (
                IndicatorValue.objects.filter(indicator=target.indicator, org_unit=towns[cells[0]], year=YEAR)
                .values_list("value", flat=True)
                .first()
            )
            expected = "—" if value is None else f"{value:,.{target.indicator.decimals}f}"
            assert cells[col] == expected
            checked += value is not None
    assert checked >= 4


# ---------------------------------------------------------------- risks


def test_risk_list_equals_the_dashboards_lagging_targets(doc, county, plan, demo):
    rows = dashboard.target_rows(demo.users["leader"], plan, county, YEAR)
    lagging = [r for r in rows if r["status"] in (pr.OFF_TRACK, pr.AT_RISK)]
    assert any(r["status"] == pr.OFF_TRACK for r in lagging)
    table = tables(section(doc, "存在的问题和风险"))[0]
    assert [c[1] for c in table.rows] == [r["name"] for r in lagging]
    assert [c[4] for c in table.rows] == [r["label"] for r in lagging]
    with_task = [(cells, r) for cells, r in zip(table.rows, lagging, strict=True) if r["target"].task_id]
    assert with_task
    for cells, r in with_task:
        units = TaskUnit.objects.filter(task_id=r["target"].task_id).order_by("order", "pk")
        assert cells[5] == "、".join(u.name for u in units if u.role == TaskUnit.Role.LEAD)
        assert cells[6] == ("、".join(u.name for u in units if u.role != TaskUnit.Role.LEAD) or "—")


# ---------------------------------------------------------------- work tracking


def test_tasks_tables_cover_every_task(doc, plan):
    blocks = section(doc, "重点任务推进情况")
    task_tables = [t for t in tables(blocks) if t.columns[0] == "编号"]
    codes = [row[0] for t in task_tables for row in t.rows]
    assert sorted(codes) == sorted(PlanTask.objects.filter(plan=plan).values_list("code", flat=True))
    cycle = (
        ReportingCycle.objects.filter(plan=plan, period_start__year=YEAR).order_by("-period_start").first()
    )
    assert cycle is not None and cycle.name in blocks[1].text
    units = tables(blocks)[-1]
    assert units.columns[:3] == ["责任单位", "应报（份）", "已报（份）"]
    assert sum(int(r[1]) for r in units.rows) == ProgressReport.objects.filter(cycle=cycle).count()
    filed = ProgressReport.objects.filter(cycle=cycle, first_submitted_at__isnull=False).count()
    assert sum(int(r[2]) for r in units.rows) == filed


def test_projects_table_lists_the_key_projects_with_their_counts(doc, plan):
    blocks = section(doc, "重点项目建设情况")
    table = tables(blocks)[0]
    assert len(table.rows) == KeyProject.objects.filter(plan=plan).count() == 18
    done = ProjectTrack.objects.filter(project__plan=plan, status=ProjectTrack.Status.DONE).count()
    building = ProjectTrack.objects.filter(project__plan=plan, status=ProjectTrack.Status.BUILDING).count()
    assert f"已完工{done}个、在建{building}个" in blocks[0].text
    assert sum(r[2] == "已完工" for r in table.rows) == done


def test_supervision_sums_the_rounds_of_the_year(county):
    year = 2025
    doc = build_annual(county, year, default_template("annual"))
    blocks = section(doc, "教育督导和问题整改情况")
    rounds = InspectionRound.objects.filter(start_on__year=year, county=county)
    findings = Finding.objects.filter(inspection__in=rounds)
    assert rounds.exists()
    text = blocks[0].text
    assert f"共组织督导{rounds.count()}轮" in text
    assert f"发现问题{findings.count()}个" in text
    assert f"已整改销号{findings.filter(status='closed').count()}个" in text
    assert sum(len(t.rows) for t in tables(blocks)) == rounds.count()


def test_a_year_without_rounds_says_so(doc):
    assert not InspectionRound.objects.filter(start_on__year=YEAR).exists()
    assert section(doc, "教育督导和问题整改情况")[0].text.startswith(f"{YEAR}年未组织督导检查")
