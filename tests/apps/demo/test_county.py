"""The demo county's structure: towns, named schools, realistic school counts, units, groups, figures."""

from __future__ import annotations

import json
import re
from importlib import resources

import polars as pl

from edubrain.core.stages import grade_allowed

TOWNS = [
    "南麻街道",
    "历山街道",
    "南鲁山镇",
    "鲁村镇",
    "大张庄镇",
    "中庄镇",
    "张家坡镇",
    "燕崖镇",
    "石桥镇",
    "东里镇",
    "悦庄镇",
    "西里镇",
]
NAMED = [
    "沂源县第一中学",
    "沂源县第二中学",
    "沂源县荆山学校",
    "沂源县人民路小学",
    "沂源县康源路小学",
    "沂源县第三实验小学",
    "淄博电子工程学校",
    "沂源县特殊教育学校",
    "南麻街道高庄社区幼儿园",
    "沂源县历山幼儿园",
    "悦庄镇消水幼儿园",
    "沂源县第二实验幼儿园",
    "悦庄镇龙山幼儿园",
    "沂源县实验幼儿园",
]


def _types(plan) -> dict[str, int]:
    counts = plan.frames["school"].group_by("school_type").len().iter_rows()
    return dict(counts)


def test_org_tree_has_province_city_county_and_12_towns(small_plan):
    org = small_plan.frames["org_unit"]
    towns = org.filter(pl.col("kind") == "town")
    assert towns["name"].to_list() == TOWNS
    assert all(re.fullmatch(r"370323\d{3}", c) for c in towns["division_code"])
    county = org.filter(pl.col("kind") == "county").row(0, named=True)
    assert county["division_code"] == "370323"
    assert org.filter(pl.col("kind") == "province")["division_code"].to_list() == ["370000"]
    assert all(p.startswith(county["path"]) for p in towns["path"])


def test_named_schools_kept_at_every_scale(small_plan, full_plan):
    for plan in (small_plan, full_plan):
        names = set(plan.frames["school"]["name"])
        assert set(NAMED) <= names
    gaozhuang = (
        small_plan.frames["school"].filter(pl.col("name") == "南麻街道高庄社区幼儿园").row(0, named=True)
    )
    assert gaozhuang["founded_year"] >= 2022


def test_full_scale_school_counts_are_realistic(full_plan):
    t = _types(full_plan)
    assert 20 <= t["primary"] <= 30
    assert 10 <= t["junior"] + t["nine_year"] <= 15
    assert 2 <= t["senior_high"] <= 3
    assert t["vocational"] == 1 and t["special"] == 1
    assert 80 <= t["kindergarten"] <= 100


def test_small_scale_shrinks_schools_and_pupils(small_plan, full_plan):
    assert small_plan.frames["school"].height < full_plan.frames["school"].height / 3
    ratio = small_plan.frames["student"].height / full_plan.frames["student"].height
    assert 0.025 < ratio < 0.06


def test_school_codes_are_unique_10_digits_and_coordinates_near_yiyuan(full_plan):
    schools = full_plan.frames["school"]
    assert schools["code"].n_unique() == schools.height
    assert schools["code"].str.contains(r"^\d{10}$").all()
    assert schools["latitude"].is_between(35.9, 36.5).all()
    assert schools["longitude"].is_between(117.8, 118.6).all()
    assert set(schools["locality"]) == {"urban", "town", "rural"}
    kg = schools.filter(pl.col("school_type") == "kindergarten")
    assert kg["is_puhui"].is_not_null().all() and kg["is_puhui"].any()
    assert schools.filter(pl.col("school_type") != "kindergarten")["is_puhui"].is_null().all()
    assert set(kg["ownership"]) == {"public", "private"}


def test_responsible_units_are_the_plans(small_plan):
    units = small_plan.frames["responsible_unit"]["name"].to_list()
    data = json.loads(
        resources.files("edubrain.data").joinpath("demo_units.json").read_text(encoding="utf-8")
    )
    assert units == data["units"]
    assert {"县委教育工委", "县财政局", "县教育和体育局", "县发展改革局", "团县委"} <= set(units)
    assert len(set(units)) == len(units) >= 30


def test_education_groups_have_core_and_members(full_plan):
    groups = full_plan.frames["education_group"]
    members = full_plan.frames["group_member"]
    assert groups.height >= 3
    for gid, core in groups.select("id", "core_school_id").iter_rows():
        mine = members.filter(pl.col("educationgroup_id") == gid)["school_id"].to_list()
        assert mine and core not in mine


def test_capacity_only_for_grades_the_school_teaches(full_plan):
    types = dict(full_plan.frames["school"].select("id", "school_type").iter_rows())
    cap = full_plan.frames["capacity"]
    assert all(grade_allowed(types[s], g) for s, g in cap.select("school_id", "grade_code").iter_rows())
    assert (cap["places"] > 0).all()


def test_yearly_figures(full_plan):
    fin = full_plan.frames["finance"].sort("year")
    budget = fin["general_budget"].to_list()
    assert budget == sorted(budget) and len(set(budget)) == 6
    parts = fin.select(pl.sum_horizontal("preschool", "primary", "junior", "senior", "vocational", "special"))
    assert (parts.to_series() <= fin["general_budget"]).all()
    births = full_plan.frames["births"].group_by("year").agg(pl.col("births").sum()).sort("year")
    b = dict(births.iter_rows())
    assert b[2017] > b[2020] > b[2025]
    pop = full_plan.frames["population"]
    assert sorted(set(pop["age"])) == list(range(23)) and sorted(set(pop["year"])) == list(range(2020, 2026))
    sy = (
        full_plan.frames["schooling_years"].filter(pl.col("org_unit_id") == 3).sort("year")["years"].to_list()
    )
    assert sy[0] == 11.9 and sy[-1] == 12.2
    fac = full_plan.frames["facility"]
    assert (fac["teaching_area"] <= fac["building_area"]).all()
    weak = fac.filter(pl.col("year") == 2020).sort("equipment_value")
    assert weak.height > 100
