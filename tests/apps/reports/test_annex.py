"""数据附件 of the demo county: an xlsx that opens, with the 说明 sheet first, one sheet per indicator with
values (a sampled cell equals its ``IndicatorValue``) and the module sheets holding the pages' figures."""

from __future__ import annotations

import io

import polars as pl
import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from edubrain.core.io.writers import sheet_name
from edubrain.fitness import queries as fitness_queries
from edubrain.fitness.ranking import ranking
from edubrain.plans.models import IndicatorValue
from edubrain.registry.models import School
from edubrain.reports.annex import build_annex
from edubrain.work.models import Finding

YEAR = 2025
MODULES = ["体质健康", "视力", "任务进展", "重点项目", "整改台账"]


@pytest.fixture(scope="module")
def annex(django_db_setup, django_db_blocker):
    """Built once for the module (it only reads)."""
    from edubrain.base.orgtree import OrgKind, OrgUnit

    with django_db_blocker.unblock():
        county = OrgUnit.objects.get(kind=OrgKind.COUNTY, division_code="370323")
        seen = []
        data = build_annex(county, YEAR, progress=lambda p, t: seen.append(p))
    return data, seen


@pytest.fixture
def book(annex):
    return CalamineWorkbook.from_filelike(io.BytesIO(annex[0]))


def rows_of(book, name):
    return book.get_sheet_by_name(name).to_python()


def in_scope(demo):
    return IndicatorValue.objects.filter(org_unit__path__startswith=demo.county.path, year__lte=YEAR)


def test_opens_with_openpyxl_and_has_the_readme_first(annex, demo):
    wb = load_workbook(io.BytesIO(annex[0]), read_only=True)
    assert wb.sheetnames[0] == "说明"
    assert wb.sheetnames[-5:] == MODULES
    assert annex[1][-1] == 100 and annex[1] == sorted(annex[1])


def test_one_sheet_per_indicator_with_values(book, demo):
    names = {
        sheet_name(n)
        for n in in_scope(demo)
        .filter(value__isnull=False)
        .values_list("indicator__name", flat=True)
        .distinct()
    }
    assert names, "演示县应有指标值"
    indicator_sheets = set(book.sheet_names) - {"说明", *MODULES}
    assert indicator_sheets == names
    readme = {r[0]: r[1] for r in rows_of(book, "说明")[1:]}
    assert set(readme) >= names | set(MODULES)
    assert "生成时间" in readme


def test_sampled_values_equal_the_store(book, demo):
    sample = (
        in_scope(demo)
        .filter(value__isnull=False, org_unit__kind="school")
        .select_related("indicator", "org_unit")
        .order_by("indicator__code", "org_unit__path", "year")
        .first()
    )
    rows = rows_of(book, sheet_name(sample.indicator.name))
    header = rows[0]
    assert header[:5] == ["单位", "层级", "代码", "年份", "值"]
    code = School.objects.get(org_unit=sample.org_unit).code
    found = [r for r in rows[1:] if r[2] == code and int(r[3]) == sample.year]
    assert len(found) == 1
    row = dict(zip(header, found[0], strict=True))
    assert row["单位"] == sample.org_unit.name and row["层级"] == "学校"
    assert row["值"] == pytest.approx(sample.value)
    assert row["分母"] == ("" if sample.denominator is None else pytest.approx(sample.denominator))
    expected_rows = in_scope(demo).filter(indicator=sample.indicator).count()
    assert len(rows) - 1 == expected_rows
    # the county row of the latest year is there too, with its 行政区划代码
    county_rows = [r for r in rows[1:] if r[2] == demo.county.division_code]
    assert county_rows and all(r[1] == "县（区）" for r in county_rows)
    assert max(int(r[3]) for r in rows[1:]) <= YEAR


def test_fitness_sheet_is_the_ranking(book, demo):
    admin = demo.users["admin"]
    ranked = ranking(admin, YEAR)
    assert fitness_queries.latest_year_with_data(admin) == YEAR
    rows = rows_of(book, "体质健康")
    header = rows[0]
    schools = [r[header.index("学校")] for r in rows[1:]]
    assert schools == ranked["school_name"].to_list()
    rates = [r[header.index("优良率(%)")] for r in rows[1:]]
    assert rates == pytest.approx(ranked["excellent_good_rate"].to_list())


def test_vision_and_findings_sheets(book, demo):
    from edubrain.vision import queries
    from edubrain.vision.queries import Selection

    admin = demo.users["admin"]
    vision = rows_of(book, "视力")
    header = vision[0]
    by_school = {r[0]: r for r in vision[1:]}
    county_rate = queries.overview(admin, Selection(unit=demo.county), YEAR)["summary"]
    screened = sum(r[header.index("筛查人数")] for r in vision[1:])
    myopic = sum(r[header.index("近视人数")] for r in vision[1:])
    assert (screened, myopic) == (county_rate["screened"], county_rate["myopic"])
    assert all(
        r[header.index("每年降低≥1个百分点")] in ("达标", "未达标", "无上年数据") for r in by_school.values()
    )
    findings = rows_of(book, "整改台账")
    count = Finding.objects.filter(org_unit__path__startswith=demo.county.path, found_on__year=YEAR).count()
    assert len(findings) - 1 == count
    assert all(str(r[findings[0].index("发现日期")]).startswith(str(YEAR)) for r in findings[1:])


def test_progress_and_projects_sheets_have_rows(book):
    reports = rows_of(book, "任务进展")
    assert reports[0][0] == "填报周期" and len(reports) > 1
    assert all(str(YEAR) in str(r[0]) for r in reports[1:])
    projects = rows_of(book, "重点项目")
    assert len(projects) > 1 and "项目名称" in projects[0]


def test_empty_frame_sheets_still_open(demo):
    data = build_annex(demo.county, 2010)
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert book.sheet_names[0] == "说明"
    assert set(MODULES) <= set(book.sheet_names)
    assert pl.DataFrame(rows_of(book, "说明")).height > 1
