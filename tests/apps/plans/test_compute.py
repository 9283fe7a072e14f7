"""recompute() on the session's demo county (seed 7, scale 0.04): values for the county, its 镇/街道 and
schools; county figures near the plan's Table 1 (scaled); manual rows kept; a rerun replaces; a school
without pupils gets null + note. Never a whole-table count: only the demo county's rows are looked at."""

from __future__ import annotations

import pytest
from django.utils import timezone

from edubrain.base.audit import AuditLog
from edubrain.base.orgtree import OrgKind, OrgUnit
from edubrain.core.indicators.catalogue import CATALOGUE
from edubrain.core.indicators.formulas import COMPUTED_CODES
from edubrain.fitness.indicators import indicator_values
from edubrain.plans.compute import recompute, sync_catalogue
from edubrain.plans.models import Indicator, IndicatorValue
from edubrain.registry.models import School
from factories import SchoolFactory

SCALE = 0.04  # tests/conftest.py DEMO_SCALE
# Table 1: (2020, 2025, tolerance)
TABLE1_PERSONS = {
    "preschool_enrolment": (17_000, 11_000),
    "compulsory_enrolment": (39_000, 45_000),
    "upper_secondary_enrolment": (13_700, 13_000),
    "vocational_enrolment": (3_100, 3_400),
}
TABLE1_RATES = {
    "preschool_gross_rate": (99.0, 99.0, 1.0),
    "upper_secondary_gross_rate": (98.0, 98.5, 1.0),
    "preschool_teacher_major_share": (64.73, 75.0, 3.0),
    "compulsory_teacher_bachelor_share": (95.95, 97.0, 2.0),
    "senior_teacher_master_share": (16.0, 18.0, 3.0),
    "vocational_dual_teacher_share": (60.0, 85.0, 3.0),
    "adult_schooling_years": (11.9, 12.2, 0.01),
}


def county_values(county, code):
    rows = IndicatorValue.objects.filter(indicator__code=code, org_unit=county)
    return {r.year: r for r in rows}


def in_county(county):
    return IndicatorValue.objects.filter(org_unit__path__startswith=county.path)


@pytest.fixture
def computed(demo):
    result = recompute(demo.county)
    return demo, result


def test_recompute_reports_what_it_did(computed):
    demo, result = computed
    assert result["counties"] == 1 and result["years"] == [2020, 2021, 2022, 2023, 2024, 2025]
    assert result["indicators"] == len(COMPUTED_CODES)
    assert result["values"] == result["with_value"] + result["without_value"] > 0
    assert result["seconds"] >= 0 and result["message"].startswith("已计算沂源县")
    assert result["by_county"][0]["county"] == demo.county.name


def test_values_for_county_towns_and_schools_add_up(computed):
    demo, _ = computed
    county = demo.county
    towns = list(OrgUnit.objects.filter(kind=OrgKind.TOWN, parent=county))
    schools = School.objects.filter(org_unit__path__startswith=county.path, school_type="kindergarten")
    rows = in_county(county).filter(indicator__code="preschool_enrolment", year=2024)
    by_unit = {r.org_unit_id: r for r in rows}
    assert county.pk in by_unit
    assert sum(by_unit[t.pk].numerator for t in towns if t.pk in by_unit) == by_unit[county.pk].numerator
    assert sum(by_unit[s.org_unit_id].numerator or 0 for s in schools) == by_unit[county.pk].numerator
    assert any(t.pk in by_unit for t in towns) and all(s.org_unit_id in by_unit for s in schools)


@pytest.mark.parametrize("code", sorted(TABLE1_PERSONS))
def test_pupil_numbers_match_table_1_scaled(computed, code):
    demo, _ = computed
    values = county_values(demo.county, code)
    for year, expected in zip((2020, 2025), TABLE1_PERSONS[code], strict=True):
        row = values[year]
        assert row.numerator / SCALE == pytest.approx(expected, rel=0.03), (code, year)
        assert row.value == pytest.approx(row.numerator / 10_000)


@pytest.mark.parametrize("code", sorted(TABLE1_RATES))
def test_rates_and_shares_near_table_1(computed, code):
    demo, _ = computed
    values = county_values(demo.county, code)
    first, last, tolerance = TABLE1_RATES[code]
    for year, expected in ((2020, first), (2025, last)):
        row = values[year]
        # at scale 0.04 a share has few teachers: allow one teacher's worth besides the tolerance
        slack = tolerance + (100 / row.denominator if row.denominator else 0)
        assert row.value == pytest.approx(expected, abs=slack), (code, year, row.value)


def test_urban_rural_ratio_is_computed_or_explained(computed):
    demo, _ = computed
    for year, expected in ((2020, 1.07), (2025, 1.02)):
        row = county_values(demo.county, "urban_rural_bachelor_ratio")[year]
        if row.value is None:  # the small demo may have no 镇区/乡村 compulsory school
            assert row.note
        else:
            assert row.value == pytest.approx(expected, abs=0.1)


def test_nine_year_retention_needs_nine_years_of_records(computed):
    demo, _ = computed
    row = county_values(demo.county, "compulsory_retention_rate")[2025]
    assert row.value is None and row.note.startswith("缺少2017学年学籍数据")


def test_fitness_values_are_the_fitness_modules(computed):
    demo, _ = computed
    expected = indicator_values(years=[2025])
    mine = expected.filter(expected["org_unit_id"] == demo.county.pk).to_dicts()
    stored = county_values(demo.county, "fitness_excellent_good_rate")[2025]
    wanted = next(r for r in mine if r["indicator"] == "fitness_excellent_good_rate")
    assert (stored.value, stored.numerator, stored.denominator) == (
        wanted["value"],
        wanted["numerator"],
        wanted["denominator"],
    )


def test_stored_rows_carry_provenance_and_time(computed):
    demo, _ = computed
    row = county_values(demo.county, "preschool_gross_rate")[2024]
    assert row.source == "computed" and row.computed_at is not None
    assert row.provenance.startswith("学籍 2024学年") and "常住人口 2024" in row.provenance
    assert AuditLog.objects.filter(
        model="plans.IndicatorValue", action="bulk", summary__contains="沂源县"
    ).exists()


def test_myopia_is_computed_from_the_screenings(computed):
    demo, _ = computed
    assert Indicator.objects.get(code="myopia_rate").kind == "computed"
    rates = county_values(demo.county, "myopia_rate")
    assert all(30 <= rates[y].value <= 70 for y in range(2020, 2026))
    towns = in_county(demo.county).filter(indicator__code="myopia_rate", org_unit__kind="town", year=2025)
    assert towns.exists() and all(v.value is not None for v in towns)


def test_manual_rows_survive_a_recompute(computed):
    demo, _ = computed
    county = demo.county
    row = county_values(county, "compulsory_enrolment")[2024]
    IndicatorValue.objects.filter(pk=row.pk).update(source="manual", value=4.44, note="人工核定")
    myopia = IndicatorValue.objects.create(  # a hand-entered indicator
        indicator=Indicator.objects.get(code="teacher_research_share"),
        org_unit=county,
        year=2024,
        value=51.2,
        source="manual",
    )
    result = recompute(county)
    assert result["manual_kept"] == 1
    kept = IndicatorValue.objects.get(pk=row.pk)
    assert (kept.source, kept.value, kept.note) == ("manual", 4.44, "人工核定")
    assert IndicatorValue.objects.get(pk=myopia.pk).value == 51.2
    assert (
        in_county(county).filter(indicator__code="compulsory_enrolment", org_unit=county, year=2024).count()
        == 1
    )


def test_a_second_recompute_replaces_without_duplicates(computed):
    demo, first = computed
    rows = in_county(demo.county).filter(source="computed")
    before = rows.count()
    second = recompute(demo.county)
    assert rows.count() == before == second["values"] and second["replaced"] == first["values"]
    keys = rows.values_list("indicator_id", "org_unit_id", "year")
    assert len(set(keys)) == before


def test_only_the_years_asked_are_replaced(computed):
    demo, _ = computed
    earlier = county_values(demo.county, "compulsory_enrolment")
    started = timezone.now()
    result = recompute(demo.county, [2025])
    later = county_values(demo.county, "compulsory_enrolment")
    assert result["years"] == [2025]
    assert later[2024].computed_at == earlier[2024].computed_at
    assert later[2025].computed_at >= started and later[2025].value == earlier[2025].value


def test_a_school_without_pupils_gets_null_and_a_note(demo):
    town = OrgUnit.objects.filter(kind=OrgKind.TOWN, parent=demo.county).first()
    empty = SchoolFactory(town=town, school_type="primary", name="空校演示小学")
    recompute(demo.county, [2024])
    rows = {r.indicator.code: r for r in IndicatorValue.objects.filter(org_unit=empty.org_unit, year=2024)}
    assert (rows["compulsory_enrolment"].value, rows["compulsory_enrolment"].note) == (
        None,
        "无义务教育在校生",
    )
    assert rows["compulsory_teacher_bachelor_share"].value is None
    assert rows["compulsory_teacher_bachelor_share"].note == "无义务教育学校专任教师"
    assert rows["large_class_count"].note == "无班级数据"


def test_sync_catalogue_restores_changed_rows(demo):
    sync_catalogue()
    Indicator.objects.filter(code="preschool_gross_rate").update(name="改过的名称", definition="")
    result = sync_catalogue()
    row = Indicator.objects.get(code="preschool_gross_rate")
    assert result["updated"] == 1 and result["created"] == 0
    assert row.name == CATALOGUE["preschool_gross_rate"].name and "3—5岁" in row.definition
    assert set(CATALOGUE) <= set(Indicator.objects.values_list("code", flat=True))
