"""Org tree: materialised paths, depth, ancestors, moves (descendants follow), School/unit nodes."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from edubrain.base.orgtree import OrgKind, OrgUnit
from factories import CountyFactory, ResponsibleUnitFactory, SchoolFactory, TownFactory

pytestmark = pytest.mark.django_db


def node(kind, name, parent=None):
    return OrgUnit.objects.create(kind=kind, name=name, parent=parent)


@pytest.fixture
def tree():
    county = node(OrgKind.COUNTY, "沂源县")
    t1, t2 = node(OrgKind.TOWN, "南麻街道", county), node(OrgKind.TOWN, "鲁村镇", county)
    school = node(OrgKind.SCHOOL, "南麻小学", t1)
    return county, t1, t2, school


def fresh(unit):
    return OrgUnit.objects.get(pk=unit.pk)


def test_paths_and_depth(tree):
    county, t1, t2, school = tree
    assert county.path == f"/{county.pk}/" and county.depth == 0
    assert t1.path == f"/{county.pk}/{t1.pk}/" and t1.depth == 1
    assert school.path == f"/{county.pk}/{t1.pk}/{school.pk}/" and school.depth == 2
    assert fresh(school).path == school.path and fresh(school).depth == 2


def test_ancestors_and_descendants(tree):
    county, t1, t2, school = tree
    assert school.ancestors() == [county, t1, school]
    assert set(county.descendants()) == {county, t1, t2, school}
    assert set(t1.descendants(include_self=False)) == {school}
    assert school.is_within(t1) and school.is_within(county) and not school.is_within(t2)


def test_moving_a_node_moves_its_descendants(tree):
    county, t1, t2, school = tree
    classroom = node(OrgKind.SCHOOL, "分校", school)  # a deeper node to follow too
    t1.parent = t2
    t1.save()
    t1, school, classroom = fresh(t1), fresh(school), fresh(classroom)
    assert t1.path == f"/{county.pk}/{t2.pk}/{t1.pk}/" and t1.depth == 2
    assert school.path == f"{t1.path}{school.pk}/" and school.depth == 3
    assert classroom.path == f"{school.path}{classroom.pk}/" and classroom.depth == 4
    assert fresh(t2).path == f"/{county.pk}/{t2.pk}/"  # siblings untouched
    # and back up again
    t1.parent = county
    t1.save()
    assert fresh(classroom).path == f"/{county.pk}/{t1.pk}/{school.pk}/{classroom.pk}/"
    assert fresh(classroom).depth == 3


def test_move_to_root(tree):
    county, t1, t2, school = tree
    t1.parent = None
    t1.save()
    assert fresh(t1).path == f"/{t1.pk}/" and fresh(t1).depth == 0
    assert fresh(school).path == f"/{t1.pk}/{school.pk}/" and fresh(school).depth == 1


def test_stale_parent_object_does_not_corrupt_path(tree):
    county, t1, t2, school = tree
    stale_t1 = OrgUnit.objects.get(pk=t1.pk)
    t1.parent = t2
    t1.save()
    extra = OrgUnit(kind=OrgKind.SCHOOL, name="新校", parent=stale_t1)  # stale_t1.path is the old path
    extra.save()
    assert extra.path == f"{fresh(t1).path}{extra.pk}/"


def test_cycles_refused(tree):
    county, t1, t2, school = tree
    county.parent = school
    with pytest.raises(ValidationError) as err:
        county.save()
    assert err.value.message_dict["parent"] == ["上级机构不能是本机构或其下级"]
    assert fresh(county).parent_id is None
    t1.parent = t1
    with pytest.raises(ValidationError):
        t1.full_clean()


def test_parent_kind_rules(tree):
    county, t1, t2, school = tree
    bad = OrgUnit(kind=OrgKind.TOWN, name="错镇", parent=school)
    with pytest.raises(ValidationError) as err:
        bad.full_clean()
    assert err.value.message_dict["parent"] == ["“镇/街道”的上级机构应为：县（区）（当前为学校）"]
    OrgUnit(kind=OrgKind.TOWN, name="好镇", parent=county).full_clean()


@pytest.mark.parametrize(
    ("code", "ok"),
    [("37032", False), ("370323", True), ("370323100", True), ("3703231001", False), ("370323100201", True)],
)
def test_division_code(code, ok):
    unit = OrgUnit(kind=OrgKind.COUNTY, name="县", division_code=code)
    if ok:
        unit.full_clean()
    else:
        with pytest.raises(ValidationError) as err:
            unit.full_clean()
        assert "行政区划代码" in err.value.message_dict["division_code"][0]


def test_unsaved_node_has_no_descendants():
    assert list(OrgUnit(kind=OrgKind.TOWN, name="x").descendants()) == []


def test_school_creates_its_node_under_its_town():
    school = SchoolFactory(name="荆山学校")
    unit = school.org_unit
    assert unit.kind == OrgKind.SCHOOL and unit.name == "荆山学校" and unit.parent_id == school.town_id
    assert unit.path == f"{school.town.path}{unit.pk}/" and unit.depth == 2


def test_school_moves_its_node_with_its_town_and_name():
    school = SchoolFactory()
    other_town = TownFactory(parent=school.town.parent)
    school.town, school.name = other_town, "改名学校"
    school.save()
    unit = fresh(school.org_unit)
    assert unit.parent_id == other_town.pk and unit.name == "改名学校"
    assert unit.path == f"{other_town.path}{unit.pk}/"


def test_failed_school_save_leaves_no_orphan_node():
    from django.db import IntegrityError, transaction

    existing = SchoolFactory()
    before = OrgUnit.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        SchoolFactory(code=existing.code, town=existing.town)
    assert OrgUnit.objects.count() == before


def test_responsible_unit_node_follows_name():
    county = CountyFactory()
    unit = ResponsibleUnitFactory(county=county, name="测试财政局")
    assert unit.org_unit.kind == OrgKind.UNIT and unit.org_unit.parent_id == county.pk
    unit.name = "测试财政局（改）"
    unit.save()
    assert fresh(unit.org_unit).name == "测试财政局（改）"
