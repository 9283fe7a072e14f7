"""A county plan's targets point at the city plan's targets on the same indicator; ``plan_json`` exports
an adopted plan back to the JSON contract, and adopting that export gives the same plan."""

from __future__ import annotations

import json

from edubrain.plans.adopt import adopt, create_draft, link_parent_targets, plan_json
from edubrain.plans.models import PlanTarget

from . import support_import as support
from .support_import import demo_city, small_plan

area, fast_passwords = support.area, support.fast_passwords  # fixtures


def city_plan():
    data = small_plan()
    data["title"] = "淄博市教育事业发展“十四五”规划（测试）"
    data["tasks"] = data["tasks"][:1]
    data["targets"] = [data["targets"][0], dict(data["targets"][2], target=53, task_code=None)]
    data["targets"].append(dict(data["targets"][0], target_year=2023, target=98.5))
    return adopt(create_draft(data, county=demo_city()))


def test_targets_point_at_the_parent_plans_target_on_the_same_indicator(area):
    city = city_plan()
    county = create_draft(small_plan(), county=area.county)
    county.parent = city
    county.save()
    adopt(county)
    targets = {t.indicator_name: t for t in PlanTarget.objects.filter(plan=county)}
    parent = targets["学前三年毛入园率"].parent_target
    assert parent.plan == city and parent.target_year == 2025 and parent.target == 99.0  # same year preferred
    assert targets["学生体质健康测试优良率"].parent_target.target == 53
    assert targets["在校生"].parent_target is None  # the city plan has no such target
    assert targets["一项目录里没有的指标"].parent_target is None  # no indicator, nothing to link by


def test_readopting_the_parent_keeps_the_childrens_links(area):
    city = city_plan()
    county = create_draft(small_plan(), county=area.county)
    county.parent = city
    county.save()
    adopt(county)
    data = dict(city.parsed, targets=list(reversed(city.parsed["targets"])))
    adopt(city, data)
    linked = PlanTarget.objects.get(plan=county, indicator_name="学生体质健康测试优良率").parent_target
    assert linked is not None and linked.plan == city


def test_removing_the_parent_clears_the_links(area):
    city = city_plan()
    county = create_draft(small_plan(), county=area.county)
    county.parent = city
    county.save()
    adopt(county)
    county.parent = None
    county.save()
    assert link_parent_targets(county) == 0
    assert not PlanTarget.objects.filter(plan=county, parent_target__isnull=False).exists()


def test_plan_json_follows_the_contract(area):
    plan = adopt(create_draft(small_plan(), county=area.county))
    data = plan_json(plan)
    json.dumps(data, ensure_ascii=False)  # serialisable
    original = small_plan()
    for key in ("title", "issuer", "doc_number", "period", "sections", "projects", "unparsed"):
        assert data[key] == original[key], key
    assert data["tasks"] == original["tasks"]
    target = data["targets"][1]
    assert target == dict(original["targets"][1], indicator_code="compulsory_enrolment")
    assert data["targets"][2]["baseline"] is None and data["targets"][2]["nature"] is None
    assert data["targets"][2]["category"] == ""
    assert data["targets"][4]["indicator_code"] == ""


def test_round_trip_gives_the_same_plan(area):
    first = adopt(create_draft(small_plan(), county=area.county))
    exported = plan_json(first)
    second = adopt(create_draft(exported, county=area.county))
    assert plan_json(second) == exported


def test_a_drafts_json_is_its_stored_json(area):
    plan = create_draft(small_plan(), county=area.county)
    assert plan_json(plan) == small_plan()
