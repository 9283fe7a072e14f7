"""The dashboard read side: which plans a user reads, the unit a page shows, targets with their status, one
indicator's breakdown and the task tree — all from stored values, scoped."""

from __future__ import annotations

import pytest
from django.http import Http404

from edubrain.core.plan import progress as pr
from edubrain.plans import dashboard
from edubrain.plans.models import IndicatorValue, Plan
from factories import UserFactory

from . import support_dashboard as support

world = support.world  # fixture


def test_plans_in_scope_adopted_first(world):
    titles = [p.title for p in dashboard.plans_for(world.users.leader)]
    assert titles == [world.plan.title, world.draft.title]


def test_people_below_the_area_read_its_adopted_plans_only(world):
    assert list(dashboard.plans_for(world.users.school)) == [world.plan]
    assert world.foreign not in dashboard.plans_for(world.users.admin)
    assert list(dashboard.plans_for(world.users.other)) == [world.foreign]
    with pytest.raises(Http404):
        dashboard.plan_or_404(world.users.school, world.draft.pk)
    with pytest.raises(Http404):
        dashboard.plan_or_404(world.users.other, world.plan.pk)


def test_nobody_without_a_scope_reads_plans(world):
    stray = UserFactory(username="mon_stray", role="school_admin", org_unit=world.county)  # role misfits unit
    assert list(dashboard.plans_for(stray)) == []
    superuser = UserFactory(username="mon_root", is_superuser=True, org_unit=None)
    assert {world.plan, world.draft, world.foreign} <= set(dashboard.plans_for(superuser))


def test_subject_unit(world):
    assert dashboard.subject_unit(world.users.leader, world.plan) == world.county
    assert dashboard.subject_unit(world.users.school, world.plan) == world.primary_a.org_unit
    assert dashboard.subject_unit(world.users.leader, world.plan, world.town_a.pk) == world.town_a
    with pytest.raises(Http404):  # a sibling school is outside the school administrator's scope
        dashboard.subject_unit(world.users.school, world.plan, world.primary_b.org_unit_id)
    with pytest.raises(Http404):  # another county is outside the plan's area
        dashboard.subject_unit(world.users.leader, world.plan, world.other.pk)


def test_a_responsible_unit_reads_the_plan_without_values(world):
    assert list(dashboard.plans_for(world.users.reporter)) == [world.plan]
    assert dashboard.subject_unit(world.users.reporter, world.plan) is None
    rows = dashboard.target_rows(world.users.reporter, world.plan, None)
    assert {r["status"] for r in rows} == {pr.NO_DATA} and rows[0]["values"] == []


def test_unit_options_are_the_area_and_its_towns(world):
    names = [o["name"] for o in dashboard.unit_options(world.users.leader, world.plan, world.county)]
    assert names[0] == "测试监测县" and set(names[1:]) == {"监测镇甲", "监测镇乙"}
    school = world.primary_a.org_unit
    assert [o["name"] for o in dashboard.unit_options(world.users.school, world.plan, school)] == [
        "监测小学甲"
    ]


def test_every_status_for_the_county(world):
    rows = dashboard.target_rows(world.users.leader, world.plan, world.county)
    assert [(r["name"], r["status"]) for r in rows] == [
        ("学生体质健康测试优良率", pr.ON_TRACK),
        ("学生体质健康测试合格率", pr.OFF_TRACK),
        ("总体近视率", pr.ON_TRACK),
        ("中职院校“双师型”教师占专任专业教师比例", pr.AT_RISK),
        ("在校生", pr.ACHIEVED),
        ("劳动年龄人口平均受教育年限", pr.NO_DATA),
    ]
    good = rows[0]
    assert (good["latest"], good["latest_year"], good["category"], good["target_text"]) == (
        54.2,
        2024,
        "正文目标",
        "≥55%（2025年）",
    )
    assert good["values"] == [(2021, 50), (2022, 52), (2023, 53.7), (2024, 54.2)]
    assert good["colour"] == dashboard.STATUS_COLOURS[pr.ON_TRACK]
    assert rows[2]["target_text"] == "每年降低不少于1个百分点"
    assert rows[5]["explanation"] == "该目标尚未对应到指标，无法监测。"
    counts = {c["status"]: c["count"] for c in dashboard.status_counts(rows)}
    assert counts == {pr.ACHIEVED: 1, pr.ON_TRACK: 2, pr.AT_RISK: 1, pr.OFF_TRACK: 1, pr.NO_DATA: 1}


def test_a_yearly_target_in_points_is_about_a_rate(world):
    world.targets.myopia.unit = "个百分点"
    world.targets.myopia.save(update_fields=["unit"])
    world.targets.myopia.indicator = None
    assert dashboard.value_unit(world.targets.myopia) == "%"  # without an indicator too
    world.targets.myopia.refresh_from_db()
    assert dashboard.value_unit(world.targets.myopia) == "%"
    row = dashboard.target_rows(world.users.leader, world.plan, world.county)[2]
    assert row["unit"] == "%" and row["target_text"] == "每年降低不少于1个百分点"


def test_as_of_an_earlier_year(world):
    rows = dashboard.target_rows(world.users.leader, world.plan, world.county, as_of=2022)
    good = rows[0]
    assert (good["latest_year"], good["latest"]) == (2022, 52)
    assert rows[4]["status"] == pr.NO_DATA  # 在校生 has only 2024
    assert dashboard.value_years(world.users.leader, world.plan, world.county) == [2021, 2022, 2023, 2024]


def test_a_school_administrator_sees_only_their_school(world):
    rows = dashboard.target_rows(world.users.school, world.plan, world.primary_a.org_unit)
    by_name = {r["name"]: r for r in rows}
    assert by_name["学生体质健康测试优良率"]["values"] == [(2023, 57), (2024, 58)]
    assert by_name["学生体质健康测试优良率"]["status"] == pr.ACHIEVED
    pupils = by_name["在校生"]  # a county total: shown, not judged for a school
    assert pupils["latest"] == 0.12 and pupils["status"] == pr.NO_DATA
    assert "总量目标" in pupils["explanation"]
    assert by_name["学生体质健康测试合格率"]["values"] == []  # the county's values are not theirs


def test_values_are_read_not_recomputed(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        dashboard.target_rows(world.users.leader, world.plan, world.county)


def test_breakdown_ranks_towns_and_schools(world):
    detail = dashboard.indicator_detail(
        world.users.leader, world.plan, world.targets.good, world.county, None
    )
    assert detail["year"] == 2024 and detail["years"] == [2021, 2022, 2023, 2024]
    towns = detail["breakdown"]["town"]
    assert towns.select("name", "rank", "met").rows() == [("监测镇甲", 1, True), ("监测镇乙", 2, False)]
    schools = detail["breakdown"]["school"]
    assert schools.select("name", "rank", "value", "met").rows() == [
        ("监测小学甲", 1, 58.0, True),
        ("监测小学乙", 2, 53.5, False),
        ("监测初中丙", 3, 51.0, False),
        ("监测幼儿园丁", None, None, None),  # no value: last, unranked, with its note
    ]
    assert schools["note"][-1] == "无实测学生" and schools["parent"][0] == "监测镇甲"
    assert detail["series"]["year"].to_list() == [2021, 2022, 2023, 2024]


def test_lower_is_better_ranks_ascending_without_judging_yearly_rules(world):
    detail = dashboard.indicator_detail(
        world.users.leader, world.plan, world.targets.myopia, world.county, 2024
    )
    schools = detail["breakdown"]["school"]
    assert schools.select("name", "rank", "met").rows() == [("监测小学甲", 1, None), ("监测小学乙", 2, None)]


def test_the_chosen_year_is_the_as_of_year(world):
    detail = dashboard.indicator_detail(
        world.users.leader, world.plan, world.targets.good, world.county, 2022
    )
    assert detail["year"] == 2022 and detail["progress"].latest_year == 2022
    assert detail["breakdown"]["school"].height == 0
    unknown = dashboard.indicator_detail(
        world.users.leader, world.plan, world.targets.good, world.county, 1999
    )
    assert unknown["year"] == 2024


def test_breakdown_is_scoped(world):
    school = world.primary_a.org_unit
    detail = dashboard.indicator_detail(world.users.school, world.plan, world.targets.good, school, None)
    assert detail["breakdown"]["school"].height == 0 and detail["breakdown"]["town"].height == 0
    assert detail["series"]["value"].to_list() == [57.0, 58.0]
    exported = dashboard.export_values(world.users.school, world.targets.good, school)
    assert set(exported["name"]) == {"监测小学甲"}


def test_export_holds_the_whole_area_with_provenance(world):
    frame = dashboard.export_values(world.users.leader, world.targets.dual, world.county)
    assert frame.select("name", "year", "value", "source").rows() == [
        ("测试监测县", 2022, 72.5, "computed"),
        ("测试监测县", 2023, 75.0, "manual"),
    ]
    assert frame["entered_by"].to_list() == [None, "mon_admin"]
    assert frame["note"][1] == "按职业学校上报"


def test_targets_without_an_indicator(world):
    detail = dashboard.indicator_detail(
        world.users.leader, world.plan, world.targets.schooling, world.county, None
    )
    assert detail["breakdown"] is None and detail["progress"].status == pr.NO_DATA


def test_task_tree_lead_first(world):
    tree = dashboard.task_tree(world.plan)
    assert [n["code"] for n in tree] == ["一", "二"]
    moral = tree[1]["children"][0]
    assert moral["code"] == "二.(一)" and [t["code"] for t in moral["tasks"]] == ["二.(一).1", "二.(一).2"]
    units = moral["tasks"][0]["units"]
    assert [(u["name"], u["lead"]) for u in units] == [
        ("县教育和体育局", True),
        ("县卫生健康局", False),
        ("县市场监管局", False),
    ]
    assert moral["tasks"][0]["targets"] == 3 and moral["tasks"][1]["units"] == []
    assert [p.number for p in dashboard.projects(world.plan)] == [1, 2]


def test_may_recompute(world):
    assert dashboard.may_recompute(world.users.admin, world.plan)
    assert dashboard.may_recompute(world.users.staff, world.plan)
    assert not dashboard.may_recompute(world.users.leader, world.plan)
    assert not dashboard.may_recompute(world.users.school, world.plan)
    assert not dashboard.may_recompute(world.users.other, world.plan)
    assert not dashboard.may_recompute(world.users.reporter, world.plan)


def test_values_table_untouched_by_reading(world):
    before = IndicatorValue.objects.count()
    dashboard.target_rows(world.users.leader, world.plan, world.county)
    assert IndicatorValue.objects.count() == before and Plan.objects.filter(pk=world.plan.pk).exists()
