"""学生体质健康通报 of the demo county: its figures are the 体质健康 pages' figures (the same read side, and
hand counts from the measurements), the ranking tables are the 年度通报 ranking, disabled sections drop."""

from __future__ import annotations

import dataclasses
import io

import polars as pl
import pytest
from django.db.models import Q

from edubrain.core.fitness.scoring import EXEMPT, SCORED
from edubrain.core.report.document import Heading, Paragraph, Table
from edubrain.core.report.template import default_template
from edubrain.core.stages import GRADE_BY_CODE
from edubrain.fitness import queries
from edubrain.fitness.models import FitnessMeasurement
from edubrain.fitness.queries import STAGE_NAMES, Selection
from edubrain.fitness.ranking import ranking
from edubrain.reports.bulletin_fitness import movers, stage_items
from edubrain.reports.bulletins import build_fitness
from edubrain.reports.common import viewer


@pytest.fixture
def county(demo):
    return demo.county


@pytest.fixture
def admin(demo):
    return demo.users["admin"]


@pytest.fixture
def year(admin):
    found = queries.latest_year_with_data(admin)
    assert found is not None, "演示县应有体质健康数据"
    return found


@pytest.fixture
def doc(county, year):
    return build_fitness(county, year, default_template("fitness"))


def tables(doc):
    return [b for b in doc.blocks if isinstance(b, Table)]


def table(doc, caption_part):
    found = [t for t in tables(doc) if caption_part in t.caption]
    assert found, f"没有标题含“{caption_part}”的表"
    return found[0]


def text(doc):
    return "\n".join(b.text for b in doc.blocks if isinstance(b, Paragraph | Heading))


def test_title_issuer_and_opening_are_filled(doc, county, year):
    assert doc.title.startswith(f"关于{year}年度全县中小学生")
    assert doc.issuer == f"{county.name}教育和体育局"
    assert doc.date_text.endswith("日") and "{" not in doc.date_text
    assert "{year}" not in text(doc) and f"{year}年度全县中小学校完成了学生体质健康测试" in text(doc)
    headings = [b.text for b in doc.blocks if isinstance(b, Heading) and b.level == 1]
    assert headings == ["总体情况", "各学校测试结果", "与上年度比较", "薄弱项目分析", "工作要求"]


def test_overview_equals_the_page_and_hand_counts(doc, admin, county, year):
    page = queries.overview(admin, Selection(unit=county), year)["summary"]
    rows = {r[0]: r for r in table(doc, "分学段").rows}
    county_row = rows["全县"]
    assert county_row[1] == str(page["expected"]) and county_row[2] == str(page["tested"])
    assert county_row[5] == f"{page['excellent_good_rate']:.1f}"
    assert county_row[7] == f"{page['pass_rate']:.1f}"
    assert county_row[4] == f"{page['excellent_rate']:.1f}"
    # hand count from the measurements: 实测 = scored rows; 优良 = 优秀 + 良好 among them
    qs = FitnessMeasurement.objects.filter(
        school__org_unit__path__startswith=county.path, school_year__start_year=year
    )
    tested = qs.filter(status=SCORED).count()
    good = qs.filter(status=SCORED, rating__in=["优秀", "良好"]).count()
    assert tested == page["tested"] > 0
    assert county_row[5] == f"{float(_half_up(good * 100 / tested)):.1f}"
    assert f"实测{tested}人" in text(doc)
    assert f"优良率{page['excellent_good_rate']:.1f}%" in text(doc)
    # by 学段: the primary row counts only grades 11–16
    primary = [g for g, grade in GRADE_BY_CODE.items() if grade.stage == "primary"]
    p_tested = qs.filter(status=SCORED, grade_code__in=primary).count()
    p_good = qs.filter(Q(rating="优秀") | Q(rating="良好"), status=SCORED, grade_code__in=primary).count()
    assert rows["小学"][2] == str(p_tested)
    assert rows["小学"][5] == f"{float(_half_up(p_good * 100 / p_tested)):.1f}"
    # the change from last year is the page's
    change = page["excellent_good_rate_change"]
    assert county_row[6] == ("—" if change is None else f"{change:+.1f}" if change else "0.0")


def _half_up(x):
    from decimal import ROUND_HALF_UP, Decimal

    return Decimal(str(x)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def test_ranking_tables_are_the_annual_ranking(doc, admin, year):
    ranked = ranking(admin, year)
    assert ranked.height > 0
    for stage, name in STAGE_NAMES.items():
        part = ranked.filter(pl.col("stage") == stage)
        if part.height == 0:
            continue
        t = table(doc, f"{name}学段各学校测试结果")
        assert [r[1] for r in t.rows] == part["school_name"].to_list()
        assert [r[5] for r in t.rows] == [f"{v:.1f}" for v in part["excellent_good_rate"].to_list()]
        assert [r[0] for r in t.rows] == [str(v) for v in part["rank"].to_list()]
        rates = [float(r[5]) for r in t.rows]
        assert rates == sorted(rates, reverse=True)


def test_change_names_the_largest_rise_and_fall(doc, admin, year):
    ranked = ranking(admin, year)
    changes = ranked["excellent_good_rate_change"].drop_nulls()
    up = movers(ranked, True)
    if changes.max() is not None and changes.max() > 0:
        assert up[0]["excellent_good_rate_change"] == changes.max()
        assert f"{up[0]['school_name']}（{up[0]['stage_name']}" in text(doc)
    down = movers(ranked, False)
    if changes.min() is not None and changes.min() < 0:
        assert down[0]["excellent_good_rate_change"] == changes.min()
    towns = table(doc, "各镇（街道）")
    page_towns = queries.overview(admin, Selection(unit=admin.org_unit), year)["children"]
    assert [r[0] for r in towns.rows] == [t["name"] for t in page_towns]
    assert [r[2] for r in towns.rows] == [f"{t['excellent_good_rate']:.1f}" for t in page_towns]


def test_weakest_items_match_hand_counted_pass_rates(doc, county, year):
    t = table(doc, "薄弱项目")
    assert t.rows, "应列出薄弱项目"
    stage_name, item_name, tested_text, _mean, pass_text, _exc = t.rows[0]
    stage = next(s for s, n in STAGE_NAMES.items() if n == stage_name)
    from edubrain.core.fitness.items import ITEMS

    item = next(i for i in ITEMS if i.name == item_name)
    grades = [g for g, grade in GRADE_BY_CODE.items() if grade.stage == stage]
    col = f"{item.key}_score"
    qs = FitnessMeasurement.objects.filter(
        school__org_unit__path__startswith=county.path,
        school_year__start_year=year,
        grade_code__in=grades,
        **{f"{col}__isnull": False},
    ).exclude(status=EXEMPT)
    tested = qs.count()
    passed = qs.filter(**{f"{col}__gte": 60}).count()
    assert tested_text == str(tested)
    assert pass_text == f"{float(_half_up(passed * 100 / tested)):.1f}"
    # the first row of a stage is its lowest pass rate
    items = stage_items(viewer(county), county, year).filter(pl.col("stage") == stage)
    assert items["pass_rate"].min() == float(pass_text)


def test_disabled_sections_drop_and_requirements_fall_back(county, year):
    template = default_template("fitness")
    sections = tuple(
        dataclasses.replace(s, enabled=False) if s.key in ("ranking", "weakest") else s
        for s in template.sections
    )
    doc = build_fitness(county, year, dataclasses.replace(template, sections=sections))
    headings = [b.text for b in doc.blocks if isinstance(b, Heading) and b.level == 1]
    assert headings == ["总体情况", "与上年度比较", "工作要求"]
    assert not [t for t in tables(doc) if "学段各学校测试结果" in t.caption or "薄弱项目" in t.caption]
    assert "一是强化体育课程实施" in text(doc)


def test_requirements_use_the_template_intro(county, year):
    template = default_template("fitness")
    sections = tuple(
        dataclasses.replace(s, intro="请各学校于{year}年底前报送整改方案。") if s.key == "requirements" else s
        for s in template.sections
    )
    doc = build_fitness(county, year, dataclasses.replace(template, sections=sections))
    assert f"请各学校于{year}年底前报送整改方案。" in text(doc)
    assert "强化体育课程实施" not in text(doc)


def test_progress_is_reported(county, year):
    seen = []
    build_fitness(county, year, default_template("fitness"), progress=lambda p, t: seen.append(p))
    assert seen[0] < seen[-1] == 100 and seen == sorted(seen)


def test_rendered_docx_carries_the_rates(doc, admin, county, year):
    import docx

    from edubrain.core.report import docx_render as render

    data = render.render_docx(doc)
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    page = queries.overview(admin, Selection(unit=county), year)["summary"]
    assert f"{page['excellent_good_rate']:.1f}" in cells
    body = "\n".join(p.text for p in document.paragraphs)
    assert f"实测{page['tested']}人" in body


def test_an_earlier_year_prints_that_years_figures(admin, county, year):
    earlier = year - 1
    doc = build_fitness(county, earlier, default_template("fitness"))
    page = queries.overview(admin, Selection(unit=county), earlier)["summary"]
    county_row = {r[0]: r for r in table(doc, "分学段").rows}["全县"]
    assert county_row[2] == str(page["tested"]) and county_row[5] == f"{page['excellent_good_rate']:.1f}"
    assert doc.title.startswith(f"关于{earlier}年度")
