"""学生近视防控通报 of the demo county: the figures are the 视力监测 page's (its read side, and hand counts
from the screenings), the school table is what the 镇/街道 pages list per school, the ≥ 1 point decline
check matches, 预警随访 counts equal the follow-up summary, disabled sections drop."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import pytest

from edubrain.base.orgtree import OrgKind, OrgUnit
from edubrain.core.report.document import Heading, Paragraph, Table
from edubrain.core.report.template import default_template
from edubrain.reports.bulletins import build_vision
from edubrain.vision import followup_queries as fq
from edubrain.vision import queries
from edubrain.vision.models import VisionScreening
from edubrain.vision.queries import Selection


@pytest.fixture
def county(demo):
    return demo.county


@pytest.fixture
def admin(demo):
    return demo.users["admin"]


@pytest.fixture
def year(admin, county):
    found = queries.latest_year_with_data(admin, Selection(unit=county))
    assert found is not None, "演示县应有视力筛查数据"
    return found


@pytest.fixture
def doc(county, year):
    return build_vision(county, year, default_template("vision"))


def table(doc, caption_part):
    found = [b for b in doc.blocks if isinstance(b, Table) and caption_part in b.caption]
    assert found, f"没有标题含“{caption_part}”的表"
    return found[0]


def text(doc):
    return "\n".join(b.text for b in doc.blocks if isinstance(b, Paragraph | Heading))


def _rate(school_ids, year, county):
    """Hand count: distinct pupils with a classified screening / of those, myopic in any (× 100, 2 places)."""
    qs = VisionScreening.objects.filter(
        status="classified", school_year__start_year=year, school__org_unit__path__startswith=county.path
    )
    if school_ids is not None:
        qs = qs.filter(school_id__in=school_ids)
    screened = qs.values("student_id").distinct().count()
    myopic = qs.filter(myopia=True).values("student_id").distinct().count()
    return screened, myopic, round(myopic * 100 / screened, 2)


def test_title_and_sections(doc, county, year):
    assert doc.title.startswith(f"关于{year}年度全县中小学生") and "视力筛查" in doc.title
    assert doc.issuer == f"{county.name}教育和体育局"
    headings = [b.text for b in doc.blocks if isinstance(b, Heading) and b.level == 1]
    assert headings == ["总体情况", "各学校近视率", "近视率年度降幅情况", "预警随访情况", "工作要求"]


def test_overview_equals_the_page_and_hand_counts(doc, admin, county, year):
    s = queries.overview(admin, Selection(unit=county), year)["summary"]
    screened, myopic, rate = _rate(None, year, county)
    assert (s["screened"], s["myopic"], s["rate"]) == (screened, myopic, rate)
    body = text(doc)
    assert f"有效筛查{screened}人" in body
    assert f"总体近视率{rate:.2f}%" in body
    assert f"高度近视占比{s['high_rate']:.2f}%" in body
    assert f"新发近视率{s['new_onset_rate']:.2f}%" in body
    previous = _rate(None, year - 1, county)[2]
    change = round(rate - previous, 2)
    word = "降低" if change < 0 else "提高"
    assert f"比上年{word}{abs(change):.2f}个百分点" in body
    met = change <= -1
    assert s["target_met"] is met
    assert ("达到规划“每年降低≥1个百分点”的要求" in body) is met
    assert ("未达到规划“每年降低≥1个百分点”的要求" in body) is not met


def test_school_table_is_what_the_town_pages_list(doc, admin, county, year):
    t = table(doc, "各学校筛查性近视率")
    listed = {}
    for town in OrgUnit.objects.filter(parent=county, kind=OrgKind.TOWN):
        for row in queries.children(admin, Selection(unit=town), year):
            listed[row["name"]] = row
    assert sorted(r[0] for r in t.rows) == sorted(listed)
    for name, _town, _screened, _myopic, rate, _previous, _change, target in t.rows:
        page = listed[name]
        assert rate == f"{page['rate']:.2f}"
        assert target == {True: "达标", False: "未达标", None: "无上年数据"}[page["target_met"]]
    rates = [float(r[4]) for r in t.rows]
    assert rates == sorted(rates, reverse=True)


def test_decline_check_matches_hand_counts(doc, county, year):
    t = table(doc, "各学校筛查性近视率")
    row = t.rows[0]
    from edubrain.registry.models import School

    school = School.objects.get(name=row[0], org_unit__path__startswith=county.path)
    now = _rate([school.pk], year, county)[2]
    before = _rate([school.pk], year - 1, county)[2]
    assert row[4] == f"{now:.2f}" and row[5] == f"{before:.2f}"
    assert row[7] == ("达标" if round(now - before, 6) <= -1 else "未达标")
    missed = [r[0] for r in t.rows if r[7] == "未达标"]
    if missed:
        assert sorted(r[0] for r in table(doc, "降幅未达要求的学校").rows) == sorted(missed)


def test_towns_that_missed_are_named(doc, admin, county, year):
    towns = queries.overview(admin, Selection(unit=county), year)["children"]
    body = text(doc)
    compared = [t for t in towns if t["target_met"] is not None]
    missed = [t for t in compared if not t["target_met"]]
    s = queries.overview(admin, Selection(unit=county), year)["summary"]
    assert f"全县总体近视率{s['rate']:.2f}%" in body
    assert ("未达到要求" in body) is (s["target_met"] is False)
    assert f"{len(compared)}个镇（街道）中，{len(compared) - len(missed)}个达到降幅要求" in body
    for t in missed:
        assert f"{t['name']}（{t['rate_change']:+.2f}个百分点）" in body


def test_followups_equal_the_followup_summary(doc, admin, county):
    today = dt.date.today()
    total = fq.summary(fq.followups(admin, Selection(unit=county)), today)
    body = text(doc)
    assert f"视力预警随访{total['all']}人次，已结案{total['closed']}人次" in body
    assert f"其中逾期未反馈{total['overdue']}人次" in body
    rows = fq.by_child(admin, Selection(unit=county), today)
    t = table(doc, "预警随访")
    assert [(r[0], r[2], r[3], r[4]) for r in t.rows] == [
        (r["name"], str(r["open"]), str(r["overdue"]), str(r["closed"])) for r in rows
    ]


def test_disabled_sections_drop(county, year):
    template = default_template("vision")
    sections = tuple(
        dataclasses.replace(s, enabled=False) if s.key in ("rates", "followup") else s
        for s in template.sections
    )
    doc = build_vision(county, year, dataclasses.replace(template, sections=sections))
    headings = [b.text for b in doc.blocks if isinstance(b, Heading) and b.level == 1]
    assert headings == ["总体情况", "近视率年度降幅情况", "工作要求"]
    captions = [b.caption for b in doc.blocks if isinstance(b, Table)]
    assert not [c for c in captions if "各学校筛查性近视率" in c or "预警随访" in c]


def test_rendered_docx_carries_the_rate(doc, admin, county, year):
    import docx

    from edubrain.core.report import docx_render as render

    document = docx.Document(io.BytesIO(render.render_docx(doc)))
    s = queries.overview(admin, Selection(unit=county), year)["summary"]
    body = "\n".join(p.text for p in document.paragraphs)
    assert f"总体近视率{s['rate']:.2f}%" in body
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    first = table(doc, "各学校筛查性近视率").rows[0]
    assert first[0] in cells and first[4] in cells


def test_an_earlier_year_prints_that_years_figures(admin, county, year):
    earlier = year - 1
    doc = build_vision(county, earlier, default_template("vision"))
    s = queries.overview(admin, Selection(unit=county), earlier)["summary"]
    assert s["rate"] == _rate(None, earlier, county)[2]
    assert f"总体近视率{s['rate']:.2f}%" in text(doc)
