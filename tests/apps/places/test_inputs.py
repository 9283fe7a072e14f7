"""places.inputs on the hand-counted county of conftest.py: class sizes, school sizes and forecast inputs."""

from __future__ import annotations

import polars as pl

from edubrain.places import inputs
from edubrain.registry.models import SchoolCapacity
from factories import SchoolCapacityFactory, SchoolFactory


def test_class_frame_counts_on_roll_pupils_per_class(world):
    frame = inputs.class_frame(world.users.admin, world.county)
    got = {(r["school"], r["grade_code"], r["number"]): r["size"] for r in frame.to_dicts()}
    # 54 在籍 + 2 转入 = 56; the 2 转出 are not counted
    assert got == {
        ("甲小学", "11", 1): 56,
        ("甲小学", "11", 2): 40,
        ("甲初中", "21", 1): 66,
        ("甲幼儿园", "01", 1): 60,
        ("乙小学", "13", 1): 46,
    }
    row = frame.filter(pl.col("school") == "甲初中").to_dicts()[0]
    assert (row["town"], row["zone"], row["year"]) == ("班额镇甲", "学区一", 2024)


def test_size_frame_counts_compulsory_pupils_and_classes(world):
    schools = inputs.school_frame(world.users.admin, world.county)
    classes = inputs.class_frame(world.users.admin, world.county, schools=schools)
    sized = {r["school"]: (r["pupils"], r["classes"]) for r in inputs.size_frame(classes, schools).to_dicts()}
    assert sized["甲小学"] == (96, 2)
    assert sized["甲初中"] == (66, 1)
    assert sized["甲幼儿园"] == (0, 1)  # 幼儿园 pupils are not 义务教育段


def test_place_data_groups_by_zone(world):
    fi = inputs.place_data(world.users.admin, world.county, None, "6-3")
    assert fi.grouping == inputs.ZONE  # the schools have 学区
    z1, z2 = f"z{world.zone_1.pk}", f"z{world.zone_2.pk}"
    assert fi.zones == {z1: "学区一", z2: "学区二"}
    enrolment = {(r["zone"], r["grade_code"]): r["pupils"] for r in fi.data.enrolment.to_dicts()}
    assert enrolment == {(z1, "11"): 96, (z1, "21"): 66, (z2, "13"): 46}  # no 幼儿园
    assert fi.data.entrants.to_dicts() == [{"zone": z1, "year": 2024, "entrants": 96}]
    births = fi.data.births.sort("year")
    assert set(births["zone"]) == {z1} and births["births"].to_list() == [50] * 9
    assert any("学区二" in n and "没有出生人口数据" in n for n in fi.notes)


def test_capacity_entry_and_total_places_of_open_schools(world):
    closed = SchoolFactory(
        town=world.town_b, zone=world.zone_2, name="乙村小", code="3999610009", closed_year=2026
    )
    SchoolCapacityFactory(school=closed, grade_code="11", places=20)
    fi = inputs.place_data(world.users.admin, world.county, "zone", "6-3")
    cap = {
        (r["zone"], r["stage"], r["year"]): (r["entry_places"], r["total_places"])
        for r in fi.data.capacity.to_dicts()
    }
    z1, z2 = f"z{world.zone_1.pk}", f"z{world.zone_2.pk}"
    assert cap[(z1, "primary", 2025)] == (60, 115)  # 一年级 60; 一年级 + 二年级 = 115
    assert cap[(z1, "junior", 2025)] == (70, 70)
    assert cap[(z2, "primary", 2025)] == (50, 50)  # 乙小学 30 + 乙村小 20 while open
    assert cap[(z2, "primary", 2026)] == (30, 30)  # 乙村小 closed in 2026
    assert SchoolCapacity.objects.filter(school=closed).exists()


def test_place_data_by_town(world):
    fi = inputs.place_data(world.users.admin, world.county, "town", "6-3")
    ta, tb = f"t{world.town_a.pk}", f"t{world.town_b.pk}"
    assert fi.zones == {ta: "班额镇甲", tb: "班额镇乙"}
    assert set(fi.data.births["zone"]) == {ta}


def test_school_without_zone_stands_in_its_town(world):
    SchoolFactory(town=world.town_b, zone=None, name="乙无学区小学", code="3999610010")
    fi = inputs.place_data(world.users.admin, world.county, "zone", "6-3")
    assert fi.zones[f"t{world.town_b.pk}"] == "班额镇乙（未划学区）"


def test_school_without_entry_capacity_is_reported(world):
    SchoolCapacity.objects.filter(school=world.junior_a).delete()
    fi = inputs.place_data(world.users.admin, world.county, "zone", "6-3")
    assert any(n.startswith("甲初中没有一年级或初一的学位容量数据") for n in fi.notes)
    assert not any("甲小学没有" in n for n in fi.notes)
    junior = fi.data.capacity.filter(pl.col("stage") == "junior")
    assert junior.is_empty()  # no places, never 0
