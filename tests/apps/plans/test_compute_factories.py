"""recompute() and build_inputs() on a small county of our own (测试县, factories), checked by hand.

镇甲  甲幼儿园 (公办, 普惠, 省一类)   小班: 3 在籍
      甲小学 (城区)                一年级: 3 在籍 + 1 转入 + 1 休学;   teachers: 本科 2, 专科 1
镇乙  乙幼儿园 (民办, 非普惠)        中班: 1 在籍 + 1 转出
      乙中学 (乡村)                初一: 2 在籍;                      teachers: 本科 1, 专科 1
      乙空中学 (乡村)              no class, no pupil
幼儿园 teachers: 甲 专科 + 学前教育专业 1, 高中 1; an 行政人员 (not a 专任教师)
county: 3—5 岁人口 2 each; 教育经费 1,000,000 元; 平均受教育年限 10.5 (2024)
"""

from __future__ import annotations

from types import SimpleNamespace

import polars as pl
import pytest

from edubrain.plans.compute import counties_of, recompute
from edubrain.plans.indicator_inputs import build_inputs
from edubrain.plans.models import IndicatorValue
from factories import (
    CountyFactory,
    EnrollmentFactory,
    FinanceFactory,
    PopulationFactory,
    SchoolClassFactory,
    SchoolFactory,
    SchoolingYearsFactory,
    SchoolYearFactory,
    StaffFactory,
    TownFactory,
)


def pupils(school, year, grade, statuses):
    cls = SchoolClassFactory(school=school, school_year=year, grade_code=grade)
    for status in statuses:
        EnrollmentFactory(student__school=school, school_class=cls, status=status)
    return cls


@pytest.fixture
def county(demo):
    c = CountyFactory()
    a, b = TownFactory(parent=c, name="镇甲"), TownFactory(parent=c, name="镇乙")
    y = SchoolYearFactory(start_year=2024)
    kg_a = SchoolFactory(
        town=a,
        name="甲幼儿园",
        school_type="kindergarten",
        ownership="public",
        is_puhui=True,
        rating="prov_1",
    )
    kg_b = SchoolFactory(
        town=b, name="乙幼儿园", school_type="kindergarten", ownership="private", is_puhui=False
    )
    pri = SchoolFactory(town=a, name="甲小学", school_type="primary", locality="urban")
    jun = SchoolFactory(town=b, name="乙中学", school_type="junior", locality="rural")
    empty = SchoolFactory(town=b, name="乙空中学", school_type="junior", locality="rural")
    pupils(kg_a, y, "01", ["enrolled"] * 3)
    pupils(kg_b, y, "02", ["enrolled", "out"])
    pupils(pri, y, "11", ["enrolled", "enrolled", "enrolled", "in", "suspended"])
    pupils(jun, y, "21", ["enrolled", "enrolled"])
    for school, education, major in [
        (pri, "bachelor", False),
        (pri, "bachelor", False),
        (pri, "college", False),
        (jun, "bachelor", False),
        (jun, "college", False),
        (kg_a, "college", True),
        (kg_a, "high", False),
    ]:
        StaffFactory(school=school, education=education, preschool_major=major)
    StaffFactory(school=pri, post="admin", education="postgrad")
    StaffFactory(school=pri, education="postgrad", joined_year=2025)  # joins next year
    for age in (3, 4, 5):
        PopulationFactory(org_unit=c, year=2024, age=age, population=2)
    FinanceFactory(org_unit=c, year=2024, general_budget=1_000_000)
    SchoolingYearsFactory(org_unit=c, year=2024, years="10.50")
    return SimpleNamespace(county=c, a=a, b=b, kg_a=kg_a, kg_b=kg_b, pri=pri, jun=jun, empty=empty)


def values(unit, year=2024):
    unit = getattr(unit, "org_unit", unit)  # a School or an OrgUnit
    rows = IndicatorValue.objects.filter(org_unit=unit, year=year).select_related("indicator")
    return {r.indicator.code: (r.value, r.numerator, r.denominator, r.note) for r in rows}


def test_build_inputs_reads_grouped_counts(county):
    bundle = build_inputs(county.county)
    assert bundle.years == (2024,) and set(bundle.towns) == {county.a.pk, county.b.pk}
    assert bundle.schools.height == 5
    on_roll = bundle.enrolments.filter(pl.col("status").is_in(["enrolled", "in"]))
    assert on_roll["n"].sum() == 10
    sizes = dict(bundle.classes.select("org_unit_id", "size").iter_rows())
    assert sizes == {
        county.kg_a.org_unit_id: 3,
        county.kg_b.org_unit_id: 1,
        county.pri.org_unit_id: 4,
        county.jun.org_unit_id: 2,
    }
    assert bundle.staff["n"].sum() == 8  # 专任教师 only (the 行政人员 is left out)
    assert bundle.population["population"].sum() == 6 and bundle.finance.height == 1


def test_exact_values(county):
    result = recompute(county.county)
    assert result["counties"] == 1 and result["years"] == [2024]
    c = values(county.county)
    assert c["preschool_enrolment"] == (pytest.approx(0.0004), 4.0, None, "")
    assert c["compulsory_enrolment"][1] == 6.0
    assert c["preschool_gross_rate"][:3] == (pytest.approx(400 / 6), 4.0, 6.0)
    assert c["public_kindergarten_share"][:3] == (75.0, 3.0, 4.0)
    assert c["inclusive_kindergarten_coverage"][:3] == (75.0, 3.0, 4.0)
    assert c["compulsory_teacher_bachelor_share"][:3] == (60.0, 3.0, 5.0)
    assert c["urban_rural_bachelor_ratio"][0] == pytest.approx((200 / 3) / 50.0)
    assert c["preschool_teacher_major_share"][:3] == (50.0, 1.0, 2.0)
    assert c["preschool_teacher_college_share"][:3] == (50.0, 1.0, 2.0)
    assert c["first_class_kindergarten_share"][:3] == (50.0, 1.0, 2.0)
    assert c["large_class_count"][:2] == (0.0, 0.0)
    assert c["education_expenditure"][:2] == (100.0, 1_000_000.0)
    assert c["per_pupil_expenditure"][:3] == (100_000.0, 1_000_000.0, 10.0)
    assert c["adult_schooling_years"][0] == 10.5
    assert c["junior_retention_rate"][0] is None and c["junior_retention_rate"][3].startswith("缺少2022学年")
    assert values(county.a)["compulsory_teacher_bachelor_share"][:3] == (pytest.approx(200 / 3), 2.0, 3.0)
    assert values(county.a)["preschool_gross_rate"][3] == "缺少3—5岁人口数据"
    assert values(county.b)["compulsory_enrolment"][1] == 2.0
    assert values(county.pri)["compulsory_enrolment"][1] == 4.0
    assert values(county.kg_b)["preschool_enrolment"][1] == 1.0


def test_an_empty_school_gets_nulls_with_notes(county):
    recompute(county.county)
    e = values(county.empty)
    assert e["compulsory_enrolment"] == (None, 0.0, None, "无义务教育在校生")
    assert e["compulsory_teacher_bachelor_share"] == (None, 0.0, 0.0, "无义务教育学校专任教师")
    assert e["oversized_school_count"] == (None, 0.0, None, "无义务教育在校生")


def test_every_county_when_none_is_given(county):
    result = recompute()
    names = {r["county"] for r in result["by_county"]}
    assert {"测试县", "沂源县"} <= names
    assert values(county.county)["compulsory_enrolment"][1] == 6.0


def test_counties_of_a_city_a_town_and_a_school(county, demo):
    assert counties_of(county.county) == [county.county]
    assert counties_of(county.a) == [county.county]
    assert counties_of(county.pri.org_unit) == [county.county]
    city = demo.county.parent
    assert demo.county in counties_of(city) and county.county not in counties_of(city)
